import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { instanceProperties } from './AcumaticaApi.credentials';

const BASE = '$self["instanceUrl"].trim().replace(/\\/+$/, "")';

/**
 * Acumatica OAuth 2.0 authorization code flow against the instance's own identity server
 * (`/identity/connect/authorize` and `/identity/connect/token`). n8n obtains and refreshes the
 * token; `offline_access` gives the refresh token, and refreshes keep the same server session.
 */
export class AcumaticaOAuth2Api implements ICredentialType {
	name = 'acumaticaOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Acumatica OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Acumatica/acumatica.svg', dark: 'file:../nodes/Acumatica/acumatica.dark.svg' };

	documentationUrl = 'https://help.acumatica.com/';

	properties: INodeProperties[] = [
		// No Tenant field: with OAuth the tenant is the @Tenant suffix of the Client ID.
		...instanceProperties.filter((property) => property.name !== 'tenant'),
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{${BASE}}}/identity/connect/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{${BASE}}}/identity/connect/token`,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '88358B02-A48D-A50E-F710-39C1636C30F6@MyTenant',
			description:
				'From Connected Applications (SM303010), flow "Authorization Code", with the tenant after an @ (ID@Tenant): the token then opens only that tenant. Add the OAuth Redirect URL shown above to the application.',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A shared secret added on the Secrets tab of the Connected Application',
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'api offline_access' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];

	// A one-row read of the endpoint proves the token, the endpoint name and its version.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.instanceUrl.trim().replace(/\\/+$/, "")}}',
			url: '={{"/entity/" + encodeURIComponent($credentials.endpointName) + "/" + encodeURIComponent($credentials.endpointVersion) + "/Contact"}}',
			qs: { $top: 1, $select: 'ContactID' },
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Acumatica did not accept the token. Reconnect the credential.' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Acumatica has no such endpoint. Check Endpoint Name and Endpoint Version against Web Service Endpoints (SM207060).',
				},
			},
		],
	};
}
