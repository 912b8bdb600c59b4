import type { IDataObject } from 'n8n-workflow';

import { InvalidFieldError } from './identity';

export type PropertyType = 'string' | 'integer' | 'number' | 'boolean' | 'dateTime' | 'json';

export const PROPERTY_TYPE_OPTIONS: Array<{ name: string; value: PropertyType; description: string }> = [
	{ name: 'Text', value: 'string', description: 'Sent as a JSON string' },
	{ name: 'Number', value: 'number', description: 'Any number; Omnisend reads a whole value such as 10.0 as an integer' },
	{ name: 'Whole Number', value: 'integer', description: 'Sent as an integer (10.0 counts as 10); 10.5 is refused' },
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

/** RFC 3339 in UTC, with milliseconds only when there are some (`2026-01-02T03:04:05Z`). */
export function rfc3339(date: Date): string {
	return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** A parameter value as trimmed text; '' for undefined and null (an expression that found nothing). */
export function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// A time of day followed by its zone: ISO (`…T09:30:00Z`, `…09:30+02:00`) or RFC 2822 (`09:30:00 GMT`, `09:30:00 +0200`).
const TIME_WITH_ZONE = /\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|GMT|UTC)$/i;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

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
	// Numbers: Unix time, in seconds below 1e11 (year 5138), else milliseconds.
	if (typeof value === 'number') return new Date(Math.abs(value) < 1e11 ? value * 1000 : value);
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	const local = ISO_LOCAL.exec(trimmed);
	if (local) {
		const asUtc = new Date(`${trimmed.replace(' ', 'T')}${local[4] ? '' : 'T00:00:00'}Z`);
		// Date rolls 2026-02-30 over into March; a date that does not exist is refused instead.
		if (Number.isNaN(asUtc.getTime()) || asUtc.toISOString().slice(0, 10) !== `${local[1]}-${local[2]}-${local[3]}`) {
			return undefined;
		}
		return new Date(asUtc.getTime() - zoneOffsetMs(asUtc, timeZone));
	}
	// Anything else must say its zone after the time: without one, Date would read it in the
	// server's zone, which the user never chose.
	return TIME_WITH_ZONE.test(trimmed) ? new Date(trimmed) : undefined;
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
		case 'number': {
			const number =
				typeof value === 'number' ? value : typeof value === 'string' && DECIMAL_TEXT.test(value.trim()) ? Number(value.trim()) : NaN;
			if (!Number.isFinite(number)) refuse(key, value, type === 'integer' ? 'a whole number' : 'a number');
			if (type === 'integer' && !Number.isInteger(number)) refuse(key, value, 'a whole number');
			return number;
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
			return rfc3339(date);
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
		default:
			// A type this version does not know (e.g. from a workflow made with another version).
			throw new InvalidFieldError(typeof key === 'string' ? `Property "${key}"` : key.field, `Unknown property type "${String(type)}"`, 'Pick the type again in the node.');
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
		if (Object.hasOwn(result, key)) {
			throw new InvalidFieldError('Properties', `Property "${key}" is given twice`);
		}
		const coerced = coerceProperty(key, row.value, row.type ?? 'string', timeZone);
		if (coerced !== undefined) result[key] = coerced as IDataObject[string];
	}
	return result;
}

/**
 * Line-item fields of Omnisend's recommended order and checkout events (`lineItems[]`), and the
 * names storefront trackers (Segment/Datafly `products[]`) use for them.
 */
const LINE_ITEM_FIELDS: Array<{ omnisend: string; aliases: string[]; type: PropertyType }> = [
	{ omnisend: 'productID', aliases: ['product_id'], type: 'string' },
	{ omnisend: 'productSKU', aliases: ['sku'], type: 'string' },
	{ omnisend: 'productTitle', aliases: ['product_name', 'name'], type: 'string' },
	{ omnisend: 'productPrice', aliases: ['price'], type: 'number' },
	{ omnisend: 'productQuantity', aliases: ['quantity'], type: 'integer' },
	{ omnisend: 'productURL', aliases: ['url'], type: 'string' },
	{ omnisend: 'productImageURL', aliases: ['image_url'], type: 'string' },
	{ omnisend: 'productDiscount', aliases: [], type: 'number' },
];

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * A product list as Omnisend `lineItems`: tracker names renamed (`product_id` -> `productID`,
 * `price` -> `productPrice`, ...), values coerced to their type, other keys kept as they are.
 */
export function toLineItems(name: string, value: unknown): IDataObject[] | undefined {
	const list = coerceProperty(name, value, 'json');
	if (list === undefined) return undefined;
	if (!Array.isArray(list)) refuse(name, value, 'a list of products');
	return list.map((entry: unknown, index: number) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			refuse(`${name}[${index}]`, entry, 'an object');
		}
		const product: IDataObject = { ...(entry as IDataObject) };
		const lineItem: IDataObject = {};
		for (const { omnisend, aliases, type } of LINE_ITEM_FIELDS) {
			// Omnisend's own name wins, then the aliases in order (blank ones skipped); the names
			// not used stay as they are, blank ones are dropped.
			const names = [omnisend, ...aliases].filter((key) => Object.hasOwn(product, key));
			const source = names.find((key) => !blank(product[key]));
			for (const key of names) if (blank(product[key])) delete product[key];
			if (source === undefined) continue;
			lineItem[omnisend] = coerceProperty(`${name}[${index}].${source}`, product[source], type) as IDataObject[string];
			delete product[source];
		}
		return { ...lineItem, ...product };
	});
}

/** Discount codes (comma-separated text, a list of codes, or `{ code }` objects) as `discounts: [{ code }]`. */
export function toDiscounts(value: unknown): IDataObject[] | undefined {
	const entries = Array.isArray(value) ? (value as unknown[]) : value && typeof value === 'object' ? [value] : text(value).split(',');
	const codes = entries.map((entry) => {
		const code = entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as IDataObject).code : entry;
		if (code !== undefined && code !== null && typeof code === 'object') refuse({ field: 'Discount Codes' }, entry, 'codes (text)');
		return text(code);
	});
	const given = codes.filter((code) => code !== '');
	return given.length > 0 ? given.map((code) => ({ code })) : undefined;
}
