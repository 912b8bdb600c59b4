import { testCredential } from '../harness/credential-test';
import { acumaticaFake, CLIENT_SECRET, credentialsFor, ENDPOINT, HOST, INSTANCE, OAUTH_ACCESS, PASSWORD, TOKEN_MARK } from './fixtures';

describe('Acumatica API credential test (logs in and out)', () => {
	test('cookie session: POST /entity/auth/login, then POST /entity/auth/logout with that session; nothing stays open', async () => {
		const fake = acumaticaFake(() => [200, {}]);
		await expect(testCredential('acumaticaApi', credentialsFor('session').acumaticaApi)).resolves.toEqual({
			status: 'OK',
			message: 'Connection tested successfully',
		});
		expect(fake.received.map((r) => [r.method, r.path])).toEqual([
			['POST', '/AcumaticaERP/entity/auth/login'],
			['POST', '/AcumaticaERP/entity/auth/logout'],
		]);
		expect(fake.logins[0].rawBody).toBe(JSON.stringify({ name: 'api-user', password: PASSWORD, tenant: 'MyTenant' }));
		expect(fake.logouts[0].headers.cookie).toMatch(/^\.ASPXAUTH=auth-/);
		expect(fake.liveSessions()).toBe(0);
	});

	test('password grant: token request with client_id@Tenant, then logout with the Bearer token', async () => {
		const fake = acumaticaFake(() => [200, {}]);
		const result = await testCredential('acumaticaApi', credentialsFor('passwordGrant').acumaticaApi);
		expect(result.status).toBe('OK');
		expect(fake.received.map((r) => [r.method, r.path])).toEqual([
			['POST', '/AcumaticaERP/identity/connect/token'],
			['POST', '/AcumaticaERP/entity/auth/logout'],
		]);
		expect(Object.fromEntries(new URLSearchParams(fake.tokens[0].rawBody))).toEqual({
			grant_type: 'password',
			client_id: 'B2A4-C0DE@MyTenant',
			client_secret: CLIENT_SECRET,
			username: 'api-user',
			password: PASSWORD,
			scope: 'api',
		});
		expect(fake.logouts[0].headers.authorization).toBe(`Bearer tok-${TOKEN_MARK}-1`);
	});

	test('a wrong password fails with what to check; the API login limit with the licence explanation', async () => {
		acumaticaFake(() => [200, {}], { login: (_r, index) => (index === 0 ? [401, { message: 'Invalid credentials.' }] : [500, { exceptionMessage: 'API Login Limit' }]) });
		const wrong = await testCredential('acumaticaApi', credentialsFor('session').acumaticaApi);
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain('Acumatica refused the login (401): Invalid credentials.');
		const limit = await testCredential('acumaticaApi', credentialsFor('session').acumaticaApi);
		expect(limit.status).toBe('Error');
		expect(limit.message).toContain('API login limit reached');
	});

	test('a refused password grant names the Connected Application settings, and never echoes the secrets', async () => {
		acumaticaFake(() => [200, {}], {
			token: () => [400, { error: 'invalid_client', error_description: `bad client secret ${CLIENT_SECRET}` }],
		});
		const result = await testCredential('acumaticaApi', credentialsFor('passwordGrant').acumaticaApi);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Acumatica refused the token request (400): bad client secret ***');
		expect(result.message).not.toContain(CLIENT_SECRET);
	});

	test('the password is never sent over plain http to another machine', async () => {
		const fake = acumaticaFake(() => [200, {}]);
		const result = await testCredential('acumaticaApi', credentialsFor('session', { instanceUrl: 'http://erp.example.com/AcumaticaERP' }).acumaticaApi);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('is not usable');
		expect(fake.received).toHaveLength(0);
		expect(HOST.startsWith('https://')).toBe(true);
	});
});

describe('Acumatica OAuth2 API credential', () => {
	test('URLs derive from the instance URL; scopes api offline_access', async () => {
		const { AcumaticaOAuth2Api } = await import('../../credentials/AcumaticaOAuth2Api.credentials');
		const type = new AcumaticaOAuth2Api();
		const byName = Object.fromEntries(type.properties.map((p) => [p.name, p.default]));
		expect(type.extends).toEqual(['oAuth2Api']);
		expect(byName.grantType).toBe('authorizationCode');
		expect(byName.scope).toBe('api offline_access');
		expect(byName.authUrl).toBe('={{$self["instanceUrl"].trim().replace(/\\/+$/, "")}}/identity/connect/authorize');
		expect(byName.accessTokenUrl).toBe('={{$self["instanceUrl"].trim().replace(/\\/+$/, "")}}/identity/connect/token');
		// The tenant is chosen by the Client ID's @Tenant suffix; a Tenant field would do nothing.
		expect(Object.keys(byName)).not.toContain('tenant');
		expect(Object.keys(byName)).toEqual(expect.arrayContaining(['instanceUrl', 'endpointName', 'endpointVersion', 'branch', 'clientId', 'clientSecret']));
	});

	test('its test reads one Contact of the endpoint with the Bearer token', async () => {
		const fake = acumaticaFake(() => [200, [{ id: 'c1', ContactID: { value: 1 } }]]);
		const result = await testCredential('acumaticaOAuth2Api', credentialsFor('oAuth2').acumaticaOAuth2Api);
		expect(result.status).toBe('OK');
		expect(fake.received.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['GET', `${ENDPOINT}/Contact?%24top=1&%24select=ContactID`, `Bearer ${OAUTH_ACCESS}`],
		]);
		expect(INSTANCE).toBe(`${HOST}/AcumaticaERP`);
	});
});
