import { InvalidFieldError, normalizeEmail, normalizePhone, parseCountry } from '../../nodes/Omnisend/helpers/identity';
import { coerceLineItems, coerceProperty, typedPropertiesToObject } from '../../nodes/Omnisend/helpers/properties';
import { Decimal, toJson, toPlainJson } from '../../nodes/shared/json';
import { CRM_RELAY_NAMESPACE, uuidV5 } from '../../nodes/shared/uuid';

/** Runs `fn`, expecting an InvalidFieldError; returns it for field/message checks. */
function invalid(fn: () => unknown): InvalidFieldError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidFieldError);
		return error as InvalidFieldError;
	}
	throw new Error('expected an InvalidFieldError, nothing was thrown');
}

describe('normalizeEmail', () => {
	test.each([
		[' Jane.Doe@Example.COM ', 'jane.doe@example.com'],
		['a@b.co', 'a@b.co'],
		['\tANN+tag@Sub.Example.org\n', 'ann+tag@sub.example.org'],
		['', ''],
		['   ', ''],
		[undefined, ''],
		[null, ''],
	])('%j → %j', (raw, expected) => {
		expect(normalizeEmail(raw)).toBe(expected);
	});

	test.each([['jane@example'], ['jane.example.com'], ['ja ne@example.com'], ['@example.com']])('%j is refused naming the field', (raw) => {
		const error = invalid(() => normalizeEmail(raw, 'Lookup Email'));
		expect(error.field).toBe('Lookup Email');
		expect(error.message).toBe(`Lookup Email "${raw.trim()}" is not an email address`);
	});

	test('a non-text value is refused', () => {
		const error = invalid(() => normalizeEmail(42));
		expect(error.field).toBe('Email');
		expect(error.message).toBe('Email must be text, got number');
	});
});

describe('parseCountry', () => {
	test.each([
		['GB', 'GB'],
		['gb', 'GB'],
		[' de ', 'DE'],
		['us', 'US'],
	])('%j → %s', (raw, expected) => {
		expect(parseCountry(raw)).toBe(expected);
	});

	test('empty means no default country', () => {
		expect(parseCountry('')).toBeUndefined();
		expect(parseCountry('  ')).toBeUndefined();
	});

	test.each([['UK'], ['XX'], ['GBR'], ['1']])('%j is refused naming Default Phone Country', (raw) => {
		const error = invalid(() => parseCountry(raw));
		expect(error.field).toBe('Default Phone Country');
		expect(error.message).toBe(`"${raw}" is not a two-letter country code known for phone numbers`);
	});
});

describe('normalizePhone', () => {
	test.each([
		['07700 900123', 'GB', '+447700900123'],
		['030 12345678', 'DE', '+493012345678'],
		['(201) 555-0123', 'US', '+12015550123'],
		['06 12 34 56 78', 'FR', '+33612345678'],
		['312 345 6789', 'IT', '+393123456789'],
		['+447700900123', undefined, '+447700900123'],
		['+44 (0) 7700 900123', undefined, '+447700900123'],
		['+1 201-555-0123', 'GB', '+12015550123'],
		['0044 7700 900123', undefined, '+447700900123'],
		['0033 6 12 34 56 78', 'DE', '+33612345678'],
		['  +33612345678  ', undefined, '+33612345678'],
	] as const)('%j (default %s) → %s', (raw, country, expected) => {
		expect(normalizePhone(raw, country)).toBe(expected);
	});

	test('absent values give an empty string', () => {
		expect(normalizePhone(undefined)).toBe('');
		expect(normalizePhone(null)).toBe('');
		expect(normalizePhone('')).toBe('');
		expect(normalizePhone('   ', 'GB')).toBe('');
	});

	test('a national number without a default country is refused, never read as +1', () => {
		const error = invalid(() => normalizePhone('2015550123'));
		expect(error.field).toBe('Phone');
		expect(error.message).toBe('Phone "2015550123" has no country code');
		expect(error.hint).toBe('Write it with its country code (+44 …) or set Default Phone Country in the options.');
	});

	test('a number given as a JS number is read as text (and so needs a country code)', () => {
		expect(invalid(() => normalizePhone(447700900123)).message).toBe('Phone "447700900123" has no country code');
		expect(normalizePhone(7700900123, 'GB')).toBe('+447700900123');
	});

	test.each([
		['not-a-phone', 'GB', 'Phone "not-a-phone" is not a valid phone number (read as GB)'],
		['12', 'GB', 'Phone "12" is not a valid phone number (read as GB)'],
		['+44 12', undefined, 'Phone "+44 12" is not a valid phone number'],
		['+4477009001234567', undefined, 'Phone "+4477009001234567" is not a valid phone number'],
		['+999 1234567', undefined, 'Phone "+999 1234567" is not a valid phone number'],
	] as const)('%j (default %s) is refused', (raw, country, message) => {
		const error = invalid(() => normalizePhone(raw, country, 'Phone'));
		expect(error.field).toBe('Phone');
		expect(error.message).toBe(message);
	});

	test('the field name is the one given', () => {
		expect(invalid(() => normalizePhone('12', 'GB', 'Lookup Phone')).field).toBe('Lookup Phone');
		expect(invalid(() => normalizePhone({}, 'GB')).message).toBe('Phone must be text, got object');
	});
});

describe('coerceProperty', () => {
	test.each([[undefined], [null], ['']])('%j is absent for every type', (value) => {
		for (const type of ['string', 'integer', 'decimal', 'boolean', 'dateTime', 'json'] as const) {
			expect(coerceProperty('k', value, type)).toBeUndefined();
		}
	});

	test('blank text is absent for number types, never a made-up 0', () => {
		expect(coerceProperty('qty', '   ', 'integer')).toBeUndefined();
		expect(coerceProperty('value', ' ', 'decimal')).toBeUndefined();
	});

	test('string', () => {
		expect(coerceProperty('k', 'abc', 'string')).toBe('abc');
		expect(coerceProperty('k', 12, 'string')).toBe('12');
		expect(coerceProperty('k', false, 'string')).toBe('false');
		expect(invalid(() => coerceProperty('k', { a: 1 }, 'string')).message).toBe('Property "k" must be text, got {"a":1}');
	});

	test('integer: whole values in any spelling; fractions and text refused naming the key', () => {
		expect(coerceProperty('qty', 10, 'integer')).toBe(10);
		expect(coerceProperty('qty', '10.0', 'integer')).toBe(10);
		expect(coerceProperty('qty', ' 10 ', 'integer')).toBe(10);
		expect(coerceProperty('qty', '-3', 'integer')).toBe(-3);
		const fraction = invalid(() => coerceProperty('qty', 10.5, 'integer'));
		expect(fraction.field).toBe('Property "qty"');
		expect(fraction.message).toBe('Property "qty" must be a whole number, got 10.5');
		expect(invalid(() => coerceProperty('qty', '10.5', 'integer')).message).toBe('Property "qty" must be a whole number, got "10.5"');
		expect(invalid(() => coerceProperty('qty', 'ten', 'integer')).message).toBe('Property "qty" must be a whole number, got "ten"');
		expect(invalid(() => coerceProperty('qty', true, 'integer')).message).toBe('Property "qty" must be a whole number, got true');
	});

	test('decimal: a Decimal that serialises with a fraction', () => {
		const whole = coerceProperty('value', 90, 'decimal');
		expect(whole).toBeInstanceOf(Decimal);
		expect((whole as Decimal).value).toBe(90);
		expect(toJson(whole)).toBe('90.0');
		expect(toJson(coerceProperty('value', '89.90', 'decimal'))).toBe('89.9');
		expect(toJson(coerceProperty('value', ' 12 ', 'decimal'))).toBe('12.0');
		expect(invalid(() => coerceProperty('value', 'NaN', 'decimal')).message).toBe('Property "value" must be a number, got "NaN"');
		expect(invalid(() => coerceProperty('value', Infinity, 'decimal')).message).toBe('Property "value" must be a number, got null');
	});

	test('boolean', () => {
		for (const yes of [true, 'true', 'TRUE', ' yes ', '1', 1]) expect(coerceProperty('b', yes, 'boolean')).toBe(true);
		for (const no of [false, 'false', 'No', '0', 0]) expect(coerceProperty('b', no, 'boolean')).toBe(false);
		expect(invalid(() => coerceProperty('b', 'maybe', 'boolean')).message).toBe('Property "b" must be true or false, got "maybe"');
		expect(invalid(() => coerceProperty('b', 2, 'boolean')).message).toBe('Property "b" must be true or false, got 2');
	});

	test('dateTime without a zone is wall-clock time in the given (workflow) time zone, DST included', () => {
		expect(coerceProperty('d', '2026-01-02 03:04:05', 'dateTime', 'Europe/Berlin')).toBe('2026-01-02T02:04:05Z');
		expect(coerceProperty('d', '2026-07-02T03:04:05', 'dateTime', 'Europe/Berlin')).toBe('2026-07-02T01:04:05Z');
		expect(coerceProperty('d', '2026-07-02T03:04', 'dateTime', 'America/New_York')).toBe('2026-07-02T07:04:00Z');
		expect(coerceProperty('d', '2026-01-02', 'dateTime', 'Asia/Kolkata')).toBe('2026-01-01T18:30:00Z');
		expect(coerceProperty('d', '2026-01-02 03:04:05', 'dateTime')).toBe('2026-01-02T03:04:05Z');
		// An explicit zone wins over the workflow's.
		expect(coerceProperty('d', '2026-01-02T03:04:05Z', 'dateTime', 'Europe/Berlin')).toBe('2026-01-02T03:04:05Z');
	});

	test('numbers are read as decimal text only (no hex, binary or blanks turned into values)', () => {
		expect(invalid(() => coerceProperty('n', '0x10', 'integer')).message).toBe('Property "n" must be a whole number, got "0x10"');
		expect(invalid(() => coerceProperty('n', '0b11', 'decimal')).message).toBe('Property "n" must be a number, got "0b11"');
		expect(coerceProperty('n', ' -1.5e2 ', 'decimal')).toEqual(expect.objectContaining({ value: -150 }));
		expect(coerceProperty('n', '\t', 'integer')).toBeUndefined();
	});

	test('a parameter that is not a property is named by its display name', () => {
		expect(invalid(() => coerceProperty({ field: 'Event Time' }, 'soon', 'dateTime')).message).toBe('Event Time must be a date and time, got "soon"');
	});

	test('dateTime: RFC 3339 UTC, milliseconds only when there are some', () => {
		expect(coerceProperty('d', '2026-01-02T04:04:05+01:00', 'dateTime')).toBe('2026-01-02T03:04:05Z');
		expect(coerceProperty('d', '2026-01-02T03:04:05.000Z', 'dateTime')).toBe('2026-01-02T03:04:05Z');
		expect(coerceProperty('d', '2026-01-02T03:04:05.120Z', 'dateTime')).toBe('2026-01-02T03:04:05.120Z');
		expect(coerceProperty('d', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'dateTime')).toBe('2026-01-02T03:04:05Z');
		expect(coerceProperty('d', Date.UTC(2026, 0, 2, 3, 4, 5), 'dateTime')).toBe('2026-01-02T03:04:05Z');
		expect(invalid(() => coerceProperty('d', 'soon', 'dateTime')).message).toBe('Property "d" must be a date and time, got "soon"');
		expect(invalid(() => coerceProperty('d', { at: 1 }, 'dateTime')).message).toBe('Property "d" must be a date and time, got {"at":1}');
	});

	test('json: objects and lists, from text or as given', () => {
		expect(coerceProperty('j', '{"a":[1,2]}', 'json')).toEqual({ a: [1, 2] });
		expect(coerceProperty('j', '[]', 'json')).toEqual([]);
		const object = { a: 1 };
		expect(coerceProperty('j', object, 'json')).toBe(object);
		expect(invalid(() => coerceProperty('j', '{a:1}', 'json')).message).toBe('Property "j" must be JSON (an object or a list), got "{a:1}"');
		expect(invalid(() => coerceProperty('j', 'null', 'json')).message).toBe('Property "j" must be JSON (an object or a list), got "null"');
		expect(invalid(() => coerceProperty('j', 5, 'json')).message).toBe('Property "j" must be JSON (an object or a list), got 5');
	});
});

describe('typedPropertiesToObject', () => {
	test('rows become one object, each value coerced; absent values left out', () => {
		const result = typedPropertiesToObject([
			{ key: ' tier ', type: 'string', value: 'gold' },
			{ key: 'points', type: 'integer', value: '10.0' },
			{ key: 'amount', type: 'decimal', value: 5 },
			{ key: 'note', value: '' },
			{ key: 'plain', value: 7 },
		]);
		expect(toJson(result)).toBe('{"tier":"gold","points":10,"amount":5.0,"plain":"7"}');
		expect(typedPropertiesToObject(undefined)).toEqual({});
	});

	test('a row without a name, or a name given twice, is refused', () => {
		expect(invalid(() => typedPropertiesToObject([{ key: ' ', value: 'x' }])).message).toBe('A property row has no name');
		expect(
			invalid(() =>
				typedPropertiesToObject([
					{ key: 'a', value: 'x' },
					{ key: 'a', value: 'y' },
				]),
			).message,
		).toBe('Property "a" is given twice');
	});
});

describe('coerceLineItems', () => {
	test('known price keys become decimals and quantity keys whole numbers; other keys pass through unchanged', () => {
		const list = coerceLineItems('products', [
			{ product_id: 'SKU-1', price: 40, quantity: '1', extra: { a: 1 } },
			{ productID: 'SKU-2', productPrice: '19.5', productQuantity: 2.0, productDiscount: 0, price: null },
		]);
		expect(toJson(list)).toBe(
			'[{"product_id":"SKU-1","price":40.0,"quantity":1,"extra":{"a":1}},{"productID":"SKU-2","productPrice":19.5,"productQuantity":2,"productDiscount":0.0}]',
		);
	});

	test('a JSON text list is read', () => {
		expect(toJson(coerceLineItems('products', '[{"price":"39.95","quantity":"1"}]'))).toBe('[{"price":39.95,"quantity":1}]');
	});

	test('absent is undefined', () => {
		expect(coerceLineItems('products', '')).toBeUndefined();
		expect(coerceLineItems('products', undefined)).toBeUndefined();
	});

	test.each([
		[{ a: 1 }, 'Property "products" must be a list of products, got {"a":1}'],
		['{"a":1}', 'Property "products" must be a list of products, got "{"a":1}"'],
		[[{ a: 1 }, 'SKU-2'], 'Property "products[1]" must be an object, got "SKU-2"'],
		[[[1]], 'Property "products[0]" must be an object, got [1]'],
		[[{ quantity: 1.5 }], 'Property "products[0].quantity" must be a whole number, got 1.5'],
		[[{ price: 'free' }], 'Property "products[0].price" must be a number, got "free"'],
	])('%j is refused', (value, message) => {
		expect(invalid(() => coerceLineItems('products', value)).message).toBe(message);
	});
});

describe('toJson', () => {
	test('whole Decimals get a fraction, others are written as JSON.stringify would', () => {
		expect(toJson(new Decimal(10))).toBe('10.0');
		expect(toJson(new Decimal(0))).toBe('0.0');
		expect(toJson(new Decimal(-3))).toBe('-3.0');
		expect(toJson(new Decimal(10.5))).toBe('10.5');
		expect(toJson(new Decimal(89.9))).toBe('89.9');
		expect(toJson(new Decimal(1e21))).toBe('1e+21');
		expect(toJson(new Decimal(1e-7))).toBe('1e-7');
	});

	test('nested objects and arrays keep key order; undefined fields dropped, undefined in lists written null', () => {
		const value = {
			b: 1,
			a: [new Decimal(2), undefined, 'x', null, { c: new Decimal(3.25), d: undefined, f: () => 1 }],
			e: { g: true, h: 'quote " and \u2028' },
			i: undefined,
		};
		expect(toJson(value)).toBe('{"b":1,"a":[2.0,null,"x",null,{"c":3.25}],"e":{"g":true,"h":"quote \\" and \u2028"}}');
	});

	test('plain JSON is identical to JSON.stringify', () => {
		const plain = { eventName: 'placed order', n: [1, 2.5, -0.1], nested: { s: 'é', t: null, u: false }, date: new Date(Date.UTC(2026, 0, 2)) };
		expect(toJson(plain)).toBe(JSON.stringify(plain));
		expect(toJson('text')).toBe('"text"');
		expect(toJson(null)).toBe('null');
		expect(toJson(undefined)).toBe('null');
	});

	test('toPlainJson turns Decimals back into numbers', () => {
		expect(toPlainJson({ value: new Decimal(90), list: [new Decimal(1.5)] })).toEqual({ value: 90, list: [1.5] });
	});
});

describe('uuidV5', () => {
	test('matches the RFC test vector (DNS namespace, www.example.com)', () => {
		expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
	});

	test('is deterministic, version 5 / RFC variant, and differs by name and namespace', () => {
		const id = uuidV5('omnisend-event\nplaced order\nORDER-5512');
		expect(id).toBe(uuidV5('omnisend-event\nplaced order\nORDER-5512', CRM_RELAY_NAMESPACE));
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(uuidV5('omnisend-event\nplaced order\nORDER-5513')).not.toBe(id);
		expect(uuidV5('omnisend-event\nplaced order\nORDER-5512', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).not.toBe(id);
	});
});
