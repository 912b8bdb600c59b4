import nock from 'nock';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { OmnisendApi } from '../../credentials/OmnisendApi.credentials';
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

describe('Omnisend API credential: authenticate', () => {
	const REFUSED = 'The Omnisend API key is only sent over https (or http to localhost); fix the Base URL in the credential';
	/** n8n passes `url` (+ `baseURL`) or, on its legacy request path, `uri`: the options are given as n8n would. */
	const authenticate = async (options: object) =>
		await new OmnisendApi().authenticate({ apiKey: 'k' }, options as IHttpRequestOptions);

	test('an https URL gets the X-API-KEY header; the other options and headers are kept, the given object is not changed', async () => {
		const options = {
			url: 'https://api.omnisend.com/v5/events',
			method: 'POST',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			body: '{}',
		};
		await expect(authenticate(options)).resolves.toEqual({
			url: 'https://api.omnisend.com/v5/events',
			method: 'POST',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-API-KEY': 'k' },
			body: '{}',
		});
		expect(options.headers).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json' });
	});

	test('a relative url is resolved against baseURL: http to 127.0.0.1 is allowed', async () => {
		await expect(authenticate({ baseURL: 'http://127.0.0.1:4010/v5/', url: '/contacts' })).resolves.toEqual({
			baseURL: 'http://127.0.0.1:4010/v5/',
			url: '/contacts',
			headers: { 'X-API-KEY': 'k' },
		});
	});

	test.each([['http://localhost:5678/v5/contacts'], ['http://127.1.2.3/v5/contacts'], ['http://[::1]:4010/v5/contacts']])(
		'http on this machine (%s) is allowed',
		async (url) => {
			await expect(authenticate({ url })).resolves.toEqual({ url, headers: { 'X-API-KEY': 'k' } });
		},
	);

	test('the legacy `uri` option is read when there is no url', async () => {
		await expect(authenticate({ uri: 'https://api.omnisend.com/v5/x' })).resolves.toEqual({
			uri: 'https://api.omnisend.com/v5/x',
			headers: { 'X-API-KEY': 'k' },
		});
	});

	test.each([
		['an absolute http url to another host wins over a localhost baseURL', { baseURL: 'http://localhost:1/v5', url: 'http://evil.example/x' }],
		['http to a host that is not this machine', { url: 'http://api.example.com/v5' }],
		['no url at all', {}],
		['a relative url without a baseURL', { url: '/contacts' }],
		['another scheme', { url: 'ftp://api.omnisend.com/v5' }],
	])('%s is refused, and no key is added', async (_what, options) => {
		await expect(authenticate(options)).rejects.toThrow(new Error(REFUSED));
	});
});
