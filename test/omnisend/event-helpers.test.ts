import { InvalidFieldError, normalizeEmail, normalizePhone, parseCountry } from '../../nodes/Omnisend/helpers/identity';
import type { PropertyType } from '../../nodes/Omnisend/helpers/properties';
import { coerceProperty, rfc3339, toDiscounts, toLineItems, typedPropertiesToObject } from '../../nodes/Omnisend/helpers/properties';
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
		for (const type of ['string', 'integer', 'number', 'boolean', 'dateTime', 'json'] as const) {
			expect(coerceProperty('k', value, type)).toBeUndefined();
		}
	});

	test('blank text is absent for number types, never a made-up 0', () => {
		expect(coerceProperty('qty', '   ', 'integer')).toBeUndefined();
		expect(coerceProperty('value', ' ', 'number')).toBeUndefined();
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

	test('number: any finite number, returned as a plain JS number (a whole value stays whole: 90, never 90.0)', () => {
		expect(coerceProperty('value', 90, 'number')).toBe(90);
		expect(JSON.stringify({ value: coerceProperty('value', 90, 'number') })).toBe('{"value":90}');
		expect(coerceProperty('value', '89.90', 'number')).toBe(89.9);
		expect(coerceProperty('value', ' 12 ', 'number')).toBe(12);
		expect(coerceProperty('value', '40.0', 'number')).toBe(40);
		expect(coerceProperty('value', -0.25, 'number')).toBe(-0.25);
		expect(coerceProperty('value', '.5', 'number')).toBe(0.5);
		expect(invalid(() => coerceProperty('value', 'NaN', 'number')).message).toBe('Property "value" must be a number, got "NaN"');
		expect(invalid(() => coerceProperty('value', Infinity, 'number')).message).toBe('Property "value" must be a number, got null');
		expect(invalid(() => coerceProperty('value', '12 EUR', 'number')).message).toBe('Property "value" must be a number, got "12 EUR"');
		const refused = invalid(() => coerceProperty('value', false, 'number'));
		expect(refused.field).toBe('Property "value"');
		expect(refused.message).toBe('Property "value" must be a number, got false');
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

	test('dateTime from a number: Unix seconds below 1e11, milliseconds from 1e11 on; the time zone plays no part', () => {
		expect(coerceProperty('d', 1767323045, 'dateTime')).toBe('2026-01-02T03:04:05Z');
		expect(coerceProperty('d', 1767323045000, 'dateTime')).toBe('2026-01-02T03:04:05Z');
		expect(coerceProperty('d', 1767323045, 'dateTime', 'Europe/Berlin')).toBe('2026-01-02T03:04:05Z');
		expect(coerceProperty('d', 1767323045.5, 'dateTime')).toBe('2026-01-02T03:04:05.500Z');
		expect(coerceProperty('d', 0, 'dateTime')).toBe('1970-01-01T00:00:00Z');
		expect(coerceProperty('d', -86400, 'dateTime')).toBe('1969-12-31T00:00:00Z');
		// The boundary: 99 999 999 999 is seconds (year 5138), 1e11 is milliseconds (1973).
		expect(coerceProperty('d', 99_999_999_999, 'dateTime')).toBe('5138-11-16T09:46:39Z');
		expect(coerceProperty('d', 1e11, 'dateTime')).toBe('1973-03-03T09:46:40Z');
		expect(coerceProperty('d', -99_999_999_999, 'dateTime')).toBe('-001199-02-15T14:13:21Z');
		expect(coerceProperty('d', -1e11, 'dateTime')).toBe('1966-10-31T14:13:20Z');
		expect(invalid(() => coerceProperty('d', NaN, 'dateTime')).message).toBe('Property "d" must be a date and time, got null');
	});

	test.each([
		['2026-01-02 03:04:05', '2026-01-02T02:04:05Z'],
		['2026-01-02T03:04:05', '2026-01-02T02:04:05Z'],
		['2026-01-02T03:04', '2026-01-02T02:04:00Z'],
		['2026-01-02 03:04', '2026-01-02T02:04:00Z'],
		['2026-01-02', '2026-01-01T23:00:00Z'],
		['2026-01-02T03:04:05.250', '2026-01-02T02:04:05.250Z'],
		[' 2026-07-01 09:30:00 ', '2026-07-01T07:30:00Z'],
	])('zone-less ISO text %j is wall-clock time in the workflow zone (Europe/Berlin) → %s', (value, expected) => {
		expect(coerceProperty('d', value, 'dateTime', 'Europe/Berlin')).toBe(expected);
	});

	test.each([
		['2026-07-01T09:30:00Z', '2026-07-01T09:30:00Z'],
		['2026-07-01T09:30:00+02:00', '2026-07-01T07:30:00Z'],
		['2026-07-01T09:30:00-0500', '2026-07-01T14:30:00Z'],
		['Tue, 01 Jul 2026 09:30:00 GMT', '2026-07-01T09:30:00Z'],
		['Wed, 01 Jul 2026 09:30:00 +0200', '2026-07-01T07:30:00Z'],
		['2026-07-01 09:30:00 UTC', '2026-07-01T09:30:00Z'],
	])('text with its own zone %j is read in that zone, whatever the workflow zone → %s', (value, expected) => {
		expect(coerceProperty('d', value, 'dateTime', 'Asia/Tokyo')).toBe(expected);
	});

	test.each([['07/01/2026 09:30'], ['07/01/2026'], ['July 1, 2026 09:30'], ['1 Jul 2026 09:30'], ['2026/07/01 09:30'], ['07-01-2026 09:30'], ['01-07-2026']])(
		'text without a zone that is not ISO (%j) is refused, never read in the server\'s zone',
		(value) => {
			const error = invalid(() => coerceProperty('when', value, 'dateTime', 'Europe/Berlin'));
			expect(error.field).toBe('Property "when"');
			expect(error.message).toBe(`Property "when" must be a date and time, got "${value}"`);
		},
	);

	test('rfc3339 is exported: UTC, milliseconds only when there are some', () => {
		expect(rfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05Z');
		expect(rfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 120)))).toBe('2026-01-02T03:04:05.120Z');
		expect(rfc3339(new Date('2026-07-01T09:30:00+02:00'))).toBe('2026-07-01T07:30:00Z');
	});

	test('numbers are read as decimal text only (no hex, binary or blanks turned into values)', () => {
		expect(invalid(() => coerceProperty('n', '0x10', 'integer')).message).toBe('Property "n" must be a whole number, got "0x10"');
		expect(invalid(() => coerceProperty('n', '0b11', 'number')).message).toBe('Property "n" must be a number, got "0b11"');
		expect(coerceProperty('n', ' -1.5e2 ', 'number')).toBe(-150);
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

	test('a type this version does not know is refused naming the property, never dropped silently', () => {
		const unknown = invalid(() => coerceProperty('amount', '1.5', 'decimal' as PropertyType));
		expect(unknown.field).toBe('Property "amount"');
		expect(unknown.message).toBe('Unknown property type "decimal"');
		expect(unknown.hint).toBe('Pick the type again in the node.');
		expect(invalid(() => coerceProperty('amount', 0, 'decimal' as PropertyType)).message).toBe('Unknown property type "decimal"');
		const named = invalid(() => coerceProperty({ field: 'Event Time' }, 'x', 'date' as PropertyType));
		expect(named.field).toBe('Event Time');
		expect(named.message).toBe('Unknown property type "date"');
		const row = invalid(() => typedPropertiesToObject([{ key: 'ok', type: 'string', value: 'x' }, { key: 'amount', type: 'decimal' as PropertyType, value: 2 }]));
		expect(row.field).toBe('Property "amount"');
		expect(row.message).toBe('Unknown property type "decimal"');
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
			{ key: 'amount', type: 'number', value: 5 },
			{ key: 'rate', type: 'number', value: '0.5' },
			{ key: 'note', value: '' },
			{ key: 'plain', value: 7 },
		]);
		expect(JSON.stringify(result)).toBe('{"tier":"gold","points":10,"amount":5,"rate":0.5,"plain":"7"}');
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

describe('toLineItems: tracker product lists as Omnisend lineItems', () => {
	test('every tracker name is renamed to its Omnisend line-item name, in Omnisend\'s order; other keys follow unchanged', () => {
		const product = {
			quantity: '2',
			extra: { a: 1 },
			price: 40,
			product_name: 'Wool Scarf',
			productDiscount: '5.5',
			product_id: 'SKU-1',
			sku: 'W-1',
			url: 'https://shop.example.com/p/sku-1',
			image_url: 'https://shop.example.com/i/sku-1.jpg',
			variant_id: 'V-1',
			brand: 'Acme',
			description: 'Warm',
			discount: '1',
			color: 'red',
		};
		const list = toLineItems('Products', [product]);
		expect(JSON.stringify(list)).toBe(
			'[{"productID":"SKU-1","productSKU":"W-1","productTitle":"Wool Scarf","productPrice":40,"productQuantity":2,"productURL":"https://shop.example.com/p/sku-1","productImageURL":"https://shop.example.com/i/sku-1.jpg","productDiscount":5.5,"extra":{"a":1},"variant_id":"V-1","brand":"Acme","description":"Warm","discount":"1","color":"red"}]',
		);
		// The item's own object is left as it was.
		expect(product.product_id).toBe('SKU-1');
		expect(Object.keys(product)).toHaveLength(14);
	});

	test.each([
		['product_id', 'productID', 'P-1', '"P-1"'],
		['product_id', 'productID', 77, '"77"'],
		['sku', 'productSKU', 'S-1', '"S-1"'],
		['product_name', 'productTitle', 'Hat', '"Hat"'],
		['name', 'productTitle', 'Hat', '"Hat"'],
		['price', 'productPrice', '19.50', '19.5'],
		['quantity', 'productQuantity', '3.0', '3'],
		['url', 'productURL', 'https://s.example/p', '"https://s.example/p"'],
		['image_url', 'productImageURL', 'https://s.example/i.png', '"https://s.example/i.png"'],
	])('%s becomes %s (%j → %s)', (alias, omnisend, value, json) => {
		expect(JSON.stringify(toLineItems('Products', [{ [alias]: value }]))).toBe(`[{"${omnisend}":${json}}]`);
	});

	test.each([
		['id', 77],
		['productId', 'P-1'],
		['title', 'Hat'],
		['description', 'Soft'],
		['discount', 0],
		['discount', '2.5'],
		['product_url', 'https://s.example/p'],
		['imageURL', 'https://s.example/i.png'],
		['image', 'https://s.example/i.png'],
		['variant_id', 'V-2'],
		['variant', 'V-2'],
		['brand', 'Acme'],
		['vendor', 'Acme'],
		['productVariantID', 'V-2'],
		['productDescription', 'Soft'],
		['productVendor', 'Acme'],
	])('%s is not a tracker name for a line-item field: it passes through unchanged (%j)', (key, value) => {
		expect(toLineItems('Products', [{ [key]: value }])).toEqual([{ [key]: value }]);
		expect(JSON.stringify(toLineItems('Products', [{ sku: 'S-1', [key]: value }]))).toBe(
			`[{"productSKU":"S-1",${JSON.stringify(key)}:${JSON.stringify(value)}}]`,
		);
	});

	test('productDiscount has no tracker alias; its own name is a number', () => {
		expect(JSON.stringify(toLineItems('Products', [{ productDiscount: '0.50' }]))).toBe('[{"productDiscount":0.5}]');
		expect(JSON.stringify(toLineItems('Products', [{ discount: 3, productDiscount: 0 }]))).toBe('[{"productDiscount":0,"discount":3}]');
		expect(invalid(() => toLineItems('Products', [{ productDiscount: '10%' }])).message).toBe(
			'Property "Products[0].productDiscount" must be a number, got "10%"',
		);
	});

	test('a blank value never wins: the next name with a value is used, and the blank names are dropped', () => {
		expect(toLineItems('Products', [{ productPrice: '', price: 3 }])).toEqual([{ productPrice: 3 }]);
		expect(JSON.stringify(toLineItems('Products', [{ productPrice: '', price: 3 }]))).toBe('[{"productPrice":3}]');
		expect(toLineItems('Products', [{ price: '  ' }])).toEqual([{}]);
		expect(JSON.stringify(toLineItems('Products', [{ productTitle: null, product_name: ' ', name: 'Hat' }]))).toBe('[{"productTitle":"Hat"}]');
		expect(JSON.stringify(toLineItems('Products', [{ productID: undefined, product_id: 'P-1', color: 'red' }]))).toBe(
			'[{"productID":"P-1","color":"red"}]',
		);
		// A blank alias is dropped even when Omnisend's own name has the value.
		expect(JSON.stringify(toLineItems('Products', [{ quantity: '', productQuantity: '2' }]))).toBe('[{"productQuantity":2}]');
		// Blank everywhere: no key at all, never an empty or made-up value.
		expect(toLineItems('Products', [{ productSKU: ' ', sku: null, productQuantity: '', quantity: undefined }])).toEqual([{}]);
	});

	test('Omnisend\'s own name is taken as it is, with its value coerced', () => {
		expect(JSON.stringify(toLineItems('Products', [{ productQuantity: '2', productPrice: '10.0', productID: 5 }]))).toBe(
			'[{"productID":"5","productPrice":10,"productQuantity":2}]',
		);
	});

	test('Omnisend\'s own name wins over the aliases, then the aliases in order; the losers pass through after the renamed keys', () => {
		expect(JSON.stringify(toLineItems('Products', [{ product_id: 'X', productID: 'OWN' }]))).toBe('[{"productID":"OWN","product_id":"X"}]');
		expect(JSON.stringify(toLineItems('Products', [{ id: 'ID', productId: 'PI', product_id: 'P_I' }]))).toBe(
			'[{"productID":"P_I","id":"ID","productId":"PI"}]',
		);
		expect(JSON.stringify(toLineItems('Products', [{ name: 'N', product_name: 'PN' }]))).toBe('[{"productTitle":"PN","name":"N"}]');
		expect(JSON.stringify(toLineItems('Products', [{ title: 'T', name: 'N' }]))).toBe('[{"productTitle":"N","title":"T"}]');
		expect(JSON.stringify(toLineItems('Products', [{ image: 'c', imageURL: 'b', image_url: 'a' }]))).toBe(
			'[{"productImageURL":"a","image":"c","imageURL":"b"}]',
		);
		// A losing alias passes through as given (not coerced).
		expect(JSON.stringify(toLineItems('Products', [{ price: '10', productPrice: '12.5' }]))).toBe('[{"productPrice":12.5,"price":"10"}]');
	});

	test('a renamed field with no value (null, blank) is left out, not sent empty', () => {
		expect(JSON.stringify(toLineItems('Products', [{ product_id: 'SKU-1', price: null, quantity: ' ', sku: '' }]))).toBe('[{"productID":"SKU-1"}]');
	});

	test('a list given as JSON text is read', () => {
		expect(JSON.stringify(toLineItems('Products', '[{"price":"39.95","quantity":"1"}]'))).toBe('[{"productPrice":39.95,"productQuantity":1}]');
		expect(toLineItems('Products', '[]')).toEqual([]);
	});

	test.each([[''], ['   '], [undefined], [null]])('absent (%j) is undefined', (value) => {
		expect(toLineItems('Products', value)).toBeUndefined();
	});

	test.each([
		[{ a: 1 }, 'Property "Products" must be a list of products, got {"a":1}'],
		['{"a":1}', 'Property "Products" must be a list of products, got "{"a":1}"'],
		['[{"a":', 'Property "Products" must be JSON (an object or a list), got "[{"a":"'],
		[[{ a: 1 }, 'SKU-2'], 'Property "Products[1]" must be an object, got "SKU-2"'],
		[[[1]], 'Property "Products[0]" must be an object, got [1]'],
		[[null], 'Property "Products[0]" must be an object, got null'],
		[[{ quantity: 1.5 }], 'Property "Products[0].quantity" must be a whole number, got 1.5'],
		[[{ productQuantity: 'two' }], 'Property "Products[0].productQuantity" must be a whole number, got "two"'],
		[[{ price: 'free' }], 'Property "Products[0].price" must be a number, got "free"'],
		[[{ name: { en: 'Hat' } }], 'Property "Products[0].name" must be text, got {"en":"Hat"}'],
	])('%j is refused', (value, message) => {
		expect(invalid(() => toLineItems('Products', value)).message).toBe(message);
	});
});

describe('toDiscounts: codes as Omnisend discounts', () => {
	test.each([
		['WELCOME10', [{ code: 'WELCOME10' }]],
		['A, B', [{ code: 'A' }, { code: 'B' }]],
		[' A ,, B , ', [{ code: 'A' }, { code: 'B' }]],
		[['A', 'B'], [{ code: 'A' }, { code: 'B' }]],
		[[' A ', '', null], [{ code: 'A' }]],
		[10, [{ code: '10' }]],
	])('%j → %j', (value, expected) => {
		expect(toDiscounts(value)).toEqual(expected);
	});

	test.each([
		[[{ code: 'A' }, { code: ' B ' }], [{ code: 'A' }, { code: 'B' }]],
		[['A', { code: 'B' }], [{ code: 'A' }, { code: 'B' }]],
		[[{ code: 'A', amount: 5 }], [{ code: 'A' }]],
		[[{ code: 'A' }, { amount: 5 }], [{ code: 'A' }]],
		[[{ code: 'A' }, { code: '' }, { code: null }], [{ code: 'A' }]],
	])('a list of {code} objects: %j → %j', (value, expected) => {
		expect(toDiscounts(value)).toEqual(expected);
	});

	test.each([[''], [' , '], [undefined], [null], [[]], [['', ' ']], [[{ amount: 5 }]], [[{ code: ' ' }]]])(
		'empty (%j) is undefined: no discounts key',
		(value) => {
			expect(toDiscounts(value)).toBeUndefined();
		},
	);

	test.each([
		[[['A']], 'Discount Codes must be codes (text), got ["A"]'],
		[[{ code: { x: 1 } }], 'Discount Codes must be codes (text), got {"code":{"x":1}}'],
		[[{ code: ['A'] }], 'Discount Codes must be codes (text), got {"code":["A"]}'],
		[['A', ['B', 'C']], 'Discount Codes must be codes (text), got ["B","C"]'],
	])('an entry that is not a code (%j) is refused naming Discount Codes', (value, message) => {
		const error = invalid(() => toDiscounts(value));
		expect(error.field).toBe('Discount Codes');
		expect(error.message).toBe(message);
	});

	test('a single {code} object counts as one code, never sent as "[object Object]"', () => {
		expect(toDiscounts({ code: ' A ' })).toEqual([{ code: 'A' }]);
		expect(invalid(() => toDiscounts({ code: { x: 1 } })).message).toMatch(/^Discount Codes must be codes \(text\)/);
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
