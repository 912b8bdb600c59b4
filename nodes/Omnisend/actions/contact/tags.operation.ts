import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InvalidFieldError } from '../../helpers/identity';
import { omnisendRequest } from '../../transport';
import type { OperationContext } from '../context';
import { splitList } from './fields';
import { lookupFields, readLookup } from './lookup';

const properties: INodeProperties[] = [
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. vip, newsletter',
		description: 'Comma-separated. Omnisend applies tag changes asynchronously (202) and allows 60 tag requests per minute.',
	},
];

export const description: INodeProperties[] = [
	...lookupFields(['addTags', 'removeTags']),
	...updateDisplayOptions({ show: { resource: ['contact'], operation: ['addTags', 'removeTags'] } }, properties),
];

const BODY_KEY = { contactID: 'contactIDs', email: 'emails', phone: 'phones' } as const;

/** Add or remove tags without touching the contact's other tags (POST / DELETE /contacts/tags). */
export function operation(action: 'add' | 'remove') {
	return async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
		const { by, value } = readLookup.call(this, itemIndex);
		const tags = splitList(this.getNodeParameter('tags', itemIndex, ''), 'Tags');
		if (tags.length === 0) throw new InvalidFieldError('Tags', 'Tags is empty');
		const response = await omnisendRequest.call(
			this,
			{ method: action === 'add' ? 'POST' : 'DELETE', path: '/contacts/tags', body: { [BODY_KEY[by]]: [value], tags } },
			itemIndex,
			context,
		);
		return { status: 'accepted', httpStatus: response.statusCode, action, tags, [by]: value };
	};
}
