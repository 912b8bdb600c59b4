import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IExecuteFunctions,
	IHttpRequestHelper,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { registerCredentialType } from '../harness/credential-types';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';

/** An expiring-token credential shaped like n8n's SalesforceJwtApi: token fetched in preAuthentication. */
class TokenProbeApi implements ICredentialType {
	name = 'tokenProbeApi';
	displayName = 'Token Probe';
	properties = [
		{ displayName: 'Secret', name: 'secret', type: 'string' as const, typeOptions: { password: true }, default: '' },
		{ displayName: 'Token', name: 'accessToken', type: 'hidden' as const, typeOptions: { expirable: true }, default: '' },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: 'https://auth.example.test/token',
			body: { secret: credentials.secret },
			json: true,
		})) as { token: string };
		return { accessToken: answer.token };
	}

	authenticate = {
		type: 'generic' as const,
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};
}

class CallTwice implements INodeType {
	description = {
		displayName: 'Call Twice',
		name: 'callTwice',
		group: ['output'],
		version: 1,
		description: 'Two authenticated calls',
		defaults: { name: 'Call' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'tokenProbeApi', required: true }],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const results = [];
		for (const path of ['/a', '/b']) {
			results.push(await this.helpers.httpRequestWithAuthentication.call(this, 'tokenProbeApi', { url: `https://api.example.test${path}`, json: true }));
		}
		return [[{ json: { results }, pairedItem: { item: 0 } }]];
	}
}

registerCredentialType(new TokenProbeApi());

describe('credentials helper: expirable tokens the way n8n handles them', () => {
	test('no token yet: one preAuthentication, then every call carries it; a 401 fetches a new token and retries once', async () => {
		const tokens = nock('https://auth.example.test').post('/token', { secret: 's' }).reply(200, { token: 't1' }).post('/token', { secret: 's' }).reply(200, { token: 't2' });
		const api = nock('https://api.example.test')
			.get('/a').matchHeader('authorization', 'Bearer t1').reply(200, { a: 1 })
			.get('/b').matchHeader('authorization', 'Bearer t1').reply(401, [{ errorCode: 'INVALID_SESSION_ID' }])
			.get('/b').matchHeader('authorization', 'Bearer t2').reply(200, { b: 2 });

		const result = await runWorkflow(
			triggeredWorkflow({ name: 'Call', type: 'test.callTwice', parameters: {}, credentials: { tokenProbeApi: { id: 't', name: 'probe' } } }),
			{ credentials: { tokenProbeApi: { secret: 's' } }, nodeTypes: { 'test.callTwice': new CallTwice() } },
		);

		expect(result.nodeError('Call')).toBeUndefined();
		expect(result.output('Call')[0].json).toEqual({ results: [{ a: 1 }, { b: 2 }] });
		expect(result.credentialsHelper.preAuthenticationCalls).toEqual(['tokenProbeApi', 'tokenProbeApi']);
		expect(tokens.isDone()).toBe(true);
		expect(api.isDone()).toBe(true);
	});
});
