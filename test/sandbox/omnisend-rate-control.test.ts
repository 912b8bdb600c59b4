/**
 * The fake Omnisend's rate-limit control (used by bench/run.js): a new limit with an empty window,
 * by JS and over the control API, and 0 for off.
 */
import nock from 'nock';

import type { OmnisendHandle, Sandbox } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

const KEY = 'test-omnisend-key';
const EVENT = { eventName: 'x', origin: 'api', contact: { email: 'a@b.co' } };

let sandbox: Sandbox;
let omnisend: OmnisendHandle & { rateLimit(perMinute: number): { ratePerMinute: number } };
let fetchIt: ReturnType<typeof caller>;

const send = async () => (await fetchIt(`${omnisend.baseUrl}/events`, { method: 'POST', body: EVENT, headers: { 'X-API-KEY': KEY } })).status;

beforeAll(async () => {
	sandbox = await startSandbox({ services: ['omnisend'], options: { omnisend: { apiKey: KEY, ratePerMinute: 0 } } });
	omnisend = sandbox.services.omnisend as typeof omnisend;
	fetchIt = caller(sandbox);
});
afterAll(async () => await sandbox.stop());

test('rateLimit(n) limits from an empty window; the control API sets it too; 0 turns it off', async () => {
	expect([await send(), await send(), await send()]).toEqual([202, 202, 202]);
	expect(omnisend.rateLimit(2)).toEqual({ ratePerMinute: 2 });
	// The three earlier requests do not count: the window starts empty.
	expect([await send(), await send(), await send()]).toEqual([202, 202, 429]);
	const limited = omnisend.requests().at(-1)!;
	expect(limited.status).toBe(429);
	expect(limited.path).toBe('/v5/events');

	const reset = await fetchIt(`${omnisend.url}/__sandbox/omnisend/rate-limit`, { method: 'POST', body: { ratePerMinute: 1 } });
	expect(reset.status).toBe(200);
	expect(reset.json).toEqual({ ratePerMinute: 1 });
	expect([await send(), await send()]).toEqual([202, 429]);

	const off = await fetchIt(`${omnisend.url}/__sandbox/omnisend/rate-limit`, { method: 'POST', body: { ratePerMinute: 0 } });
	expect(off.json).toEqual({ ratePerMinute: 0 });
	expect([await send(), await send(), await send()]).toEqual([202, 202, 202]);
	expect(omnisend.events()).toHaveLength(3 + 2 + 1 + 3);
});

test('a limit that is not a whole number >= 0 is refused and changes nothing', async () => {
	omnisend.rateLimit(0);
	const bad = await fetchIt(`${omnisend.url}/__sandbox/omnisend/rate-limit`, { method: 'POST', body: { ratePerMinute: -1 } });
	expect(bad.status).toBe(400);
	expect(bad.json).toEqual({ error: 'ratePerMinute must be a whole number >= 0 (0 = off)' });
	expect(() => omnisend.rateLimit(1.5)).toThrow('ratePerMinute must be a whole number >= 0');
	expect([await send(), await send()]).toEqual([202, 202]);
});
