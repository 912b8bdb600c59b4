import type { INodeParameters } from 'n8n-workflow';

import { runWorkflow, when } from '../harness/run-workflow';
import type { Mode } from './fixtures';
import {
	acumaticaFake,
	acumaticaWorkflow,
	credentialsFor,
	ENDPOINT,
	expectAuthenticated,
	expectErrorItem,
	OAUTH_REFRESH,
	runAcumatica,
	TOKEN_MARK,
	wait,
} from './fixtures';

const put = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'record',
	operation: 'createOrUpdate',
	entity: { __rl: true, mode: 'name', value: 'Contact' },
	record: '={{ JSON.stringify({ Email: $json.email }) }}',
	requestOptions: { concurrency: 3, rateLimitRetries: 2, serverErrorRetries: 2 },
	...parameters,
});
const emails = (count: number) => Array.from({ length: count }, (_, index) => ({ email: `p${index}@example.com` }));

/** Answers late, and counts how many requests are in flight at once. */
function slowEcho() {
	let inFlight = 0;
	let maxInFlight = 0;
	const fake = acumaticaFake(async (request) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		await wait(15);
		inFlight--;
		return [200, { id: `id-${(request.body as { Email: { value: string } }).Email.value}`, ...(request.body as object) }];
	});
	return { fake, maxInFlight: () => maxInFlight };
}

describe('one session or token per execution', () => {
	test('session: 7 items, concurrency 3 → one login, every request in that session, one logout at the end', async () => {
		const { fake, maxInFlight } = slowEcho();
		const { items, error } = await runAcumatica(put(), emails(7));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.Email)).toEqual(emails(7).map((e) => e.email));
		expect(items.map((item) => item.pairedItem)).toEqual(emails(7).map((_, item) => ({ item })));
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);
		expect(new Set(fake.entity.map((r) => r.headers.cookie)).size).toBe(1);
		expect(fake.entity).toHaveLength(7);
		expect(fake.received[0]).toBe(fake.logins[0]);
		expect(fake.received[8]).toBe(fake.logouts[0]);
		expect(maxInFlight()).toBeLessThanOrEqual(3);
		expect(maxInFlight()).toBeGreaterThan(1);
		expect(fake.liveSessions()).toBe(0);
	});

	test('password grant: 7 items, concurrency 3 → one token request, shared by all', async () => {
		const { fake } = slowEcho();
		const { error } = await runAcumatica(put(), emails(7), { mode: 'passwordGrant' });
		expect(error).toBeUndefined();
		expect(fake.tokens).toHaveLength(1);
		expect(new Set(fake.entity.map((r) => r.headers.authorization))).toEqual(new Set([`Bearer tok-${TOKEN_MARK}-1`]));
		expect(fake.logins).toHaveLength(0);
	});

	test('password grant: a stored, still valid token is used without asking for a new one', async () => {
		const fake = acumaticaFake((request) => [200, request.body]);
		fake.validTokens.add(`tok-${TOKEN_MARK}-stored`);
		await runAcumatica(put(), emails(2), { mode: 'passwordGrant', credentials: credentialsFor('passwordGrant', { accessToken: `tok-${TOKEN_MARK}-stored` }) });
		expect(fake.tokens).toHaveLength(0);
		expect(fake.entity.map((r) => r.headers.authorization)).toEqual([`Bearer tok-${TOKEN_MARK}-stored`, `Bearer tok-${TOKEN_MARK}-stored`]);
	});

	test('session: a stored (old) session value is never reused; every execution logs in afresh', async () => {
		const fake = acumaticaFake((request) => [200, request.body]);
		await runAcumatica(put(), emails(1), { credentials: credentialsFor('session', { accessToken: '.ASPXAUTH=stale' }) });
		expect(fake.logins).toHaveLength(1);
		expect(fake.entity[0].headers.cookie).not.toContain('stale');
		expect(fake.logouts).toHaveLength(1);
	});

	test('session: the cookie is not saved into the stored credential (no credential write per execution); a token is', async () => {
		const fake = acumaticaFake((request) => [200, request.body]);
		const credentials = credentialsFor('session');
		const session = await runAcumatica(put(), emails(2), { credentials });
		expect(fake.logins).toHaveLength(1);
		expect(session.credentialsHelper.preAuthenticationCalls).toEqual([]);
		expect(credentials.acumaticaApi.accessToken).toBeUndefined();
		const grant = await runAcumatica(put(), emails(2), { mode: 'passwordGrant' });
		expect(grant.error).toBeUndefined();
		expect(grant.credentialsHelper.preAuthenticationCalls).toEqual(['acumaticaApi']);
	});

	test('session: an item failure without continueOnFail still logs out (logins = logouts = 1)', async () => {
		const fake = acumaticaFake((request, index) => (index === 1 ? [422, { Email: { value: 'x', error: 'bad' } }] : [200, request.body]));
		const { error } = await runAcumatica(put({ requestOptions: { concurrency: 1 } }), emails(3));
		expect(error?.message).toBe('Acumatica refused the record (422): Email: bad');
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);
		expect(fake.entity).toHaveLength(2);
		expect(fake.liveSessions()).toBe(0);
	});

	test('session: with continueOnFail the failed item becomes an error item, the rest go through, one logout', async () => {
		const fake = acumaticaFake((request, index) => (index === 1 ? [422, { Email: { value: 'x', error: 'bad' } }] : [200, request.body]));
		const { items } = await runAcumatica(put({ requestOptions: { concurrency: 1 } }), emails(3), { continueOnFail: true });
		expect(items[0].json).toEqual({ Email: 'p0@example.com' });
		expectErrorItem(items[1], 1, 'Acumatica refused the record (422): Email: bad');
		expect(items[2].json).toEqual({ Email: 'p2@example.com' });
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);
	});

	test('session: the node throwing on bad input after a request still logs out; bad input first means no login at all', async () => {
		const fake = acumaticaFake((request) => [200, request.body]);
		const parameters = put({ record: '={{ $json.raw }}', requestOptions: { concurrency: 1 } });
		const thrown = await runAcumatica(parameters, [{ raw: '{"Email":"a@b.c"}' }, { raw: '{not json' }]);
		expect(thrown.error?.message).toBe('Record (JSON) is not valid JSON (item 1)');
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);

		const first = await runAcumatica(parameters, [{ raw: '{not json' }]);
		expect(first.error?.message).toBe('Record (JSON) is not valid JSON (item 0)');
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);
	});

	test('session: stopping the execution mid-request still logs out', async () => {
		const fake = acumaticaFake(async (request) => {
			await wait(400);
			return [200, request.body];
		});
		await runWorkflow(acumaticaWorkflow(put(), 'session'), {
			credentials: credentialsFor('session'),
			input: emails(2),
			cancelWhen: when(() => fake.entity.length > 0),
		});
		for (let tries = 0; tries < 100 && fake.logouts.length === 0; tries++) await wait(20);
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);
		expect(fake.logouts[0].headers.cookie).toBe(fake.entity[0].headers.cookie);
	});

	test('session: after a stop nothing is retried or started (continueOnFail, retryable reads): the logout follows at once', async () => {
		const fake = acumaticaFake(async (request) => {
			await wait(400);
			return [200, { id: request.path.split('/').pop() }];
		});
		const get = {
			resource: 'record',
			operation: 'get',
			entity: { __rl: true, mode: 'name', value: 'Contact' },
			by: 'id',
			id: '={{ $json.email }}',
			requestOptions: { concurrency: 1, serverErrorRetries: 3 },
		};
		await runWorkflow(acumaticaWorkflow(get, 'session', { continueOnFail: true }), {
			credentials: credentialsFor('session'),
			input: emails(6),
			cancelWhen: when(() => fake.entity.length > 0),
		});
		// Without the stop check every item would back off 2 + 4 + 8 s before giving up, holding the seat.
		for (let tries = 0; tries < 100 && fake.logouts.length === 0; tries++) await wait(20);
		expect(fake.logins).toHaveLength(1);
		expect(fake.entity).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);
	});
});

describe('401: sign in again once, then retry once', () => {
	test('session expired mid-run: all concurrent items share ONE new login, every item succeeds, the new session is logged out', async () => {
		let expired = false;
		const fake = acumaticaFake(async (request, index) => {
			await wait(10);
			if (index === 0 && !expired) {
				expired = true;
				fake.expireAll();
			}
			return [200, request.body];
		});
		const { items, error } = await runAcumatica(put(), emails(6));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.Email)).toEqual(emails(6).map((e) => e.email));
		expect(fake.logins).toHaveLength(2);
		// The expired session is logged out before the new login (harmless if it is gone), the new one at the end.
		expect(fake.logouts).toHaveLength(2);
		expect(fake.logouts[0].headers.cookie).toContain('-1;');
		expect(fake.logouts[1].headers.cookie).toContain('-2;');
		expect(fake.received.indexOf(fake.logouts[0])).toBeLessThan(fake.received.indexOf(fake.logins[1]));
		expect(fake.liveSessions()).toBe(0);
	});

	test('a late answer of the old session renewing its cookie does not spoil the new session (its logout still works)', async () => {
		const fake = acumaticaFake(async (request, index) => {
			if (index === 1) {
				await wait(150);
				return [200, request.body, { 'Set-Cookie': ['.ASPXAUTH=renewed-old-session; path=/; HttpOnly'] }];
			}
			if (index === 2) fake.expireAll();
			return [200, request.body];
		});
		const { items, error } = await runAcumatica(put(), emails(4));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		// Item 3 met the expired session and signed in again while item 1 was still out.
		expect(fake.received.indexOf(fake.logins[1])).toBeLessThan(fake.received.length - 2);
		expect(fake.logins).toHaveLength(2);
		expect(fake.logouts).toHaveLength(2);
		expect(fake.logouts[1].headers.cookie).toContain('-2;');
		expect(fake.liveSessions()).toBe(0);
	});

	test('a late 401 of the old session, arriving after the new login, does not end the new session', async () => {
		const fake = acumaticaFake(async (request, index) => {
			if (index === 1) {
				await wait(150);
				return [401, { message: 'You are not logged in.' }];
			}
			if (index === 2) fake.expireAll();
			return [200, request.body];
		});
		const { items, error } = await runAcumatica(put(), emails(4));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.Email)).toEqual(emails(4).map((e) => e.email));
		expect(fake.logins).toHaveLength(2);
		expect(fake.logouts).toHaveLength(2);
		expect(fake.entity.at(-1)?.headers.cookie).toContain('-2;');
		expect(fake.liveSessions()).toBe(0);
	});

	test('password grant: a refused token is replaced once and the request sent again', async () => {
		const fake = acumaticaFake((request) => [200, request.body]);
		fake.validTokens.add(`tok-${TOKEN_MARK}-old`);
		const credentials = credentialsFor('passwordGrant', { accessToken: `tok-${TOKEN_MARK}-old` });
		fake.validTokens.delete(`tok-${TOKEN_MARK}-old`);
		const { items } = await runAcumatica(put(), emails(1), { mode: 'passwordGrant', credentials });
		expect(fake.entity.map((r) => r.headers.authorization)).toEqual([`Bearer tok-${TOKEN_MARK}-old`, `Bearer tok-${TOKEN_MARK}-1`]);
		expect(fake.tokens).toHaveLength(1);
		expect(items[0].json).toEqual({ Email: 'p0@example.com' });
	});

	test('OAuth2 authorization code: a 401 refreshes the token through n8n (refresh_token grant) and retries', async () => {
		const fake = acumaticaFake((request) => [200, request.body], {
			token: () => [200, { access_token: `oauth-access-${TOKEN_MARK}-2`, refresh_token: 'oauth-refresh-2', token_type: 'Bearer', expires_in: 3600 }],
		});
		fake.expireAll();
		fake.validTokens.add(`oauth-access-${TOKEN_MARK}-2`);
		const result = await runAcumatica(put(), emails(1), { mode: 'oAuth2' });
		expect(result.error).toBeUndefined();
		expect(fake.entity.map((r) => r.headers.authorization)).toEqual([`Bearer oauth-access-${TOKEN_MARK}-1`, `Bearer oauth-access-${TOKEN_MARK}-2`]);
		expect(fake.entity[1].rawBody).toBe(fake.entity[0].rawBody);
		expect(fake.tokens).toHaveLength(1);
		expect(new URLSearchParams(fake.tokens[0].rawBody).get('grant_type')).toBe('refresh_token');
		expect(new URLSearchParams(fake.tokens[0].rawBody).get('refresh_token')).toBe(OAUTH_REFRESH);
		expect(result.items[0].json).toEqual({ Email: 'p0@example.com' });
	});

	test('OAuth2: a refused refresh (revoked grant) tells the user to reconnect the credential', async () => {
		const fake = acumaticaFake(() => [200, {}], { token: () => [400, { error: 'invalid_grant' }] });
		fake.expireAll();
		const { items } = await runAcumatica(put(), emails(1), { mode: 'oAuth2', continueOnFail: true });
		expect(fake.tokens).toHaveLength(1);
		expectErrorItem(items[0], 0, 'The credential "Acumatica account" needs to be reconnected.');
	});

	test('OAuth2: error answers keep their body (422 fields listed)', async () => {
		acumaticaFake(() => [422, { Email: { value: 'x', error: 'Invalid e-mail.' }, LastName: { error: 'Required.' } }]);
		const { items } = await runAcumatica(put(), emails(1), { mode: 'oAuth2', continueOnFail: true });
		expectErrorItem(items[0], 0, 'Acumatica refused the record (422): Email: Invalid e-mail.; LastName: Required.');
	});

	test('refused again after signing in again: the item fails with what to check; both sessions logged out', async () => {
		const fake = acumaticaFake(() => [401, { message: 'You are not logged in.' }]);
		const { items } = await runAcumatica(put(), emails(1), { continueOnFail: true });
		expect(fake.logins).toHaveLength(2);
		expect(fake.entity).toHaveLength(2);
		expectErrorItem(items[0], 0, 'Acumatica did not accept the PUT request even after signing in again (401)');
		expect(fake.logouts).toHaveLength(2);
		expect(fake.liveSessions()).toBe(0);
	});

	test('401 on every request of many items: one new login only (the new session never worked), logins = logouts', async () => {
		const fake = acumaticaFake(() => [401, { message: 'You are not logged in.' }]);
		const { items } = await runAcumatica(put({ requestOptions: { concurrency: 1 } }), emails(4), { continueOnFail: true });
		expect(fake.logins).toHaveLength(2);
		expect(fake.logouts).toHaveLength(2);
		expect(fake.liveSessions()).toBe(0);
		expect(fake.entity).toHaveLength(5);
		expect(items).toHaveLength(4);
		items.forEach((item, index) => expectErrorItem(item, index, /\(401\)$/));
	});
});

describe('errors Acumatica reports', () => {
	test('422 with several field errors becomes ONE error listing every field, not retried', async () => {
		const fake = acumaticaFake(() => [
			422,
			{
				id: 'c-1',
				Email: { value: 'not-an-email', error: "'Email' is not a valid e-mail address." },
				LastName: { error: "'Last Name' cannot be empty." },
				Address: { Country: { value: 'XX', error: "'Country' cannot be found in the system." } },
				FirstName: { value: 'Ann' },
			},
		]);
		const { items } = await runAcumatica(put(), emails(1), { continueOnFail: true });
		expect(fake.entity).toHaveLength(1);
		expectErrorItem(
			items[0],
			0,
			"Acumatica refused the record (422): Email: 'Email' is not a valid e-mail address.; LastName: 'Last Name' cannot be empty.; Address.Country: 'Country' cannot be found in the system.",
		);
		expect(items[0].json.details).toEqual({
			httpCode: '422',
			description: 'Acumatica validated the record and refused it. Fix the fields listed; sending it again unchanged fails the same way.',
		});
	});

	test('429 is retried after Retry-After (declined, so safe even for a create); the retry succeeds', async () => {
		const fake = acumaticaFake((request, index) => (index === 0 ? [429, { message: 'The number of requests has exceeded the limit imposed by the license.' }, { 'Retry-After': '0' }] : [200, request.body]));
		const { items } = await runAcumatica(put(), emails(1));
		expect(fake.entity.map((r) => r.method)).toEqual(['PUT', 'PUT']);
		expect(fake.entity[1].rawBody).toBe(fake.entity[0].rawBody);
		expect(items[0].json).toEqual({ Email: 'p0@example.com' });
	});

	test('429 until retries run out: a clear explanation of the licence limits and what to do', async () => {
		const fake = acumaticaFake(() => [429, { message: 'The number of requests has exceeded the limit imposed by the license.' }, { 'Retry-After': '0' }]);
		const { items } = await runAcumatica(put({ requestOptions: { rateLimitRetries: 1 } }), emails(1), { continueOnFail: true });
		expect(fake.entity).toHaveLength(2);
		expectErrorItem(items[0], 0, 'Acumatica declined the request: licence request limit exceeded (429) (after 2 attempts)');
		expect(items[0].json.details).toEqual({
			httpCode: '429',
			description: expect.stringMatching(/more than 20 requests queued.*SM604000.*Lower the node's Concurrency/),
		});
	});

	test('API login limit at login: one login attempt, every item fails with the explanation, nothing to log out', async () => {
		const fake = acumaticaFake(() => [200, {}], {
			login: () => [500, { message: 'An error has occurred.', exceptionMessage: 'API Login Limit', exceptionType: 'PX.Data.PXException' }],
		});
		const { items } = await runAcumatica(put(), emails(3), { continueOnFail: true });
		expect(fake.logins).toHaveLength(1);
		expect(fake.entity).toHaveLength(0);
		expect(fake.logouts).toHaveLength(0);
		expect(items).toHaveLength(3);
		items.forEach((item, index) => expectErrorItem(item, index, 'Acumatica refused the login: API login limit reached (API Login Limit)'));
		expect(String((items[0].json.details as { description: string }).description)).toMatch(
			/"Web Services API Users" seat.*about 10 minutes.*SM604000/,
		);
	});

	test('429 at login is the request limit, not the API-user seats: said so, the login not repeated, nothing to log out', async () => {
		const fake = acumaticaFake(() => [200, {}], {
			login: () => [429, { message: 'The number of requests has exceeded the limit imposed by the license.' }],
		});
		const { error } = await runAcumatica(put(), emails(2));
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(0);
		expect(error?.message).toBe('Acumatica declined the login: licence request limit exceeded (429)');
		expect((error as { description?: string }).description).toMatch(/request limits.*Lower the node's Concurrency/);
	});

	test('a wrong password: the login error names what to check, once for all items', async () => {
		const fake = acumaticaFake(() => [200, {}], { login: () => [401, { message: 'Invalid credentials. Please try again.' }] });
		const { error } = await runAcumatica(put(), emails(2));
		expect(fake.logins).toHaveLength(1);
		expect(error?.message).toBe('Acumatica refused the login (401): Invalid credentials. Please try again.');
		expect((error as { description?: string }).description).toMatch(/user name, password and tenant/);
	});

	test('API login limit reported on a request: explained, not retried', async () => {
		const fake = acumaticaFake(() => [500, { message: 'An error has occurred.', exceptionMessage: 'API Login Limit' }]);
		const { items } = await runAcumatica(put({ operation: 'get', by: 'id', id: 'x' }), [{}], { continueOnFail: true });
		expect(fake.entity).toHaveLength(1);
		expectErrorItem(items[0], 0, 'Acumatica refused the request: API login limit reached (An error has occurred. API Login Limit)');
	});

	test('5xx: a read is retried, a create (PUT without id) is not', async () => {
		const fake = acumaticaFake((request, index) => (index < 1 || request.method === 'PUT' ? [503, 'Service Unavailable'] : [200, { id: 'x' }]));
		const read = await runAcumatica(put({ operation: 'get', by: 'id', id: 'x', requestOptions: { serverErrorRetries: 1 } }), [{}]);
		expect(read.items[0].json).toEqual({ id: 'x' });
		expect(fake.entity.map((r) => r.method)).toEqual(['GET', 'GET']);
		const create = await runAcumatica(put({ requestOptions: { serverErrorRetries: 3 } }), emails(1), { continueOnFail: true });
		expect(fake.entity.map((r) => r.method)).toEqual(['GET', 'GET', 'PUT']);
		expectErrorItem(create.items[0], 0, 'Acumatica failed with 503: Service Unavailable');
	});

	test('400 with ASP.NET modelState: the reasons are in the message', async () => {
		acumaticaFake(() => [400, { message: 'The request is invalid.', modelState: { 'entity.Email': ['Cannot convert value to String.'], '': ['Unexpected token.'] } }]);
		const { items } = await runAcumatica(put(), emails(1), { continueOnFail: true });
		expectErrorItem(items[0], 0, 'Acumatica answered 400: The request is invalid. entity.Email: Cannot convert value to String. Unexpected token.');
	});

	test('404 on a wrong endpoint version says where to look', async () => {
		acumaticaFake(() => [404, '']);
		const { items } = await runAcumatica(put({ operation: 'get', by: 'id', id: 'x' }), [{}], { continueOnFail: true });
		expectErrorItem(items[0], 0, 'Acumatica answered 404');
		expect(String((items[0].json.details as { description: string }).description)).toMatch(/SM207060/);
	});

	test('an http:// instance URL that is not localhost is refused before anything is sent', async () => {
		const fake = acumaticaFake(() => [200, {}]);
		const { error } = await runAcumatica(put(), emails(1), { credentials: credentialsFor('session', { instanceUrl: 'http://erp.example.com' }) });
		expect(error?.message).toBe('The Acumatica credential\'s Instance URL "http://erp.example.com" is not usable');
		expect(fake.received).toHaveLength(0);
	});

	test('the branch goes along as PX-CbApiBranch and into the login body', async () => {
		const fake = acumaticaFake((request) => [200, request.body]);
		await runAcumatica(put(), emails(1), { credentials: credentialsFor('session', { branch: 'HQ' }) });
		expect(JSON.parse(fake.logins[0].rawBody)).toEqual({ name: 'api-user', password: expect.any(String), tenant: 'MyTenant', branch: 'HQ' });
		expect(fake.entity[0].headers['px-cbapibranch']).toBe('HQ');
		expectAuthenticated(fake.entity[0], 'session');
		expect(fake.entity[0].path).toBe(`${ENDPOINT}/Contact`);
	});
});

export type { Mode };
