import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export const OMNISEND_DEFAULT_BASE_URL = 'https://api.omnisend.com/v5';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-KEY': '={{$credentials.apiKey}}',
			},
		},
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
