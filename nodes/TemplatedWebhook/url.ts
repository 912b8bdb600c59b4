/**
 * Where the node may send: https only (plain http only to loopback, behind an option), and never
 * to private, loopback, link-local, metadata or otherwise special addresses, checked on the URL
 * and on every address its host name resolves to, unless the user allows private networks.
 * The check names the rule that refused the URL.
 *
 * This file is the node's one place that resolves host names: with the system resolver
 * (getaddrinfo, as n8n's HTTP client does when it connects), never through a third party.
 * eslint.config.mjs allows node:dns/promises for this file only.
 */
import { lookup } from 'node:dns/promises';

export interface UrlPolicy {
	/** Loopback targets (localhost, 127.0.0.0/8, ::1) allowed, also over plain http. */
	allowLoopback: boolean;
	/** Private, shared, link-local and unique-local ranges allowed (metadata never is). */
	allowPrivateNetworks: boolean;
}

/** Resolves a host name to all its IPv4 and IPv6 addresses (textual). Tests inject fakes. */
export type Resolver = (hostname: string) => Promise<string[]>;

/**
 * The system resolver, memoised for one execution (one look-up per host name, not per item):
 * every A and AAAA address getaddrinfo returns (`all`), in its own order (`verbatim`), so each can
 * be checked. Honours /etc/hosts and the machine's DNS, like the connection that follows.
 */
export function systemResolver(): Resolver {
	const cache = new Map<string, Promise<string[]>>();
	return async (hostname) => {
		let pending = cache.get(hostname);
		if (!pending) {
			pending = lookup(hostname, { all: true, verbatim: true }).then((answers) => answers.map((answer) => answer.address));
			cache.set(hostname, pending);
		}
		return await pending;
	};
}

/** The error code of a failed look-up (ENOTFOUND, EAI_AGAIN, ...), or a short message. */
function lookupProblem(error: unknown): string {
	const code = (error as { code?: unknown } | undefined)?.code;
	if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
	return String((error as Error | undefined)?.message ?? error ?? 'unknown error').slice(0, 120);
}

export class UrlRefusedError extends Error {
	constructor(
		message: string,
		readonly rule: string,
		readonly hint: string,
		/** The DNS server did not answer (EAI_AGAIN, ...): the same URL may pass later, so the item is retried, not refused. */
		readonly transient = false,
	) {
		super(message);
		this.name = 'UrlRefusedError';
	}
}

/**
 * Look-up failures that mean "the DNS server did not answer now" (getaddrinfo's EAI_AGAIN; the
 * c-ares codes for a timeout, SERVFAIL or unreachable servers), as opposed to ENOTFOUND ("no such
 * name"), which stays a refusal.
 */
export const TRANSIENT_LOOKUP_CODES: ReadonlySet<string> = new Set(['EAI_AGAIN', 'ETIMEOUT', 'ETIMEDOUT', 'ESERVFAIL', 'ECONNREFUSED']);

type Rule =
	| 'loopback'
	| 'private'
	| 'shared address space (CGNAT)'
	| 'link-local'
	| 'unique-local'
	| 'cloud metadata'
	| 'unspecified'
	| 'multicast'
	| 'reserved'
	| 'IPv4-mapped IPv6';

/** Rules the "allow private networks" option lifts (and loopback, which its own option lifts). */
const PRIVATE_RULES: ReadonlySet<Rule> = new Set(['private', 'shared address space (CGNAT)', 'link-local', 'unique-local']);

export function parseIPv4(text: string): number[] | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)) return undefined;
	return parts.map(Number);
}

/** Eight 16-bit groups, or undefined when `text` is not an IPv6 address (brackets and zone ids are accepted). */
export function parseIPv6(raw: string): number[] | undefined {
	let text = raw.replace(/^\[|\]$/g, '').toLowerCase();
	text = text.replace(/%.*$/, '');
	if (!/^[0-9a-f:.]+$/.test(text) || !text.includes(':')) return undefined;
	const lastColon = text.lastIndexOf(':');
	const last = text.slice(lastColon + 1);
	if (last.includes('.')) {
		const v4 = parseIPv4(last);
		if (!v4) return undefined;
		text = `${text.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const group = (part: string) => (part === '' ? [] : part.split(':'));
	const head = group(halves[0]);
	const rest = halves.length === 2 ? group(halves[1]) : [];
	if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
	const known = head.length + rest.length;
	if (halves.length === 1 && known !== 8) return undefined;
	if (halves.length === 2 && known > 7) return undefined;
	const zeros = new Array(8 - known).fill(0);
	return [...head.map((g) => parseInt(g, 16)), ...(halves.length === 2 ? zeros : []), ...rest.map((g) => parseInt(g, 16))];
}

function inV4(ip: number[], base: [number, number, number, number], bits: number): boolean {
	const value = ((ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3]) >>> 0;
	const net = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0;
	const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
	return (value & mask) === (net & mask);
}

/** Why an IPv4 address may not be a target, or undefined for a public one. */
export function classifyIPv4(ip: number[]): Rule | undefined {
	if (ip.join('.') === '169.254.169.254' || ip.join('.') === '100.100.100.200') return 'cloud metadata';
	if (inV4(ip, [0, 0, 0, 0], 8)) return 'unspecified';
	if (inV4(ip, [127, 0, 0, 0], 8)) return 'loopback';
	if (inV4(ip, [10, 0, 0, 0], 8) || inV4(ip, [172, 16, 0, 0], 12) || inV4(ip, [192, 168, 0, 0], 16)) return 'private';
	if (inV4(ip, [100, 64, 0, 0], 10)) return 'shared address space (CGNAT)';
	if (inV4(ip, [169, 254, 0, 0], 16)) return 'link-local';
	if (inV4(ip, [224, 0, 0, 0], 4)) return 'multicast';
	if (inV4(ip, [240, 0, 0, 0], 4) || inV4(ip, [192, 0, 0, 0], 24) || inV4(ip, [198, 18, 0, 0], 15)) return 'reserved';
	return undefined;
}

/** Why an IPv6 address may not be a target, or undefined for a public one. */
export function classifyIPv6(groups: number[]): Rule | undefined {
	const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
	const v4 = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
	const zeroUntil = (n: number) => groups.slice(0, n).every((g) => g === 0);
	if (zeroUntil(8)) return 'unspecified';
	if (zeroUntil(7) && g7 === 1) return 'loopback';
	// ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::/96 (NAT64): IPv4 behind an IPv6 face.
	if (zeroUntil(5) && g5 === 0xffff) return 'IPv4-mapped IPv6';
	if (zeroUntil(6)) return 'IPv4-mapped IPv6';
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyIPv4(v4) ?? undefined;
	if (g0 === 0xfd00 && g1 === 0x0ec2 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 0x254) return 'cloud metadata';
	if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
	if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
	if ((g0 & 0xff00) === 0xff00) return 'multicast';
	if (g0 === 0x2002) return classifyIPv4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff]);
	return undefined;
}

/** Why an address (IPv4 or IPv6 text) may not be a target; 'not an IP address' when unparsable. */
export function classifyAddress(address: string): Rule | 'not an IP address' | undefined {
	const v4 = parseIPv4(address);
	if (v4) return classifyIPv4(v4);
	const v6 = parseIPv6(address);
	if (v6) return classifyIPv6(v6);
	return 'not an IP address';
}

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.com']);

function isLoopbackName(hostname: string): boolean {
	return hostname === 'localhost' || hostname.endsWith('.localhost');
}

function refusal(url: string, rule: string, detail: string, hint: string): UrlRefusedError {
	return new UrlRefusedError(`The URL ${url} was refused (rule: ${rule}): ${detail}`, rule, hint);
}

/** A URL without user info and query (they may hold secrets), for messages and logs. */
export function displayUrl(url: URL | string): string {
	try {
		const parsed = typeof url === 'string' ? new URL(url) : url;
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
	} catch {
		return '(not a URL)';
	}
}

const HINT_PRIVATE =
	'Use the receiver\'s public https URL. If the receiver really is on your own network, turn on "Allow Private Networks" in the node\'s options.';
const HINT_LOOPBACK = 'To send to a receiver on this machine (testing), turn on "Allow Loopback (Local Testing)" in the node\'s options.';

function checkAddress(shown: string, address: string, policy: UrlPolicy, via: string): void {
	const rule = classifyAddress(address);
	if (rule === undefined) return;
	if (rule === 'not an IP address') throw refusal(shown, 'unresolvable', `${via} is not an IP address`, HINT_PRIVATE);
	if (rule === 'loopback' && policy.allowLoopback) return;
	if (PRIVATE_RULES.has(rule) && policy.allowPrivateNetworks) return;
	const hint = rule === 'loopback' ? HINT_LOOPBACK : rule === 'cloud metadata' ? 'Cloud metadata endpoints are never allowed: they hand out the server\'s credentials.' : HINT_PRIVATE;
	throw refusal(shown, rule, `${via} is a ${rule} address`, hint);
}

/**
 * Parses and checks a target URL. With `resolve`, a host name is resolved and every address it
 * has must pass; without it, only the URL itself is checked (used by the preview).
 */
export async function checkTargetUrl(raw: string, policy: UrlPolicy, resolve?: Resolver): Promise<URL> {
	const text = String(raw ?? '').trim();
	if (!URL.canParse(text)) {
		throw new UrlRefusedError(
			`The URL "${text.slice(0, 200)}" is not a valid absolute URL`,
			'invalid URL',
			'Enter the full receiver URL, starting with https://',
		);
	}
	const url = new URL(text);
	const shown = displayUrl(url);
	if (url.username || url.password) {
		throw refusal(shown, 'credentials in URL', 'the URL contains a user name or password', 'Remove them from the URL and use the Templated Webhook Auth credential (Basic Auth).');
	}
	const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
	const literal = parseIPv4(hostname) ? hostname : parseIPv6(hostname) ? hostname.replace(/^\[|\]$/g, '') : undefined;
	const loopbackTarget = isLoopbackName(hostname) || (literal !== undefined && classifyAddress(literal) === 'loopback');

	if (url.protocol === 'http:') {
		if (!loopbackTarget) {
			throw refusal(shown, 'https only', 'plain http is allowed only to a loopback address', 'Use https://. Data about contacts must not travel unencrypted.');
		}
		if (!policy.allowLoopback) throw refusal(shown, 'loopback', 'plain http to loopback needs the loopback option', HINT_LOOPBACK);
	} else if (url.protocol !== 'https:') {
		throw refusal(shown, 'https only', `the scheme ${url.protocol.replace(':', '')} is not allowed`, 'Use an https:// URL.');
	}

	if (METADATA_NAMES.has(hostname)) {
		throw refusal(shown, 'cloud metadata', `${hostname} is a cloud metadata host`, 'Cloud metadata endpoints are never allowed: they hand out the server\'s credentials.');
	}
	if (isLoopbackName(hostname)) {
		if (!policy.allowLoopback) throw refusal(shown, 'loopback', `${hostname} is a loopback name`, HINT_LOOPBACK);
		return url;
	}
	if (literal !== undefined) {
		checkAddress(shown, literal, policy, literal);
		return url;
	}
	if (!resolve) return url;
	let addresses: string[] = [];
	let problem = '';
	try {
		addresses = await resolve(hostname);
	} catch (error) {
		problem = lookupProblem(error);
	}
	// A name this machine cannot resolve cannot be checked: refused (fail closed), unless private
	// networks are allowed (e.g. an outbound proxy resolves names that this machine cannot).
	if (addresses.length === 0 && policy.allowPrivateNetworks) return url;
	if (addresses.length === 0 && TRANSIENT_LOOKUP_CODES.has(problem)) {
		throw new UrlRefusedError(
			`${hostname} could not be resolved (${problem}): the DNS server did not answer, so the URL ${shown} could not be checked; not sent`,
			'DNS temporarily unavailable',
			'This is usually temporary: the item goes to Retry Later. Check the machine\'s DNS settings if it persists.',
			true,
		);
	}
	if (addresses.length === 0) {
		throw refusal(
			shown,
			'unresolvable',
			problem
				? `${hostname} could not be resolved (${problem}), so its addresses could not be checked`
				: `${hostname} resolved to no address, so its addresses could not be checked`,
			'Check the host name and this machine\'s DNS settings. If n8n reaches the internet only through a proxy that resolves names itself, "Allow Private Networks" lets such names through unchecked.',
		);
	}
	for (const address of addresses) checkAddress(shown, address, policy, `${hostname} resolves to ${address}, which`);
	return url;
}
