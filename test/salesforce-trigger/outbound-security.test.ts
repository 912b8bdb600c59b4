import type { IDataObject } from 'n8n-workflow';

import { deliver, EXPECTED_ACK, LEAD, ORG_15, ORG_18, outboundMessage, to18 } from './fixtures';

type Call = Awaited<ReturnType<typeof deliver>>;

/** Refused: the status and message, no Ack, no execution, nothing remembered. */
function expectRefused(call: Call, statusCode: number, body: string | RegExp) {
	expect(call.response.statusCode).toBe(statusCode);
	if (typeof body === 'string') expect(call.response.body).toBe(body);
	else expect(call.response.body).toMatch(body);
	expect(call.response.body).not.toContain('<Ack>');
	expect(call.response.written).toBe(true);
	expect(call.result).toEqual({ noWebhookResponse: true });
	expect(call.items).toBeUndefined();
	expect(call.staticData).toEqual({});
}

function expectAccepted(call: Call) {
	expect(call.response.statusCode).toBe(200);
	expect(call.response.body).toBe(EXPECTED_ACK);
	expect(call.items?.[0]).toHaveLength(1);
}

const WRONG_ORG = "The message comes from a Salesforce org other than the node's Organization ID";

describe('Organization ID', () => {
	test('a message from another org is refused with 403: no Ack, nothing emitted', async () => {
		expectRefused(await deliver(outboundMessage([LEAD], { org: to18('00D5g000009ZzZz') })), 403, WRONG_ORG);
	});

	test.each([
		['15 expected, 18 received', ORG_15, ORG_18],
		['18 expected, 15 received', ORG_18, ORG_15],
		['18 expected, 18 received', ORG_18, ORG_18],
		['15 expected, 15 received', ORG_15, ORG_15],
	])('%s: the same org is accepted', async (_name, expected, received) => {
		expectAccepted(await deliver(outboundMessage([LEAD], { org: received }), { organizationId: expected }));
	});

	test('15-character IDs are case-sensitive: a different letter case is another org', async () => {
		const otherCase = ORG_15.slice(0, 12) + ORG_15.slice(12).toUpperCase();
		expect(otherCase).not.toBe(ORG_15);
		expectRefused(await deliver(outboundMessage([LEAD], { org: otherCase })), 403, WRONG_ORG);
	});

	test('two 18-character IDs must agree in their suffix too', async () => {
		expect(ORG_18.slice(15)).not.toBe('AAA');
		expectRefused(await deliver(outboundMessage([LEAD], { org: `${ORG_15}AAA` }), { organizationId: ORG_18 }), 403, WRONG_ORG);
	});

	test('an 18-character ID is case-insensitive (its suffix encodes the case): an upper-cased copy still matches', async () => {
		// 18-character IDs exist for tools that ignore case (spreadsheets, some CRMs); the suffix restores it.
		expectAccepted(await deliver(outboundMessage([LEAD]), { organizationId: ORG_18.toUpperCase() }));
		expectAccepted(await deliver(outboundMessage([LEAD]), { organizationId: ORG_18.toLowerCase() }));
	});

	test('a configured 18-character ID whose suffix does not fit its first 15 characters is a configuration error', async () => {
		const call = await deliver(outboundMessage([LEAD], { org: `${ORG_15}AAA` }), { organizationId: `${ORG_15}AAA` });
		expectRefused(call, 500, 'The n8n Salesforce Trigger is misconfigured; its owner can see why in the node settings');
	});

	test('a message without OrganizationId is refused with 400', async () => {
		const xml = outboundMessage([LEAD]).replace(/<OrganizationId>.*<\/OrganizationId>/, '');
		expectRefused(await deliver(xml), 400, 'The SOAP message has no <OrganizationId> inside <notifications>: it is not a Salesforce outbound message');
	});

	test('a misconfigured Organization ID answers 500 (Salesforce retries) without saying more', async () => {
		const call = await deliver(outboundMessage([LEAD]), { organizationId: 'acme' });
		expectRefused(call, 500, "The n8n Salesforce Trigger is misconfigured; its owner can see why in the node settings");
	});
});

describe('IP allow-list', () => {
	const allow = (allowedIps: string) => ({ options: { allowedIps } });

	test.each([
		['a single IPv4 address', '13.110.6.8', '13.110.6.8'],
		['an IPv4 CIDR', '13.108.0.0/14', '13.110.6.8'],
		['an IPv6 CIDR', '2001:db8::/32', '2001:db8:1::5'],
		['an IPv4-mapped IPv6 caller against an IPv4 range', '13.108.0.0/14', '::ffff:13.110.6.8'],
		['one of several entries', '10.0.0.1, 2001:db8::/32\n13.110.6.8', '13.110.6.8'],
	])('%s is let through', async (_name, allowedIps, ip) => {
		expectAccepted(await deliver(outboundMessage([LEAD]), allow(allowedIps), { ip }));
	});

	test.each([
		['outside the IPv4 range', '13.108.0.0/14', '13.112.0.1'],
		['outside the IPv6 range', '2001:db8::/32', '2001:db9::1'],
		['with an IPv6 address against an IPv4 list', '13.108.0.0/14', '2001:db8::1'],
	])('a caller %s is refused with 403 before the body is read', async (_name, allowedIps, ip) => {
		expectRefused(await deliver(outboundMessage([LEAD]), allow(allowedIps), { ip }), 403, `The caller's address ${ip} is not in the node's IP Allow-List`);
	});

	test('an unreadable allow-list entry is a configuration error (500), never "allow all"', async () => {
		expectRefused(await deliver(outboundMessage([LEAD]), allow('13.108.0.0/40')), 500, /misconfigured/);
	});
});

describe('unsafe or malformed bodies are refused with 400 and start nothing', () => {
	const envelope = outboundMessage([LEAD]);

	test('malformed XML names the problem and where', async () => {
		const call = await deliver(envelope.replace('</sf:Email>', '</sf:Emial>'));
		expectRefused(call, 400, /^The body is not well-formed XML: Expected closing tag 'sf:Email' .* instead of closing tag 'sf:Emial'\. \(line \d+, column \d+\)$/);
	});

	test.each([
		[
			'billion laughs (entity expansion)',
			`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
				envelope.replace('<?xml version="1.0" encoding="UTF-8"?>', '').replace('ada.lovelace@example.com', '&lol3;'),
		],
		['external entity (XXE)', `<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${envelope.replace('<?xml version="1.0" encoding="UTF-8"?>', '').replace('Ada', '&xxe;')}`],
		['a bare DOCTYPE', `<!doctype soapenv:Envelope>${envelope.replace('<?xml version="1.0" encoding="UTF-8"?>', '')}`],
		['an ENTITY declaration hidden in a comment', envelope.replace('<soapenv:Body>', '<soapenv:Body><!-- <!ENTITY x "y"> -->')],
	])('%s', async (_name, xml) => {
		expectRefused(await deliver(xml), 400, 'The XML contains a DOCTYPE or ENTITY declaration; they are refused (Salesforce never sends them)');
	});

	test('an unknown entity reference is never expanded: it stays literal text', async () => {
		const call = await deliver(envelope.replace('Ada', '&nbsp;Ada'));
		expect(call.response.statusCode).toBe(200);
		// Without a DTD, &nbsp; is kept as the literal text it is: nothing is expanded.
		expect((call.items?.[0][0].json.fields as IDataObject).FirstName).toBe('&nbsp;Ada');
	});

	test('a body over Max Body Size is refused before parsing', async () => {
		const big = envelope.replace('Analytical Engines &amp; Co', 'x'.repeat(3000));
		const call = await deliver(big, { options: { maxBodyKb: 2 } });
		expectRefused(call, 400, `The request body is ${Buffer.byteLength(big)} bytes, over the limit of 2048 bytes set in the node (Max Body Size)`);
	});

	test('the default cap is 1 MB', async () => {
		const big = envelope.replace('Analytical Engines &amp; Co', 'x'.repeat(1024 * 1024));
		expectRefused(await deliver(big), 400, /over the limit of 1048576 bytes/);
	});

	test('a deeply nested body is refused', async () => {
		const deep = envelope.replace('<sf:LeadSource>Web</sf:LeadSource>', `${'<sf:a>'.repeat(5000)}x${'</sf:a>'.repeat(5000)}`);
		expectRefused(await deliver(deep), 400, 'The XML was refused: it is nested deeper than 16 elements');
	});

	test('a field with nested elements is refused', async () => {
		const nested = envelope.replace('<sf:LeadSource>Web</sf:LeadSource>', '<sf:LeadSource><sf:x>Web</sf:x></sf:LeadSource>');
		expectRefused(await deliver(nested), 400, 'The field <LeadSource> holds nested elements; Salesforce sends plain values');
	});

	test.each([
		['an empty body', '', 'The request body is empty; Salesforce outbound messages are SOAP XML'],
		['JSON', '{"OrganizationId":"00D"}', /^The body is not well-formed XML/],
		['XML that is not SOAP', '<notifications><OrganizationId>x</OrganizationId></notifications>', 'The body is not a SOAP 1.1 envelope (http://schemas.xmlsoap.org/soap/envelope/)'],
		[
			'an envelope without notifications',
			'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
			'The SOAP message has no <notifications> inside <Body>: it is not a Salesforce outbound message',
		],
		[
			'notifications without any Notification',
			`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>${ORG_15}</OrganizationId></notifications></s:Body></s:Envelope>`,
			'The outbound message holds no <Notification>',
		],
		['an undeclared prefix', envelope.replace('<sf:Email>', '<zz:Email>').replace('</sf:Email>', '</zz:Email>'), 'The element <zz:Email> uses the undeclared namespace prefix "zz"'],
		['a __proto__ field', envelope.replace('<sf:LeadSource>Web</sf:LeadSource>', '<sf:__proto__>x</sf:__proto__>'), /^The XML was refused|which is not a Salesforce field name$/],
		['a repeated field', envelope.replace('<sf:LeadSource>Web</sf:LeadSource>', '<sf:Email>b@example.com</sf:Email>'), /has the field Email twice$/],
		['a missing xsi:type', envelope.replace('xsi:type="sf:Lead" ', ''), 'Notification 1 has no valid xsi:type on <sObject> (the object type)'],
	])('%s', async (_name, xml, message) => {
		expectRefused(await deliver(xml), 400, message);
	});

	test('nothing in a refused body pollutes prototypes', async () => {
		await deliver(outboundMessage([LEAD]).replace('<sf:LeadSource>Web</sf:LeadSource>', '<sf:constructor>x</sf:constructor><sf:prototype>y</sf:prototype>'));
		expect(({} as IDataObject).x).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('x');
	});
});
