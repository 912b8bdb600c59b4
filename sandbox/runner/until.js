'use strict';
// Polling, shared by the runner, the e2e suites and the bench.

/**
 * Calls `probe` every `everyMs` until it returns something other than undefined, and returns that;
 * throws "timed out waiting for <what>" once `timeoutMs` have passed.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined>} probe
 * @param {number} [timeoutMs]
 * @param {number} [everyMs]
 * @returns {Promise<T>}
 */
async function until(what, probe, timeoutMs = 60_000, everyMs = 250) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

module.exports = { until };
