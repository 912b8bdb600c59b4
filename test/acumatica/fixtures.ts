import nock from 'nock';
import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RunOptions, WorkflowJson } from '../harness/run-workflow';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';

export const HOST = 'https://erp.example.com';
/** The instance lives in a virtual directory, as many on-premises sites do. */
export const INSTANCE = `${HOST}/AcumaticaERP`;
export const ENDPOINT = '/AcumaticaERP/entity/Default/24.200.001';

export const PASSWORD = 'pw-Acu-S3cret-9137';
export const CLIENT_SECRET = 'cs-Acu-Client-Secret-5521';
/** Every session cookie / token the fake hands out contains this, so a scan can find any of them. */
export const SESSION_MARK = 'SESSx7q';
export const TOKEN_MARK = 'TOKx9w';
export const OAUTH_ACCESS = `oauth-access-${TOKEN_MARK}-1`;
export const OAUTH_REFRESH = 'oauth-refresh-R3fr3sh-77';

const common = {
	instanceUrl: INSTANCE,
	tenant: 'MyTenant',
	endpointName: 'Default',
	endpointVersion: '24.200.001',
	username: 'api-user',
	password: PASSWORD,
};

export type Mode = 'session' | 'passwordGrant' | 'oAuth2';

export function credentialsFor(mode: Mode, extra: ICredentialDataDecryptedObject = {}): Record<string, ICredentialDataDecryptedObject> {
	if (mode === 'oAuth2') {
		return {
			acumaticaOAuth2Api: {
				instanceUrl: INSTANCE,
				tenant: 'MyTenant',
				endpointName: 'Default',
				endpointVersion: '24.200.001',
				grantType: 'authorizationCode',
				authUrl: `${INSTANCE}/identity/connect/authorize`,
				accessTokenUrl: `${INSTANCE}/identity/connect/token`,
				clientId: 'B2A4-C0DE@MyTenant',
				clientSecret: CLIENT_SECRET,
				scope: 'api offline_access',
				authentication: 'body',
				oauthTokenData: { access_token: OAUTH_ACCESS, refresh_token: OAUTH_REFRESH, token_type: 'Bearer' },
				...extra,
			},
		};
	}
	if (mode === 'passwordGrant') {
		return { acumaticaApi: { ...common, mode: 'passwordGrant', clientId: 'B2A4-C0DE', clientSecret: CLIENT_SECRET, ...extra } };
	}
	return { acumaticaApi: { ...common, mode: 'session', ...extra } };
}

export function acumaticaWorkflow(parameters: INodeParameters, mode: Mode, settings: { continueOnFail?: boolean } = {}): WorkflowJson {
	const credentialType = mode === 'oAuth2' ? 'acumaticaOAuth2Api' : 'acumaticaApi';
	return triggeredWorkflow({
		name: 'Acumatica',
		type: 'n8n-nodes-crm-relay.acumatica',
		parameters: { authentication: mode === 'oAuth2' ? 'oAuth2' : 'password', ...parameters },
		credentials: { [credentialType]: { id: 'cred-acu', name: 'Acumatica account' } },
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
}

export interface Received {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	body: unknown;
}

export type Reply = [number, unknown?, Record<string, string | string[]>?];

export interface FakeOptions {
	/** Overrides the login answer (e.g. the API login limit). */
	login?: (request: Received, index: number) => Reply | undefined;
	/** Overrides the token answer. */
	token?: (request: Received, index: number) => Reply | undefined;
}

/**
 * A fake Acumatica on HOST: real login (204 + cookies), logout, password-grant and refresh token
 * endpoints, and a check that every entity request carries a live session or token (401 otherwise).
 * Entity requests are answered by `reply`.
 */
export function acumaticaFake(reply: (request: Received, index: number) => Reply | Promise<Reply>, options: FakeOptions = {}) {
	const received: Received[] = [];
	const entity: Received[] = [];
	const logins: Received[] = [];
	const logouts: Received[] = [];
	const tokens: Received[] = [];
	const live = new Set<string>();
	const validTokens = new Set<string>([OAUTH_ACCESS]);
	let sessionCounter = 0;
	let tokenCounter = 0;

	const scope = nock(HOST).persist();
	const rawBodies: string[] = [];
	scope.on('request', (_req, _interceptor, body: string) => rawBodies.push(body ?? ''));

	const sessionOf = (request: Received): string | undefined => {
		const cookie = String(request.headers.cookie ?? '');
		return /\.ASPXAUTH=([^;]+)/.exec(cookie)?.[1];
	};
	const tokenOf = (request: Received): string | undefined => /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];

	const handle = async (request: Received): Promise<Reply> => {
		const path = request.path.split('?')[0];
		if (request.method === 'POST' && path === '/AcumaticaERP/entity/auth/login') {
			logins.push(request);
			const custom = options.login?.(request, logins.length - 1);
			if (custom) return custom;
			sessionCounter++;
			const auth = `auth-${SESSION_MARK}-${sessionCounter}`;
			live.add(auth);
			return [204, undefined, { 'Set-Cookie': [`.ASPXAUTH=${auth}; path=/; HttpOnly`, `ASP.NET_SessionId=sid-${SESSION_MARK}-${sessionCounter}; path=/`, 'UserBranch=1; path=/'] }];
		}
		if (request.method === 'POST' && path === '/AcumaticaERP/entity/auth/logout') {
			logouts.push(request);
			const session = sessionOf(request);
			if (session) live.delete(session);
			return [204];
		}
		if (request.method === 'POST' && path === '/AcumaticaERP/identity/connect/token') {
			tokens.push(request);
			const custom = options.token?.(request, tokens.length - 1);
			const issued = (custom?.[1] as { access_token?: unknown } | undefined)?.access_token;
			if (custom && custom[0] === 200 && typeof issued === 'string') validTokens.add(issued);
			if (custom) return custom;
			tokenCounter++;
			const token = `tok-${TOKEN_MARK}-${tokenCounter}`;
			validTokens.add(token);
			return [200, { access_token: token, expires_in: 3600, token_type: 'Bearer', scope: 'api' }];
		}
		entity.push(request);
		const session = sessionOf(request);
		const token = tokenOf(request);
		if (!(session && live.has(session)) && !(token && validTokens.has(token))) {
			return [401, { message: 'You are not logged in.' }];
		}
		return await reply(request, entity.length - 1);
	};

	for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
		scope.intercept(/.*/, method).reply(function (uri) {
			const rawBody = rawBodies.shift() ?? '';
			let body: unknown = rawBody;
			try {
				body = rawBody === '' ? undefined : JSON.parse(rawBody);
			} catch {
				body = rawBody;
			}
			const request: Received = { method: this.req.method, path: uri, headers: this.req.headers, rawBody, body };
			received.push(request);
			const answer = async (): Promise<[number, string, Record<string, string | string[]>]> => {
				const [status, responseBody, headers] = await handle(request);
				const text = responseBody === undefined ? '' : typeof responseBody === 'string' ? responseBody : JSON.stringify(responseBody);
				return [status, text, { ...(typeof responseBody === 'object' ? { 'Content-Type': 'application/json' } : {}), ...(headers ?? {}) }];
			};
			return answer();
		});
	}
	return {
		scope,
		received,
		entity,
		logins,
		logouts,
		tokens,
		sessionOf,
		tokenOf,
		/** Sessions still open on the fake (logins not logged out). */
		liveSessions: () => live.size,
		/** Ends every session and token, as an idle timeout or an admin would. */
		expireAll: () => {
			live.clear();
			validTokens.clear();
		},
		validTokens,
	};
}

export async function runAcumatica(
	parameters: INodeParameters,
	input: RunOptions['input'],
	{ mode = 'session', continueOnFail = false, credentials }: { mode?: Mode; continueOnFail?: boolean; credentials?: Record<string, ICredentialDataDecryptedObject> } = {},
) {
	const result = await runWorkflow(acumaticaWorkflow(parameters, mode, { continueOnFail }), {
		credentials: credentials ?? credentialsFor(mode),
		input,
	});
	return { ...result, items: result.output('Acumatica'), error: result.nodeError('Acumatica') };
}

/** The auth header a request carried in a mode: the session cookie, or the bearer token. */
export function expectAuthenticated(request: Received, mode: Mode) {
	if (mode === 'session') {
		expect(String(request.headers.cookie)).toMatch(new RegExp(`^\\.ASPXAUTH=auth-${SESSION_MARK}-\\d+; ASP\\.NET_SessionId=sid-${SESSION_MARK}-\\d+; UserBranch=1$`));
		expect(request.headers.authorization).toBeUndefined();
	} else if (mode === 'passwordGrant') {
		expect(request.headers.authorization).toMatch(new RegExp(`^Bearer tok-${TOKEN_MARK}-\\d+$`));
		expect(request.headers.cookie).toBeUndefined();
	} else {
		expect(request.headers.authorization).toBe(`Bearer ${OAUTH_ACCESS}`);
		expect(request.headers.cookie).toBeUndefined();
	}
}

export function expectErrorItem(item: INodeExecutionData | undefined, pairedIndex: number, message: string | RegExp) {
	expect(item).toBeDefined();
	expect(item?.pairedItem).toEqual({ item: pairedIndex });
	expect(Object.keys(item?.json ?? {}).sort()).toEqual(['details', 'error']);
	if (typeof message === 'string') expect(item?.json.error).toBe(message);
	else expect(String(item?.json.error)).toMatch(message);
}

export const wait = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));
