import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsDescription } from './actions/context';
import * as record from './actions/record/Record.resource';
import { router } from './actions/router';
import { searchActions, searchEntities } from './methods/listSearch';

export class Acumatica implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Acumatica',
		name: 'acumatica',
		icon: { light: 'file:acumatica.svg', dark: 'file:acumatica.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["entity"].value }}',
		description: 'Create, update, find, delete records and run actions in Acumatica ERP (contract-based REST API)',
		defaults: { name: 'Acumatica' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'acumaticaApi', required: true, displayOptions: { show: { authentication: ['password'] } } },
			{ name: 'acumaticaOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Username & Password (Session or Password Grant)', value: 'password' },
					{ name: 'OAuth2 (Authorization Code)', value: 'oAuth2' },
				],
				default: 'password',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Record', value: 'record' }],
				default: 'record',
			},
			...record.description,
			requestOptionsDescription,
		],
	};

	methods = {
		listSearch: { searchEntities, searchActions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
