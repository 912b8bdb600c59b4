import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { mapWithConcurrency } from './concurrency';

/** Bad input in one field of one item; becomes a NodeOperationError that names the item and the field. */
export class ItemFieldError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint?: string,
	) {
		super(message);
	}
}

/** An item's failure as n8n shows it: service errors keep their text, bad input names item and field. */
export function toItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof ItemFieldError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} (item ${itemIndex})`, {
			itemIndex,
			description: error.hint ?? `Fix "${error.field}" for item ${itemIndex}; nothing was sent for it.`,
		});
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** A whole number from the node's Request Options collection, or `fallback` when unset. */
export function numberOption(options: IDataObject, key: string, fallback: number): number {
	const value = options[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * The per-item loop of the action nodes: at most `concurrency` items in flight, output in input
 * order, `pairedItem` on every item, and under continueOnFail an item's error becomes an output item
 * (never a loss). Its json holds only `error` and `details`: that is what n8n routes to the error
 * output under "Continue (using error output)", and the description and HTTP code stay readable
 * downstream ($json.details.description).
 */
export async function runItems(
	ctx: IExecuteFunctions,
	concurrency: number,
	run: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const perItem = await mapWithConcurrency(ctx.getInputData(), concurrency, async (_item, itemIndex) => {
		try {
			const result = await run(itemIndex);
			return (Array.isArray(result) ? result : [result]).map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (caught) {
			const error = toItemError(ctx, caught, itemIndex);
			if (!ctx.continueOnFail()) throw error;
			const { description, httpCode } = error as NodeApiError;
			const details: IDataObject = {};
			if (description) details.description = description;
			if (httpCode) details.httpCode = httpCode;
			return [{ json: { error: error.message, details }, pairedItem: { item: itemIndex } }];
		}
	});
	return perItem.flat();
}

/**
 * Runs work one after another per key (and in parallel across keys): items of one execution that
 * search and then write the same record must not both find nothing and both create it.
 */
export class KeyedQueue {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const result = (this.tails.get(key) ?? Promise.resolve()).then(work, work);
		const settled = result.then(
			() => undefined,
			() => undefined,
		);
		this.tails.set(key, settled);
		try {
			return await result;
		} finally {
			// Forget the key once nothing newer is queued behind this run.
			if (this.tails.get(key) === settled) this.tails.delete(key);
		}
	}
}
