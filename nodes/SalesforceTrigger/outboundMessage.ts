import { isUtf8 } from 'node:buffer';

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
	// isArray ignores the path: without building it as text for every tag, parsing takes ~20 % less time.
	jPath: false,
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

/**
 * The prefixes in scope at `node`: its own xmlns declarations on top of its parent's, which it
 * inherits through the prototype chain (no deeper than the XML). Copying every declaration into
 * every element made a body with many declarations and many elements quadratic (a 400 KB body
 * exhausted the heap).
 */
function scopeOf(node: XmlNode, parentScope: Record<string, string>): Record<string, string> {
	let scope = parentScope;
	// Only the xmlns attributes (`@_xmlns`, `@_xmlns:p`), read without copying the others.
	for (const key of Object.keys(node)) {
		const prefix = key === '@_xmlns' ? '' : key.startsWith('@_xmlns:') ? key.slice(8) : undefined;
		if (prefix === undefined) continue;
		if (scope === parentScope) scope = Object.create(parentScope) as Record<string, string>;
		scope[prefix] = String(node[key]);
	}
	return scope;
}

/** The scope above the document: only the reserved `xml` prefix, and no Object.prototype names. */
function rootScope(): Record<string, string> {
	const scope = Object.create(null) as Record<string, string>;
	scope.xml = 'http://www.w3.org/XML/1998/namespace';
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
			if (prefix !== '' && ns === undefined) throw new RejectedMessage(400, `The element <${name.slice(0, 80)}> uses the undeclared namespace prefix "${prefix.slice(0, 40)}"`);
			found.push({ prefix, local, ns: ns ?? '', node, scope });
		}
	}
	return found;
}

/** `parent`'s only child element `local` in `ns`; `list` = children(parent) when the caller has it already. */
function only(parent: Element, local: string, ns: string, required: true, list?: Element[]): Element;
function only(parent: Element, local: string, ns: string, required: false, list?: Element[]): Element | undefined;
function only(parent: Element, local: string, ns: string, required: boolean, list = children(parent)): Element | undefined {
	const matches = list.filter((child) => child.local === local && child.ns === ns);
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
function requiredText(parent: Element, local: string, list?: Element[]): string {
	const value = leafText(only(parent, local, OUTBOUND_NS, true, list))?.trim();
	if (value === undefined || value === '') throw new RejectedMessage(400, `<${local}> is empty`);
	return value;
}

function optionalText(parent: Element, local: string, list?: Element[]): string | null {
	const element = only(parent, local, OUTBOUND_NS, false, list);
	return element ? (leafText(element)?.trim() ?? null) : null;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,254}$/;
const NOTIFICATION_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

function readNotification(element: Element, index: number): RawNotification {
	const parts = children(element);
	const notificationId = requiredText(element, 'Id', parts);
	if (!NOTIFICATION_ID.test(notificationId)) throw new RejectedMessage(400, `Notification ${index + 1} has an Id that is not a Salesforce ID`);
	const sObject = only(element, 'sObject', OUTBOUND_NS, true, parts);
	let sObjectType = '';
	let typePrefix = '';
	for (const [name, value] of Object.entries(attributes(sObject.node))) {
		const [prefix, local] = splitName(name);
		if (local === 'type' && prefix !== '' && sObject.scope[prefix] === XSI_NS) [typePrefix, sObjectType] = splitName(value.trim());
	}
	if (!FIELD_NAME.test(sObjectType)) throw new RejectedMessage(400, `Notification ${index + 1} has no valid xsi:type on <sObject> (the object type)`);
	// The fields are in the namespace of the object type (sf:Lead, sf:Email): an element from any
	// other namespace (e.g. an XInclude) is not a field Salesforce sent.
	const typeNs = sObject.scope[typePrefix] ?? (typePrefix === '' ? '' : undefined);
	if (typeNs === undefined) throw new RejectedMessage(400, `Notification ${index + 1} names its object type with the undeclared namespace prefix "${typePrefix.slice(0, 40)}"`);
	const fields: RawNotification['fields'] = [];
	const seen = new Set<string>();
	for (const field of children(sObject)) {
		if (field.ns !== typeNs) {
			throw new RejectedMessage(400, `Notification ${index + 1} has the element <${field.local.slice(0, 80)}> from the namespace "${field.ns.slice(0, 100)}", not the object's namespace "${typeNs.slice(0, 100)}"`);
		}
		if (!FIELD_NAME.test(field.local)) throw new RejectedMessage(400, `Notification ${index + 1} has a field named "${field.local.slice(0, 80)}", which is not a Salesforce field name`);
		if (seen.has(field.local)) throw new RejectedMessage(400, `Notification ${index + 1} has the field ${field.local} twice`);
		seen.add(field.local);
		fields.push([field.local, leafText(field)]);
	}
	return { notificationId, sObjectType, fields };
}

/**
 * Refuses what no Salesforce outbound message contains before any parser sees it: DOCTYPE and
 * entity declarations (XXE, billion laughs), bodies over the size cap and bytes that are not UTF-8.
 */
export function screenBody(rawBody: Buffer, maxBytes: number): string {
	if (rawBody.length === 0) throw new RejectedMessage(400, 'The request body is empty; Salesforce outbound messages are SOAP XML');
	if (rawBody.length > maxBytes) {
		throw new RejectedMessage(400, `The request body is ${rawBody.length} bytes, over the limit of ${maxBytes} bytes set in the node (Max Body Size)`);
	}
	// Decoding would turn invalid bytes into U+FFFD silently; XML in another encoding is not Salesforce's.
	if (!isUtf8(rawBody)) throw new RejectedMessage(400, 'The request body is not valid UTF-8; Salesforce outbound messages are UTF-8 XML');
	const text = rawBody.toString('utf8');
	if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
		throw new RejectedMessage(400, 'The XML contains a DOCTYPE or ENTITY declaration; they are refused (Salesforce never sends them)');
	}
	return text;
}

/**
 * The validator's reason, kept short: it quotes names from the body and lists every element left
 * open (a truncated or hostile body has thousands), which would flood the reply and n8n's log.
 */
function validatorReason(msg: string): string {
	const unclosed = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(msg);
	let open: unknown;
	try {
		open = unclosed ? JSON.parse(unclosed[1]) : undefined;
	} catch {
		open = undefined;
	}
	if (Array.isArray(open) && open.length > 0) {
		const innermost = open.slice(-3).map((name) => `<${String(name).slice(0, 60)}>`).join(', ');
		return `it ends with ${open.length} element${open.length === 1 ? '' : 's'} not closed (innermost: ${innermost})`;
	}
	const flat = msg.replace(/\s+/g, ' ');
	return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** Parses a Salesforce outbound message (SOAP 1.1), any namespace prefixes, 1 to 100 notifications. */
export function parseOutboundMessage(xml: string): OutboundMessage {
	const valid = XMLValidator.validate(xml);
	if (valid !== true) {
		const { msg, line, col } = valid.err;
		throw new RejectedMessage(400, `The body is not well-formed XML: ${validatorReason(msg)} (line ${line}${col === undefined ? '' : `, column ${col}`})`);
	}
	let document: XmlNode;
	try {
		document = parser.parse(xml) as XmlNode;
	} catch (error) {
		const reason = /nested tags/i.test((error as Error).message) ? `it is nested deeper than ${MAX_DEPTH} elements` : String((error as Error).message).slice(0, 200);
		document = { '#rejected': reason };
	}
	if (typeof document['#rejected'] === 'string') throw new RejectedMessage(400, `The XML was refused: ${document['#rejected']}`);

	const roots = children({ node: document, scope: rootScope() });
	const envelope = roots.find((root) => root.local === 'Envelope' && root.ns === SOAP_ENVELOPE_NS);
	if (!envelope || roots.length !== 1) throw new RejectedMessage(400, 'The body is not a SOAP 1.1 envelope (http://schemas.xmlsoap.org/soap/envelope/)');
	const body = only(envelope, 'Body', SOAP_ENVELOPE_NS, true);
	const notifications = only(body, 'notifications', OUTBOUND_NS, true);

	// Resolved once: the envelope fields below are looked up among the same children.
	const parts = children(notifications);
	const list = parts.filter((child) => child.local === 'Notification' && child.ns === OUTBOUND_NS);
	if (list.length === 0) throw new RejectedMessage(400, 'The outbound message holds no <Notification>');
	if (list.length > MAX_NOTIFICATIONS) {
		throw new RejectedMessage(400, `The outbound message holds ${list.length} notifications; Salesforce sends at most ${MAX_NOTIFICATIONS}`);
	}
	const organizationId = requiredText(notifications, 'OrganizationId', parts);
	return {
		organizationId,
		actionId: optionalText(notifications, 'ActionId', parts) ?? '',
		sessionId: optionalText(notifications, 'SessionId', parts),
		enterpriseUrl: optionalText(notifications, 'EnterpriseUrl', parts) ?? '',
		partnerUrl: optionalText(notifications, 'PartnerUrl', parts) ?? '',
		notifications: list.map((element, index) => readNotification(element, index)),
	};
}
