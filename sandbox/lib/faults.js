'use strict';

/**
 * Fault rules shared by every service: answer with an error status, wait, or drop the connection,
 * for all requests, a number of them, or a (seedable) random share, optionally only for a method
 * and path. Rules are checked in the order they were added; see README.md for the semantics.
 */

/**
 * @typedef {object} FaultSpec
 * @property {number} [status] answer with this status instead of the service (default 429 when only `retryAfter` is given)
 * @property {unknown} [body] the answer's body (JSON value, or a string sent as is); default: the service's error body
 * @property {Record<string, string>} [headers] extra headers on the answer
 * @property {number} [retryAfter] seconds, sent as the Retry-After header
 * @property {number} [latencyMs] wait this long before answering (or before passing on to the service)
 * @property {boolean} [drop] destroy the connection without any answer
 * @property {boolean} [processAbandoned] with latencyMs: the service still handles a request whose client gave up
 *   during the wait (it takes effect, the answer is lost), as real servers do; default: it is not handled
 * @property {number} [count] apply this many times, then the rule is removed (default: no limit)
 * @property {number} [ratio] apply to this share of matching requests (0..1), at random
 * @property {number} [seed] seed of that randomness, for repeatable runs
 * @property {{ method?: string, path?: string }} [match] only requests with this method and path
 *   (path without the query; a trailing `*` matches a prefix)
 */

/**
 * @typedef {FaultSpec & { id: number, remaining?: number }} FaultRule
 */

/**
 * @typedef {object} FaultDecision
 * @property {number} latencyMs total wait of every rule that applied
 * @property {FaultRule | undefined} action the rule that answers (status) or drops; undefined = pass on to the service
 * @property {number[]} rules ids of the rules that applied
 * @property {boolean} processAbandoned whether an applying rule asked to handle the request even if its client gave up
 */

const KEYS = new Set(['status', 'body', 'headers', 'retryAfter', 'latencyMs', 'drop', 'count', 'ratio', 'seed', 'match', 'processAbandoned']);

/** mulberry32: a small seedable PRNG, enough for repeatable fault shares. */
function seededRandom(/** @type {number} */ seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

class FaultError extends Error {}

/**
 * @param {unknown} spec
 * @returns {FaultSpec}
 */
function validate(spec) {
	if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new FaultError('A fault must be a JSON object');
	const rule = /** @type {Record<string, unknown>} */ (spec);
	for (const key of Object.keys(rule)) {
		if (!KEYS.has(key)) throw new FaultError(`Unknown fault field "${key}" (allowed: ${[...KEYS].join(', ')})`);
	}
	const number = (/** @type {string} */ key, /** @type {(n: number) => boolean} */ ok, /** @type {string} */ what) => {
		if (rule[key] === undefined) return;
		if (typeof rule[key] !== 'number' || !Number.isFinite(rule[key]) || !ok(/** @type {number} */ (rule[key]))) {
			throw new FaultError(`Fault field "${key}" must be ${what}`);
		}
	};
	number('status', (n) => Number.isInteger(n) && n >= 100 && n <= 599, 'an HTTP status (100-599)');
	number('retryAfter', (n) => n >= 0, 'a number of seconds >= 0');
	number('latencyMs', (n) => n >= 0, 'a number of milliseconds >= 0');
	number('count', (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1');
	number('ratio', (n) => n >= 0 && n <= 1, 'between 0 and 1');
	number('seed', () => true, 'a number');
	if (rule.drop !== undefined && typeof rule.drop !== 'boolean') throw new FaultError('Fault field "drop" must be true or false');
	if (rule.processAbandoned !== undefined && typeof rule.processAbandoned !== 'boolean') {
		throw new FaultError('Fault field "processAbandoned" must be true or false');
	}
	if (rule.headers !== undefined) {
		const headers = rule.headers;
		if (!headers || typeof headers !== 'object' || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
			throw new FaultError('Fault field "headers" must be an object of strings');
		}
	}
	if (rule.match !== undefined) {
		const match = /** @type {Record<string, unknown>} */ (rule.match);
		if (!match || typeof match !== 'object' || Array.isArray(match)) throw new FaultError('Fault field "match" must be an object');
		for (const key of Object.keys(match)) {
			if (key !== 'method' && key !== 'path') throw new FaultError(`Unknown match field "${key}" (allowed: method, path)`);
			if (typeof match[key] !== 'string') throw new FaultError(`match.${key} must be a string`);
		}
	}
	const result = /** @type {FaultSpec} */ ({ ...rule });
	if (result.retryAfter !== undefined && result.status === undefined) result.status = 429;
	if (result.status === undefined && result.drop !== true && result.latencyMs === undefined) {
		throw new FaultError('A fault needs at least one of "status", "retryAfter", "latencyMs" or "drop": true');
	}
	return result;
}

class Faults {
	constructor() {
		/** @type {Array<FaultRule & { random: () => number }>} */
		this.rules = [];
		this.nextId = 1;
	}

	/**
	 * Adds a rule (throws a FaultError, with a message for the caller, when it is malformed).
	 * @param {FaultSpec} spec
	 * @returns {FaultRule}
	 */
	add(spec) {
		const rule = validate(spec);
		const random = rule.seed === undefined ? Math.random : seededRandom(rule.seed);
		const stored = { id: this.nextId++, ...rule, ...(rule.count !== undefined ? { remaining: rule.count } : {}), random };
		this.rules.push(stored);
		return Faults.view(stored);
	}

	/** @returns {FaultRule[]} the rules still active */
	list() {
		return this.rules.map(Faults.view);
	}

	/** @returns {number} how many rules were removed */
	clear() {
		const count = this.rules.length;
		this.rules = [];
		return count;
	}

	/**
	 * Which rules apply to this request (consuming their counts and random draws).
	 * @param {string} method
	 * @param {string} pathname
	 * @returns {FaultDecision}
	 */
	decide(method, pathname) {
		let latencyMs = 0;
		let processAbandoned = false;
		/** @type {FaultRule | undefined} */
		let action;
		/** @type {number[]} */
		const applied = [];
		for (const rule of [...this.rules]) {
			if (!matches(rule, method, pathname)) continue;
			if (rule.ratio !== undefined && !(rule.random() < rule.ratio)) continue;
			applied.push(rule.id);
			if (rule.remaining !== undefined) {
				rule.remaining -= 1;
				if (rule.remaining <= 0) this.rules = this.rules.filter((other) => other !== rule);
			}
			latencyMs += rule.latencyMs ?? 0;
			if (rule.processAbandoned === true) processAbandoned = true;
			if (rule.drop === true || rule.status !== undefined) {
				action = Faults.view(rule);
				break;
			}
		}
		return { latencyMs, action, rules: applied, processAbandoned };
	}

	/**
	 * @param {FaultRule & { random?: unknown }} rule
	 * @returns {FaultRule}
	 */
	static view(rule) {
		const { random: _random, ...rest } = rule;
		return JSON.parse(JSON.stringify(rest));
	}
}

/**
 * @param {FaultSpec} rule
 * @param {string} method
 * @param {string} pathname
 */
function matches(rule, method, pathname) {
	const match = rule.match;
	if (!match) return true;
	if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
	if (match.path) {
		if (match.path.endsWith('*')) return pathname.startsWith(match.path.slice(0, -1));
		return pathname === match.path;
	}
	return true;
}

module.exports = { Faults, FaultError, seededRandom };
