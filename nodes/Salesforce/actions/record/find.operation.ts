import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiName, InputError, soqlLikeEscape, soqlString } from '../../helpers/input';
import { answerObject, salesforceRequest } from '../../transport';
import { fieldList } from '../campaign/get.operation';
import { readSObject, sobjectLocator } from '../common';
import type { OperationContext } from '../context';

const OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'LIKE', 'contains', 'startsWith', 'endsWith'];

/** Text operators that become LIKE with the value matched literally (its % and _ escaped). */
const LIKE_FORMS: Record<string, (pattern: string) => string> = {
	contains: (pattern) => `%${pattern}%`,
	startsWith: (pattern) => `${pattern}%`,
	endsWith: (pattern) => `%${pattern}`,
};

const OPERATOR_OPTIONS = [
	...['=', '!=', '<', '<=', '>', '>='].map((operator) => ({ name: operator, value: operator })),
	{ name: 'Contains', value: 'contains', description: 'Text contains the value; % and _ in the value match literally' },
	{ name: 'Starts With', value: 'startsWith', description: 'Text starts with the value; % and _ in the value match literally' },
	{ name: 'Ends With', value: 'endsWith', description: 'Text ends with the value; % and _ in the value match literally' },
	{ name: 'LIKE (Pattern)', value: 'LIKE', description: 'SOQL LIKE: % in the value matches any text, _ any one character' },
];

const properties: INodeProperties[] = [
	{
		displayName: 'Query With',
		name: 'queryMode',
		type: 'options',
		options: [
			{ name: 'Conditions', value: 'builder', description: 'Pick the object, fields and conditions; values are escaped for you' },
			{ name: 'SOQL', value: 'soql', description: 'Write the SOQL query yourself' },
		],
		default: 'builder',
	},
	{
		displayName: 'SOQL',
		name: 'soql',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'SELECT Id, Name, Status FROM Campaign WHERE IsActive = true',
		description:
			'The query. Do not paste item values into it with expressions: a quote in a value breaks (or changes) the query. Use Conditions for values.',
		displayOptions: { show: { queryMode: ['soql'] } },
	},
	{ ...sobjectLocator, displayOptions: { show: { queryMode: ['builder'] } } },
	{
		displayName: 'Fields',
		name: 'returnFields',
		type: 'string',
		default: 'Id',
		placeholder: 'e.g. ID, Name, Email, Account.Name',
		description: 'Comma-separated field API names to return',
		displayOptions: { show: { queryMode: ['builder'] } },
	},
	{
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		displayOptions: { show: { queryMode: ['builder'] } },
		options: [
			{
				displayName: 'Condition',
				name: 'condition',
				values: [
					{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'e.g. Email' },
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: OPERATOR_OPTIONS,
						default: '=',
					},
					{
						displayName: 'Value Type',
						name: 'valueType',
						type: 'options',
						options: [
							{ name: 'Boolean', value: 'boolean' },
							{ name: 'Date or Date Literal', value: 'date', description: '2026-06-30, 2026-06-30T12:00:00Z, TODAY, LAST_N_DAYS:30' },
							{ name: 'Null', value: 'null' },
							{ name: 'Number', value: 'number' },
							{ name: 'Text', value: 'text', description: 'Quoted and escaped (quotes, backslashes, line breaks)' },
						],
						default: 'text',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Combine Conditions With',
		name: 'combineWith',
		type: 'options',
		options: [
			{ name: 'AND', value: 'AND' },
			{ name: 'OR', value: 'OR' },
		],
		default: 'AND',
		displayOptions: { show: { queryMode: ['builder'] } },
	},
	{
		displayName: 'Order By',
		name: 'orderBy',
		type: 'string',
		default: '',
		placeholder: 'e.g. CreatedDate DESC',
		displayOptions: { show: { queryMode: ['builder'] } },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['find'] } }, properties);

/** One condition's right-hand side, as SOQL: text is quoted and escaped, everything else must match its type exactly. */
export function soqlValue(type: unknown, raw: unknown, operator: string, label: string): string {
	const value = raw === null || raw === undefined ? '' : String(raw);
	switch (type) {
		case 'number':
			if (!/^-?\d+(\.\d+)?$/.test(value.trim())) throw new InputError(label, `${label} "${value.slice(0, 40)}" is not a number`, 'Use digits with an optional decimal point, e.g. 42 or 12.5.');
			return value.trim();
		case 'boolean':
			if (!/^(true|false)$/i.test(value.trim())) throw new InputError(label, `${label} "${value.slice(0, 40)}" is not true or false`, 'Use true or false.');
			return value.trim().toLowerCase();
		case 'null':
			if (operator !== '=' && operator !== '!=') throw new InputError(label, `${label}: null works only with = and !=`, 'Use = or != to test for null.');
			return 'null';
		case 'date': {
			const text = value.trim();
			const isDate = /^\d{4}-\d{2}-\d{2}$/.test(text);
			const isDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(text);
			const isLiteral = /^[A-Z][A-Z_]*(:\d{1,4})?$/.test(text);
			if (!isDate && !isDateTime && !isLiteral) {
				throw new InputError(label, `${label} "${text.slice(0, 40)}" is not a SOQL date`, 'Use 2026-06-30, 2026-06-30T12:00:00Z (with a zone), or a literal like TODAY or LAST_N_DAYS:30.');
			}
			return text;
		}
		default:
			return soqlString(value);
	}
}

/** The SOQL for the builder: every name checked, every value escaped or type-checked. */
export function buildSoql(sobject: string, fields: string, conditions: IDataObject[], combineWith: string, orderBy: string, limit?: number): string {
	const where = conditions.map((condition, index) => {
		const label = `Condition ${index + 1}`;
		const field = String(condition.field ?? '')
			.split('.')
			.map((part) => apiName(part, `${label} › Field`))
			.join('.');
		const operator = OPERATORS.includes(String(condition.operator)) ? String(condition.operator) : '=';
		const likeForm = LIKE_FORMS[operator];
		if (likeForm) {
			if ((condition.valueType ?? 'text') !== 'text') {
				throw new InputError(`${label} › Value Type`, `${label}: ${operator} works only with Value Type Text`, 'Choose Value Type Text, or another operator.');
			}
			const value = condition.value === null || condition.value === undefined ? '' : String(condition.value);
			return `${field} LIKE '${likeForm(soqlLikeEscape(value))}'`;
		}
		return `${field} ${operator} ${soqlValue(condition.valueType ?? 'text', condition.value, operator, `${label} › Value`)}`;
	});
	const order = orderBy.trim();
	if (order !== '' && !/^[A-Za-z][A-Za-z0-9_.]*( (ASC|DESC))?( NULLS (FIRST|LAST))?(, ?[A-Za-z][A-Za-z0-9_.]*( (ASC|DESC))?( NULLS (FIRST|LAST))?)*$/i.test(order)) {
		throw new InputError('Order By', `Order By "${order.slice(0, 60)}" is not valid`, 'Use field names with optional ASC/DESC, e.g. CreatedDate DESC.');
	}
	return [
		`SELECT ${fields} FROM ${sobject}`,
		where.length ? `WHERE ${where.join(` ${combineWith === 'OR' ? 'OR' : 'AND'} `)}` : '',
		order ? `ORDER BY ${order}` : '',
		limit !== undefined ? `LIMIT ${limit}` : '',
	]
		.filter(Boolean)
		.join(' ');
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Math.max(1, Math.floor(this.getNodeParameter('limit', itemIndex, 50) as number));
	let soql: string;
	if (this.getNodeParameter('queryMode', itemIndex, 'builder') === 'soql') {
		soql = String(this.getNodeParameter('soql', itemIndex, '') ?? '').trim();
		if (soql === '') throw new InputError('SOQL', 'The SOQL query is empty', 'Write a query like SELECT Id FROM Campaign.');
	} else {
		const fields = fieldList(this.getNodeParameter('returnFields', itemIndex, 'Id'), 'Fields') || 'Id';
		soql = buildSoql(
			readSObject(this, itemIndex),
			fields,
			this.getNodeParameter('conditions.condition', itemIndex, []) as IDataObject[],
			this.getNodeParameter('combineWith', itemIndex, 'AND') as string,
			String(this.getNodeParameter('orderBy', itemIndex, '') ?? ''),
			returnAll ? undefined : limit,
		);
	}

	const records: IDataObject[] = [];
	let request: { path: string; qs?: Record<string, string>; link?: boolean } = { path: '/query', qs: { q: soql } };
	const seen = new Set<string>();
	while (records.length < limit) {
		const response = await salesforceRequest.call(this, { method: 'GET', ...request, idempotent: true }, itemIndex, context);
		const page = answerObject(response);
		const batch = Array.isArray(page.records) ? (page.records as IDataObject[]) : [];
		const meta = context.meta(response);
		for (const record of batch.slice(0, limit - records.length)) records.push({ ...record, ...meta });
		const next = typeof page.nextRecordsUrl === 'string' ? page.nextRecordsUrl : '';
		if (page.done !== false || next === '' || seen.has(next)) break;
		seen.add(next);
		request = { path: next, link: true };
	}
	return records;
}
