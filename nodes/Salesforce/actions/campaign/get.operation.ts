import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiName } from '../../helpers/input';
import { answerObject, salesforceRequest } from '../../transport';
import { campaignLocator, readCampaignId } from '../common';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	campaignLocator,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'string',
		default: '',
		placeholder: 'e.g. Name, Status, StartDate, EndDate',
		description: 'Comma-separated field API names to return; empty returns all fields',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['campaign'], operation: ['get'] } }, properties);

/** `Name, Status` → `Name,Status`, each an API name (relationship paths like Owner.Name allowed). */
export function fieldList(value: unknown, label: string): string {
	return String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean)
		.map((name) => name.split('.').map((part) => apiName(part, label)).join('.'))
		.join(',');
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const id = readCampaignId(this, itemIndex);
	const fields = fieldList(this.getNodeParameter('fields', itemIndex, ''), 'Fields');
	const response = await salesforceRequest.call(
		this,
		{ method: 'GET', path: `/sobjects/Campaign/${id}`, qs: fields ? { fields } : undefined, idempotent: true },
		itemIndex,
		context,
	);
	return { ...answerObject(response), ...context.meta(response) };
}
