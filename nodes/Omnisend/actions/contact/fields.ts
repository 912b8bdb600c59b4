import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { InvalidFieldError, personName } from '../../helpers/identity';
import type { TypedPropertyEntry } from '../../helpers/properties';
import { PROPERTY_TYPE_OPTIONS, typedPropertiesToObject } from '../../helpers/properties';

/** Contact attributes Omnisend accepts on create and on update (v5 names). */
export const contactFieldOptions: INodeProperties[] = [
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '', description: 'At most 50 characters' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '', description: 'At most 50 characters' },
	{ displayName: 'Address', name: 'address', type: 'string', default: '' },
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{ displayName: 'State', name: 'state', type: 'string', default: '' },
	{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
	{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'e.g. United Kingdom' },
	{ displayName: 'Country Code', name: 'countryCode', type: 'string', default: '', placeholder: 'e.g. GB', description: 'ISO 3166 alpha-2' },
	{
		displayName: 'Gender',
		name: 'gender',
		type: 'options',
		default: 'f',
		options: [
			{ name: 'Female', value: 'f' },
			{ name: 'Male', value: 'm' },
		],
	},
	{ displayName: 'Birthdate', name: 'birthdate', type: 'string', default: '', placeholder: 'YYYY-MM-DD' },
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'e.g. vip, newsletter',
		description: 'Comma-separated. Tags sent here REPLACE the contact\'s tags; use Contact › Add Tags to add without removing others.',
	},
];

export const customPropertiesDescription: INodeProperties = {
	displayName: 'Custom Properties',
	name: 'customProperties',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Custom Property',
	default: {},
	description: 'Contact custom properties. Keep each key\'s type the same across writes: segmentation depends on it.',
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
};

export function splitList(raw: unknown, field: string): string[] {
	if (Array.isArray(raw)) return raw.map((entry) => String(entry).trim()).filter(Boolean);
	if (raw === undefined || raw === null) return [];
	if (typeof raw !== 'string') throw new InvalidFieldError(field, `${field} must be a comma-separated list`);
	return raw.split(',').map((entry) => entry.trim()).filter(Boolean);
}

/** The attribute part of a contact body, validated; empty values are left out. */
export function contactAttributes(fields: IDataObject, customRows: TypedPropertyEntry[] | undefined, timeZone = 'UTC'): IDataObject {
	const body: IDataObject = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (key === 'tags') continue;
		const value = typeof raw === 'string' ? raw.trim() : raw;
		if (value === '' || value === undefined || value === null) continue;
		if (key === 'firstName') personName('First Name', String(value));
		if (key === 'lastName') personName('Last Name', String(value));
		if (key === 'birthdate' && !/^\d{4}-\d{2}-\d{2}$/.test(String(value))) {
			throw new InvalidFieldError('Birthdate', `Birthdate "${String(value)}" must be written YYYY-MM-DD`);
		}
		if (key === 'countryCode' && !/^[A-Za-z]{2}$/.test(String(value))) {
			throw new InvalidFieldError('Country Code', `Country Code "${String(value)}" must be two letters (ISO 3166 alpha-2)`);
		}
		body[key] = key === 'countryCode' ? String(value).toUpperCase() : (value as IDataObject[string]);
	}
	// Empty means "not given", never "remove all tags" (tags sent here replace the contact's tags).
	const tags = splitList(fields.tags, 'Tags');
	if (tags.length > 100) throw new InvalidFieldError('Tags', 'A contact can have at most 100 tags');
	if (tags.length > 0) body.tags = tags;
	const custom = typedPropertiesToObject(customRows, timeZone);
	if (Object.keys(custom).length > 0) body.customProperties = custom;
	return body;
}
