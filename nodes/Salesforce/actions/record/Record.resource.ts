import type { INodeProperties } from 'n8n-workflow';

import { sobjectLocator } from '../common';
import * as create from './create.operation';
import * as find from './find.operation';
import * as get from './get.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const operations = {
	create: create.execute,
	update: update.execute,
	upsert: upsert.execute,
	get: get.execute,
	find: find.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['record'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a record', description: 'Create a record of any object' },
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a record by external ID',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{ name: 'Find (SOQL)', value: 'find', action: 'Find records with SOQL', description: 'Search records with a SOQL query or simple conditions' },
			{ name: 'Get', value: 'get', action: 'Get a record', description: 'Get a record by ID' },
			{ name: 'Update', value: 'update', action: 'Update a record', description: 'Change fields of a record by ID' },
		],
		default: 'upsert',
	},
	{ ...sobjectLocator, displayOptions: { show: { resource: ['record'] }, hide: { operation: ['find'] } } },
	...create.description,
	...update.description,
	...upsert.description,
	...get.description,
	...find.description,
];
