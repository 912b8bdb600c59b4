import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { contactId, InvalidFieldError } from '../../helpers/identity';
import { text } from '../../helpers/properties';
import { answerObject, omnisendRequest } from '../../transport';
import type { OperationContext } from '../context';
import { contactAttributes, contactFieldOptions, customPropertiesDescription } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.contactID }}',
		description: 'Omnisend\'s ID of the contact (from Create or Update, Get or Get Many). The email identifier cannot be changed by an update.',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: contactFieldOptions,
	},
	customPropertiesDescription,
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const id = contactId(text(this.getNodeParameter('contactId', itemIndex, '')));
	const customRows = this.getNodeParameter('customProperties.property', itemIndex, []) as IDataObject[];
	const body = contactAttributes(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, customRows, this.getTimezone());
	if (Object.keys(body).length === 0) {
		throw new InvalidFieldError('Update Fields', 'Nothing to update', 'Add at least one field under Update Fields or Custom Properties.');
	}
	const response = await omnisendRequest.call(
		this,
		{ method: 'PATCH', path: `/contacts/${encodeURIComponent(id)}`, body },
		itemIndex,
		context,
	);
	return { contactID: id, httpStatus: response.statusCode, contact: answerObject(response) };
}
