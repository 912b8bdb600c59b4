import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/concurrency';
import { InvalidFieldError } from '../helpers/identity';
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
	const number = (key: string, fallback: number) =>
		typeof options[key] === 'number' && Number.isFinite(options[key]) ? (options[key] as number) : fallback;
	return {
		concurrency: number('concurrency', DEFAULT_CONCURRENCY),
		policy: {
			...DEFAULT_POLICY,
			serverErrorRetries: number('serverErrorRetries', DEFAULT_POLICY.serverErrorRetries),
			rateLimitRetries: number('rateLimitRetries', DEFAULT_POLICY.rateLimitRetries),
			timeoutMs: number('timeout', DEFAULT_POLICY.timeoutMs / 1000) * 1000,
		},
	};
}

/** Errors that name the item; our InvalidFieldError becomes a NodeOperationError with its hint. */
function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof InvalidFieldError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} (item ${itemIndex})`, {
			itemIndex,
			description: error.hint ?? `Fix "${error.field}" for item ${itemIndex}; nothing was sent for it.`,
		});
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * The per-item loop of every operation: bounded concurrency, output in input order, `pairedItem`
 * on every item, and `continueOnFail` turning an item's error into an output item (never a loss).
 */
export async function runPerItem(this: IExecuteFunctions, operation: OperationExecute): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const { policy, concurrency } = readPolicy(this);
	const context: OperationContext = newSession(this, policy);

	const perItem = await mapWithConcurrency(items, concurrency, async (_item, itemIndex) => {
		try {
			const result = await operation.call(this, itemIndex, context);
			const rows = Array.isArray(result) ? result : [result];
			return rows.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (caught) {
			const error = toNodeError(this, caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			// Only `error` and `details` in json: that is what n8n routes to the error output under
			// "Continue (using error output)" (merged there with the input item), and it keeps
			// the description and HTTP code readable downstream ($json.details.description).
			const { description, httpCode } = error as NodeApiError;
			const details: IDataObject = {};
			if (description) details.description = description;
			if (httpCode) details.httpCode = httpCode;
			return [{ json: { error: error.message, details }, pairedItem: { item: itemIndex } }];
		}
	});
	return [perItem.flat()];
}
