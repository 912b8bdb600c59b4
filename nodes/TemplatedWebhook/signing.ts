import { createHmac } from 'node:crypto';

import { uuidV5 } from '../shared/uuid';

/** Defaults of the signing headers (the credential may rename them). */
export const DEFAULT_TIMESTAMP_HEADER = 'X-Webhook-Timestamp';
export const DEFAULT_SIGNATURE_HEADER = 'X-Webhook-Signature';
export const DEFAULT_DELIVERY_ID_HEADER = 'X-Delivery-Id';

/**
 * The signature a receiver recomputes: hex HMAC-SHA256, keyed with the signing secret, of the
 * UTF-8 bytes of `<timestamp>.<body>` (timestamp = Unix seconds as sent in the timestamp header,
 * body = the exact request body). Sent as `sha256=<hex>`.
 */
export function signatureFor(secret: string, timestamp: string, body: string): string {
	return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** JSON with object keys sorted, so equal data gives equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value as object)
			.sort()
			.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
			.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/**
 * The delivery id of an item: a UUID v5 of the workflow, the node and the item's content (or a
 * key the user chose). The same item gives the same id on every attempt and every Wait-loop
 * re-entry (the id also travels in the item), so receivers can drop duplicates.
 */
export function deliveryIdFor(workflowId: string, nodeName: string, content: unknown, key?: string): string {
	const basis = key !== undefined && key !== '' ? `key:${key}` : `content:${canonicalJson(content)}`;
	return uuidV5(`templated-webhook|${workflowId}|${nodeName}|${basis}`);
}
