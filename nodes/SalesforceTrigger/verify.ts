import { createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two strings (false when the lengths differ; that much may leak). */
export function constantTimeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The case-sensitive 15-character form of a Salesforce ID. The 18-character form is
 * case-insensitive: each suffix character encodes which of 5 characters of the first 15 are
 * upper-case, so the case is restored from it. Undefined when the suffix does not fit (a typo).
 */
export function fifteenCharacterId(id: string): string | undefined {
	if (!ID_SHAPE.test(id)) return undefined;
	if (id.length === 15) return id;
	let restored = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		const bits = CHECKSUM_ALPHABET.indexOf(id[15 + chunk].toUpperCase());
		if (bits === -1) return undefined;
		for (let i = 0; i < 5; i++) {
			const character = id[chunk * 5 + i];
			const upper = ((bits >> i) & 1) === 1;
			if (upper && !/[a-zA-Z]/.test(character)) return undefined;
			restored += upper ? character.toUpperCase() : character.toLowerCase();
		}
	}
	return restored;
}

/** The org's 15-character ID, or undefined when the text is not an Organization ID (prefix 00D). */
function organizationKey(value: string): string | undefined {
	const id = fifteenCharacterId(value);
	return id?.startsWith('00D') ? id : undefined;
}

/** Whether the text is a Salesforce Organization ID: 15 characters, or 18 with a fitting suffix; prefix 00D. */
export function isOrganizationId(value: string): boolean {
	return organizationKey(value) !== undefined;
}

/**
 * Whether two Organization IDs name the same org: their 15-character forms (an 18-character ID
 * turned into its 15 characters with the case its suffix encodes) are equal, case-sensitively,
 * compared in constant time.
 */
export function sameOrganization(expected: string, received: string): boolean {
	const left = organizationKey(expected);
	const right = organizationKey(received);
	return left !== undefined && right !== undefined && constantTimeEqual(left, right);
}

// ---------------------------------------------------------------------------------------------
// IP allow-list: single addresses and CIDR ranges, IPv4 and IPv6, IPv4-mapped IPv6 addresses.

interface Range {
	/** 4 bytes (IPv4) or 16 bytes (IPv6). */
	bytes: number[];
	prefix: number;
}

function parseIPv4(text: string): number[] | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	const bytes: number[] = [];
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part)) return undefined;
		const value = Number(part);
		if (value > 255 || (part.length > 1 && part.startsWith('0'))) return undefined;
		bytes.push(value);
	}
	return bytes;
}

function parseIPv6(text: string): number[] | undefined {
	let address = text;
	const zone = address.indexOf('%');
	if (zone !== -1) address = address.slice(0, zone);
	// A trailing dotted IPv4 part (::ffff:192.0.2.1) becomes two 16-bit groups.
	const lastColon = address.lastIndexOf(':');
	const tail = address.slice(lastColon + 1);
	let tailGroups: string[] = [];
	if (tail.includes('.')) {
		const v4 = parseIPv4(tail);
		if (!v4) return undefined;
		tailGroups = [((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16)];
		address = address.slice(0, lastColon + 1) + tailGroups.join(':');
	}
	const halves = address.split('::');
	if (halves.length > 2) return undefined;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const head = groupsOf(halves[0]);
	const rest = halves.length === 2 ? groupsOf(halves[1]) : [];
	const missing = 8 - head.length - rest.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
	const bytes: number[] = [];
	for (const group of groups) {
		if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
		const value = parseInt(group, 16);
		bytes.push(value >> 8, value & 0xff);
	}
	return bytes;
}

/** An address as bytes; IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes the IPv4 address it carries. */
export function parseIp(text: string): number[] | undefined {
	const trimmed = text.trim().replace(/^\[|\]$/g, '');
	const v4 = parseIPv4(trimmed);
	if (v4) return v4;
	const v6 = parseIPv6(trimmed);
	if (!v6) return undefined;
	const mapped = v6.slice(0, 10).every((byte) => byte === 0) && v6[10] === 0xff && v6[11] === 0xff;
	return mapped ? v6.slice(12) : v6;
}

export class AllowListError extends Error {}

/**
 * Parses "203.0.113.5, 198.51.100.0/24, 2001:db8::/32" (commas, spaces or new lines between
 * entries). Throws AllowListError naming the first entry that is not an address or range.
 */
export function parseAllowList(text: string): Range[] {
	const ranges: Range[] = [];
	for (const entry of text.split(/[\s,;]+/).filter(Boolean)) {
		const [address, prefixText, extra] = entry.split('/');
		const bytes = extra === undefined ? parseIp(address) : undefined;
		if (!bytes) throw new AllowListError(`"${entry}" is not an IP address or CIDR range`);
		// A range written in IPv4-mapped IPv6 form (::ffff:10.0.0.0/104) is the IPv4 range it maps.
		const written = parseIPv6(address.replace(/^\[|\]$/g, ''));
		const mappedShift = bytes.length === 4 && written?.length === 16 ? 96 : 0;
		const max = bytes.length * 8;
		let prefix = max;
		if (prefixText !== undefined) {
			if (!/^\d{1,3}$/.test(prefixText)) throw new AllowListError(`"${entry}" has an invalid prefix length`);
			prefix = Number(prefixText) - mappedShift;
			if (prefix < 0 || prefix > max) throw new AllowListError(`"${entry}" has a prefix length outside 0-${max + mappedShift}`);
		}
		ranges.push({ bytes, prefix });
	}
	return ranges;
}

function inRange(ip: number[], range: Range): boolean {
	if (ip.length !== range.bytes.length) return false;
	let bits = range.prefix;
	for (let i = 0; i < ip.length && bits > 0; i++, bits -= 8) {
		const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
		if ((ip[i] & mask) !== (range.bytes[i] & mask)) return false;
	}
	return true;
}

export function ipAllowed(ranges: Range[], callerIp: string | undefined): boolean {
	if (ranges.length === 0) return true;
	const ip = parseIp(callerIp ?? '');
	return ip !== undefined && ranges.some((range) => inRange(ip, range));
}

// ---------------------------------------------------------------------------------------------
// JSON callouts: HMAC-SHA256 signature of the raw body, or a shared token header.

export type SignatureProblem = 'missing' | 'malformed' | 'mismatch';

/** The 32 signature bytes a header carries: hex or base64 (standard or URL-safe), optional "sha256=". */
export function decodeSignature(header: string): Buffer | undefined {
	const value = header.trim().replace(/^sha256=/i, '');
	if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
	if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
		const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		return bytes.length === 32 ? bytes : undefined;
	}
	return undefined;
}

/**
 * The bytes that are signed: the raw body, or `<timestamp>.<raw body>` when a timestamp header is
 * used (so a captured body cannot be replayed with a fresh timestamp).
 */
export function signedPayload(rawBody: Buffer, timestamp?: string): Buffer {
	return timestamp === undefined ? rawBody : Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);
}

export function checkSignature(secret: string, payload: Buffer, header: string | undefined): SignatureProblem | undefined {
	if (header === undefined || header.trim() === '') return 'missing';
	const given = decodeSignature(header);
	if (!given) return 'malformed';
	const expected = createHmac('sha256', secret).update(payload).digest();
	return timingSafeEqual(given, expected) ? undefined : 'mismatch';
}

/** Compares a shared token in constant time (over SHA-256 digests, so lengths do not leak). */
export function checkToken(secret: string, header: string | undefined): SignatureProblem | undefined {
	if (header === undefined || header === '') return 'missing';
	const digest = (text: string) => createHmac('sha256', 'salesforce-trigger-token').update(text, 'utf8').digest();
	const given = header.replace(/^Bearer\s+/i, '');
	return timingSafeEqual(digest(given), digest(secret)) ? undefined : 'mismatch';
}

export type TimestampProblem = 'missing' | 'malformed' | 'stale';

/** Unix seconds in the header, within `windowSeconds` of now (either side, for clock skew). */
export function checkTimestamp(header: string | undefined, windowSeconds: number, nowMs: number): TimestampProblem | undefined {
	if (header === undefined || header.trim() === '') return 'missing';
	if (!/^\d{1,12}$/.test(header.trim())) return 'malformed';
	const ageSeconds = Math.abs(nowMs / 1000 - Number(header.trim()));
	return ageSeconds > windowSeconds ? 'stale' : undefined;
}
