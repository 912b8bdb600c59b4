import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';

import type { Received } from './fixtures';
import { API_KEY, omnisendFake, runOmnisend } from './fixtures';

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
				json: { status: 'created', httpStatus: 201, contactID: '64f0c0ffee0000000000a001' },
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
				json: { status: 'updated', httpStatus: 200, contactID: 'c-existing-1', email: 'ann@example.com' },
				pairedItem: { item: 0 },
			},
			{ json: { status: 'updated', httpStatus: 200, id: 'c-existing-2', contactID: 'c-existing-2' }, pairedItem: { item: 1 } },
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
		expect(items[0].json).toEqual({ status: 'updated', httpStatus: 200, contactID: 'c1' });
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
						{ key: 'score', type: 'decimal', value: '10' },
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
			'{"firstName":"Bo","city":"Leeds","countryCode":"DE","tags":["x","y"],"customProperties":{"vip":true,"score":10.0}}',
		);
		expect(items).toEqual([{ json: { contactID: 'c123', httpStatus: 200, firstName: 'Bo' }, pairedItem: { item: 0 } }]);
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
