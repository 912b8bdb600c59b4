import { createHash } from 'node:crypto';

/** Our namespace for name-based UUIDs (a fixed random UUID; never change it: ids would change). */
export const CRM_RELAY_NAMESPACE = '5b0f7d8e-3f7a-4d52-9a8e-6c1f2b9d4e17';

/** RFC 9562 UUID version 5 (SHA-1, name-based): the same name always gives the same UUID. */
export function uuidV5(name: string, namespace = CRM_RELAY_NAMESPACE): string {
	const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
	const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
	const bytes = hash.subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x50;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
