import nock from 'nock';

import { testCredential } from '../harness/credential-test';

const KEY = 'cred-test-key-0a9b8c';

describe('Omnisend API credential test', () => {
	test('a key Omnisend accepts passes, checked with GET /contacts?limit=1 and the X-API-KEY header', async () => {
		const scope = nock('https://api.omnisend.com')
			.get('/v5/contacts')
			.query({ limit: '1' })
			.matchHeader('x-api-key', KEY)
			.reply(200, { contacts: [], paging: {} });
		await expect(testCredential('omnisendApi', { apiKey: KEY })).resolves.toEqual({
			status: 'OK',
			message: 'Connection tested successfully',
		});
		expect(scope.isDone()).toBe(true);
	});

	test('a rejected key fails with what to do', async () => {
		nock('https://api.omnisend.com').get('/v5/contacts').query(true).reply(401, { error: 'unauthorized' });
		const result = await testCredential('omnisendApi', { apiKey: 'wrong' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the API key/);
	});

	test('a key without contact permissions fails naming the permissions to grant', async () => {
		nock('https://api.omnisend.com').get('/v5/contacts').query(true).reply(403, { error: 'forbidden' });
		const result = await testCredential('omnisendApi', { apiKey: KEY });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/Contacts \(read and write\)/) });
	});

	test('the base URL can point at a sandbox, with or without a trailing slash', async () => {
		const scope = nock('http://127.0.0.1:4010')
			.get('/v5/contacts')
			.query({ limit: '1' })
			.matchHeader('x-api-key', KEY)
			.reply(200, { contacts: [] });
		const result = await testCredential('omnisendApi', { apiKey: KEY, baseUrl: 'http://127.0.0.1:4010/v5/' });
		expect(result.status).toBe('OK');
		expect(scope.isDone()).toBe(true);
	});

	test('the key is never sent in clear over a network: an http Base URL other than localhost fails the test, no request made', async () => {
		const scope = nock('http://api.example.com').get(/.*/).reply(200, { contacts: [] });
		const result = await testCredential('omnisendApi', { apiKey: KEY, baseUrl: 'http://api.example.com/v5' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/only sent over https \(or http to localhost\)/);
		expect(scope.isDone()).toBe(false);
	});
});
