import { HookContext } from 'n8n-core';
import type { ICredentialTestFunctions, INode, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { SalesforceCalloutSecretApi } from '../../credentials/SalesforceCalloutSecretApi.credentials';
import { TestCredentialsHelper } from '../harness/credentials-helper';
import { TestNodeTypes } from '../harness/node-types';
import { additionalDataFor } from '../harness/run-workflow';
import { JSON_PARAMETERS, OUTBOUND_PARAMETERS, ORG_15, SIGNING_SECRET, trigger } from './fixtures';

const TYPE = 'n8n-nodes-crm-relay.salesforceTrigger';

/** The context n8n gives webhookMethods when it activates the workflow (n8n-core's HookContext). */
function hookContext(parameters: INodeParameters, credentials: Record<string, { secret: string }> = {}) {
	const node: INode = {
		id: 'h1',
		name: 'Salesforce Trigger',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '5d0c7e52-9a3b-4f61-8c2d-7b1e0a9f3c00',
		parameters,
		credentials: Object.keys(credentials).length > 0 ? { salesforceCalloutSecretApi: { id: 'c1', name: 'secret' } } : undefined,
	};
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, nodeTypes: new TestNodeTypes(), staticData: {} });
	const additionalData = additionalDataFor(undefined, new TestCredentialsHelper({ ...credentials }));
	return new HookContext(workflow, node, additionalData, 'trigger', 'activate');
}

const methods = trigger.webhookMethods.default;

describe('webhookMethods: nothing is registered remotely; activation checks the configuration', () => {
	test('checkExists says no remote webhook exists, so n8n calls create()', async () => {
		await expect(methods.checkExists.call(hookContext(OUTBOUND_PARAMETERS))).resolves.toBe(false);
	});

	test('create() accepts a valid outbound configuration and makes no request', async () => {
		await expect(methods.create.call(hookContext(OUTBOUND_PARAMETERS))).resolves.toBe(true);
	});

	test.each([
		[{ ...OUTBOUND_PARAMETERS, organizationId: '' }, 'Salesforce Trigger: Organization ID must be your 15- or 18-character org ID starting with 00D (Setup > Company Information)'],
		[{ ...OUTBOUND_PARAMETERS, organizationId: `${ORG_15}x` }, /Organization ID must be/],
		[
			{ ...OUTBOUND_PARAMETERS, organizationId: `${ORG_15}AAA` },
			'Salesforce Trigger: The last 3 characters of the 18-character Organization ID do not fit its first 15 (a typo?); paste the 15-character ID from Setup > Company Information',
		],
		[{ ...OUTBOUND_PARAMETERS, options: { allowedIps: '10.0.0.0/8, intranet' } }, 'Salesforce Trigger: IP Allow-List: "intranet" is not an IP address or CIDR range'],
	])('create() refuses activation with a clear message: %#', async (parameters, message) => {
		await expect(methods.create.call(hookContext(parameters))).rejects.toThrow(message);
	});

	test('create() in JSON mode needs the secret credential', async () => {
		await expect(methods.create.call(hookContext(JSON_PARAMETERS))).rejects.toThrow(
			'Salesforce Trigger: JSON Callout needs a Salesforce Callout Secret credential with a Shared Secret',
		);
		await expect(methods.create.call(hookContext(JSON_PARAMETERS, { salesforceCalloutSecretApi: { secret: SIGNING_SECRET } }))).resolves.toBe(true);
	});

	test('the activation error never shows the secret', async () => {
		const weird = { ...JSON_PARAMETERS, jsonOptions: { allowedIps: 'nope' } };
		const error = await methods.create.call(hookContext(weird, { salesforceCalloutSecretApi: { secret: SIGNING_SECRET } })).catch((caught: Error) => caught);
		expect(error).toBeInstanceOf(Error);
		expect(JSON.stringify(error) + String((error as Error).stack) + (error as Error).message).not.toContain(SIGNING_SECRET);
	});

	test('delete() succeeds and keeps the remembered delivery IDs', async () => {
		const context = hookContext(OUTBOUND_PARAMETERS);
		const staticData = context.getWorkflowStaticData('node');
		staticData.deliveredIds = { 'n:04l5g0000000001AAA': Date.now() };
		await expect(methods.delete.call(context)).resolves.toBe(true);
		expect(context.getWorkflowStaticData('node').deliveredIds).toEqual(staticData.deliveredIds);
	});
});

describe('node and credential description', () => {
	test('a webhook trigger that answers itself, with the secret credential only in JSON mode', () => {
		const { description } = trigger;
		expect(description.name).toBe('salesforceTrigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'salesforce' }]);
		expect(description.credentials).toEqual([
			{ name: 'salesforceCalloutSecretApi', required: true, testedBy: 'salesforceCalloutSecretTest', displayOptions: { show: { source: ['jsonCallout'] } } },
		]);
		expect(Object.keys(trigger.methods.credentialTest)).toEqual(['salesforceCalloutSecretTest']);
	});

	test('no "options.binaryData" parameter: n8n does not read the body of a version-1 webhook node that sets it', () => {
		// n8n's webhook-helpers parseRequestBody() evaluates $parameter["options"]["binaryData"] for
		// typeVersion 1 and then skips reading the body, so req.rawBody would be missing.
		const options = trigger.description.properties.filter((property) => property.name === 'options');
		expect(options.length).toBeGreaterThan(0);
		for (const property of options) expect((property.options ?? []).map((option) => ('name' in option ? option.name : ''))).not.toContain('binaryData');
		expect(trigger.description.version).toBe(1);
	});

	test('the credential stores the secret as a password field under a name n8n itself does not use', () => {
		const credential = new SalesforceCalloutSecretApi();
		expect(credential.name).toBe('salesforceCalloutSecretApi');
		expect(credential.properties).toEqual([expect.objectContaining({ name: 'secret', type: 'string', typeOptions: { password: true }, required: true })]);
		expect(credential).not.toHaveProperty('test');
	});
});

describe('credential test (testedBy): the secret must be usable for signing', () => {
	const run = async (secret: string) =>
		await trigger.methods.credentialTest.salesforceCalloutSecretTest.call({} as ICredentialTestFunctions, {
			id: 'c1',
			name: 'secret',
			type: 'salesforceCalloutSecretApi',
			data: { secret },
		});

	test('a long random secret passes and says what cannot be checked', async () => {
		await expect(run(SIGNING_SECRET)).resolves.toEqual({
			status: 'OK',
			message: 'The Shared Secret is usable. Whether Salesforce signs with the same value shows on the first callout (403 if not).',
		});
	});

	test.each([
		['', 'The Shared Secret is empty'],
		['short-secret', 'The Shared Secret has 12 characters; use at least 32 random ones (e.g. openssl rand -hex 32)'],
		[` ${SIGNING_SECRET}`, 'The Shared Secret starts or ends with spaces; Salesforce would sign with a different value'],
		['a'.repeat(40), 'The Shared Secret repeats too few characters to be random; generate one (e.g. openssl rand -hex 32)'],
	])('%p fails: %s', async (secret, message) => {
		const result = await run(secret);
		expect(result).toEqual({ status: 'Error', message });
		if (secret.trim() !== '') expect(result.message).not.toContain(secret.trim());
	});
});
