import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret Salesforce (Apex, or a Flow's Named Credential) shares with the Salesforce Trigger
 * to sign JSON callouts (HMAC-SHA256) or to send as a token header.
 *
 * It has no HTTP test: nothing can be asked whether a shared secret is right, because n8n is the
 * side that checks it. The Salesforce Trigger node tests it instead (`testedBy`): the Test button
 * checks it is strong enough to sign with, and every callout is verified against it.
 */
export class SalesforceCalloutSecretApi implements ICredentialType {
	name = 'salesforceCalloutSecretApi';

	displayName = 'Salesforce Callout Secret API';

	icon: Icon = { light: 'file:../nodes/SalesforceTrigger/salesforce.svg', dark: 'file:../nodes/SalesforceTrigger/salesforce.dark.svg' };

	documentationUrl = 'https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_classes_restful_crypto.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'Shared Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A random secret of at least 32 characters, known only to this credential and to Salesforce (a Custom Metadata / protected Custom Setting read by Apex, or the External Credential of a Named Credential). Generate one with e.g. `openssl rand -hex 32`.',
		},
	];
}
