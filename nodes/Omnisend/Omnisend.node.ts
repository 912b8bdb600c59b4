import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as contact from './actions/contact/Contact.resource';
import { requestOptionsDescription } from './actions/context';
import * as event from './actions/event/Event.resource';
import { router } from './actions/router';

export class Omnisend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Omnisend',
		name: 'omnisend',
		icon: { light: 'file:omnisend.svg', dark: 'file:omnisend.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send customer events and create, update, find and tag contacts in Omnisend',
		defaults: { name: 'Omnisend' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'omnisendApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Event', value: 'event' },
				],
				default: 'event',
			},
			...event.description,
			...contact.description,
			requestOptionsDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
