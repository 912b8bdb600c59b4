import nock from 'nock';

import type { CallOptions, OmnisendHandle, Sandbox } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

const KEY = 'test-omnisend-key';
const INSTANCE = expect.stringMatching(/^urn:omnisend:request:[0-9a-f-]{36}$/);

let sandbox: Sandbox;
let omnisend: OmnisendHandle;
let fetchIt: ReturnType<typeof caller>;

/** A request to the fake Omnisend API with the right key unless headers say otherwise. */
const api = async (method: string, path: string, options: CallOptions = {}) =>
	await fetchIt(`${omnisend.baseUrl}${path}`, { method, ...options, headers: { 'X-API-KEY': KEY, ...(options.headers ?? {}) } });

beforeAll(async () => {
	sandbox = await startSandbox({ services: ['omnisend'], options: { omnisend: { apiKey: KEY } } });
	omnisend = sandbox.services.omnisend;
	fetchIt = caller(sandbox);
});
afterAll(async () => await sandbox.stop());
beforeEach(() => omnisend.reset());

describe('mounting and auth', () => {
	test('the API lives at <url>/v5; info carries baseUrl and apiKey', () => {
		expect(omnisend.baseUrl).toBe(`${omnisend.url}/v5`);
		expect(omnisend.apiKey).toBe(KEY);
	});

	test('the key defaults to sandbox-omnisend-key', async () => {
		const other = await startSandbox({ services: ['omnisend'] });
		try {
			expect(other.services.omnisend.apiKey).toBe('sandbox-omnisend-key');
		} finally {
			await other.stop();
		}
	});

	test('no X-API-KEY: 401 problem body, nothing stored', async () => {
		const answer = await fetchIt(`${omnisend.baseUrl}/events`, { method: 'POST', body: { eventName: 'x', origin: 'api', contact: { email: 'a@b.co' } } });
		expect(answer.status).toBe(401);
		expect(answer.headers['content-type']).toBe('application/problem+json');
		expect(answer.json).toEqual({
			type: 'https://problems.omnisend.com/unauthorized',
			title: 'Unauthorized',
			status: 401,
			detail: 'The X-API-KEY header is missing',
			instance: INSTANCE,
		});
		expect(omnisend.events()).toEqual([]);
		expect(omnisend.requests()[0]).toMatchObject({ method: 'POST', path: '/v5/events', status: 401 });
	});

	test('a wrong key: 401 that does not echo the key', async () => {
		const answer = await api('GET', '/contacts', { headers: { 'X-API-KEY': 'wrong-key-123' } });
		expect(answer.status).toBe(401);
		expect(answer.json).toMatchObject({ status: 401, detail: 'The API key is not valid' });
		expect(answer.text).not.toContain('wrong-key-123');
		expect(answer.text).not.toContain(KEY);
	});

	test('unknown path 404, wrong method 405 with Allow', async () => {
		expect(await api('GET', '/nothing')).toMatchObject({ status: 404, json: { type: 'https://problems.omnisend.com/not-found', status: 404 } });
		const wrong = await api('PUT', '/events', { body: {} });
		expect(wrong).toMatchObject({ status: 405, json: { status: 405, detail: 'PUT is not allowed on /v5/events' } });
		expect(wrong.headers.allow).toBe('POST');
	});
});

describe('POST /v5/events', () => {
	const event = {
		eventName: 'placed order',
		origin: 'api',
		eventVersion: 'v2',
		eventID: '5b7e1f0e-8a61-5b8e-9c3f-0d2a4b6c8e10',
		eventTime: '2026-05-01T10:00:00Z',
		contact: { email: 'Ann@Example.com', firstName: 'Ann' },
		properties: { value: 10 },
	};

	test('a valid event: 202 with an empty body; the event is kept and its contact created', async () => {
		const answer = await api('POST', '/events', { body: event });
		expect(answer.status).toBe(202);
		expect(answer.text).toBe('');
		const [kept] = omnisend.events();
		expect(kept).toEqual({ ...event, receivedAt: expect.any(String), contactID: expect.stringMatching(/^[0-9a-f]{24}$/) });
		expect(omnisend.contacts()).toEqual([
			expect.objectContaining({ contactID: kept.contactID, email: 'ann@example.com', firstName: 'Ann', status: 'nonSubscribed' }),
		]);
	});

	test('without eventName and origin: 400 with both field errors', async () => {
		const answer = await api('POST', '/events', { body: { contact: { email: 'a@b.co' } } });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			type: 'https://problems.omnisend.com/validation-error',
			title: 'Bad Request',
			status: 400,
			detail: 'Request validation failed: eventName: eventName is required; origin: origin is required',
			instance: INSTANCE,
			errors: [
				{ field: 'eventName', code: 'required', message: 'eventName is required' },
				{ field: 'origin', code: 'required', message: 'origin is required' },
			],
		});
		expect(omnisend.events()).toEqual([]);
	});

	test('without contact identifiers: 400', async () => {
		const noContact = await api('POST', '/events', { body: { eventName: 'x', origin: 'api' } });
		expect(noContact.status).toBe(400);
		expect(noContact.json.errors).toEqual([{ field: 'contact', code: 'required', message: 'contact is required (with an email, phone or id)' }]);
		const empty = await api('POST', '/events', { body: { eventName: 'x', origin: 'api', contact: { firstName: 'Ann' } } });
		expect(empty.json.errors).toEqual([{ field: 'contact', code: 'required', message: 'contact needs at least one identifier: email, phone or id' }]);
	});

	test('malformed fields: 400 naming each', async () => {
		const answer = await api('POST', '/events', {
			body: { eventName: 'x', origin: 'api', eventID: 'not-a-uuid', eventTime: 'yesterday', contact: { email: 'nope', phone: '0770', gender: 'x' } },
		});
		expect(answer.status).toBe(400);
		expect(answer.json.errors.map((error: { field: string }) => error.field)).toEqual(['eventID', 'eventTime', 'contact.email', 'contact.phone', 'contact.gender']);
	});

	test('a body that is not JSON: 400 invalid-json; an empty body and a JSON array: 400 too', async () => {
		const notJson = await api('POST', '/events', { body: '{"eventName":', headers: { 'Content-Type': 'application/json' } });
		expect(notJson.status).toBe(400);
		expect(notJson.json).toMatchObject({ type: 'https://problems.omnisend.com/invalid-json', status: 400, detail: expect.stringMatching(/^The request body is not valid JSON: /) });
		expect((await api('POST', '/events')).json).toMatchObject({ status: 400, errors: [{ field: 'body', code: 'required', message: 'body is required' }] });
		expect((await api('POST', '/events', { body: [] })).json).toMatchObject({ status: 400, errors: [{ field: 'body', code: 'invalid_type', message: 'body must be an object' }] });
	});

	test('the space-separated eventTime form is accepted', async () => {
		expect((await api('POST', '/events', { body: { ...event, eventTime: '2021-07-01 10:00:00+02:00' } })).status).toBe(202);
	});
});

describe('contacts', () => {
	const ann = {
		identifiers: [{ type: 'email', id: 'ann@example.com', channels: { email: { status: 'subscribed', statusDate: '2024-05-01T10:00:00Z' } }, sendWelcomeMessage: false }],
		firstName: 'Ann',
		tags: ['vip'],
		customProperties: { plan: 'gold' },
	};

	test('POST /contacts creates (201) and then updates (200) the same contact, keyed by email', async () => {
		const created = await api('POST', '/contacts', { body: ann });
		expect(created.status).toBe(201);
		expect(created.json).toEqual({
			contactID: expect.stringMatching(/^[0-9a-f]{24}$/),
			email: 'ann@example.com',
			firstName: 'Ann',
			identifiers: [{ type: 'email', id: 'ann@example.com', channels: { email: { status: 'subscribed', statusDate: '2024-05-01T10:00:00Z' } } }],
			status: 'subscribed',
			tags: ['vip'],
			customProperties: { plan: 'gold' },
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
		});
		const updated = await api('POST', '/contacts', {
			body: { identifiers: [{ type: 'email', id: 'ANN@example.com' }, { type: 'phone', id: '+447700900123' }], lastName: 'Lee', tags: ['new'] },
		});
		expect(updated.status).toBe(200);
		expect(updated.json).toMatchObject({
			contactID: created.json.contactID,
			email: 'ann@example.com',
			phone: '+447700900123',
			firstName: 'Ann',
			lastName: 'Lee',
			tags: ['new'],
			status: 'subscribed',
		});
		expect(omnisend.contacts()).toHaveLength(1);
	});

	test('a phone-only upsert finds the contact by phone; a phone owned by another contact is silently ignored', async () => {
		const bob = (await api('POST', '/contacts', { body: { identifiers: [{ type: 'phone', id: '+15551234567', channels: { sms: { status: 'unsubscribed' } } }] } })).json;
		expect(bob).toMatchObject({ phone: '+15551234567', status: 'unsubscribed' });
		expect((await api('POST', '/contacts', { body: { identifiers: [{ type: 'phone', id: '+15551234567' }], firstName: 'Bob' } })).status).toBe(200);
		const cy = await api('POST', '/contacts', { body: { identifiers: [{ type: 'email', id: 'cy@example.com' }, { type: 'phone', id: '+15551234567' }] } });
		expect(cy.status).toBe(201);
		expect(cy.json.phone).toBeUndefined();
		expect(cy.json.identifiers).toEqual([{ type: 'email', id: 'cy@example.com', channels: { email: { status: 'nonSubscribed', statusDate: expect.any(String) } } }]);
	});

	test('POST /contacts without identifiers or with bad fields: 400 with every error', async () => {
		const answer = await api('POST', '/contacts', { body: { identifiers: [{ type: 'email', id: 'bad' }, { type: 'fax', id: '1' }], firstName: 'x'.repeat(51), birthdate: '2020-13-45' } });
		expect(answer.status).toBe(400);
		expect(answer.json.errors).toEqual([
			{ field: 'identifiers[0].id', code: 'invalid_format', message: 'id must be a valid email address' },
			{ field: 'identifiers[1].type', code: 'invalid_value', message: 'type must be "email" or "phone"' },
			{ field: 'firstName', code: 'too_long', message: 'firstName must be at most 50 characters' },
			{ field: 'birthdate', code: 'invalid_format', message: 'birthdate must be YYYY-MM-DD' },
		]);
		expect((await api('POST', '/contacts', { body: { firstName: 'A' } })).json.errors).toEqual([
			{ field: 'identifiers', code: 'required', message: 'identifiers must be a non-empty array of {type, id}' },
		]);
		expect(omnisend.contacts()).toEqual([]);
	});

	test('GET /contacts/{id}: 200 with the contact, 404 for an unknown id', async () => {
		const { contactID } = omnisend.addContact(ann);
		expect(await api('GET', `/contacts/${contactID}`)).toMatchObject({ status: 200, json: { contactID, email: 'ann@example.com' } });
		const missing = await api('GET', '/contacts/000000000000000000000000');
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({
			type: 'https://problems.omnisend.com/not-found',
			title: 'Not Found',
			status: 404,
			detail: 'Contact 000000000000000000000000 was not found',
			instance: INSTANCE,
		});
	});

	test('PATCH /contacts/{id}: 200 partial update (tags replaced, custom properties merged); 400 on an email change; 409 on a taken phone; 404', async () => {
		const { contactID } = omnisend.addContact(ann);
		omnisend.addContact({ identifiers: [{ type: 'phone', id: '+15550000001' }] });
		const patched = await api('PATCH', `/contacts/${contactID}`, { body: { lastName: 'Lee', tags: ['a', 'b'], customProperties: { size: 'M' } } });
		expect(patched.status).toBe(200);
		expect(patched.json).toMatchObject({ contactID, firstName: 'Ann', lastName: 'Lee', tags: ['a', 'b'], customProperties: { plan: 'gold', size: 'M' } });

		const emailChange = await api('PATCH', `/contacts/${contactID}`, { body: { identifiers: [{ type: 'email', id: 'other@example.com' }] } });
		expect(emailChange.status).toBe(400);
		expect(emailChange.json.errors).toEqual([{ field: 'identifiers[0].id', code: 'immutable', message: 'the email identifier of a contact cannot be changed' }]);

		const taken = await api('PATCH', `/contacts/${contactID}`, { body: { identifiers: [{ type: 'phone', id: '+15550000001' }] } });
		expect(taken).toMatchObject({ status: 409, json: { type: 'https://problems.omnisend.com/conflict', status: 409 } });

		expect((await api('PATCH', '/contacts/nope', { body: { lastName: 'x' } })).status).toBe(404);
		expect((await api('PATCH', `/contacts/${contactID}`, { body: 'x', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
	});

	test('POST / DELETE /contacts/tags: 202 with an empty body; tags added and removed, other tags kept', async () => {
		const { contactID } = omnisend.addContact(ann);
		omnisend.addContact({ identifiers: [{ type: 'phone', id: '+15550000002' }] });
		const added = await api('POST', '/contacts/tags', { body: { emails: ['ann@example.com'], tags: ['new', 'vip'] } });
		expect(added).toMatchObject({ status: 202, text: '' });
		await api('POST', '/contacts/tags', { body: { phones: ['+15550000002'], tags: ['sms'] } });
		expect(omnisend.contacts().map((contact) => contact.tags)).toEqual([['vip', 'new'], ['sms']]);
		expect((await api('DELETE', '/contacts/tags', { body: { contactIDs: [contactID], tags: ['vip'] } })).status).toBe(202);
		expect(omnisend.contacts()[0].tags).toEqual(['new']);
	});

	test('tags without a selector or without tags: 400', async () => {
		const answer = await api('POST', '/contacts/tags', { body: { tags: [] } });
		expect(answer.status).toBe(400);
		expect(answer.json.errors).toEqual([
			{ field: 'contactIDs', code: 'required', message: 'one of contactIDs, emails or phones is required' },
			{ field: 'tags', code: 'required', message: 'tags must be a non-empty array of strings' },
		]);
	});
});

describe('GET /v5/contacts', () => {
	const seed = (count: number) => {
		for (let i = 1; i <= count; i++) {
			omnisend.addContact({
				identifiers: [{ type: 'email', id: `c${i}@example.com`, channels: { email: { status: i % 2 ? 'subscribed' : 'unsubscribed' } } }],
				tags: i <= 2 ? ['first'] : [],
			});
		}
	};

	test('pages with limit and offset; paging.next / previous are absolute links on the caller\'s origin, null at the ends', async () => {
		seed(5);
		const first = await api('GET', '/contacts?limit=2');
		expect(first.status).toBe(200);
		expect(first.json.contacts.map((contact: { email: string }) => contact.email)).toEqual(['c1@example.com', 'c2@example.com']);
		expect(first.json.paging).toEqual({ previous: null, next: `${omnisend.baseUrl}/contacts?limit=2&offset=2`, limit: 2, offset: 0 });

		const second = await fetchIt(first.json.paging.next, { headers: { 'X-API-KEY': KEY } });
		expect(second.json.contacts.map((contact: { email: string }) => contact.email)).toEqual(['c3@example.com', 'c4@example.com']);
		expect(second.json.paging).toEqual({
			previous: `${omnisend.baseUrl}/contacts?limit=2&offset=0`,
			next: `${omnisend.baseUrl}/contacts?limit=2&offset=4`,
			limit: 2,
			offset: 2,
		});
		const third = await fetchIt(second.json.paging.next, { headers: { 'X-API-KEY': KEY } });
		expect(third.json.contacts.map((contact: { email: string }) => contact.email)).toEqual(['c5@example.com']);
		expect(third.json.paging.next).toBeNull();
	});

	test('links follow the Host the caller used (localhost stays localhost)', async () => {
		seed(3);
		const base = `https://localhost:${omnisend.port}/v5`;
		const answer = await fetchIt(`${base}/contacts?limit=1&status=subscribed`, { headers: { 'X-API-KEY': KEY } });
		expect(answer.json.paging.next).toBe(`${base}/contacts?status=subscribed&limit=1&offset=1`);
	});

	test('default limit 100; filters email (case-insensitive), phone, status, tag; segmentID finds nobody', async () => {
		seed(3);
		const all = await api('GET', '/contacts');
		expect(all.json.paging).toEqual({ previous: null, next: null, limit: 100, offset: 0 });
		const emails = async (query: string) => (await api('GET', `/contacts?${query}`)).json.contacts.map((contact: { email: string }) => contact.email);
		expect(await emails('email=C2%40Example.com')).toEqual(['c2@example.com']);
		expect(await emails('status=subscribed')).toEqual(['c1@example.com', 'c3@example.com']);
		expect(await emails('tag=first')).toEqual(['c1@example.com', 'c2@example.com']);
		expect(await emails('segmentID=abc')).toEqual([]);
		omnisend.addContact({ identifiers: [{ type: 'phone', id: '+15550000003' }] });
		expect((await api('GET', '/contacts?phone=%2B15550000003')).json.contacts).toHaveLength(1);
	});

	test('bad limit, tag together with status: 400', async () => {
		expect((await api('GET', '/contacts?limit=251')).json.errors).toEqual([{ field: 'limit', code: 'invalid_value', message: 'limit must be a whole number from 1 to 250' }]);
		expect((await api('GET', '/contacts?tag=a&status=subscribed')).json.errors).toEqual([{ field: 'tag', code: 'invalid_combination', message: 'tag and status cannot be combined' }]);
	});
});

describe('rate limit', () => {
	let limited: Sandbox;
	let limitedApi: (method: string, path: string, options?: CallOptions) => ReturnType<typeof api>;
	beforeAll(async () => {
		limited = await startSandbox({ services: ['omnisend'], options: { omnisend: { apiKey: KEY, ratePerMinute: 3, tagsRatePerMinute: 1, windowMs: 1500 } } });
		const fetchLimited = caller(limited);
		limitedApi = async (method, path, options = {}) =>
			await fetchLimited(`${limited.services.omnisend.baseUrl}${path}`, { method, ...options, headers: { 'X-API-KEY': KEY, ...(options.headers ?? {}) } });
	});
	afterAll(async () => await limited.stop());
	beforeEach(() => limited.services.omnisend.reset());

	test('the request over ratePerMinute gets 429 with Retry-After, X-Rate-Limit-* and a problem body with retryAfter', async () => {
		const answers = [];
		for (let i = 0; i < 4; i++) answers.push(await limitedApi('GET', '/contacts'));
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
		expect(answers.map((answer) => answer.headers['x-rate-limit-remaining'])).toEqual(['2', '1', '0', '0']);
		expect(answers[0].headers['x-rate-limit-limit']).toBe('3');
		expect(answers[0].headers['x-rate-limit-reset']).toBe('2');
		const refused = answers[3];
		expect(refused.headers['retry-after']).toMatch(/^[12]$/);
		expect(refused.headers['x-rate-limit-reset']).toBe(refused.headers['retry-after']);
		expect(refused.json).toEqual({
			type: 'https://problems.omnisend.com/rate-limit-exceeded',
			title: 'Too Many Requests',
			status: 429,
			detail: 'Rate limit of 3 requests per 1.5 s exceeded',
			instance: INSTANCE,
			retryAfter: Number(refused.headers['retry-after']),
		});
	});

	test('401s do not count; after the window passes requests are accepted again', async () => {
		for (let i = 0; i < 5; i++) await limitedApi('GET', '/contacts', { headers: { 'X-API-KEY': 'wrong' } });
		for (let i = 0; i < 3; i++) expect((await limitedApi('POST', '/events', { body: { eventName: 'x', origin: 'api', contact: { email: `a${i}@b.co` } } })).status).toBe(202);
		expect((await limitedApi('GET', '/contacts')).status).toBe(429);
		await new Promise((resolve) => setTimeout(resolve, 1600));
		expect((await limitedApi('GET', '/contacts')).status).toBe(200);
	});

	test('tag requests have their own, lower limit (tagsRatePerMinute)', async () => {
		const body = { emails: ['a@b.co'], tags: ['x'] };
		expect((await limitedApi('POST', '/contacts/tags', { body })).status).toBe(202);
		const second = await limitedApi('POST', '/contacts/tags', { body });
		expect(second.status).toBe(429);
		expect(second.json.detail).toBe('Rate limit of 1 requests per 1.5 s exceeded');
		expect((await limitedApi('GET', '/contacts')).status).toBe(200);
	});

	test('ratePerMinute 0 turns the limit off (no X-Rate-Limit headers)', async () => {
		const free = await startSandbox({ services: ['omnisend'], options: { omnisend: { apiKey: KEY, ratePerMinute: 0 } } });
		try {
			const fetchFree = caller(free);
			for (let i = 0; i < 5; i++) {
				const answer = await fetchFree(`${free.services.omnisend.baseUrl}/contacts`, { headers: { 'X-API-KEY': KEY } });
				expect(answer.status).toBe(200);
				expect(answer.headers['x-rate-limit-limit']).toBeUndefined();
			}
		} finally {
			await free.stop();
		}
	});
});

describe('faults and control on the Omnisend service', () => {
	test('an injected status answers with an Omnisend problem body (429 carries retryAfter)', async () => {
		omnisend.fault({ status: 503, count: 1 });
		omnisend.fault({ status: 429, retryAfter: 2, count: 1 });
		const unavailable = await api('POST', '/events', { body: { eventName: 'x', origin: 'api', contact: { email: 'a@b.co' } } });
		expect(unavailable.json).toEqual({ type: 'https://problems.omnisend.com/service-unavailable', title: 'Service Unavailable', status: 503, detail: 'Injected by the sandbox', instance: INSTANCE });
		const limited = await api('GET', '/contacts');
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('2');
		expect(limited.json).toMatchObject({ type: 'https://problems.omnisend.com/rate-limit-exceeded', retryAfter: 2 });
		expect(omnisend.events()).toEqual([]);
	});

	test('/__sandbox/omnisend/contacts seeds, lists and clears the store; /__sandbox/omnisend/events lists events', async () => {
		const control = `${omnisend.url}/__sandbox/omnisend`;
		const seeded = await fetchIt(`${control}/contacts`, { method: 'POST', body: { identifiers: [{ type: 'email', id: 'z@example.com' }] } });
		expect(seeded).toMatchObject({ status: 201, json: { email: 'z@example.com' } });
		expect((await fetchIt(`${control}/contacts`)).json).toEqual([seeded.json]);
		expect((await fetchIt(`${control}/contacts`, { method: 'POST', body: { identifiers: [] } })).status).toBe(400);
		await api('POST', '/events', { body: { eventName: 'x', origin: 'api', contact: { email: 'z@example.com' } } });
		expect((await fetchIt(`${control}/events`)).json).toEqual([
			{ eventName: 'x', origin: 'api', contact: { email: 'z@example.com' }, receivedAt: expect.any(String), contactID: seeded.json.contactID },
		]);
		expect((await fetchIt(`${control}/contacts`, { method: 'DELETE' })).json).toEqual({ cleared: 1 });
		expect(omnisend.contacts()).toEqual([]);
		expect(omnisend.requests().map((entry) => entry.path)).toEqual(['/v5/events']);
	});

	test('addContact() refuses an invalid body; the contacts option seeds the store at start and after reset', async () => {
		expect(() => omnisend.addContact({ identifiers: [{ type: 'email', id: 'x' }] })).toThrow('Invalid contact: identifiers[0].id: id must be a valid email address');
		const seeded = await startSandbox({ services: ['omnisend'], options: { omnisend: { contacts: [{ identifiers: [{ type: 'email', id: 's@example.com' }] }] } } });
		try {
			expect(seeded.services.omnisend.contacts().map((contact) => contact.email)).toEqual(['s@example.com']);
			seeded.services.omnisend.addContact({ identifiers: [{ type: 'email', id: 't@example.com' }] });
			seeded.services.omnisend.reset();
			expect(seeded.services.omnisend.contacts().map((contact) => contact.email)).toEqual(['s@example.com']);
		} finally {
			await seeded.stop();
		}
	});
});
