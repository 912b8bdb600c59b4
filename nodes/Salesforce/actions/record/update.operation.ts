import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, recordId } from '../../helpers/input';
import { salesforceRequest } from '../../transport';
import { fieldsProperties, readFields, readSObject } from '../common';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	{ displayName: 'Record ID', name: 'recordId', type: 'string', default: '', required: true, placeholder: 'e.g. 003xx000004TmiQAAS' },
	...fieldsProperties('Fields'),
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const sobject = readSObject(this, itemIndex);
	const id = recordId(this.getNodeParameter('recordId', itemIndex, ''), 'Record ID');
	const fields = readFields(this, itemIndex, 'Fields');
	if (Object.keys(fields).length === 0) throw new InputError('Fields', 'Nothing to update', 'Add at least one field.');
	const response = await salesforceRequest.call(this, { method: 'PATCH', path: `/sobjects/${sobject}/${id}`, body: fields, idempotent: true }, itemIndex, context);
	return { id, success: true, sobject, updated: fields, ...context.meta(response) };
}
