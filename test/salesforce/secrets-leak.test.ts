import type { IExecuteFunctions, INodeParameters, INodeType } from 'n8n-workflow';

import { Salesforce } from '../../nodes/Salesforce/Salesforce.node';
import { captureLogs } from '../harness/capture-logs';
import { runWorkflow } from '../harness/run-workflow';
import type { Reply, Received } from './fixtures';
import { CAMPAIGN_ID, CLIENT_SECRET, credentials, isTokenRequest, salesforceFake, salesforceWorkflow, tokenAnswer, TOKEN_1, TOKEN_2 } from './fixtures';
import { reachableText } from '../harness/reachable-text';

/** The client secret, both tokens, and distinctive parts of them (a truncated copy must not carry them either). */
const SECRETS = [CLIENT_SECRET, CLIENT_SECRET.slice(-12), TOKEN_1, TOKEN_2, TOKEN_1.split('!')[1], TOKEN_2.split('!')[1]];

function expectNoSecret(text: string) {
	for (const secret of SECRETS) expect(text).not.toContain(secret);
}

const thrown: unknown[] = [];
const salesforce = new Salesforce();
const capturingSalesforce: INodeType = {
	description: { ...salesforce.description, name: 'capturingSalesforce' },
	async execute(this: IExecuteFunctions) {
		try {
			return await salesforce.execute.call(this);
		} catch (error) {
			thrown.push(error);
			throw error;
		}
	},
};

async function runCapturing(parameters: INodeParameters, continueOnFail: boolean) {
	thrown.length = 0;
	const workflow = salesforceWorkflow(parameters, { continueOnFail });
	workflow.nodes[1].type = 'capturingSalesforce';
	const result = await runWorkflow(workflow, { credentials: credentials(), input: [{}], nodeTypes: { capturingSalesforce } });
	return { run: result.run, items: result.output('Salesforce'), error: result.nodeError('Salesforce'), thrown: [...thrown] };
}

const getCampaign = { resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: CAMPAIGN_ID }, requestOptions: { serverErrorRetries: 0 } };
const create = { resource: 'record', operation: 'create', sobject: { __rl: true, mode: 'name', value: 'Lead' }, fieldsInput: 'json', fieldsJson: '{"LastName":"X"}' };
const echo = `token ${TOKEN_1} secret ${CLIENT_SECRET}`;

interface Scenario {
	name: string;
	parameters: INodeParameters;
	api: (request: Received, index: number) => Reply;
	token?: () => Reply;
	fails: boolean;
}

const scenarios: Scenario[] = [
	{ name: 'success', parameters: getCampaign, api: () => [200, { Id: CAMPAIGN_ID }], fails: false },
	{ name: '400 whose body echoes the token and secret', parameters: create, api: () => [400, [{ message: echo, errorCode: 'INVALID_FIELD', fields: [CLIENT_SECRET] }]], fails: true },
	{ name: '500 text body echoing the token', parameters: getCampaign, api: () => [500, `upstream said Authorization: Bearer ${TOKEN_1}`], fails: true },
	{ name: '401 twice (refresh, then rejected again)', parameters: getCampaign, api: () => [401, [{ message: `Session ${TOKEN_2} expired or invalid`, errorCode: 'INVALID_SESSION_ID' }]], token: () => tokenAnswer(TOKEN_2), fails: true },
	{ name: 'token refused with the secret echoed', parameters: getCampaign, api: () => [200, {}], token: () => [400, { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` }], fails: true },
	{ name: 'REQUEST_LIMIT_EXCEEDED', parameters: getCampaign, api: () => [403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], { 'Sforce-Limit-Info': 'api-usage=5/5' }], fails: true },
	{
		name: 'dropped connection',
		parameters: create,
		api: () => {
			throw Object.assign(new Error(`socket hang up ${TOKEN_1}`), { code: 'ECONNRESET' });
		},
		fails: true,
	},
	{ name: 'upsert 300', parameters: { resource: 'record', operation: 'upsert', sobject: { __rl: true, mode: 'name', value: 'Lead' }, externalIdField: 'Ext__c', externalIdValue: 'v', fieldsInput: 'json', fieldsJson: '{}' }, api: () => [300, ['/services/data/v66.0/sobjects/Lead/00Qxx0000001AAAQ']], fails: true },
];

let logged: string[] = [];
beforeEach(() => {
	logged = [];
	captureLogs(logged);
});
afterEach(() => jest.restoreAllMocks());

describe.each([false, true])('continueOnFail: %s', (continueOnFail) => {
	test.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s: no secret or token in the run, items, errors or logs', async (_name, scenario) => {
		const { received } = salesforceFake((request, index) => (isTokenRequest(request) ? (scenario.token ?? (() => tokenAnswer()))() : scenario.api(request, index)));
		const { run, items, error, thrown: live } = await runCapturing(scenario.parameters, continueOnFail);

		// The secrets were really in play.
		expect(received.some(isTokenRequest)).toBe(true);
		expect(received[0].rawBody).toContain(CLIENT_SECRET);
		if (scenario.fails && !continueOnFail) {
			expect(error).toBeDefined();
			expect(live).toHaveLength(1);
			expect(logged.join('\n')).toContain(error?.message);
		} else {
			expect(error).toBeUndefined();
			expect(items.length).toBeGreaterThan(0);
		}
		if (scenario.fails && continueOnFail) expect(typeof items[0].json.error).toBe('string');

		expectNoSecret(logged.join('\n'));
		expectNoSecret(JSON.stringify(run));
		expectNoSecret(reachableText(run));
		expectNoSecret(JSON.stringify(items));
		expectNoSecret(reachableText(error));
		for (const entry of live as Error[]) {
			expectNoSecret(reachableText(entry));
			expectNoSecret(String(entry.stack));
			expectNoSecret(JSON.stringify(entry));
		}
	});
});

test('the scanner finds a secret hidden in a non-enumerable cause', () => {
	const hidden = new Error('outer', { cause: new Error('inner') });
	Object.defineProperty(hidden.cause as Error, 'stack', { value: `at Bearer ${TOKEN_1}`, enumerable: false });
	expect(JSON.stringify(hidden)).not.toContain(TOKEN_1);
	expect(reachableText({ errors: [hidden] })).toContain(TOKEN_1);
});

test('a 400 echoing the token: Salesforce\'s words with the secrets masked', async () => {
	salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer() : [400, [{ message: echo, errorCode: 'INVALID_FIELD' }]]));
	const { error } = await runCapturing(create, false);
	expect(error?.message).toBe('Salesforce answered 400: INVALID_FIELD: token *** secret ***');
});
