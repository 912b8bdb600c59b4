/**
 * Property-based tests (issue #8, part A) with fast-check: generated input either works and round
 * trips, or fails with the module's own typed error. Every property has a fixed seed and a run
 * count, so CI repeats exactly the same cases.
 */
import fc from 'fast-check';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';

import { fromAcumaticaRecord, RecordShapeError, toAcumaticaRecord } from '../../nodes/Acumatica/helpers/record';
import { InvalidFieldError, normalizeEmail, normalizePhone, parseCountry } from '../../nodes/Omnisend/helpers/identity';
import { MAX_NOTIFICATIONS, OUTBOUND_NS, parseOutboundMessage, RejectedMessage, screenBody, SOAP_ENVELOPE_NS } from '../../nodes/SalesforceTrigger/outboundMessage';
import type { OutboundMessage } from '../../nodes/SalesforceTrigger/outboundMessage';
import { checkJson, RenderedJsonError, renderTemplate, TemplateError } from '../../nodes/TemplatedWebhook/template';
import { deliver, EXPECTED_ACK, ORG_15 } from '../salesforce-trigger/fixtures';
import { captureLogs } from '../harness/capture-logs';

afterEach(() => jest.restoreAllMocks());

/** Runs `run` and returns what it threw (undefined when it returned). */
function thrown(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	return undefined;
}

// =================================================================================================
// Salesforce outbound messages (nodes/SalesforceTrigger/outboundMessage.ts, error class RejectedMessage)
// =================================================================================================

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const SOBJECT_NS = 'urn:sobject.enterprise.soap.sforce.com';
const ONE_MB = 1024 * 1024;

/** Characters XML 1.0 allows in a document. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Pieces that are easy to get wrong in XML text, mixed with any legal character. */
const textUnit = fc.oneof(
	fc.constantFrom('<', '>', '&', '"', "'", ']]>', '\r', '\n', '\t', ' ', '&amp;', '&#13;', '&lt;', '<![CDATA[', '-->', '{{', '\u00a0', '\u2028', 'é', '\u{1F600}'),
	fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((char) => XML_CHARS.test(char)),
);
const xmlText = (maxLength: number) => fc.string({ unit: textUnit, maxLength });

type Encoding = 'escaped' | 'references' | 'cdata';
interface GeneratedField {
	name: string;
	/** null: sent as xsi:nil="true". */
	value: { text: string; encoding: Encoding; selfClosing: boolean } | null;
}
interface GeneratedNotification {
	id: string;
	type: string;
	fields: GeneratedField[];
	padding: string;
}
interface GeneratedEnvelope {
	prefixes: { soap: string; xsi: string; sf: string; out: string };
	outboundAsDefault: boolean;
	xsiOnNotifications: boolean;
	sfOnRoot: boolean;
	organizationId: string;
	actionId: string | undefined;
	sessionId: string | null | undefined;
	enterpriseUrl: string | undefined;
	partnerUrl: string | undefined;
	layout: string;
	notifications: GeneratedNotification[];
}

const prefix = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,5}$/).filter((name) => !/^xml/i.test(name));
const salesforceId = fc.stringMatching(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/);
const apiName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,24}$/);
const layout = fc.constantFrom('', '\n', '\n   ', ' ', '\t');

const fieldArb: fc.Arbitrary<GeneratedField> = fc.record({
	name: apiName,
	value: fc.option(
		fc.record({ text: xmlText(16), encoding: fc.constantFrom<Encoding>('escaped', 'references', 'cdata'), selfClosing: fc.boolean() }),
		{ nil: null, freq: 4 },
	),
});
const notificationArb: fc.Arbitrary<GeneratedNotification> = fc.record({
	id: salesforceId,
	type: apiName,
	fields: fc.uniqueArray(fieldArb, { selector: (field) => field.name, maxLength: 6 }),
	padding: layout,
});
/** An envelope value (ID, URL): no surrounding white space of its own, since the parser trims it as layout. */
const envelopeValue = xmlText(20).map((text) => text.trim());

function envelopeArb(maxNotifications: number): fc.Arbitrary<GeneratedEnvelope> {
	return fc.record({
		prefixes: fc.uniqueArray(prefix, { minLength: 4, maxLength: 4 }).map(([soap, xsi, sf, out]) => ({ soap, xsi, sf, out })),
		outboundAsDefault: fc.boolean(),
		xsiOnNotifications: fc.boolean(),
		sfOnRoot: fc.boolean(),
		organizationId: salesforceId,
		actionId: fc.option(envelopeValue, { nil: undefined }),
		sessionId: fc.oneof(fc.constant(undefined), fc.constant(null), envelopeValue),
		enterpriseUrl: fc.option(envelopeValue, { nil: undefined }),
		partnerUrl: fc.option(envelopeValue, { nil: undefined }),
		layout,
		notifications: fc.integer({ min: 1, max: maxNotifications }).chain((count) => fc.array(notificationArb, { minLength: count, maxLength: count })),
	});
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const asReferences = (text: string) => [...text].map((char, index) => `&#${index % 2 === 0 ? 'x' + (char.codePointAt(0) as number).toString(16) : (char.codePointAt(0) as number)};`).join('');

function encodeValue(value: NonNullable<GeneratedField['value']>): string {
	if (value.encoding === 'references') return asReferences(value.text);
	// A CDATA section cannot hold "]]>", and XML parsers rewrite its line ends: those go escaped.
	if (value.encoding === 'cdata' && !value.text.includes(']]>') && !value.text.includes('\r')) return `<![CDATA[${value.text}]]>`;
	return escapeText(value.text);
}

/** The envelope as XML text, Salesforce's layout with the generated prefixes, positions and encodings. */
function buildEnvelope(envelope: GeneratedEnvelope): string {
	const { soap, xsi, sf, out } = envelope.prefixes;
	const gap = envelope.layout;
	const q = (local: string) => (envelope.outboundAsDefault ? local : `${out}:${local}`);
	const outDeclaration = envelope.outboundAsDefault ? `xmlns="${OUTBOUND_NS}"` : `xmlns:${out}="${OUTBOUND_NS}"`;
	const xsiDeclaration = `xmlns:${xsi}="${XSI_NS}"`;
	const sfDeclaration = `xmlns:${sf}="${SOBJECT_NS}"`;
	const element = (local: string, value: string | null | undefined) => {
		if (value === undefined) return '';
		if (value === null) return `<${q(local)} ${xsi}:nil="true"/>${gap}`;
		return `<${q(local)}>${gap}${escapeText(value)}${gap}</${q(local)}>${gap}`;
	};
	const notifications = envelope.notifications.map((notification) => {
		const fields = notification.fields.map(({ name, value }) => {
			if (value === null) return `<${sf}:${name} ${xsi}:nil="true"/>`;
			if (value.text === '' && value.selfClosing) return `<${sf}:${name}/>`;
			return `<${sf}:${name}>${encodeValue(value)}</${sf}:${name}>`;
		});
		return (
			`<${q('Notification')}>${notification.padding}<${q('Id')}>${notification.padding}${notification.id}</${q('Id')}>${notification.padding}` +
			`<${q('sObject')} ${xsi}:type="${sf}:${notification.type}"${envelope.sfOnRoot ? '' : ` ${sfDeclaration}`}>${fields.join(notification.padding)}</${q('sObject')}>` +
			`${notification.padding}</${q('Notification')}>`
		);
	});
	return (
		`<?xml version="1.0" encoding="UTF-8"?>${gap}` +
		`<${soap}:Envelope xmlns:${soap}="${SOAP_ENVELOPE_NS}"${envelope.xsiOnNotifications ? '' : ` ${xsiDeclaration}`}${envelope.sfOnRoot ? ` ${sfDeclaration}` : ''}>${gap}` +
		`<${soap}:Body>${gap}<${q('notifications')} ${outDeclaration}${envelope.xsiOnNotifications ? ` ${xsiDeclaration}` : ''}>${gap}` +
		element('OrganizationId', envelope.organizationId) +
		element('ActionId', envelope.actionId) +
		element('SessionId', envelope.sessionId) +
		element('EnterpriseUrl', envelope.enterpriseUrl) +
		element('PartnerUrl', envelope.partnerUrl) +
		notifications.join(gap) +
		`${gap}</${q('notifications')}>${gap}</${soap}:Body>${gap}</${soap}:Envelope>`
	);
}

/** What the parser must read back from a generated envelope. */
function expectedMessage(envelope: GeneratedEnvelope): OutboundMessage {
	return {
		organizationId: envelope.organizationId,
		actionId: envelope.actionId ?? '',
		sessionId: envelope.sessionId ?? null,
		enterpriseUrl: envelope.enterpriseUrl ?? '',
		partnerUrl: envelope.partnerUrl ?? '',
		notifications: envelope.notifications.map((notification) => ({
			notificationId: notification.id,
			sObjectType: notification.type,
			fields: notification.fields.map(({ name, value }) => [name, value === null ? null : value.text]),
		})),
	};
}

/** The parse path of a delivery: the screen, then the parser. Anything thrown must be ours. */
function parseBody(body: Buffer): OutboundMessage | RejectedMessage {
	let result: OutboundMessage | undefined;
	const error = thrown(() => {
		result = parseOutboundMessage(screenBody(body, ONE_MB));
	});
	if (error === undefined) return result as OutboundMessage;
	expect(error).toBeInstanceOf(RejectedMessage);
	const rejected = error as RejectedMessage;
	expect(rejected.statusCode).toBe(400);
	// The reason is short: never the body (or thousands of element names) echoed back.
	expect(rejected.message.length).toBeLessThan(600);
	return rejected;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,254}$/;

function expectPlausible(message: OutboundMessage) {
	expect(message.notifications.length).toBeGreaterThanOrEqual(1);
	expect(message.notifications.length).toBeLessThanOrEqual(MAX_NOTIFICATIONS);
	expect(message.organizationId).not.toBe('');
	for (const notification of message.notifications) {
		expect(notification.sObjectType).toMatch(FIELD_NAME);
		for (const [name, value] of notification.fields) {
			expect(name).toMatch(FIELD_NAME);
			expect(value === null || typeof value === 'string').toBe(true);
		}
	}
}

type Mutation =
	| { kind: 'delete' | 'duplicate'; at: number; length: number }
	| { kind: 'insert'; at: number; text: string }
	| { kind: 'truncate'; at: number }
	| { kind: 'byte'; at: number; value: number };

const MARKUP = ['<', '>', '</', '/>', '<x>', '</x>', '&', '&lol;', '&#0;', '&#xD800;', '<!DOCTYPE x>', '<![CDATA[', ']]>', '<!--', '-->', '"', "'", 'xmlns:sf="urn:x"', 'xmlns=""', ':', '\u0000', '\uFFFF', 'é', '<?pi x?>'];
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constantFrom<'delete' | 'duplicate'>('delete', 'duplicate'), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
	fc.record({ kind: fc.constant<'insert'>('insert'), at: fc.nat(), text: fc.oneof(fc.constantFrom(...MARKUP), fc.string({ unit: 'binary', maxLength: 4 })) }),
	fc.record({ kind: fc.constant<'truncate'>('truncate'), at: fc.nat() }),
	fc.record({ kind: fc.constant<'byte'>('byte'), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(xml: string, mutations: Mutation[]): Buffer {
	let text = xml;
	const bytePatches: Array<Extract<Mutation, { kind: 'byte' }>> = [];
	for (const mutation of mutations) {
		const at = text.length === 0 ? 0 : mutation.at % (text.length + 1);
		if (mutation.kind === 'delete') text = text.slice(0, at) + text.slice(at + mutation.length);
		else if (mutation.kind === 'duplicate') text = text.slice(0, at + mutation.length) + text.slice(at);
		else if (mutation.kind === 'insert') text = text.slice(0, at) + mutation.text + text.slice(at);
		else if (mutation.kind === 'truncate') text = text.slice(0, at);
		else if (mutation.kind === 'byte') bytePatches.push(mutation);
	}
	const body = Buffer.from(text, 'utf8');
	for (const patch of bytePatches) if (body.length > 0) body[patch.at % body.length] = patch.value;
	return body;
}

describe('outbound-message parser', () => {
	test('generated envelopes (1-100 notifications, any prefixes, XML special characters, unicode, nil, CDATA, character references) parse back to the generated data', () => {
		const seen = { maxNotifications: 0, nil: 0, cdata: 0, references: 0, selfClosing: 0, defaultNamespace: 0 };
		fc.assert(
			fc.property(envelopeArb(100), (envelope) => {
				const parsed = parseOutboundMessage(screenBody(Buffer.from(buildEnvelope(envelope), 'utf8'), ONE_MB));
				expect(parsed).toEqual(expectedMessage(envelope));
				seen.maxNotifications = Math.max(seen.maxNotifications, envelope.notifications.length);
				if (envelope.outboundAsDefault) seen.defaultNamespace++;
				for (const { value } of envelope.notifications.flatMap((notification) => notification.fields)) {
					if (value === null) seen.nil++;
					else if (value.encoding !== 'escaped') seen[value.encoding]++;
					if (value?.text === '' && value.selfClosing) seen.selfClosing++;
				}
			}),
			{ seed: 8_001, numRuns: 120 },
		);
		// The runs covered big batches and every way of writing a value.
		expect(seen.maxNotifications).toBeGreaterThanOrEqual(90);
		for (const count of [seen.nil, seen.cdata, seen.references, seen.selfClosing, seen.defaultNamespace]) expect(count).toBeGreaterThan(0);
	});

	test('arbitrary bytes either parse or are refused with RejectedMessage (400)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 400 }), (raw) => {
				const result = parseBody(Buffer.from(raw));
				if (!(result instanceof RejectedMessage)) expectPlausible(result);
			}),
			{ seed: 8_002, numRuns: 300 },
		);
	});

	test('arbitrary XML-like text either parses or is refused with RejectedMessage (400)', () => {
		const tokens = fc.oneof(
			fc.constantFrom(...MARKUP, 'soapenv:', 'Envelope', 'Body', 'notifications', 'Notification', 'sObject', 'OrganizationId', ` xmlns:soapenv="${SOAP_ENVELOPE_NS}"`, ` xmlns="${OUTBOUND_NS}"`, ` xmlns:xsi="${XSI_NS}"`, ' xsi:type="sf:Lead"', ' xsi:nil="true"', ORG_15, '__proto__', 'constructor'),
			fc.string({ unit: 'binary', maxLength: 3 }),
		);
		fc.assert(
			fc.property(fc.array(tokens, { maxLength: 60 }), (parts) => {
				const result = parseBody(Buffer.from(parts.join(''), 'utf8'));
				if (!(result instanceof RejectedMessage)) expectPlausible(result);
			}),
			{ seed: 8_003, numRuns: 400 },
		);
	});

	test('arbitrary mutations of a valid envelope either parse or are refused with RejectedMessage (400)', () => {
		const outcomes = { parsed: 0, rejected: 0 };
		fc.assert(
			fc.property(envelopeArb(3), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (envelope, mutations) => {
				const result = parseBody(mutate(buildEnvelope(envelope), mutations));
				if (result instanceof RejectedMessage) outcomes.rejected++;
				else {
					outcomes.parsed++;
					expectPlausible(result);
				}
			}),
			{ seed: 8_004, numRuns: 400 },
		);
		expect(outcomes.parsed).toBeGreaterThan(0);
		expect(outcomes.rejected).toBeGreaterThan(0);
	});

	test('through the webhook, a mutated envelope is acknowledged with items or refused (400/403) with none; never a crash', async () => {
		// The generated org must be the node's own for the message to be accepted at all.
		const ours = envelopeArb(2).map((envelope) => ({ ...envelope, organizationId: ORG_15 }));
		const statuses = new Set<number>();
		let refusals = 0;
		// n8n's log lines are counted (one per refusal) instead of printed.
		const logged = captureLogs();
		await fc.assert(
			fc.asyncProperty(ours, fc.array(mutationArb, { maxLength: 3 }), async (envelope, mutations) => {
				const call = await deliver(mutate(buildEnvelope(envelope), mutations));
				statuses.add(call.response.statusCode);
				if (call.response.statusCode === 200) {
					expect(call.response.body).toBe(EXPECTED_ACK);
					expect(call.items?.[0].length).toBeGreaterThanOrEqual(1);
				} else {
					refusals++;
					expect([400, 403]).toContain(call.response.statusCode);
					expect(call.response.headers['content-type']).toBe('text/plain; charset=utf-8');
					expect(call.items).toBeUndefined();
				}
			}),
			{ seed: 8_005, numRuns: 60 },
		);
		expect(statuses).toContain(200);
		expect(statuses).toContain(400);
		expect(logged.mock.calls.length + (console.warn as jest.Mock).mock.calls.length).toBe(refusals);
	});
});

// =================================================================================================
// Acumatica {"value"} wrapper (nodes/Acumatica/helpers/record.ts, error class RecordShapeError)
// =================================================================================================

/** Acumatica field names are PascalCase (CustomerID, OrderNbr): never a system property or "value". */
const acumaticaField = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,11}$/);
const leaf = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { record: plainRecord } = fc.letrec<{ record: Record<string, unknown>; entity: Record<string, unknown>; value: unknown }>((tie) => ({
	record: fc.dictionary(acumaticaField, tie('value'), { maxKeys: 5, noNullPrototype: true }),
	// A linked entity with at least one field (an empty one comes back as null; see below).
	entity: fc.dictionary(acumaticaField, tie('value'), { minKeys: 1, maxKeys: 4, noNullPrototype: true }),
	value: fc.oneof({ maxDepth: 3, depthIdentifier: 'acumatica' }, leaf, leaf, tie('entity'), fc.array(tie('record'), { maxLength: 3 })),
}));
/** System properties pass through untouched: ids, row numbers, notes, the delete flag, custom fields. */
const systemFields = fc.record(
	{
		id: fc.uuid(),
		rowNumber: fc.nat(),
		note: fc.string({ maxLength: 10 }),
		delete: fc.boolean(),
		custom: fc.constant({ Document: { UsrChannel: { type: 'CustomStringField', value: 'web' } } }),
	},
	{ requiredKeys: [] },
);
const acumaticaRecord = fc.tuple(plainRecord, systemFields).map(([fields, system]) => ({ ...fields, ...system }));

/** The wire form: every field {"value": x}, linked entities and detail lines as records, system properties as sent. */
function expectWireForm(wire: unknown, plain: unknown) {
	for (const [key, value] of Object.entries(plain as Record<string, unknown>)) {
		const sent = (wire as Record<string, unknown>)[key];
		if (['id', 'rowNumber', 'note', 'delete', 'custom'].includes(key)) expect(sent).toEqual(value);
		else if (Array.isArray(value)) value.forEach((line, index) => expectWireForm((sent as unknown[])[index], line));
		else if (value !== null && typeof value === 'object') expectWireForm(sent, value);
		else expect(sent).toEqual({ value });
	}
}

describe('Acumatica {"value"} wrapper', () => {
	test('wrap then unwrap is the identity for JSON records (linked entities, detail lines, nulls, numbers, booleans, strings, system properties)', () => {
		fc.assert(
			fc.property(acumaticaRecord, (plain) => {
				const wire = toAcumaticaRecord(plain);
				expectWireForm(wire, plain);
				expect(fromAcumaticaRecord(wire)).toEqual(plain);
				// Wrapping the wire form again changes nothing (wrapped values pass through).
				expect(toAcumaticaRecord(wire)).toEqual(wire);
			}),
			{ seed: 8_101, numRuns: 300 },
		);
	});

	test('undefined fields cannot be sent: they are left out, so they come back absent', () => {
		fc.assert(
			fc.property(fc.dictionary(acumaticaField, fc.option(leaf, { nil: undefined, freq: 2 }), { maxKeys: 6, noNullPrototype: true }), (plain) => {
				const defined = Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined));
				const wire = toAcumaticaRecord(plain);
				expect(Object.keys(wire)).toEqual(Object.keys(defined));
				expect(fromAcumaticaRecord(wire)).toEqual(defined);
			}),
			{ seed: 8_102, numRuns: 200 },
		);
	});

	test('what does not round-trip, by design: an empty linked entity comes back null; an object of only value/error/type is taken as already wrapped', () => {
		expect(fromAcumaticaRecord(toAcumaticaRecord({ MainContact: {} }))).toEqual({ MainContact: null });
		expect(toAcumaticaRecord({ Amount: { value: 5 } })).toEqual({ Amount: { value: 5 } });
		expect(fromAcumaticaRecord(toAcumaticaRecord({ Amount: { value: 5, type: 'CustomDecimalField' } }))).toEqual({ Amount: 5 });
	});

	test('a detail collection holding anything but objects is a RecordShapeError naming the line', () => {
		const seen = new Set<boolean>();
		fc.assert(
			fc.property(acumaticaField, fc.array(fc.oneof(fc.constant({ InventoryID: 'A1' }), leaf), { minLength: 1, maxLength: 5 }), (field, lines) => {
				const bad = lines.findIndex((line) => line === null || typeof line !== 'object');
				const error = thrown(() => toAcumaticaRecord({ [field]: lines }));
				seen.add(bad === -1);
				if (bad === -1) expect(error).toBeUndefined();
				else {
					expect(error).toBeInstanceOf(RecordShapeError);
					expect((error as RecordShapeError).field).toBe(`${field}[${bad}]`);
				}
			}),
			{ seed: 8_103, numRuns: 200 },
		);
		expect(seen.size).toBe(2);
	});

	test('any JSON value: wrapping returns a record or throws RecordShapeError; unwrapping never throws; nothing reaches Object.prototype', () => {
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
				const error = thrown(() => toAcumaticaRecord(value));
				if (error !== undefined) expect(error).toBeInstanceOf(RecordShapeError);
				expect(thrown(() => fromAcumaticaRecord(value))).toBeUndefined();
				expect(Object.keys(Object.prototype)).toEqual([]);
			}),
			{ seed: 8_104, numRuns: 400 },
		);
	});
});

// =================================================================================================
// Omnisend identity normalisation (nodes/Omnisend/helpers/identity.ts, error class InvalidFieldError)
// =================================================================================================

const anyInput = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 30 }),
	fc.string({ unit: fc.constantFrom('+', '0', '1', '4', '7', '9', ' ', '-', '(', ')', '.', '@', 'A', 'é', '\u00a0', '\u200b'), maxLength: 20 }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.array(fc.string(), { maxLength: 2 }),
	fc.object({ maxDepth: 1 }),
);
const countries = getCountries();
const padding = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \n');

describe('Omnisend identity normalisation', () => {
	test('emails: any input gives an address, "" or InvalidFieldError; normalising twice changes nothing', () => {
		const outcomes = { normalised: 0, refused: 0 };
		fc.assert(
			fc.property(fc.oneof(anyInput, fc.emailAddress()), (raw) => {
				let email: string | undefined;
				const error = thrown(() => {
					email = normalizeEmail(raw);
				});
				if (error !== undefined) {
					expect(error).toBeInstanceOf(InvalidFieldError);
					outcomes.refused++;
					return;
				}
				expect(typeof email).toBe('string');
				expect(normalizeEmail(email)).toBe(email);
				if (email !== '') outcomes.normalised++;
			}),
			{ seed: 8_201, numRuns: 400 },
		);
		expect(outcomes.normalised).toBeGreaterThan(0);
		expect(outcomes.refused).toBeGreaterThan(0);
	});

	test('emails: surrounding white space and letter case never make a different contact', () => {
		fc.assert(
			fc.property(fc.emailAddress(), padding, padding, fc.array(fc.boolean(), { maxLength: 64 }), (address, before, after, upper) => {
				const mixed = [...address].map((char, index) => (upper[index % Math.max(upper.length, 1)] ? char.toUpperCase() : char)).join('');
				expect(normalizeEmail(`${before}${mixed}${after}`)).toBe(address.toLowerCase());
			}),
			{ seed: 8_202, numRuns: 300 },
		);
	});

	test('phones: every country\'s example number stays the same E.164 number, however it is written', () => {
		fc.assert(
			fc.property(fc.constantFrom(...countries), padding, (country, pad) => {
				const example = getExampleNumber(country, examples);
				if (!example) throw new Error(`no example number for ${country}`);
				const e164 = example.number;
				expect(e164).toMatch(/^\+[1-9]\d{1,14}$/);
				expect(normalizePhone(e164)).toBe(e164);
				expect(normalizePhone(`${pad}${example.formatInternational()}${pad}`)).toBe(e164);
				expect(normalizePhone(`00${e164.slice(1)}`)).toBe(e164);
				expect(normalizePhone(example.formatNational(), country)).toBe(e164);
				expect(normalizePhone(e164, country === 'US' ? 'GB' : 'US')).toBe(e164);
			}),
			{ seed: 8_203, numRuns: 500 },
		);
	});

	test('phones: any input gives E.164, "" (no phone) or InvalidFieldError; a result normalises to itself', () => {
		const outcomes = { e164: 0, none: 0, refused: 0 };
		fc.assert(
			fc.property(anyInput, fc.option(fc.constantFrom(...countries), { nil: undefined }), (raw, country) => {
				let phone: string | undefined;
				const error = thrown(() => {
					phone = normalizePhone(raw, country);
				});
				if (error !== undefined) {
					expect(error).toBeInstanceOf(InvalidFieldError);
					outcomes.refused++;
					return;
				}
				if (phone === '') {
					outcomes.none++;
					return;
				}
				expect(phone).toMatch(/^\+[1-9]\d{1,14}$/);
				expect(normalizePhone(phone)).toBe(phone);
				expect(parsePhoneNumberFromString(phone as string)?.isPossible()).toBe(true);
				outcomes.e164++;
			}),
			{ seed: 8_204, numRuns: 500 },
		);
		for (const count of Object.values(outcomes)) expect(count).toBeGreaterThan(0);
	});

	test('country codes: any text is a supported code, nothing, or InvalidFieldError', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(...countries).map((code) => ` ${code.toLowerCase()} `)), (raw) => {
				let code: string | undefined;
				const error = thrown(() => {
					code = parseCountry(raw);
				});
				if (error !== undefined) expect(error).toBeInstanceOf(InvalidFieldError);
				else if (code !== undefined) expect(countries).toContain(code);
				else expect(raw.trim()).toBe('');
			}),
			{ seed: 8_205, numRuns: 300 },
		);
	});
});

// =================================================================================================
// Templated Webhook: tojson and the rendered-JSON check (nodes/TemplatedWebhook/template.ts)
// =================================================================================================

/** Any string, weighted towards what breaks JSON and templates. */
const hostileString = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', '\u2028', '\u2029', '\ud800', '\udfff', '{{', '}}', '{%', '%}', '{#', '/', "'", 'é', '😀'), maxLength: 20 }),
);
const jsonValue = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });

/** Line and column (1-based) back to an offset in `text`. */
function offsetOf(text: string, line: number, column: number): number {
	let offset = 0;
	for (let current = 1; current < line; current++) offset = text.indexOf('\n', offset) + 1;
	return offset + column - 1;
}

function expectJsonVerdict(text: string) {
	const platform = thrown(() => JSON.parse(text));
	const ours = thrown(() => checkJson(text));
	if (platform === undefined) {
		expect(ours).toBeUndefined();
		return;
	}
	expect(ours).toBeInstanceOf(RenderedJsonError);
	const { line, column, message } = ours as RenderedJsonError;
	const lines = text.split('\n');
	expect(line).toBeGreaterThanOrEqual(1);
	expect(line).toBeLessThanOrEqual(lines.length);
	expect(column).toBeGreaterThanOrEqual(1);
	expect(column).toBeLessThanOrEqual(lines[line - 1].length + 1);
	expect(message).toContain(`at line ${line}, column ${column}`);
}

describe('Templated Webhook: tojson and the JSON check', () => {
	test('any JSON value rendered with {{ value | tojson }} parses back equal (inside a bigger document too)', () => {
		fc.assert(
			fc.property(jsonValue, (value) => {
				const expected = JSON.parse(JSON.stringify(value)) as unknown;
				const alone = renderTemplate('{{ value | tojson }}', { value });
				expect(thrown(() => checkJson(alone))).toBeUndefined();
				expect(JSON.parse(alone)).toEqual(expected);
				const inside = renderTemplate('{"before": 1, "value": {{ value | tojson }}, "list": [{{ value | tojson }}]}', { value });
				expect(JSON.parse(inside)).toEqual({ before: 1, value: expected, list: [expected] });
			}),
			{ seed: 8_301, numRuns: 300 },
		);
	});

	test('any item string inserted with | tojson gives valid JSON holding exactly that string; template syntax in it stays text', () => {
		fc.assert(
			fc.property(hostileString, hostileString, (note, key) => {
				const rendered = renderTemplate('{"note": {{ item.note | tojson }}, "keyed": {{ item | tojson }}}', { item: { note, [key]: note } });
				expect(thrown(() => checkJson(rendered))).toBeUndefined();
				const parsed = JSON.parse(rendered) as { note: string; keyed: Record<string, string> };
				expect(parsed.note).toBe(note);
				expect(parsed.keyed[key]).toBe(note);
			}),
			{ seed: 8_302, numRuns: 400 },
		);
	});

	test('the JSON check agrees with JSON.parse on arbitrary text; a failure is a RenderedJsonError naming a line and column inside the text', () => {
		let valid = 0;
		const jsonish = fc.array(fc.oneof(fc.constantFrom('{', '}', '[', ']', ':', ',', '"', '\\', 'true', 'null', 'fals', '-', '0', '1.5e3', '01', ' ', '\n', '\t', '\u00a0', 'é'), fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 40 });
		fc.assert(
			fc.property(fc.oneof(jsonish.map((parts) => parts.join('')), fc.string({ unit: 'binary', maxLength: 40 }), jsonValue.map((value) => JSON.stringify(value, null, 1))), (text) => {
				expectJsonVerdict(text);
				if (thrown(() => checkJson(text)) === undefined) valid++;
			}),
			{ seed: 8_303, numRuns: 500 },
		);
		expect(valid).toBeGreaterThan(0);
	});

	test('damaged JSON: the error never points before the damaged token (the text before it was a valid prefix)', () => {
		let errors = 0;
		fc.assert(
			fc.property(jsonValue, fc.nat(), fc.constantFrom('}', ']', ',', ':', '"', 'x', '\u0001', '\n\n', '{', '[1,]'), (value, at, damage) => {
				const text = JSON.stringify(value, null, 2);
				const position = at % (text.length + 1);
				const broken = text.slice(0, position) + damage + text.slice(position);
				expectJsonVerdict(broken);
				const error = thrown(() => checkJson(broken));
				// A number or a \\u escape cut by the damage is reported where it starts ("1.x5" at the ".").
				let tokenStart = position;
				while (tokenStart > 0 && /[0-9a-fA-F+\-.u\\]/.test(broken[tokenStart - 1])) tokenStart--;
				if (error instanceof RenderedJsonError) {
					errors++;
					expect(offsetOf(broken, error.line, error.column)).toBeGreaterThanOrEqual(tokenStart);
				}
			}),
			{ seed: 8_304, numRuns: 400 },
		);
		expect(errors).toBeGreaterThan(100);
	});

	test('any template built from Jinja pieces renders to text or fails with TemplateError, never anything else', () => {
		const pieces = fc.constantFrom(
			'{{ ', ' }}', '{% ', ' %}', '{# ', ' #}', 'for x in items', 'endfor', 'if a', 'elif b', 'else', 'endif', 'set y = ', 'macro m(v)', 'endmacro', 'm(1)',
			'namespace(c=0)', 'a', 'b', 'x', 'y', 'items', 'profile.email', 'profile["email"]', 'loop.index', 'loop.last', 'missing.deeper',
			' | tojson', ' | upper', ' | length', ' | join(",")', ' | default("d")', ' | replace("a", "bb")', ' | first', ' | reverse', ' | sort', ' | int', ' | string', ' | indent(2)', ' | items',
			'.split(",")', '.upper()', '.constructor', '.__proto__', '()', '[0]', ' ~ ', ' + ', ' * ', ' / 0', ' // ', ' ** 2', ' and ', ' or ', ' not ', ' in ', ' == ',
			'1', '2.5', '"s"', "'t'", '[1, 2]', '{"k": 1}', 'none', 'true', 'range(3)', '(', ')', ',', '"', '{', '}',
		);
		const data = { a: 1, b: 'two', items: ['p', 'q', { r: 3 }], profile: { email: 'ada@example.com' } };
		const outcomes = { rendered: 0, refused: 0 };
		fc.assert(
			fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
				let output: unknown;
				const error = thrown(() => {
					output = renderTemplate(parts.join(''), data);
				});
				if (error !== undefined) {
					expect(error).toBeInstanceOf(TemplateError);
					outcomes.refused++;
				} else {
					expect(typeof output).toBe('string');
					outcomes.rendered++;
				}
			}),
			{ seed: 8_305, numRuns: 600 },
		);
		expect(outcomes.rendered).toBeGreaterThan(0);
		expect(outcomes.refused).toBeGreaterThan(0);
	});
});
