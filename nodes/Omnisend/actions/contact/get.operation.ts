import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InvalidFieldError } from '../../helpers/identity';
import { answerObject, omnisendRequest } from '../../transport';
import type { OperationContext } from '../context';
import { contactHas, contactsOf, lookupFields, readLookup } from './lookup';

const properties: INodeProperties[] = [
	{
		displayName: 'If Not Found',
		name: 'ifNotFound',
		type: 'options',
		default: 'error',
		options: [
			{ name: 'Fail the Item', value: 'error', description: 'Stop with an error that names the contact looked for' },
			{ name: 'Output "Not Found"', value: 'notFound', description: 'Output { found: false } so a later IF node can branch' },
		],
	},
];

export const description: INodeProperties[] = [
	...lookupFields(['get']),
	...updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, properties),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const { by, value } = readLookup.call(this, itemIndex);
	const request =
		by === 'contactID'
			? { method: 'GET' as const, path: `/contacts/${encodeURIComponent(value)}`, acceptStatuses: [404] }
			: { method: 'GET' as const, path: '/contacts', qs: { [by]: value, limit: 1 } };
	const response = await omnisendRequest.call(this, request, itemIndex, context);
	const contact =
		response.statusCode === 404
			? undefined
			: by === 'contactID'
				? answerObject(response)
				: contactsOf(response.body).find((candidate) => contactHas(candidate, by, value));
	if (contact && Object.keys(contact).length > 0) return { found: true, ...contact };
	if (this.getNodeParameter('ifNotFound', itemIndex, 'error') === 'notFound') return { found: false, [by]: value };
	throw new InvalidFieldError(by, `No Omnisend contact has ${by} "${value}"`, 'Check the value, or set If Not Found to "Output Not Found".');
}
