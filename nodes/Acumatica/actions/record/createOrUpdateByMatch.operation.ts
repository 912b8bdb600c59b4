import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { odataString, valueAt, withValueAt } from '../../helpers/record';
import type { AcumaticaClient } from '../../transport';
import { putRecord } from './createOrUpdate.operation';
import { checkFieldPath, readEntity, readJsonObject, recordField, shapeOptions } from './fields';

const OPERATION = ['createOrUpdateByMatch'];
const show = { resource: ['record'], operation: OPERATION };

/** How many matches to fetch: enough to name duplicates without reading a whole table. */
const MATCH_LOOKUP_TOP = 10;

export const description: INodeProperties[] = [
	{
		displayName: 'Match Field',
		name: 'matchField',
		type: 'string',
		default: 'Email',
		required: true,
		placeholder: 'Email',
		description: 'Field that identifies the record (e.g. Email on Contact, or MainContact/Email on Customer). Searched with $filter first.',
		displayOptions: { show },
	},
	{
		displayName: 'Match Value',
		name: 'matchValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.email }}',
		description: 'No record with it: one is created. One: it is updated. More than one: the item fails naming them.',
		displayOptions: { show },
	},
	recordField(OPERATION, { default: '{\n  "FirstName": "Ann",\n  "LastName": "Lee"\n}' }),
	shapeOptions(OPERATION),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: AcumaticaClient): Promise<IDataObject> {
	const entity = readEntity.call(this, itemIndex);
	const matchField = checkFieldPath.call(this, String(this.getNodeParameter('matchField', itemIndex, '')), 'Match Field', itemIndex);
	const matchValue = String(this.getNodeParameter('matchValue', itemIndex, '') ?? '').trim();
	if (matchValue === '') {
		throw new NodeOperationError(this.getNode(), `Match Value is empty (item ${itemIndex})`, {
			itemIndex,
			description: `Map the ${matchField} to look for; nothing was sent for this item.`,
		});
	}
	let plain = readJsonObject.call(this, 'record', 'Record (JSON)', itemIndex);
	if (valueAt(plain, matchField) === undefined) plain = withValueAt(plain, matchField, matchValue);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	// Items with the same match value go one after the other (search, then write), so two of them
	// in one execution cannot both find nothing and create the record twice.
	const key = `${entity}\n${matchField}\n${matchValue.toLowerCase()}`;
	return await client.exclusive(key, async () => await searchThenWrite.call(this, client, itemIndex, entity, matchField, matchValue, plain, options));
}

async function searchThenWrite(
	this: IExecuteFunctions,
	client: AcumaticaClient,
	itemIndex: number,
	entity: string,
	matchField: string,
	matchValue: string,
	record: IDataObject,
	options: IDataObject,
): Promise<IDataObject> {
	let plain = record;
	const qs: IDataObject = { $filter: `${matchField} eq ${odataString(matchValue)}`, $select: matchField, $top: MATCH_LOOKUP_TOP };
	// A linked entity's field is returned only when that entity is expanded.
	if (matchField.includes('/')) qs.$expand = matchField.slice(0, matchField.lastIndexOf('/'));
	const found = await client.request({ method: 'GET', path: `/${entity}`, qs, idempotent: true }, itemIndex);
	const matches = (Array.isArray(found.body) ? found.body : []) as IDataObject[];
	if (matches.length > 1) {
		const ids = matches.map((match) => String(match.id ?? '?'));
		const count = matches.length >= MATCH_LOOKUP_TOP ? `At least ${matches.length}` : String(matches.length);
		throw new NodeOperationError(
			this.getNode(),
			`${count} ${entity} records have ${matchField} "${matchValue}" (ids: ${ids.join(', ')}); none was changed (item ${itemIndex})`,
			{
				itemIndex,
				description: `Merge the duplicates in Acumatica, or choose a Match Field that is unique for ${entity}.`,
			},
		);
	}
	if (matches.length === 1) {
		const id = matches[0].id;
		if (typeof id !== 'string' || id === '') {
			throw new NodeOperationError(this.getNode(), `Acumatica returned the matching ${entity} without an id (item ${itemIndex})`, {
				itemIndex,
				description: 'Check the endpoint: search results must carry the record id.',
			});
		}
		plain = { ...plain, id };
	}
	return await putRecord.call(this, client, itemIndex, entity, plain, options);
}
