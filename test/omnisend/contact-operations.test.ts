import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';

import type { Received } from './fixtures';
import { API_KEY, expectErrorItem, omnisendFake, runOmnisend } from './fixtures';

const contact = (parameters: INodeParameters): INodeParameters => ({ resource: 'contact', ...parameters });

/** The request Omnisend saw: method, path with query, the key header and (for a body) its JSON content type. */
function expectRequest(request: Received, method: string, path: string, rawBody?: string) {
	expect(request.method).toBe(method);
	expect(request.path).toBe(path);
	expect(request.headers['x-api-key']).toBe(API_KEY);
	expect(request.headers.accept).toBe('application/json');
	if (rawBody === undefined) {
		expect(request.headers['content-type']).toBeUndefined();
		expect(request.rawBody).toBe('');
	} else {
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.rawBody).toBe(rawBody);
	}
}

describe('Contact › Create or Update (POST /v5/contacts)', () => {
	const fullUpsert = contact({
		operation: 'upsert',
		email: '={{ $json.email }}',
		phone: '={{ $json.phone }}',
		emailStatus: 'subscribed',
		smsStatus: '',
		consent: { source: 'checkout-form', createdAt: '2024-05-01T10:00:00Z', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
		options: { sendWelcomeMessage: true, statusDate: '2024-05-01T10:00:00Z' },
		contactFields: { firstName: 'Ann', lastName: 'Lee', countryCode: 'gb', tags: 'a, b', birthdate: '1990-01-02' },
		customProperties: {
			property: [
				{ key: 'loyaltyTier', type: 'integer', value: '3' },
				{ key: 'plan', type: 'string', value: 'gold' },
			],
		},
	});
	const expectedFullBody = JSON.stringify({
		identifiers: [
			{
				type: 'email',
				id: 'ann@example.com',
				channels: { email: { status: 'subscribed', statusDate: '2024-05-01T10:00:00Z' } },
				consent: { source: 'checkout-form', createdAt: '2024-05-01T10:00:00Z', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
				sendWelcomeMessage: true,
			},
			{ type: 'phone', id: '+447700900123', sendWelcomeMessage: true },
		],
		firstName: 'Ann',
		lastName: 'Lee',
		countryCode: 'GB',
		birthdate: '1990-01-02',
		tags: ['a', 'b'],
		customProperties: { loyaltyTier: 3, plan: 'gold' },
	});

	test('sends email + phone identifiers, consent on the subscribed email only, fields and custom properties; 201 → created', async () => {
		const { received } = omnisendFake(() => [201, { contactID: '64f0c0ffee0000000000a001' }]);
		const { items, error } = await runOmnisend(fullUpsert, [{ email: ' Ann@Example.com ', phone: '+44 7700 900123' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'POST', '/v5/contacts', expectedFullBody);
		expect(items).toEqual([
			{
				json: {
					status: 'created',
					httpStatus: 201,
					contactID: '64f0c0ffee0000000000a001',
					contact: { contactID: '64f0c0ffee0000000000a001' },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('200 → updated, and the contactID is taken from the answer (also from an `id` field)', async () => {
		const { received } = omnisendFake((_request, index) =>
			index === 0 ? [200, { contactID: 'c-existing-1', email: 'ann@example.com' }] : [200, { id: 'c-existing-2' }],
		);
		const { items, error } = await runOmnisend(fullUpsert, [
			{ email: 'ann@example.com', phone: '+447700900123' },
			{ email: 'ann@example.com', phone: '+447700900123' },
		]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(received[0].rawBody).toBe(expectedFullBody);
		expect(items).toEqual([
			{
				json: {
					status: 'updated',
					httpStatus: 200,
					contactID: 'c-existing-1',
					contact: { contactID: 'c-existing-1', email: 'ann@example.com' },
				},
				pairedItem: { item: 0 },
			},
			{
				json: { status: 'updated', httpStatus: 200, contactID: 'c-existing-2', contact: { id: 'c-existing-2' } },
				pairedItem: { item: 1 },
			},
		]);
	});

	test('with both statuses left unchanged no `channels` (and no consent) key is sent: nobody is subscribed implicitly', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'c1' }]);
		const { items, error } = await runOmnisend(
			contact({
				operation: 'upsert',
				email: 'ann@example.com',
				phone: '+447700900123',
				emailStatus: '',
				smsStatus: '',
				consent: { source: 'checkout-form' },
				contactFields: { firstName: 'Ann' },
			}),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(
			received[0],
			'POST',
			'/v5/contacts',
			'{"identifiers":[{"type":"email","id":"ann@example.com","sendWelcomeMessage":false},{"type":"phone","id":"+447700900123","sendWelcomeMessage":false}],"firstName":"Ann"}',
		);
		expect(received[0].rawBody).not.toContain('channels');
		expect(received[0].rawBody).not.toContain('subscribed');
		expect(items[0].json).toEqual({ status: 'updated', httpStatus: 200, contactID: 'c1', contact: { contactID: 'c1' } });
	});

	test('an SMS status goes on the phone identifier as the sms channel', async () => {
		const { received } = omnisendFake(() => [201, { contactID: 'c2' }]);
		const { error } = await runOmnisend(
			contact({
				operation: 'upsert',
				phone: '+447700900123',
				smsStatus: 'unsubscribed',
				options: { statusDate: '2024-06-01T08:30:00Z' },
			}),
			[{}],
		);

		expect(error).toBeUndefined();
		expectRequest(
			received[0],
			'POST',
			'/v5/contacts',
			'{"identifiers":[{"type":"phone","id":"+447700900123","channels":{"sms":{"status":"unsubscribed","statusDate":"2024-06-01T08:30:00Z"}},"sendWelcomeMessage":false}]}',
		);
	});

	test('an invalid birthdate fails the item naming the field, before any request', async () => {
		const { received } = omnisendFake(() => [201, { contactID: 'never' }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'upsert', email: 'ann@example.com', contactFields: { birthdate: '02/01/1990' } }),
			[{}],
		);

		expect(received).toHaveLength(0);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Birthdate "02/01/1990" must be written YYYY-MM-DD (item 0)');
	});

	test('an item with neither email nor phone is skipped, not sent', async () => {
		const { received } = omnisendFake(() => [201, { contactID: 'never' }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'upsert', email: '={{ $json.email }}', phone: '={{ $json.phone }}', emailStatus: 'subscribed' }),
			[{ email: '', phone: '' }],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(items).toEqual([
			{
				json: { status: 'skipped', reason: 'No email and no phone: Omnisend needs at least one to identify the contact' },
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('Contact › Get', () => {
	test('by contact ID: GET /v5/contacts/{id}', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'c123', email: 'ann@example.com', status: 'subscribed' }]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'contactID', contactId: '={{ $json.id }}' }), [
			{ id: 'c123' },
		]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'GET', '/v5/contacts/c123');
		expect(items).toEqual([
			{ json: { found: true, contactID: 'c123', email: 'ann@example.com', status: 'subscribed' }, pairedItem: { item: 0 } },
		]);
	});

	test('by email: GET /v5/contacts?email=...&limit=1 with the email trimmed and lowercased', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [{ contactID: 'c9', email: 'ann@example.com' }], paging: {} }]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'email', lookupEmail: ' Ann@Example.COM ' }), [{}]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'GET', '/v5/contacts?email=ann%40example.com&limit=1');
		expect(items).toEqual([{ json: { found: true, contactID: 'c9', email: 'ann@example.com' }, pairedItem: { item: 0 } }]);
	});

	test('by phone: GET /v5/contacts?phone=<E.164>&limit=1 with the + encoded', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [{ contactID: 'c7', phone: '+447700900123' }] }]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'phone', lookupPhone: '+44 7700 900123' }), [{}]);

		expect(error).toBeUndefined();
		expectRequest(received[0], 'GET', '/v5/contacts?phone=%2B447700900123&limit=1');
		expect(items).toEqual([{ json: { found: true, contactID: 'c7', phone: '+447700900123' }, pairedItem: { item: 0 } }]);
	});

	test('404 by ID fails the item naming the ID by default', async () => {
		const { received } = omnisendFake(() => [404, { error: 'not found' }]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'contactID', contactId: 'c404' }), [{}]);

		expect(received).toHaveLength(1);
		expect(items).toEqual([]);
		expect(error?.message).toBe('No Omnisend contact has contactID "c404" (item 0)');
	});

	test.each([
		['no body', undefined],
		['an empty object', {}],
		['JSON null', 'null'],
		['a list', [{ contactID: 'c1' }]],
		['text', 'OK'],
		['a number', '42'],
	])('a 200 by ID with %s is "not found": the item fails naming the ID by default', async (_what, body) => {
		const { received } = omnisendFake(() => [200, body]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'contactID', contactId: 'c1' }), [{}]);

		expect(received).toHaveLength(1);
		expectRequest(received[0], 'GET', '/v5/contacts/c1');
		expect(items).toEqual([]);
		expect(error?.message).toBe('No Omnisend contact has contactID "c1" (item 0)');
		expect((error as { description?: string }).description).toBe('Check the value, or set If Not Found to "Output Not Found".');
	});

	test.each([
		['no body', undefined],
		['an empty object', {}],
		['a list', []],
		['text', 'OK'],
	])('a 200 by ID with %s gives { found: false, contactID } with If Not Found = Output "Not Found"', async (_what, body) => {
		const { received } = omnisendFake(() => [200, body]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'contactID', contactId: 'c1', ifNotFound: 'notFound' }), [{}]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(items).toEqual([{ json: { found: false, contactID: 'c1' }, pairedItem: { item: 0 } }]);
	});

	test('an empty list by email fails the item naming the email by default', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [], paging: {} }]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'email', lookupEmail: 'Nobody@Example.com' }), [{}]);

		expect(received).toHaveLength(1);
		expect(items).toEqual([]);
		expect(error?.message).toBe('No Omnisend contact has email "nobody@example.com" (item 0)');
	});

	test('with If Not Found = Output "Not Found", both misses come out as { found: false }', async () => {
		const { received } = omnisendFake((request) =>
			request.path.startsWith('/v5/contacts/') ? [404, { error: 'not found' }] : [200, { contacts: [] }],
		);
		const byId = await runOmnisend(contact({ operation: 'get', by: 'contactID', contactId: 'c404', ifNotFound: 'notFound' }), [{}]);
		const byEmail = await runOmnisend(
			contact({ operation: 'get', by: 'email', lookupEmail: 'nobody@example.com', ifNotFound: 'notFound' }),
			[{}],
		);

		expect(received.map((request) => request.path)).toEqual([
			'/v5/contacts/c404',
			'/v5/contacts?email=nobody%40example.com&limit=1',
		]);
		expect(byId.error).toBeUndefined();
		expect(byId.items).toEqual([{ json: { found: false, contactID: 'c404' }, pairedItem: { item: 0 } }]);
		expect(byEmail.error).toBeUndefined();
		expect(byEmail.items).toEqual([{ json: { found: false, email: 'nobody@example.com' }, pairedItem: { item: 0 } }]);
	});
});

describe('Contact › Get Many (GET /v5/contacts)', () => {
	const c = (n: number) => ({ contactID: `c${n}`, email: `p${n}@example.com` });

	// n8n orders a collection's values as the options are declared (Email, Phone, Segment ID, Status, Tag).
	test('email, status and segment filters go in the query (email lowercased)', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [c(1)], paging: {} }]);
		const { items, error } = await runOmnisend(
			contact({
				operation: 'getAll',
				limit: 5,
				filters: { email: 'P1@Example.com', status: 'subscribed', segmentID: 'seg42' },
			}),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'GET', '/v5/contacts?email=p1%40example.com&segmentID=seg42&status=subscribed&limit=5');
		expect(items).toEqual([{ json: c(1), pairedItem: { item: 0 } }]);
	});

	test('tag and phone filters go in the query', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [], paging: {} }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'getAll', limit: 10, filters: { tag: 'vip', phone: '+44 7700 900123' } }),
			[{}],
		);

		expect(error).toBeUndefined();
		expectRequest(received[0], 'GET', '/v5/contacts?phone=%2B447700900123&tag=vip&limit=10');
		expect(items).toEqual([]);
	});

	test('limit is respected across pages: stops once it has enough', async () => {
		const { received } = omnisendFake((_request, index) => [
			200,
			{
				contacts: [c(2 * index + 1), c(2 * index + 2)],
				paging: { next: `https://api.omnisend.com/v5/contacts?limit=3&page=${index + 2}` },
			},
		]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', limit: 3 }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?limit=3', '/v5/contacts?limit=3&page=2']);
		expect(items).toEqual([
			{ json: c(1), pairedItem: { item: 0 } },
			{ json: c(2), pairedItem: { item: 0 } },
			{ json: c(3), pairedItem: { item: 0 } },
		]);
	});

	test('once the limit is reached paging stops before paging.next is looked at: a link to another host then is no error', async () => {
		const elsewhere: string[] = [];
		nock('https://evil.example.com')
			.persist()
			.get(/.*/)
			.reply(function (uri) {
				elsewhere.push(uri);
				return [200, { contacts: [c(99)] }];
			});
		const { received } = omnisendFake(() => [
			200,
			{ contacts: [c(1), c(2)], paging: { next: 'https://evil.example.com/v5/contacts?limit=2&offset=2' } },
		]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', limit: 2 }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?limit=2']);
		expect(elsewhere).toEqual([]);
		expect(items).toEqual([
			{ json: c(1), pairedItem: { item: 0 } },
			{ json: c(2), pairedItem: { item: 0 } },
		]);
	});

	test('Return All follows paging.next links until there is none', async () => {
		const pages = [
			{ contacts: [c(1), c(2)], paging: { next: 'https://api.omnisend.com/v5/contacts?limit=250&offset=2' } },
			{ contacts: [c(3), c(4)], paging: { next: 'https://api.omnisend.com/v5/contacts?limit=250&offset=4' } },
			{ contacts: [c(5)], paging: { previous: 'https://api.omnisend.com/v5/contacts?limit=250&offset=2' } },
		];
		const { received } = omnisendFake((_request, index) => [200, pages[index]]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual([
			'/v5/contacts?limit=250',
			'/v5/contacts?limit=250&offset=2',
			'/v5/contacts?limit=250&offset=4',
		]);
		for (const request of received) expectRequest(request, 'GET', request.path);
		expect(items.map((item) => item.json)).toEqual([c(1), c(2), c(3), c(4), c(5)]);
		expect(items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	test('Return All also follows cursor paging (cursors.after + hasMore), keeping the filters', async () => {
		const pages = [
			{ contacts: [c(1), c(2)], paging: { cursors: { after: 'cur2', before: 'cur0' }, hasMore: true } },
			{ contacts: [c(3)], paging: { cursors: { after: 'cur3', before: 'cur1' }, hasMore: false } },
		];
		const { received } = omnisendFake((_request, index) => [200, pages[index]]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true, filters: { tag: 'vip' } }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual([
			'/v5/contacts?tag=vip&limit=250',
			'/v5/contacts?tag=vip&limit=250&after=cur2',
		]);
		expect(items.map((item) => item.json)).toEqual([c(1), c(2), c(3)]);
	});

	test('a paging link to another host is refused: error, and no request reaches that host', async () => {
		const elsewhere: string[] = [];
		nock('https://evil.example.com')
			.persist()
			.get(/.*/)
			.reply(function (uri) {
				elsewhere.push(uri);
				return [200, { contacts: [c(99)] }];
			});
		const { received } = omnisendFake(() => [
			200,
			{ contacts: [c(1)], paging: { next: 'https://evil.example.com/v5/contacts?limit=250&offset=1' } },
		]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(received).toHaveLength(1);
		expect(elsewhere).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.message).toContain('Omnisend returned a link to another host (evil.example.com); it was not followed');
	});

	test('Tag and Status together is an error before any request', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [] }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'getAll', limit: 10, filters: { tag: 'vip', status: 'subscribed' } }),
			[{}],
		);

		expect(received).toHaveLength(0);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Omnisend cannot filter by Tag and Status at once (item 0)');
	});
});

describe('Contact › Update (PATCH /v5/contacts/{id})', () => {
	test('sends only the given fields and custom properties', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'c123', firstName: 'Bo' }]);
		const { items, error } = await runOmnisend(
			contact({
				operation: 'update',
				contactId: '={{ $json.contactID }}',
				updateFields: { firstName: 'Bo', city: 'Leeds', countryCode: 'de', tags: 'x, , y ' },
				customProperties: {
					property: [
						{ key: 'vip', type: 'boolean', value: 'yes' },
						{ key: 'score', type: 'number', value: '10' },
					],
				},
			}),
			[{ contactID: 'c123' }],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(
			received[0],
			'PATCH',
			'/v5/contacts/c123',
			'{"firstName":"Bo","city":"Leeds","countryCode":"DE","tags":["x","y"],"customProperties":{"vip":true,"score":10}}',
		);
		expect(items).toEqual([
			{ json: { contactID: 'c123', httpStatus: 200, contact: { contactID: 'c123', firstName: 'Bo' } }, pairedItem: { item: 0 } },
		]);
	});

	test('an empty update fails before any request', async () => {
		const { received } = omnisendFake(() => [200, {}]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'update', contactId: 'c123', updateFields: { firstName: '  ' } }),
			[{}],
		);

		expect(received).toHaveLength(0);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Nothing to update (item 0)');
		expect((error as { description?: string }).description).toBe(
			'Add at least one field under Update Fields or Custom Properties.',
		);
	});
});

describe('Contact › Add Tags / Remove Tags (/v5/contacts/tags)', () => {
	test('Add Tags by email: POST with {"emails":[...],"tags":[...]}; 202 → accepted', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'addTags', by: 'email', lookupEmail: '={{ $json.email }}', tags: 'vip, newsletter' }),
			[{ email: 'Ann@Example.com' }],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'POST', '/v5/contacts/tags', '{"emails":["ann@example.com"],"tags":["vip","newsletter"]}');
		expect(items).toEqual([
			{
				json: { status: 'accepted', httpStatus: 202, action: 'add', tags: ['vip', 'newsletter'], email: 'ann@example.com' },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Remove Tags by contact ID: DELETE with {"contactIDs":[...],"tags":[...]}; 202 → accepted', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'removeTags', by: 'contactID', contactId: 'c123', tags: 'vip, newsletter' }),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'DELETE', '/v5/contacts/tags', '{"contactIDs":["c123"],"tags":["vip","newsletter"]}');
		expect(items).toEqual([
			{
				json: { status: 'accepted', httpStatus: 202, action: 'remove', tags: ['vip', 'newsletter'], contactID: 'c123' },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Add Tags by phone sends {"phones":[E.164]}', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'addTags', by: 'phone', lookupPhone: '+44 7700 900123', tags: 'vip' }),
			[{}],
		);

		expect(error).toBeUndefined();
		expectRequest(received[0], 'POST', '/v5/contacts/tags', '{"phones":["+447700900123"],"tags":["vip"]}');
		expect(items[0].json).toEqual({ status: 'accepted', httpStatus: 202, action: 'add', tags: ['vip'], phone: '+447700900123' });
	});

	test('empty tags fail before any request', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(contact({ operation: 'addTags', by: 'contactID', contactId: 'c123', tags: ' , ' }), [{}]);

		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Tags is empty (item 0)');
	});
});

describe('Contact › Create or Update: output, statuses and identifiers', () => {
	test('the output is { status, httpStatus, contactID, contact }; Omnisend\'s own `status` field stays inside `contact`', async () => {
		const answer = { contactID: 'c77', email: 'ann@example.com', status: 'subscribed', createdAt: '2026-01-02T03:04:05Z' };
		const { received } = omnisendFake(() => [201, answer]);
		const { items, error } = await runOmnisend(contact({ operation: 'upsert', email: 'ann@example.com' }), [{}]);

		expect(error).toBeUndefined();
		expectRequest(received[0], 'POST', '/v5/contacts', '{"identifiers":[{"type":"email","id":"ann@example.com","sendWelcomeMessage":false}]}');
		expect(items).toEqual([{ json: { status: 'created', httpStatus: 201, contactID: 'c77', contact: answer }, pairedItem: { item: 0 } }]);
	});

	test('an answer without a body still gives { status, httpStatus, contact: {} }', async () => {
		omnisendFake(() => [200]);
		const { items, error } = await runOmnisend(contact({ operation: 'upsert', email: 'ann@example.com' }), [{}]);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ status: 'updated', httpStatus: 200, contact: {} });
		expect(items[0].json.contactID).toBeUndefined();
	});

	test('Invalid Phone = omit: a bad phone is left out and the contact is written with its email alone', async () => {
		const { received } = omnisendFake(() => [201, { contactID: 'c5' }]);
		const { items, error } = await runOmnisend(
			contact({
				operation: 'upsert',
				email: '={{ $json.email }}',
				phone: '={{ $json.phone }}',
				emailStatus: 'subscribed',
				options: { defaultCountry: 'GB', invalidPhone: 'omit', statusDate: '2026-01-02T03:04:05Z' },
			}),
			[{ email: 'Ann@Example.com', phone: '12' }],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(
			received[0],
			'POST',
			'/v5/contacts',
			'{"identifiers":[{"type":"email","id":"ann@example.com","channels":{"email":{"status":"subscribed","statusDate":"2026-01-02T03:04:05Z"}},"sendWelcomeMessage":false}]}',
		);
		expect(items[0].json).toEqual({ status: 'created', httpStatus: 201, contactID: 'c5', contact: { contactID: 'c5' } });
	});

	test('Invalid Phone = fail (the default): the item fails naming the phone, nothing is sent', async () => {
		const { received } = omnisendFake(() => [201, { contactID: 'never' }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'upsert', email: 'ann@example.com', phone: '={{ $json.phone }}', options: { defaultCountry: 'GB' } }),
			[{ phone: '12' }],
		);

		expect(received).toHaveLength(0);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Phone "12" is not a valid phone number (read as GB) (item 0)');
	});

	test('SMS Status set while Invalid Phone = omit left the phone out: the contact is written with its email, and the output says the SMS Status was not applied', async () => {
		const { received } = omnisendFake(() => [201, { contactID: 'c5' }]);
		const { items, error } = await runOmnisend(
			contact({
				operation: 'upsert',
				email: 'ann@example.com',
				phone: '={{ $json.phone }}',
				emailStatus: 'subscribed',
				smsStatus: 'subscribed',
				options: { defaultCountry: 'GB', invalidPhone: 'omit', statusDate: '2026-01-02T03:04:05Z' },
			}),
			[{ phone: 'not-a-phone' }],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(
			received[0],
			'POST',
			'/v5/contacts',
			'{"identifiers":[{"type":"email","id":"ann@example.com","channels":{"email":{"status":"subscribed","statusDate":"2026-01-02T03:04:05Z"}},"sendWelcomeMessage":false}]}',
		);
		expect(items).toEqual([
			{
				json: {
					status: 'created',
					httpStatus: 201,
					contactID: 'c5',
					contact: { contactID: 'c5' },
					notApplied: ['SMS Status "subscribed" not applied: the item has no valid phone'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Email Status set on an item with only a phone: the contact is written by its phone, without channels, and the output says the Email Status was not applied', async () => {
		const { received } = omnisendFake((_request, index) => [200, { contactID: `c${index + 1}` }]);
		const { items, error } = await runOmnisend(
			contact({
				operation: 'upsert',
				email: '={{ $json.email }}',
				phone: '={{ $json.phone }}',
				emailStatus: 'unsubscribed',
				options: { statusDate: '2026-01-02T03:04:05Z' },
				requestOptions: { concurrency: 1 },
			}),
			[{ phone: '+447700900123' }, { email: 'bo@example.com' }],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expectRequest(received[0], 'POST', '/v5/contacts', '{"identifiers":[{"type":"phone","id":"+447700900123","sendWelcomeMessage":false}]}');
		expectRequest(
			received[1],
			'POST',
			'/v5/contacts',
			'{"identifiers":[{"type":"email","id":"bo@example.com","channels":{"email":{"status":"unsubscribed","statusDate":"2026-01-02T03:04:05Z"}},"sendWelcomeMessage":false}]}',
		);
		expect(items).toEqual([
			{
				json: {
					status: 'updated',
					httpStatus: 200,
					contactID: 'c1',
					contact: { contactID: 'c1' },
					notApplied: ['Email Status "unsubscribed" not applied: the item has no email'],
				},
				pairedItem: { item: 0 },
			},
			{ json: { status: 'updated', httpStatus: 200, contactID: 'c2', contact: { contactID: 'c2' } }, pairedItem: { item: 1 } },
		]);
	});

	test('SMS Status set on an item with only an email: written by its email, and the status is reported as not applied (never dropped silently)', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'c1' }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'upsert', email: 'ann@example.com', phone: '={{ $json.phone }}', smsStatus: 'nonSubscribed' }),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'POST', '/v5/contacts', '{"identifiers":[{"type":"email","id":"ann@example.com","sendWelcomeMessage":false}]}');
		expect(items).toEqual([
			{
				json: {
					status: 'updated',
					httpStatus: 200,
					contactID: 'c1',
					contact: { contactID: 'c1' },
					notApplied: ['SMS Status "nonSubscribed" not applied: the item has no valid phone'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('both statuses set on an item with only a phone: the SMS status and its consent go on the phone; only the Email Status is reported', async () => {
		const { received } = omnisendFake(() => [201, { contactID: 'c8' }]);
		const { items, error } = await runOmnisend(
			contact({
				operation: 'upsert',
				email: '={{ $json.email }}',
				phone: '+44 7700 900123',
				emailStatus: 'subscribed',
				smsStatus: 'subscribed',
				consent: { source: 'pos', ip: '203.0.113.7' },
				options: { statusDate: '2026-01-02T03:04:05Z', sendWelcomeMessage: true },
			}),
			[{ email: ' ' }],
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(
			received[0],
			'POST',
			'/v5/contacts',
			'{"identifiers":[{"type":"phone","id":"+447700900123","channels":{"sms":{"status":"subscribed","statusDate":"2026-01-02T03:04:05Z"}},"consent":{"source":"pos","ip":"203.0.113.7"},"sendWelcomeMessage":true}]}',
		);
		expect(items).toEqual([
			{
				json: {
					status: 'created',
					httpStatus: 201,
					contactID: 'c8',
					contact: { contactID: 'c8' },
					notApplied: ['Email Status "subscribed" not applied: the item has no email'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test.each([['={{ $json.tags }}'], [''], [' , ']])('an empty Tags field (%j) is not sent at all, never as "tags":[]', async (tags) => {
		const { received } = omnisendFake(() => [200, { contactID: 'c1' }]);
		const { error } = await runOmnisend(contact({ operation: 'upsert', email: 'ann@example.com', contactFields: { firstName: 'Ann', tags } }), [{}]);

		expect(error).toBeUndefined();
		expectRequest(
			received[0],
			'POST',
			'/v5/contacts',
			'{"identifiers":[{"type":"email","id":"ann@example.com","sendWelcomeMessage":false}],"firstName":"Ann"}',
		);
	});

	test('Tags from an expression (list or text) are sent as a list', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'c1' }]);
		const { error } = await runOmnisend(contact({ operation: 'upsert', email: 'ann@example.com', contactFields: { tags: '={{ $json.tags }}' }, requestOptions: { concurrency: 1 } }), [
			{ tags: ['vip', ' newsletter '] },
			{ tags: 'a,b' },
		]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody)).toEqual([
			'{"identifiers":[{"type":"email","id":"ann@example.com","sendWelcomeMessage":false}],"tags":["vip","newsletter"]}',
			'{"identifiers":[{"type":"email","id":"ann@example.com","sendWelcomeMessage":false}],"tags":["a","b"]}',
		]);
	});

	test('a First Name over 50 characters fails the item before any request', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'never' }]);
		const { error } = await runOmnisend(contact({ operation: 'upsert', email: 'ann@example.com', contactFields: { firstName: 'A'.repeat(51) } }), [{}]);

		expect(received).toHaveLength(0);
		expect(error?.message).toBe('First Name is longer than 50 characters (item 0)');
	});
});

describe('Contact › Update: output, tags, validation and Omnisend\'s refusals', () => {
	test('an empty Tags field is not sent (never "tags":[]): only the other fields go', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'c123' }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'update', contactId: 'c123', updateFields: { firstName: 'Bo', tags: '={{ $json.tags }}' } }),
			[{}],
		);

		expect(error).toBeUndefined();
		expectRequest(received[0], 'PATCH', '/v5/contacts/c123', '{"firstName":"Bo"}');
		expect(items).toEqual([{ json: { contactID: 'c123', httpStatus: 200, contact: { contactID: 'c123' } }, pairedItem: { item: 0 } }]);
	});

	test('an update whose only field is an empty Tags field is "Nothing to update", before any request', async () => {
		const { received } = omnisendFake(() => [200, {}]);
		const { error } = await runOmnisend(contact({ operation: 'update', contactId: 'c123', updateFields: { tags: '' } }), [{}]);

		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Nothing to update (item 0)');
	});

	test('a Last Name over 50 characters fails the item before any request', async () => {
		const { received } = omnisendFake(() => [200, {}]);
		const { error } = await runOmnisend(contact({ operation: 'update', contactId: 'c123', updateFields: { lastName: 'L'.repeat(51) } }), [{}]);

		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Last Name is longer than 50 characters (item 0)');
	});

	test('404: one request; the message carries Omnisend\'s words and the description says what to check', async () => {
		const { received } = omnisendFake(() => [404, { error: 'Contact not found' }]);
		const { items, error } = await runOmnisend(contact({ operation: 'update', contactId: 'c404', updateFields: { city: 'Leeds' } }), [{}]);

		expect(received).toHaveLength(1);
		expectRequest(received[0], 'PATCH', '/v5/contacts/c404', '{"city":"Leeds"}');
		expect(items).toEqual([]);
		expect(error?.message).toBe('Omnisend answered 404: Contact not found');
		expect((error as { description?: string }).description).toBe('Omnisend has no such record (or the Base URL in the credential is wrong).');
		expect((error as { httpCode?: string }).httpCode).toBe('404');
	});

	test('409: one request; the message carries Omnisend\'s words and the description says what to do', async () => {
		const { received } = omnisendFake(() => [409, { title: 'Conflict', detail: 'phone +447700900123 belongs to another contact' }]);
		const { items, error } = await runOmnisend(
			contact({ operation: 'update', contactId: 'c1', updateFields: { firstName: 'Bo' }, customProperties: { property: [{ key: 'p', type: 'string', value: 'x' }] } }),
			[{}],
			{ continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectRequest(received[0], 'PATCH', '/v5/contacts/c1', '{"firstName":"Bo","customProperties":{"p":"x"}}');
		expect(items).toHaveLength(1);
		expectErrorItem(items[0], 0, {
			message: 'Omnisend answered 409: Conflict; phone +447700900123 belongs to another contact',
			description: 'Another Omnisend contact already owns this email or phone. Update that contact instead, or send a different identifier.',
			httpCode: '409',
		});
	});
});

describe('Contact ID validation (it goes into the URL path)', () => {
	test.each([['x/y'], ['../admin'], ['c 1'], ['c1?x=1'], ['c%2F1']])('%j fails the item before any request, for Get and for Update', async (id) => {
		const { received } = omnisendFake(() => [200, {}]);
		const get = await runOmnisend(contact({ operation: 'get', by: 'contactID', contactId: '={{ $json.id }}' }), [{ id }]);
		const update = await runOmnisend(contact({ operation: 'update', contactId: '={{ $json.id }}', updateFields: { city: 'Leeds' } }), [{ id }]);
		const tags = await runOmnisend(contact({ operation: 'addTags', by: 'contactID', contactId: '={{ $json.id }}', tags: 'vip' }), [{ id }]);

		expect(received).toHaveLength(0);
		const message = `Contact ID "${id}" contains characters an Omnisend contact ID never has (item 0)`;
		expect(get.error?.message).toBe(message);
		expect(update.error?.message).toBe(message);
		expect(tags.error?.message).toBe(message);
	});

	test('an ID made of letters, digits, _ and - is used as it is', async () => {
		const { received } = omnisendFake(() => [200, { contactID: 'Ab_9-z' }]);
		const { error } = await runOmnisend(contact({ operation: 'get', by: 'contactID', contactId: 'Ab_9-z' }), [{}]);

		expect(error).toBeUndefined();
		expectRequest(received[0], 'GET', '/v5/contacts/Ab_9-z');
	});
});

describe('Contact › Get by email / phone: only a contact that really has it', () => {
	test('a list answer whose contacts have other emails is "not found" (the filter may not have been applied)', async () => {
		const { received } = omnisendFake(() => [
			200,
			{ contacts: [{ contactID: 'c1', email: 'someone@example.com' }, { contactID: 'c2', email: 'other@example.com' }] },
		]);
		const failing = await runOmnisend(contact({ operation: 'get', by: 'email', lookupEmail: 'ann@example.com' }), [{}]);
		const branching = await runOmnisend(contact({ operation: 'get', by: 'email', lookupEmail: 'ann@example.com', ifNotFound: 'notFound' }), [{}]);

		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?email=ann%40example.com&limit=1', '/v5/contacts?email=ann%40example.com&limit=1']);
		expect(failing.items).toEqual([]);
		expect(failing.error?.message).toBe('No Omnisend contact has email "ann@example.com" (item 0)');
		expect(branching.error).toBeUndefined();
		expect(branching.items).toEqual([{ json: { found: false, email: 'ann@example.com' }, pairedItem: { item: 0 } }]);
	});

	test('the email matches case-insensitively, on the top-level field or on an email identifier; the matching contact is the one returned', async () => {
		const answers = [
			{ contacts: [{ contactID: 'wrong', email: 'x@example.com' }, { contactID: 'c1', email: ' ANN@Example.com ' }] },
			{ contacts: [{ contactID: 'c2', identifiers: [{ type: 'phone', id: '+447700900123' }, { type: 'email', id: 'Ann@example.com' }] }] },
		];
		const { received } = omnisendFake((_request, index) => [200, answers[index]]);
		const first = await runOmnisend(contact({ operation: 'get', by: 'email', lookupEmail: 'ann@example.com' }), [{}]);
		const second = await runOmnisend(contact({ operation: 'get', by: 'email', lookupEmail: 'ann@example.com' }), [{}]);

		expect(received).toHaveLength(2);
		expect(first.error).toBeUndefined();
		expect(first.items.map((item) => item.json)).toEqual([{ found: true, contactID: 'c1', email: ' ANN@Example.com ' }]);
		expect(second.error).toBeUndefined();
		expect(second.items.map((item) => item.json)).toEqual([{ found: true, ...answers[1].contacts[0] }]);
	});

	test('an identifier of another type carrying the same text does not count', async () => {
		omnisendFake(() => [200, { contacts: [{ contactID: 'c1', identifiers: [{ type: 'phone', id: 'ann@example.com' }] }] }]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'email', lookupEmail: 'ann@example.com', ifNotFound: 'notFound' }), [{}]);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([{ found: false, email: 'ann@example.com' }]);
	});

	test('by phone: a contact with another phone is "not found"; one with the phone (formatted, or as a phone identifier) is found', async () => {
		const answers = [
			{ contacts: [{ contactID: 'c1', phone: '+447700900999' }] },
			{ contacts: [{ contactID: 'c2', phone: '+44 7700 900123' }] },
			{ contacts: [{ contactID: 'c3', identifiers: [{ type: 'phone', id: '+447700900123', channels: { sms: { status: 'subscribed' } } }] }] },
		];
		const { received } = omnisendFake((_request, index) => [200, answers[index]]);
		const params = contact({ operation: 'get', by: 'phone', lookupPhone: '+44 7700 900123', ifNotFound: 'notFound' });
		const miss = await runOmnisend(params, [{}]);
		const formatted = await runOmnisend(params, [{}]);
		const identifier = await runOmnisend(params, [{}]);

		expect(received.map((request) => request.path)).toEqual(Array(3).fill('/v5/contacts?phone=%2B447700900123&limit=1'));
		expect(miss.items.map((item) => item.json)).toEqual([{ found: false, phone: '+447700900123' }]);
		expect(formatted.items.map((item) => item.json)).toEqual([{ found: true, contactID: 'c2', phone: '+44 7700 900123' }]);
		expect(identifier.items.map((item) => item.json)).toEqual([{ found: true, ...answers[2].contacts[0] }]);
	});

	test('by phone, not found fails the item by default naming the phone', async () => {
		omnisendFake(() => [200, { contacts: [{ contactID: 'c1', email: 'ann@example.com' }] }]);
		const { items, error } = await runOmnisend(contact({ operation: 'get', by: 'phone', lookupPhone: '+447700900123' }), [{}]);

		expect(items).toEqual([]);
		expect(error?.message).toBe('No Omnisend contact has phone "+447700900123" (item 0)');
	});
});

describe('Contact › Get Many: paging links', () => {
	const c = (n: number) => ({ contactID: `c${n}`, email: `p${n}@example.com` });

	test('a paging.next pointing back at the first page stops paging: one request, no duplicates', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [c(1), c(2)], paging: { next: 'https://api.omnisend.com/v5/contacts?limit=250' } }]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?limit=250']);
		expect(items.map((item) => item.json)).toEqual([c(1), c(2)]);
	});

	test('a relative paging.next pointing back at the first page stops paging too', async () => {
		const { received } = omnisendFake(() => [200, { contacts: [c(1)], paging: { next: '/v5/contacts?limit=250' } }]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?limit=250']);
		expect(items.map((item) => item.json)).toEqual([c(1)]);
	});

	test('relative links (/v5/contacts?after=x, contacts?after=y) are resolved against the base URL and followed on the same host', async () => {
		const pages: Record<string, object> = {
			'/v5/contacts?limit=250': { contacts: [c(1)], paging: { next: '/v5/contacts?after=x' } },
			'/v5/contacts?after=x': { contacts: [c(2)], paging: { next: 'contacts?after=y' } },
			'/v5/contacts?after=y': { contacts: [c(3)], paging: {} },
		};
		const { received } = omnisendFake((request) => [200, pages[request.path] ?? { contacts: [c(99)] }]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?limit=250', '/v5/contacts?after=x', '/v5/contacts?after=y']);
		for (const request of received) expectRequest(request, 'GET', request.path);
		expect(items.map((item) => item.json)).toEqual([c(1), c(2), c(3)]);
	});

	test('a link back to a page already fetched (written another way) stops paging: no page is fetched twice', async () => {
		const pages: Record<string, object> = {
			'/v5/contacts?limit=250': { contacts: [c(1)], paging: { next: '/v5/contacts?after=x' } },
			'/v5/contacts?after=x': { contacts: [c(2)], paging: { next: 'https://api.omnisend.com/v5/contacts?after=x' } },
		};
		const { received } = omnisendFake((request) => [200, pages[request.path] ?? { contacts: [c(99)] }]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?limit=250', '/v5/contacts?after=x']);
		expect(items.map((item) => item.json)).toEqual([c(1), c(2)]);
	});

	test('the same link given again stops paging', async () => {
		const { received } = omnisendFake((_request, index) => [200, { contacts: [c(index + 1)], paging: { next: 'contacts?after=same' } }]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts?limit=250', '/v5/contacts?after=same']);
		expect(items.map((item) => item.json)).toEqual([c(1), c(2)]);
	});

	test('a protocol-relative link to another host (//evil.example.com/...) is refused like an absolute one', async () => {
		const elsewhere: string[] = [];
		nock('https://evil.example.com')
			.persist()
			.get(/.*/)
			.reply(function (uri) {
				elsewhere.push(uri);
				return [200, { contacts: [c(99)] }];
			});
		const { received } = omnisendFake(() => [200, { contacts: [c(1)], paging: { next: '//evil.example.com/v5/contacts?after=x' } }]);
		const { items, error } = await runOmnisend(contact({ operation: 'getAll', returnAll: true }), [{}]);

		expect(received).toHaveLength(1);
		expect(elsewhere).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.message).toContain('Omnisend returned a link to another host (evil.example.com); it was not followed');
	});
});
