import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { recordId } from '../../helpers/input';
import { answerObject, salesforceRequest } from '../../transport';
import { fieldList } from '../campaign/get.operation';
import { readSObject } from '../common';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	{ displayName: 'Record ID', name: 'recordId', type: 'string', default: '', required: true, placeholder: 'e.g. 003xx000004TmiQAAS' },
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'string',
		default: '',
		placeholder: 'e.g. ID, Name, Email',
		description: 'Comma-separated field API names to return; empty returns all fields',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const sobject = readSObject(this, itemIndex);
	const id = recordId(this.getNodeParameter('recordId', itemIndex, ''), 'Record ID');
	const fields = fieldList(this.getNodeParameter('fields', itemIndex, ''), 'Fields');
	const response = await salesforceRequest.call(
		this,
		{ method: 'GET', path: `/sobjects/${sobject}/${id}`, qs: fields ? { fields } : undefined, idempotent: true },
		itemIndex,
		context,
	);
	return { ...answerObject(response), ...context.meta(response) };
}
