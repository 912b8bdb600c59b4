import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { fromAcumaticaRecord, toAcumaticaRecord, toActionParameters } from '../../helpers/record';
import type { AcumaticaClient } from '../../transport';
import { readEntity, readJsonObject, recordField } from './fields';

const OPERATION = ['invokeAction'];
const show = { resource: ['record'], operation: OPERATION };
const ACTION = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const description: INodeProperties[] = [
	{
		displayName: 'Action',
		name: 'action',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'Action of the entity as the endpoint names it, e.g. ReleaseSalesOrder',
		displayOptions: { show },
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchActions', searchable: true } },
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'ReleaseSalesOrder' },
		],
	},
	recordField(OPERATION, {
		displayName: 'Record to Act On (JSON)',
		default: '{\n  "id": ""\n}',
		description: 'The record the action works on: its id ({"id": "..."}) or its key fields ({"OrderType": "SO", "OrderNbr": "000123"}), plain values',
	}),
	{
		displayName: 'Parameters (JSON)',
		name: 'parameters',
		type: 'json',
		default: '{}',
		description: 'Action parameters as plain values, e.g. {"Reason": "Duplicate"}; wrapped as {"value": ...} for Acumatica',
		displayOptions: { show },
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: 'Whether to poll a long-running action (202 + Location) until Acumatica reports it finished',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'actionOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 60 },
				default: 2,
			},
			{
				displayName: 'Max Status Checks',
				name: 'maxPolls',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 60,
				description: 'After this many checks the item fails with the status URL; the action keeps running in Acumatica',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: AcumaticaClient): Promise<IDataObject> {
	const entity = readEntity.call(this, itemIndex);
	const action = String(this.getNodeParameter('action', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!ACTION.test(action)) {
		throw new NodeOperationError(this.getNode(), `Action "${action}" is not an action name (item ${itemIndex})`, {
			itemIndex,
			description: 'Pick the action from the list, or type its name as the endpoint lists it.',
		});
	}
	const target = readJsonObject.call(this, 'record', 'Record to Act On (JSON)', itemIndex);
	const parameters = readJsonObject.call(this, 'parameters', 'Parameters (JSON)', itemIndex);
	const wait = this.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const options = this.getNodeParameter('actionOptions', itemIndex, {}) as IDataObject;
	const pollMs = Math.max(0, Number(options.pollInterval ?? 2)) * 1000;
	const maxPolls = Math.max(1, Math.floor(Number(options.maxPolls ?? 60)) || 60);

	// An action may act twice if sent twice: never repeated after a 5xx or a lost answer.
	const started = await client.request(
		{
			method: 'POST',
			path: `/${entity}/${action}`,
			body: { entity: toAcumaticaRecord(target, 'entity'), parameters: toActionParameters(parameters) },
			idempotent: false,
		},
		itemIndex,
	);
	const result: IDataObject = { entity, action };
	const answer = (response: { body: unknown }) => {
		if (response.body && typeof response.body === 'object' && !Array.isArray(response.body)) {
			result.result = fromAcumaticaRecord(response.body);
		}
	};
	if (started.statusCode !== 202) {
		answer(started);
		return { ...result, status: 'completed' };
	}
	const location = started.headers.location;
	if (!location) {
		throw new NodeOperationError(this.getNode(), `Acumatica accepted ${entity}.${action} (202) without a status URL (item ${itemIndex})`, {
			itemIndex,
			description: 'The action runs in Acumatica, but its end cannot be checked. Look at the record in Acumatica.',
		});
	}
	if (!wait) return { ...result, status: 'running', statusUrl: location };
	for (let checks = 1; checks <= maxPolls; checks++) {
		if (pollMs > 0) await sleep(pollMs);
		const status = await client.request(
			{ method: 'GET', path: location, fromRoot: true, idempotent: true, acceptStatuses: [202] },
			itemIndex,
		);
		if (status.statusCode !== 202) {
			answer(status);
			return { ...result, status: 'completed', checks };
		}
	}
	throw new NodeOperationError(
		this.getNode(),
		`${entity}.${action} was still running after ${maxPolls} status checks (item ${itemIndex})`,
		{
			itemIndex,
			description: `It keeps running in Acumatica; its status is at ${location}. Raise Max Status Checks or the Poll Interval to wait longer.`,
		},
	);
}
