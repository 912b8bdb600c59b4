import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_SIGNATURE_HEADER,
	DEFAULT_TIMESTAMP_HEADER,
	signatureFor,
} from '../nodes/TemplatedWebhook/signing';

export type WebhookAuthType = 'none' | 'headerToken' | 'basicAuth' | 'hmacSignature';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Secrets travel over https only (plain http only to this machine, for local testing). */
function secretMayTravelTo(raw: unknown, base?: string): boolean {
	try {
		const url = new URL(String(raw ?? ''), base || undefined);
		return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
	} catch {
		return false;
	}
}

/** The header names this credential sets for its auth type (lower case), so the node can refuse clashes. */
export function credentialHeaderNames(credentials: ICredentialDataDecryptedObject): string[] {
	switch (credentials.authType as WebhookAuthType) {
		case 'headerToken':
			return [String(credentials.headerName || 'Authorization').toLowerCase()];
		case 'basicAuth':
			return ['authorization'];
		case 'hmacSignature':
			return [
				String(credentials.timestampHeader || DEFAULT_TIMESTAMP_HEADER).toLowerCase(),
				String(credentials.signatureHeader || DEFAULT_SIGNATURE_HEADER).toLowerCase(),
			];
		default:
			return [];
	}
}

/** Every secret value of the credential (to mask them wherever they could be echoed). */
export function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	const secrets = ['token', 'password', 'signingSecret'].map((key) => String(credentials[key] ?? '')).filter((value) => value.length >= 4);
	// An echoed Basic header carries base64(user:password), which contains neither part as text.
	if (credentials.authType === 'basicAuth' && credentials.password) {
		secrets.push(Buffer.from(`${String(credentials.user ?? '')}:${String(credentials.password)}`, 'utf8').toString('base64'));
	}
	return secrets;
}

/**
 * Auth for a templated webhook receiver: none, a header token, Basic auth, or an HMAC-SHA256
 * signature of `<timestamp>.<body>` with timestamp and signature headers. Applied by n8n on every
 * request (so each retry is signed with a fresh timestamp); the node never sees it applied.
 */
export class TemplatedWebhookAuthApi implements ICredentialType {
	name = 'templatedWebhookAuthApi';

	displayName = 'Templated Webhook Auth API';

	icon: Icon = {
		light: 'file:../nodes/TemplatedWebhook/templatedWebhook.svg',
		dark: 'file:../nodes/TemplatedWebhook/templatedWebhook.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-crm-relay#templated-webhook';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Send no credentials (the receiver must trust its network)' },
				{ name: 'Header Token', value: 'headerToken', description: 'A secret header, e.g. Authorization: Bearer …' },
				{ name: 'Basic Auth', value: 'basicAuth', description: 'User name and password (Authorization: Basic …)' },
				{
					name: 'HMAC-SHA256 Signature',
					value: 'hmacSignature',
					description: 'Sign timestamp + "." + body with a shared secret; the receiver verifies it',
				},
			],
			// 'none' is also what an absent value means in authenticate(): the two must agree.
			default: 'none',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'Authorization',
			displayOptions: { show: { authType: ['headerToken'] } },
		},
		{
			displayName: 'Token (Header Value)',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'Bearer 3f9c…',
			description: 'The whole header value, including a scheme such as "Bearer " if the receiver expects one',
			displayOptions: { show: { authType: ['headerToken'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			displayOptions: { show: { authType: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['basicAuth'] } },
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Shared with the receiver; use at least 32 random characters',
			displayOptions: { show: { authType: ['hmacSignature'] } },
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: DEFAULT_TIMESTAMP_HEADER,
			description: 'Carries the Unix time in seconds that was signed',
			displayOptions: { show: { authType: ['hmacSignature'] } },
		},
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			default: DEFAULT_SIGNATURE_HEADER,
			description: 'Carries sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>',
			displayOptions: { show: { authType: ['hmacSignature'] } },
		},
		{
			displayName: 'Test URL',
			name: 'testUrl',
			type: 'string',
			default: '',
			placeholder: 'https://receiver.example.com/hooks/n8n',
			description:
				'Used only by the Test button: it POSTs {"type":"ping"} here with these credentials applied and passes on any 2xx answer',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const authType = (credentials.authType ?? 'none') as WebhookAuthType;
		if (authType === 'none') return requestOptions;
		const target = requestOptions.url ?? (requestOptions as { uri?: string }).uri;
		if (!secretMayTravelTo(target, requestOptions.baseURL)) {
			throw new Error('Templated Webhook credentials are only sent over https (or http to localhost)');
		}
		const headers = { ...(requestOptions.headers ?? {}) } as Record<string, string>;
		const options: IHttpRequestOptions = { ...requestOptions, headers };
		if (authType === 'headerToken') {
			headers[String(credentials.headerName || 'Authorization')] = String(credentials.token ?? '');
		} else if (authType === 'basicAuth') {
			const pair = `${String(credentials.user ?? '')}:${String(credentials.password ?? '')}`;
			headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
		} else if (authType === 'hmacSignature') {
			// Sign the exact bytes that are sent: objects (the Test button's ping) are serialised here.
			let body = options.body;
			if (body !== undefined && typeof body !== 'string') {
				body = JSON.stringify(body);
				options.body = body;
				options.json = false;
				if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
			}
			const timestamp = String(Math.floor(Date.now() / 1000));
			headers[String(credentials.timestampHeader || DEFAULT_TIMESTAMP_HEADER)] = timestamp;
			headers[String(credentials.signatureHeader || DEFAULT_SIGNATURE_HEADER)] = signatureFor(
				String(credentials.signingSecret ?? ''),
				timestamp,
				String(body ?? ''),
			);
		}
		return options;
	};

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.testUrl}}',
			body: { type: 'ping' },
			headers: { 'Content-Type': 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'The receiver refused these credentials (401). Check the token, password or signing secret.' },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'The receiver refused these credentials (403). Check the token, password or signing secret.' },
			},
		],
	};
}
