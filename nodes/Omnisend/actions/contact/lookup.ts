import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactId, InvalidFieldError, normalizeEmail, normalizePhone } from '../../helpers/identity';
import { text } from '../../helpers/properties';

export type LookupBy = 'contactID' | 'email' | 'phone';

/** "Contact by ID / email / phone" parameters shared by Get and the tag operations. */
export function lookupFields(operations: string[]): INodeProperties[] {
	const show = (by?: LookupBy) => ({
		show: { resource: ['contact'], operation: operations, ...(by ? { by: [by] } : {}) },
	});
	return [
		{
			displayName: 'Find Contact By',
			name: 'by',
			type: 'options',
			default: 'email',
			displayOptions: show(),
			options: [
				{ name: 'Contact ID', value: 'contactID' },
				{ name: 'Email', value: 'email' },
				{ name: 'Phone', value: 'phone' },
			],
		},
		{
			displayName: 'Contact ID',
			name: 'contactId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 60a7e2f1c3b9a2001f6d4e21',
			displayOptions: show('contactID'),
		},
		{
			displayName: 'Email',
			name: 'lookupEmail',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.email }}',
			description: 'Trimmed and lowercased before the look-up',
			displayOptions: show('email'),
		},
		{
			displayName: 'Phone',
			name: 'lookupPhone',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +447700900123',
			description: 'Normalised to E.164; write it with its country code (+44 …)',
			displayOptions: show('phone'),
		},
	];
}

export function readLookup(this: IExecuteFunctions, itemIndex: number): { by: LookupBy; value: string } {
	const by = this.getNodeParameter('by', itemIndex) as LookupBy;
	let value = '';
	if (by === 'contactID') value = contactId(text(this.getNodeParameter('contactId', itemIndex, '')));
	if (by === 'email') value = normalizeEmail(this.getNodeParameter('lookupEmail', itemIndex, ''));
	if (by === 'phone') value = normalizePhone(this.getNodeParameter('lookupPhone', itemIndex, ''));
	const names = { contactID: 'Contact ID', email: 'Email', phone: 'Phone' };
	if (value === '') throw new InvalidFieldError(names[by], `${names[by]} is empty`);
	return { by, value };
}

/**
 * Whether a contact from a filtered list really has this email or phone (top-level field or an
 * identifier). A look-up must never hand back some other contact if the filter was not applied.
 */
export function contactHas(contact: IDataObject, by: 'email' | 'phone', value: string): boolean {
	const same = (candidate: unknown) =>
		typeof candidate === 'string' && (by === 'email' ? candidate.trim().toLowerCase() : candidate.replace(/[^\d+]/g, '')) === value;
	if (same(contact[by])) return true;
	const identifiers = Array.isArray(contact.identifiers) ? (contact.identifiers as IDataObject[]) : [];
	return identifiers.some((identifier) => identifier?.type === by && same(identifier.id));
}

/** Contacts in a v5 list answer (`{contacts: [...]}`). */
export function contactsOf(body: unknown): IDataObject[] {
	const contacts = (body as { contacts?: unknown } | undefined)?.contacts;
	return Array.isArray(contacts) ? (contacts as IDataObject[]) : [];
}
