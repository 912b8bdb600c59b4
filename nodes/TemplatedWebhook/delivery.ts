import type { IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/** The one place this node talks HTTP: webhook deliveries. (Host names are resolved in url.ts.) */

export interface DeliveryPolicy {
	timeoutMs: number;
	/** Retries inside this execution after a retryable failure (0 = none). */
	retries: number;
	/** First backoff; doubled each retry, times a random factor in [0.5, 1.5). */
	backoffBaseMs: number;
	/** All waits inside one execution for one item together stay within this. */
	maxWaitMs: number;
}

export interface OutgoingRequest {
	url: string;
	method: IHttpRequestMethods;
	headers: Record<string, string>;
	body: string;
}

/** One HTTP request (or a decision not to send one), as it appears in the delivery log. */
export interface AttemptLog {
	/** Durable attempt (1 = first visit of the node for this item). */
	attempt: number;
	/** Request within the attempt (1 = first, then in-execution retries). */
	try: number;
	at: string;
	durationMs: number;
	outcome: 'delivered' | 'failed' | 'not sent';
	statusCode?: number;
	error?: string;
	retryAfterSeconds?: number;
	/** The start of the answer's body (bounded, secrets masked). */
	response?: string;
	probe?: boolean;
}

export interface RoundResult {
	outcome: 'delivered' | 'retry' | 'drop';
	reason: string;
	statusCode?: number;
	/** What the receiver asked for with Retry-After on the last answer (uncapped). */
	retryAfterMs?: number;
	log: AttemptLog[];
}

export const RESPONSE_EXCERPT_CHARS = 500;

/** Masks every secret (and its base64 form, as Basic auth sends it) in text a receiver echoed. */
export function redact(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret) continue;
		for (const form of [secret, Buffer.from(secret, 'utf8').toString('base64')]) out = out.split(form).join('***');
	}
	return out;
}

/** Waits `ms` in one-second slices so n8n's Stop ends the wait within a second. */
export async function pause(ms: number, signal?: AbortSignal) {
	for (let left = ms; left > 0 && !signal?.aborted; left -= 1000) await sleep(Math.min(left, 1000));
}

/** Retry-After in ms: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) {
		const at = Date.parse(text);
		if (!Number.isNaN(at)) return Math.max(0, at - now);
	}
	return undefined;
}

function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

interface RawResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
}

function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers?.[name];
	return Array.isArray(value) ? value[0] : value;
}

/** The error code and a short message of a request that got no answer (never the request itself: it holds the credentials). */
function describeNoAnswer(error: unknown, timeoutMs: number, secrets: string[]): string {
	let inner = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
	let code = '';
	for (let depth = 0; depth < 10 && inner; depth++) {
		if (typeof inner.code === 'string' && !code) code = inner.code;
		if (!inner.cause || typeof inner.cause !== 'object') break;
		inner = inner.cause as typeof inner;
	}
	const message = redact(String(inner?.message ?? '').slice(0, 200), secrets);
	if (/timeout|ETIMEDOUT|ECONNABORTED/i.test(`${code} ${message}`)) return `no answer within ${timeoutMs / 1000} s`;
	return `connection failed (${code || message || 'unknown error'})`;
}

/**
 * One delivery attempt of one item: the request, then retries inside this execution for 408, 429,
 * 5xx and network failures, with exponential backoff and jitter or the receiver's Retry-After, as
 * long as the waits fit in `policy.maxWaitMs`. Other 4xx and 3xx are final (never retried).
 */
export async function deliverOnce(
	ctx: IExecuteFunctions,
	request: OutgoingRequest,
	options: { policy: DeliveryPolicy; attempt: number; credentialType?: string; secrets: string[]; probe?: boolean },
): Promise<RoundResult> {
	const { policy, attempt, credentialType, secrets } = options;
	const signal = ctx.getExecutionCancelSignal?.();
	const log: AttemptLog[] = [];
	let waited = 0;
	for (let tryNumber = 1; ; tryNumber++) {
		if (signal?.aborted) {
			throw new NodeOperationError(ctx.getNode(), 'The execution was stopped while an item was being delivered; it was not confirmed as delivered', {
				description: 'Run the workflow again; receivers can drop the repeat by its delivery id.',
			});
		}
		const httpOptions: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: { ...request.headers },
			body: request.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: policy.timeoutMs,
			json: false,
			encoding: 'text',
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
		const started = Date.now();
		let response: RawResponse | undefined;
		let failure: unknown;
		try {
			response = (credentialType
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, httpOptions)
				: await ctx.helpers.httpRequest(httpOptions)) as RawResponse;
		} catch (error) {
			failure = error;
		}
		const entry: AttemptLog = {
			attempt,
			try: tryNumber,
			at: new Date(started).toISOString(),
			durationMs: Date.now() - started,
			outcome: 'failed',
		};
		if (options.probe) entry.probe = true;
		log.push(entry);

		let retryable: boolean;
		let reason: string;
		let askedMs: number | undefined;
		if (response === undefined) {
			if (failure instanceof NodeOperationError) {
				// n8n's own refusal before sending (e.g. the credential refused an http URL).
				entry.outcome = 'not sent';
				entry.error = redact(failure.message, secrets);
				return { outcome: 'drop', reason: entry.error, log };
			}
			reason = describeNoAnswer(failure, policy.timeoutMs, secrets);
			entry.error = reason;
			retryable = true;
		} else {
			const { statusCode } = response;
			entry.statusCode = statusCode;
			const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
			if (text) entry.response = redact(text.slice(0, RESPONSE_EXCERPT_CHARS + 200), secrets).slice(0, RESPONSE_EXCERPT_CHARS);
			if (statusCode >= 200 && statusCode < 300) {
				entry.outcome = 'delivered';
				return { outcome: 'delivered', reason: `delivered (${statusCode})`, statusCode, log };
			}
			askedMs = retryAfterMs(headerValue(response.headers, 'retry-after'));
			if (askedMs !== undefined) entry.retryAfterSeconds = Math.ceil(askedMs / 1000);
			retryable = isRetryableStatus(statusCode);
			reason =
				statusCode >= 300 && statusCode < 400
					? `the receiver answered ${statusCode} (a redirect); redirects are not followed`
					: `the receiver answered ${statusCode}`;
			entry.error = reason;
			if (!retryable) return { outcome: 'drop', reason: `${reason}; not retried`, statusCode, log };
		}
		const statusCode = response?.statusCode;
		if (tryNumber > policy.retries) return { outcome: 'retry', reason, statusCode, retryAfterMs: askedMs, log };
		const backoff = Math.round(policy.backoffBaseMs * 2 ** (tryNumber - 1) * (0.5 + Math.random()));
		const wait = askedMs ?? backoff;
		if (waited + wait > policy.maxWaitMs) return { outcome: 'retry', reason, statusCode, retryAfterMs: askedMs, log };
		waited += wait;
		await pause(wait, signal);
	}
}
