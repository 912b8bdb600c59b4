import nock from 'nock';

import { buildSoql, soqlValue } from '../../nodes/Salesforce/actions/record/find.operation';
import { soqlString } from '../../nodes/Salesforce/helpers/input';
import { expectApiRequest, runSalesforce, salesforceFake, TOKEN_1, V, STORED } from './fixtures';

const contact = { __rl: true, mode: 'name', value: 'Contact' };

describe('Record › Create', () => {
	test('POST /sobjects/{object} with the fields; 201 → id', async () => {
		const { received } = salesforceFake(() => [201, { id: '00Qxx000001AbCdEAK', success: true, errors: [] }]);
		const { items, error } = await runSalesforce(
			{
				resource: 'record',
				operation: 'create',
				sobject: { __rl: true, mode: 'list', value: 'Lead' },
				fieldValues: { field: [{ name: 'LastName', value: '={{ $json.last }}' }, { name: 'Company', value: 'Acme' }, { name: 'AnnualRevenue', value: '={{ 50000 }}' }] },
			},
			[{ last: 'O\'Brien' }],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		expectApiRequest(received[0], 'POST', `${V}/sobjects/Lead`, '{"LastName":"O\'Brien","Company":"Acme","AnnualRevenue":50000}');
		expect(items).toEqual([{ json: { id: '00Qxx000001AbCdEAK', success: true, created: true, sobject: 'Lead' }, pairedItem: { item: 0 } }]);
	});

	test('a 503 on create is not retried (it may have happened) and the error says so', async () => {
		const { received } = salesforceFake(() => [503, 'Service Unavailable']);
		const { error } = await runSalesforce(
			{ resource: 'record', operation: 'create', sobject: contact, fieldsInput: 'json', fieldsJson: '{"LastName":"X"}' },
			[{}],
			{ credentials: STORED },
		);
		expect(received).toHaveLength(1);
		expect(error?.message).toBe('Salesforce answered 503: Service Unavailable');
		expect((error as { description?: string }).description).toContain('it was not retried: it may or may not have been applied');
	});

	test('a field name that is not an API name is refused before sending', async () => {
		const { received } = salesforceFake(() => [201, {}]);
		const { error } = await runSalesforce(
			{ resource: 'record', operation: 'create', sobject: contact, fieldsInput: 'json', fieldsJson: '{"Last Name":"X"}' },
			[{}],
			{ credentials: STORED },
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Fields › Last Name "Last Name" is not a Salesforce API name (item 0)');
	});
});

describe('Record › Update and Get', () => {
	test('PATCH /sobjects/{object}/{id}; 204', async () => {
		const { received } = salesforceFake(() => [204]);
		const { items, error } = await runSalesforce(
			{ resource: 'record', operation: 'update', sobject: contact, recordId: '003xx000004TmiQAAS', fieldsInput: 'json', fieldsJson: '{"Email":"a@b.co","HasOptedOutOfEmail":true}' },
			[{}],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		expectApiRequest(received[0], 'PATCH', `${V}/sobjects/Contact/003xx000004TmiQAAS`, '{"Email":"a@b.co","HasOptedOutOfEmail":true}');
		expect(items[0].json).toEqual({ id: '003xx000004TmiQAAS', success: true, sobject: 'Contact', updated: { Email: 'a@b.co', HasOptedOutOfEmail: true } });
	});

	test('GET /sobjects/{object}/{id}?fields=…', async () => {
		const record = { attributes: { type: 'Contact' }, Id: '003xx000004TmiQAAS', Email: 'a@b.co', Account: { Name: 'Acme' } };
		const { received } = salesforceFake(() => [200, record]);
		const { items } = await runSalesforce({ resource: 'record', operation: 'get', sobject: contact, recordId: '003xx000004TmiQAAS', fields: 'Id, Email, Account.Name' }, [{}], { credentials: STORED });
		expectApiRequest(received[0], 'GET', `${V}/sobjects/Contact/003xx000004TmiQAAS?fields=Id%2CEmail%2CAccount.Name`);
		expect(items[0].json).toEqual(record);
	});
});

describe('Record › Create or Update (upsert by external ID)', () => {
	const upsert = {
		resource: 'record',
		operation: 'upsert',
		sobject: { __rl: true, mode: 'name', value: 'Experiment__c' },
		externalIdField: 'Experiment_Key__c',
		externalIdValue: '={{ $json.key }}',
		fieldsInput: 'json',
		fieldsJson: '{"Name":"Checkout button","Status__c":"Running"}',
	};
	const path = (value: string, query = '') => `${V}/sobjects/Experiment__c/Experiment_Key__c/${value}${query}`;

	test('201 created, 200 updated, 204 updated (older APIs): each reported, the value URL-encoded', async () => {
		const { received } = salesforceFake((_request, index) =>
			index === 0
				? [201, { id: 'a01xx0000001AAAQ', success: true, errors: [], created: true }]
				: index === 1
					? [200, { id: 'a01xx0000002BBBQ', success: true, errors: [], created: false }]
					: [204],
		);
		const { items, error } = await runSalesforce(upsert, [{ key: 'checkout-button-color' }, { key: 'a b/c?d#e' }, { key: 'x' }], { credentials: STORED, continueOnFail: false });
		expect(error).toBeUndefined();
		expectApiRequest(received[0], 'PATCH', path('checkout-button-color'), '{"Name":"Checkout button","Status__c":"Running"}');
		expectApiRequest(received[1], 'PATCH', path('a%20b%2Fc%3Fd%23e'), '{"Name":"Checkout button","Status__c":"Running"}');
		expect(items.map((item) => item.json)).toEqual([
			{ id: 'a01xx0000001AAAQ', success: true, created: true, sobject: 'Experiment__c', externalIdField: 'Experiment_Key__c', externalIdValue: 'checkout-button-color' },
			{ id: 'a01xx0000002BBBQ', success: true, created: false, sobject: 'Experiment__c', externalIdField: 'Experiment_Key__c', externalIdValue: 'a b/c?d#e' },
			{ success: true, created: false, sobject: 'Experiment__c', externalIdField: 'Experiment_Key__c', externalIdValue: 'x' },
		]);
	});

	test('300: several records match: a clear error listing them, nothing retried', async () => {
		const { received } = salesforceFake(() => [300, [`${V}/sobjects/Experiment__c/a01xx0000001AAAQ`, `${V}/sobjects/Experiment__c/a01xx0000002BBBQ`]]);
		const { error } = await runSalesforce(upsert, [{ key: 'dup' }], { credentials: STORED });
		expect(received).toHaveLength(1);
		expect(error?.message).toBe('2 Experiment__c records have Experiment_Key__c = "dup": a01xx0000001AAAQ, a01xx0000002BBBQ; nothing was written');
		expect((error as { description?: string }).description).toContain('Upsert needs exactly one match');
		expect((error as { httpCode?: string }).httpCode).toBe('300');
	});

	test('Update Only adds updateOnly=true; 404 explained', async () => {
		const { received } = salesforceFake(() => [404, [{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: Experiment_Key__c' }]]);
		const { error } = await runSalesforce({ ...upsert, updateOnly: true }, [{ key: 'k1' }], { credentials: STORED });
		expectApiRequest(received[0], 'PATCH', path('k1', '?updateOnly=true'), '{"Name":"Checkout button","Status__c":"Running"}');
		expect(error?.message).toBe('Salesforce answered 404: NOT_FOUND: Provided external ID field does not exist or is not accessible: Experiment_Key__c');
		expect((error as { description?: string }).description).toContain('External ID field');
	});

	test('the external ID field in the body is dropped when it equals the value, refused when it differs', async () => {
		const { received } = salesforceFake(() => [200, { id: 'a01xx0000001AAAQ', success: true, errors: [], created: false }]);
		const same = await runSalesforce({ ...upsert, fieldsJson: '{"Experiment_Key__c":"k1","Name":"N"}' }, [{ key: 'k1' }], { credentials: STORED });
		expect(same.error).toBeUndefined();
		expect(received[0].rawBody).toBe('{"Name":"N"}');
		const differs = await runSalesforce({ ...upsert, fieldsJson: '{"Experiment_Key__c":"k2"}' }, [{ key: 'k1' }], { credentials: STORED });
		expect(received).toHaveLength(1);
		expect(differs.error?.message).toBe('Fields set Experiment_Key__c to "k2" but the External ID Value is "k1" (item 0)');
	});

	/**
	 * The second upsert's answer (the first runs alone while the execution's token is settled) waits
	 * until a third request arrives, or `capMs` passes, and notes how many Salesforce had by then.
	 */
	function overlapProbe(capMs: number) {
		let arrived: () => void = () => undefined;
		const third = new Promise<void>((resolve) => (arrived = resolve));
		const probe = { receivedWhenSecondAnswered: 0 };
		const fake = salesforceFake(async (_request, index) => {
			if (index === 1) {
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([third, new Promise((resolve) => (timer = setTimeout(resolve, capMs)))]);
				clearTimeout(timer);
				probe.receivedWhenSecondAnswered = fake.received.length;
				return [201, { id: 'a01xx0000001AAAQ', success: true, errors: [], created: true }];
			}
			if (index === 2) arrived();
			return [200, { id: 'a01xx0000001AAAQ', success: true, errors: [], created: false }];
		});
		return { ...fake, probe };
	}

	test('items with the same external ID value are upserted one after the other (no double insert), other values in parallel', async () => {
		const same = overlapProbe(400);
		const sequential = await runSalesforce({ ...upsert, requestOptions: { concurrency: 4 } }, [{ key: 'k0' }, { key: 'k1' }, { key: 'K1' }], { credentials: STORED });
		expect(sequential.error).toBeUndefined();
		expect(same.received.map((request) => request.path)).toEqual([path('k0'), path('k1'), path('K1')]);
		expect(same.probe.receivedWhenSecondAnswered).toBe(2);
		expect(sequential.items.map((item) => [item.json.created, item.pairedItem])).toEqual([
			[false, { item: 0 }],
			[true, { item: 1 }],
			[false, { item: 2 }],
		]);

		nock.cleanAll();
		const different = overlapProbe(5000);
		const parallel = await runSalesforce({ ...upsert, requestOptions: { concurrency: 4 } }, [{ key: 'k0' }, { key: 'k1' }, { key: 'k2' }], { credentials: STORED });
		expect(parallel.error).toBeUndefined();
		expect(different.probe.receivedWhenSecondAnswered).toBe(3);
	});

	test('400 DUPLICATE_VALUE (a parallel writer inserted the value first): one more upsert, which updates', async () => {
		const duplicate = [{ message: 'duplicate value found: Experiment_Key__c duplicates value on record with id: a01xx0000001AAAQ', errorCode: 'DUPLICATE_VALUE', fields: [] }];
		const { received } = salesforceFake((_request, index) => (index === 0 ? [400, duplicate] : [200, { id: 'a01xx0000001AAAQ', success: true, errors: [], created: false }]));
		const { items, error } = await runSalesforce(upsert, [{ key: 'k1' }], { credentials: STORED });
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		for (const request of received) expectApiRequest(request, 'PATCH', path('k1'), '{"Name":"Checkout button","Status__c":"Running"}');
		expect(items.map((item) => item.json)).toEqual([
			{ id: 'a01xx0000001AAAQ', success: true, created: false, sobject: 'Experiment__c', externalIdField: 'Experiment_Key__c', externalIdValue: 'k1' },
		]);

		nock.cleanAll();
		const again = salesforceFake(() => [400, duplicate]);
		const twice = await runSalesforce(upsert, [{ key: 'k1' }], { credentials: STORED });
		expect(again.received).toHaveLength(2);
		expect(twice.error?.message).toBe(`Salesforce answered 400: DUPLICATE_VALUE: ${duplicate[0].message}`);
	});

	test('Id in the upsert fields is refused before sending', async () => {
		const { received } = salesforceFake(() => [200, {}]);
		const { error } = await runSalesforce({ ...upsert, fieldsJson: '{"Id":"a01xx0000001AAAQ","Name":"N"}' }, [{ key: 'k1' }], { credentials: STORED });
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Fields contain the record Id (item 0)');
	});

	test('a 503 on upsert is retried (idempotent) and then succeeds', async () => {
		const { received } = salesforceFake((_request, index) => (index === 0 ? [503, 'busy'] : [201, { id: 'a01xx0000001AAAQ', success: true, errors: [], created: true }]));
		const { items, error } = await runSalesforce(upsert, [{ key: 'k1' }], { credentials: STORED });
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(received[1].rawBody).toBe(received[0].rawBody);
		expect(items[0].json.created).toBe(true);
	});
});

describe('Record › Find (SOQL)', () => {
	test('user SOQL: GET /query?q=… then nextRecordsUrl pages until done', async () => {
		const soql = 'SELECT Id, Name FROM Campaign WHERE IsActive = true';
		const { received } = salesforceFake((request) => {
			if (request.path.startsWith(`${V}/query?`)) {
				return [200, { totalSize: 5, done: false, nextRecordsUrl: `${V}/query/01gxx0000000001AAA-2`, records: [{ Id: '1' }, { Id: '2' }] }, { 'Sforce-Limit-Info': 'api-usage=5/100000' }];
			}
			if (request.path === `${V}/query/01gxx0000000001AAA-2`) {
				return [200, { totalSize: 5, done: false, nextRecordsUrl: `${V}/query/01gxx0000000001AAA-4`, records: [{ Id: '3' }, { Id: '4' }] }, { 'Sforce-Limit-Info': 'api-usage=6/100000' }];
			}
			return [200, { totalSize: 5, done: true, records: [{ Id: '5' }] }, { 'Sforce-Limit-Info': 'api-usage=7/100000' }];
		});
		const { items, error } = await runSalesforce({ resource: 'record', operation: 'find', queryMode: 'soql', soql, returnAll: true }, [{}], { credentials: STORED });
		expect(error).toBeUndefined();
		expect(received.map((request) => request.path)).toEqual([
			`${V}/query?q=SELECT%20Id%2C%20Name%20FROM%20Campaign%20WHERE%20IsActive%20%3D%20true`,
			`${V}/query/01gxx0000000001AAA-2`,
			`${V}/query/01gxx0000000001AAA-4`,
		]);
		for (const request of received) expect(request.headers.authorization).toBe(`Bearer ${TOKEN_1}`);
		expect(items.map((item) => [item.json.Id, (item.json._salesforce as { apiUsage: { used: number } }).apiUsage.used, item.pairedItem])).toEqual([
			['1', 5, { item: 0 }],
			['2', 5, { item: 0 }],
			['3', 6, { item: 0 }],
			['4', 6, { item: 0 }],
			['5', 7, { item: 0 }],
		]);
	});

	test('with a limit, paging stops as soon as enough records are read', async () => {
		const { received } = salesforceFake(() => [200, { totalSize: 9, done: false, nextRecordsUrl: `${V}/query/01gxx-2`, records: [{ Id: '1' }, { Id: '2' }] }]);
		const { items } = await runSalesforce({ resource: 'record', operation: 'find', queryMode: 'soql', soql: 'SELECT Id FROM Lead', returnAll: false, limit: 3, requestOptions: { includeApiUsage: false } }, [{}], { credentials: STORED });
		expect(received).toHaveLength(2);
		expect(items.map((item) => item.json)).toEqual([{ Id: '1' }, { Id: '2' }, { Id: '1' }]);
	});

	test('a nextRecordsUrl outside the REST API is not followed', async () => {
		const { received } = salesforceFake(() => [200, { done: false, nextRecordsUrl: 'https://evil.example.com/steal', records: [{ Id: '1' }] }]);
		const { error } = await runSalesforce({ resource: 'record', operation: 'find', queryMode: 'soql', soql: 'SELECT Id FROM Lead', returnAll: true }, [{}], { credentials: STORED });
		expect(received).toHaveLength(1);
		expect(error?.message).toBe('Salesforce returned a link that is not a REST API path; it was not followed');
	});

	test('conditions: values with quotes, backslashes and line breaks are escaped; the exact q Salesforce receives', async () => {
		const { received } = salesforceFake(() => [200, { totalSize: 0, done: true, records: [] }]);
		const { items, error } = await runSalesforce(
			{
				resource: 'record',
				operation: 'find',
				queryMode: 'builder',
				sobject: contact,
				returnFields: 'Id, Email, Account.Name',
				conditions: {
					condition: [
						{ field: 'LastName', operator: '=', valueType: 'text', value: '={{ $json.name }}' },
						{ field: 'Account.Rating__c', operator: '>=', valueType: 'number', value: '3' },
						{ field: 'CreatedDate', operator: '>', valueType: 'date', value: 'LAST_N_DAYS:30' },
					],
				},
				combineWith: 'AND',
				orderBy: 'CreatedDate DESC',
				returnAll: false,
				limit: 10,
			},
			[{ name: "O'Brien \\ \"Jr\"\nOR Id != null" }],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		const soql = "SELECT Id,Email,Account.Name FROM Contact WHERE LastName = 'O\\'Brien \\\\ \\\"Jr\\\"\\nOR Id != null' AND Account.Rating__c >= 3 AND CreatedDate > LAST_N_DAYS:30 ORDER BY CreatedDate DESC LIMIT 10";
		// On the wire quotes travel as %27 (RFC 3986 encoding of the whole query).
		expect(received[0].path).toBe(`${V}/query?q=${encodeURIComponent(soql).replace(/'/g, '%27')}`);
		expect(new URL(`https://x${received[0].path}`).searchParams.get('q')).toBe(soql);
		expect(items).toEqual([]);
	});

	test('Contains / Starts With / Ends With: the value matches literally (% and _ escaped for LIKE); LIKE keeps the user\'s wildcards', async () => {
		const { received } = salesforceFake(() => [200, { totalSize: 0, done: true, records: [] }]);
		const { error } = await runSalesforce(
			{
				resource: 'record',
				operation: 'find',
				queryMode: 'builder',
				sobject: { __rl: true, mode: 'name', value: 'Campaign' },
				returnFields: 'Id',
				conditions: {
					condition: [
						{ field: 'Name', operator: 'contains', valueType: 'text', value: "50%_off 'VIP'" },
						{ field: 'Experiment_Key__c', operator: 'startsWith', valueType: 'text', value: 'checkout_' },
						{ field: 'Description', operator: 'endsWith', valueType: 'text', value: 'a\\b' },
						{ field: 'Type', operator: 'LIKE', valueType: 'text', value: 'Web_%' },
					],
				},
				combineWith: 'OR',
				returnAll: true,
			},
			[{}],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		const soql = "SELECT Id FROM Campaign WHERE Name LIKE '%50\\%\\_off \\'VIP\\'%' OR Experiment_Key__c LIKE 'checkout\\_%' OR Description LIKE '%a\\\\b' OR Type LIKE 'Web_%'";
		expect(new URL(`https://x${received[0].path}`).searchParams.get('q')).toBe(soql);
	});

	test('Contains with a non-text Value Type is refused before sending', () => {
		expect(() => buildSoql('Lead', 'Id', [{ field: 'Amount', operator: 'contains', valueType: 'number', value: '5' }], 'AND', '')).toThrow(
			'Condition 1: contains works only with Value Type Text',
		);
	});

	test('a value that is not of its declared type is refused before sending', async () => {
		const { received } = salesforceFake(() => [200, { done: true, records: [] }]);
		const { error } = await runSalesforce(
			{ resource: 'record', operation: 'find', queryMode: 'builder', sobject: contact, conditions: { condition: [{ field: 'Amount', operator: '=', valueType: 'number', value: '1 OR Id != null' }] } },
			[{}],
			{ credentials: STORED },
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Condition 1 › Value "1 OR Id != null" is not a number (item 0)');
	});

	test('MALFORMED_QUERY mapped with what to do', async () => {
		salesforceFake(() => [400, [{ message: "unexpected token: 'FORM'", errorCode: 'MALFORMED_QUERY' }]]);
		const { error } = await runSalesforce({ resource: 'record', operation: 'find', queryMode: 'soql', soql: 'SELECT Id FORM Lead' }, [{}], { credentials: STORED });
		expect(error?.message).toBe("Salesforce answered 400: MALFORMED_QUERY: unexpected token: 'FORM'");
		expect((error as { description?: string }).description).toBe('The SOQL is not valid. Check field and object names and quoting; with the builder, check the field names.');
	});
});

describe('SOQL escaping', () => {
	test.each([
		["O'Brien", "'O\\'Brien'"],
		['back\\slash', "'back\\\\slash'"],
		['a"b', "'a\\\"b'"],
		['line1\nline2\r\tend', "'line1\\nline2\\r\\tend'"],
		["\\' OR Name != '", "'\\\\\\' OR Name != \\''"],
		['100%_done', "'100%_done'"],
	])('%j → %s', (value, literal) => {
		expect(soqlString(value)).toBe(literal);
	});

	test('no value can end the string literal: the escaped text has no unescaped quote', () => {
		const values = ["'", "\\'", "\\\\'", "a'b\\'c\\\\'d", "'\n'"];
		for (const value of values) {
			const inner = soqlString(value).slice(1, -1);
			// Walk the literal as Salesforce does: a backslash consumes the next character.
			for (let index = 0; index < inner.length; index++) {
				if (inner[index] === '\\') index++;
				else expect(inner[index]).not.toBe("'");
			}
		}
	});

	test('typed values: numbers, booleans, null, dates are checked; text is quoted', () => {
		expect(soqlValue('number', '-12.5', '=', 'v')).toBe('-12.5');
		expect(soqlValue('boolean', 'TRUE', '=', 'v')).toBe('true');
		expect(soqlValue('null', '', '!=', 'v')).toBe('null');
		expect(soqlValue('date', '2026-06-30T12:00:00Z', '>', 'v')).toBe('2026-06-30T12:00:00Z');
		expect(() => soqlValue('date', '2026-06-30 OR x', '>', 'v')).toThrow('is not a SOQL date');
		expect(() => soqlValue('null', '', 'LIKE', 'v')).toThrow('null works only with = and !=');
		expect(buildSoql('Lead', 'Id', [], 'AND', '')).toBe('SELECT Id FROM Lead');
		expect(() => buildSoql('Lead', 'Id', [{ field: 'Name) OR (Id', operator: '=', value: 'x' }], 'AND', '')).toThrow('is not a Salesforce API name');
	});
});
