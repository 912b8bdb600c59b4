import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { apiVersionOf } from './oauth';

export type SalesforceFunctions = IExecuteFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPES = {
	clientCredentials: 'salesforceClientCredentialsApi',
	jwtBearer: 'salesforceJwtBearerApi',
} as const;

export interface RequestPolicy {
	/** Retries of an idempotent request after a 5xx, a 429 or a lost connection (0 = none). */
	serverErrorRetries: number;
	timeoutMs: number;
	/** First backoff, doubled each retry, with ±25 % jitter. */
	backoffBaseMs: number;
}

export const DEFAULT_POLICY: RequestPolicy = { serverErrorRetries: 2, timeoutMs: 60_000, backoffBaseMs: 500 };

/** Daily API usage from the `Sforce-Limit-Info` header (`api-usage=used/max`). */
export interface ApiUsage {
	used: number;
	max: number;
}

export interface SalesforceRequest {
	method: IHttpRequestMethods;
	/** Path below `/services/data/vXX.X` (`/sobjects/Campaign/701...`), or with `link` a path Salesforce returned. */
	path: string;
	/** `path` is a link Salesforce returned (e.g. `nextRecordsUrl`): used as is, only below /services/data/. */
	link?: boolean;
	/** Query parameters, encoded by us (RFC 3986) so the wire form is exact. */
	qs?: Record<string, string>;
	body?: unknown;
	/**
	 * Whether sending it twice is harmless (GET, PATCH of fixed values, upsert by external id). Only
	 * idempotent requests are retried after a 5xx or a lost connection: a create may have happened.
	 */
	idempotent: boolean;
	/** Error statuses the caller handles itself (300 for upsert, 404 for look-ups). */
	acceptStatuses?: number[];
}

export interface SalesforceResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
	apiUsage?: ApiUsage;
	attempts: number;
}

/**
 * Shared by all requests of one node execution: the policy, the credential's settings (read once),
 * and a gate that lets the first request run alone, so that when no token is stored yet one token
 * request serves every item instead of one per concurrent worker.
 */
export interface Session {
	policy: RequestPolicy;
	credentialType: string;
	apiVersion: () => Promise<string>;
	enter: () => Promise<() => void>;
}

function credentialTypeOf(ctx: SalesforceFunctions): string {
	let authentication: unknown;
	try {
		authentication =
			'getCurrentNodeParameter' in ctx
				? (ctx as ILoadOptionsFunctions).getNodeParameter('authentication', 'clientCredentials')
				: (ctx as IExecuteFunctions).getNodeParameter('authentication', 0, 'clientCredentials');
	} catch {
		authentication = 'clientCredentials';
	}
	return authentication === 'jwtBearer' ? CREDENTIAL_TYPES.jwtBearer : CREDENTIAL_TYPES.clientCredentials;
}

export function newSession(ctx: SalesforceFunctions, policy: RequestPolicy = DEFAULT_POLICY): Session {
	const credentialType = credentialTypeOf(ctx);
	let version: Promise<string> | undefined;
	let firstDone: Promise<void> | undefined;
	return {
		policy,
		credentialType,
		apiVersion: async () =>
			await (version ??= (async () => {
				const credentials = await ctx.getCredentials(credentialType);
				return apiVersionOf(credentials.apiVersion);
			})()),
		enter: async () => {
			if (!firstDone) {
				let release!: () => void;
				firstDone = new Promise<void>((resolve) => (release = resolve));
				return release;
			}
			await firstDone;
			return () => undefined;
		},
	};
}

/** `api-usage=used/max` from Sforce-Limit-Info (other entries like per-app-api-usage are ignored). */
export function parseApiUsage(header: string | undefined): ApiUsage | undefined {
	const match = /(?:^|[,;\s])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
	return match ? { used: Number(match[1]), max: Number(match[2]) } : undefined;
}

export interface SalesforceError {
	errorCode: string;
	message: string;
	fields: string[];
}

/** Salesforce's error list `[{message, errorCode, fields}]` (also a single object, or OAuth's {error, error_description}). */
export function salesforceErrors(body: unknown): SalesforceError[] {
	const entries = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
	const errors: SalesforceError[] = [];
	for (const entry of entries) {
		if (!entry || typeof entry !== 'object') continue;
		const data = entry as Record<string, unknown>;
		const errorCode = String(data.errorCode ?? data.error ?? '');
		const message = String(data.message ?? data.error_description ?? '');
		if (!errorCode && !message) continue;
		const fields = Array.isArray(data.fields) ? data.fields.map(String) : [];
		errors.push({ errorCode, message, fields });
	}
	return errors;
}

function describeErrors(errors: SalesforceError[]): string {
	return errors
		.map(({ errorCode, message, fields }) => `${errorCode ? `${errorCode}: ` : ''}${message}${fields.length ? ` (fields: ${fields.join(', ')})` : ''}`)
		.join('; ')
		.slice(0, 1000);
}

const LATER =
	'To keep the other items and handle this one later, set the node\'s Settings › On Error to "Continue (using error output)".';

/** What to do, by Salesforce error code. */
const ADVICE: Record<string, string> = {
	REQUEST_LIMIT_EXCEEDED:
		'Your org has used its API request allocation for the last 24 hours (a rolling window: requests are accepted again as older ones age out, there is no fixed reset time). See Setup → Company Information → "API Requests, Last 24 Hours" or Setup → System Overview; reduce how often workflows call Salesforce, batch work, or buy more API calls. If the message mentions concurrent requests, too many long-running requests ran at once: lower Concurrency and try again later.',
	INVALID_SESSION_ID:
		'Salesforce rejected the access token, and a freshly issued one too. Check that the Run As user is active and has "API Enabled", that the app\'s OAuth scopes include "Manage user data via APIs (api)", and the app\'s IP relaxation policy.',
	MALFORMED_QUERY: 'The SOQL is not valid. Check field and object names and quoting; with the builder, check the field names.',
	INVALID_FIELD: 'A field name is wrong or not visible to the Run As user (field-level security). Check the API names (they end in __c for custom fields).',
	INVALID_TYPE: 'The object does not exist or the Run As user cannot see it. Check the API name (custom objects end in __c).',
	NOT_FOUND: 'Salesforce has no such record, object or field (or the Run As user cannot see it). Check the ID, and for upsert that the field is an External ID field.',
	ENTITY_IS_DELETED: 'The record is in the Recycle Bin. Restore it or use another record.',
	REQUIRED_FIELD_MISSING: 'Add the fields Salesforce names as required.',
	INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:
		'The value is not one of the picklist\'s values. Add it in Setup → Object Manager → (object) → Fields → (field), or send an existing value (Campaign Status has Planned, In Progress, Completed and Aborted by default; "Paused" must be added).',
	FIELD_CUSTOM_VALIDATION_EXCEPTION: 'A validation rule in your org refused the values; its message is above.',
	DUPLICATE_VALUE: 'Another record already has this value in a unique field.',
	DUPLICATES_DETECTED: 'A duplicate rule blocked the write. Update the existing record instead, or adjust the duplicate rule.',
	INSUFFICIENT_ACCESS_OR_READONLY: 'The Run As user may not change this record or field. Grant access via profile/permission set or sharing.',
	INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'The Run As user cannot access a record this one refers to (e.g. the Campaign a note is linked to).',
	API_DISABLED_FOR_ORG: 'The org\'s edition or the Run As user\'s profile has no API access ("API Enabled").',
	API_CURRENTLY_DISABLED: 'The API is disabled for this user or org ("API Enabled" permission).',
	INVALID_CROSS_REFERENCE_KEY: 'An ID in the request does not point to a record of the right type.',
	STRING_TOO_LONG: 'A text value is longer than the field allows.',
	JSON_PARSER_ERROR: 'The fields are not what Salesforce expects (e.g. a text where a number belongs).',
	MALFORMED_ID: 'An ID is not a valid Salesforce ID (15 or 18 characters).',
	FIELD_INTEGRITY_EXCEPTION: 'A field value is not allowed here (e.g. wrong record type or an ID of another object).',
	INVALID_FIELD_FOR_INSERT_UPDATE: 'A field cannot be written (formula, system or read-only field). Remove it.',
	FUNCTIONALITY_NOT_ENABLED: 'The feature is not enabled in this org (for notes: enable Notes in Setup → Notes Settings, or use the legacy Note type).',
	UNABLE_TO_LOCK_ROW: 'Another process held the record. Run the item again later.',
};

const STATUS_ADVICE: Record<number, string> = {
	400: 'Salesforce refused the request as invalid. Fix what it names; sending it again unchanged fails the same way.',
	401: 'Salesforce rejected the access token, and a freshly issued one too. Check that the Run As user is active and has "API Enabled", and the app\'s policies.',
	403: 'The Run As user or the org may not do this (permissions, API access).',
	404: 'Salesforce has no such record, object or resource (or the Run As user cannot see it).',
	405: 'Salesforce does not allow this method here.',
	409: 'Salesforce reported a conflict; run the item again later.',
	415: 'Salesforce refused the content type.',
};

/** Masks session ids (`00D…!…`, the shape of Salesforce access tokens) and the given secrets anywhere in a value. */
export function redact<T>(value: T, secrets: string[] = []): T {
	const known = secrets.filter((secret) => secret.length >= 6);
	const mask = (entry: unknown): unknown => {
		if (typeof entry === 'string') {
			let text = entry.replace(/00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\-+/=]+/g, '***');
			for (const secret of known) text = text.split(secret).join('***');
			return text;
		}
		if (Array.isArray(entry)) return entry.map(mask);
		if (entry && typeof entry === 'object') return Object.fromEntries(Object.entries(entry).map(([key, item]) => [mask(key), mask(item)]));
		return entry;
	};
	return mask(value) as T;
}

async function secretsOf(ctx: SalesforceFunctions, session: Session): Promise<string[]> {
	try {
		const credentials = await ctx.getCredentials(session.credentialType);
		return ['clientSecret', 'accessToken', 'privateKey'].map((key) => String(credentials[key] ?? '')).filter(Boolean);
	} catch {
		return [];
	}
}

interface Attempt {
	ctx: SalesforceFunctions;
	itemIndex: number;
	attempts: number;
	request: SalesforceRequest;
	secrets: string[];
}

function usageText(usage: ApiUsage | undefined): string {
	return usage ? ` API usage: ${usage.used} of ${usage.max} requests in the last 24 hours.` : '';
}

export function apiError(attempt: Attempt, statusCode: number, rawBody: unknown, usage?: ApiUsage): NodeApiError {
	const body = redact(rawBody, attempt.secrets);
	const errors = salesforceErrors(body);
	const said = errors.length > 0 ? describeErrors(errors) : typeof body === 'string' ? body.slice(0, 300) : '';
	const retried = attempt.attempts > 1 ? ` after ${attempt.attempts} attempts` : '';
	const code = errors.find((error) => ADVICE[error.errorCode])?.errorCode;
	let description = (code && ADVICE[code]) ?? STATUS_ADVICE[statusCode];
	if (statusCode >= 500 || statusCode === 429) {
		description = attempt.request.idempotent
			? `Salesforce failed with ${statusCode}${retried}; this is on Salesforce's side. ${LATER}`
			: `Salesforce failed with ${statusCode}. The request creates data, so it was not retried: it may or may not have been applied. Check in Salesforce before running the item again (Upsert by an external ID is safe to repeat). ${LATER}`;
	}
	const error = new NodeApiError(attempt.ctx.getNode(), { statusCode, body } as unknown as JsonObject, {
		message: `Salesforce answered ${statusCode}${said ? `: ${said}` : ''}${retried}`,
		description: `${description ?? 'Salesforce refused the request; see its message above.'}${code === 'REQUEST_LIMIT_EXCEEDED' ? usageText(usage) : ''}`,
		httpCode: String(statusCode),
		itemIndex: attempt.itemIndex,
	});
	(error as NodeApiError & { salesforceErrors?: SalesforceError[] }).salesforceErrors = errors;
	return error;
}

const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ECONNABORTED|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|ESOCKETTIMEDOUT|ERR_SOCKET_CONNECTION_TIMEOUT|UND_ERR_\w+)$/;

/** The chain of causes of an error (n8n wraps the HTTP client's error in its own). */
function chainOf(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	for (let current = error as Record<string, unknown> | undefined; current && typeof current === 'object' && chain.length < 10 && !chain.includes(current); ) {
		chain.push(current);
		current = current.cause as Record<string, unknown> | undefined;
	}
	return chain;
}

interface HttpAnswer {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
}

function normalizeHeaders(raw: unknown): Record<string, string> {
	const entries = raw && typeof raw === 'object' ? Object.entries(raw as Record<string, unknown>) : [];
	return Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)]));
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** The HTTP answer inside an error n8n threw for a non-2xx status (its cause holds the client's response). */
function answerInside(error: unknown): HttpAnswer | undefined {
	for (const link of chainOf(error)) {
		const response = link.response as Record<string, unknown> | undefined;
		const status = response?.status ?? response?.statusCode;
		if (response && typeof response === 'object' && typeof status === 'number') {
			return { statusCode: status, body: parseBody(response.data ?? response.body), headers: normalizeHeaders(response.headers) };
		}
	}
	return undefined;
}

function authErrorInside(error: unknown): { message: string; description: string } | undefined {
	const found = chainOf(error).find((link) => link.salesforceAuthError === true);
	return found ? { message: String(found.message), description: String(found.description ?? '') } : undefined;
}

function isNetworkError(error: unknown): boolean {
	return chainOf(error).some(
		(link) =>
			(typeof link.code === 'string' && NETWORK_CODES.test(link.code)) ||
			(typeof link.message === 'string' && /timeout of \d+ms exceeded|socket hang up|aborted/i.test(link.message)),
	);
}

function noAnswerError(attempt: Attempt, error: unknown, timeoutMs: number): NodeApiError {
	const codes = chainOf(error).map((link) => link.code).filter((code): code is string => typeof code === 'string');
	const code = codes.find((entry) => NETWORK_CODES.test(entry)) ?? codes[0] ?? '';
	const timedOut = /TIMEDOUT|ECONNABORTED/.test(code) || chainOf(error).some((link) => /timeout/i.test(String(link.message ?? '')));
	const reason = timedOut ? `no answer within ${timeoutMs / 1000} s` : `connection failed${code ? ` (${code})` : ''}`;
	const message = `Salesforce could not be reached: ${reason}${attempt.attempts > 1 ? ` after ${attempt.attempts} attempts` : ''}`;
	const description = attempt.request.idempotent
		? `Check that this n8n can reach your Salesforce instance. ${LATER}`
		: `The request creates data and was not retried: it may or may not have reached Salesforce. Check in Salesforce before running the item again. ${LATER}`;
	// No `code` in the error body: NodeApiError would swap our message for its stock network text.
	const failure = new NodeApiError(attempt.ctx.getNode(), { reason } as JsonObject, { message, description, itemIndex: attempt.itemIndex });
	failure.message = message;
	return failure;
}

function backoffMs(policy: RequestPolicy, retry: number): number {
	return Math.round(policy.backoffBaseMs * 2 ** (retry - 1) * (0.75 + Math.random() * 0.5));
}

/** Waits in slices so that stopping the execution ends the wait within a second. */
async function pause(ms: number, signal?: AbortSignal) {
	for (let left = ms; left > 0 && !signal?.aborted; left -= 1000) await sleep(Math.min(left, 1000));
}

/** RFC 3986 query string (spaces as %20), so the SOQL Salesforce receives is exactly ours. */
export function queryString(qs: Record<string, string> | undefined): string {
	const entries = Object.entries(qs ?? {});
	return entries.length === 0 ? '' : `?${entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** The request path on the instance: our API path, or a link from Salesforce kept below /services/data/. */
async function pathOf(request: SalesforceRequest, session: Session): Promise<string> {
	if (request.link) {
		if (!/^\/services\/data\/v\d+\.\d+\/[A-Za-z0-9/_.-]+$/.test(request.path) || request.path.includes('..')) {
			throw new Error(`Salesforce returned a link that is not a REST API path; it was not followed`);
		}
		return `${request.path}${queryString(request.qs)}`;
	}
	return `/services/data/v${await session.apiVersion()}${request.path}${queryString(request.qs)}`;
}

/**
 * The one place that talks to Salesforce. n8n applies the credential (token, instance URL) and,
 * on a 401, fetches a new token and retries once itself; so this never retries a 401 (no double
 * retry). Idempotent requests are retried after 5xx/429/lost connections with backoff; everything
 * else becomes an error saying what happened and what to do. Secrets are masked in every error.
 */
export async function salesforceRequest(
	this: SalesforceFunctions,
	request: SalesforceRequest,
	itemIndex: number,
	session: Session,
): Promise<SalesforceResponse> {
	const { policy } = session;
	let url = '';
	let badPath: (Error & { description?: string }) | undefined;
	try {
		url = await pathOf(request, session);
	} catch (error) {
		badPath = error as Error;
	}
	if (badPath) {
		throw new NodeOperationError(this.getNode(), badPath.message, {
			itemIndex,
			description: badPath.description ?? 'Check the credential\'s API version.',
		});
	}
	const headers: IDataObject = { Accept: 'application/json' };
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		headers,
		returnFullResponse: true,
		json: false,
		encoding: 'text',
		timeout: policy.timeoutMs,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) {
		options.body = JSON.stringify(request.body);
		headers['Content-Type'] = 'application/json';
	}
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal?.() : undefined;

	for (let attempts = 1; ; attempts++) {
		const attempt: Attempt = { ctx: this, itemIndex, attempts, request, secrets: [] };
		if (signal?.aborted) {
			throw new NodeOperationError(this.getNode(), 'The execution was stopped before this request was sent', { itemIndex });
		}
		let response: { statusCode: number; body: unknown; headers: unknown } | undefined;
		let failure: unknown;
		const leave = await session.enter();
		try {
			// A fresh headers object each time: n8n adds the Authorization header to it.
			response = (await this.helpers.httpRequestWithAuthentication.call(this, session.credentialType, {
				...options,
				headers: { ...headers },
			})) as typeof response;
		} catch (error) {
			failure = error;
		} finally {
			leave();
		}

		let answer: HttpAnswer | undefined;
		if (response) {
			answer = { statusCode: response.statusCode, body: parseBody(response.body), headers: normalizeHeaders(response.headers) };
		} else {
			const auth = authErrorInside(failure);
			if (auth) {
				throw new NodeApiError(this.getNode(), { reason: 'token' } as JsonObject, { message: auth.message, description: auth.description, itemIndex });
			}
			answer = answerInside(failure);
		}
		if (!answer) {
			if (failure instanceof NodeOperationError) throw failure;
			attempt.secrets = await secretsOf(this, session);
			if (!request.idempotent || !isNetworkError(failure) || attempts > policy.serverErrorRetries) {
				throw noAnswerError(attempt, failure, policy.timeoutMs);
			}
			await pause(backoffMs(policy, attempts), signal);
			continue;
		}
		const apiUsage = parseApiUsage(answer.headers['sforce-limit-info']);
		const { statusCode } = answer;
		if ((statusCode >= 200 && statusCode < 300) || request.acceptStatuses?.includes(statusCode)) {
			return { statusCode, body: answer.body, headers: answer.headers, apiUsage, attempts };
		}
		if ((statusCode >= 500 || statusCode === 429) && request.idempotent && attempts <= policy.serverErrorRetries) {
			await pause(backoffMs(policy, attempts), signal);
			continue;
		}
		attempt.secrets = await secretsOf(this, session);
		throw apiError(attempt, statusCode, answer.body, apiUsage);
	}
}

/** The answer's JSON object ({} for 204 and the like). */
export function answerObject(response: SalesforceResponse): IDataObject {
	const { body } = response;
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};
}
