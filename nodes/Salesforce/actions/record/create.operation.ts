import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../helpers/input';
import { answerObject, salesforceRequest } from '../../transport';
import { fieldsProperties, readFields, readSObject } from '../common';
import type { OperationContext } from '../context';

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['create'] } }, fieldsProperties('Fields'));

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const sobject = readSObject(this, itemIndex);
	const fields = readFields(this, itemIndex, 'Fields');
	if (Object.keys(fields).length === 0) throw new InputError('Fields', 'No fields to create the record with', 'Add the fields the object requires (e.g. LastName and Company for a Lead).');
	// Not idempotent: after a 5xx or lost connection the record may exist, so no blind retry.
	const response = await salesforceRequest.call(this, { method: 'POST', path: `/sobjects/${sobject}`, body: fields, idempotent: false }, itemIndex, context);
	const answer = answerObject(response);
	return { id: answer.id, success: answer.success ?? true, created: true, sobject, ...context.meta(response) };
}
