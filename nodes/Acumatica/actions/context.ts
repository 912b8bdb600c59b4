import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { numberOption, runItems } from '../../shared/items';
import type { DeliveryPolicy } from '../transport';
import { AcumaticaClient, DEFAULT_POLICY } from '../transport';

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: AcumaticaClient,
) => Promise<IDataObject | IDataObject[]>;

const DEFAULT_CONCURRENCY = 2;

export const requestOptionsDescription: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 2, // DEFAULT_CONCURRENCY (a literal, for lint)
			description:
				'How many requests may be in flight at once. All of them share one session or token. Small licences allow few concurrent API requests; raise this only if yours allows more.',
		},
		{
			displayName: 'Retries on Rate Limit (429)',
			name: 'rateLimitRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description: 'A 429 means Acumatica declined the request without processing it, so any request may be sent again. Waits follow Retry-After, or back off from 2 s.',
		},
		{
			displayName: 'Retries on Server or Network Errors',
			name: 'serverErrorRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 2,
			description: 'Only for requests that are safe to repeat (reads, deletes, updates of a known record). Creating a record or invoking an action is never repeated.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 60,
			description: 'How long to wait for Acumatica to answer one request',
		},
	],
};

function readPolicy(ctx: IExecuteFunctions): { policy: DeliveryPolicy; concurrency: number } {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	return {
		concurrency: numberOption(options, 'concurrency', DEFAULT_CONCURRENCY),
		policy: {
			...DEFAULT_POLICY,
			rateLimitRetries: numberOption(options, 'rateLimitRetries', DEFAULT_POLICY.rateLimitRetries),
			serverErrorRetries: numberOption(options, 'serverErrorRetries', DEFAULT_POLICY.serverErrorRetries),
			timeoutMs: numberOption(options, 'timeout', DEFAULT_POLICY.timeoutMs / 1000) * 1000,
		},
	};
}

/**
 * The shared per-item loop (nodes/shared/items.ts) over ONE Acumatica client (one session or token
 * for the whole execution); the cookie session is always logged out at the end, whether items failed
 * or the node throws.
 */
export async function runPerItem(this: IExecuteFunctions, operation: OperationExecute): Promise<INodeExecutionData[][]> {
	const { policy, concurrency } = readPolicy(this);
	const client = new AcumaticaClient(this, this.getNodeParameter('authentication', 0, 'password') as string, policy);
	try {
		return [await runItems(this, concurrency, async (itemIndex) => await operation.call(this, itemIndex, client))];
	} finally {
		await client.close();
	}
}
