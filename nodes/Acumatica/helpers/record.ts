import type { IDataObject } from 'n8n-workflow';

import { ItemFieldError } from '../../shared/items';

/** Top-level system properties of a record: sent and returned as they are, never `{value}`-wrapped. */
const SYSTEM_FIELDS = new Set(['id', 'rowNumber', 'note', 'custom', 'files', '_links', 'delete']);

/** Raised for input that cannot become an Acumatica record; names the field (path) at fault. */
export class RecordShapeError extends ItemFieldError {
	constructor(message: string, field: string) {
		super(field, message);
	}
}

function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** `{ "value": x }` (optionally with Acumatica's `error` or a custom field's `type`): already in wire form. */
function isWrapped(value: IDataObject): boolean {
	const keys = Object.keys(value);
	return keys.includes('value') && keys.every((key) => key === 'value' || key === 'error' || key === 'type');
}

/**
 * Plain JSON to Acumatica's record JSON: every field `{"value": x}`, linked entities as nested
 * records, detail collections as arrays of records, system properties (id, rowNumber, note,
 * custom, files, _links, delete) untouched. Values already wrapped pass through unchanged.
 */
export function toAcumaticaRecord(plain: unknown, path = ''): IDataObject {
	if (!isPlainObject(plain)) {
		throw new RecordShapeError(`${path ? `"${path}"` : 'The record'} must be a JSON object`, path || 'record');
	}
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(plain)) {
		const field = path ? `${path}.${key}` : key;
		if (value === undefined) continue;
		if (SYSTEM_FIELDS.has(key)) {
			out[key] = value;
		} else if (Array.isArray(value)) {
			out[key] = value.map((line, index) => {
				if (!isPlainObject(line)) {
					throw new RecordShapeError(
						`"${field}[${index}]" must be an object: detail lines are records (e.g. [{"InventoryID": "A1", "Qty": 2}])`,
						`${field}[${index}]`,
					);
				}
				return toAcumaticaRecord(line, `${field}[${index}]`);
			});
		} else if (isPlainObject(value)) {
			out[key] = isWrapped(value) ? value : toAcumaticaRecord(value, field);
		} else if (value instanceof Date) {
			out[key] = { value: value.toISOString() };
		} else {
			out[key] = { value: value as string | number | boolean | null };
		}
	}
	return out;
}

/**
 * Acumatica's record JSON back to plain JSON: `{"value": x}` → x, `{}` (an empty field) → null,
 * linked entities and detail lines recursively; `custom`, `files` and `_links` stay as they are.
 */
export function fromAcumaticaRecord(record: unknown): IDataObject {
	if (!isPlainObject(record)) return {};
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(record)) {
		if (key === 'custom' || key === 'files' || key === '_links') {
			out[key] = value;
		} else if (Array.isArray(value)) {
			out[key] = value.map((line) => (isPlainObject(line) ? fromAcumaticaRecord(line) : line)) as IDataObject[];
		} else if (isPlainObject(value)) {
			if ('value' in value && isWrapped(value)) out[key] = value.value;
			else if (Object.keys(value).length === 0) out[key] = null;
			else out[key] = fromAcumaticaRecord(value);
		} else {
			out[key] = value;
		}
	}
	return out;
}

/** Plain values to the parameter object of an action: `{ "Param": {"value": x} }`. */
export function toActionParameters(plain: unknown): IDataObject {
	return toAcumaticaRecord(plain, 'parameters');
}

/** An OData v3 string literal: single quotes doubled (`O'Brien` → `'O''Brien'`). */
export function odataString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

/** A field as $filter/$select accept it: `Email`, or a linked entity's field `MainContact/Email`. */
export const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The value at a `/`-separated field path of a plain record (or undefined). */
export function valueAt(plain: IDataObject, path: string): unknown {
	let current: unknown = plain;
	for (const part of path.split('/')) {
		if (!isPlainObject(current)) return undefined;
		current = current[part];
	}
	return current;
}

/** A copy of `plain` with `value` at the `/`-separated path (creating linked entities on the way). */
export function withValueAt(plain: IDataObject, path: string, value: unknown): IDataObject {
	const parts = path.split('/');
	const [head, ...rest] = parts;
	const copy: IDataObject = { ...plain };
	if (rest.length === 0) {
		copy[head] = value as IDataObject[keyof IDataObject];
		return copy;
	}
	const child = isPlainObject(copy[head]) ? (copy[head] as IDataObject) : {};
	copy[head] = withValueAt(child, rest.join('/'), value);
	return copy;
}

/**
 * Every field message of a 422 answer: Acumatica echoes the record and puts `"error"` next to each
 * failing field's value (in linked entities and detail lines too), and sometimes on the record.
 */
export function fieldErrors(body: unknown, path = ''): string[] {
	const found: string[] = [];
	const visit = (node: unknown, at: string) => {
		if (Array.isArray(node)) {
			node.forEach((entry, index) => visit(entry, `${at}[${index}]`));
			return;
		}
		if (!isPlainObject(node)) return;
		if (typeof node.error === 'string' && node.error.trim() !== '') {
			found.push(at ? `${at}: ${node.error.trim()}` : node.error.trim());
		}
		for (const [key, value] of Object.entries(node)) {
			if (key === 'error') continue;
			visit(value, at ? `${at}.${key}` : key);
		}
	};
	visit(body, path);
	return found;
}
