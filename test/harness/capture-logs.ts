import { Logger } from '@n8n/backend-common';

import { reachableText } from './reachable-text';

type LogFn = (...args: unknown[]) => void;

/**
 * Keeps n8n's log lines and console output from being printed: every level (and every scoped child
 * logger) writes through Logger#log, which is replaced, as are console's methods. With `into`, each
 * call is kept there as one line of every string reachable from its arguments (what the secret scans
 * search). Returns the Logger#log spy; `jest.restoreAllMocks()` undoes it.
 */
export function captureLogs(into?: string[]): jest.SpyInstance {
	const record: LogFn = into ? (...args) => void into.push(args.map((arg) => reachableText(arg)).join(' ')) : () => undefined;
	const spy = jest.spyOn(Logger.prototype as unknown as { log: LogFn }, 'log').mockImplementation(record);
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) jest.spyOn(console, method).mockImplementation(record);
	return spy;
}
