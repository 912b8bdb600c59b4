import { generateKeyPairSync, createVerify } from 'node:crypto';

import { SalesforceClientCredentialsApi } from '../../credentials/SalesforceClientCredentialsApi.credentials';
import { testCredential } from '../harness/credential-test';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';
import { CREDENTIAL_DATA, expectTokenRequest, isTokenRequest, salesforceFake, tokenAnswer, TOKEN_1, V } from './fixtures';

describe('Salesforce client credentials: credential test', () => {
	test('OK: a token is issued and GET /services/data/v66.0/ accepts it', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer() : [200, { sobjects: `${V}/sobjects`, query: `${V}/query` }]));
		await expect(testCredential('salesforceClientCredentialsApi', CREDENTIAL_DATA)).resolves.toEqual({ status: 'OK', message: 'Connection tested successfully' });
		expect(received).toHaveLength(2);
		expectTokenRequest(received[0]);
		expect(received[1]).toMatchObject({ method: 'GET', path: `${V}/` });
		expect(received[1].headers.authorization).toBe(`Bearer ${TOKEN_1}`);
	});

	test('a wrong secret fails with Salesforce\'s OAuth error and what to do', async () => {
		salesforceFake(() => [400, { error: 'invalid_client', error_description: 'invalid client credentials' }]);
		const result = await testCredential('salesforceClientCredentialsApi', { ...CREDENTIAL_DATA, clientSecret: 'wrong-secret-123' });
		expect(result.status).toBe('Error');
		expect(result.message).toBe('Salesforce refused the token request (400 invalid_client: invalid client credentials)');
		expect(result.message).not.toContain('wrong-secret-123');
	});

	test('an API version the org does not serve fails naming the version problem', async () => {
		salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer() : [404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]]));
		const result = await testCredential('salesforceClientCredentialsApi', { ...CREDENTIAL_DATA, apiVersion: '99.0' });
		expect(result).toEqual({ status: 'Error', message: 'This org does not serve that API version. Use a current version such as 66.0.' });
	});

	test('the token and instance URL fields are the hidden expirable pair n8n refreshes', () => {
		const type = new SalesforceClientCredentialsApi();
		expect(type.properties.find((p) => p.name === 'accessToken')).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(type.properties.find((p) => p.name === 'instanceUrl')).toMatchObject({ type: 'hidden' });
		expect(type.properties.find((p) => p.name === 'clientSecret')?.typeOptions?.password).toBe(true);
		expect(type.name).not.toBe('salesforceOAuth2Api');
		expect(type.name).not.toBe('salesforceJwtApi');
	});
});

describe('Salesforce JWT bearer credential', () => {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

	test('sandbox: an RS256 assertion for test.salesforce.com, posted as jwt-bearer; then the API on instance_url', async () => {
		const { received } = salesforceFake(
			(request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_1, 'https://acme--uat.sandbox.my.salesforce.com') : [200, {}]),
			['https://test.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com'],
		);
		const result = await testCredential('salesforceJwtBearerApi', { environment: 'sandbox', clientId: 'KEY123', username: 'int@acme.com.uat', privateKey: pem, apiVersion: '66.0' });
		expect(result).toEqual({ status: 'OK', message: 'Connection tested successfully' });
		expect(received[0]).toMatchObject({ host: 'test.salesforce.com', method: 'POST', path: '/services/oauth2/token' });
		const form = new URLSearchParams(received[0].rawBody);
		expect([...form.keys()]).toEqual(['grant_type', 'assertion']);
		expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
		const [header, payload, signature] = String(form.get('assertion')).split('.');
		expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256' });
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		expect(claims).toMatchObject({ iss: 'KEY123', sub: 'int@acme.com.uat', aud: 'https://test.salesforce.com' });
		expect(claims.exp - Date.now() / 1000).toBeLessThanOrEqual(180);
		expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
		expect(received[1]).toMatchObject({ host: 'acme--uat.sandbox.my.salesforce.com', path: `${V}/` });
	});

	test('a key that cannot sign: a clear error, nothing sent', async () => {
		const { received } = salesforceFake(() => [200, {}], ['https://login.salesforce.com']);
		const result = await testCredential('salesforceJwtBearerApi', { environment: 'production', clientId: 'K', username: 'u@x.com', privateKey: 'not a key' });
		expect(received).toHaveLength(0);
		expect(result).toEqual({ status: 'Error', message: 'The private key could not sign the JWT' });
	});
});

describe('Salesforce JWT bearer credential: custom audience', () => {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

	test('an Experience Cloud site keeps its path in aud; the token host is the My Domain given', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer() : [200, {}]));
		const result = await testCredential('salesforceJwtBearerApi', {
			environment: 'custom',
			audience: 'https://acme.my.site.com/customers/',
			myDomainUrl: 'https://acme.my.salesforce.com',
			clientId: 'K',
			username: 'u@acme.com',
			privateKey: pem,
		});
		expect(result.status).toBe('OK');
		expect(received[0]).toMatchObject({ host: 'acme.my.salesforce.com', path: '/services/oauth2/token' });
		const payload = String(new URLSearchParams(received[0].rawBody).get('assertion')).split('.')[1];
		expect(JSON.parse(Buffer.from(payload, 'base64url').toString()).aud).toBe('https://acme.my.site.com/customers');
	});
});

describe('the node with Authentication: JWT Bearer', () => {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

	test('uses the JWT credential: token from login.salesforce.com, API on instance_url', async () => {
		const { received } = salesforceFake(
			(request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_1, 'https://acme.my.salesforce.com') : [200, { Id: '701xx000000001AAAQ' }]),
			['https://login.salesforce.com', 'https://acme.my.salesforce.com'],
		);
		const workflow = triggeredWorkflow({
			name: 'Salesforce',
			type: 'n8n-nodes-crm-relay.salesforce',
			parameters: { authentication: 'jwtBearer', resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: '701xx000000001AAAQ' } },
			credentials: { salesforceJwtBearerApi: { id: 'j', name: 'jwt' } },
		});
		const result = await runWorkflow(workflow, {
			credentials: { salesforceJwtBearerApi: { environment: 'production', clientId: 'K', username: 'u@acme.com', privateKey: pem, apiVersion: '66.0' } },
		});
		expect(result.nodeError('Salesforce')).toBeUndefined();
		expect(received.map((request) => `${request.host} ${request.method} ${request.path}`)).toEqual([
			'login.salesforce.com POST /services/oauth2/token',
			`acme.my.salesforce.com GET ${V}/sobjects/Campaign/701xx000000001AAAQ`,
		]);
		expect(received[1].headers.authorization).toBe(`Bearer ${TOKEN_1}`);
		expect(result.output('Salesforce')[0].json).toEqual({ Id: '701xx000000001AAAQ' });
	});
});
