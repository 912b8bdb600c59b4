import type { IDataObject } from 'n8n-workflow';

import { Decimal } from '../../shared/json';
import { InvalidFieldError } from './identity';

export type PropertyType = 'string' | 'integer' | 'decimal' | 'boolean' | 'dateTime' | 'json';

export const PROPERTY_TYPE_OPTIONS: Array<{ name: string; value: PropertyType; description: string }> = [
	{ name: 'Text', value: 'string', description: 'Sent as a JSON string' },
	{ name: 'Whole Number', value: 'integer', description: 'Sent as an integer (10.0 counts as 10); 10.5 is refused' },
	{ name: 'Decimal Number', value: 'decimal', description: 'Always sent with a fraction (10 becomes 10.0) so Omnisend keeps the float type' },
	{ name: 'Boolean', value: 'boolean', description: 'Accepts true/false, yes/no or 1/0' },
	{ name: 'Date and Time', value: 'dateTime', description: 'Sent as an RFC 3339 UTC string' },
	{ name: 'JSON (Object or List)', value: 'json', description: 'An object or array, sent unchanged' },
];

function refuse(key: string, value: unknown, type: string): never {
	const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	throw new InvalidFieldError(
		`Property "${key}"`,
		`Property "${key}" must be ${type}, got ${shown}`,
		`Omnisend rejects a property whose type changes between events; send "${key}" as ${type} every time, or fix the source value.`,
	);
}

/**
 * Coerces a property value to its declared type so each key keeps one type across events.
 * Absent values (undefined, null, '') come back as undefined: the key is left out.
 */
export function coerceProperty(key: string, value: unknown, type: PropertyType): unknown {
	if (value === undefined || value === null || value === '') return undefined;
	switch (type) {
		case 'string':
			if (typeof value === 'object') refuse(key, value, 'text');
			return String(value);
		case 'integer':
		case 'decimal': {
			const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
			if (!Number.isFinite(number)) refuse(key, value, type === 'integer' ? 'a whole number' : 'a number');
			if (type === 'integer') {
				if (!Number.isInteger(number)) refuse(key, value, 'a whole number');
				return number;
			}
			return new Decimal(number);
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			const text = String(value).trim().toLowerCase();
			if (['true', 'yes', '1'].includes(text)) return true;
			if (['false', 'no', '0'].includes(text)) return false;
			return refuse(key, value, 'true or false');
		}
		case 'dateTime': {
			const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
			if (!date || Number.isNaN(date.getTime())) refuse(key, value, 'a date and time');
			return date.toISOString().replace(/\.000Z$/, 'Z');
		}
		case 'json': {
			let parsed = value;
			if (typeof value === 'string') {
				try {
					parsed = JSON.parse(value);
				} catch {
					refuse(key, value, 'JSON (an object or a list)');
				}
			}
			if (typeof parsed !== 'object' || parsed === null) refuse(key, value, 'JSON (an object or a list)');
			return parsed;
		}
	}
}

export interface TypedPropertyEntry {
	key?: string;
	type?: PropertyType;
	value?: unknown;
}

/** Turns the "Properties" rows of the node into an object, each value coerced to its type. */
export function typedPropertiesToObject(rows: TypedPropertyEntry[] | undefined): IDataObject {
	const result: IDataObject = {};
	for (const row of rows ?? []) {
		const key = (row.key ?? '').trim();
		if (key === '') throw new InvalidFieldError('Properties', 'A property row has no name');
		if (key in result) {
			throw new InvalidFieldError('Properties', `Property "${key}" is given twice`);
		}
		const coerced = coerceProperty(key, row.value, row.type ?? 'string');
		if (coerced !== undefined) result[key] = coerced as IDataObject[string];
	}
	return result;
}

/** Known numeric keys of line items (seed 001 and Omnisend names), kept type-stable. */
const LINE_ITEM_TYPES: Record<string, PropertyType> = {
	price: 'decimal',
	productPrice: 'decimal',
	productDiscount: 'decimal',
	quantity: 'integer',
	productQuantity: 'integer',
};

/** A list of products: each entry an object; known price/quantity keys coerced, others kept. */
export function coerceLineItems(key: string, value: unknown): unknown {
	const list = coerceProperty(key, value, 'json');
	if (list === undefined) return undefined;
	if (!Array.isArray(list)) refuse(key, value, 'a list of products');
	return list.map((entry: unknown, index: number) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			refuse(`${key}[${index}]`, entry, 'an object');
		}
		const product: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
		for (const [field, type] of Object.entries(LINE_ITEM_TYPES)) {
			if (field in product) product[field] = coerceProperty(`${key}[${index}].${field}`, product[field], type);
		}
		return product;
	});
}
