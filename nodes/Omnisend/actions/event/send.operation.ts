import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { uuidV5 } from '../../../shared/uuid';
import type { PresetField } from '../../helpers/eventPresets';
import { CUSTOM_PRESET, EVENT_PRESETS, findPreset } from '../../helpers/eventPresets';
import { InvalidFieldError, personName } from '../../helpers/identity';
import { coerceProperty, PROPERTY_TYPE_OPTIONS, text, toDiscounts, toLineItems, typedPropertiesToObject } from '../../helpers/properties';
import { omnisendRequest } from '../../transport';
import type { OperationContext } from '../context';
import { identityFields, identityOptions, readIdentity } from '../identity.description';

const CONSENT_VALUES = ['subscribed', 'unsubscribed', 'nonSubscribed'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[4-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * One parameter per preset field, shown for every preset that shares that field. Two presets may
 * use one parameter name for different fields (Value: cart value / order total): n8n shows
 * whichever matches the selected preset.
 */
function presetFieldParameters(): INodeProperties[] {
	const byField = new Map<PresetField, INodeProperties>();
	for (const preset of EVENT_PRESETS) {
		for (const field of preset.fields) {
			const existing = byField.get(field);
			if (existing) {
				(existing.displayOptions!.show!.preset as string[]).push(preset.value);
				continue;
			}
			byField.set(field, {
				displayName: field.displayName,
				name: field.key,
				type: 'string',
				default: '',
				placeholder: field.placeholder,
				required: field.required,
				description: `${field.description}. Sent as "${field.property ?? field.key}".`,
				displayOptions: { show: { preset: [preset.value] } },
			});
		}
	}
	return [...byField.values()];
}

/** A preset field's value as Omnisend wants it, or undefined when the item leaves it empty. */
function presetFieldValue(field: PresetField, raw: unknown, timeZone: string): unknown {
	if (field.type === 'lineItems') return toLineItems(field.displayName, raw);
	if (field.type === 'discounts') return toDiscounts(raw);
	return coerceProperty(field.property ?? field.key, raw, field.type, timeZone);
}

const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'preset',
		type: 'options',
		// The options are built from EVENT_PRESETS, which lint cannot read; placedOrder is one of them.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options
		default: 'placedOrder',
		options: [
			...EVENT_PRESETS.map((preset) => ({
				name: preset.name,
				value: preset.value,
				description: `Sends "${preset.eventName}": ${preset.description}`,
			})),
			{ name: 'Custom Event', value: CUSTOM_PRESET, description: 'Any event name, with the properties you add' },
		],
		description: 'Which customer event to send. Presets follow the storefront tracking mapping; custom events appear in Omnisend\'s automation triggers after their first delivery.',
	},
	{
		displayName: 'Event Name',
		name: 'customEventName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. subscription renewed',
		description: 'The eventName Omnisend shows and automations listen for',
		displayOptions: { show: { preset: [CUSTOM_PRESET] } },
	},
	...identityFields('event', 'send'),
	...presetFieldParameters(),
	{
		displayName: 'Marketing Consent',
		name: 'marketingConsent',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'Do Not Send', value: 'none' },
			{ name: 'Subscribed', value: 'subscribed' },
			{ name: 'Unsubscribed', value: 'unsubscribed' },
			{ name: 'Not Subscribed', value: 'nonSubscribed' },
		],
		description:
			'The visitor\'s consent state (e.g. from your consent platform), forwarded as the event property "marketing_consent" so flows can respect it. It never changes the contact\'s subscription.',
	},
	{
		displayName: 'Deduplication Key',
		name: 'deduplicationKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.order_id }}',
		description:
			'A value unique to the source event (order number, message ID). The eventID becomes a UUID derived from it and the event name, the same on every resend. Omnisend only deduplicates historical (backfilled) events that repeat both eventID and Event Time; live events that drive automations are not deduplicated.',
	},
	{
		displayName: 'Additional Properties',
		name: 'additionalProperties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Property',
		default: {},
		description: 'More event properties. Each key keeps one type: Omnisend rejects a key whose type changes.',
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{ displayName: 'Name', name: 'key', type: 'string', default: '', placeholder: 'e.g. loyaltyTier' },
					{ displayName: 'Type', name: 'type', type: 'options', default: 'string', options: PROPERTY_TYPE_OPTIONS },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Contact First Name',
				name: 'firstName',
				type: 'string',
				default: '',
				description: 'Sent on the event\'s contact (at most 50 characters)',
			},
			{
				displayName: 'Contact Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				description: 'Sent on the event\'s contact (at most 50 characters)',
			},
			...identityOptions,
			{
				displayName: 'Event ID',
				name: 'eventID',
				type: 'string',
				default: '',
				placeholder: 'e.g. 0c1d5e0a-8f0e-4c6b-9a53-2b0a9f7c1e11',
				description: 'An explicit UUID (v4 to v7) to use as eventID instead of one derived from the Deduplication Key',
			},
			{
				displayName: 'Event Time',
				name: 'eventTime',
				type: 'dateTime',
				default: '',
				description: 'When the event happened (sent as RFC 3339 UTC). Empty: Omnisend uses the time it receives the event. Needed with the eventID for backfill deduplication.',
			},
			{
				displayName: 'Event Version',
				name: 'eventVersion',
				type: 'string',
				default: '',
				description: 'Overrides the eventVersion. Presets set what Omnisend requires (placed order: v2; started checkout: empty); custom events need none.',
			},
			{
				displayName: 'Origin',
				name: 'origin',
				type: 'string',
				default: 'api',
				description: '"api" for custom stores; platforms use the origin Omnisend assigned them',
			},
			{
				displayName: 'Properties (JSON)',
				name: 'propertiesJson',
				type: 'json',
				default: '',
				description: 'An object of further properties, sent as given (no type coercion). A key may not also be set elsewhere.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['send'] } }, properties);

function addProperty(target: IDataObject, key: string, value: unknown) {
	if (value === undefined) return;
	if (Object.hasOwn(target, key)) throw new InvalidFieldError(`Property "${key}"`, `Property "${key}" is set twice`, 'Set each event property in one place only.');
	target[key] = value as IDataObject[string];
}

function readJsonObject(raw: unknown, field: string): IDataObject {
	if (raw === undefined || raw === null || raw === '') return {};
	let value = raw;
	let problem = '';
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			problem = (error as Error).message;
		}
	}
	if (problem) throw new InvalidFieldError(field, `${field} is not valid JSON: ${problem}`);
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new InvalidFieldError(field, `${field} must be a JSON object`);
	}
	return value as IDataObject;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const presetValue = this.getNodeParameter('preset', itemIndex) as string;
	const preset = findPreset(presetValue);
	const eventName = preset ? preset.eventName : text(this.getNodeParameter('customEventName', itemIndex, ''));
	if (eventName === '') throw new InvalidFieldError('Event Name', 'Event Name is empty');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const identity = readIdentity.call(this, itemIndex, options);
	if (identity.missingReason) return { status: 'skipped', reason: identity.missingReason, eventName };

	// Preset fields in order, with consent before the product list: the order of seed 001's body.
	const timeZone = this.getTimezone();
	const props: IDataObject = {};
	const consent = text(this.getNodeParameter('marketingConsent', itemIndex, ''));
	if (consent !== '' && consent !== 'none' && !CONSENT_VALUES.includes(consent)) {
		throw new InvalidFieldError('Marketing Consent', `Marketing Consent "${consent}" must be one of ${CONSENT_VALUES.join(', ')}`);
	}
	const addConsent = () => {
		if (consent !== '' && consent !== 'none' && !Object.hasOwn(props, 'marketing_consent')) addProperty(props, 'marketing_consent', consent);
	};
	for (const field of preset?.fields ?? []) {
		if (field.type === 'lineItems') addConsent();
		const value = presetFieldValue(field, this.getNodeParameter(field.key, itemIndex, ''), timeZone);
		if (value === undefined && field.required) {
			throw new InvalidFieldError(field.displayName, `${field.displayName} is empty`, `"${eventName}" needs ${field.displayName}; map it from the input item.`);
		}
		addProperty(props, field.property ?? field.key, value);
	}
	addConsent();
	const rows = (this.getNodeParameter('additionalProperties.property', itemIndex, []) as IDataObject[]) ?? [];
	for (const [key, value] of Object.entries(typedPropertiesToObject(rows, timeZone))) addProperty(props, key, value);
	for (const [key, value] of Object.entries(readJsonObject(options.propertiesJson, 'Properties (JSON)'))) addProperty(props, key, value);

	const event: IDataObject = { eventName, origin: text(options.origin) || 'api' };
	const eventVersion = text(options.eventVersion) || preset?.eventVersion;
	if (eventVersion !== undefined) event.eventVersion = eventVersion;

	const explicitId = text(options.eventID);
	const dedupKey = text(this.getNodeParameter('deduplicationKey', itemIndex, ''));
	if (explicitId !== '') {
		if (!UUID.test(explicitId)) throw new InvalidFieldError('Event ID', `Event ID "${explicitId}" is not a UUID (versions 4 to 7)`);
		event.eventID = explicitId.toLowerCase();
	} else if (dedupKey !== '') {
		event.eventID = uuidV5(`omnisend-event\n${eventName}\n${dedupKey}`);
	}
	const eventTime = coerceProperty({ field: 'Event Time' }, options.eventTime, 'dateTime', timeZone);
	if (eventTime !== undefined) event.eventTime = eventTime as string;

	const contact: IDataObject = {};
	if (identity.email) contact.email = identity.email;
	if (identity.phone) contact.phone = identity.phone;
	for (const [key, label] of [['firstName', 'Contact First Name'], ['lastName', 'Contact Last Name']] as const) {
		const value = personName(label, text(options[key]));
		if (value) contact[key] = value;
	}
	event.contact = contact;
	event.properties = props;

	const response = await omnisendRequest.call(this, { method: 'POST', path: '/events', body: event }, itemIndex, context);
	return {
		status: 'sent',
		httpStatus: response.statusCode,
		attempts: response.attempts,
		eventName,
		...(event.eventID ? { eventID: event.eventID } : {}),
		event,
	};
}
