import type { INodeProperties } from 'n8n-workflow';

import * as addNote from './addNote.operation';
import * as get from './get.operation';
import * as update from './update.operation';

export const operations = {
	update: update.execute,
	addNote: addNote.execute,
	get: get.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Add Note',
				value: 'addNote',
				action: 'Add a note to a campaign',
				description: 'Attach a note (e.g. a result summary) to a Campaign',
			},
			{ name: 'Get', value: 'get', action: 'Get a campaign', description: 'Get a Campaign by ID' },
			{
				name: 'Update Status',
				value: 'update',
				action: 'Update a campaign status',
				description: 'Set a Campaign\'s status (Completed, Aborted, Paused, ...) and any other fields',
			},
		],
		default: 'update',
	},
	...update.description,
	...addNote.description,
	...get.description,
];
