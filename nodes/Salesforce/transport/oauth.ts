import { createHash } from 'node:crypto';

import type { ICredentialTestRequest, IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

/** A current REST API version (Spring '26); every org on a newer release still serves it. */
export const DEFAULT_API_VERSION = '66.0';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Hosts that do not serve the client credentials flow (Salesforce wants the org's My Domain). */
const GENERIC_LOGIN_HOSTS = /^(login|test)\.salesforce\.com$/i;

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** https anywhere; plain http only to this machine (a local fake), since tokens and secrets travel here. */
export function mayCarrySecrets(url: URL): boolean {
	return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}

/**
 * The org's My Domain origin from what the user typed: `https://acme.my.salesforce.com`,
 * `acme--uat.sandbox.my.salesforce.com` (https assumed), a custom domain, or http://localhost for a fake.
 * Throws a message that says what is wrong; never returns a path (the token endpoint is fixed).
 */
export function myDomainOrigin(input: unknown, { allowGenericLogin = false } = {}): string {
	let text = String(input ?? '').trim();
	if (text === '') throw new SalesforceAuthError('The My Domain URL is empty', 'Enter your org\'s My Domain URL, e.g. https://acme.my.salesforce.com (Setup → My Domain shows it).');
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
	const url = parseUrl(text);
	if (!url) throw new SalesforceAuthError(`The My Domain URL "${String(input).slice(0, 100)}" is not a URL`, 'Use the form https://acme.my.salesforce.com.');
	if (!mayCarrySecrets(url)) {
		throw new SalesforceAuthError(
			`The My Domain URL must use https (got ${url.protocol.replace(':', '')})`,
			'Salesforce only serves https; plain http is accepted only for a local test server (localhost).',
		);
	}
	if (url.username || url.password) throw new SalesforceAuthError('The My Domain URL must not contain a user name or password', 'Use only the address, e.g. https://acme.my.salesforce.com.');
	if (!allowGenericLogin && GENERIC_LOGIN_HOSTS.test(url.hostname)) {
		throw new SalesforceAuthError(
			`${url.hostname} does not serve the client credentials flow`,
			'Use your org\'s My Domain URL instead (Setup → My Domain), e.g. https://acme.my.salesforce.com or https://acme--uat.sandbox.my.salesforce.com for a sandbox.',
		);
	}
	return url.origin;
}

/** An API version like `66.0` (a leading `v` is tolerated). */
export function apiVersionOf(input: unknown): string {
	const text = String(input ?? '').trim().replace(/^v/i, '') || DEFAULT_API_VERSION;
	if (!/^\d{2,3}\.0$/.test(text)) {
		throw new SalesforceAuthError(`The API version "${text.slice(0, 20)}" is not valid`, `Use a version like ${DEFAULT_API_VERSION} (Salesforce versions end in .0).`);
	}
	return text;
}

/**
 * A failure to obtain a token. Deliberately carries no `response`: n8n re-runs preAuthentication
 * after a 401 *response*, so a token error must not look like one. Its texts hold no secret.
 */
export class SalesforceAuthError extends Error {
	readonly salesforceAuthError = true;

	constructor(
		message: string,
		readonly description: string,
		readonly oauthError?: string,
	) {
		super(message);
		this.name = 'SalesforceAuthError';
	}
}

const OAUTH_ADVICE: Record<string, string> = {
	invalid_client:
		'Salesforce did not accept the consumer key and secret. Copy both again from the app (App Manager → your app → View → Manage Consumer Details); a new app can take up to 10 minutes to become usable.',
	invalid_client_id: 'Salesforce does not know this consumer key. Copy it again from the app\'s consumer details.',
	invalid_grant:
		'The app refused this grant. For client credentials: enable "Enable Client Credentials Flow" and choose a Run As user in the app\'s policies (Manage → Edit Policies → Client Credentials Flow). For JWT bearer: the user must be pre-authorised (Admin approved users) and the certificate must match the private key.',
	unsupported_grant_type:
		'This flow is not enabled for the app, or the host is not the org\'s My Domain. Enable the flow in the app and use the My Domain URL (not login.salesforce.com).',
	invalid_request: 'Salesforce refused the token request. Check the My Domain URL and that the flow is enabled for the app.',
	inactive_user: 'The Run As user is inactive. Choose an active user in the app\'s Client Credentials Flow policy.',
	inactive_org: 'The org is locked, inactive or the My Domain is wrong.',
};

/** What to store after a token request: the token and the API host Salesforce named. */
export interface IssuedToken {
	accessToken: string;
	instanceUrl: string;
}

/**
 * POSTs a form to `{origin}/services/oauth2/token` and returns the token and `instance_url`.
 * Token errors come back as SalesforceAuthError with Salesforce's OAuth error code.
 */
export async function requestToken(
	helper: IHttpRequestHelper,
	origin: string,
	form: Record<string, string>,
	headers: IDataObject = {},
	secrets: string[] = [],
): Promise<IssuedToken> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${origin}/services/oauth2/token`,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
		body: new URLSearchParams(form).toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: false,
		encoding: 'text',
		disableFollowRedirect: true,
		timeout: 30_000,
	};
	let response: { statusCode: number; body: unknown } | undefined;
	let failure: unknown;
	try {
		response = (await helper.helpers.httpRequest(options)) as { statusCode: number; body: unknown };
	} catch (error) {
		failure = error;
	}
	if (!response) {
		// Built from the error code only: the request (with the secret in its body) must not travel on.
		const code = String((failure as { code?: unknown })?.code ?? (failure as { cause?: { code?: unknown } })?.cause?.code ?? 'no answer');
		throw new SalesforceAuthError(`Could not reach ${origin} for an access token (${code})`, 'Check the My Domain URL and that this n8n can reach Salesforce.');
	}
	const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '');
	let answer: IDataObject = {};
	try {
		answer = JSON.parse(text) as IDataObject;
	} catch {
		answer = {};
	}
	if (response.statusCode < 200 || response.statusCode >= 300 || typeof answer.access_token !== 'string') {
		const oauthError = typeof answer.error === 'string' ? answer.error : undefined;
		// Salesforce's words, with anything secret masked (a service may echo what it was sent).
		let said = typeof answer.error_description === 'string' ? answer.error_description : '';
		for (const secret of secrets.filter((entry) => entry.length >= 6)) said = said.split(secret).join('***');
		said = said.replace(/00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\-+/=]+/g, '***').slice(0, 200);
		if (said) said = `: ${said}`;
		throw new SalesforceAuthError(
			`Salesforce refused the token request (${response.statusCode}${oauthError ? ` ${oauthError.slice(0, 60).replace(/[^\w.-]/g, '')}` : ''}${said})`,
			(oauthError && OAUTH_ADVICE[oauthError]) ?? 'Check the credential\'s My Domain URL, consumer key and secret, and that the flow is enabled for the app.',
			oauthError,
		);
	}
	const instance = parseUrl(String(answer.instance_url ?? ''));
	if (!instance) throw new SalesforceAuthError('Salesforce issued a token without a usable instance_url', 'This is unexpected; try again, and check the My Domain URL.');
	if (!mayCarrySecrets(instance)) {
		throw new SalesforceAuthError(`Salesforce named an instance_url that is not https (${instance.protocol})`, 'The token was not used. Check the My Domain URL.');
	}
	return { accessToken: answer.access_token, instanceUrl: instance.origin };
}

/**
 * Which settings a stored token was issued for (a hash; stored beside the token as `tokenFor`).
 * n8n keeps the hidden token when the user edits the credential: without this, a token (and
 * instance URL) of the old org or app would go on being used after My Domain or the key changed.
 */
export function tokenFingerprint(parts: unknown[]): string {
	return createHash('sha256').update(parts.map((part) => String(part ?? '').trim()).join('\n')).digest('hex').slice(0, 32);
}

/**
 * Thrown by `authenticate` when the stored token belongs to other settings: it looks like a 401
 * answer to n8n, which then fetches a new token (preAuthentication) and sends the request once.
 * Nothing was sent to Salesforce.
 */
function staleTokenSignal(): Error {
	return Object.assign(new Error('The stored Salesforce token was issued for other credential settings; a new one is needed'), {
		response: { status: 401, data: [{ errorCode: 'INVALID_SESSION_ID', message: 'Token issued for other credential settings' }], headers: {} },
	});
}

/**
 * The request with the token and the API host applied: a relative `url` is resolved against the
 * instance URL from the token response; an absolute one must be on that host (the token goes nowhere else).
 */
/**
 * The credential test of both Salesforce credentials: the API version's resource list needs a valid
 * token (401 otherwise) and proves the version exists. `who` names the user the token acts as.
 */
export function apiVersionTest(who: string): ICredentialTestRequest {
	return {
		request: {
			url: '=/services/data/v{{ String($credentials.apiVersion || "66.0").replace(/^v/i, "") }}/',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: `Salesforce issued a token but then rejected it. Check that ${who} may use the API (API Enabled permission).` } },
			{ type: 'responseCode', properties: { value: 403, message: 'Salesforce refused the API for this user or org (API Enabled permission, or the org edition has no API access).' } },
			{ type: 'responseCode', properties: { value: 404, message: 'This org does not serve that API version. Use a current version such as 66.0.' } },
		],
	};
}

export function withBearer(credentials: IDataObject, requestOptions: IHttpRequestOptions, fingerprint: string): IHttpRequestOptions {
	if (String(credentials.accessToken ?? '') !== '' && credentials.tokenFor !== fingerprint) throw staleTokenSignal();
	const instanceUrl = String(credentials.instanceUrl ?? '');
	const instance = parseUrl(instanceUrl);
	if (!instance) throw new SalesforceAuthError('No Salesforce instance URL is known yet', 'The token request did not run or failed; test the credential.');
	// n8n passes `url` (+ `baseURL` for declarative requests), or `uri` on its legacy request path.
	const raw = String(requestOptions.url ?? (requestOptions as { uri?: string }).uri ?? '');
	const base = requestOptions.baseURL ? String(requestOptions.baseURL) : '';
	const target = /^https?:\/\//i.test(raw) ? parseUrl(raw) : parseUrl(new URL(`${base.replace(/\/+$/, '')}${raw.startsWith('/') || raw === '' ? '' : '/'}${raw}`, instance).toString());
	if (!target || target.origin !== instance.origin || !mayCarrySecrets(target)) {
		throw new SalesforceAuthError(`Refusing to send the Salesforce token to ${target?.host ?? 'an invalid address'}`, 'Requests go only to the instance URL Salesforce named in the token response.');
	}
	const options: IHttpRequestOptions = { ...requestOptions, url: target.toString(), headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.accessToken ?? '')}` } };
	delete options.baseURL;
	if ((options as { uri?: string }).uri !== undefined) (options as { uri?: string }).uri = target.toString();
	return options;
}

/** base64url without padding (RFC 7515). */
function base64Url(data: Buffer | string): string {
	return Buffer.from(data).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * The RS256-signed assertion of Salesforce's OAuth 2.0 JWT bearer flow: iss = consumer key,
 * sub = user name, aud = login.salesforce.com / test.salesforce.com / a site URL, exp within 3 minutes.
 */
export function jwtAssertion(
	sign: (input: string, privateKey: string) => Buffer,
	claims: { clientId: string; username: string; audience: string; nowSeconds: number },
	privateKey: string,
): string {
	const header = base64Url(JSON.stringify({ alg: 'RS256' }));
	const payload = base64Url(
		JSON.stringify({ iss: claims.clientId, sub: claims.username, aud: claims.audience, exp: claims.nowSeconds + 180 }),
	);
	let signature: Buffer | undefined;
	try {
		signature = sign(`${header}.${payload}`, privateKey);
	} catch {
		signature = undefined;
	}
	if (signature === undefined) {
		throw new SalesforceAuthError('The private key could not sign the JWT', 'Paste the whole PEM private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----) whose certificate is uploaded to the app.');
	}
	return `${header}.${payload}.${base64Url(signature)}`;
}
