'use strict';

/**
 * Fake Salesforce org (docs: /work/shared/docs/api-facts.md section 3 and 6). My Domain URL = instance
 * URL = the service URL. Covers the calls nodes/Salesforce and the credentials make, and sends what
 * Salesforce sends to nodes/SalesforceTrigger:
 *
 *   POST /services/oauth2/token   grant_type=client_credentials (client_id/client_secret in the form or HTTP Basic
 *                                 with URL-encoded parts) or urn:ietf:params:oauth:grant-type:jwt-bearer (RS256
 *                                 assertion, verified against the public key) -> {access_token, instance_url, id,
 *                                 token_type, issued_at, signature, scope}; errors 400 {error, error_description}
 *   GET  /services/data[/]        versions list (no token needed, as in Salesforce)
 *   /services/data/vXX.X/...      Bearer token (else 401 INVALID_SESSION_ID), Sforce-Limit-Info on every answer,
 *                                 403 REQUEST_LIMIT_EXCEEDED while the limit control is on:
 *     GET    /                    resources of the version; /limits; /sobjects (describe global)
 *     GET    /sobjects/{T}[/describe]
 *     POST   /sobjects/{T}        201 {id, success: true, errors: []}; 400 REQUIRED_FIELD_MISSING / INVALID_FIELD / ...
 *     GET|PATCH|DELETE /sobjects/{T}/{id}   200 record (?fields=) | 204 | 204; 404 NOT_FOUND
 *     PATCH  /sobjects/{T}/{Field}/{value}[?updateOnly=true]  upsert: 201 created / 200 updated / 300 list of URLs / 404
 *     GET    /query?q=SOQL, /query/{locator}-{offset}          small SOQL subset, pages of options.pageSize
 * Errors are Salesforce's JSON arrays [{message, errorCode, fields?}].
 *
 * Options: { clientId = 'sandbox-sf-client-id', clientSecret = 'sandbox-sf-client-secret',
 *   orgId = '00DSANDBOX00001' (15 or 18 characters; answers use the 18-character form 00DSANDBOX0000125A),
 *   username = 'integration@sandbox.example', apiVersion = '66.0' (the newest served; 20 older ones too),
 *   jwtPublicKey (PEM; default: a key pair made at start, private half in the handle as jwtPrivateKey),
 *   jwtAudiences = ['https://login.salesforce.com', 'https://test.salesforce.com', <url>],
 *   pageSize = 2000, apiLimit = 15000, apiUsage = 0 (requests already used; at apiLimit every REST call is 403),
 *   sessionTimeoutMs = 7200000 (a token unused this long answers 401), campaignStatuses = ['Planned', 'In Progress', 'Completed', 'Aborted'],
 *   externalIdFields = { Type: ['Field'] } (added to every custom __c field, which always counts as external ID),
 *   records = { Type: [fields, ...] } to start with }
 * Control (/__sandbox/salesforce/...): POST expire-tokens; POST|DELETE request-limit; GET stats;
 *   GET|POST|DELETE records?type=T; POST send-outbound-message; POST send-callout.
 * JS: records(type), addRecord(type, fields), stats(), expireTokens(), requestLimit(on), noteText(id),
 *   outboundMessage(spec) (the XML only), sendOutboundMessage(spec), sendCallout(spec), sent().
 */

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

const OAUTH_PATH = '/services/oauth2/token';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const NOT_FOUND = 'The requested resource does not exist';

/** @typedef {Record<string, any>} Json */
/** @typedef {{ name: string, type: string, required?: boolean, readOnly?: boolean, picklist?: string[], restricted?: boolean, defaultValue?: unknown }} FieldSpec */
/** @typedef {{ name: string, label: string, labelPlural: string, keyPrefix: string, fields: FieldSpec[], createable?: boolean }} SObjectSpec */

/** The 18-character form of a 15-character id (Salesforce's case checksum). @param {string} id */
function to18(id) {
	if (id.length !== 15) return id;
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id[chunk * 5 + i])) bits |= 1 << i;
		suffix += CHECKSUM[bits];
	}
	return id + suffix;
}

/** @param {string} name @param {string} type @param {Partial<FieldSpec>} [extra] @returns {FieldSpec} */
const f = (name, type = 'string', extra = {}) => ({ name, type, ...extra });

const SYSTEM_FIELDS = () => [f('Id', 'id', { readOnly: true }), f('CreatedDate', 'datetime', { readOnly: true }), f('LastModifiedDate', 'datetime', { readOnly: true }), f('SystemModstamp', 'datetime', { readOnly: true }), f('IsDeleted', 'boolean', { readOnly: true })];

/** @param {string[]} campaignStatuses @returns {SObjectSpec[]} */
function defaultSObjects(campaignStatuses) {
	return [
		{
			name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001',
			fields: [f('Name', 'string', { required: true }), f('Type', 'picklist'), f('Industry', 'picklist'), f('Phone', 'phone'), f('Website', 'url'), f('BillingCity'), f('BillingCountry'), f('Description', 'textarea'), f('OwnerId', 'reference')],
		},
		{
			name: 'Campaign', label: 'Campaign', labelPlural: 'Campaigns', keyPrefix: '701',
			fields: [
				f('Name', 'string', { required: true }),
				f('Status', 'picklist', { picklist: campaignStatuses, restricted: true, defaultValue: campaignStatuses[0] }),
				f('Type', 'picklist'), f('IsActive', 'boolean', { defaultValue: false }), f('StartDate', 'date'), f('EndDate', 'date'),
				f('Description', 'textarea'), f('ParentId', 'reference'), f('BudgetedCost', 'currency'), f('ActualCost', 'currency'), f('OwnerId', 'reference'),
			],
		},
		{
			name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003',
			fields: [f('FirstName'), f('LastName', 'string', { required: true }), f('Email', 'email'), f('Phone', 'phone'), f('MobilePhone', 'phone'), f('AccountId', 'reference'), f('Title'), f('LeadSource', 'picklist'), f('HasOptedOutOfEmail', 'boolean', { defaultValue: false }), f('Description', 'textarea'), f('OwnerId', 'reference')],
		},
		{
			name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q',
			fields: [f('FirstName'), f('LastName', 'string', { required: true }), f('Company', 'string', { required: true }), f('Email', 'email'), f('Phone', 'phone'), f('MobilePhone', 'phone'), f('Title'), f('Status', 'picklist', { defaultValue: 'Open - Not Contacted' }), f('LeadSource', 'picklist'), f('HasOptedOutOfEmail', 'boolean', { defaultValue: false }), f('Description', 'textarea'), f('OwnerId', 'reference')],
		},
		{
			name: 'ContentNote', label: 'Note', labelPlural: 'Notes', keyPrefix: '069',
			fields: [f('Title', 'string', { required: true }), f('Content', 'base64'), f('TextPreview', 'string', { readOnly: true }), f('FileType', 'string', { readOnly: true }), f('FileExtension', 'string', { readOnly: true }), f('ContentSize', 'int', { readOnly: true }), f('OwnerId', 'reference')],
		},
		{
			name: 'ContentDocument', label: 'Content Document', labelPlural: 'Content Documents', keyPrefix: '069', createable: false,
			fields: [f('Title'), f('FileType', 'string', { readOnly: true }), f('FileExtension', 'string', { readOnly: true }), f('ContentSize', 'int', { readOnly: true }), f('OwnerId', 'reference')],
		},
		{
			name: 'ContentDocumentLink', label: 'Content Document Link', labelPlural: 'Content Document Link', keyPrefix: '06A',
			fields: [f('ContentDocumentId', 'reference', { required: true }), f('LinkedEntityId', 'reference', { required: true }), f('ShareType', 'picklist', { picklist: ['V', 'C', 'I'], restricted: true, defaultValue: 'V' }), f('Visibility', 'picklist', { picklist: ['AllUsers', 'InternalUsers', 'SharedUsers'], restricted: true, defaultValue: 'InternalUsers' })],
		},
		{
			name: 'Note', label: 'Note', labelPlural: 'Notes', keyPrefix: '002',
			fields: [f('ParentId', 'reference', { required: true }), f('Title', 'string', { required: true }), f('Body', 'textarea'), f('IsPrivate', 'boolean', { defaultValue: false }), f('OwnerId', 'reference')],
		},
	];
}

/** Salesforce's date-time format: 2026-11-23T10:15:30.000+0000. */
const sfDate = () => new Date().toISOString().replace('Z', '+0000');

/** @param {unknown} value */
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** @param {string} errorCode @param {string} message @param {string[]} [fields] */
const sfError = (errorCode, message, fields) => [fields ? { message, errorCode, fields } : { message, errorCode }];

class SoqlError extends Error {
	/** @param {string} errorCode @param {string} message */
	constructor(errorCode, message) {
		super(message);
		this.errorCode = errorCode;
	}
}

// ---------------------------------------------------------------------------------------------
// SOQL subset: SELECT f[, f] FROM T [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
// cond: comparisons (= != <> < <= > >= LIKE, [NOT] IN (...)) joined by AND / OR / NOT with parentheses.
// Values: 'text' (backslash escapes), numbers, true/false, null, dates 2026-06-30 and date-times.

const SOQL_ESCAPES = /** @type {Record<string, string>} */ ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' });

/** @param {string} soql */
function tokenize(soql) {
	/** @type {Array<{ kind: string, value: any, raw: string }>} */
	const tokens = [];
	let i = 0;
	while (i < soql.length) {
		const ch = soql[i];
		if (/\s/.test(ch)) {
			i++;
			continue;
		}
		if (ch === "'") {
			let text = '';
			i++;
			for (;;) {
				if (i >= soql.length) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query: unterminated string');
				const c = soql[i];
				if (c === '\\') {
					const next = soql[i + 1];
					if (next === undefined || !(next in SOQL_ESCAPES)) throw new SoqlError('MALFORMED_QUERY', `Invalid string literal: invalid escape sequence \\${next ?? ''}`);
					text += SOQL_ESCAPES[next];
					i += 2;
					continue;
				}
				if (c === "'") {
					i++;
					break;
				}
				text += c;
				i++;
			}
			tokens.push({ kind: 'string', value: text, raw: text });
			continue;
		}
		const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2}))?/.exec(soql.slice(i));
		if (date) {
			tokens.push({ kind: 'date', value: date[0], raw: date[0] });
			i += date[0].length;
			continue;
		}
		const number = /^-?\d+(\.\d+)?/.exec(soql.slice(i));
		if (number) {
			tokens.push({ kind: 'number', value: Number(number[0]), raw: number[0] });
			i += number[0].length;
			continue;
		}
		const op = /^(!=|<>|<=|>=|=|<|>|\(|\)|,)/.exec(soql.slice(i));
		if (op) {
			tokens.push({ kind: 'op', value: op[0] === '<>' ? '!=' : op[0], raw: op[0] });
			i += op[0].length;
			continue;
		}
		const word = /^[A-Za-z_][A-Za-z0-9_.]*(:\d+)?/.exec(soql.slice(i));
		if (word) {
			tokens.push({ kind: 'word', value: word[0], raw: word[0] });
			i += word[0].length;
			continue;
		}
		throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${ch}'`);
	}
	return tokens;
}

/** @param {string} soql */
function parseSoql(soql) {
	const tokens = tokenize(soql);
	let at = 0;
	const peek = () => tokens[at];
	const isWord = (/** @type {string} */ word, offset = 0) => tokens[at + offset]?.kind === 'word' && tokens[at + offset].value.toUpperCase() === word;
	const expectWord = (/** @type {string} */ word) => {
		if (!isWord(word)) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${peek()?.raw ?? '<end>'}' (expected ${word})`);
		at++;
	};
	const expectOp = (/** @type {string} */ op) => {
		if (peek()?.kind !== 'op' || peek().value !== op) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${peek()?.raw ?? '<end>'}' (expected ${op})`);
		at++;
	};
	const name = () => {
		const token = peek();
		if (token?.kind !== 'word' || token.value.includes(':')) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${token?.raw ?? '<end>'}'`);
		at++;
		return /** @type {string} */ (token.value);
	};
	const value = () => {
		const token = peek();
		if (!token) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
		at++;
		if (token.kind === 'string' || token.kind === 'number' || token.kind === 'date') return { kind: token.kind, value: token.value };
		if (token.kind === 'word') {
			const upper = token.value.toUpperCase();
			if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
			if (upper === 'NULL') return { kind: 'null', value: null };
			throw new SoqlError('MALFORMED_QUERY', `The sandbox's SOQL subset does not support the literal ${token.raw}`);
		}
		throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${token.raw}'`);
	};

	expectWord('SELECT');
	const fields = [name()];
	while (peek()?.kind === 'op' && peek().value === ',') {
		at++;
		fields.push(name());
	}
	expectWord('FROM');
	const sobject = name();

	/** @returns {any} */
	const comparison = () => {
		if (peek()?.kind === 'op' && peek().value === '(') {
			at++;
			const inner = orExpr();
			expectOp(')');
			return inner;
		}
		if (isWord('NOT')) {
			at++;
			return { not: comparison() };
		}
		const field = name();
		let negate = false;
		if (isWord('NOT') && isWord('IN', 1)) {
			negate = true;
			at++;
		}
		if (isWord('IN')) {
			at++;
			expectOp('(');
			const values = [value()];
			while (peek()?.kind === 'op' && peek().value === ',') {
				at++;
				values.push(value());
			}
			expectOp(')');
			return { field, op: negate ? 'NOT IN' : 'IN', values };
		}
		if (isWord('LIKE')) {
			at++;
			const pattern = value();
			if (pattern.kind !== 'string') throw new SoqlError('MALFORMED_QUERY', 'LIKE needs a string');
			return { field, op: 'LIKE', value: pattern };
		}
		const token = peek();
		if (token?.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(token.value)) {
			throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${token?.raw ?? '<end>'}' (expected an operator)`);
		}
		at++;
		return { field, op: token.value, value: value() };
	};
	const andExpr = () => {
		const parts = [comparison()];
		while (isWord('AND')) {
			at++;
			parts.push(comparison());
		}
		return parts.length === 1 ? parts[0] : { and: parts };
	};
	const orExpr = () => {
		const parts = [andExpr()];
		while (isWord('OR')) {
			at++;
			parts.push(andExpr());
		}
		return parts.length === 1 ? parts[0] : { or: parts };
	};

	let where;
	if (isWord('WHERE')) {
		at++;
		where = orExpr();
	}
	/** @type {Array<{ field: string, desc: boolean, nullsLast: boolean }>} */
	const order = [];
	if (isWord('ORDER')) {
		at++;
		expectWord('BY');
		do {
			if (order.length > 0) at++;
			const field = name();
			let desc = false;
			if (isWord('ASC') || isWord('DESC')) desc = tokens[at++].value.toUpperCase() === 'DESC';
			let nullsLast = desc;
			if (isWord('NULLS')) {
				at++;
				if (!isWord('FIRST') && !isWord('LAST')) throw new SoqlError('MALFORMED_QUERY', 'expected FIRST or LAST after NULLS');
				nullsLast = tokens[at++].value.toUpperCase() === 'LAST';
			}
			order.push({ field, desc, nullsLast });
		} while (peek()?.kind === 'op' && peek().value === ',');
	}
	let limit;
	let offset = 0;
	if (isWord('LIMIT')) {
		at++;
		const token = tokens[at++];
		if (token?.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) throw new SoqlError('MALFORMED_QUERY', 'LIMIT needs a whole number');
		limit = token.value;
	}
	if (isWord('OFFSET')) {
		at++;
		const token = tokens[at++];
		if (token?.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) throw new SoqlError('MALFORMED_QUERY', 'OFFSET needs a whole number');
		offset = token.value;
	}
	if (at < tokens.length) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${tokens[at].raw}'`);
	return { fields, sobject, where, order, limit, offset };
}

/** A LIKE pattern as a RegExp (% any, _ one, \% \_ literal; case-insensitive). @param {string} pattern */
function likeRegExp(pattern) {
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
			source += pattern[++i];
			continue;
		}
		if (c === '%') source += '[\\s\\S]*';
		else if (c === '_') source += '[\\s\\S]';
		else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, 'i');
}

/** @param {unknown} a @param {unknown} b @returns {number} */
function compare(a, b) {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
	const left = String(a).toLowerCase();
	const right = String(b).toLowerCase();
	const ln = Number(left);
	const rn = Number(right);
	if (left !== '' && right !== '' && !Number.isNaN(ln) && !Number.isNaN(rn)) return ln - rn;
	return left === right ? 0 : left < right ? -1 : 1;
}

/** @param {any} cond @param {(field: string) => unknown} get @returns {boolean} */
function evaluate(cond, get) {
	if (cond.and) return cond.and.every((/** @type {any} */ part) => evaluate(part, get));
	if (cond.or) return cond.or.some((/** @type {any} */ part) => evaluate(part, get));
	if (cond.not) return !evaluate(cond.not, get);
	const actual = get(cond.field);
	const isNull = actual === null || actual === undefined;
	if (cond.op === 'IN' || cond.op === 'NOT IN') {
		const found = !isNull && cond.values.some((/** @type {any} */ v) => v.kind !== 'null' && compare(actual, v.value) === 0);
		return cond.op === 'IN' ? found : !found;
	}
	if (cond.op === 'LIKE') return !isNull && likeRegExp(cond.value.value).test(String(actual));
	if (cond.value.kind === 'null') return cond.op === '=' ? isNull : cond.op === '!=' ? !isNull : false;
	if (isNull) return cond.op === '!=';
	const order = compare(actual, cond.value.value);
	switch (cond.op) {
		case '=':
			return order === 0;
		case '!=':
			return order !== 0;
		case '<':
			return order < 0;
		case '<=':
			return order <= 0;
		case '>':
			return order > 0;
		default:
			return order >= 0;
	}
}

/** Fields a condition names. @param {any} cond @param {string[]} into */
function condFields(cond, into = []) {
	if (!cond) return into;
	if (cond.and || cond.or) for (const part of cond.and ?? cond.or) condFields(part, into);
	else if (cond.not) condFields(cond.not, into);
	else into.push(cond.field);
	return into;
}

const escapeXml = (/** @type {string} */ text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * POSTs a body to a URL (any TLS certificate is accepted: the receiver is a local n8n).
 * @param {string} url @param {Record<string, string>} headers @param {string} body
 * @returns {Promise<{ status: number, headers: Record<string, any>, body: string }>}
 */
function post(url, headers, body) {
	return new Promise((resolve, reject) => {
		let target;
		try {
			target = new URL(url);
		} catch {
			reject(new Error(`"url" is not a URL: ${String(url).slice(0, 200)}`));
			return;
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:') {
			reject(new Error('"url" must be http or https'));
			return;
		}
		const client = target.protocol === 'https:' ? https : http;
		const req = client.request(target, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: false, rejectUnauthorized: false, timeout: 60_000 });
		req.on('timeout', () => req.destroy(new Error('no answer within 60 s (Salesforce gives up then)')));
		req.on('error', reject);
		req.on('response', (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('error', reject);
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.end(body);
	});
}

module.exports = {
	name: 'salesforce',
	to18,
	parseSoql,
	/** @param {import('../lib/host').ServiceContext} ctx */
	create(ctx) {
		const o = ctx.options;
		const clientId = String(o.clientId ?? 'sandbox-sf-client-id');
		const clientSecret = String(o.clientSecret ?? 'sandbox-sf-client-secret');
		const orgId = to18(String(o.orgId ?? '00DSANDBOX00001'));
		if (!/^00D[a-zA-Z0-9]{15}$/.test(orgId)) throw new Error('salesforce: orgId must be a 15- or 18-character id starting with 00D');
		const org15 = orgId.slice(0, 15);
		const username = String(o.username ?? 'integration@sandbox.example');
		const userId = to18('005SANDBOX00001');
		const apiVersion = String(o.apiVersion ?? '66.0').replace(/^v/i, '');
		const newest = Number.parseInt(apiVersion, 10);
		const versions = Array.from({ length: 21 }, (_, i) => `${newest - 20 + i}.0`);
		const pageSize = Number(o.pageSize ?? 2000);
		const apiLimit = Number(o.apiLimit ?? 15000);
		const sessionTimeoutMs = Number(o.sessionTimeoutMs ?? 7_200_000);
		const campaignStatuses = /** @type {string[]} */ (o.campaignStatuses ?? ['Planned', 'In Progress', 'Completed', 'Aborted']);
		/** @type {Record<string, string[]>} */
		const externalIdFields = o.externalIdFields ?? {};
		let jwtPublicKey = o.jwtPublicKey ? String(o.jwtPublicKey) : undefined;
		/** @type {string | undefined} */
		let jwtPrivateKey;
		if (!jwtPublicKey) {
			const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
			jwtPublicKey = pair.publicKey;
			jwtPrivateKey = pair.privateKey;
		}
		const publicKey = crypto.createPublicKey(jwtPublicKey);
		/** @type {SObjectSpec[]} */
		const sobjects = [...defaultSObjects(campaignStatuses), ...(o.sobjects ?? [])].map((spec) => ({ ...spec, fields: [...SYSTEM_FIELDS(), ...spec.fields] }));
		const specOf = (/** @type {string} */ type) => sobjects.find((spec) => spec.name.toLowerCase() === String(type).toLowerCase());
		const actionId = to18('04kSANDBOX00001');

		/** @type {Map<string, { kind: string, issuedAt: number, lastUsed: number }>} */
		let tokens = new Map();
		let stats = { tokensIssued: 0, clientCredentialsTokens: 0, jwtTokens: 0, failedTokenRequests: 0, expiredTokens: 0 };
		let apiUsage = 0;
		let limited = false;
		/** @type {Map<string, Json[]>} type -> records (canonical field names) */
		let store = new Map();
		/** @type {Map<string, string>} ContentNote id -> decoded Content */
		let noteTexts = new Map();
		/** @type {Map<string, { type: string, rows: Json[] }>} */
		let cursors = new Map();
		/** @type {Json[]} */
		let sent = [];
		let counter = 0;

		const newId = (/** @type {string} */ prefix) => to18(`${prefix}Sb0${String(++counter).padStart(9, '0')}`);
		const recordsOf = (/** @type {string} */ type) => {
			const spec = specOf(type);
			const key = spec ? spec.name : type;
			if (!store.has(key)) store.set(key, []);
			return /** @type {Json[]} */ (store.get(key));
		};
		/** The record with this 15- or 18-character id, of any type (ContentDocument shares the ContentNote's). */
		/** @param {string} id @param {string} [type] */
		const findById = (id, type) => {
			if (!ID.test(id)) return undefined;
			const head = id.slice(0, 15);
			const types = type ? [specOf(type)?.name === 'ContentDocument' ? 'ContentNote' : String(specOf(type)?.name ?? type)] : [...store.keys()];
			for (const name of types) {
				const found = (store.get(name) ?? []).find((record) => record.Id.slice(0, 15) === head && (id.length === 15 || record.Id === id));
				if (found) return found;
			}
			return undefined;
		};

		/** A canonical field of a type: its spec, or a custom __c field (accepted on every object). */
		/** @param {SObjectSpec} spec @param {string} name @returns {FieldSpec | undefined} */
		const fieldOf = (spec, name) => {
			const known = spec.fields.find((field) => field.name.toLowerCase() === name.toLowerCase());
			if (known) return known;
			if (/^[A-Za-z][A-Za-z0-9_]*__c$/.test(name)) return { name, type: 'string' };
			return undefined;
		};

		/** @param {SObjectSpec} spec @param {Json} record @param {string} name */
		const valueOf = (spec, record, name) => {
			const field = fieldOf(spec, name);
			if (!field) return undefined;
			const key = Object.keys(record).find((k) => k.toLowerCase() === field.name.toLowerCase());
			return key === undefined ? null : record[key];
		};

		/**
		 * Checks and applies fields to a record; returns an error list or undefined.
		 * @param {SObjectSpec} spec @param {Json} record @param {unknown} body @param {boolean} creating
		 */
		const apply = (spec, record, body, creating) => {
			if (!isObject(body)) return sfError('JSON_PARSER_ERROR', 'The request body must be a JSON object of field values');
			const values = /** @type {Json} */ (body);
			for (const [name, value] of Object.entries(values)) {
				if (name === 'attributes') continue;
				const field = fieldOf(spec, name);
				if (!field) return sfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${spec.name}`);
				if (field.readOnly || field.name === 'Id') return sfError('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, [field.name]);
				if (value !== null && typeof value === 'object') return sfError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${field.type} from ${Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT'} value for field ${field.name}`);
				if (field.restricted && value !== null && !(field.picklist ?? []).includes(String(value))) {
					return sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.name}: bad value for restricted picklist field: ${String(value)}`, [field.name]);
				}
				if (field.type === 'reference' && value !== null && value !== '' && !ID.test(String(value))) {
					return sfError('MALFORMED_ID', `${field.name}: id value of incorrect type: ${String(value)}`, [field.name]);
				}
				if (field.type === 'boolean' && value !== null && typeof value !== 'boolean') {
					return sfError('JSON_PARSER_ERROR', `Cannot deserialize instance of boolean from VALUE_STRING value ${String(value)} for field ${field.name}`);
				}
				if (field.type === 'base64' && value !== null && (typeof value !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value))) {
					return sfError('JSON_PARSER_ERROR', `Cannot deserialize instance of base64 from value for field ${field.name}: not base64`);
				}
			}
			const next = { ...record };
			for (const [name, value] of Object.entries(values)) if (name !== 'attributes') next[/** @type {FieldSpec} */ (fieldOf(spec, name)).name] = value;
			if (creating) for (const field of spec.fields) if (field.defaultValue !== undefined && next[field.name] === undefined) next[field.name] = field.defaultValue;
			const missing = spec.fields.filter((field) => field.required && (next[field.name] === undefined || next[field.name] === null || next[field.name] === '')).map((field) => field.name);
			if (missing.length > 0) return sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
			if (spec.name === 'ContentDocumentLink') {
				const document = findById(String(next.ContentDocumentId), 'ContentNote');
				if (!document) return sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['ContentDocumentId']);
				if (!findById(String(next.LinkedEntityId))) return sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['LinkedEntityId']);
				next.ContentDocumentId = document.Id;
			}
			if (spec.name === 'Note' && !findById(String(next.ParentId))) return sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['ParentId']);
			const time = sfDate();
			next.LastModifiedDate = time;
			next.SystemModstamp = time;
			if (spec.name === 'ContentNote' && typeof next.Content === 'string') {
				const text = Buffer.from(next.Content, 'base64').toString('utf8');
				noteTexts.set(next.Id, text);
				next.TextPreview = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255);
				next.ContentSize = Buffer.byteLength(text);
			}
			Object.keys(record).forEach((key) => delete record[key]);
			Object.assign(record, next);
			return undefined;
		};

		/** Creates a record; returns it or the error list. @param {SObjectSpec} spec @param {unknown} body */
		const create = (spec, body) => {
			const time = sfDate();
			/** @type {Json} */
			const record = { Id: newId(spec.keyPrefix), CreatedDate: time, LastModifiedDate: time, SystemModstamp: time, IsDeleted: false };
			if (spec.fields.some((field) => field.name === 'OwnerId')) record.OwnerId = userId;
			if (spec.name === 'ContentNote') Object.assign(record, { FileType: 'SNOTE', FileExtension: 'snote' });
			const errors = apply(spec, record, body, true);
			if (errors) return { errors };
			recordsOf(spec.name).push(record);
			return { record };
		};

		const base = (/** @type {string} */ version) => `/services/data/v${version}`;
		/** @param {SObjectSpec} spec @param {Json} record @param {string} version @param {string[]} [fields] */
		const view = (spec, record, version, fields) => {
			const type = spec.name;
			/** @type {Json} */
			const out = { attributes: { type, url: `${base(version)}/sobjects/${type}/${record.Id}` } };
			if (fields) {
				for (const name of fields) {
					const field = fieldOf(spec, name);
					out[field ? field.name : name] = field ? valueOf(spec, record, name) : null;
				}
				return out;
			}
			for (const field of spec.fields) out[field.name] = record[field.name] ?? null;
			for (const [key, value] of Object.entries(record)) if (!(key in out)) out[key] = value;
			if (type === 'ContentNote' && out.Content !== null) out.Content = `${base(version)}/sobjects/ContentNote/${record.Id}/Content`;
			return out;
		};

		const describeGlobal = (/** @type {string} */ version) => ({
			encoding: 'UTF-8',
			maxBatchSize: 200,
			sobjects: sobjects.map((spec) => ({
				activateable: false, createable: spec.createable !== false, custom: false, customSetting: false, deletable: true, deprecatedAndHidden: false,
				feedEnabled: false, keyPrefix: spec.keyPrefix, label: spec.label, labelPlural: spec.labelPlural, layoutable: true, mergeable: false,
				name: spec.name, queryable: true, replicateable: true, retrieveable: true, searchable: true, triggerable: true, undeletable: true, updateable: spec.createable !== false,
				urls: { sobject: `${base(version)}/sobjects/${spec.name}`, describe: `${base(version)}/sobjects/${spec.name}/describe`, rowTemplate: `${base(version)}/sobjects/${spec.name}/{ID}` },
			})),
		});

		/** @param {SObjectSpec} spec @param {string} version */
		const describe = (spec, version) => ({
			...describeGlobal(version).sobjects.find((entry) => entry.name === spec.name),
			fields: [
				...spec.fields.map((field) => ({
					name: field.name, label: field.name.replace(/([a-z])([A-Z])/g, '$1 $2'), type: field.type, custom: false,
					createable: !field.readOnly, updateable: !field.readOnly, nillable: !field.required && field.type !== 'boolean', externalId: false, idLookup: field.name === 'Id',
					defaultValue: field.defaultValue ?? null, restrictedPicklist: field.restricted === true,
					picklistValues: (field.picklist ?? []).map((entry, index) => ({ active: true, defaultValue: index === 0 && field.defaultValue === entry, label: entry, validFor: null, value: entry })),
				})),
				...(externalIdFields[spec.name] ?? []).map((name) => ({ name, label: name, type: 'string', custom: /__c$/.test(name), createable: true, updateable: true, nillable: true, externalId: true, idLookup: true, defaultValue: null, restrictedPicklist: false, picklistValues: [] })),
			],
		});

		const limitsBody = () => ({
			DailyApiRequests: { Max: apiLimit, Remaining: Math.max(0, apiLimit - apiUsage) },
			ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
			DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
			DataStorageMB: { Max: 5, Remaining: 5 },
		});

		/** @param {Json[]} rows @param {string} version @param {number} from @param {string} type */
		const page = (rows, version, from, type) => {
			const slice = rows.slice(from, from + pageSize);
			const done = from + pageSize >= rows.length;
			/** @type {Json} */
			const body = { totalSize: rows.length, done, records: slice };
			if (!done) {
				const locator = to18(`01gSb0${String(++counter).padStart(9, '0')}`);
				cursors.set(locator, { type, rows });
				body.nextRecordsUrl = `${base(version)}/query/${locator}-${from + pageSize}`;
			}
			return body;
		};

		/** @param {string} soql @param {string} version */
		const runQuery = (soql, version) => {
			const query = parseSoql(soql);
			const spec = specOf(query.sobject);
			if (!spec) throw new SoqlError('INVALID_TYPE', `\n${soql.slice(0, 200)}\n^\nERROR at Row:1:Column:1\nsObject type '${query.sobject}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
			const type = spec.name === 'ContentDocument' ? 'ContentNote' : spec.name;
			for (const name of [...query.fields, ...condFields(query.where), ...query.order.map((entry) => entry.field)]) {
				if (!name.includes('.') && !fieldOf(spec, name)) {
					throw new SoqlError('INVALID_FIELD', `\n${soql.slice(0, 200)}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity '${spec.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
				}
			}
			const get = (/** @type {Json} */ record) => (/** @type {string} */ name) => (name.includes('.') ? null : valueOf(spec, record, name));
			let rows = recordsOf(type).filter((record) => !query.where || evaluate(query.where, get(record)));
			if (query.order.length > 0) {
				rows = [...rows].sort((a, b) => {
					for (const { field, desc, nullsLast } of query.order) {
						const x = get(a)(field);
						const y = get(b)(field);
						const xn = x === null || x === undefined;
						const yn = y === null || y === undefined;
						if (xn || yn) {
							if (xn && yn) continue;
							return (xn ? -1 : 1) * (nullsLast ? -1 : 1);
						}
						const order = compare(x, y);
						if (order !== 0) return desc ? -order : order;
					}
					return 0;
				});
			}
			rows = rows.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
			const out = rows.map((record) => {
				const shown = view(spec, record, version, query.fields);
				if (spec.name === 'ContentDocument') shown.attributes = { type: 'ContentDocument', url: `${base(version)}/sobjects/ContentDocument/${record.Id}` };
				return shown;
			});
			return page(out, version, 0, spec.name);
		};

		/** @param {import('../lib/host').SandboxRequest} req */
		const form = (req) => (isObject(req.body) ? /** @type {Record<string, any>} */ (req.body) : Object.fromEntries(new URLSearchParams(req.rawBody)));

		const base64UrlJson = (/** @type {string} */ part) => {
			try {
				return JSON.parse(Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
			} catch {
				return undefined;
			}
		};

		/** Checks a JWT bearer assertion; returns the OAuth error or undefined. @param {string} assertion */
		const jwtProblem = (assertion) => {
			const parts = String(assertion ?? '').split('.');
			if (parts.length !== 3) return { error: 'invalid_grant', error_description: 'invalid assertion' };
			const header = base64UrlJson(parts[0]);
			const claims = base64UrlJson(parts[1]);
			if (!isObject(header) || !isObject(claims) || header.alg !== 'RS256') return { error: 'invalid_grant', error_description: 'invalid assertion' };
			const valid = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2].replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
			if (claims.iss !== clientId) return { error: 'invalid_client_id', error_description: 'client identifier invalid' };
			if (!valid) return { error: 'invalid_grant', error_description: 'invalid assertion' };
			const audiences = /** @type {string[]} */ (o.jwtAudiences ?? ['https://login.salesforce.com', 'https://test.salesforce.com', ctx.url()]);
			if (!audiences.includes(String(claims.aud))) return { error: 'invalid_grant', error_description: 'audience is invalid' };
			if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return { error: 'invalid_grant', error_description: 'expired authorization code' };
			if (claims.sub !== username) return { error: 'invalid_grant', error_description: 'user hasn\'t approved this consumer' };
			return undefined;
		};

		/** @param {import('../lib/host').SandboxRequest} req @param {import('node:http').ServerResponse} res */
		const token = (req, res) => {
			const oauthError = (/** @type {number} */ status, /** @type {Json} */ body) => {
				stats.failedTokenRequests++;
				ctx.json(res, status, body);
			};
			if (req.method !== 'POST') return ctx.json(res, 405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are POST`));
			if (!String(req.headers['content-type'] ?? '').toLowerCase().includes('application/x-www-form-urlencoded')) {
				return oauthError(400, { error: 'invalid_request', error_description: 'must use application/x-www-form-urlencoded' });
			}
			const params = form(req);
			const grant = String(params.grant_type ?? '');
			let kind;
			if (grant === 'client_credentials') {
				let id = params.client_id;
				let secret = params.client_secret;
				const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
				if (basic) {
					const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
					const colon = decoded.indexOf(':');
					try {
						id = decodeURIComponent(decoded.slice(0, colon));
						secret = decodeURIComponent(decoded.slice(colon + 1));
					} catch {
						id = undefined;
					}
				}
				if (id !== clientId) return oauthError(400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
				if (secret !== clientSecret) return oauthError(400, { error: 'invalid_client', error_description: 'invalid client credentials' });
				kind = 'client_credentials';
			} else if (grant === JWT_GRANT) {
				const problem = jwtProblem(params.assertion);
				if (problem) return oauthError(400, problem);
				kind = 'jwt';
			} else {
				return oauthError(400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
			}
			const accessToken = `${orgId}!AQ${crypto.randomBytes(48).toString('base64url').replace(/[-_]/g, 'x')}`;
			const issuedAt = String(Date.now());
			const id = `${ctx.url()}/id/${orgId}/${userId}`;
			tokens.set(accessToken, { kind, issuedAt: Number(issuedAt), lastUsed: Date.now() });
			stats.tokensIssued++;
			if (kind === 'jwt') stats.jwtTokens++;
			else stats.clientCredentialsTokens++;
			return ctx.json(res, 200, {
				access_token: accessToken,
				signature: crypto.createHmac('sha256', clientSecret).update(`${id}${issuedAt}`).digest('base64'),
				scope: 'api',
				instance_url: ctx.url(),
				id,
				token_type: 'Bearer',
				issued_at: issuedAt,
				api_instance_url: 'https://api.salesforce.com',
			});
		};

		/**
		 * The REST API below /services/data/vXX.X.
		 * @param {import('../lib/host').SandboxRequest} req @param {string} version @param {string[]} parts
		 * @param {(status: number, body?: unknown, headers?: Json) => void} reply
		 */
		const rest = (req, version, parts, reply) => {
			const notFound = () => reply(404, sfError('NOT_FOUND', NOT_FOUND));
			const method = req.method;
			if (parts.length === 0) {
				if (method !== 'GET') return reply(405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD`));
				const names = ['sobjects', 'query', 'queryAll', 'limits', 'search', 'composite', 'recent', 'tooling'];
				return reply(200, Object.fromEntries(names.map((name) => [name, `${base(version)}/${name}`])));
			}
			const [head, ...rest] = parts;
			if (head === 'limits' && rest.length === 0 && method === 'GET') return reply(200, limitsBody());
			if (head === 'query') {
				if (method !== 'GET') return reply(405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD`));
				if (rest.length === 0) {
					const q = req.query.get('q');
					if (q === null || q.trim() === '') return reply(400, sfError('MALFORMED_QUERY', 'A query string has to be specified'));
					try {
						return reply(200, runQuery(q, version));
					} catch (error) {
						if (error instanceof SoqlError) return reply(400, sfError(error.errorCode, error.message));
						throw error;
					}
				}
				const match = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(rest.join('/'));
				const cursor = match ? cursors.get(match[1]) : undefined;
				if (!match || !cursor) return reply(400, sfError('INVALID_QUERY_LOCATOR', 'invalid query locator'));
				return reply(200, page(cursor.rows, version, Number(match[2]), cursor.type));
			}
			if (head !== 'sobjects') return notFound();
			if (rest.length === 0) return method === 'GET' ? reply(200, describeGlobal(version)) : reply(405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD`));
			const spec = specOf(rest[0]);
			if (!spec) return notFound();
			if (rest.length === 1) {
				if (method === 'GET') {
					const recent = recordsOf(spec.name).slice(-3).reverse().map((record) => ({ attributes: { type: spec.name, url: `${base(version)}/sobjects/${spec.name}/${record.Id}` }, Id: record.Id, Name: record.Name ?? record.Title ?? null }));
					const { fields, ...objectDescribe } = describe(spec, version);
					return reply(200, { objectDescribe, recentItems: recent });
				}
				if (method !== 'POST') return reply(405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,POST`));
				if (spec.createable === false) return reply(400, sfError('INVALID_TYPE_FOR_OPERATION', `entity type ${spec.name} does not support insert`));
				const body = parseJson(req);
				if (body === undefined) return reply(400, sfError('JSON_PARSER_ERROR', 'The request body is not valid JSON'));
				const made = create(spec, body);
				if (made.errors) return reply(400, made.errors);
				return reply(201, { id: made.record.Id, success: true, errors: [] });
			}
			if (rest.length === 2 && rest[1] === 'describe') return method === 'GET' ? reply(200, describe(spec, version)) : reply(405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD`));
			if (rest.length === 2) {
				const id = decodeURIComponent(rest[1]);
				const record = ID.test(id) ? findById(id, spec.name) : undefined;
				if (!record) {
					if (!ID.test(id)) return reply(404, sfError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`));
					return notFound();
				}
				if (method === 'GET') {
					const fields = req.query.get('fields');
					const names = fields ? fields.split(',').map((name) => name.trim()).filter(Boolean) : undefined;
					for (const name of names ?? []) {
						if (!name.includes('.') && !fieldOf(spec, name)) return reply(400, sfError('INVALID_FIELD', `No such column '${name}' on entity '${spec.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`));
					}
					const shown = view(spec, record, version, names);
					if (spec.name === 'ContentDocument') shown.attributes.type = 'ContentDocument';
					return reply(200, shown);
				}
				if (method === 'PATCH') {
					const body = parseJson(req);
					if (body === undefined) return reply(400, sfError('JSON_PARSER_ERROR', 'The request body is not valid JSON'));
					const errors = apply(spec, record, body, false);
					return errors ? reply(400, errors) : reply(204);
				}
				if (method === 'DELETE') {
					const list = recordsOf(record.Id.startsWith('069') ? 'ContentNote' : spec.name);
					list.splice(list.indexOf(record), 1);
					return reply(204);
				}
				return reply(405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,PATCH,DELETE`));
			}
			if (rest.length === 3) {
				const fieldName = decodeURIComponent(rest[1]);
				const value = decodeURIComponent(rest[2]);
				const external = fieldName.toLowerCase() === 'id' || /__c$/i.test(fieldName) || (externalIdFields[spec.name] ?? []).some((name) => name.toLowerCase() === fieldName.toLowerCase());
				if (!external) return reply(404, sfError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`));
				const field = fieldOf(spec, fieldName)?.name ?? (externalIdFields[spec.name] ?? []).find((name) => name.toLowerCase() === fieldName.toLowerCase()) ?? fieldName;
				const matches = recordsOf(spec.name).filter((record) => {
					const stored = field === 'Id' ? record.Id : record[Object.keys(record).find((key) => key.toLowerCase() === field.toLowerCase()) ?? field];
					return stored !== undefined && stored !== null && (field === 'Id' ? String(stored).slice(0, 15) === value.slice(0, 15) : String(stored).toLowerCase() === value.toLowerCase());
				});
				if (method === 'GET') {
					if (matches.length === 0) return notFound();
					if (matches.length > 1) return reply(300, matches.map((record) => `${base(version)}/sobjects/${spec.name}/${record.Id}`));
					return reply(200, view(spec, matches[0], version));
				}
				if (method !== 'PATCH') return reply(405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,PATCH`));
				const body = parseJson(req);
				if (body === undefined) return reply(400, sfError('JSON_PARSER_ERROR', 'The request body is not valid JSON'));
				if (matches.length > 1) return reply(300, matches.map((record) => `${base(version)}/sobjects/${spec.name}/${record.Id}`));
				if (matches.length === 1) {
					const errors = apply(spec, matches[0], body, false);
					return errors ? reply(400, errors) : reply(200, { id: matches[0].Id, success: true, errors: [], created: false });
				}
				if (req.query.get('updateOnly') === 'true' || field === 'Id') return notFound();
				const made = create(spec, { .../** @type {Json} */ (isObject(body) ? body : {}), [field]: value });
				if (made.errors) return reply(400, made.errors);
				return reply(201, { id: made.record.Id, success: true, errors: [], created: true });
			}
			return notFound();
		};

		/** @param {import('../lib/host').SandboxRequest} req @returns {unknown} undefined when not JSON */
		const parseJson = (req) => {
			if (req.rawBody.trim() === '') return {};
			try {
				return JSON.parse(req.rawBody);
			} catch {
				return undefined;
			}
		};

		// ----------------------------------------------------------------------------------------
		// What Salesforce sends to us.

		/**
		 * The outbound message SOAP envelope, written as Salesforce writes it.
		 * @param {Json} spec { sObjectType, records: [{fields}], orgId?, actionId?, sessionId? (string, or true = a live token), notificationIds? }
		 */
		const outboundMessage = (spec) => {
			if (!isObject(spec)) throw new Error('The outbound message spec must be an object');
			const type = String(spec.sObjectType ?? '');
			if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(type)) throw new Error('"sObjectType" must be an sObject API name such as Lead');
			const records = spec.records;
			if (!Array.isArray(records) || records.length === 0 || records.length > 100 || !records.every(isObject)) throw new Error('"records" must be 1 to 100 objects of field values');
			const org = spec.orgId === undefined ? orgId : to18(String(spec.orgId));
			let session = '<SessionId xsi:nil="true"/>';
			if (spec.sessionId === true) {
				const live = `${orgId}!AQ${crypto.randomBytes(48).toString('base64url').replace(/[-_]/g, 'x')}`;
				tokens.set(live, { kind: 'outbound-message', issuedAt: Date.now(), lastUsed: Date.now() });
				session = `<SessionId>${live}</SessionId>`;
			} else if (typeof spec.sessionId === 'string' && spec.sessionId !== '') {
				session = `<SessionId>${escapeXml(spec.sessionId)}</SessionId>`;
			}
			const prefix = specOf(type)?.keyPrefix ?? 'a00';
			const ids = /** @type {unknown[]} */ (Array.isArray(spec.notificationIds) ? spec.notificationIds : []);
			const notifications = records.map((record, index) => {
				const fields = { ...record };
				if (fields.Id === undefined) fields.Id = newId(prefix);
				const ordered = [['Id', fields.Id], ...Object.entries(fields).filter(([name]) => name !== 'Id')];
				const xml = ordered
					.map(([name, value]) => {
						if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a field API name`);
						return value === null || value === undefined ? `<sf:${name} xsi:nil="true"/>` : `<sf:${name}>${escapeXml(String(value))}</sf:${name}>`;
					})
					.join('');
				const notificationId = ids[index] === undefined ? newId('04l') : String(ids[index]);
				return `   <Notification>\n    <Id>${escapeXml(notificationId)}</Id>\n    <sObject xsi:type="sf:${type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${xml}</sObject>\n   </Notification>`;
			});
			return (
				'<?xml version="1.0" encoding="UTF-8"?>\n' +
				'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
				' <soapenv:Body>\n' +
				'  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">\n' +
				`   <OrganizationId>${escapeXml(org)}</OrganizationId>\n` +
				`   <ActionId>${escapeXml(String(spec.actionId ?? actionId))}</ActionId>\n` +
				`   ${session}\n` +
				`   <EnterpriseUrl>${ctx.url()}/services/Soap/c/${apiVersion}/${org.slice(0, 15)}</EnterpriseUrl>\n` +
				`   <PartnerUrl>${ctx.url()}/services/Soap/u/${apiVersion}/${org.slice(0, 15)}</PartnerUrl>\n` +
				`${notifications.join('\n')}\n` +
				'  </notifications>\n' +
				' </soapenv:Body>\n' +
				'</soapenv:Envelope>'
			);
		};

		/** @param {Json} spec */
		const sendOutboundMessage = async (spec) => {
			const xml = outboundMessage(spec);
			const headers = { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' };
			const answer = await post(String(spec.url), headers, xml);
			const ack = answer.status === 200 && /<(\w+:)?Ack>\s*true\s*<\/(\w+:)?Ack>/.test(answer.body);
			sent.push({ kind: 'outboundMessage', url: String(spec.url), headers, body: xml, status: answer.status, ack });
			return { ...answer, ack, sent: xml };
		};

		/**
		 * A JSON callout signed as the trigger verifies: HMAC-SHA256(secret, [timestamp + '.'] + raw body).
		 * @param {Json} spec { url, body, secret?, token?, tokenHeader?, signatureHeader?, timestampHeader?, useTimestamp?, timestamp?, signatureFormat?, headers? }
		 */
		const sendCallout = async (spec) => {
			if (!isObject(spec)) throw new Error('The callout spec must be an object');
			const raw = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body ?? {});
			/** @type {Record<string, string>} */
			const headers = { 'Content-Type': 'application/json', ...(isObject(spec.headers) ? spec.headers : {}) };
			let signature;
			let timestamp;
			const secretHeaders = new Set();
			if (spec.token !== undefined) {
				secretHeaders.add(String(spec.tokenHeader ?? 'X-Salesforce-Token'));
				headers[String(spec.tokenHeader ?? 'X-Salesforce-Token')] = String(spec.token);
			} else if (spec.secret !== undefined) {
				const useTimestamp = spec.useTimestamp === true || spec.timestamp !== undefined;
				timestamp = useTimestamp ? String(spec.timestamp ?? Math.floor(Date.now() / 1000)) : undefined;
				const mac = crypto.createHmac('sha256', String(spec.secret)).update(timestamp === undefined ? raw : `${timestamp}.${raw}`, 'utf8').digest();
				const format = String(spec.signatureFormat ?? 'sha256=hex');
				signature = format === 'hex' ? mac.toString('hex') : format === 'base64' ? mac.toString('base64') : `sha256=${mac.toString('hex')}`;
				headers[String(spec.signatureHeader ?? 'X-Signature')] = signature;
				secretHeaders.add(String(spec.signatureHeader ?? 'X-Signature'));
				if (timestamp !== undefined) headers[String(spec.timestampHeader ?? 'X-Timestamp')] = timestamp;
			}
			const answer = await post(String(spec.url), headers, raw);
			sent.push({ kind: 'callout', url: String(spec.url), headers: Object.fromEntries(Object.keys(headers).map((name) => [name, secretHeaders.has(name) ? '***' : headers[name]])), body: raw, status: answer.status });
			return { ...answer, sent: raw, ...(signature ? { signature } : {}), ...(timestamp ? { timestamp } : {}) };
		};

		/** @param {string} type @param {Json} fields */
		const addRecord = (type, fields) => {
			const spec = specOf(type);
			if (!spec) throw new Error(`Unknown sObject type "${type}" (known: ${sobjects.map((entry) => entry.name).join(', ')})`);
			const { Id, ...rest } = isObject(fields) ? fields : {};
			const made = create(spec, rest);
			if (made.errors) throw new Error(`Invalid ${spec.name}: ${made.errors.map((/** @type {Json} */ e) => `${e.errorCode}: ${e.message}`).join('; ')}`);
			if (Id !== undefined) {
				if (!ID.test(String(Id)) || !String(Id).startsWith(spec.keyPrefix)) throw new Error(`Id "${String(Id)}" is not a ${spec.name} id (prefix ${spec.keyPrefix})`);
				made.record.Id = to18(String(Id));
				if (spec.name === 'ContentNote' && typeof made.record.Content === 'string') noteTexts.set(made.record.Id, Buffer.from(made.record.Content, 'base64').toString('utf8'));
			}
			return { ...made.record };
		};
		/** @param {string} type */
		const records = (type) => {
			const spec = specOf(type);
			const list = store.get(spec?.name === 'ContentDocument' ? 'ContentNote' : String(spec?.name ?? type)) ?? [];
			return list.map((record) => (spec?.name === 'ContentNote' ? { ...JSON.parse(JSON.stringify(record)), ContentText: noteTexts.get(record.Id) ?? null } : JSON.parse(JSON.stringify(record))));
		};
		const expireTokens = () => {
			const count = tokens.size;
			stats.expiredTokens += count;
			tokens = new Map();
			return count;
		};
		const statsView = () => ({ ...stats, activeTokens: tokens.size, apiUsage, apiLimit, requestLimit: limited });

		/** Control body as JSON; answers 400 itself when it is not. */
		const controlJson = (/** @type {import('../lib/host').SandboxRequest} */ req, /** @type {import('node:http').ServerResponse} */ res) => {
			try {
				const body = JSON.parse(req.rawBody || '{}');
				if (isObject(body)) return body;
			} catch {
				// answered below
			}
			ctx.json(res, 400, { error: 'The body must be a JSON object' });
			return undefined;
		};
		ctx.control('POST', '/expire-tokens', (_req, res) => ctx.json(res, 200, { expired: expireTokens() }));
		ctx.control('POST', '/request-limit', (_req, res) => {
			limited = true;
			ctx.json(res, 200, { requestLimit: true });
		});
		ctx.control('DELETE', '/request-limit', (_req, res) => {
			limited = false;
			ctx.json(res, 200, { requestLimit: false });
		});
		ctx.control('GET', '/stats', (_req, res) => ctx.json(res, 200, statsView()));
		ctx.control('GET', '/records', (req, res) => {
			const type = req.query.get('type');
			if (type) return ctx.json(res, 200, records(type));
			return ctx.json(res, 200, Object.fromEntries([...store.keys()].map((name) => [name, records(name)])));
		});
		ctx.control('POST', '/records', (req, res) => {
			const body = controlJson(req, res);
			if (!body) return;
			try {
				ctx.json(res, 201, addRecord(String(req.query.get('type') ?? ''), body));
			} catch (error) {
				ctx.json(res, 400, { error: /** @type {Error} */ (error).message });
			}
		});
		ctx.control('DELETE', '/records', (req, res) => {
			const type = req.query.get('type');
			let cleared = 0;
			for (const [name, list] of store) {
				if (type && name.toLowerCase() !== type.toLowerCase()) continue;
				cleared += list.length;
				store.set(name, []);
			}
			ctx.json(res, 200, { cleared });
		});
		const sender = (/** @type {(spec: Json) => Promise<Json>} */ send) => async (/** @type {import('../lib/host').SandboxRequest} */ req, /** @type {import('node:http').ServerResponse} */ res) => {
			const body = controlJson(req, res);
			if (!body) return;
			if (typeof body.url !== 'string') return ctx.json(res, 400, { error: '"url" is required (where to send)' });
			let answer;
			try {
				answer = await send(body);
			} catch (error) {
				return ctx.json(res, /^"|must be|is not/.test(String(/** @type {Error} */ (error).message)) ? 400 : 502, { error: String(/** @type {Error} */ (error).message) });
			}
			return ctx.json(res, 200, answer);
		};
		ctx.control('POST', '/send-outbound-message', sender(sendOutboundMessage));
		ctx.control('POST', '/send-callout', sender(sendCallout));

		const reset = () => {
			tokens = new Map();
			stats = { tokensIssued: 0, clientCredentialsTokens: 0, jwtTokens: 0, failedTokenRequests: 0, expiredTokens: 0 };
			apiUsage = Number(o.apiUsage ?? 0);
			limited = false;
			store = new Map();
			noteTexts = new Map();
			cursors = new Map();
			sent = [];
			counter = 0;
			for (const [type, list] of Object.entries(o.records ?? {})) for (const fields of /** @type {Json[]} */ (list)) addRecord(type, fields);
		};
		reset();

		/** @type {import('../lib/host').ServiceInstance} */
		const instance = {
			/** @type {import('../lib/host').Handler} */
			handle(req, res) {
				const path = req.pathname;
				if (path === OAUTH_PATH) return token(req, res);
				if (path === '/services/data' || path === '/services/data/') {
					if (req.method !== 'GET') return ctx.json(res, 405, sfError('METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD`));
					return ctx.json(res, 200, versions.map((version) => ({ label: `v${version}`, url: `${base(version)}`, version })));
				}
				const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
				if (!match) return ctx.json(res, 404, sfError('NOT_FOUND', NOT_FOUND));
				/** @type {Json} */
				const headers = {};
				const reply = (/** @type {number} */ status, /** @type {unknown} */ body, /** @type {Json} */ extra = {}) => ctx.json(res, status, body, { ...headers, ...extra });
				const auth = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
				const session = auth ? tokens.get(auth[1]) : undefined;
				// Sessions time out after sessionTimeoutMs without use (Salesforce's idle-based session timeout).
				if (session && Date.now() - session.lastUsed > sessionTimeoutMs) tokens.delete(/** @type {RegExpExecArray} */ (auth)[1]);
				if (!session || !tokens.has(/** @type {RegExpExecArray} */ (auth)[1])) return reply(401, sfError('INVALID_SESSION_ID', 'Session expired or invalid'));
				session.lastUsed = Date.now();
				if (limited || apiUsage >= apiLimit) {
					headers['Sforce-Limit-Info'] = `api-usage=${Math.max(apiUsage, apiLimit)}/${apiLimit}`;
					return reply(403, sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
				}
				apiUsage++;
				headers['Sforce-Limit-Info'] = `api-usage=${apiUsage}/${apiLimit}`;
				if (!versions.includes(match[1])) return reply(404, sfError('NOT_FOUND', NOT_FOUND));
				const parts = (match[2] ?? '/').split('/').filter(Boolean);
				return rest(req, match[1], parts, reply);
			},
			reset,
			faultBody(status, req) {
				if (req.pathname === OAUTH_PATH) return { error: status >= 500 ? 'server_error' : 'invalid_request', error_description: 'Injected by the sandbox' };
				const codes = /** @type {Record<number, string>} */ ({ 400: 'BAD_REQUEST', 401: 'INVALID_SESSION_ID', 403: 'REQUEST_LIMIT_EXCEEDED', 404: 'NOT_FOUND', 429: 'REQUEST_LIMIT_EXCEEDED', 503: 'SERVER_UNAVAILABLE' });
				return sfError(codes[status] ?? 'UNKNOWN_EXCEPTION', 'Injected by the sandbox');
			},
			info: ({ url }) => ({ instanceUrl: url, myDomainUrl: url, clientId, clientSecret, orgId, orgId15: org15, username, apiVersion, jwtPrivateKey }),
			api: {
				/** The records of a type (copies, with Id and system fields); ContentNote adds ContentText (decoded Content). */
				records,
				/** Creates a record without a request (throws if invalid; an Id of the right prefix may be given); returns it. */
				addRecord,
				/** Tokens issued, failed token requests, API usage, request-limit state. */
				stats: statsView,
				/** Invalidates every issued token (the next REST call answers 401 INVALID_SESSION_ID); returns how many. */
				expireTokens,
				/** Turns the daily request limit on (403 REQUEST_LIMIT_EXCEEDED) or off. */
				requestLimit: (on = true) => {
					limited = on !== false;
					return limited;
				},
				/** The decoded Content of a ContentNote. */
				noteText: (/** @type {string} */ id) => noteTexts.get(to18(id)) ?? null,
				/** The outbound message XML for a spec, without sending it. */
				outboundMessage,
				sendOutboundMessage,
				sendCallout,
				/** What the sender has sent (outbound messages and callouts; signatures masked). */
				sent: () => JSON.parse(JSON.stringify(sent)),
			},
		};
		return instance;
	},
};
