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

/** An event/contact property (by key), or another parameter by its display name (`{ field }`). */
export type ValueName = string | { field: string };

function refuse(name: ValueName, value: unknown, type: string): never {
	const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	if (typeof name !== 'string') {
		throw new InvalidFieldError(name.field, `${name.field} must be ${type}, got ${shown}`);
	}
	throw new InvalidFieldError(
		`Property "${name}"`,
		`Property "${name}" must be ${type}, got ${shown}`,
		`Omnisend rejects a property whose type changes between events; send "${name}" as ${type} every time, or fix the source value.`,
	);
}

/** A parameter value as trimmed text; '' for undefined and null (an expression that found nothing). */
export function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Milliseconds to add to UTC to get the wall-clock time in `timeZone` at `date`. */
function zoneOffsetMs(date: Date, timeZone: string): number {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		})
			.formatToParts(date)
			.map((part) => [part.type, Number(part.value)]),
	);
	const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return wall - Math.floor(date.getTime() / 1000) * 1000;
}

/**
 * A date and time; text without a zone (`2026-01-02 03:04:05`, as n8n's date picker stores it) is
 * wall-clock time in the workflow's time zone, not the server's.
 */
function parseDateTime(value: unknown, timeZone: string): Date | undefined {
	if (value instanceof Date) return value;
	if (typeof value === 'number') return new Date(value);
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(trimmed) && !HAS_ZONE.test(trimmed)) {
		const asUtc = new Date(`${trimmed.replace(' ', 'T')}${trimmed.length === 10 ? 'T00:00:00' : ''}Z`);
		if (Number.isNaN(asUtc.getTime())) return asUtc;
		return new Date(asUtc.getTime() - zoneOffsetMs(asUtc, timeZone));
	}
	return new Date(trimmed);
}

/**
 * Coerces a property value to its declared type so each key keeps one type across events.
 * Absent values (undefined, null, blank text) come back as undefined: the key is left out.
 */
export function coerceProperty(key: ValueName, value: unknown, type: PropertyType, timeZone = 'UTC'): unknown {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	switch (type) {
		case 'string':
			if (typeof value === 'object') refuse(key, value, 'text');
			return text(value);
		case 'integer':
		case 'decimal': {
			const number =
				typeof value === 'number' ? value : typeof value === 'string' && DECIMAL_TEXT.test(value.trim()) ? Number(value.trim()) : NaN;
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
			const date = parseDateTime(value, timeZone);
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
export function typedPropertiesToObject(rows: TypedPropertyEntry[] | undefined, timeZone = 'UTC'): IDataObject {
	const result: IDataObject = {};
	for (const row of rows ?? []) {
		const key = (row.key ?? '').trim();
		if (key === '') throw new InvalidFieldError('Properties', 'A property row has no name');
		if (key in result) {
			throw new InvalidFieldError('Properties', `Property "${key}" is given twice`);
		}
		const coerced = coerceProperty(key, row.value, row.type ?? 'string', timeZone);
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
