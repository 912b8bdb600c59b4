import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Where a password, token or session cookie may be sent: https anywhere, plain http only to this machine. */
export function secretMayTravelTo(address: string): boolean {
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return false;
	}
	return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}

/** The instance URL without trailing slashes (it may hold a virtual directory: https://host/AcumaticaERP). */
export function instanceBase(instanceUrl: unknown): string {
	return String(instanceUrl ?? '').trim().replace(/\/+$/, '');
}

/**
 * A refused login or token request. Carries only Acumatica's own words (the password and client
 * secret masked) and what to do (`description`, which n8n shows under the message); the node finds
 * it in n8n's error chain by its name. The HTTP status is `answeredWith`: under `statusCode` n8n
 * would swap the message for a stock text.
 */
export class AcumaticaAuthError extends Error {
	override name = 'AcumaticaAuthError';

	constructor(
		message: string,
		readonly description: string,
		readonly answeredWith?: number,
	) {
		super(message);
	}
}

/** Acumatica's licence refusal when every API-user seat is taken (wording varies by version). */
export const LOGIN_LIMIT = /api login limit|concurrent api login|maximum number of (web services )?api users|apiloginlimit|checkapiuserslimits/i;

export const LOGIN_LIMIT_HINT =
	'Every "Web Services API Users" seat of the Acumatica licence is in use. Sessions that were not logged out keep their seat for about 10 minutes: wait, then run again. For good: lower the Concurrency of workflows using Acumatica, run them one at a time, raise the limit (License Monitoring Console SM604000 shows it; per-user limits are on Users SM201010), or switch the credential to an OAuth 2.0 mode so executions share one token.';

export const RATE_LIMIT_HINT =
	'Acumatica answers 429 when the licence\'s request limits are exceeded (more than 20 requests queued, or one waited over 10 minutes; see License Monitoring Console SM604000). Lower the node\'s Concurrency, spread the workflow\'s runs out, or raise the licence limits.';

function mask(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) if (secret) out = out.split(secret).join('***');
	return out;
}

function said(body: unknown): string {
	if (typeof body === 'string') return body.slice(0, 300);
	if (body && typeof body === 'object') {
		const data = body as IDataObject;
		for (const key of ['exceptionMessage', 'message', 'error_description', 'error']) {
			if (typeof data[key] === 'string' && data[key] !== '') return (data[key] as string).slice(0, 300);
		}
	}
	return '';
}

/** `name=value` pairs of every Set-Cookie header, merged into an existing Cookie header value. */
export function mergeCookies(existing: string, setCookie: unknown): string {
	const jar = new Map<string, string>();
	for (const pair of existing.split(';')) {
		const at = pair.indexOf('=');
		if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
	}
	const lines = Array.isArray(setCookie) ? setCookie : typeof setCookie === 'string' ? [setCookie] : [];
	for (const line of lines) {
		const first = String(line).split(';')[0];
		const at = first.indexOf('=');
		if (at > 0) jar.set(first.slice(0, at).trim(), first.slice(at + 1).trim());
	}
	return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The OAuth client id with the `@Tenant` suffix Acumatica requires (added when a tenant is set and the id has none). */
export function clientIdWithTenant(clientId: unknown, tenant: unknown): string {
	const id = String(clientId ?? '').trim();
	const name = String(tenant ?? '').trim();
	return name !== '' && !id.includes('@') ? `${id}@${name}` : id;
}

/**
 * Opens what the `accessToken` field holds: in session mode the cookies of a fresh
 * `/entity/auth/login`, in password-grant mode an access token from `/identity/connect/token`.
 */
export async function acumaticaSignIn(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string }> {
	const base = instanceBase(credentials.instanceUrl);
	if (!secretMayTravelTo(base)) {
		throw new AcumaticaAuthError(
			`The Acumatica instance URL "${base}" is not usable`,
			'Use the https:// address of the instance (http:// only for a local test instance on localhost): the password must not travel unencrypted.',
		);
	}
	const secrets = [String(credentials.password ?? ''), String(credentials.clientSecret ?? '')];
	const passwordGrant = credentials.mode === 'passwordGrant';
	const options: IHttpRequestOptions = passwordGrant
		? {
				method: 'POST',
				url: `${base}/identity/connect/token`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: new URLSearchParams({
					grant_type: 'password',
					client_id: clientIdWithTenant(credentials.clientId, credentials.tenant),
					client_secret: String(credentials.clientSecret ?? ''),
					username: String(credentials.username ?? ''),
					password: String(credentials.password ?? ''),
					scope: 'api',
				}).toString(),
			}
		: {
				method: 'POST',
				url: `${base}/entity/auth/login`,
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				body: JSON.stringify(loginBody(credentials)),
			};
	let response: { statusCode: number; body: unknown; headers: Record<string, unknown> } | undefined;
	let reason = '';
	try {
		response = (await this.helpers.httpRequest({
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: 'text',
			disableFollowRedirect: true,
			timeout: 30_000,
		})) as typeof response;
	} catch (error) {
		// Only the code: the request error carries the request, password included.
		reason = String((error as { code?: unknown }).code ?? 'no answer');
	}
	const what = passwordGrant ? 'token request' : 'login';
	if (!response) {
		throw new AcumaticaAuthError(
			`The Acumatica ${what} got no answer (${reason})`,
			'Check the Instance URL in the credential and that the instance is running.',
		);
	}
	let body: unknown = response.body;
	if (typeof body === 'string' && body.trim().startsWith('{')) {
		try {
			body = JSON.parse(body);
		} catch {
			// keep the text
		}
	}
	const message = mask(said(body), secrets);
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) {
		if (passwordGrant) {
			const token = (body as IDataObject | undefined)?.access_token;
			if (typeof token === 'string' && token !== '') return { accessToken: token };
			throw new AcumaticaAuthError('Acumatica answered the token request without an access token', 'Check the Instance URL: it must be the Acumatica site itself.');
		}
		const cookies = mergeCookies('', response.headers?.['set-cookie']);
		if (cookies !== '') return { accessToken: cookies };
		throw new AcumaticaAuthError('Acumatica accepted the login but set no session cookie', 'Check the Instance URL: it must be the Acumatica site itself, not a proxy that drops cookies.');
	}
	if (LOGIN_LIMIT.test(message)) {
		throw new AcumaticaAuthError(`Acumatica refused the ${what}: API login limit reached${message ? ` (${message})` : ''}`, LOGIN_LIMIT_HINT, statusCode);
	}
	if (statusCode === 429) {
		// The request limits (per minute / concurrent), not the API-user seats: no session was opened.
		throw new AcumaticaAuthError(`Acumatica declined the ${what}: licence request limit exceeded (429)`, RATE_LIMIT_HINT, statusCode);
	}
	const hint = passwordGrant
		? 'Check the user name and password, the client ID (with its @Tenant suffix) and secret, and that the Connected Application (SM303010) allows the Resource Owner Password Credentials flow.'
		: 'Check the user name, password and tenant (and branch, if set) in the credential; the user must be allowed to sign in to that tenant.';
	throw new AcumaticaAuthError(`Acumatica refused the ${what} (${statusCode})${message ? `: ${message}` : ''}`, hint, statusCode);
}

/** `POST /entity/auth/login` body: name, password, tenant (older instances: company), branch and locale if set. */
export function loginBody(credentials: ICredentialDataDecryptedObject): IDataObject {
	const body: IDataObject = { name: String(credentials.username ?? ''), password: String(credentials.password ?? '') };
	const tenant = String(credentials.tenant ?? '').trim();
	if (tenant !== '') body[credentials.tenantField === 'company' ? 'company' : 'tenant'] = tenant;
	const branch = String(credentials.branch ?? '').trim();
	if (branch !== '') body.branch = branch;
	const locale = String(credentials.locale ?? '').trim();
	if (locale !== '') body.locale = locale;
	return body;
}

export const instanceProperties: INodeProperties[] = [
	{
		displayName: 'Instance URL',
		name: 'instanceUrl',
		type: 'string',
		default: '',
		placeholder: 'https://mycompany.acumatica.com',
		required: true,
		description:
			'Address of the Acumatica site, with its virtual directory if it has one (https://erp.example.com/AcumaticaERP). https only; http:// is accepted for localhost.',
	},
	{
		displayName: 'Tenant',
		name: 'tenant',
		type: 'string',
		default: '',
		placeholder: 'MyTenant',
		description:
			'Tenant (company) to sign in to, as shown on the sign-in page. Leave empty on single-tenant sites.',
	},
	{
		displayName: 'Endpoint Name',
		name: 'endpointName',
		type: 'string',
		default: 'Default',
		required: true,
		description: 'Contract-based web service endpoint (Web Service Endpoints, SM207060)',
	},
	{
		displayName: 'Endpoint Version',
		name: 'endpointVersion',
		type: 'string',
		default: '24.200.001',
		required: true,
		description:
			'Version of that endpoint on your instance (SM207060). Pin it: newer versions rename fields.',
	},
	{
		displayName: 'Branch',
		name: 'branch',
		type: 'string',
		default: '',
		description: 'Optional branch to work in (sent as PX-CbApiBranch, and at login)',
	},
];

/**
 * Acumatica with a user name and password, as a cookie session (`/entity/auth/login`) or as an
 * OAuth 2.0 password grant (token from `/identity/connect/token`, kept in an expiring field).
 */
export class AcumaticaApi implements ICredentialType {
	name = 'acumaticaApi';

	displayName = 'Acumatica API';

	icon: Icon = { light: 'file:../nodes/Acumatica/acumatica.svg', dark: 'file:../nodes/Acumatica/acumatica.dark.svg' };

	documentationUrl = 'https://help.acumatica.com/';

	properties: INodeProperties[] = [
		...instanceProperties,
		{
			displayName: 'Sign-In Mode',
			name: 'mode',
			type: 'options',
			options: [
				{
					name: 'Cookie Session (Login / Logout)',
					value: 'session',
					description: 'POST /entity/auth/login once per execution, always logged out at the end',
				},
				{
					name: 'OAuth 2.0 Password Grant',
					value: 'passwordGrant',
					description: 'Token from a Connected Application (SM303010), reused until it expires',
				},
			],
			default: 'session',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Tenant Field at Login',
			name: 'tenantField',
			type: 'options',
			options: [
				{ name: 'Tenant (Current Versions)', value: 'tenant' },
				{ name: 'Company (Older Versions)', value: 'company' },
			],
			default: 'tenant',
			displayOptions: { show: { mode: ['session'] } },
		},
		{
			displayName: 'Locale',
			name: 'locale',
			type: 'string',
			default: '',
			placeholder: 'en-US',
			displayOptions: { show: { mode: ['session'] } },
			description: 'Optional locale for the session',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { mode: ['passwordGrant'] } },
			placeholder: '88358B02-A48D-A50E-F710-39C1636C30F6@MyTenant',
			description:
				'From Connected Applications (SM303010), with the tenant after an @: the token then opens only that tenant. If you leave the suffix out and Tenant is set, @Tenant is added.',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { mode: ['passwordGrant'] } },
			description: 'A shared secret added to the Connected Application (Secrets tab); Acumatica shows it only once',
		},
		{
			displayName: 'Access Token or Session',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// n8n runs this (and saves the result into the credential) when the field is empty or after a 401:
	// for the password grant's token, and for the credential test. The node opens cookie sessions
	// itself (acumaticaSignIn), so session cookies are never saved.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await acumaticaSignIn.call(this, credentials);
	}

	// Bearer token or session cookie, only ever to the instance's own origin over https (or localhost).
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const raw = requestOptions.url ?? (requestOptions as { uri?: string | URL }).uri ?? '';
		let target: URL | undefined;
		try {
			target = new URL(String(raw), requestOptions.baseURL || undefined);
		} catch {
			target = undefined;
		}
		let instance: URL | undefined;
		try {
			instance = new URL(instanceBase(credentials.instanceUrl));
		} catch {
			instance = undefined;
		}
		if (!target || !instance || target.origin !== instance.origin || !secretMayTravelTo(target.toString())) {
			throw new Error('Acumatica credentials are only sent to the instance URL over https (or http to localhost); fix the Instance URL in the credential');
		}
		const value = String(credentials.accessToken ?? '');
		const header = credentials.mode === 'passwordGrant' ? { Authorization: `Bearer ${value}` } : { Cookie: value };
		return { ...requestOptions, headers: { ...requestOptions.headers, ...header } };
	};

	// Signs in (preAuthentication: login, or a token), then logs out so no licence seat stays taken.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.instanceUrl.trim().replace(/\\/+$/, "")}}',
			url: '/entity/auth/logout',
			method: 'POST',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Acumatica signed the user in but did not accept the session. Check the Instance URL.' },
			},
		],
	};
}
