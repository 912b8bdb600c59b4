import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const OUTBOUND_NS = 'http://soap.sforce.com/2005/09/outbound';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Salesforce sends at most 100 notifications per message (WSDL: maxOccurs="100"). */
export const MAX_NOTIFICATIONS = 100;
/** Envelope > Body > notifications > Notification > sObject > field is 6 deep; anything far deeper is not Salesforce. */
export const MAX_DEPTH = 16;

/** A message we refuse: the HTTP status to answer and a message safe to show the sender. */
export class RejectedMessage extends Error {
	constructor(
		readonly statusCode: number,
		message: string,
	) {
		super(message);
	}
}

/** One field as Salesforce sent it: its text, or null for `xsi:nil="true"`. */
export type RawFieldValue = string | null;

export interface RawNotification {
	notificationId: string;
	sObjectType: string;
	fields: Array<[name: string, value: RawFieldValue]>;
}

export interface OutboundMessage {
	organizationId: string;
	actionId: string;
	sessionId: string | null;
	enterpriseUrl: string;
	partnerUrl: string;
	notifications: RawNotification[];
}

// Element names kept with their prefix (so namespaces can be checked); attributes under "@_";
// no value parsing, no trimming (field text is kept exactly), no entity processing of any kind:
// text is decoded by `decodeText` below.
const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	removeNSPrefix: false,
	parseTagValue: false,
	parseAttributeValue: false,
	processEntities: false,
	htmlEntities: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	trimValues: false,
	cdataPropName: '#cdata',
	textNodeName: '#text',
	maxNestedTags: MAX_DEPTH,
	// Every element as a list (a single Notification too); attributes stay plain values.
	isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five predefined entities and character references, in one pass (never recursive). */
function decodeText(text: string): string {
	return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
		if (name[0] !== '#') return PREDEFINED[name];
		const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
		return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
	});
}

type XmlNode = Record<string, unknown>;

interface Element {
	prefix: string;
	local: string;
	/** Namespace URI resolved from the xmlns declarations in scope. */
	ns: string;
	node: XmlNode;
	scope: Record<string, string>;
}

function splitName(name: string): [string, string] {
	const colon = name.indexOf(':');
	return colon === -1 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

function attributes(node: XmlNode): Record<string, string> {
	const found: Record<string, string> = {};
	for (const [key, value] of Object.entries(node)) {
		if (key.startsWith('@_')) found[key.slice(2)] = String(value);
	}
	return found;
}

function scopeOf(node: XmlNode, parentScope: Record<string, string>): Record<string, string> {
	const scope = { ...parentScope };
	for (const [name, value] of Object.entries(attributes(node))) {
		if (name === 'xmlns') scope[''] = value;
		else if (name.startsWith('xmlns:')) scope[name.slice(6)] = value;
	}
	return scope;
}

/** The child elements of a node, in document order per name, each with its namespace resolved. */
function children(parent: Element | { node: XmlNode; scope: Record<string, string> }): Element[] {
	const found: Element[] = [];
	for (const [name, value] of Object.entries(parent.node)) {
		if (name.startsWith('@_') || name === '#text' || name === '#cdata') continue;
		const [prefix, local] = splitName(name);
		for (const entry of value as unknown[]) {
			const node: XmlNode = typeof entry === 'object' && entry !== null ? (entry as XmlNode) : { '#text': [entry] };
			const scope = scopeOf(node, parent.scope);
			const ns = scope[prefix];
			if (prefix !== '' && ns === undefined) throw new RejectedMessage(400, `The element <${name}> uses the undeclared namespace prefix "${prefix}"`);
			found.push({ prefix, local, ns: ns ?? '', node, scope });
		}
	}
	return found;
}

function only(parent: Element, local: string, ns: string, required: true): Element;
function only(parent: Element, local: string, ns: string, required: false): Element | undefined;
function only(parent: Element, local: string, ns: string, required: boolean): Element | undefined {
	const matches = children(parent).filter((child) => child.local === local && child.ns === ns);
	if (matches.length > 1) throw new RejectedMessage(400, `The element <${local}> appears ${matches.length} times inside <${parent.local}>; Salesforce sends it once`);
	if (matches.length === 0 && required) throw new RejectedMessage(400, `The SOAP message has no <${local}> inside <${parent.local}>: it is not a Salesforce outbound message`);
	return matches[0];
}

function isNil(element: Element): boolean {
	const attrs = attributes(element.node);
	for (const [name, value] of Object.entries(attrs)) {
		const [prefix, local] = splitName(name);
		if (local === 'nil' && prefix !== '' && element.scope[prefix] === XSI_NS) return value.trim() === 'true' || value.trim() === '1';
	}
	return false;
}

/** The text of a leaf element (entities decoded, CDATA kept literally); refuses elements with child elements. */
function leafText(element: Element): RawFieldValue {
	if (isNil(element)) return null;
	if (children(element).length > 0) throw new RejectedMessage(400, `The field <${element.local}> holds nested elements; Salesforce sends plain values`);
	const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
	const text = list(element.node['#text']).map((part) => decodeText(String(part))).join('');
	const cdata = list(element.node['#cdata']).map((part) => String(part)).join('');
	return text + cdata;
}

/** An envelope value (an ID or URL): surrounding white space is layout, not data. Field values are kept as sent. */
function requiredText(parent: Element, local: string): string {
	const value = leafText(only(parent, local, OUTBOUND_NS, true))?.trim();
	if (value === undefined || value === '') throw new RejectedMessage(400, `<${local}> is empty`);
	return value;
}

function optionalText(parent: Element, local: string): string | null {
	const element = only(parent, local, OUTBOUND_NS, false);
	return element ? (leafText(element)?.trim() ?? null) : null;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,254}$/;
const NOTIFICATION_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

function readNotification(element: Element, index: number): RawNotification {
	const notificationId = requiredText(element, 'Id');
	if (!NOTIFICATION_ID.test(notificationId)) throw new RejectedMessage(400, `Notification ${index + 1} has an Id that is not a Salesforce ID`);
	const sObject = only(element, 'sObject', OUTBOUND_NS, true);
	let sObjectType = '';
	for (const [name, value] of Object.entries(attributes(sObject.node))) {
		const [prefix, local] = splitName(name);
		if (local === 'type' && prefix !== '' && sObject.scope[prefix] === XSI_NS) sObjectType = splitName(value.trim())[1];
	}
	if (!FIELD_NAME.test(sObjectType)) throw new RejectedMessage(400, `Notification ${index + 1} has no valid xsi:type on <sObject> (the object type)`);
	const fields: RawNotification['fields'] = [];
	const seen = new Set<string>();
	for (const field of children(sObject)) {
		if (!FIELD_NAME.test(field.local)) throw new RejectedMessage(400, `Notification ${index + 1} has a field named "${field.local.slice(0, 80)}", which is not a Salesforce field name`);
		if (seen.has(field.local)) throw new RejectedMessage(400, `Notification ${index + 1} has the field ${field.local} twice`);
		seen.add(field.local);
		fields.push([field.local, leafText(field)]);
	}
	return { notificationId, sObjectType, fields };
}

/**
 * Refuses what no Salesforce outbound message contains before any parser sees it: DOCTYPE and
 * entity declarations (XXE, billion laughs) and bodies over the size cap.
 */
export function screenBody(rawBody: Buffer, maxBytes: number): string {
	if (rawBody.length === 0) throw new RejectedMessage(400, 'The request body is empty; Salesforce outbound messages are SOAP XML');
	if (rawBody.length > maxBytes) {
		throw new RejectedMessage(400, `The request body is ${rawBody.length} bytes, over the limit of ${maxBytes} bytes set in the node (Max Body Size)`);
	}
	const text = rawBody.toString('utf8');
	if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
		throw new RejectedMessage(400, 'The XML contains a DOCTYPE or ENTITY declaration; they are refused (Salesforce never sends them)');
	}
	return text;
}

/** Parses a Salesforce outbound message (SOAP 1.1), any namespace prefixes, 1 to 100 notifications. */
export function parseOutboundMessage(xml: string): OutboundMessage {
	const valid = XMLValidator.validate(xml);
	if (valid !== true) {
		throw new RejectedMessage(400, `The body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
	}
	let document: XmlNode;
	try {
		document = parser.parse(xml) as XmlNode;
	} catch (error) {
		const reason = /nested tags/i.test((error as Error).message) ? `it is nested deeper than ${MAX_DEPTH} elements` : (error as Error).message;
		document = { '#rejected': reason };
	}
	if (typeof document['#rejected'] === 'string') throw new RejectedMessage(400, `The XML was refused: ${document['#rejected']}`);

	const roots = children({ node: document, scope: { xml: 'http://www.w3.org/XML/1998/namespace' } });
	const envelope = roots.find((root) => root.local === 'Envelope' && root.ns === SOAP_ENVELOPE_NS);
	if (!envelope || roots.length !== 1) throw new RejectedMessage(400, 'The body is not a SOAP 1.1 envelope (http://schemas.xmlsoap.org/soap/envelope/)');
	const body = only(envelope, 'Body', SOAP_ENVELOPE_NS, true);
	const notifications = only(body, 'notifications', OUTBOUND_NS, true);

	const list = children(notifications).filter((child) => child.local === 'Notification' && child.ns === OUTBOUND_NS);
	if (list.length === 0) throw new RejectedMessage(400, 'The outbound message holds no <Notification>');
	if (list.length > MAX_NOTIFICATIONS) {
		throw new RejectedMessage(400, `The outbound message holds ${list.length} notifications; Salesforce sends at most ${MAX_NOTIFICATIONS}`);
	}
	const organizationId = requiredText(notifications, 'OrganizationId');
	return {
		organizationId,
		actionId: optionalText(notifications, 'ActionId') ?? '',
		sessionId: optionalText(notifications, 'SessionId'),
		enterpriseUrl: optionalText(notifications, 'EnterpriseUrl') ?? '',
		partnerUrl: optionalText(notifications, 'PartnerUrl') ?? '',
		notifications: list.map((element, index) => readNotification(element, index)),
	};
}
