/**
 * A number that must reach the service as a decimal even when it is whole: Omnisend types a
 * property by the first value it sees, and `10` (integer) after `10.5` (float) is a type change it
 * rejects. JSON.stringify writes 10.0 as `10`, so bodies with decimals are written by `toJson`.
 */
export class Decimal {
	constructor(readonly value: number) {}

	toJSON(): number {
		return this.value;
	}
}

/** JSON.stringify, except that a whole `Decimal` is written with a fractional part (`10.0`). */
export function toJson(value: unknown): string {
	if (value instanceof Decimal) {
		const text = JSON.stringify(value.value);
		return Number.isInteger(value.value) && !/e/i.test(text) ? `${text}.0` : text;
	}
	if (Array.isArray(value)) {
		return `[${value.map((entry) => (entry === undefined ? 'null' : toJson(entry))).join(',')}]`;
	}
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		const fields = Object.entries(value as Record<string, unknown>)
			.filter(([, entry]) => entry !== undefined && typeof entry !== 'function')
			.map(([key, entry]) => `${JSON.stringify(key)}:${toJson(entry)}`);
		return `{${fields.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** A plain-JSON copy (Decimal becomes its number) for output items and logs. */
export function toPlainJson<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
