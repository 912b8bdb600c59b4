import type { INodeParameters } from 'n8n-workflow';

import type { Mode, Received } from './fixtures';
import { acumaticaFake, CLIENT_SECRET, ENDPOINT, expectAuthenticated, PASSWORD, runAcumatica } from './fixtures';

const contact = { __rl: true, mode: 'name', value: 'Contact' };
const record = (parameters: INodeParameters): INodeParameters => ({ resource: 'record', entity: contact, ...parameters });

/** What the service saw apart from the entity calls: session login/logout, or the token request. */
function expectAuthTraffic(fake: ReturnType<typeof acumaticaFake>, mode: Mode) {
	if (mode === 'session') {
		expect(fake.logins).toHaveLength(1);
		expect(fake.logins[0].rawBody).toBe(JSON.stringify({ name: 'api-user', password: PASSWORD, tenant: 'MyTenant' }));
		expect(fake.logins[0].headers['content-type']).toBe('application/json');
		expect(fake.logouts).toHaveLength(1);
		expect(fake.logouts[0].headers.cookie).toBe(fake.entity[0].headers.cookie);
		expect(fake.received[0]).toBe(fake.logins[0]);
		expect(fake.received[fake.received.length - 1]).toBe(fake.logouts[0]);
		expect(fake.liveSessions()).toBe(0);
		expect(fake.tokens).toHaveLength(0);
	} else if (mode === 'passwordGrant') {
		expect(fake.tokens).toHaveLength(1);
		expect(fake.tokens[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(fake.tokens[0].rawBody).toBe(
			`grant_type=password&client_id=B2A4-C0DE%40MyTenant&client_secret=${CLIENT_SECRET}&username=api-user&password=${PASSWORD}&scope=api`,
		);
		expect(fake.logins).toHaveLength(0);
		expect(fake.logouts).toHaveLength(0);
	} else {
		expect(fake.tokens).toHaveLength(0);
		expect(fake.logins).toHaveLength(0);
		expect(fake.logouts).toHaveLength(0);
	}
}

function expectRequest(request: Received, mode: Mode, method: string, path: string, rawBody?: string) {
	expect(request.method).toBe(method);
	expect(request.path).toBe(path);
	expect(request.headers.accept).toBe('application/json');
	expectAuthenticated(request, mode);
	if (rawBody === undefined) {
		expect(request.rawBody).toBe('');
		expect(request.headers['content-type']).toBeUndefined();
	} else {
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.rawBody).toBe(rawBody);
	}
}

describe.each<Mode>(['session', 'passwordGrant', 'oAuth2'])('Record operations, %s', (mode) => {
	test('Create or Update: PUT with every value wrapped (linked entity + details), answer unwrapped', async () => {
		const fake = acumaticaFake((request) => [
			200,
			{
				id: 'so-1',
				rowNumber: 1,
				...(request.body as object),
				Details: [{ id: 'l-1', rowNumber: 1, InventoryID: { value: 'AALEGO500' }, OrderQty: { value: 2 } }],
				Status: { value: 'Open' },
				Description: {},
			},
		]);
		const { items, error } = await runAcumatica(
			record({
				operation: 'createOrUpdate',
				entity: { __rl: true, mode: 'name', value: 'SalesOrder' },
				record: JSON.stringify({
					OrderType: 'SO',
					CustomerID: 'ABARTENDE',
					ShipToContact: { Email: 'ship@example.com' },
					Details: [{ InventoryID: 'AALEGO500', OrderQty: 2 }],
				}),
				options: { expand: 'Details,ShipToContact' },
			}),
			[{}],
			{ mode },
		);
		expect(error).toBeUndefined();
		expect(fake.entity).toHaveLength(1);
		expectRequest(
			fake.entity[0],
			mode,
			'PUT',
			`${ENDPOINT}/SalesOrder?%24expand=Details%2CShipToContact`,
			'{"OrderType":{"value":"SO"},"CustomerID":{"value":"ABARTENDE"},"ShipToContact":{"Email":{"value":"ship@example.com"}},"Details":[{"InventoryID":{"value":"AALEGO500"},"OrderQty":{"value":2}}]}',
		);
		expect(fake.entity[0].headers['if-none-match']).toBeUndefined();
		expect(fake.entity[0].headers['if-match']).toBeUndefined();
		expect(items).toEqual([
			{
				json: {
					id: 'so-1',
					rowNumber: 1,
					OrderType: 'SO',
					CustomerID: 'ABARTENDE',
					ShipToContact: { Email: 'ship@example.com' },
					Details: [{ id: 'l-1', rowNumber: 1, InventoryID: 'AALEGO500', OrderQty: 2 }],
					Status: 'Open',
					Description: null,
				},
				pairedItem: { item: 0 },
			},
		]);
		expectAuthTraffic(fake, mode);
	});

	test('Create or Update: insert-only sends If-None-Match: *, update-only If-Match: *', async () => {
		const fake = acumaticaFake((request) => [200, request.body]);
		await runAcumatica(record({ operation: 'createOrUpdate', record: '{"Email":"a@b.c"}', options: { writeMode: 'insertOnly' } }), [{}], { mode });
		await runAcumatica(record({ operation: 'createOrUpdate', record: '{"Email":"a@b.c"}', options: { writeMode: 'updateOnly' } }), [{}], { mode });
		expect(fake.entity.map((r) => [r.headers['if-none-match'], r.headers['if-match']])).toEqual([
			['*', undefined],
			[undefined, '*'],
		]);
	});

	test('Get by id and by key values (URL-encoded, in order), with $select', async () => {
		const fake = acumaticaFake(() => [200, { id: 'x', OrderNbr: { value: '000 123/A' } }]);
		const { items } = await runAcumatica(
			record({ operation: 'get', by: 'id', id: '={{ $json.id }}', options: { select: 'OrderNbr' } }),
			[{ id: 'a0c1e2d3-0000-4000-8000-000000000000' }],
			{ mode },
		);
		await runAcumatica(
			record({
				operation: 'get',
				entity: { __rl: true, mode: 'name', value: 'SalesOrder' },
				by: 'keys',
				keyValues: { key: [{ value: 'SO' }, { value: '000 123/A' }] },
			}),
			[{}],
			{ mode },
		);
		expectRequest(fake.entity[0], mode, 'GET', `${ENDPOINT}/Contact/a0c1e2d3-0000-4000-8000-000000000000?%24select=OrderNbr`);
		expectRequest(fake.entity[1], mode, 'GET', `${ENDPOINT}/SalesOrder/SO/000%20123%2FA`);
		expect(items).toEqual([{ json: { id: 'x', OrderNbr: '000 123/A' }, pairedItem: { item: 0 } }]);
	});

	test('Delete by id: DELETE, 204, output says what was deleted', async () => {
		const fake = acumaticaFake(() => [204]);
		const { items } = await runAcumatica(record({ operation: 'delete', by: 'id', id: 'a0c1' }), [{}], { mode });
		expectRequest(fake.entity[0], mode, 'DELETE', `${ENDPOINT}/Contact/a0c1`);
		expect(items).toEqual([{ json: { deleted: true, entity: 'Contact', id: 'a0c1' }, pairedItem: { item: 0 } }]);
	});

	test('Search with Return All pages with $top/$skip until a short page; $filter, $select, $expand passed', async () => {
		const rows = (from: number, count: number) =>
			Array.from({ length: count }, (_, index) => ({ id: `c${from + index}`, Email: { value: `p${from + index}@x.io` } }));
		const fake = acumaticaFake((_request, index) => [200, index === 0 ? rows(0, 2) : index === 1 ? rows(2, 2) : rows(4, 1)]);
		const { items } = await runAcumatica(
			record({
				operation: 'search',
				filter: "Status eq 'Active'",
				returnAll: true,
				options: { pageSize: 2, select: 'Email', expand: 'Address' },
			}),
			[{}],
			{ mode },
		);
		const query = '%24expand=Address&%24select=Email&%24filter=Status%20eq%20%27Active%27';
		expect(fake.entity.map((r) => r.path)).toEqual([
			`${ENDPOINT}/Contact?${query}&%24top=2`,
			`${ENDPOINT}/Contact?${query}&%24top=2&%24skip=2`,
			`${ENDPOINT}/Contact?${query}&%24top=2&%24skip=4`,
		]);
		for (const request of fake.entity) expectAuthenticated(request, mode);
		expect(items.map((item) => item.json)).toEqual(rows(0, 5).map((row) => ({ id: row.id, Email: row.Email.value })));
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expectAuthTraffic(fake, mode);
	});

	test('Search with a limit asks only for what it needs', async () => {
		const fake = acumaticaFake(() => [200, [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }]]);
		const { items } = await runAcumatica(record({ operation: 'search', limit: 3 }), [{}], { mode });
		expect(fake.entity.map((r) => r.path)).toEqual([`${ENDPOINT}/Contact?%24top=3`]);
		expect(items).toHaveLength(3);
	});
});
