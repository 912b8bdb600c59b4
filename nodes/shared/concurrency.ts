/**
 * Runs `work` over `inputs` with at most `limit` in flight, results in input order. After the
 * first rejection no new work starts; the in-flight ones finish and the first error is thrown.
 */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	limit: number,
	work: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results: R[] = new Array(inputs.length);
	let next = 0;
	let failure: { error: unknown } | undefined;

	async function worker() {
		while (failure === undefined && next < inputs.length) {
			const index = next++;
			try {
				results[index] = await work(inputs[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	}

	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, inputs.length));
	await Promise.all(Array.from({ length: workers }, async () => await worker()));
	if (failure) throw failure.error;
	return results;
}
