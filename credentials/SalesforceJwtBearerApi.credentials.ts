import { createSign } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { apiVersionTest, DEFAULT_API_VERSION, jwtAssertion, myDomainOrigin, requestToken, SalesforceAuthError, tokenFingerprint, withBearer } from '../nodes/Salesforce/transport/oauth';

/** The settings a token depends on: another org, app, user or key needs another token. */
const fingerprintOf = (credentials: ICredentialDataDecryptedObject) =>
	tokenFingerprint([credentials.environment, credentials.audience, credentials.myDomainUrl, credentials.clientId, credentials.username, credentials.privateKey]);

const AUDIENCES: Record<string, string> = {
	production: 'https://login.salesforce.com',
	sandbox: 'https://test.salesforce.com',
};

/** An Experience Cloud site URL as JWT audience: its origin and path (e.g. https://acme.my.site.com/customers). */
function siteAudience(input: unknown): string {
	const origin = myDomainOrigin(input, { allowGenericLogin: true });
	const text = String(input ?? '').trim();
	const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? new URL(text).pathname : new URL(`https://${text}`).pathname;
	return `${origin}${path.replace(/\/+$/, '')}`;
}

/**
 * OAuth 2.0 JWT bearer flow (server-to-server, a certificate on the app, a pre-authorised user).
 * Like the client credentials credential, the token is an n8n "expirable" field.
 */
export class SalesforceJwtBearerApi implements ICredentialType {
	name = 'salesforceJwtBearerApi';

	displayName = 'Salesforce JWT Bearer API';

	icon: Icon = { light: 'file:../nodes/Salesforce/salesforce.svg', dark: 'file:../nodes/Salesforce/salesforce.dark.svg' };

	documentationUrl = 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
				{ name: 'Experience Cloud Site (Custom Audience)', value: 'custom' },
			],
			default: 'production',
			description: 'Sets the JWT audience: https://login.salesforce.com for production, https://test.salesforce.com for sandboxes',
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			placeholder: 'https://acme.my.site.com/customers',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'My Domain URL',
			name: 'myDomainUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.my.salesforce.com',
			description: 'Where to request the token. Empty uses login.salesforce.com (production) or test.salesforce.com (sandbox).',
		},
		{ displayName: 'Consumer Key', name: 'clientId', type: 'string', default: '', required: true },
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'integration@acme.com',
			description: 'The Salesforce user the node acts as; pre-authorise it for the app (Manage → Profiles or Permission Sets)',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			description: 'The PEM private key whose certificate is uploaded to the app ("Use digital signatures")',
		},
		{ displayName: 'API Version', name: 'apiVersion', type: 'string', default: DEFAULT_API_VERSION },
		{ displayName: 'Access Token', name: 'accessToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
		{ displayName: 'Instance URL', name: 'instanceUrl', type: 'hidden', default: '' },
		{ displayName: 'Token Issued For', name: 'tokenFor', type: 'hidden', typeOptions: { password: true }, default: '' },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const environment = String(credentials.environment ?? 'production');
		const audience = environment === 'custom' ? siteAudience(credentials.audience) : (AUDIENCES[environment] ?? AUDIENCES.production);
		const host = String(credentials.myDomainUrl ?? '').trim()
			? myDomainOrigin(credentials.myDomainUrl, { allowGenericLogin: true })
			: environment === 'sandbox'
				? AUDIENCES.sandbox
				: AUDIENCES.production;
		const username = String(credentials.username ?? '').trim();
		if (username === '') throw new SalesforceAuthError('The JWT bearer credential has no username', 'Enter the Salesforce username the node acts as.');
		// Keys pasted into a one-line field arrive with literal "\n"; restore the PEM line breaks.
		const privateKey = String(credentials.privateKey ?? '').replace(/\\n/g, '\n').trim();
		const assertion = jwtAssertion(
			(input, key) => createSign('RSA-SHA256').update(input).sign(key),
			{ clientId: String(credentials.clientId ?? '').trim(), username, audience, nowSeconds: Math.floor(Date.now() / 1000) },
			privateKey,
		);
		const token = await requestToken(this, host, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }, {}, [assertion]);
		return { accessToken: token.accessToken, instanceUrl: token.instanceUrl, tokenFor: fingerprintOf(credentials) };
	}

	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> =>
		withBearer(credentials, requestOptions, fingerprintOf(credentials));

	test: ICredentialTestRequest = apiVersionTest('the user');
}
