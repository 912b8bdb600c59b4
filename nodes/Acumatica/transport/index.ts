import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	AcumaticaAuthError,
	acumaticaSignIn,
	instanceBase,
	LOGIN_LIMIT,
	LOGIN_LIMIT_HINT,
	mergeCookies,
	RATE_LIMIT_HINT,
	secretMayTravelTo,
} from '../../../credentials/AcumaticaApi.credentials';
import { KeyedQueue } from '../../shared/items';
import { fieldErrors } from '../helpers/record';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface DeliveryPolicy {
	/** Retries after a 429 (Acumatica declined the request: safe for every method). */
	rateLimitRetries: number;
	/** Retries after a 5xx or no answer, for idempotent requests only. */
	serverErrorRetries: number;
	timeoutMs: number;
	/** First wait after a 429 or 5xx without Retry-After, doubled each retry, ±25 % jitter. */
	backoffBaseMs: number;
	/** Longest Retry-After honoured; a longer one fails the item. */
	maxRateLimitWaitMs: number;
}

export const DEFAULT_POLICY: DeliveryPolicy = {
	rateLimitRetries: 3,
	serverErrorRetries: 2,
	timeoutMs: 60_000,
	backoffBaseMs: 2_000,
	maxRateLimitWaitMs: 120_000,
};

export interface AcumaticaRequest {
	method: IHttpRequestMethods;
	/** Below the endpoint (`/Contact`), or from the site root with `fromRoot` (a Location Acumatica returned). */
	path: string;
	fromRoot?: boolean;
	qs?: IDataObject;
	body?: unknown;
	headers?: IDataObject;
	/** Whether sending it twice has the effect of once: only such requests are retried after a 5xx or a lost answer. */
	idempotent: boolean;
	/** Statuses the caller handles (e.g. 404), returned instead of thrown. */
	acceptStatuses?: number[];
}

export interface AcumaticaResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
}

interface RawResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
}

type AuthKind = 'session' | 'passwordGrant' | 'oAuth2';

interface Setup {
	kind: AuthKind;
	credentialType: string;
	/** Site root and endpoint URL (`https://x/entity/Default/24.200.001`). */
	base: string;
	endpointUrl: string;
	branch: string;
	/** This execution's copy of the password credential: its `accessToken` is our session or token. */
	data?: ICredentialDataDecryptedObject;
	credentialRef?: { id: string; name: string };
}

const WHAT_TO_DO: Record<number, string> = {
	400: 'Acumatica could not read the request. Check the field names and value types against the entity (its $adHocSchema) for this endpoint version.',
	403: 'The Acumatica user lacks access rights to this entity or action. Grant them to the user\'s role (User Roles, SM201005).',
	404: 'Acumatica has no such record, or no such entity/action on this endpoint. Check Endpoint Name and Version in the credential (Web Service Endpoints, SM207060) and the entity name.',
	412: 'The record did not meet the write condition: "Insert Only" found an existing record, or "Update Only" found none.',
	422: 'Acumatica validated the record and refused it. Fix the fields listed; sending it again unchanged fails the same way.',
};

/** The innermost cause (n8n wraps errors in its own). */
function causes(error: unknown): unknown[] {
	const chain: unknown[] = [];
	for (let current = error; current && typeof current === 'object' && chain.length < 10; current = (current as { cause?: unknown }).cause) {
		chain.push(current);
	}
	return chain;
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

/** Acumatica's own words from an error body (`exceptionMessage`, `message`, or the text). */
export function acumaticaMessage(body: unknown): string {
	if (typeof body === 'string') return body.slice(0, 500);
	if (!body || typeof body !== 'object') return '';
	const data = body as IDataObject;
	const parts: string[] = [];
	for (const key of ['message', 'exceptionMessage', 'error']) {
		const value = data[key];
		if (typeof value === 'string' && value !== '' && !parts.includes(value)) parts.push(value);
	}
	// ASP.NET Web API's 400 answer: {"message": "The request is invalid.", "modelState": {"field": ["why"]}}.
	if (data.modelState && typeof data.modelState === 'object') {
		for (const [field, messages] of Object.entries(data.modelState as IDataObject)) {
			for (const text of Array.isArray(messages) ? messages : [messages]) {
				if (typeof text === 'string' && text !== '') parts.push(field ? `${field}: ${text}` : text);
			}
		}
	}
	return parts.join(' ');
}

function secondsIn(value: unknown): number | undefined {
	const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
	return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/**
 * Everything one node execution (or one list look-up) shares with Acumatica: one session or token,
 * opened lazily by the first request (the others wait for it, so there is one login even with
 * concurrent items), re-opened once after a 401, and closed by `close()`.
 */
export class AcumaticaClient {
	private setupPromise?: Promise<Setup>;

	/** The first request of a not yet signed-in client; the others wait for it. */
	private signingIn?: Promise<unknown>;

	private signInFailure?: Error;

	/** Sign-ins that succeeded (a new value after each, so one 401 re-authenticates once for all). */
	private generation = 0;

	/** Masked in every error: password, client secret, tokens, cookies. */
	private secrets: string[] = [];

	/** `authentication` is the node's parameter: 'password' (acumaticaApi) or 'oAuth2' (acumaticaOAuth2Api). */
	constructor(
		private readonly ctx: Context,
		private readonly authentication: string,
		readonly policy: DeliveryPolicy = DEFAULT_POLICY,
	) {}

	private node() {
		return this.ctx.getNode();
	}

	setup(): Promise<Setup> {
		this.setupPromise ??= this.readSetup();
		return this.setupPromise;
	}

	private async readSetup(): Promise<Setup> {
		const authentication = this.authentication;
		const credentialType = authentication === 'oAuth2' ? 'acumaticaOAuth2Api' : 'acumaticaApi';
		const credentials = await this.ctx.getCredentials(credentialType);
		const base = instanceBase(credentials.instanceUrl);
		if (!secretMayTravelTo(base)) {
			throw new NodeOperationError(this.node(), `The Acumatica credential's Instance URL "${base}" is not usable`, {
				description: 'Use the https:// address of the instance (http:// only for a test instance on localhost): passwords and tokens must not travel unencrypted.',
			});
		}
		const endpointName = String(credentials.endpointName ?? '').trim() || 'Default';
		const endpointVersion = String(credentials.endpointVersion ?? '').trim();
		if (endpointVersion === '') {
			throw new NodeOperationError(this.node(), 'The Acumatica credential has no Endpoint Version', {
				description: 'Enter the version of the endpoint as listed on Web Service Endpoints (SM207060), e.g. 24.200.001.',
			});
		}
		for (const secret of [credentials.password, credentials.clientSecret]) this.remember(secret);
		this.remember(credentials.accessToken);
		const tokenData = credentials.oauthTokenData as IDataObject | undefined;
		this.remember(tokenData?.access_token);
		this.remember(tokenData?.refresh_token);
		const setup: Setup = {
			kind: authentication === 'oAuth2' ? 'oAuth2' : credentials.mode === 'passwordGrant' ? 'passwordGrant' : 'session',
			credentialType,
			base,
			endpointUrl: `${base}/entity/${encodeURIComponent(endpointName)}/${encodeURIComponent(endpointVersion)}`,
			branch: String(credentials.branch ?? '').trim(),
		};
		if (setup.kind !== 'oAuth2') {
			const ref = this.node().credentials?.[credentialType];
			setup.credentialRef = { id: ref?.id ?? '', name: ref?.name ?? '' };
			setup.data = { ...credentials };
			// A cookie session belongs to this execution alone: always sign in afresh (a stored one was logged out).
			if (setup.kind === 'session') setup.data.accessToken = '';
		}
		return setup;
	}

	/** Masks every secret this client knows in a string or JSON value. */
	redact<T>(value: T): T {
		const secrets = [...this.secrets].sort((a, b) => b.length - a.length);
		if (secrets.length === 0) return value;
		const mask = (entry: unknown): unknown => {
			if (typeof entry === 'string') return secrets.reduce((text, secret) => text.split(secret).join('***'), entry);
			if (Array.isArray(entry)) return entry.map(mask);
			if (entry && typeof entry === 'object') return Object.fromEntries(Object.entries(entry).map(([k, v]) => [mask(k), mask(v)]));
			return entry;
		};
		return mask(value) as T;
	}

	/** Adds a token, or a cookie header and each cookie value in it, to what `redact` masks. */
	private remember(value: unknown) {
		const text = String(value ?? '');
		if (text === '') return;
		const parts = text.split(';').map((pair) => pair.slice(pair.indexOf('=') + 1).trim());
		for (const part of [text, ...parts]) if (part.length >= 4 && !this.secrets.includes(part)) this.secrets.push(part);
	}

	/** Search-then-write of one match value, one after another (see KeyedQueue). */
	private readonly queue = new KeyedQueue();

	async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
		return await this.queue.run(key, work);
	}

	/** The setup of the last request, for close(). */
	private currentSetup?: Setup;

	private async send(setup: Setup, options: IHttpRequestOptions): Promise<RawResponse> {
		if (setup.kind === 'oAuth2') return await this.sendOAuth2(setup, options);
		// A fresh headers object each time: n8n adds the credential's header to it.
		return (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			setup.credentialType,
			{ ...options, headers: { ...options.headers } },
			{
				credentialsDecrypted: {
					id: setup.credentialRef?.id ?? '',
					name: setup.credentialRef?.name ?? '',
					type: setup.credentialType,
					data: setup.data,
				},
			},
		)) as RawResponse;
	}

	/**
	 * OAuth2 (authorization code): n8n refreshes the token and repeats the request on a 401 only
	 * when the 401 is thrown, so HTTP errors are thrown here and turned back into answers.
	 */
	private async sendOAuth2(setup: Setup, options: IHttpRequestOptions): Promise<RawResponse> {
		let failure: unknown;
		try {
			return (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, setup.credentialType, {
				...options,
				headers: { ...options.headers },
				ignoreHttpStatusErrors: false,
			})) as RawResponse;
		} catch (error) {
			failure = error;
		}
		for (const entry of causes(failure)) {
			const response = (entry as { response?: { status?: number; data?: unknown; headers?: RawResponse['headers'] } }).response;
			if (typeof response?.status === 'number') return { statusCode: response.status, body: response.data, headers: response.headers ?? {} };
		}
		// n8n's own verdict (e.g. "The credential needs to be reconnected" after a refused refresh) says what to do.
		const verdict = causes(failure).find((entry) => entry instanceof NodeOperationError);
		throw verdict ?? failure;
	}

	private signedIn(setup: Setup): boolean {
		return setup.kind === 'oAuth2' || String(setup.data?.accessToken ?? '') !== '';
	}

	/** Sends with the session/token; the first request of an unsigned client signs in, alone. */
	private async sendSignedIn(setup: Setup, options: IHttpRequestOptions, itemIndex: number): Promise<{ raw: RawResponse; generation: number }> {
		for (;;) {
			if (this.signInFailure) throw this.signInFailure;
			if (this.signingIn) {
				await this.signingIn.catch(() => undefined);
				continue;
			}
			if (this.signedIn(setup)) {
				// The session the request goes out with (read before sending: a re-login may finish meanwhile).
				const generation = this.generation;
				return { raw: await this.send(setup, options), generation };
			}
			if (setup.kind === 'session') {
				await this.openSession(setup, itemIndex);
				continue;
			}
			// A token: n8n's preAuthentication fetches it with the first request and saves it for later executions.
			const first = this.send(setup, options);
			this.signingIn = first;
			let raw: RawResponse | undefined;
			let failure: unknown;
			try {
				raw = await first;
			} catch (error) {
				failure = error;
			} finally {
				this.signingIn = undefined;
			}
			if (this.signedIn(setup)) {
				this.generation++;
				this.remember(setup.data?.accessToken);
				if (raw) return { raw, generation: this.generation };
				throw failure;
			}
			this.signInFailure = this.signInError(failure, itemIndex);
			throw this.signInFailure;
		}
	}

	/**
	 * Logs in (`POST /entity/auth/login`) for this execution alone, the other requests waiting. Done
	 * here rather than through n8n's preAuthentication, which would save every short-lived session
	 * cookie into the stored credential (a database write per execution, and a login whose cookie is
	 * lost if that write fails).
	 */
	private async openSession(setup: Setup, itemIndex: number): Promise<void> {
		const data = setup.data ?? {};
		const plain = this.ctx.helpers.httpRequest.bind(this.ctx.helpers);
		const helpers = { helpers: { httpRequest: plain } } as IHttpRequestHelper;
		const opening = acumaticaSignIn.call(helpers, data);
		this.signingIn = opening;
		let failure: unknown;
		try {
			data.accessToken = (await opening).accessToken;
		} catch (error) {
			failure = error;
		} finally {
			this.signingIn = undefined;
		}
		if (this.signedIn(setup)) {
			this.generation++;
			this.sessionOpened = true;
			this.remember(data.accessToken);
			return;
		}
		this.signInFailure = this.signInError(failure, itemIndex);
		throw this.signInFailure;
	}

	/** Whether a cookie session was opened in this execution (and so must be logged out). */
	private sessionOpened = false;

	private signInError(error: unknown, itemIndex: number): Error {
		const auth = causes(error).find((entry) => (entry as Error)?.name === 'AcumaticaAuthError') as AcumaticaAuthError | undefined;
		if (auth) {
			return new NodeApiError(this.node(), { message: this.redact(auth.message) } as JsonObject, {
				message: this.redact(auth.message),
				description: auth.description,
				httpCode: auth.answeredWith ? String(auth.answeredWith) : undefined,
				itemIndex,
			});
		}
		if (error instanceof NodeOperationError) return error;
		const code = causes(error)
			.map((entry) => (entry as { code?: unknown }).code)
			.find((value) => typeof value === 'string');
		const message = `Signing in to Acumatica failed (${String(code ?? 'no answer')})`;
		const failure = new NodeApiError(this.node(), { reason: message } as JsonObject, {
			message,
			description: 'Check the Instance URL in the credential and that the instance is reachable.',
			itemIndex,
		});
		failure.message = message;
		return failure;
	}

	/** Absolute URL of a request; Locations from Acumatica are followed only on the instance's own origin. */
	private url(setup: Setup, request: AcumaticaRequest): string {
		if (!request.fromRoot) return `${setup.endpointUrl}${request.path}`;
		const url = new URL(request.path, `${setup.base}/`);
		if (url.origin !== new URL(setup.base).origin) {
			throw new NodeOperationError(this.node(), `Acumatica pointed to another host (${url.host}); it was not followed`);
		}
		// A root-relative Location keeps the virtual directory only if Acumatica put it there.
		return url.toString();
	}

	/**
	 * The one place that talks to Acumatica's contract-based API. Retries a 429 (declined, so safe
	 * for every method) with backoff, a 5xx or lost answer only for idempotent requests, re-signs
	 * in once after a 401, and turns every other failure into an error that says what to do.
	 */
	async request(request: AcumaticaRequest, itemIndex = 0): Promise<AcumaticaResponse> {
		const setup = await this.setup();
		this.currentSetup = setup;
		const headers: IDataObject = { Accept: 'application/json', ...(request.headers ?? {}) };
		if (setup.branch !== '') headers['PX-CbApiBranch'] = setup.branch;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: this.url(setup, request),
			qs: request.qs,
			headers,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.policy.timeoutMs,
			json: false,
			encoding: 'text',
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
		if (request.body !== undefined) {
			options.body = JSON.stringify(request.body);
			options.headers = { ...headers, 'Content-Type': 'application/json' };
		}
		let rateRetries = 0;
		let serverRetries = 0;
		let reauthenticated = false;
		for (let attempts = 1; ; attempts++) {
			if (this.stopped()) {
				throw new NodeOperationError(this.node(), 'The execution was stopped; the request was not sent', { itemIndex });
			}
			let raw: RawResponse | undefined;
			let generation = this.generation;
			let failure: unknown;
			try {
				({ raw, generation } = await this.sendSignedIn(setup, options, itemIndex));
			} catch (error) {
				failure = error;
			}
			if (!raw) {
				if (failure === this.signInFailure || failure instanceof NodeOperationError) throw failure;
				if (request.idempotent && serverRetries < this.policy.serverErrorRetries && !this.stopped()) {
					serverRetries++;
					await sleep(this.backoff(serverRetries));
					continue;
				}
				throw this.noAnswerError(failure, request, attempts, itemIndex);
			}
			const responseHeaders = Object.fromEntries(
				Object.entries(raw.headers ?? {}).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value ?? '')]),
			);
			if (setup.kind === 'session' && raw.headers?.['set-cookie'] && setup.data && String(setup.data.accessToken ?? '') !== '' && generation === this.generation) {
				// Acumatica may renew its cookies (sliding expiry); keep the jar current for later requests and the logout.
				setup.data.accessToken = mergeCookies(String(setup.data.accessToken), raw.headers['set-cookie']);
				this.remember(setup.data.accessToken);
			}
			const statusCode = raw.statusCode;
			const body = parseBody(raw.body);
			if (statusCode !== 401) this.working.add(generation);
			if ((statusCode >= 200 && statusCode < 300) || request.acceptStatuses?.includes(statusCode)) {
				return { statusCode, body, headers: responseHeaders };
			}
			// OAuth2: n8n has already refreshed the token and sent the request again.
			// A session or token that was itself opened after a 401 and never worked is not replaced again.
			const renewable = !(generation === this.renewedGeneration && !this.working.has(generation));
			if (statusCode === 401 && !reauthenticated && setup.kind !== 'oAuth2' && renewable) {
				// Not processed: safe to send again for any method, after one new session or token.
				reauthenticated = true;
				await this.invalidate(setup, generation);
				continue;
			}
			if (statusCode === 429 || LOGIN_LIMIT.test(acumaticaMessage(body))) {
				const asked = secondsIn(responseHeaders['retry-after']);
				const wait = asked !== undefined ? asked * 1000 : this.backoff(rateRetries + 1);
				if (statusCode === 429 && rateRetries < this.policy.rateLimitRetries && wait <= this.policy.maxRateLimitWaitMs) {
					rateRetries++;
					await sleep(wait);
					continue;
				}
				throw await this.failure(setup, statusCode, body, request, attempts, itemIndex);
			}
			if (statusCode >= 500 && request.idempotent && serverRetries < this.policy.serverErrorRetries) {
				serverRetries++;
				await sleep(this.backoff(serverRetries));
				continue;
			}
			throw await this.failure(setup, statusCode, body, request, attempts, itemIndex);
		}
	}

	/** Whether the user stopped the execution: then nothing more is sent or retried (the logout still is). */
	private stopped(): boolean {
		const signal = (this.ctx as Partial<IExecuteFunctions>).getExecutionCancelSignal?.();
		return signal?.aborted === true;
	}

	/** The sign-in made after a 401 (its generation), and the generations some request succeeded with. */
	private renewedGeneration = -1;

	private working = new Set<number>();

	/**
	 * After a 401: the session or token this request used is dead; the next request signs in again
	 * (once for all). A cookie session is logged out first, in case only Acumatica's answer was
	 * wrong and the session still holds its licence seat: every login gets its logout.
	 */
	private async invalidate(setup: Setup, generation: number) {
		if (!setup.data || generation !== this.generation) return;
		const dead = String(setup.data.accessToken ?? '');
		setup.data.accessToken = '';
		this.renewedGeneration = generation + 1;
		if (setup.kind === 'session' && dead !== '') await this.logout(setup, dead);
	}

	private backoff(retry: number): number {
		const base = this.policy.backoffBaseMs * 2 ** (retry - 1);
		return Math.round(base * (0.75 + Math.random() * 0.5));
	}

	/** An error answer as a NodeApiError; for OAuth2 first learns the tokens n8n may have refreshed meanwhile, to mask them too. */
	private async failure(setup: Setup, statusCode: number, body: unknown, request: AcumaticaRequest, attempts: number, itemIndex: number) {
		if (setup.kind === 'oAuth2') {
			let tokenData: IDataObject | undefined;
			try {
				tokenData = (await this.ctx.getCredentials(setup.credentialType)).oauthTokenData as IDataObject | undefined;
			} catch {
				tokenData = undefined;
			}
			this.remember(tokenData?.access_token);
			this.remember(tokenData?.refresh_token);
		}
		return this.apiError(statusCode, body, request, attempts, itemIndex);
	}

	private apiError(statusCode: number, rawBody: unknown, request: AcumaticaRequest, attempts: number, itemIndex: number): NodeApiError {
		const body = this.redact(rawBody);
		const said = this.redact(acumaticaMessage(body));
		const retried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
		let message: string;
		let description = WHAT_TO_DO[statusCode] ?? 'Acumatica refused the request; see its message.';
		if (statusCode === 422) {
			const errors = fieldErrors(body);
			message = `Acumatica refused the record (422): ${errors.length > 0 ? errors.join('; ') : said || 'validation failed'}`;
		} else if (LOGIN_LIMIT.test(said)) {
			message = `Acumatica refused the request: API login limit reached (${said})`;
			description = LOGIN_LIMIT_HINT;
		} else if (statusCode === 429) {
			message = `Acumatica declined the request: licence request limit exceeded (429)${retried}`;
			description = RATE_LIMIT_HINT;
		} else if (statusCode === 401) {
			message = `Acumatica did not accept the ${request.method} request even after signing in again (401)`;
			description = 'The session or token was refused twice. Check the credential (user, tenant, Connected Application) and that the user may use the web services.';
		} else if (statusCode >= 500) {
			message = `Acumatica failed with ${statusCode}${said ? `: ${said}` : ''}${retried}`;
			description = request.idempotent
				? 'This is on Acumatica\'s side. The request was retried; try again later.'
				: 'This is on Acumatica\'s side. The request was not retried because sending it twice could act twice; check in Acumatica whether it took effect before running it again.';
		} else {
			message = `Acumatica answered ${statusCode}${said ? `: ${said}` : ''}`;
		}
		const error = new NodeApiError(this.node(), { statusCode, body } as unknown as JsonObject, {
			message,
			description,
			httpCode: String(statusCode),
			itemIndex,
		});
		error.message = message;
		return error;
	}

	private noAnswerError(error: unknown, request: AcumaticaRequest, attempts: number, itemIndex: number): NodeApiError {
		const code = causes(error)
			.map((entry) => (entry as { code?: unknown }).code)
			.find((value) => typeof value === 'string');
		const message = `Acumatica could not be reached (${String(code ?? 'no answer')})${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
		const failure = new NodeApiError(this.node(), { reason: message } as JsonObject, {
			message,
			description: request.idempotent
				? 'Check the Instance URL and that the instance is running.'
				: 'The request may or may not have reached Acumatica and was not repeated (it is not safe to repeat); check in Acumatica before running it again.',
			itemIndex,
		});
		failure.message = message;
		return failure;
	}

	/**
	 * Ends the cookie session this client opened (`POST /entity/auth/logout`); never throws. Sent
	 * with n8n's plain request helper and our own Cookie header on purpose: the authenticated helper
	 * ties requests to the execution's stop signal, and a stopped execution must still free its seat.
	 */
	async close(): Promise<void> {
		const setup = this.currentSetup;
		if (!this.sessionOpened || !setup?.data) return;
		const cookie = String(setup.data.accessToken ?? '');
		this.sessionOpened = false;
		if (cookie !== '') await this.logout(setup, cookie);
		setup.data.accessToken = '';
	}

	/** `POST /entity/auth/logout` with one session's cookies; never throws. */
	private async logout(setup: Setup, cookie: string): Promise<void> {
		try {
			await this.ctx.helpers.httpRequest({
				method: 'POST',
				url: `${setup.base}/entity/auth/logout`,
				headers: { Accept: 'application/json', Cookie: cookie },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: false,
				encoding: 'text',
				timeout: 30_000,
				disableFollowRedirect: true,
			});
		} catch (error) {
			const code = causes(error)
				.map((entry) => (entry as { code?: unknown }).code)
				.find((value) => typeof value === 'string');
			this.ctx.logger?.warn(`Acumatica logout failed (${String(code ?? 'no answer')}); the licence seat frees itself after about 10 minutes`);
		}
	}
}
