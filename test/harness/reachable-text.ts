/**
 * Every string reachable from `root` (keys, values, Buffers, Map and Set entries, and
 * non-enumerable properties such as `stack` and `cause`), joined: what the secret scans search.
 */
export function reachableText(root: unknown): string {
	const out: string[] = [];
	const seen = new WeakSet<object>();
	const pending: unknown[] = [root];
	while (pending.length > 0) {
		const value = pending.pop();
		if (typeof value === 'string') {
			out.push(value);
			continue;
		}
		if (value === null || typeof value !== 'object' || seen.has(value)) continue;
		seen.add(value);
		if (Buffer.isBuffer(value)) {
			out.push(value.toString('utf8'));
			continue;
		}
		if (value instanceof Map) for (const [key, entry] of value) pending.push(key, entry);
		if (value instanceof Set) for (const entry of value) pending.push(entry);
		for (const key of Reflect.ownKeys(value)) {
			out.push(String(key));
			try {
				pending.push((value as Record<PropertyKey, unknown>)[key]);
			} catch {
				// a getter that throws holds nothing to leak
			}
		}
	}
	return out.join('\n');
}
