import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidFieldError, normalizeEmail, normalizePhone, parseCountry } from '../helpers/identity';

/** Email and phone parameters shared by Event › Send and Contact › Create or Update. */
export function identityFields(resource: string, operation: string): INodeProperties[] {
	const show = { show: { resource: [resource], operation: [operation] } };
	return [
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. {{ $json.email }}',
			default: '',
			displayOptions: show,
			description: 'Trimmed and lowercased before sending. Give an email, a phone or both.',
		},
		{
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			placeholder: 'e.g. {{ $json.phone }}',
			default: '',
			displayOptions: show,
			description:
				'Normalised to E.164 (+447700900123). Numbers without a country code need Default Phone Country in the options.',
		},
		{
			displayName: 'Items with neither an email nor a valid phone are not sent: they come out with status "skipped" and the reason',
			name: 'identityNotice',
			type: 'notice',
			default: '',
			displayOptions: show,
		},
	];
}

export const identityOptions: INodeProperties[] = [
	{
		displayName: 'Default Phone Country',
		name: 'defaultCountry',
		type: 'string',
		default: '',
		placeholder: 'e.g. GB',
		description:
			'Two-letter country (ISO 3166) used to read phone numbers written without a country code, such as 07700 900123. Empty: such numbers are refused, never guessed.',
	},
	{
		displayName: 'Invalid Phone',
		name: 'invalidPhone',
		type: 'options',
		default: 'fail',
		options: [
			{ name: 'Fail the Item', value: 'fail', description: 'Stop with an error naming the item and the number' },
			{ name: 'Send Without Phone', value: 'omit', description: 'Leave the phone out and send with the email alone' },
		],
		description: 'What to do with a phone number that is not a valid number',
	},
];

export interface Identity {
	email: string;
	phone: string;
	/** Why the item has no identifier, when it has none. */
	missingReason?: string;
}

export function readIdentity(this: IExecuteFunctions, itemIndex: number, options: { defaultCountry?: string; invalidPhone?: string }): Identity {
	const email = normalizeEmail(this.getNodeParameter('email', itemIndex, ''));
	let phone = '';
	let phoneError: unknown;
	try {
		phone = normalizePhone(this.getNodeParameter('phone', itemIndex, ''), parseCountry(options.defaultCountry ?? ''));
	} catch (error) {
		phoneError = error;
	}
	let phoneProblem = '';
	if (phoneError !== undefined) {
		const omittable = phoneError instanceof InvalidFieldError && phoneError.field === 'Phone' && options.invalidPhone === 'omit';
		if (!omittable) throw phoneError;
		phoneProblem = ` (${(phoneError as Error).message}, left out as Invalid Phone says)`;
	}
	if (email === '' && phone === '') {
		return { email, phone, missingReason: `No email and no phone${phoneProblem}: Omnisend needs at least one to identify the contact` };
	}
	return { email, phone };
}
