import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export const OMNISEND_DEFAULT_BASE_URL = 'https://api.omnisend.com/v5';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Where the API key may be sent: https anywhere, plain http only to this machine (a local fake). */
export function keyMayTravelTo(address: string): boolean {
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return false;
	}
	return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}

/**
 * Omnisend v5 API key. The header and the base URL live here and only here: the node's
 * transport reads `baseUrl` and lets n8n apply `authenticate`, so switching to Omnisend's dated
 * API (Authorization + Omnisend-Version headers) later is a change to this file alone.
 */
export class OmnisendApi implements ICredentialType {
	name = 'omnisendApi';

	displayName = 'Omnisend API';

	icon: Icon = { light: 'file:../nodes/Omnisend/omnisend.svg', dark: 'file:../nodes/Omnisend/omnisend.dark.svg' };

	documentationUrl = 'https://api-docs.omnisend.com/reference/overview';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Created in Omnisend under Store settings → API keys. Grant Events (write) to send events and Contacts (read and write) for the Contact operations. Omnisend shows the key only once.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: OMNISEND_DEFAULT_BASE_URL,
			required: true,
			description:
				'Leave as is for Omnisend. Change it only to point the node at a sandbox or a local fake of the Omnisend v5 API (http:// is accepted only for localhost).',
		},
	];

	// The X-API-KEY header, refused on any request that would carry it unencrypted over a network
	// (the node's calls and this credential's Test button alike).
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		// n8n passes `url` (+ `baseURL` for declarative requests), or `uri` on its legacy request path.
		const raw = requestOptions.url ?? (requestOptions as { uri?: string | URL }).uri ?? '';
		let target = '';
		try {
			target = new URL(String(raw), requestOptions.baseURL || undefined).toString();
		} catch {
			target = '';
		}
		if (!keyMayTravelTo(target)) {
			throw new Error(
				'The Omnisend API key is only sent over https (or http to localhost); fix the Base URL in the credential',
			);
		}
		return { ...requestOptions, headers: { ...requestOptions.headers, 'X-API-KEY': String(credentials.apiKey ?? '') } };
	};

	// Reading one contact proves the key is accepted (401 otherwise) and can read contacts.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/contacts',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Omnisend rejected the API key. Copy it again from Store settings → API keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Omnisend recognised the key but it may not read contacts (403). A key meant only for sending events (Events write) can be saved anyway; for the Contact operations grant Contacts (read and write) in Store settings → API keys.',
				},
			},
		],
	};
}
