import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { coerceProperty, rfc3339, text } from '../../helpers/properties';
import { answerObject, omnisendRequest } from '../../transport';
import type { OperationContext } from '../context';
import { identityFields, identityOptions, readIdentity } from '../identity.description';
import { contactAttributes, contactFieldOptions, customPropertiesDescription } from './fields';

const statusOptions = [
	{ name: 'Leave Unchanged', value: '', description: 'Send no channel status: nobody is subscribed or unsubscribed by this write' },
	{ name: 'Subscribed', value: 'subscribed', description: 'Only with the person\'s consent; add its details under Consent' },
	{ name: 'Unsubscribed', value: 'unsubscribed' },
	{ name: 'Not Subscribed', value: 'nonSubscribed' },
];

const properties: INodeProperties[] = [
	...identityFields('contact', 'upsert'),
	{
		displayName: 'Email Status',
		name: 'emailStatus',
		type: 'options',
		default: '',
		options: statusOptions,
		description: 'Marketing status of the email channel',
	},
	{
		displayName: 'SMS Status',
		name: 'smsStatus',
		type: 'options',
		default: '',
		options: statusOptions,
		description: 'Marketing status of the SMS channel (needs a phone)',
	},
	{
		displayName: 'Contact Fields',
		name: 'contactFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: contactFieldOptions,
	},
	customPropertiesDescription,
	{
		displayName: 'Consent',
		name: 'consent',
		type: 'collection',
		placeholder: 'Add Consent Detail',
		default: {},
		description: 'Evidence of consent, sent with every identifier set to Subscribed',
		options: [
			{ displayName: 'Source', name: 'source', type: 'string', default: '', placeholder: 'e.g. checkout-form' },
			{ displayName: 'Given At', name: 'createdAt', type: 'dateTime', default: '' },
			{ displayName: 'IP Address', name: 'ip', type: 'string', default: '' },
			{ displayName: 'User Agent', name: 'userAgent', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...identityOptions,
			{
				displayName: 'Send Welcome Message',
				name: 'sendWelcomeMessage',
				type: 'boolean',
				default: false,
				description: 'Whether Omnisend may start its welcome workflow for this contact (it only acts if that workflow is on)',
			},
			{
				displayName: 'Status Changed At',
				name: 'statusDate',
				type: 'dateTime',
				default: '',
				description: 'When the channel status changed. Empty: now.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['upsert'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const identity = readIdentity.call(this, itemIndex, options);
	if (identity.missingReason) return { status: 'skipped', reason: identity.missingReason };

	const timeZone = this.getTimezone();
	const statusDate =
		(coerceProperty({ field: 'Status Changed At' }, options.statusDate, 'dateTime', timeZone) as string | undefined) ??
		rfc3339(new Date());
	const consentRaw = this.getNodeParameter('consent', itemIndex, {}) as IDataObject;
	const consent: IDataObject = {};
	for (const [key, value] of Object.entries(consentRaw)) {
		if (value === '' || value === undefined) continue;
		consent[key] = key === 'createdAt' ? (coerceProperty({ field: 'Consent Given At' }, value, 'dateTime', timeZone) as string) : String(value);
	}

	const identifiers: IDataObject[] = [];
	const channels = [
		{ type: 'email', id: identity.email, channel: 'email', label: 'Email Status', status: text(this.getNodeParameter('emailStatus', itemIndex, '')) },
		{ type: 'phone', id: identity.phone, channel: 'sms', label: 'SMS Status', status: text(this.getNodeParameter('smsStatus', itemIndex, '')) },
	];
	// A status for an identifier this item lacks cannot be applied; the contact is still written
	// with what it has, and the output says what was not applied (mixed batches keep flowing).
	const notApplied: string[] = [];
	for (const { type, id, channel, label, status } of channels) {
		if (id === '' && status !== '') notApplied.push(`${label} "${status}" not applied: the item has no ${type === 'email' ? 'email' : 'valid phone'}`);
		if (id === '') continue;
		const identifier: IDataObject = { type, id };
		if (status) identifier.channels = { [channel]: { status, statusDate } };
		if (status === 'subscribed' && Object.keys(consent).length > 0) identifier.consent = consent;
		identifier.sendWelcomeMessage = options.sendWelcomeMessage === true;
		identifiers.push(identifier);
	}

	const customRows = this.getNodeParameter('customProperties.property', itemIndex, []) as IDataObject[];
	const body = {
		identifiers,
		...contactAttributes(this.getNodeParameter('contactFields', itemIndex, {}) as IDataObject, customRows, timeZone),
	};
	const response = await omnisendRequest.call(this, { method: 'POST', path: '/contacts', body }, itemIndex, context);
	const answer = answerObject(response);
	return {
		status: response.statusCode === 201 ? 'created' : 'updated',
		httpStatus: response.statusCode,
		contactID: answer.contactID ?? answer.id,
		contact: answer,
		...(notApplied.length > 0 ? { notApplied } : {}),
	};
}
