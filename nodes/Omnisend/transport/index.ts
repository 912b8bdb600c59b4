import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { OMNISEND_DEFAULT_BASE_URL } from '../../../credentials/OmnisendApi.credentials';
import { toJson } from '../../shared/json';

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

	async pass() {
		for (let wait = this.openAt - Date.now(); wait > 0; wait = this.openAt - Date.now()) {
			await sleep(wait);
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
	const retryAfter = header(response.headers, 'retry-after');
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
	}
	const reset = Number(header(response.headers, 'x-rate-limit-reset'));
	if (Number.isFinite(reset) && reset >= 0 && header(response.headers, 'x-rate-limit-reset') !== undefined) {
		return reset * 1000;
	}
	const body = response.body as { retryAfter?: unknown } | undefined;
	const fromBody = Number(body?.retryAfter);
	if (body && typeof body === 'object' && Number.isFinite(fromBody)) return Math.max(0, fromBody * 1000);
	return RATE_LIMIT_FALLBACK_MS;
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

function apiError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	statusCode: number,
	body: unknown,
	attempts: number,
	askedWaitMs?: number,
): NodeApiError {
	const said = omnisendMessage(body);
	const retried = attempts > 1 ? ` after ${attempts} attempts` : '';
	let description = WHAT_TO_DO[statusCode];
	if (statusCode === 429) {
		const tooLong = askedWaitMs !== undefined ? ` and asked to wait ${Math.ceil(askedWaitMs / 1000)} s, longer than this node waits (${DEFAULT_POLICY.maxRateLimitWaitMs / 1000} s)` : '';
		description = `Omnisend kept rate-limiting${retried}${tooLong} (400 requests/minute per store). The item was not sent; lower Concurrency, or retry it later (Retry On Fail / an error workflow).`;
	} else if (statusCode >= 500) {
		description = `Omnisend failed with ${statusCode}${retried}. This is on Omnisend's side; the item was not confirmed as sent. Retry later.`;
	}
	return new NodeApiError(
		ctx.getNode(),
		{ statusCode, body: body as JsonObject } as unknown as JsonObject,
		{
			message: `Omnisend answered ${statusCode}${said ? `: ${said}` : ''}`,
			description: description ?? 'Omnisend refused the request; see its message above.',
			httpCode: String(statusCode),
			itemIndex,
		},
	);
}

function networkError(ctx: IExecuteFunctions, itemIndex: number, error: unknown, attempts: number, timeoutMs: number) {
	// n8n's own refusals (e.g. no credential set) already say what to do.
	if (error instanceof NodeOperationError) return error;
	// Only the code and a short reason: the original error carries the request config, key included.
	const cause = error as { code?: string; message?: string; cause?: { code?: string } };
	const code = cause?.cause?.code ?? cause?.code ?? 'NETWORK_ERROR';
	const timedOut = /timeout|ETIMEDOUT|ECONNABORTED/i.test(`${code} ${cause?.message ?? ''}`);
	const reason = timedOut ? `no answer within ${timeoutMs / 1000} s` : `connection failed (${code})`;
	const message = `Omnisend could not be reached: ${reason}${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
	// No `code` in the error body: NodeApiError would swap our message for its stock network text.
	const failure = new NodeApiError(ctx.getNode(), { reason } as JsonObject, {
		message,
		description:
			'The request may or may not have reached Omnisend. Retry later; check the Base URL in the credential if this persists.',
		itemIndex,
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

export async function getBaseUrl(ctx: IExecuteFunctions): Promise<string> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>('omnisendApi');
	return (credentials.baseUrl || OMNISEND_DEFAULT_BASE_URL).replace(/\/+$/, '');
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
	policy: DeliveryPolicy = DEFAULT_POLICY,
	gate: RateGate = new RateGate(),
): Promise<OmnisendResponse> {
	const baseUrl = await getBaseUrl(this);
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
		options.body = toJson(request.body);
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
	}

	let serverRetries = 0;
	let rateRetries = 0;
	for (let attempt = 1; ; attempt++) {
		await gate.pass();
		let response: RawResponse | undefined;
		let failure: unknown;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, 'omnisendApi', {
				...options,
				headers: { ...options.headers },
			})) as RawResponse;
		} catch (error) {
			failure = error;
		}
		if (response === undefined) {
			if (!isNetworkError(failure) || serverRetries >= policy.serverErrorRetries) {
				throw networkError(this, itemIndex, failure, attempt, policy.timeoutMs);
			}
			serverRetries++;
			await sleep(backoffMs(policy, serverRetries));
			continue;
		}
		response.body = parseBody(response.body);
		const headers = Object.fromEntries(
			Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)]),
		);
		response.headers = headers;
		const { statusCode } = response;

		const reset = Number(header(headers, 'x-rate-limit-reset'));
		if (header(headers, 'x-rate-limit-remaining') === '0' && Number.isFinite(reset)) {
			gate.holdFor(Math.min(reset * 1000, policy.maxRateLimitWaitMs));
		}
		if ((statusCode >= 200 && statusCode < 300) || request.acceptStatuses?.includes(statusCode)) {
			return { statusCode, body: response.body, headers, attempts: attempt };
		}
		if (statusCode === 429) {
			const wait = rateLimitWaitMs(response);
			if (rateRetries >= policy.rateLimitRetries || wait > policy.maxRateLimitWaitMs) {
				throw apiError(this, itemIndex, statusCode, response.body, attempt, wait > policy.maxRateLimitWaitMs ? wait : undefined);
			}
			rateRetries++;
			gate.holdFor(wait);
			continue;
		}
		if (statusCode >= 500 && serverRetries < policy.serverErrorRetries) {
			serverRetries++;
			await sleep(backoffMs(policy, serverRetries));
			continue;
		}
		throw apiError(this, itemIndex, statusCode, response.body, attempt);
	}
}
