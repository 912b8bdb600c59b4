import nock from 'nock';
import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { tokenFingerprint } from '../../nodes/Salesforce/transport/oauth';
import type { RunOptions, WorkflowJson } from '../harness/run-workflow';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';

export const MY_DOMAIN = 'https://acme.my.salesforce.com';
export const INSTANCE = 'https://acme.my.salesforce.com';
export const CLIENT_ID = '3MVG9testConsumerKey0123456789';
export const CLIENT_SECRET = 'consumer-secret-5f2e8a91c4d7b3';
/** Access tokens look like session ids: `<org id>!<opaque>`. */
export const TOKEN_1 = '00D5g000004XyZaEAK!AQ4AQFirstTokenQx9vL2mN8pR';
export const TOKEN_2 = '00D5g000004XyZaEAK!AQ4AQSecondTokenZk3wT7yU1s';
export const V = '/services/data/v66.0';
export const CAMPAIGN_ID = '701xx000000001AAAQ';

export const CREDENTIAL_DATA: ICredentialDataDecryptedObject = {
	myDomainUrl: MY_DOMAIN,
	clientId: CLIENT_ID,
	clientSecret: CLIENT_SECRET,
	apiVersion: '66.0',
};

/** A token stored by an earlier execution for exactly these settings (n8n keeps it with the credential). */
export function storedToken(token = TOKEN_1, settings: ICredentialDataDecryptedObject = CREDENTIAL_DATA): ICredentialDataDecryptedObject {
	return {
		accessToken: token,
		instanceUrl: INSTANCE,
		tokenFor: tokenFingerprint([settings.myDomainUrl, settings.clientId, settings.clientSecret, settings.clientAuthentication ?? 'body']),
	};
}

export const STORED = storedToken();

export function credentials(extra: ICredentialDataDecryptedObject = {}) {
	return { salesforceClientCredentialsApi: { ...CREDENTIAL_DATA, ...extra } };
}

export function salesforceWorkflow(parameters: INodeParameters, settings: { continueOnFail?: boolean } = {}): WorkflowJson {
	return triggeredWorkflow({
		name: 'Salesforce',
		type: 'n8n-nodes-crm-relay.salesforce',
		parameters,
		credentials: { salesforceClientCredentialsApi: { id: 'cred-sf', name: 'Salesforce account' } },
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
}

export interface Received {
	host: string;
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	body: unknown;
}

export type Reply = [number, unknown?, Record<string, string>?];

/**
 * A fake Salesforce on `origins` that records every request (method, path+query, headers, raw
 * body) in one list, in order, and answers from `reply`. Replies to a string body are sent as is.
 */
export function salesforceFake(reply: (request: Received, index: number) => Reply | Promise<Reply>, origins: string[] = [MY_DOMAIN]) {
	const received: Received[] = [];
	for (const origin of [...new Set(origins)]) {
		const scope = nock(origin).persist();
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
				const request: Received = { host: new URL(origin).host, method: this.req.method, path: uri, headers: this.req.headers, rawBody, body };
				received.push(request);
				const answer = async (): Promise<[number, string, Record<string, string>]> => {
					const [status, responseBody, headers] = await reply(request, received.length - 1);
					const text = responseBody === undefined ? '' : typeof responseBody === 'string' ? responseBody : JSON.stringify(responseBody);
					const json: Record<string, string> = typeof responseBody === 'object' && responseBody !== null ? { 'Content-Type': 'application/json;charset=UTF-8' } : {};
					return [status, text, { ...json, ...(headers ?? {}) }];
				};
				return answer();
			});
		}
	}
	return { received };
}

export const tokenAnswer = (token = TOKEN_1, instance = INSTANCE): Reply => [
	200,
	{
		access_token: token,
		signature: 'c2lnbmF0dXJl',
		scope: 'api',
		instance_url: instance,
		id: `${MY_DOMAIN}/id/00D5g000004XyZaEAK/0055g00000AbCdEAAV`,
		token_type: 'Bearer',
		issued_at: '1763895000000',
		api_instance_url: 'https://api.salesforce.com',
	},
];

export const LIMIT_HEADER = { 'Sforce-Limit-Info': 'api-usage=18/15000' };

export const isTokenRequest = (request: Received) => request.method === 'POST' && request.path === '/services/oauth2/token';

/** The exact token request of the client credentials flow, form body with the id and secret. */
export function expectTokenRequest(request: Received, host = 'acme.my.salesforce.com') {
	expect(request.host).toBe(host);
	expect(request.method).toBe('POST');
	expect(request.path).toBe('/services/oauth2/token');
	expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
	expect(request.headers.authorization).toBeUndefined();
	expect(request.rawBody).toBe(`grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`);
}

/** An API request: exact method, path+query, the bearer token and (for writes) the raw JSON body. */
export function expectApiRequest(request: Received, method: string, path: string, rawBody?: string, token = TOKEN_1) {
	expect({ method: request.method, path: request.path }).toEqual({ method, path });
	expect(request.headers.authorization).toBe(`Bearer ${token}`);
	expect(request.headers.accept).toBe('application/json');
	if (rawBody === undefined) {
		expect(request.rawBody).toBe('');
	} else {
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.rawBody).toBe(rawBody);
	}
}

export async function runSalesforce(
	parameters: INodeParameters,
	input: RunOptions['input'] = [{}],
	options: { continueOnFail?: boolean; credentials?: ICredentialDataDecryptedObject } = {},
) {
	const result = await runWorkflow(salesforceWorkflow(parameters, options), { credentials: credentials(options.credentials), input });
	return { ...result, items: result.output('Salesforce') as INodeExecutionData[], error: result.nodeError('Salesforce') };
}

export interface ExpectedItemError {
	message: string;
	description?: string;
	httpCode?: string;
}

export function expectErrorItem(item: INodeExecutionData | undefined, pairedIndex: number, expected: ExpectedItemError) {
	const details: Record<string, string> = {};
	if (expected.description !== undefined) details.description = expected.description;
	if (expected.httpCode !== undefined) details.httpCode = expected.httpCode;
	expect(item).toEqual({ json: { error: expected.message, details }, pairedItem: { item: pairedIndex } });
}
