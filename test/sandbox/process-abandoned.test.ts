import tls from 'node:tls';

import nock from 'nock';

import type { FaultSpec, Sandbox } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ services: ['omnisend'] });
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.services.omnisend.reset());

const omnisend = () => sandbox.services.omnisend;
const event = { eventName: 'x', origin: 'api', contact: { email: 'a@example.com' }, properties: {} };

/**
 * POSTs an event over a raw TLS socket (no HTTP client, so nock, loaded by other test files in this
 * worker, cannot get in between) and closes the connection after `timeoutMs` without an answer, as an
 * HTTP client's timeout does: resolves 'timeout' or the answered status.
 */
async function postGivingUp(timeoutMs: number): Promise<number | 'timeout'> {
	const target = new URL(`${omnisend().baseUrl}/events`);
	const body = JSON.stringify(event);
	return await new Promise((resolve) => {
		const socket = tls.connect({ host: target.hostname, port: Number(target.port), ca: sandbox.ca.pem }, () => {
			socket.write(
				`POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nX-API-KEY: ${omnisend().apiKey}\r\nContent-Type: application/json\r\n` +
					`Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
			);
			timer = setTimeout(() => {
				socket.destroy();
				resolve('timeout');
			}, timeoutMs);
		});
		let timer: NodeJS.Timeout | undefined;
		let answer = '';
		socket.on('data', (chunk: Buffer) => {
			answer += chunk.toString('utf8');
			const status = /^HTTP\/1\.1 (\d{3}) /.exec(answer);
			if (status) {
				clearTimeout(timer);
				socket.destroy();
				resolve(Number(status[1]));
			}
		});
		socket.on('error', () => undefined);
	});
}

/** Waits until the fault's wait has ended at the service (the request's recording says what happened). */
async function settled(): Promise<void> {
	const done = () => {
		const fault = omnisend().requests()[0]?.fault as { abandoned?: boolean; processed?: number } | undefined;
		return fault?.abandoned === true && fault.processed !== 0;
	};
	for (let i = 0; i < 500 && !done(); i++) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('processAbandoned', () => {
	test('without it, a request whose client gave up during the wait is recorded as abandoned and not handled', async () => {
		omnisend().fault({ latencyMs: 500, match: { path: '/v5/events' } });
		expect(await postGivingUp(50)).toBe('timeout');
		await settled();
		expect(omnisend().requests()[0].fault).toEqual({ rules: [expect.any(Number)], latencyMs: 500, abandoned: true });
		expect(omnisend().events()).toEqual([]);
	});

	test('with it, the abandoned request still takes effect (the answer is lost): the way real duplicates arise', async () => {
		omnisend().fault({ latencyMs: 500, processAbandoned: true, match: { path: '/v5/events' } } as FaultSpec);
		expect(await postGivingUp(50)).toBe('timeout');
		await settled();
		expect(omnisend().requests()[0].fault).toEqual({ rules: [expect.any(Number)], latencyMs: 500, abandoned: true, processed: 202 });
		expect(omnisend().events()).toEqual([expect.objectContaining(event)]);
	});

	test('a client that waits long enough gets the normal answer; nothing is marked abandoned', async () => {
		omnisend().fault({ latencyMs: 50, processAbandoned: true } as FaultSpec);
		expect(await postGivingUp(5000)).toBe(202);
		expect(omnisend().requests()[0].fault).toEqual({ rules: [expect.any(Number)], latencyMs: 50 });
		expect(omnisend().events()).toHaveLength(1);
	});

	test('it must be a boolean', async () => {
		const answer = await caller(sandbox)(`${omnisend().url}/__sandbox/faults`, { method: 'POST', body: { latencyMs: 5, processAbandoned: 'yes' } });
		expect(answer).toMatchObject({ status: 400, json: { error: 'Fault field "processAbandoned" must be true or false' } });
	});
});
