import type { CountryCode } from 'libphonenumber-js/max';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

import { ItemFieldError } from '../../shared/items';

/** A value in an item that cannot be sent as it is; `field` names the parameter. */
export class InvalidFieldError extends ItemFieldError {}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An Omnisend contact ID (it goes into a URL path, so nothing but ID characters). */
export function contactId(raw: string): string {
	if (raw === '') throw new InvalidFieldError('Contact ID', 'Contact ID is empty');
	if (!/^[A-Za-z0-9_-]+$/.test(raw)) {
		throw new InvalidFieldError('Contact ID', `Contact ID "${raw}" contains characters an Omnisend contact ID never has`);
	}
	return raw;
}

/** First and last names: Omnisend takes at most 50 characters. */
export function personName(label: string, raw: string): string {
	if (raw.length > 50) throw new InvalidFieldError(label, `${label} is longer than 50 characters`);
	return raw;
}

/** Trimmed and lowercased; '' when absent. Omnisend keys contacts on the exact string. */
export function normalizeEmail(raw: unknown, field = 'Email'): string {
	if (raw === undefined || raw === null) return '';
	if (typeof raw !== 'string') {
		throw new InvalidFieldError(field, `${field} must be text, got ${typeof raw}`);
	}
	const email = raw.trim().toLowerCase();
	if (email === '') return '';
	if (!EMAIL_SHAPE.test(email)) {
		throw new InvalidFieldError(field, `${field} "${raw.trim()}" is not an email address`);
	}
	return email;
}

export function parseCountry(raw: string): CountryCode | undefined {
	const code = raw.trim().toUpperCase();
	if (code === '') return undefined;
	if (!isSupportedCountry(code)) {
		throw new InvalidFieldError(
			'Default Phone Country',
			`"${raw}" is not a two-letter country code known for phone numbers`,
			'Use an ISO 3166 alpha-2 code such as GB, DE, US, FR or IT.',
		);
	}
	return code;
}

/**
 * E.164 (`+447700900123`) or '' when absent. A number without a country code is read in the
 * default country; without one it is refused rather than guessed (no silent `+1`).
 */
export function normalizePhone(raw: unknown, defaultCountry?: CountryCode, field = 'Phone'): string {
	if (raw === undefined || raw === null) return '';
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw new InvalidFieldError(field, `${field} must be text, got ${typeof raw}`);
	}
	const text = String(raw).trim();
	if (text === '') return '';
	const international = text.startsWith('+') || text.startsWith('00');
	if (!international && !defaultCountry) {
		throw new InvalidFieldError(
			field,
			`${field} "${text}" has no country code`,
			'Write it with its country code (+44 …) or set Default Phone Country in the options.',
		);
	}
	const candidate = text.startsWith('00') ? `+${text.slice(2)}` : text;
	const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
	// "Possible" = a real country code and a length its numbering plan allows. Stricter range checks
	// (isValid) would refuse reserved test numbers such as the UK's +44 7700 900xxx.
	if (!parsed || !parsed.isPossible()) {
		throw new InvalidFieldError(
			field,
			`${field} "${text}" is not a valid phone number${defaultCountry ? ` (read as ${defaultCountry})` : ''}`,
			'Check the digits, or choose "Send Without Phone" under Invalid Phone to send the email alone.',
		);
	}
	return parsed.number;
}
