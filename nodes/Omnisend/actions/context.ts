import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { numberOption, runItems } from '../../shared/items';
import type { DeliveryPolicy, Session } from '../transport';
import { DEFAULT_POLICY, newSession } from '../transport';

/** What every operation gets besides the item index: the execution's request session. */
export type OperationContext = Session;

const DEFAULT_CONCURRENCY = 4;

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
) => Promise<IDataObject | IDataObject[]>;

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
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 4, // DEFAULT_CONCURRENCY (a literal, for lint)
			description:
				'How many requests may be in flight at once. Omnisend allows 400 requests per minute per store (shared by all keys); on a 429 every request of this node waits as long as Omnisend asks.',
		},
		{
			displayName: 'Retries on Server or Network Errors',
			name: 'serverErrorRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description:
				'Retries after a 5xx answer, a timeout or a dropped connection, with exponential backoff. Omnisend does not deduplicate live events, so a retried event whose first attempt did arrive can trigger an automation twice.',
		},
		{
			displayName: 'Retries on Rate Limit (429)',
			name: 'rateLimitRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 50 },
			default: 8,
			description: 'Each retry waits for Retry-After (or X-Rate-Limit-Reset, or the body\'s retryAfter; 60 s without any)',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 30,
			description: 'How long to wait for Omnisend to answer one request',
		},
	],
};

function readPolicy(ctx: IExecuteFunctions): { policy: DeliveryPolicy; concurrency: number } {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	return {
		concurrency: numberOption(options, 'concurrency', DEFAULT_CONCURRENCY),
		policy: {
			...DEFAULT_POLICY,
			serverErrorRetries: numberOption(options, 'serverErrorRetries', DEFAULT_POLICY.serverErrorRetries),
			rateLimitRetries: numberOption(options, 'rateLimitRetries', DEFAULT_POLICY.rateLimitRetries),
			timeoutMs: numberOption(options, 'timeout', DEFAULT_POLICY.timeoutMs / 1000) * 1000,
		},
	};
}

/** Every operation runs per item through the shared loop (nodes/shared/items.ts) on one Session. */
export async function runPerItem(this: IExecuteFunctions, operation: OperationExecute): Promise<INodeExecutionData[][]> {
	const { policy, concurrency } = readPolicy(this);
	const context: OperationContext = newSession(this, policy);
	return [await runItems(this, concurrency, async (itemIndex) => await operation.call(this, itemIndex, context))];
}
