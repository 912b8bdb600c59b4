import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { apiVersionTest, DEFAULT_API_VERSION, myDomainOrigin, requestToken, tokenFingerprint, withBearer } from '../nodes/Salesforce/transport/oauth';

/** The settings a token depends on: another org, app or secret needs another token. */
const fingerprintOf = (credentials: ICredentialDataDecryptedObject) =>
	tokenFingerprint([credentials.myDomainUrl, credentials.clientId, credentials.clientSecret, credentials.clientAuthentication]);

/**
 * OAuth 2.0 client credentials for a Salesforce Connected App / External Client App. The token is
 * an n8n "expirable" field: n8n fetches it (preAuthentication) when it is empty, stores it with the
 * credential, and fetches a new one and retries once when Salesforce answers 401.
 */
export class SalesforceClientCredentialsApi implements ICredentialType {
	name = 'salesforceClientCredentialsApi';

	displayName = 'Salesforce Client Credentials API';

	icon: Icon = { light: 'file:../nodes/Salesforce/salesforce.svg', dark: 'file:../nodes/Salesforce/salesforce.dark.svg' };

	documentationUrl = 'https://help.salesforce.com/s/articleView?id=sf.connected_app_client_credentials_setup.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'My Domain URL',
			name: 'myDomainUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.my.salesforce.com',
			description:
				'Your org\'s My Domain (Setup → My Domain), e.g. https://acme.my.salesforce.com, a sandbox such as https://acme--uat.sandbox.my.salesforce.com, or a custom domain. login.salesforce.com does not serve this flow.',
		},
		{
			displayName: 'Consumer Key',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The app\'s Consumer Key (App Manager → your app → View → Manage Consumer Details)',
		},
		{
			displayName: 'Consumer Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The app\'s Consumer Secret, shown next to the Consumer Key',
		},
		{
			displayName: 'Send Client Credentials',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{ name: 'In the Form Body', value: 'body' },
				{ name: 'As Basic Auth Header', value: 'header' },
			],
			default: 'body',
			description: 'How the consumer key and secret go to the token endpoint; Salesforce accepts both',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_API_VERSION,
			description: 'REST API version used by the Salesforce node, e.g. 66.0',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Token Issued For',
			name: 'tokenFor',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const origin = myDomainOrigin(credentials.myDomainUrl);
		const clientId = String(credentials.clientId ?? '').trim();
		const clientSecret = String(credentials.clientSecret ?? '').trim();
		const form: Record<string, string> = { grant_type: 'client_credentials' };
		const headers: Record<string, string> = {};
		if (credentials.clientAuthentication === 'header') {
			headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
		} else {
			form.client_id = clientId;
			form.client_secret = clientSecret;
		}
		const token = await requestToken(this, origin, form, headers, [clientSecret]);
		return { accessToken: token.accessToken, instanceUrl: token.instanceUrl, tokenFor: fingerprintOf(credentials) };
	}

	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> =>
		withBearer(credentials, requestOptions, fingerprintOf(credentials));

	test: ICredentialTestRequest = apiVersionTest('the Run As user');
}
