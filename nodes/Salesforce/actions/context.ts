import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { KeyedQueue, numberOption, runItems } from '../../shared/items';
import type { RequestPolicy, SalesforceResponse, Session } from '../transport';
import { DEFAULT_POLICY, newSession } from '../transport';

/** What every operation gets besides the item index: the execution's session and output settings. */
export interface OperationContext extends Session {
	/** The `_salesforce` metadata for an output item (API usage from Sforce-Limit-Info), or {} when turned off. */
	meta: (response: SalesforceResponse | undefined) => IDataObject;
	/**
	 * Runs `task` only after every earlier task with the same key in this execution has finished.
	 * Upserts of one external ID value must not run side by side: Salesforce can then insert twice.
	 */
	exclusive: <T>(key: string, task: () => Promise<T>) => Promise<T>;
}

const DEFAULT_CONCURRENCY = 4;

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
) => Promise<IDataObject | IDataObject[]>;

export const requestOptionsDescription: INodeProperties = {
	displayName: 'Options',
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
			description: 'How many requests may be in flight at once. Every request counts against the org\'s daily API allocation.',
		},
		{
			displayName: 'Include API Usage',
			name: 'includeApiUsage',
			type: 'boolean',
			default: true,
			description:
				'Whether to add _salesforce.apiUsage {used, max} (from Salesforce\'s Sforce-Limit-Info header: API requests in the last 24 hours and the org\'s allocation) to every output item',
		},
		{
			displayName: 'Retries on Server or Network Errors',
			name: 'serverErrorRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 5 },
			default: 2,
			description:
				'Retries after a 5xx, a 429 or a lost connection, with exponential backoff, for requests that are safe to repeat (reads, updates, upserts by external ID). Creates and notes are never retried: they could be made twice.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 60,
			description: 'How long to wait for Salesforce to answer one request',
		},
	],
};

function readOptions(ctx: IExecuteFunctions): { policy: RequestPolicy; concurrency: number; includeApiUsage: boolean } {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	return {
		concurrency: numberOption(options, 'concurrency', DEFAULT_CONCURRENCY),
		includeApiUsage: options.includeApiUsage !== false,
		policy: {
			...DEFAULT_POLICY,
			serverErrorRetries: numberOption(options, 'serverErrorRetries', DEFAULT_POLICY.serverErrorRetries),
			timeoutMs: numberOption(options, 'timeout', DEFAULT_POLICY.timeoutMs / 1000) * 1000,
		},
	};
}

/** Every operation runs per item through the shared loop (nodes/shared/items.ts) on one Session. */
export async function runPerItem(this: IExecuteFunctions, operation: OperationExecute): Promise<INodeExecutionData[][]> {
	const { policy, concurrency, includeApiUsage } = readOptions(this);
	const queue = new KeyedQueue();
	const context: OperationContext = {
		...newSession(this, policy),
		meta: (response) => (includeApiUsage && response?.apiUsage ? { _salesforce: { apiUsage: response.apiUsage } } : {}),
		exclusive: async (key, task) => await queue.run(key, task),
	};
	return [await runItems(this, concurrency, async (itemIndex) => await operation.call(this, itemIndex, context))];
}
