import { convertValue, keepsTextByName } from '../../nodes/SalesforceTrigger/fieldTypes';
import { parseOutboundMessage, screenBody } from '../../nodes/SalesforceTrigger/outboundMessage';
import { checkTimestamp, decodeSignature, ipAllowed, parseAllowList, parseIp, sameOrganization } from '../../nodes/SalesforceTrigger/verify';
import { LEAD, ORG_15, ORG_18, outboundMessage, to18 } from './fixtures';

describe('type conversion rules (outbound message values are all text)', () => {
	test.each([
		['true', true],
		['false', false],
		['50000.0', 50000],
		['-3', -3],
		['0', 0],
		['0.25', 0.25],
		['1.5E7', 15000000],
		['1.0E-4', 0.0001],
		['2026-06-30', '2026-06-30'],
		['2026-06-30T12:00:00.000Z', '2026-06-30T12:00:00.000Z'],
		['2026-06-30T14:00:00+02:00', '2026-06-30T12:00:00.000Z'],
		['2026-06-30T12:00:00Z', '2026-06-30T12:00:00.000Z'],
	])('%p becomes %p', (text, expected) => {
		expect(convertValue(text)).toEqual(expected);
	});

	test.each([
		['007', 'leading zero (codes, phone numbers)'],
		['+441234567890', 'plus sign'],
		['12345678901234567890', 'integer beyond 2^53'],
		['0.1234567890123456789', 'more than 15 significant digits'],
		[' 12', 'spaces'],
		['1,000', 'thousands separator'],
		['TRUE', 'upper-case boolean'],
		['12:30:00.000Z', 'a time'],
		['2026-02-30T12:00:00.000Z', 'an impossible date-time'],
		['00Q5g00000AbCdEEAV', 'an ID'],
		['1e999', 'overflow'],
		['NaN', 'not a number'],
	])('%p stays text (%s)', (text) => {
		expect(convertValue(text)).toBe(text);
	});

	test.each(['Id', 'AccountId', 'OwnerId', 'Phone', 'MobilePhone', 'Fax', 'PostalCode', 'BillingPostalCode', 'AccountNumber', 'ProductCode', 'LastName', 'Zip__c', 'Customer_Number__c'])(
		'%s keeps its text by name',
		(name) => {
			expect(keepsTextByName(name)).toBe(true);
		},
	);

	test.each(['Amount', 'NumberOfEmployees', 'IsClosed', 'AnnualRevenue', 'Valid__c', 'CreatedDate'])('%s is converted', (name) => {
		expect(keepsTextByName(name)).toBe(false);
	});
});

describe('Organization ID comparison', () => {
	test('the 18-character form carries a case checksum of the 15-character form', () => {
		expect(to18('00D5g000004SbXq')).toBe(ORG_18);
		expect(ORG_18).toHaveLength(18);
	});

	test.each([
		[ORG_15, ORG_18, true],
		[ORG_18, ORG_15, true],
		[ORG_18, ORG_18, true],
		[ORG_15, ORG_15.toLowerCase(), false],
		[ORG_18, `${ORG_15}AAB`, false],
		[ORG_18.toUpperCase(), ORG_18, true],
		[ORG_18.toLowerCase(), ORG_15, true],
		[ORG_15.toUpperCase(), ORG_18, false],
		[ORG_15, `${ORG_15.toUpperCase()}AAA`, false],
		[ORG_15, '00D5g000004SbXr', false],
		[ORG_15, '', false],
		[ORG_15, `${ORG_15}A`, false],
		['not-an-org', 'not-an-org', false],
	])('%s vs %s -> %s', (expected, received, same) => {
		expect(sameOrganization(expected, received)).toBe(same);
	});
});

describe('IP addresses and ranges', () => {
	test.each([
		['192.0.2.1', [192, 0, 2, 1]],
		['::ffff:192.0.2.1', [192, 0, 2, 1]],
		['::FFFF:c000:0201', [192, 0, 2, 1]],
		['[2001:db8::1]', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
		['::1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
	])('parses %s', (text, bytes) => {
		expect(parseIp(text)).toEqual(bytes);
	});

	test.each(['192.0.2', '192.0.2.256', '01.2.3.4', '1::2::3', '2001:db8:::1', 'gggg::1', '1:2:3:4:5:6:7:8:9', 'localhost', ''])('refuses %p', (text) => {
		expect(parseIp(text)).toBeUndefined();
	});

	test('ranges, including IPv4 ranges written as IPv4-mapped IPv6', () => {
		const ranges = parseAllowList('10.0.0.0/8 ::ffff:172.16.0.0/108, 2001:db8::/32; 192.0.2.7');
		expect(ipAllowed(ranges, '10.255.0.1')).toBe(true);
		expect(ipAllowed(ranges, '172.16.5.5')).toBe(true);
		expect(ipAllowed(ranges, '172.32.0.1')).toBe(false);
		expect(ipAllowed(ranges, '2001:0db8:ffff::1')).toBe(true);
		expect(ipAllowed(ranges, '192.0.2.7')).toBe(true);
		expect(ipAllowed(ranges, '192.0.2.8')).toBe(false);
		expect(ipAllowed(ranges, undefined)).toBe(false);
		expect(ipAllowed([], undefined)).toBe(true);
	});

	test.each([
		['10.0.0.0/33', '"10.0.0.0/33" has a prefix length outside 0-32'],
		['2001:db8::/129', '"2001:db8::/129" has a prefix length outside 0-128'],
		['10.0.0.0/8/8', '"10.0.0.0/8/8" is not an IP address or CIDR range'],
		['salesforce.com', '"salesforce.com" is not an IP address or CIDR range'],
	])('refuses the entry %s', (entry, message) => {
		expect(() => parseAllowList(entry)).toThrow(message);
	});
});

describe('signature and timestamp formats', () => {
	const mac = 'a'.repeat(64);
	test('hex and base64, with or without sha256=', () => {
		expect(decodeSignature(mac)?.toString('hex')).toBe(mac);
		expect(decodeSignature(`sha256=${mac}`)?.toString('hex')).toBe(mac);
		const base64 = Buffer.from(mac, 'hex').toString('base64');
		expect(decodeSignature(base64)?.toString('hex')).toBe(mac);
		expect(decodeSignature(base64.replace(/\+/g, '-').replace(/\//g, '_'))?.toString('hex')).toBe(mac);
		expect(decodeSignature('sha1=abcd')).toBeUndefined();
		expect(decodeSignature(mac.slice(2))).toBeUndefined();
	});

	test('timestamps: Unix seconds within the window, either side', () => {
		const nowMs = 1_800_000_000_000;
		expect(checkTimestamp('1800000000', 300, nowMs)).toBeUndefined();
		expect(checkTimestamp('1800000299', 300, nowMs)).toBeUndefined();
		expect(checkTimestamp('1799999699', 300, nowMs)).toBe('stale');
		expect(checkTimestamp('1800000301', 300, nowMs)).toBe('stale');
		expect(checkTimestamp('2026-11-23T10:00:00Z', 300, nowMs)).toBe('malformed');
		expect(checkTimestamp(undefined, 300, nowMs)).toBe('missing');
	});
});

describe('parser limits', () => {
	test('screenBody refuses DOCTYPE in any letter case and passes a clean envelope', () => {
		expect(() => screenBody(Buffer.from('<!DocType x><x/>'), 1024)).toThrow('DOCTYPE or ENTITY');
		expect(screenBody(Buffer.from(outboundMessage([LEAD])), 1024 * 1024)).toContain('<notifications');
	});

	test('a single Notification is returned as a list of one', () => {
		const message = parseOutboundMessage(outboundMessage([LEAD]));
		expect(message.notifications).toHaveLength(1);
		expect(message.notifications[0].fields.slice(0, 2)).toEqual([
			['Id', '00Q5g00000AbCdEEAV'],
			['Email', 'ada.lovelace@example.com'],
		]);
	});
});
