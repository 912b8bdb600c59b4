import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../helpers/input';
import { salesforceRequest } from '../../transport';
import { campaignLocator, fieldsProperties, readCampaignId, readFields } from '../common';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	campaignLocator,
	{
		displayName: 'Status Name or ID',
		name: 'status',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCampaignStatuses' },
		default: 'Completed',
		description:
			'The Campaign Status picklist value, loaded from your org (defaults: Planned, In Progress, Completed, Aborted; a value like Paused must exist in the picklist). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...fieldsProperties('Other Fields'),
];

export const description = updateDisplayOptions({ show: { resource: ['campaign'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const id = readCampaignId(this, itemIndex);
	const status = String(this.getNodeParameter('status', itemIndex, '') ?? '').trim();
	const fields = readFields(this, itemIndex, 'Other Fields');
	if ('Status' in fields && status !== '' && fields.Status !== status) {
		throw new InputError('Other Fields › Status', `Status is set twice ("${status}" and "${String(fields.Status)}")`, 'Set the status only in the Status parameter.');
	}
	const body: IDataObject = status === '' ? { ...fields } : { ...fields, Status: status };
	if (Object.keys(body).length === 0) {
		throw new InputError('Status', 'Nothing to update', 'Choose a Status or add fields under Other Fields.');
	}
	// PATCH with fixed values is idempotent: safe to retry after a 5xx.
	const response = await salesforceRequest.call(
		this,
		{ method: 'PATCH', path: `/sobjects/Campaign/${id}`, body, idempotent: true },
		itemIndex,
		context,
	);
	return { id, success: true, updated: body, ...context.meta(response) };
}
