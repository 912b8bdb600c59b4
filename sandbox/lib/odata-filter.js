'use strict';

/**
 * A small OData v3 `$filter` evaluator, enough for Acumatica's contract-based API:
 * `eq ne gt ge lt le`, `and or not`, parentheses, `substringof('x',Field)`, `startswith(Field,'x')`,
 * `endswith(Field,'x')`, linked fields `MainContact/Email`, literals 'text' (with '' escapes), numbers,
 * true/false/null, datetimeoffset'…', datetime'…', guid'…'. Text compares case-insensitively
 * (SQL Server's default collation). Values are read from Acumatica's wrapped records ({Field: {value}}).
 */

class FilterError extends Error {}

/** @typedef {{ type: 'str' | 'num' | 'date' | 'bool' | 'null' | 'name' | 'op' | 'punct', value: any }} Token */

/** @param {string} text @returns {Token[]} */
function tokenize(text) {
	/** @type {Token[]} */
	const tokens = [];
	let i = 0;
	while (i < text.length) {
		const rest = text.slice(i);
		const space = /^\s+/.exec(rest);
		if (space) {
			i += space[0].length;
			continue;
		}
		if ('(),'.includes(rest[0])) {
			tokens.push({ type: 'punct', value: rest[0] });
			i += 1;
			continue;
		}
		const typed = /^(datetimeoffset|datetime|guid)'([^']*)'/i.exec(rest);
		if (typed) {
			const kind = typed[1].toLowerCase();
			if (kind === 'guid') tokens.push({ type: 'str', value: typed[2] });
			else {
				const time = Date.parse(typed[2]);
				if (Number.isNaN(time)) throw new FilterError(`Invalid ${kind} literal '${typed[2]}'`);
				tokens.push({ type: 'date', value: time });
			}
			i += typed[0].length;
			continue;
		}
		if (rest[0] === "'") {
			let value = '';
			let j = 1;
			for (;;) {
				if (j >= rest.length) throw new FilterError('Unterminated string literal');
				if (rest[j] === "'") {
					if (rest[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += rest[j];
				j += 1;
			}
			tokens.push({ type: 'str', value });
			i += j + 1;
			continue;
		}
		const number = /^-?\d+(\.\d+)?[mMdDfFlL]?(?![\w/])/.exec(rest);
		if (number) {
			tokens.push({ type: 'num', value: Number(number[0].replace(/[mMdDfFlL]$/, '')) });
			i += number[0].length;
			continue;
		}
		const word = /^[A-Za-z_][\w./]*/.exec(rest);
		if (word) {
			const lower = word[0].toLowerCase();
			if (['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not'].includes(lower)) tokens.push({ type: 'op', value: lower });
			else if (lower === 'true' || lower === 'false') tokens.push({ type: 'bool', value: lower === 'true' });
			else if (lower === 'null') tokens.push({ type: 'null', value: null });
			else tokens.push({ type: 'name', value: word[0] });
			i += word[0].length;
			continue;
		}
		throw new FilterError(`Unexpected character '${rest[0]}' at position ${i}`);
	}
	return tokens;
}

/**
 * The value of a field path in a wrapped record (`MainContact/Email` -> record.MainContact.Email.value).
 * @param {Record<string, any>} record
 * @param {string} path
 */
function fieldValue(record, path) {
	/** @type {any} */
	let current = record;
	for (const part of path.split('/')) {
		if (current === null || typeof current !== 'object') return null;
		current = current[part];
	}
	if (current && typeof current === 'object' && !Array.isArray(current) && 'value' in current) return current.value;
	return current ?? null;
}

/** @param {any} a @param {any} b @returns {number} */
function compare(a, b) {
	if (typeof a === 'string' && typeof b === 'string') {
		const x = a.toLowerCase();
		const y = b.toLowerCase();
		return x < y ? -1 : x > y ? 1 : 0;
	}
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Parses a $filter into a predicate over wrapped records; throws FilterError when malformed.
 * @param {string} text
 * @returns {(record: Record<string, any>) => boolean}
 */
function parseFilter(text) {
	const tokens = tokenize(text);
	let at = 0;
	const peek = () => tokens[at];
	const next = () => tokens[at++];
	const expect = (/** @type {string} */ value) => {
		const token = next();
		if (!token || token.value !== value) throw new FilterError(`Expected '${value}'${token ? ` but found '${token.value}'` : ' at the end'}`);
	};

	/** @typedef {(record: Record<string, any>) => any} Node */

	/** @returns {Node} */
	const operand = () => {
		const token = next();
		if (!token) throw new FilterError('Unexpected end of the filter');
		if (token.type === 'name') {
			if (peek()?.value === '(') return call(token.value);
			return (record) => fieldValue(record, token.value);
		}
		if (token.type === 'date') return (record) => token.value;
		if (['str', 'num', 'bool', 'null'].includes(token.type)) return () => token.value;
		throw new FilterError(`Unexpected '${token.value}'`);
	};

	/** @param {string} name @returns {Node} */
	const call = (name) => {
		expect('(');
		const first = operand();
		expect(',');
		const second = operand();
		expect(')');
		const text = (/** @type {any} */ value) => String(value ?? '').toLowerCase();
		switch (name.toLowerCase()) {
			case 'substringof':
				return (record) => text(second(record)).includes(text(first(record)));
			case 'startswith':
				return (record) => text(first(record)).startsWith(text(second(record)));
			case 'endswith':
				return (record) => text(first(record)).endsWith(text(second(record)));
			default:
				throw new FilterError(`Unknown function '${name}'`);
		}
	};

	/** @returns {Node} */
	const primary = () => {
		if (peek()?.value === '(') {
			next();
			const inner = orExpr();
			expect(')');
			return inner;
		}
		const left = operand();
		const op = peek();
		if (!op || op.type !== 'op' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op.value)) return left;
		next();
		const right = operand();
		return (record) => {
			let a = left(record);
			let b = right(record);
			// A date literal against a stored date text: compare as times.
			if (typeof b === 'number' && typeof a === 'string' && !Number.isNaN(Date.parse(a)) && !/^-?\d+(\.\d+)?$/.test(a)) a = Date.parse(a);
			if (typeof a === 'number' && typeof b === 'string' && !Number.isNaN(Date.parse(b)) && !/^-?\d+(\.\d+)?$/.test(b)) b = Date.parse(b);
			if (op.value === 'eq') return a === null || b === null ? a === b : compare(a, b) === 0;
			if (op.value === 'ne') return a === null || b === null ? a !== b : compare(a, b) !== 0;
			if (a === null || b === null) return false;
			const order = compare(a, b);
			return op.value === 'gt' ? order > 0 : op.value === 'ge' ? order >= 0 : op.value === 'lt' ? order < 0 : order <= 0;
		};
	};

	/** @returns {Node} */
	const notExpr = () => {
		if (peek()?.value === 'not') {
			next();
			const inner = notExpr();
			return (record) => !inner(record);
		}
		return primary();
	};

	/** @returns {Node} */
	const andExpr = () => {
		let left = notExpr();
		while (peek()?.value === 'and') {
			next();
			const a = left;
			const b = notExpr();
			left = (record) => Boolean(a(record)) && Boolean(b(record));
		}
		return left;
	};

	/** @returns {Node} */
	const orExpr = () => {
		let left = andExpr();
		while (peek()?.value === 'or') {
			next();
			const a = left;
			const b = andExpr();
			left = (record) => Boolean(a(record)) || Boolean(b(record));
		}
		return left;
	};

	if (tokens.length === 0) throw new FilterError('The filter is empty');
	const predicate = orExpr();
	if (at < tokens.length) throw new FilterError(`Unexpected '${tokens[at].value}'`);
	return (record) => Boolean(predicate(record));
}

module.exports = { parseFilter, FilterError, fieldValue };
