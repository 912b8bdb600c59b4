import type { INodeParameters } from 'n8n-workflow';

import type { Mode } from './fixtures';
import { acumaticaFake, ENDPOINT, expectAuthenticated, expectErrorItem, HOST, runAcumatica, wait } from './fixtures';

const byEmail = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'record',
	operation: 'createOrUpdateByMatch',
	entity: { __rl: true, mode: 'list', value: 'Contact' },
	matchField: 'Email',
	matchValue: '={{ $json.email }}',
	record: '={{ JSON.stringify({ FirstName: $json.first, LastName: $json.last, Phone1: $json.phone }) }}',
	...parameters,
});

const lookup = (escapedLiteral: string) =>
	`${ENDPOINT}/Contact?%24filter=Email%20eq%20${escapedLiteral}&%24select=Email&%24top=10`;

describe.each<Mode>(['session', 'passwordGrant'])('Create or Update by Match Field (%s)', (mode) => {
	test('0 matches: $filter search, then PUT without id (a create), with the match field added', async () => {
		const fake = acumaticaFake((request) => (request.method === 'GET' ? [200, []] : [200, { id: 'new-1', ...(request.body as object) }]));
		const { items, error } = await runAcumatica(byEmail(), [{ email: 'ann@example.com', first: 'Ann', last: 'Lee', phone: '+1 555 0100' }], { mode });
		expect(error).toBeUndefined();
		expect(fake.entity.map((r) => [r.method, r.path])).toEqual([
			['GET', lookup('%27ann%40example.com%27')],
			['PUT', `${ENDPOINT}/Contact`],
		]);
		expect(fake.entity[1].rawBody).toBe(
			'{"FirstName":{"value":"Ann"},"LastName":{"value":"Lee"},"Phone1":{"value":"+1 555 0100"},"Email":{"value":"ann@example.com"}}',
		);
		for (const request of fake.entity) expectAuthenticated(request, mode);
		expect(items).toEqual([
			{ json: { id: 'new-1', FirstName: 'Ann', LastName: 'Lee', Phone1: '+1 555 0100', Email: 'ann@example.com' }, pairedItem: { item: 0 } },
		]);
	});

	test('1 match: PUT with the found id (an update)', async () => {
		const fake = acumaticaFake((request) =>
			request.method === 'GET' ? [200, [{ id: 'c-42', rowNumber: 1, Email: { value: 'ann@example.com' } }]] : [200, request.body],
		);
		const { items } = await runAcumatica(byEmail(), [{ email: 'ann@example.com', first: 'Ann', last: 'Lee' }], { mode });
		expect(fake.entity[1].method).toBe('PUT');
		expect(fake.entity[1].path).toBe(`${ENDPOINT}/Contact`);
		expect(fake.entity[1].rawBody).toBe(
			'{"FirstName":{"value":"Ann"},"LastName":{"value":"Lee"},"Email":{"value":"ann@example.com"},"id":"c-42"}',
		);
		expect(items[0].json).toEqual({ FirstName: 'Ann', LastName: 'Lee', Email: 'ann@example.com', id: 'c-42' });
	});

	test('2 matches: the item fails naming both ids, nothing is written', async () => {
		const fake = acumaticaFake(() => [200, [{ id: 'c-1' }, { id: 'c-2' }]]);
		const { items } = await runAcumatica(byEmail(), [{ email: 'dup@example.com', first: 'D' }], { mode, continueOnFail: true });
		expect(fake.entity.map((r) => r.method)).toEqual(['GET']);
		expectErrorItem(items[0], 0, '2 Contact records have Email "dup@example.com" (ids: c-1, c-2); none was changed (item 0)');
		expect(items[0].json.details).toEqual({ description: 'Merge the duplicates in Acumatica, or choose a Match Field that is unique for Contact.' });
	});
});

describe('Create or Update by Match Field: duplicates within one execution', () => {
	test('two items with the same email (any case), running concurrently: one create, then the second finds it and updates it', async () => {
		const stored: Array<{ id: string; Email: string }> = [];
		const fake = acumaticaFake(async (request) => {
			if (request.method === 'GET') {
				const email = /Email eq '(.*)'$/.exec(decodeURIComponent(request.path.split('?')[1].split('&')[0]))?.[1] ?? '';
				const found = stored.filter((contact) => contact.Email.toLowerCase() === email.toLowerCase());
				await wait(20);
				return [200, found.map((contact) => ({ id: contact.id, Email: { value: contact.Email } }))];
			}
			const body = request.body as { id?: string; Email: { value: string } };
			await wait(20);
			if (!body.id) stored.push({ id: `c-${stored.length + 1}`, Email: body.Email.value });
			return [200, { ...body, id: body.id ?? `c-${stored.length}` }];
		});
		const { items, error } = await runAcumatica(byEmail({ requestOptions: { concurrency: 3 } }), [
			{ email: 'ann@example.com', first: 'Ann' },
			{ email: 'bob@example.com', first: 'Bob' },
			{ email: 'ANN@example.com', first: 'Annie' },
		]);
		expect(error).toBeUndefined();
		expect(stored.map((contact) => contact.Email).sort()).toEqual(['ann@example.com', 'bob@example.com']);
		const puts = fake.entity.filter((request) => request.method === 'PUT').map((request) => request.body as { id?: string; FirstName: { value: string } });
		expect(puts.find((body) => body.FirstName.value === 'Annie')?.id).toBe(stored.find((contact) => contact.Email === 'ann@example.com')?.id);
		expect(items.map((item) => [item.json.FirstName, item.pairedItem])).toEqual([
			['Ann', { item: 0 }],
			['Bob', { item: 1 }],
			['Annie', { item: 2 }],
		]);
	});
});

describe('Create or Update by Match Field: values and fields', () => {
	test("a value with a quote is escaped as OData wants ('') and sent URL-encoded", async () => {
		const fake = acumaticaFake((request) => (request.method === 'GET' ? [200, []] : [200, request.body]));
		await runAcumatica(byEmail(), [{ email: "o'brien@example.com", first: 'Pat' }]);
		expect(fake.entity[0].path).toBe(lookup('%27o%27%27brien%40example.com%27'));
		expect(decodeURIComponent(fake.entity[0].path)).toContain("$filter=Email eq 'o''brien@example.com'");
		expect(fake.entity[1].rawBody).toBe('{"FirstName":{"value":"Pat"},"Email":{"value":"o\'brien@example.com"}}');
	});

	test('a linked field (MainContact/Email) is searched as such (with $expand of the linked entity) and set nested in the record', async () => {
		const fake = acumaticaFake((request) => (request.method === 'GET' ? [200, []] : [200, request.body]));
		await runAcumatica(
			byEmail({ entity: { __rl: true, mode: 'name', value: 'Customer' }, matchField: 'MainContact/Email', record: '{"CustomerName":"ACME"}' }),
			[{ email: 'ap@acme.test' }],
		);
		expect(fake.entity[0].path).toBe(
			`${ENDPOINT}/Customer?%24filter=MainContact%2FEmail%20eq%20%27ap%40acme.test%27&%24select=MainContact%2FEmail&%24top=10&%24expand=MainContact`,
		);
		expect(fake.entity[1].rawBody).toBe('{"CustomerName":{"value":"ACME"},"MainContact":{"Email":{"value":"ap@acme.test"}}}');
	});

	test('an empty match value or a match field that is not a field fails the item before any request (no login either)', async () => {
		const fake = acumaticaFake(() => [200, []]);
		const { items } = await runAcumatica(byEmail(), [{ email: '  ' }], { continueOnFail: true });
		const second = await runAcumatica(byEmail({ matchField: "Email eq 'x' or 1 eq 1" }), [{ email: 'a@b.c' }], { continueOnFail: true });
		expectErrorItem(items[0], 0, 'Match Value is empty (item 0)');
		expectErrorItem(second.items[0], 0, 'Match Field "Email eq \'x\' or 1 eq 1" is not a field name (item 0)');
		expect(fake.received).toHaveLength(0);
	});
});

describe('Invoke Action', () => {
	const release = (parameters: INodeParameters = {}): INodeParameters => ({
		resource: 'record',
		operation: 'invokeAction',
		entity: { __rl: true, mode: 'name', value: 'SalesOrder' },
		action: { __rl: true, mode: 'name', value: 'ReleaseFromHold' },
		record: '{"OrderType":"SO","OrderNbr":"000123"}',
		parameters: '{"Reason":"checked"}',
		actionOptions: { pollInterval: 0, maxPolls: 5 },
		...parameters,
	});
	const statusPath = '/AcumaticaERP/entity/Default/24.200.001/SalesOrder/ReleaseFromHold/status/0f1e2d3c-aaaa-4bbb-8ccc-000000000001';

	test.each<Mode>(['session', 'passwordGrant'])('202 + Location: polls the status URL (202 running) until 204, in the same session (%s)', async (mode) => {
		const fake = acumaticaFake((request, index) => {
			if (request.method === 'POST') return [202, undefined, { Location: statusPath }];
			return index < 3 ? [202] : [204];
		});
		const { items, error } = await runAcumatica(release(), [{}], { mode });
		expect(error).toBeUndefined();
		expect(fake.entity.map((r) => [r.method, r.path])).toEqual([
			['POST', `${ENDPOINT}/SalesOrder/ReleaseFromHold`],
			['GET', statusPath],
			['GET', statusPath],
			['GET', statusPath],
		]);
		expect(fake.entity[0].rawBody).toBe(
			'{"entity":{"OrderType":{"value":"SO"},"OrderNbr":{"value":"000123"}},"parameters":{"Reason":{"value":"checked"}}}',
		);
		for (const request of fake.entity) expectAuthenticated(request, mode);
		if (mode === 'session') expect(new Set(fake.entity.map((r) => r.headers.cookie)).size).toBe(1);
		expect(items).toEqual([{ json: { entity: 'SalesOrder', action: 'ReleaseFromHold', status: 'completed', checks: 3 }, pairedItem: { item: 0 } }]);
	});

	test('an action that finishes at once (204) is not polled', async () => {
		const fake = acumaticaFake(() => [204]);
		const { items } = await runAcumatica(release(), [{}]);
		expect(fake.entity).toHaveLength(1);
		expect(items[0].json).toEqual({ entity: 'SalesOrder', action: 'ReleaseFromHold', status: 'completed' });
	});

	test('polling is bounded: still running after Max Status Checks fails the item with the status URL', async () => {
		const fake = acumaticaFake((request) => (request.method === 'POST' ? [202, undefined, { Location: statusPath }] : [202]));
		const { items } = await runAcumatica(release({ actionOptions: { pollInterval: 0, maxPolls: 3 } }), [{}], { continueOnFail: true });
		expect(fake.entity).toHaveLength(4);
		expectErrorItem(items[0], 0, 'SalesOrder.ReleaseFromHold was still running after 3 status checks (item 0)');
		expect(String((items[0].json.details as { description: string }).description)).toContain(statusPath);
		expect(fake.logouts).toHaveLength(1);
	});

	test('without waiting, the status URL is returned', async () => {
		acumaticaFake(() => [202, undefined, { Location: statusPath }]);
		const { items } = await runAcumatica(release({ waitForCompletion: false }), [{}]);
		expect(items[0].json).toEqual({ entity: 'SalesOrder', action: 'ReleaseFromHold', status: 'running', statusUrl: statusPath });
	});

	test('a Location on another host is not followed (no session cookie leaves the instance)', async () => {
		const fake = acumaticaFake(() => [202, undefined, { Location: 'https://evil.example.net/status/1' }]);
		const { items } = await runAcumatica(release(), [{}], { continueOnFail: true });
		expectErrorItem(items[0], 0, 'Acumatica pointed to another host (evil.example.net); it was not followed');
		expect(fake.received.every((r) => r.path.startsWith('/AcumaticaERP/'))).toBe(true);
		expect(HOST).toBe('https://erp.example.com');
	});

	test('a 500 on the action POST is not retried (it could act twice)', async () => {
		const fake = acumaticaFake(() => [500, { message: 'An error has occurred.', exceptionMessage: 'Deadlock' }]);
		const { items } = await runAcumatica(release(), [{}], { continueOnFail: true });
		expect(fake.entity).toHaveLength(1);
		expectErrorItem(items[0], 0, 'Acumatica failed with 500: An error has occurred. Deadlock');
		expect(String((items[0].json.details as { description: string }).description)).toMatch(/not retried because sending it twice could act twice/);
	});
});
