import nock from 'nock';

import type { Answer, CallOptions, Sandbox, ServiceHandle } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

interface AcumaticaHandle extends ServiceHandle {
	instanceUrl: string;
	endpointUrl: string;
	sessions(): Array<{ id: string; user: string; tenant: string | null }>;
	stats(): { logins: number; failedLogins: number; refusedForLimit: number; logouts: number; tokens: number; active: number };
	expireSessions(): number;
	records(entity: string): Array<Record<string, any>>;
	addRecord(entity: string, record: unknown): Record<string, any>;
}

let sandbox: Sandbox;
let acumatica: AcumaticaHandle;
let fetchIt: ReturnType<typeof caller>;
const LOGIN = { name: 'admin', password: 'pw-123', tenant: 'Company' };

beforeAll(async () => {
	sandbox = await startSandbox({ services: ['acumatica'], options: { acumatica: { password: 'pw-123', sessionIdleMs: 1500 } } });
	acumatica = sandbox.services.acumatica as unknown as AcumaticaHandle;
	fetchIt = caller(sandbox);
});
afterAll(async () => await sandbox.stop());
beforeEach(() => acumatica.reset());

/** Logs in; returns the Cookie header for later calls. */
async function login(body: object = LOGIN): Promise<string> {
	const answer = await fetchIt(`${acumatica.url}/entity/auth/login`, { method: 'POST', body });
	expect(answer.status).toBe(204);
	const setCookie = answer.headers['set-cookie'] ?? [];
	return setCookie.map((line) => line.split(';')[0]).join('; ');
}

const entity = async (cookie: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> =>
	await fetchIt(`${acumatica.endpointUrl}${path}`, { method, ...options, headers: { Cookie: cookie, Accept: 'application/json', ...(options.headers ?? {}) } });

describe('sessions', () => {
	test('login: 204 with .ASPXAUTH and ASP.NET_SessionId cookies; logout: 204 and the session is gone', async () => {
		const answer = await fetchIt(`${acumatica.url}/entity/auth/login`, { method: 'POST', body: LOGIN });
		expect(answer.status).toBe(204);
		expect(answer.text).toBe('');
		const names = (answer.headers['set-cookie'] ?? []).map((line) => line.split('=')[0]);
		expect(names).toEqual(expect.arrayContaining(['.ASPXAUTH', 'ASP.NET_SessionId', 'UserBranch', 'Locale']));
		expect(acumatica.sessions()).toEqual([expect.objectContaining({ user: 'admin', tenant: 'Company' })]);

		const cookie = (answer.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
		expect((await entity(cookie, 'GET', '/Contact')).status).toBe(200);
		expect((await fetchIt(`${acumatica.url}/entity/auth/logout`, { method: 'POST', headers: { Cookie: cookie } })).status).toBe(204);
		expect(acumatica.sessions()).toEqual([]);
		expect((await entity(cookie, 'GET', '/Contact')).status).toBe(401);
		expect(acumatica.stats()).toEqual({ logins: 1, failedLogins: 0, refusedForLimit: 0, logouts: 1, tokens: 0, active: 0 });
	});

	test('wrong password or tenant: 500 "Invalid credentials"; "company" is accepted for the tenant', async () => {
		for (const body of [{ ...LOGIN, password: 'x' }, { ...LOGIN, tenant: 'Other' }]) {
			const answer = await fetchIt(`${acumatica.url}/entity/auth/login`, { method: 'POST', body });
			expect(answer.status).toBe(500);
			expect(answer.json).toEqual({ message: 'An error has occurred.', exceptionMessage: 'Invalid credentials. Please try again.', exceptionType: 'PX.Data.PXException', stackTrace: null });
		}
		await login({ name: 'admin', password: 'pw-123', company: 'Company' });
		expect(acumatica.stats()).toMatchObject({ logins: 1, failedLogins: 2 });
	});

	test('the third concurrent login is refused with "API Login Limit" (trial: 2 seats); a logout frees a seat', async () => {
		const first = await login();
		await login();
		const refused = await fetchIt(`${acumatica.url}/entity/auth/login`, { method: 'POST', body: LOGIN });
		expect(refused.status).toBe(500);
		expect(refused.json.exceptionMessage).toMatch(/^API Login Limit/);
		await fetchIt(`${acumatica.url}/entity/auth/logout`, { method: 'POST', headers: { Cookie: first } });
		await login();
		expect(acumatica.stats()).toMatchObject({ logins: 3, refusedForLimit: 1, logouts: 1, active: 2 });
	});

	test('a session not logged out holds its seat until it has been idle for sessionIdleMs, then answers 401', async () => {
		const cookie = await login();
		await login();
		await new Promise((resolve) => setTimeout(resolve, 1700));
		expect((await entity(cookie, 'GET', '/Contact')).status).toBe(401);
		await login();
	});

	test('no cookie: 401; an unknown endpoint version: 404', async () => {
		expect(await fetchIt(`${acumatica.endpointUrl}/Contact`)).toMatchObject({ status: 401, json: { message: 'You are not logged in.' } });
		const cookie = await login();
		expect((await fetchIt(`${acumatica.url}/entity/Default/20.200.001/Contact`, { headers: { Cookie: cookie } })).status).toBe(404);
	});

	test('password grant: token for client_id@Tenant; Bearer works on the entity API', async () => {
		const form = new URLSearchParams({ grant_type: 'password', client_id: 'sandbox-client@Company', client_secret: 'sandbox-client-secret', username: 'admin', password: 'pw-123', scope: 'api' });
		const answer = await fetchIt(`${acumatica.url}/identity/connect/token`, { method: 'POST', body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(answer.json).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{64}$/), expires_in: 3600, token_type: 'Bearer', scope: 'api' });
		expect((await fetchIt(`${acumatica.endpointUrl}/Contact`, { headers: { Authorization: `Bearer ${answer.json.access_token}` } })).status).toBe(200);
		form.set('client_id', 'sandbox-client');
		const noTenant = await fetchIt(`${acumatica.url}/identity/connect/token`, { method: 'POST', body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(noTenant).toMatchObject({ status: 400, json: { error: 'invalid_client' } });
	});
});

describe('records', () => {
	let cookie: string;
	beforeEach(async () => {
		cookie = await login();
	});

	const contact = (email: string, last = 'Lee') => ({ Email: { value: email }, FirstName: { value: 'Ann' }, LastName: { value: last } });

	test('PUT creates (generated ContactID) and PUT with the id or key updates; 200 with the wrapped record', async () => {
		const created = await entity(cookie, 'PUT', '/Contact', { body: contact('ann@example.com') });
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			rowNumber: 1,
			note: { value: '' },
			Email: { value: 'ann@example.com' },
			FirstName: { value: 'Ann' },
			LastName: { value: 'Lee' },
			ContactID: { value: 1 },
			custom: {},
			files: [],
			LastModifiedDateTime: { value: expect.any(String) },
			_links: { self: `/entity/Default/24.200.001/Contact/${created.json.id}`, files: `/entity/Default/24.200.001/files/PX.Objects.Contact/${created.json.id}` },
		});
		const byId = await entity(cookie, 'PUT', '/Contact', { body: { id: created.json.id, LastName: { value: 'Lane' } } });
		expect(byId.json).toMatchObject({ id: created.json.id, LastName: { value: 'Lane' }, FirstName: { value: 'Ann' } });
		const byKey = await entity(cookie, 'PUT', '/Contact', { body: { ContactID: { value: 1 }, Phone1: { value: '+1 555' } } });
		expect(byKey.json).toMatchObject({ id: created.json.id, Phone1: { value: '+1 555' } });
		expect(acumatica.records('Contact')).toHaveLength(1);
	});

	test('a missing required field: 422 with the entity echo and the error on that field; nothing saved', async () => {
		const answer = await entity(cookie, 'PUT', '/Contact', { body: { Email: { value: 'x@example.com' }, LastName: { value: '' } } });
		expect(answer.status).toBe(422);
		expect(answer.json).toEqual({ Email: { value: 'x@example.com' }, LastName: { value: '', error: "'Last Name' cannot be empty." } });
		const customer = await entity(cookie, 'PUT', '/Customer', { body: { CustomerName: { value: 'ACME' } } });
		expect(customer.json).toEqual({ CustomerName: { value: 'ACME' }, CustomerID: { value: null, error: "'Customer ID' cannot be empty." } });
		expect(acumatica.records('Contact')).toEqual([]);
	});

	test('flat field values are refused with 400; If-None-Match / If-Match * give 412', async () => {
		const flat = await entity(cookie, 'PUT', '/Customer', { body: { CustomerID: 'C1', CustomerName: { value: 'ACME' } } });
		expect(flat).toMatchObject({ status: 400, json: { exceptionMessage: 'Field \'CustomerID\' must be sent as {"value": ...}' } });
		const acme = { CustomerID: { value: 'C1' }, CustomerName: { value: 'ACME' }, MainContact: { Email: { value: 'a@acme.test' } } };
		expect((await entity(cookie, 'PUT', '/Customer', { body: acme, headers: { 'If-Match': '*' } })).status).toBe(412);
		expect((await entity(cookie, 'PUT', '/Customer', { body: acme, headers: { 'If-None-Match': '*' } })).status).toBe(200);
		expect((await entity(cookie, 'PUT', '/Customer', { body: acme, headers: { 'If-None-Match': '*' } })).status).toBe(412);
		expect((await entity(cookie, 'PUT', '/Customer', { body: { ...acme, CustomerName: { value: 'ACME Ltd' } }, headers: { 'If-Match': '*' } })).json.CustomerName).toEqual({ value: 'ACME Ltd' });
	});

	test('GET with $filter (incl. linked fields, and/or, functions), $top/$skip, $select; 400 on a bad filter', async () => {
		acumatica.addRecord('Customer', { CustomerID: { value: 'C1' }, CustomerName: { value: 'ACME' }, MainContact: { Email: { value: 'a@acme.test' } } });
		acumatica.addRecord('Customer', { CustomerID: { value: 'C2' }, CustomerName: { value: 'Beta' }, MainContact: { Email: { value: 'b@beta.test' } } });
		acumatica.addRecord('Customer', { CustomerID: { value: 'C3' }, CustomerName: { value: "O'Neil" }, MainContact: { Email: { value: 'o@acme.test' } } });
		const ids = async (query: string) => (await entity(cookie, 'GET', `/Customer?${query}`)).json.map((record: { CustomerID: { value: string } }) => record.CustomerID.value);
		expect(await ids(`$filter=${encodeURIComponent("MainContact/Email eq 'B@BETA.test'")}`)).toEqual(['C2']);
		expect(await ids(`$filter=${encodeURIComponent("endswith(MainContact/Email,'acme.test') and CustomerName ne 'ACME'")}`)).toEqual(['C3']);
		expect(await ids(`$filter=${encodeURIComponent("CustomerName eq 'O''Neil' or CustomerID eq 'C1'")}`)).toEqual(['C1', 'C3']);
		expect(await ids('$top=2&$skip=1')).toEqual(['C2', 'C3']);
		const selected = await entity(cookie, 'GET', '/Customer?$select=CustomerID&$top=1');
		expect(Object.keys(selected.json[0]).sort()).toEqual(['CustomerID', '_links', 'custom', 'files', 'id', 'note', 'rowNumber']);
		const bad = await entity(cookie, 'GET', `/Customer?$filter=${encodeURIComponent("CustomerID eq 'x")}`);
		expect(bad).toMatchObject({ status: 400, json: { exceptionMessage: 'Invalid $filter: Unterminated string literal' } });
	});

	test('PUT with $filter updates the first match', async () => {
		acumatica.addRecord('Contact', contact('ann@example.com'));
		const answer = await entity(cookie, 'PUT', `/Contact?$filter=${encodeURIComponent("Email eq 'ann@example.com'")}`, { body: { LastName: { value: 'Moss' } } });
		expect(answer.json).toMatchObject({ ContactID: { value: 1 }, LastName: { value: 'Moss' } });
		expect(acumatica.records('Contact')).toHaveLength(1);
	});

	test('GET / DELETE by id and by keys (compound keys in order); 404 when missing', async () => {
		const order = acumatica.addRecord('SalesOrder', { OrderType: { value: 'SO' }, OrderNbr: { value: '000123' }, CustomerID: { value: 'C1' }, Details: [{ InventoryID: { value: 'X' } }] });
		expect((await entity(cookie, 'GET', '/SalesOrder/SO/000123')).json).toMatchObject({ id: order.id, Details: [{ InventoryID: { value: 'X' } }] });
		expect((await entity(cookie, 'GET', `/SalesOrder/${order.id}`)).status).toBe(200);
		expect((await entity(cookie, 'GET', '/SalesOrder/SO/999')).status).toBe(404);
		expect((await entity(cookie, 'DELETE', '/SalesOrder/SO/000123')).status).toBe(204);
		expect((await entity(cookie, 'GET', `/SalesOrder/${order.id}`)).status).toBe(404);
	});

	test('an action answers 202 with a Location; polling it gives 202 while running, then 204', async () => {
		acumatica.addRecord('SalesOrder', { OrderType: { value: 'SO' }, OrderNbr: { value: '1' }, CustomerID: { value: 'C1' } });
		const started = await entity(cookie, 'POST', '/SalesOrder/ReleaseSalesOrder', { body: { entity: { OrderType: { value: 'SO' }, OrderNbr: { value: '1' } }, parameters: {} } });
		expect(started.status).toBe(202);
		const location = String(started.headers.location);
		expect(location).toMatch(/^\/entity\/Default\/24\.200\.001\/SalesOrder\/ReleaseSalesOrder\/status\/[0-9a-f-]{36}$/);
		const poll = async () => await fetchIt(`${acumatica.url}${location}`, { headers: { Cookie: cookie } });
		expect((await poll()).status).toBe(202);
		expect((await poll()).status).toBe(204);
		expect((await poll()).status).toBe(404);
		const missing = await entity(cookie, 'POST', '/SalesOrder/ReleaseSalesOrder', { body: { entity: { OrderType: { value: 'SO' }, OrderNbr: { value: '2' } } } });
		expect(missing.status).toBe(404);
	});
});
