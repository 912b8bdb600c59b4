import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as campaign from './actions/campaign/Campaign.resource';
import { requestOptionsDescription } from './actions/context';
import * as record from './actions/record/Record.resource';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class Salesforce implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce (CRM Relay)',
		name: 'salesforce',
		icon: { light: 'file:salesforce.svg', dark: 'file:salesforce.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Update Campaigns, add notes, and create, upsert, get and find records of any Salesforce object',
		defaults: { name: 'Salesforce' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'salesforceClientCredentialsApi', required: true, displayOptions: { show: { authentication: ['clientCredentials'] } } },
			{ name: 'salesforceJwtBearerApi', required: true, displayOptions: { show: { authentication: ['jwtBearer'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Client Credentials (Connected App / External Client App)', value: 'clientCredentials' },
					{ name: 'JWT Bearer', value: 'jwtBearer' },
				],
				default: 'clientCredentials',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Record', value: 'record' },
				],
				default: 'campaign',
			},
			...campaign.description,
			...record.description,
			requestOptionsDescription,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
