import { checkJson } from './template';

/** A header problem the user must fix; nothing is sent. */
export class HeaderError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'HeaderError';
	}
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Set by the HTTP client from the request itself, or hop-by-hop: a user value would break the request. */
const FORBIDDEN = new Set([
	'host',
	'content-length',
	'transfer-encoding',
	'connection',
	'keep-alive',
	'proxy-authorization',
	'proxy-authenticate',
	'proxy-connection',
	'te',
	'trailer',
	'upgrade',
	'expect',
]);

const HINT = 'Enter the headers as one JSON object of text values, e.g. {"X-Api-Key": "…", "X-Source": "n8n"}.';

/** What a header value can carry (tab, space, visible ASCII, Latin-1); the HTTP client strips or refuses the rest. */
const VALUE_CHARACTERS = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The first name written twice in a JSON object of text values (case ignored): JSON.parse keeps
 * only the last value of a repeated name. Its strings alternate name and value.
 */
function repeatedName(json: string): string | undefined {
	const strings = json.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
	const seen = new Set<string>();
	for (let i = 0; i < strings.length; i += 2) {
		const name = JSON.parse(strings[i]) as string;
		if (seen.has(name.toLowerCase())) return name;
		seen.add(name.toLowerCase());
	}
	return undefined;
}

/**
 * The headers parameter (JSON text, or an object from an expression) as a validated name → value
 * map. `reserved` maps lower-case names the node or its credential set to who sets them.
 */
export function parseHeaders(raw: unknown, reserved: Map<string, string>): Record<string, string> {
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		let problem: string | undefined;
		try {
			checkJson(raw);
		} catch (error) {
			problem = (error as Error).message.replace('The rendered body', 'the text');
		}
		if (problem !== undefined) throw new HeaderError(`Headers: ${problem}`, HINT);
		value = JSON.parse(raw);
	}
	if (value === null || value === undefined) return {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new HeaderError(`Headers must be a JSON object, not ${Array.isArray(value) ? 'a list' : typeof value}`, HINT);
	}
	const headers: Record<string, string> = {};
	const seen = new Set<string>();
	for (const [name, headerValue] of Object.entries(value as Record<string, unknown>)) {
		const lower = name.toLowerCase();
		if (!TOKEN.test(name)) throw new HeaderError(`Header name ${JSON.stringify(name)} is not a valid HTTP header name`, 'Header names are letters, digits and - _ . ! # $ % & \' * + ^ ` | ~ only (no spaces or colons).');
		if (FORBIDDEN.has(lower)) throw new HeaderError(`Header "${name}" cannot be set: the HTTP client sets it (or it is hop-by-hop)`, 'Remove it from Headers.');
		const owner = reserved.get(lower);
		if (owner) throw new HeaderError(`Header "${name}" is set by ${owner}`, 'Remove it from Headers, or rename the header there.');
		if (seen.has(lower)) throw new HeaderError(`Header "${name}" appears twice (header names ignore case)`, 'Keep one of them.');
		seen.add(lower);
		if (typeof headerValue !== 'string') {
			throw new HeaderError(`Header "${name}" must have a text value, not ${headerValue === null ? 'null' : typeof headerValue}`, 'Put the value in quotes, e.g. "X-Version": "2".');
		}
		if (/[\r\n\0]/.test(headerValue)) throw new HeaderError(`Header "${name}" contains a line break or NUL character`, 'Header values must be one line.');
		const bad = [...headerValue].find((character) => !VALUE_CHARACTERS.test(character));
		if (bad !== undefined) {
			const code = `U+${(bad.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
			throw new HeaderError(
				`Header "${name}" contains the character ${code}, which HTTP header values cannot carry (it would be dropped or refused)`,
				'Header values are ASCII or Latin-1 text without control characters; percent- or base64-encode other text.',
			);
		}
		headers[name] = headerValue;
	}
	const twice = typeof raw === 'string' ? repeatedName(raw) : undefined;
	if (twice !== undefined) throw new HeaderError(`Header "${twice}" appears twice (header names ignore case)`, 'Keep one of them.');
	return headers;
}

const SECRET_NAME = /auth|token|secret|key|signature|password|cookie|session/i;

/** Headers for display: values of secret-looking headers masked. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, SECRET_NAME.test(name) ? '***' : value]));
}
