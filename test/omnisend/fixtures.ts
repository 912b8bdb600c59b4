import nock from 'nock';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RunOptions, WorkflowJson } from '../harness/run-workflow';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';

export const API_KEY = 'omni-test-key-7f3c9a1e5b';
export const BASE = 'https://api.omnisend.com';
export const CREDENTIALS = { omnisendApi: { apiKey: API_KEY, baseUrl: `${BASE}/v5` } };

/** A two-node workflow as n8n exports it: Manual Trigger -> Omnisend with these parameters. */
export function omnisendWorkflow(parameters: INodeParameters, settings: { continueOnFail?: boolean } = {}): WorkflowJson {
	return triggeredWorkflow({
		name: 'Omnisend',
		type: 'n8n-nodes-crm-relay.omnisend',
		parameters,
		credentials: { omnisendApi: { id: 'cred-1', name: 'Omnisend account' } },
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
}

/** Event › Send of a custom event "x" to the item's `email`: the simplest request, for delivery tests. */
export const sendEvent: INodeParameters = {
	resource: 'event',
	operation: 'send',
	preset: 'custom',
	customEventName: 'x',
	email: '={{ $json.email }}',
};

/** What Omnisend received for one event: POST /v5/events, the key, a JSON body exactly as given. */
export function expectEvent(request: Received, rawBody: string) {
	expect(request.method).toBe('POST');
	expect(request.path).toBe('/v5/events');
	expect(request.headers['x-api-key']).toBe(API_KEY);
	expect(request.headers['content-type']).toBe('application/json');
	expect(request.rawBody).toBe(rawBody);
}

/** Lets time pass in a fake's reply (to answer late); never used to assert a duration. */
export const wait = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runOmnisend(parameters: INodeParameters, input: RunOptions['input'], settings: { continueOnFail?: boolean } = {}) {
	const result = await runWorkflow(omnisendWorkflow(parameters, settings), { credentials: CREDENTIALS, input });
	return { ...result, items: result.output('Omnisend'), error: result.nodeError('Omnisend') };
}

export interface Received {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body text, exactly as sent. */
	rawBody: string;
	body: unknown;
}

/**
 * Records every request to the Omnisend host and answers from `reply` (called in order), so a test
 * can assert the exact method, path, headers and raw body Omnisend received.
 */
type Reply = [number, unknown?, Record<string, string>?];

/**
 * `reply` may return a promise (to answer late, e.g. past the node's timeout) or throw (nock then
 * destroys the socket: a dropped connection).
 */
export function omnisendFake(reply: (request: Received, index: number) => Reply | Promise<Reply>) {
	const received: Received[] = [];
	const scope = nock(BASE).persist();
	// nock hands reply() a parsed body; the 'request' event (emitted first) carries the raw text.
	const rawBodies: string[] = [];
	scope.on('request', (_req, _interceptor, body: string) => rawBodies.push(body ?? ''));
	for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
		scope.intercept(/.*/, method).reply(function (uri) {
			const rawBody = rawBodies.shift() ?? '';
			let body: unknown = rawBody;
			try {
				body = rawBody === '' ? undefined : JSON.parse(rawBody);
			} catch {
				body = rawBody;
			}
			const request: Received = { method: this.req.method, path: uri, headers: this.req.headers, rawBody, body };
			received.push(request);
			const answer = async (): Promise<[number, string, Record<string, string>]> => {
				const [status, responseBody, headers] = await reply(request, received.length - 1);
				return [status, responseBody === undefined ? '' : (responseBody as string), headers ?? {}];
			};
			return answer();
		});
	}
	return { received, scope };
}

/** What an error item must say. */
export interface ExpectedItemError {
	message: string;
	description?: string;
	httpCode?: string;
}

/**
 * An item that failed under continueOnFail, exactly: `{ json: { error, details }, pairedItem }`.
 * Only those json keys, so n8n routes it to the error output under "Continue (using error output)".
 */
export function expectErrorItem(item: INodeExecutionData | undefined, pairedIndex: number, expected: ExpectedItemError) {
	expect(item).toBeDefined();
	const details: Record<string, string> = {};
	if (expected.description !== undefined) details.description = expected.description;
	if (expected.httpCode !== undefined) details.httpCode = expected.httpCode;
	expect(item).toEqual({ json: { error: expected.message, details }, pairedItem: { item: pairedIndex } });
}
