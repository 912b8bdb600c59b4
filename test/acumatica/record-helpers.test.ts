import { clientIdWithTenant, loginBody, mergeCookies } from '../../credentials/AcumaticaApi.credentials';
import {
	fieldErrors,
	fromAcumaticaRecord,
	odataString,
	RecordShapeError,
	toAcumaticaRecord,
	valueAt,
	withValueAt,
} from '../../nodes/Acumatica/helpers/record';

describe('plain JSON ⇄ Acumatica {"value"} records', () => {
	const plainOrder = {
		OrderType: 'SO',
		OrderNbr: '000123',
		Hold: false,
		OrderTotal: 129.99,
		Description: null,
		CustomerID: 'ABARTENDE',
		ShipToContact: { Email: 'ship@example.com', Attention: 'Dock 4' },
		Details: [
			{ InventoryID: 'AALEGO500', OrderQty: 2, Warehouse: 'WHOLESALE' },
			{ id: '7f1e0c2a-0000-4000-8000-000000000001', InventoryID: 'CONGRILL', OrderQty: 1, delete: true },
		],
		custom: { Document: { UsrChannel: { type: 'CustomStringField', value: 'web' } } },
		note: 'rush',
	};
	const wire = {
		OrderType: { value: 'SO' },
		OrderNbr: { value: '000123' },
		Hold: { value: false },
		OrderTotal: { value: 129.99 },
		Description: { value: null },
		CustomerID: { value: 'ABARTENDE' },
		ShipToContact: { Email: { value: 'ship@example.com' }, Attention: { value: 'Dock 4' } },
		Details: [
			{ InventoryID: { value: 'AALEGO500' }, OrderQty: { value: 2 }, Warehouse: { value: 'WHOLESALE' } },
			{ id: '7f1e0c2a-0000-4000-8000-000000000001', InventoryID: { value: 'CONGRILL' }, OrderQty: { value: 1 }, delete: true },
		],
		custom: { Document: { UsrChannel: { type: 'CustomStringField', value: 'web' } } },
		note: 'rush',
	};

	test('wraps every field, nested linked entities and detail lines; system properties stay as they are', () => {
		expect(JSON.stringify(toAcumaticaRecord(plainOrder))).toBe(JSON.stringify(wire));
	});

	test('an answer as Acumatica sends it (ids, rowNumbers, _links, empty {} fields) unwraps to plain JSON', () => {
		const answer = {
			id: 'a0c1e2d3-0000-4000-8000-000000000000',
			rowNumber: 1,
			...wire,
			note: { value: 'rush' },
			ShipToContact: { id: 'b1', rowNumber: 1, ...wire.ShipToContact, Phone1: {} },
			Details: wire.Details.map((line, index) => ({ rowNumber: index + 1, ...line })),
			_links: { self: '/entity/Default/24.200.001/SalesOrder/a0c1' },
		};
		expect(fromAcumaticaRecord(answer)).toEqual({
			id: 'a0c1e2d3-0000-4000-8000-000000000000',
			rowNumber: 1,
			note: 'rush',
			OrderType: 'SO',
			OrderNbr: '000123',
			Hold: false,
			OrderTotal: 129.99,
			Description: null,
			CustomerID: 'ABARTENDE',
			ShipToContact: { id: 'b1', rowNumber: 1, Email: 'ship@example.com', Attention: 'Dock 4', Phone1: null },
			Details: [
				{ rowNumber: 1, InventoryID: 'AALEGO500', OrderQty: 2, Warehouse: 'WHOLESALE' },
				{ rowNumber: 2, id: '7f1e0c2a-0000-4000-8000-000000000001', InventoryID: 'CONGRILL', OrderQty: 1, delete: true },
			],
			custom: { Document: { UsrChannel: { type: 'CustomStringField', value: 'web' } } },
			_links: { self: '/entity/Default/24.200.001/SalesOrder/a0c1' },
		});
	});

	test('round trip: plain → wire → plain gives the same record (nested and details included)', () => {
		expect(fromAcumaticaRecord(toAcumaticaRecord(plainOrder))).toEqual(plainOrder);
	});

	test('values already wrapped pass through unchanged (no {"value": {"value": …}})', () => {
		expect(toAcumaticaRecord({ Email: { value: 'a@b.c' }, MainContact: { Phone1: { value: '+1 555' } } })).toEqual({
			Email: { value: 'a@b.c' },
			MainContact: { Phone1: { value: '+1 555' } },
		});
	});

	test('a detail line that is not an object fails naming the field path', () => {
		let error: unknown;
		try {
			toAcumaticaRecord({ Details: [{ InventoryID: 'A' }, 'B'] });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(RecordShapeError);
		expect((error as RecordShapeError).field).toBe('Details[1]');
		expect((error as Error).message).toMatch(/"Details\[1\]" must be an object/);
	});

	test('a record that is not an object is refused', () => {
		expect(() => toAcumaticaRecord(['x'])).toThrow('The record must be a JSON object');
	});
});

describe('OData, field paths, 422 errors, cookies, login body', () => {
	test('string literals double single quotes', () => {
		expect(odataString("o'brien@example.com")).toBe("'o''brien@example.com'");
		expect(odataString("''")).toBe("''''''");
	});

	test('values at / paths are read and set without touching the input', () => {
		const input = { CustomerName: 'ACME' };
		const out = withValueAt(input, 'MainContact/Email', 'a@b.c');
		expect(out).toEqual({ CustomerName: 'ACME', MainContact: { Email: 'a@b.c' } });
		expect(input).toEqual({ CustomerName: 'ACME' });
		expect(valueAt(out, 'MainContact/Email')).toBe('a@b.c');
		expect(valueAt(out, 'MainContact/Phone1')).toBeUndefined();
	});

	test('fieldErrors collects every "error" in fields, linked entities, detail lines and on the record', () => {
		const body = {
			error: 'Inserting  \'Contact\' record raised at least one error.',
			Email: { value: 'bad', error: "'Email' is not a valid e-mail address." },
			LastName: { value: null, error: "'Last Name' cannot be empty." },
			Address: { Country: { value: 'XX', error: "'Country' not found." } },
			Details: [{ OrderQty: { value: 1 } }, { OrderQty: { value: -1, error: 'Quantity must be positive.' } }],
		};
		expect(fieldErrors(body)).toEqual([
			"Inserting  'Contact' record raised at least one error.",
			"Email: 'Email' is not a valid e-mail address.",
			"LastName: 'Last Name' cannot be empty.",
			"Address.Country: 'Country' not found.",
			'Details[1].OrderQty: Quantity must be positive.',
		]);
	});

	test('Set-Cookie lines merge into one Cookie header, later values replacing earlier ones', () => {
		const first = mergeCookies('', ['.ASPXAUTH=a1; path=/; HttpOnly', 'ASP.NET_SessionId=s1; path=/']);
		expect(first).toBe('.ASPXAUTH=a1; ASP.NET_SessionId=s1');
		expect(mergeCookies(first, '.ASPXAUTH=a2; path=/')).toBe('.ASPXAUTH=a2; ASP.NET_SessionId=s1');
	});

	test('the client id gets @Tenant only when it has no suffix and a tenant is set', () => {
		expect(clientIdWithTenant('ABC', 'MyTenant')).toBe('ABC@MyTenant');
		expect(clientIdWithTenant('ABC@Other', 'MyTenant')).toBe('ABC@Other');
		expect(clientIdWithTenant('ABC', '')).toBe('ABC');
	});

	test('login body: tenant (or company on older instances), branch and locale only when set', () => {
		expect(loginBody({ username: 'u', password: 'p', tenant: 'T' })).toEqual({ name: 'u', password: 'p', tenant: 'T' });
		expect(loginBody({ username: 'u', password: 'p', tenant: 'T', tenantField: 'company', branch: 'HQ', locale: 'en-US' })).toEqual({
			name: 'u',
			password: 'p',
			company: 'T',
			branch: 'HQ',
			locale: 'en-US',
		});
	});
});
