import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as tags from './tags.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const operations = {
	upsert: upsert.execute,
	get: get.execute,
	getAll: getAll.execute,
	update: update.execute,
	addTags: tags.operation('add'),
	removeTags: tags.operation('remove'),
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Add Tags',
				value: 'addTags',
				action: 'Add tags to a contact',
				description: 'Add tags and keep the contact\'s other tags',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a contact',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{ name: 'Get', value: 'get', action: 'Get a contact', description: 'Get one contact by ID, email or phone' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many contacts', description: 'List contacts, with filters and paging' },
			{
				name: 'Remove Tags',
				value: 'removeTags',
				action: 'Remove tags from a contact',
				description: 'Remove tags and keep the contact\'s other tags',
			},
			{ name: 'Update', value: 'update', action: 'Update a contact', description: 'Change fields of a contact by its ID (PATCH)' },
		],
		default: 'upsert',
	},
	...upsert.description,
	...get.description,
	...getAll.description,
	...update.description,
	...tags.description,
];
