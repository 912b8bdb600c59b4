import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fromAcumaticaRecord, toAcumaticaRecord } from '../../helpers/record';
import type { AcumaticaClient } from '../../transport';
import { readEntity, readJsonObject, recordField, shapeOptions, shapeQuery } from './fields';

const OPERATION = ['createOrUpdate'];

export const description: INodeProperties[] = [
	recordField(OPERATION),
	shapeOptions(OPERATION, [
		{
			displayName: 'Write Mode',
			name: 'writeMode',
			type: 'options',
			default: 'upsert',
			options: [
				{ name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)' },
				{ name: 'Insert Only', value: 'insertOnly', description: 'Fail if the record exists (If-None-Match: *)' },
				{ name: 'Update Only', value: 'updateOnly', description: 'Fail if the record does not exist (If-Match: *)' },
			],
		},
	]),
];

/** PUT a plain record (wrapped) and return Acumatica's answer unwrapped. */
export async function putRecord(
	this: IExecuteFunctions,
	client: AcumaticaClient,
	itemIndex: number,
	entity: string,
	plain: IDataObject,
	options: IDataObject,
): Promise<IDataObject> {
	const body = toAcumaticaRecord(plain);
	const headers: IDataObject = {};
	if (options.writeMode === 'insertOnly') headers['If-None-Match'] = '*';
	if (options.writeMode === 'updateOnly') headers['If-Match'] = '*';
	// Repeating a PUT is harmless only when it cannot create a second record.
	const idempotent = (typeof plain.id === 'string' && plain.id !== '') || options.writeMode === 'updateOnly';
	const response = await client.request(
		{ method: 'PUT', path: `/${entity}`, qs: shapeQuery(options), body, headers, idempotent },
		itemIndex,
	);
	return fromAcumaticaRecord(response.body);
}

export async function execute(this: IExecuteFunctions, itemIndex: number, client: AcumaticaClient): Promise<IDataObject> {
	const entity = readEntity.call(this, itemIndex);
	const plain = readJsonObject.call(this, 'record', 'Record (JSON)', itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return await putRecord.call(this, client, itemIndex, entity, plain, options);
}
