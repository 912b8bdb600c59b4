import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { apiName, InputError } from '../../helpers/input';
import type { SalesforceError, SalesforceResponse } from '../../transport';
import { answerObject, salesforceRequest } from '../../transport';
import { fieldsProperties, readFields, readSObject } from '../common';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	{
		displayName: 'External ID Field',
		name: 'externalIdField',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Experiment_Key__c',
		description: 'API name of a field marked "External ID" on the object. Salesforce matches records by it.',
	},
	{
		displayName: 'External ID Value',
		name: 'externalIdValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.experiment_key }}',
	},
	...fieldsProperties('Fields'),
	{
		displayName: 'Update Only',
		name: 'updateOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to only update an existing record and fail (404) instead of creating one (updateOnly=true)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['upsert'] } }, properties);

/** Record IDs from the 300 answer (a list of record URLs, or of objects with attributes.url / Id). */
function matchedIds(body: unknown): string[] {
	const entries = Array.isArray(body) ? body : [];
	return entries
		.map((entry) => {
			const url = typeof entry === 'string' ? entry : String((entry as IDataObject)?.Id ?? ((entry as IDataObject)?.attributes as IDataObject)?.url ?? '');
			return url.split('/').pop() ?? '';
		})
		.filter(Boolean);
}

function isDuplicateValue(error: unknown): boolean {
	const errors = (error as { salesforceErrors?: SalesforceError[] } | undefined)?.salesforceErrors ?? [];
	return (error as { httpCode?: string | null } | undefined)?.httpCode === '400' && errors.some((entry) => entry.errorCode === 'DUPLICATE_VALUE');
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const sobject = readSObject(this, itemIndex);
	const field = apiName(this.getNodeParameter('externalIdField', itemIndex, ''), 'External ID Field');
	const value = String(this.getNodeParameter('externalIdValue', itemIndex, '') ?? '').trim();
	if (value === '') throw new InputError('External ID Value', 'The external ID value is empty', 'Map the value that identifies the record, e.g. {{ $json.experiment_key }}.');
	const fields = readFields(this, itemIndex, 'Fields');
	// Salesforce refuses the external ID field in the body; the value in the URL is the one used.
	const inBody = Object.keys(fields).find((name) => name.toLowerCase() === field.toLowerCase());
	if (inBody !== undefined) {
		if (String(fields[inBody]) !== value) {
			throw new InputError(`Fields › ${inBody}`, `Fields set ${inBody} to "${String(fields[inBody])}" but the External ID Value is "${value}"`, `Remove ${inBody} from Fields; the External ID Value is used.`);
		}
		delete fields[inBody];
	}
	const idInBody = Object.keys(fields).find((name) => name.toLowerCase() === 'id');
	if (idInBody !== undefined) {
		throw new InputError(`Fields › ${idInBody}`, 'Fields contain the record Id', 'Remove Id from Fields: upsert finds the record by the External ID Value (Salesforce refuses Id in the body). To write by record ID use Update.');
	}
	const updateOnly = this.getNodeParameter('updateOnly', itemIndex, false) as boolean;
	// Upsert by external ID is idempotent: repeating it lands on the same record. Items with the
	// same value go one after the other: two concurrent upserts of a new value could both insert.
	const send = async () =>
		await salesforceRequest.call(
			this,
			{
				method: 'PATCH',
				path: `/sobjects/${sobject}/${field}/${encodeURIComponent(value)}`,
				qs: updateOnly ? { updateOnly: 'true' } : undefined,
				body: fields,
				idempotent: true,
				acceptStatuses: [300],
			},
			itemIndex,
			context,
		);
	const response = await context.exclusive(`upsert\n${sobject.toLowerCase()}\n${field.toLowerCase()}\n${value.toLowerCase()}`, async () => {
		let first: SalesforceResponse | undefined;
		let failure: unknown;
		try {
			first = await send();
		} catch (error) {
			failure = error;
		}
		if (first) return first;
		// Another writer (e.g. a parallel execution) inserted this value between Salesforce's match and
		// its insert (400 DUPLICATE_VALUE on a unique External ID field): the record exists now, so one
		// more upsert updates it. Harmless if the duplicate is in another unique field: it fails the same way.
		if (isDuplicateValue(failure)) return await send();
		throw failure;
	});
	if (response.statusCode === 300) {
		const ids = matchedIds(response.body);
		throw new NodeApiError(this.getNode(), { statusCode: 300, matches: ids } as unknown as JsonObject, {
			message: `${ids.length || 'Several'} ${sobject} records have ${field} = "${value}"${ids.length ? `: ${ids.join(', ')}` : ''}; nothing was written`,
			description: `Upsert needs exactly one match. Merge or fix the duplicates, mark ${field} as Unique in its field definition, or update one of them by ID.`,
			httpCode: '300',
			itemIndex,
		});
	}
	const answer = answerObject(response);
	const created = response.statusCode === 201 ? true : answer.created === true;
	return {
		id: answer.id,
		success: answer.success ?? true,
		created,
		sobject,
		externalIdField: field,
		externalIdValue: value,
		...context.meta(response),
	};
}
