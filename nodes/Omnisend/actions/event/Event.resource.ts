import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a customer event',
				description: 'Send a customer event (POST /events) that Omnisend records on the contact and automations can trigger on',
			},
		],
		default: 'send',
	},
	...send.description,
];
