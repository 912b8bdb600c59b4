import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { keyMayTravelTo } from '../../../credentials/OmnisendApi.credentials';

export interface DeliveryPolicy {
	/** Retries after a 5xx or a network error/timeout (0 = none). */
	serverErrorRetries: number;
	/** Retries after a 429 (each waits as long as Omnisend asks). */
	rateLimitRetries: number;
	/** Longest single wait for a 429, in ms; a longer Retry-After fails the item instead. */
	maxRateLimitWaitMs: number;
	timeoutMs: number;
	/** First backoff after a 5xx/network error, doubled each retry, with ±25 % jitter. */
	backoffBaseMs: number;
}

export const DEFAULT_POLICY: DeliveryPolicy = {
	serverErrorRetries: 3,
	rateLimitRetries: 8,
	maxRateLimitWaitMs: 120_000,
	timeoutMs: 30_000,
	backoffBaseMs: 500,
};

/** Waits `ms`, in slices, so that stopping the execution in n8n ends the wait within a second. */
async function pause(ms: number, signal?: AbortSignal) {
	for (let left = ms; left > 0 && !signal?.aborted; left -= 1000) await sleep(Math.min(left, 1000));
}

/** Without any hint from Omnisend, back off this long after a 429 (its limit is per minute). */
const RATE_LIMIT_FALLBACK_MS = 60_000;

/**
 * Shared by every request of one node execution: after a 429 (or a response saying no quota is
 * left) all concurrent workers hold until the window reopens, instead of each hitting the limit.
 */
export class RateGate {
	private openAt = 0;

	holdFor(ms: number) {
		this.openAt = Math.max(this.openAt, Date.now() + ms);
	}

	async pass(signal?: AbortSignal) {
		for (let wait = this.openAt - Date.now(); wait > 0 && !signal?.aborted; wait = this.openAt - Date.now()) {
			await pause(wait, signal);
		}
	}
}

export interface OmnisendRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL (`/events`), or (with `link`) a paging link Omnisend returned. */
	path: string;
	/** `path` is a link from Omnisend: resolved like a browser would, against the base URL. */
	link?: boolean;
	qs?: IDataObject;
	body?: unknown;
	/** Error statuses the caller handles itself (e.g. 404 for a look-up), returned instead of thrown. */
	acceptStatuses?: number[];
}

export interface OmnisendResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
	attempts: number;
}

/** The answer's JSON object ({} when Omnisend sent none, e.g. 202 or 204). */
export function answerObject(response: OmnisendResponse): IDataObject {
	const { body } = response;
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};
}

interface RawResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return Buffer.isBuffer(body) ? parseBody(body.toString('utf8')) : body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** How long Omnisend asks us to wait: Retry-After, then X-Rate-Limit-Reset, then the body's retryAfter. */
export function rateLimitWaitMs(response: RawResponse): number {
	const retryAfter = header(response.headers, 'retry-after')?.trim();
	if (retryAfter) {
		const seconds = secondsIn(retryAfter);
		if (seconds !== undefined) return seconds * 1000;
		// HTTP-date (IMF-fixdate, e.g. "Wed, 21 Oct 2026 07:28:00 GMT"); Date.parse alone would take "-1".
		const date = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(retryAfter) ? Date.parse(retryAfter) : NaN;
		if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
	}
	const reset = secondsIn(header(response.headers, 'x-rate-limit-reset'));
	if (reset !== undefined) return reset * 1000;
	const fromBody = secondsIn((response.body as { retryAfter?: unknown } | undefined)?.retryAfter);
	if (fromBody !== undefined) return fromBody * 1000;
	return RATE_LIMIT_FALLBACK_MS;
}

/** A non-negative number of seconds, from a number or numeric text; undefined for anything else. */
function secondsIn(value: unknown): number | undefined {
	const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
	return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** Omnisend's own words from an error body (v5 shape is undocumented; the dated API uses RFC 9457). */
export function omnisendMessage(body: unknown): string {
	if (typeof body === 'string') return body.slice(0, 500);
	if (!body || typeof body !== 'object') return '';
	const data = body as Record<string, unknown>;
	const parts: string[] = [];
	for (const key of ['error', 'message', 'title', 'detail']) {
		const value = data[key];
		if (typeof value === 'string' && value !== '' && !parts.includes(value)) parts.push(value);
	}
	const fieldErrors = Array.isArray(data.errors) ? data.errors : [];
	for (const entry of fieldErrors) {
		if (entry && typeof entry === 'object') {
			const { field, message } = entry as Record<string, unknown>;
			parts.push(field ? `${String(field)}: ${String(message ?? '')}` : String(message ?? ''));
		} else if (typeof entry === 'string') {
			parts.push(entry);
		}
	}
	return parts.join('; ');
}

const WHAT_TO_DO: Record<number, string> = {
	400: 'Omnisend refused the request as invalid. Fix the fields it names; sending it again unchanged will fail the same way.',
	401: 'Omnisend did not accept the API key. Re-enter the key in the Omnisend credential (Store settings → API keys); nothing was sent.',
	403: 'The API key lacks a permission this call needs. In Omnisend → Store settings → API keys grant Events (write) for events and Contacts (read and write) for contacts.',
	404: 'Omnisend has no such record (or the Base URL in the credential is wrong).',
	409: 'Another Omnisend contact already owns this email or phone. Update that contact instead, or send a different identifier.',
	410: 'Omnisend says this API version is retired. Update the node package.',
};

/** What to do with an item Omnisend may accept later; Retry On Fail would resend every item. */
const LATER =
	'To keep the other items and handle this one later, set the node\'s Settings › On Error to "Continue (using error output)". Avoid Retry On Fail for events: it resends every item of the run, and Omnisend does not deduplicate live events.';

/** Everything an error needs to say about one request, without the secret it was sent with. */
interface Attempt {
	ctx: IExecuteFunctions;
	itemIndex: number;
	attempts: number;
	policy: DeliveryPolicy;
	secret: string;
}

/** A copy of `value` with every occurrence of the secret masked, in keys and strings at any depth (services sometimes echo it). */
function redact<T>(value: T, secret: string): T {
	if (secret === '') return value;
	const mask = (entry: unknown): unknown => {
		if (typeof entry === 'string') return entry.split(secret).join('***');
		if (Array.isArray(entry)) return entry.map(mask);
		if (entry && typeof entry === 'object') {
			return Object.fromEntries(Object.entries(entry).map(([key, item]) => [mask(key), mask(item)]));
		}
		return entry;
	};
	return mask(value) as T;
}

function apiError(attempt: Attempt, statusCode: number, rawBody: unknown, askedWaitMs?: number): NodeApiError {
	const body = redact(rawBody, attempt.secret);
	const said = omnisendMessage(body);
	const retried = attempt.attempts > 1 ? ` after ${attempt.attempts} attempts` : '';
	let description = WHAT_TO_DO[statusCode];
	if (statusCode === 429) {
		const tooLong =
			askedWaitMs !== undefined
				? ` and asked to wait ${Math.ceil(askedWaitMs / 1000)} s, longer than this node waits (${attempt.policy.maxRateLimitWaitMs / 1000} s)`
				: '';
		description = `Omnisend kept rate-limiting${retried}${tooLong} (400 requests/minute per store, shared by all keys). The item was not sent; lower Concurrency. ${LATER}`;
	} else if (statusCode >= 500) {
		description = `Omnisend failed with ${statusCode}${retried}. This is on Omnisend's side; the item was not confirmed as sent. ${LATER}`;
	}
	return new NodeApiError(attempt.ctx.getNode(), { statusCode, body: body as JsonObject } as unknown as JsonObject, {
		message: `Omnisend answered ${statusCode}${said ? `: ${said}` : ''}`,
		description: description ?? 'Omnisend refused the request; see its message above.',
		httpCode: String(statusCode),
		itemIndex: attempt.itemIndex,
	});
}

/** A request that got no HTTP answer. Built from the error code only: the original error carries the request, key included. */
function noAnswerError(attempt: Attempt, error: unknown, network: boolean) {
	// n8n's own refusals (e.g. no credential set) already say what to do.
	if (error instanceof NodeOperationError) return error;
	// The innermost cause says most (n8n wraps the HTTP client's error in its own).
	let inner = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; depth < 10 && inner?.cause && typeof inner.cause === 'object'; depth++) inner = inner.cause as typeof inner;
	const code = typeof inner?.code === 'string' ? inner.code : '';
	const detail = redact(String(inner?.message ?? '').slice(0, 200), attempt.secret);
	const timedOut = /timeout|ETIMEDOUT|ECONNABORTED/i.test(`${code} ${detail}`);
	const reason = timedOut
		? `no answer within ${attempt.policy.timeoutMs / 1000} s`
		: network
			? `connection failed (${code})`
			: `the request failed without an answer (${code || detail || 'unknown error'})`;
	const message = `Omnisend could not be reached: ${reason}${attempt.attempts > 1 ? ` after ${attempt.attempts} attempts` : ''}`;
	// No `code` in the error body: NodeApiError would swap our message for its stock network text.
	const failure = new NodeApiError(attempt.ctx.getNode(), { reason } as JsonObject, {
		message,
		description: `The request may or may not have reached Omnisend. Check the Base URL in the credential if this persists. ${LATER}`,
		itemIndex: attempt.itemIndex,
	});
	failure.message = message;
	return failure;
}

const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ECONNABORTED|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|ESOCKETTIMEDOUT|ERR_SOCKET_CONNECTION_TIMEOUT|UND_ERR_\w+)$/;

/** A request that got no HTTP answer (refused, reset, timed out); n8n wraps these in NodeApiError. */
function isNetworkError(error: unknown): boolean {
	const seen = new Set<unknown>();
	for (let current = error as Record<string, unknown> | undefined; current && !seen.has(current); ) {
		seen.add(current);
		if (typeof current.code === 'string' && NETWORK_CODES.test(current.code)) return true;
		if (typeof current.message === 'string' && /timeout of \d+ms exceeded|socket hang up/i.test(current.message)) return true;
		current = current.cause as Record<string, unknown> | undefined;
	}
	return false;
}

function backoffMs(policy: DeliveryPolicy, retry: number): number {
	const base = policy.backoffBaseMs * 2 ** (retry - 1);
	return Math.round(base * (0.75 + Math.random() * 0.5));
}

async function readCredential(ctx: IExecuteFunctions): Promise<OmnisendCredential> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string; apiKey?: string }>('omnisendApi');
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!keyMayTravelTo(baseUrl)) {
		throw new NodeOperationError(ctx.getNode(), `The Omnisend credential's Base URL "${baseUrl}" is not usable`, {
			description: 'Use https://api.omnisend.com/v5, or http:// only for a fake on this machine (localhost): the API key must not travel unencrypted.',
		});
	}
	return { baseUrl, secret: String(credentials.apiKey ?? '') };
}

export interface OmnisendCredential {
	baseUrl: string;
	/** The API key, only to mask it should Omnisend echo it. */
	secret: string;
}

/**
 * What all requests of one node execution share: the policy, the rate gate, and the credential,
 * read and checked once (every item that awaits a refused credential fails with the same reason).
 */
export interface Session {
	policy: DeliveryPolicy;
	gate: RateGate;
	credential: () => Promise<OmnisendCredential>;
}

export function newSession(ctx: IExecuteFunctions, policy: DeliveryPolicy = DEFAULT_POLICY): Session {
	let credential: Promise<OmnisendCredential> | undefined;
	return { policy, gate: new RateGate(), credential: async () => await (credential ??= readCredential(ctx)) };
}

/** Absolute URL for a request; links from Omnisend are followed only on the credential's own origin. */
export function resolveUrl(baseUrl: string, path: string, link = false): string {
	if (!link) return `${baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
	const url = new URL(path, `${baseUrl}/`);
	if (url.origin !== new URL(baseUrl).origin) {
		throw new Error(`Omnisend returned a link to another host (${url.host}); it was not followed`);
	}
	return url.toString();
}

/**
 * The one place that talks to Omnisend. Waits at the shared rate gate, sends with the credential,
 * retries 429 (as long as Omnisend asks), 5xx and network errors (exponential backoff), and turns
 * everything else into an error that says what to do. Never retries a 4xx other than 429.
 */
export async function omnisendRequest(
	this: IExecuteFunctions,
	request: OmnisendRequest,
	itemIndex: number,
	session: Session = newSession(this),
): Promise<OmnisendResponse> {
	const { policy, gate } = session;
	const { baseUrl, secret } = await session.credential();
	const options: IHttpRequestOptions = {
		method: request.method,
		url: resolveUrl(baseUrl, request.path, request.link),
		qs: request.qs,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: policy.timeoutMs,
		json: false,
		encoding: 'text',
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) {
		options.body = JSON.stringify(request.body);
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
	}
	const signal = this.getExecutionCancelSignal?.();

	let serverRetries = 0;
	let rateRetries = 0;
	// After a 5xx or a lost connection Omnisend may have the item; after a 429 it surely does not.
	let mayHaveArrived = false;
	for (let attempts = 1; ; attempts++) {
		await gate.pass(signal);
		if (signal?.aborted) {
			const message = mayHaveArrived
				? 'The execution was stopped while this item was being retried; it was not confirmed as sent'
				: 'The execution was stopped before this item was sent';
			throw new NodeOperationError(this.getNode(), message, { itemIndex });
		}
		const attempt: Attempt = { ctx: this, itemIndex, attempts, policy, secret };
		let response: RawResponse | undefined;
		let failure: unknown;
		try {
			// A fresh headers object each time: n8n adds the credential's header to it.
			response = (await this.helpers.httpRequestWithAuthentication.call(this, 'omnisendApi', {
				...options,
				headers: { ...options.headers },
			})) as RawResponse;
		} catch (error) {
			failure = error;
		}
		if (response === undefined) {
			const network = isNetworkError(failure);
			if (!network || serverRetries >= policy.serverErrorRetries) throw noAnswerError(attempt, failure, network);
			mayHaveArrived = true;
			serverRetries++;
			await pause(backoffMs(policy, serverRetries), signal);
			continue;
		}
		const headers = Object.fromEntries(
			Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)]),
		);
		const answer: RawResponse = { statusCode: response.statusCode, body: parseBody(response.body), headers };
		const { statusCode } = answer;

		// Out of quota for this window: hold everyone until it resets, before the next request.
		const reset = secondsIn(header(headers, 'x-rate-limit-reset'));
		if (header(headers, 'x-rate-limit-remaining')?.trim() === '0' && reset !== undefined) {
			gate.holdFor(Math.min(reset * 1000, policy.maxRateLimitWaitMs));
		}
		if ((statusCode >= 200 && statusCode < 300) || request.acceptStatuses?.includes(statusCode)) {
			return { statusCode, body: answer.body, headers, attempts };
		}
		if (statusCode === 429) {
			const wait = rateLimitWaitMs(answer);
			if (rateRetries >= policy.rateLimitRetries || wait > policy.maxRateLimitWaitMs) {
				throw apiError(attempt, statusCode, answer.body, wait > policy.maxRateLimitWaitMs ? wait : undefined);
			}
			rateRetries++;
			gate.holdFor(wait);
			continue;
		}
		if (statusCode >= 500 && serverRetries < policy.serverErrorRetries) {
			mayHaveArrived = true;
			serverRetries++;
			await pause(backoffMs(policy, serverRetries), signal);
			continue;
		}
		throw apiError(attempt, statusCode, answer.body);
	}
}
