import { CAMPAIGN_ID, CREDENTIAL_DATA, CLIENT_ID, CLIENT_SECRET, expectApiRequest, expectTokenRequest, isTokenRequest, LIMIT_HEADER, runSalesforce, salesforceFake, tokenAnswer, TOKEN_1, TOKEN_2, V, STORED, storedToken } from './fixtures';

const campaignRecord = { attributes: { type: 'Campaign', url: `${V}/sobjects/Campaign/${CAMPAIGN_ID}` }, Id: CAMPAIGN_ID, Name: 'Q1', Status: 'Planned' };
const getCampaign = { resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: CAMPAIGN_ID }, fields: 'Name,Status' };
const getCampaignPath = `${V}/sobjects/Campaign/${CAMPAIGN_ID}?fields=Name%2CStatus`;
const invalidSession = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

describe('client credentials token flow', () => {
	test('no token stored: one token request, then the API call with the bearer token on the instance URL', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer() : [200, campaignRecord, LIMIT_HEADER]));
		const { items, error, credentialsHelper } = await runSalesforce(getCampaign);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expectTokenRequest(received[0]);
		expectApiRequest(received[1], 'GET', getCampaignPath, undefined, TOKEN_1);
		expect(items).toEqual([{ json: { ...campaignRecord, _salesforce: { apiUsage: { used: 18, max: 15000 } } }, pairedItem: { item: 0 } }]);
		expect(credentialsHelper.preAuthenticationCalls).toEqual(['salesforceClientCredentialsApi']);
	});

	test('one token serves every item of the execution, even with concurrent requests', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer() : [200, campaignRecord]));
		const { items, error } = await runSalesforce({ ...getCampaign, requestOptions: { concurrency: 4 } }, [{}, {}, {}, {}, {}]);
		expect(error).toBeUndefined();
		expect(received.filter(isTokenRequest)).toHaveLength(1);
		expect(received[0].path).toBe('/services/oauth2/token');
		const api = received.filter((request) => !isTokenRequest(request));
		expect(api).toHaveLength(5);
		for (const request of api) expectApiRequest(request, 'GET', getCampaignPath, undefined, TOKEN_1);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});

	test('a stored token is used as is: no token request', async () => {
		const { received } = salesforceFake(() => [200, campaignRecord]);
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: storedToken(TOKEN_2) });
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectApiRequest(received[0], 'GET', getCampaignPath, undefined, TOKEN_2);
	});

	test('401 INVALID_SESSION_ID: a new token and exactly one retry with it', async () => {
		const { received } = salesforceFake((request, index) => {
			if (isTokenRequest(request)) return tokenAnswer(TOKEN_2);
			return index === 0 ? [401, invalidSession] : [200, campaignRecord, LIMIT_HEADER];
		});
		const { items, error, credentialsHelper } = await runSalesforce(getCampaign, [{}], {
			credentials: STORED,
		});
		expect(error).toBeUndefined();
		expect(received).toHaveLength(3);
		expectApiRequest(received[0], 'GET', getCampaignPath, undefined, TOKEN_1);
		expectTokenRequest(received[1]);
		expectApiRequest(received[2], 'GET', getCampaignPath, undefined, TOKEN_2);
		expect(credentialsHelper.preAuthenticationCalls).toEqual(['salesforceClientCredentialsApi']);
		expect(items[0].json.Id).toBe(CAMPAIGN_ID);
	});

	test('a write is retried once after INVALID_SESSION_ID too (Salesforce did nothing with it), with the same body', async () => {
		const { received } = salesforceFake((request, index) => {
			if (isTokenRequest(request)) return tokenAnswer(TOKEN_2);
			return index === 0 ? [401, invalidSession] : [204];
		});
		const { error } = await runSalesforce(
			{ resource: 'campaign', operation: 'update', campaignId: { __rl: true, mode: 'id', value: CAMPAIGN_ID }, status: 'Completed' },
			[{}],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(3);
		expectApiRequest(received[0], 'PATCH', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`, '{"Status":"Completed"}', TOKEN_1);
		expectApiRequest(received[2], 'PATCH', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`, '{"Status":"Completed"}', TOKEN_2);
	});

	test('401 then 503: a read is refreshed once by n8n and retried by the node with the stored new token (one token request)', async () => {
		const { received } = salesforceFake((request, index) => {
			if (isTokenRequest(request)) return tokenAnswer(TOKEN_2);
			if (index === 0) return [401, invalidSession];
			return index === 2 ? [503, 'busy'] : [200, campaignRecord];
		});
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: STORED });
		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual([getCampaignPath, '/services/oauth2/token', getCampaignPath, getCampaignPath]);
		expect(received.slice(2).map((request) => request.headers.authorization)).toEqual([`Bearer ${TOKEN_2}`, `Bearer ${TOKEN_2}`]);
	});

	test('401 then 503 on a create: the refresh retry is the only repeat (a create is never retried after a 5xx)', async () => {
		const { received } = salesforceFake((request, index) => {
			if (isTokenRequest(request)) return tokenAnswer(TOKEN_2);
			return index === 0 ? [401, invalidSession] : [503, 'busy'];
		});
		const { error } = await runSalesforce(
			{ resource: 'record', operation: 'create', sobject: { __rl: true, mode: 'name', value: 'Lead' }, fieldsInput: 'json', fieldsJson: '{"LastName":"Doe","Company":"Acme"}' },
			[{}],
			{ credentials: STORED },
		);
		expect(received.map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${V}/sobjects/Lead`, 'POST /services/oauth2/token', `POST ${V}/sobjects/Lead`]);
		expect(error?.message).toBe('Salesforce answered 503: busy');
		expect((error as { description?: string }).description).toContain('it may or may not have been applied');
	});

	test('a second 401 after the new token fails clearly, without a third attempt', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_2) : [401, invalidSession]));
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: STORED });
		expect(received.map((request) => request.path)).toEqual([getCampaignPath, '/services/oauth2/token', getCampaignPath]);
		expect(error?.message).toBe('Salesforce answered 401: INVALID_SESSION_ID: Session expired or invalid');
		expect((error as { description?: string }).description).toContain('a freshly issued one too');
		expect((error as { httpCode?: string }).httpCode).toBe('401');
	});

	test('sandbox My Domain (typed without https://): token from the sandbox host, API on its instance_url', async () => {
		const sandbox = 'https://acme--uat.sandbox.my.salesforce.com';
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_1, sandbox) : [200, campaignRecord]), [sandbox]);
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: { myDomainUrl: 'acme--uat.sandbox.my.salesforce.com/' } });
		expect(error).toBeUndefined();
		expectTokenRequest(received[0], 'acme--uat.sandbox.my.salesforce.com');
		expect(received[1].host).toBe('acme--uat.sandbox.my.salesforce.com');
		expectApiRequest(received[1], 'GET', getCampaignPath);
	});

	test('custom domain: the token comes from it, the API calls go to the instance_url Salesforce names', async () => {
		const custom = 'https://crm.acme-corp.example';
		const { received } = salesforceFake(
			(request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_1, 'https://acme.my.salesforce.com') : [200, campaignRecord]),
			[custom, 'https://acme.my.salesforce.com'],
		);
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: { myDomainUrl: custom } });
		expect(error).toBeUndefined();
		expectTokenRequest(received[0], 'crm.acme-corp.example');
		expect(received[1].host).toBe('acme.my.salesforce.com');
		expectApiRequest(received[1], 'GET', getCampaignPath);
	});

	test('client id and secret as HTTP Basic when chosen: only the grant type in the body', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer() : [200, campaignRecord]));
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: { clientAuthentication: 'header' } });
		expect(error).toBeUndefined();
		expect(received[0].rawBody).toBe('grant_type=client_credentials');
		expect(received[0].headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
	});

	test.each([
		['https://login.salesforce.com', 'login.salesforce.com does not serve the client credentials flow'],
		['http://acme.my.salesforce.com', 'The My Domain URL must use https (got http)'],
		['not a url at all', 'The My Domain URL "not a url at all" is not a URL'],
		['', 'The My Domain URL is empty'],
	])('My Domain %j is refused before anything is sent', async (myDomainUrl, message) => {
		const { received } = salesforceFake(() => [500], ['https://acme.my.salesforce.com', 'https://login.salesforce.com', 'http://acme.my.salesforce.com']);
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: { myDomainUrl } });
		expect(received).toHaveLength(0);
		expect(error?.message).toBe(message);
		expect((error as { description?: string }).description).toBeTruthy();
	});

	test('the token endpoint refuses the client: a clear error with Salesforce\'s OAuth code, no API call', async () => {
		const { received } = salesforceFake(() => [400, { error: 'invalid_client', error_description: 'invalid client credentials' }]);
		const { error } = await runSalesforce(getCampaign);
		expect(received).toHaveLength(1);
		expectTokenRequest(received[0]);
		expect(error?.message).toBe('Salesforce refused the token request (400 invalid_client: invalid client credentials)');
		expect((error as { description?: string }).description).toContain('Manage Consumer Details');
	});

	test('client credentials flow not enabled for the app', async () => {
		salesforceFake(() => [400, { error: 'invalid_grant', error_description: 'no client credentials user enabled' }]);
		const { error } = await runSalesforce(getCampaign);
		expect(error?.message).toBe('Salesforce refused the token request (400 invalid_grant: no client credentials user enabled)');
		expect((error as { description?: string }).description).toContain('Run As user');
	});

	test('an instance_url on plain http is not trusted with the token', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_1, 'http://evil.example.com') : [200, {}]));
		const { error } = await runSalesforce(getCampaign);
		expect(received).toHaveLength(1);
		expect(error?.message).toBe('Salesforce named an instance_url that is not https (http:)');
	});

	test('My Domain changed after a token was stored (sandbox -> production): the old token goes nowhere, a new one is fetched first', async () => {
		const sandbox = { ...CREDENTIAL_DATA, myDomainUrl: 'https://acme--uat.sandbox.my.salesforce.com' };
		const oldToken = { ...storedToken(TOKEN_1, sandbox), instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' };
		const { received } = salesforceFake(
			(request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_2) : [200, campaignRecord]),
			['https://acme.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com'],
		);
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: oldToken });
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expectTokenRequest(received[0], 'acme.my.salesforce.com');
		expect(received[1].host).toBe('acme.my.salesforce.com');
		expectApiRequest(received[1], 'GET', getCampaignPath, undefined, TOKEN_2);
		expect(received.some((request) => request.headers.authorization === `Bearer ${TOKEN_1}`)).toBe(false);
	});

	test('consumer secret changed after a token was stored: a new token is fetched with the new secret', async () => {
		const { received } = salesforceFake((request) => (isTokenRequest(request) ? tokenAnswer(TOKEN_2) : [200, campaignRecord]));
		const { error } = await runSalesforce(getCampaign, [{}], { credentials: { ...STORED, clientSecret: 'rotated-secret-9d8c7b6a' } });
		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/services/oauth2/token', getCampaignPath]);
		expect(received[0].rawBody).toBe(`grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=rotated-secret-9d8c7b6a`);
		expect(received[1].headers.authorization).toBe(`Bearer ${TOKEN_2}`);
	});
});
