import type { INodeProperties } from 'n8n-workflow';

import * as createOrUpdate from './createOrUpdate.operation';
import * as createOrUpdateByMatch from './createOrUpdateByMatch.operation';
import * as del from './delete.operation';
import { entityField, identifyFields } from './fields';
import * as get from './get.operation';
import * as invokeAction from './invokeAction.operation';
import * as search from './search.operation';

export const operations = {
	createOrUpdate: createOrUpdate.execute,
	createOrUpdateByMatch: createOrUpdateByMatch.execute,
	get: get.execute,
	search: search.execute,
	delete: del.execute,
	invokeAction: invokeAction.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['record'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				action: 'Create or update a record',
				description: 'PUT a record: updates the one matching its ID or key fields, else creates it',
			},
			{
				name: 'Create or Update by Match Field',
				value: 'createOrUpdateByMatch',
				action: 'Create or update a record by a match field',
				description: 'Search by a field (e.g. Email) first, then update the one match or create; duplicates fail',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a record', description: 'Delete a record by ID or key values' },
			{ name: 'Get', value: 'get', action: 'Get a record', description: 'Get a record by ID or key values' },
			{
				name: 'Invoke Action',
				value: 'invokeAction',
				action: 'Invoke an action on a record',
				description: 'Run an entity action (e.g. release) and wait until it finishes',
			},
			{ name: 'Search', value: 'search', action: 'Search records', description: 'Find records with $filter, with paging' },
		],
		default: 'createOrUpdateByMatch',
	},
	entityField(['createOrUpdate', 'createOrUpdateByMatch', 'get', 'search', 'delete', 'invokeAction']),
	...createOrUpdateByMatch.description,
	...createOrUpdate.description,
	...identifyFields(['get', 'delete']),
	...get.description,
	...search.description,
	...invokeAction.description,
];
