import type { IDataObject } from 'n8n-workflow';

import { ItemFieldError } from '../../shared/items';

/** Bad input for one item: names the field and says what to do; nothing was sent for the item. */
export class InputError extends ItemFieldError {}

const ID_SHAPE = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

/** A Salesforce record ID (15 or 18 characters; it goes into a URL path). `prefix` checks the object (701 = Campaign). */
export function recordId(value: unknown, field: string, prefix?: { keyPrefix: string; object: string }): string {
	const id = String(value ?? '').trim();
	if (id === '') throw new InputError(field, `${field} is empty`, `Give the record's 15- or 18-character Salesforce ID.`);
	if (!ID_SHAPE.test(id)) {
		throw new InputError(field, `${field} "${id.slice(0, 40)}" is not a Salesforce ID`, 'Salesforce IDs have 15 or 18 letters and digits, e.g. 701xx000000001AAAQ.');
	}
	if (prefix && !id.startsWith(prefix.keyPrefix)) {
		throw new InputError(field, `${field} "${id}" is not a ${prefix.object} ID`, `${prefix.object} IDs start with ${prefix.keyPrefix}.`);
	}
	return id;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** An object or field API name (Contact, Invoice__c, ns__Field__c). */
export function apiName(value: unknown, field: string): string {
	const name = String(value ?? '').trim();
	if (!API_NAME.test(name) || name.length > 80) {
		throw new InputError(field, `${field} "${name.slice(0, 80)}" is not a Salesforce API name`, 'Use the API name, e.g. Contact, Email, or Invoice__c for custom ones.');
	}
	return name;
}

/** The fields to write, from key/value rows or a JSON object; names checked, values kept as typed. */
export function fieldsFrom(mode: unknown, rows: IDataObject[], json: unknown, field: string): IDataObject {
	let fields: IDataObject;
	if (mode === 'json') {
		let parsed: unknown = json ?? {};
		if (typeof json === 'string') {
			let bad = false;
			try {
				parsed = json.trim() === '' ? {} : JSON.parse(json);
			} catch {
				bad = true;
			}
			if (bad) throw new InputError(field, `${field} is not valid JSON`, 'Give a JSON object like {"Name": "Spring launch", "IsActive": true}.');
		}
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
			throw new InputError(field, `${field} must be a JSON object like {"Name": "Spring launch"}`, 'Give field API names as keys.');
		}
		fields = parsed as IDataObject;
	} else {
		fields = {};
		for (const row of rows) {
			const name = String(row.name ?? '').trim();
			if (name === '') continue;
			fields[name] = row.value as IDataObject[string];
		}
	}
	for (const name of Object.keys(fields)) apiName(name, `${field} › ${name}`);
	return fields;
}

/** Characters SOQL needs escaped inside a quoted string literal (Salesforce "Quoted String Escape Sequences"). */
const SOQL_ESCAPES: Record<string, string> = {
	'\\': '\\\\',
	"'": "\\'",
	'"': '\\"',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\b': '\\b',
	'\f': '\\f',
};

/** A SOQL string literal, quotes included: nothing in `value` can end the string or the query. */
export function soqlString(value: string): string {
	return `'${soqlEscape(value)}'`;
}

/** The inside of a SOQL string literal (no quotes around it). */
export function soqlEscape(value: string): string {
	return value.replace(/[\\'"\n\r\t\b\f]/g, (char) => SOQL_ESCAPES[char]);
}

/** The inside of a SOQL LIKE pattern matching `value` literally: escaped, and its % and _ no wildcards (\% and \_). */
export function soqlLikeEscape(value: string): string {
	return soqlEscape(value).replace(/[%_]/g, (char) => `\\${char}`);
}
