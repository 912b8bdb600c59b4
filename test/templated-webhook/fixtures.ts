import type { LookupAddress } from 'node:dns';
import dnsPromises from 'node:dns/promises';

import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import type { RunOptions, WorkflowJson } from '../harness/run-workflow';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';

export const RECEIVER = 'https://hooks.example.com';
export const RECEIVER_URL = `${RECEIVER}/ometria/contacts`;
/** A public address the fake resolver gives hooks.example.com. */
export const PUBLIC_IP = '93.184.215.14';
export const NODE = 'Templated Webhook';

export const SIGNING_SECRET = 'whsec-5f1c8e2a9d7b4c3e6a0f1b2d8c9e7a64';
export const TOKEN = 'Bearer tok-9c2e7f1a4b8d6e3c';
export const BASIC_PASSWORD = 'pw-Zq8!x7Lm2#Rt';
export const CREDENTIALS = {
	hmac: { templatedWebhookAuthApi: { authType: 'hmacSignature', signingSecret: SIGNING_SECRET } },
	token: { templatedWebhookAuthApi: { authType: 'headerToken', headerName: 'Authorization', token: TOKEN } },
	basic: { templatedWebhookAuthApi: { authType: 'basicAuth', user: 'n8n', password: BASIC_PASSWORD } },
};

/** Items leave a workflow fast in tests: no real backoff, the same retry logic. */
export const FAST = { backoffSeconds: 0.01, retryWindowSeconds: 5 };

/** Lets time pass in a fake's reply; never used to assert a duration. */
export const wait = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A look-up failure as Node's getaddrinfo reports it. */
export function lookupError(hostname: string, code: string): Error {
	return Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, syscall: 'getaddrinfo', hostname });
}

/**
 * A fake for the system resolver (node:dns/promises lookup, which the node calls with
 * { all: true, verbatim: true }): answers from `zone`, fails names in `failures` with their code,
 * and every other name with ENOTFOUND. Records each look-up. Every test starts with an empty
 * zone (see the hooks below), so no test ever does a real DNS look-up.
 */
export function dnsFake(zone: Record<string, string[]> = { 'hooks.example.com': [PUBLIC_IP] }, failures: Record<string, string> = {}) {
	const asked: Array<{ hostname: string; options: unknown }> = [];
	const fake = async (hostname: string, options?: unknown): Promise<LookupAddress[]> => {
		asked.push({ hostname, options });
		if ((options as { all?: boolean } | undefined)?.all !== true) throw new Error('test DNS fake: the node must ask for all addresses');
		if (failures[hostname]) throw lookupError(hostname, failures[hostname]);
		const addresses = zone[hostname];
		if (!addresses) throw lookupError(hostname, 'ENOTFOUND');
		return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
	};
	(jest.spyOn(dnsPromises, 'lookup') as unknown as jest.SpyInstance).mockImplementation(fake);
	return { asked };
}

beforeEach(() => dnsFake({}));
afterEach(() => jest.restoreAllMocks());

export interface Received {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	at: number;
}

type Reply = [number, string?, Record<string, string>?];

/** Records every request to `origin` (raw body included) and answers from `reply`, in order. */
export function receiverFake(reply: (request: Received, index: number) => Reply | Promise<Reply>, origin = RECEIVER) {
	const received: Received[] = [];
	const scope = nock(origin).persist();
	const rawBodies: string[] = [];
	scope.on('request', (_req, _interceptor, body: string) => rawBodies.push(body ?? ''));
	for (const method of ['POST', 'PUT', 'PATCH', 'GET']) {
		scope.intercept(/.*/, method).reply(function (uri) {
			const request: Received = { method: this.req.method, path: uri, headers: this.req.headers, rawBody: rawBodies.shift() ?? '', at: Date.now() };
			received.push(request);
			const index = received.length - 1;
			return (async (): Promise<[number, string, Record<string, string>]> => {
				const [status, body, headers] = await reply(request, index);
				return [status, body ?? '', headers ?? {}];
			})();
		});
	}
	return { received, scope };
}

export const TEMPLATE = '{"email": {{ profile.email | tojson }}, "name": {{ profile.firstname | default("there") | tojson }}}';

export function webhookParameters(overrides: INodeParameters = {}, options: IDataObject = {}): INodeParameters {
	return { url: RECEIVER_URL, method: 'POST', contentType: 'json', headers: '{}', template: TEMPLATE, ...overrides, options: { ...FAST, ...options } };
}

export function webhookWorkflow(
	parameters: INodeParameters,
	settings: { continueOnFail?: boolean; credential?: boolean; staticData?: IDataObject } = {},
): WorkflowJson {
	const workflow = triggeredWorkflow({
		name: NODE,
		type: 'n8n-nodes-crm-relay.templatedWebhook',
		parameters,
		...(settings.credential ? { credentials: { templatedWebhookAuthApi: { id: 'cred-tw', name: 'Receiver auth' } } } : {}),
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
	return { ...workflow, id: 'wf-templated-1', staticData: settings.staticData };
}

export interface WebhookRun {
	delivered: INodeExecutionData[];
	retryLater: INodeExecutionData[];
	dropped: INodeExecutionData[];
	error: Error | undefined;
}

export async function runWebhook(
	parameters: INodeParameters,
	input: RunOptions['input'],
	settings: { continueOnFail?: boolean; credentials?: RunOptions['credentials']; staticData?: IDataObject; cancelWhen?: Promise<unknown> } = {},
): Promise<WebhookRun> {
	const result = await runWorkflow(
		webhookWorkflow(parameters, { continueOnFail: settings.continueOnFail, credential: settings.credentials !== undefined, staticData: settings.staticData }),
		{ input, credentials: settings.credentials, cancelWhen: settings.cancelWhen },
	);
	return {
		delivered: result.output(NODE, 0),
		retryLater: result.output(NODE, 1),
		dropped: result.output(NODE, 2),
		error: result.nodeError(NODE),
	};
}

/** The node's delivery state on an output item. */
export function delivery(item: INodeExecutionData | undefined): IDataObject {
	expect(item).toBeDefined();
	return (item as INodeExecutionData).json.webhookDelivery as IDataObject;
}

/** Stand-in for an n8n-nodes-base node: passes its input on (the Wait node resumes at once in tests). */
export class PassThrough implements INodeType {
	description = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['input'],
		version: [1, 1.1, 2, 3, 3.4],
		description: 'Emits its input items',
		defaults: { name: 'Pass Through' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export const CONTACT = { profile: { email: 'ada@example.com', firstname: 'Ada' } };
