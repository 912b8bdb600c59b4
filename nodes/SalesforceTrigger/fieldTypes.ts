import type { IDataObject } from 'n8n-workflow';

import type { RawFieldValue } from './outboundMessage';

/*
 * Outbound messages carry no per-field types: every value is text. These rules restore JSON types
 * only where the text cannot mean anything else; when in doubt a value stays a string.
 *
 * - xsi:nil="true"                      -> null (always, also with conversion off)
 * - "true" / "false"                    -> boolean
 * - a plain decimal number ("50000.0", "-3", "1.5E7") -> number, only when it survives the trip
 *   exactly: integers up to 2^53, at most 15 significant digits; never with a leading zero
 *   ("007"), a plus sign or spaces
 * - a date "2026-06-30"                 -> kept as that ISO date string (validated)
 * - a date-time "2026-06-30T12:00:00.000Z" (or with an offset) -> ISO 8601 UTC, milliseconds
 * - anything else (IDs, text, picklists, times "12:00:00.000Z") -> unchanged string
 *
 * Fields whose names say they hold identifiers or codes keep their text whatever it looks like:
 * names ending in Id, Phone, Fax, PostalCode, Zip, ZipCode, Number, Code or Name (after removing a
 * "__c" suffix), e.g. Id, AccountId, MobilePhone, BillingPostalCode, AccountNumber, ProductCode,
 * LastName. The user adds more under "Keep as Text".
 */

const TEXT_BY_NAME = /(Id|ID|Phone|Fax|PostalCode|Zip|ZipCode|Number|Code|Name)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d{1,3})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function keepsTextByName(field: string): boolean {
	return TEXT_BY_NAME.test(field.replace(/__c$/, ''));
}

function toNumber(text: string): number | undefined {
	if (!DECIMAL.test(text)) return undefined;
	const value = Number(text);
	if (!Number.isFinite(value)) return undefined;
	const [mantissa] = text.replace('-', '').split(/[eE]/);
	if (!mantissa.includes('.') && !/[eE]/.test(text)) return Number.isSafeInteger(value) ? value : undefined;
	const significant = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
	return significant.length <= 15 ? value : undefined;
}

function validDate(text: string): boolean {
	const match = DATE.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** One value with its type restored by the rules above. */
export function convertValue(text: string): string | number | boolean {
	if (text === 'true') return true;
	if (text === 'false') return false;
	const number = toNumber(text);
	if (number !== undefined) return number;
	if (DATE.test(text)) return text;
	if (DATE_TIME.test(text)) {
		const time = Date.parse(text);
		if (!Number.isNaN(time) && validDate(text.slice(0, 10))) return new Date(time).toISOString();
	}
	return text;
}

export interface ConversionOptions {
	convert: boolean;
	/** Field names (exact, case-sensitive as Salesforce spells them) that always stay text. */
	keepAsText: Set<string>;
}

export function convertFields(fields: Array<[string, RawFieldValue]>, options: ConversionOptions): IDataObject {
	const result: IDataObject = {};
	for (const [name, raw] of fields) {
		const keep = !options.convert || raw === null || options.keepAsText.has(name) || keepsTextByName(name);
		result[name] = keep ? raw : convertValue(raw);
	}
	return result;
}
