import nock from 'nock';

import type { Sandbox } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

describe('receiver', () => {
	let sandbox: Sandbox;
	let fetchIt: ReturnType<typeof caller>;
	beforeAll(async () => {
		sandbox = await startSandbox({ services: ['receiver'] });
		fetchIt = caller(sandbox);
	});
	afterAll(async () => await sandbox.stop());
	beforeEach(() => sandbox.services.receiver.reset());

	test.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('%s on any path: 200 {"received":true}, recorded', async (method) => {
		const body = method === 'GET' ? undefined : { n: 1 };
		const answer = await fetchIt(`${sandbox.services.receiver.url}/any/where?q=${method}`, { method, body });
		expect(answer.status).toBe(200);
		expect(answer.text).toBe('{"received":true}');
		expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(sandbox.services.receiver.requests()).toEqual([
			expect.objectContaining({ method, path: `/any/where?q=${method}`, rawBody: body ? '{"n":1}' : '', body: body ?? null, status: 200 }),
		]);
	});

	test('respond() changes the answer for later requests; reset() restores the default', async () => {
		const receiver = sandbox.services.receiver;
		receiver.respond({ status: 201, body: { id: 7 }, headers: { 'X-Id': '7' } });
		const created = await fetchIt(`${receiver.url}/x`, { method: 'POST', body: {} });
		expect(created).toMatchObject({ status: 201, json: { id: 7 } });
		expect(created.headers['x-id']).toBe('7');
		receiver.respond({ status: 200, body: '<Ack>true</Ack>', headers: { 'Content-Type': 'text/xml' } });
		const xml = await fetchIt(`${receiver.url}/x`, { method: 'POST', body: '<a/>' });
		expect(xml.text).toBe('<Ack>true</Ack>');
		expect(xml.headers['content-type']).toBe('text/xml');
		receiver.respond({ status: 204 });
		expect(await fetchIt(`${receiver.url}/x`)).toMatchObject({ status: 204, text: '' });
		expect(() => receiver.respond({ status: 99 })).toThrow('status must be an HTTP status (100-599)');
		receiver.reset();
		expect(await fetchIt(`${receiver.url}/x`)).toMatchObject({ status: 200, json: { received: true } });
	});

	test('POST /__sandbox/receiver/response sets the answer over HTTP; DELETE restores it', async () => {
		const { url } = sandbox.services.receiver;
		const set = await fetchIt(`${url}/__sandbox/receiver/response`, { method: 'POST', body: { status: 410, body: { gone: true } } });
		expect(set).toMatchObject({ status: 200, json: { status: 410, body: { gone: true }, headers: {} } });
		expect(await fetchIt(`${url}/hook`, { method: 'POST', body: {} })).toMatchObject({ status: 410, json: { gone: true } });
		expect((await fetchIt(`${url}/__sandbox/receiver/response`, { method: 'POST', body: { status: 'x' } })).status).toBe(400);
		expect((await fetchIt(`${url}/__sandbox/receiver/response`, { method: 'GET' })).status).toBe(405);
		await fetchIt(`${url}/__sandbox/receiver/response`, { method: 'DELETE' });
		expect(await fetchIt(`${url}/hook`)).toMatchObject({ status: 200, json: { received: true } });
		expect(sandbox.services.receiver.requests().map((entry) => entry.status)).toEqual([410, 200]);
	});
});

test('the receiver answer can be set by options', async () => {
	const sandbox = await startSandbox({ services: ['receiver'], options: { receiver: { status: 202, body: { ok: 1 } } } });
	try {
		expect(await caller(sandbox)(`${sandbox.services.receiver.url}/x`)).toMatchObject({ status: 202, json: { ok: 1 } });
	} finally {
		await sandbox.stop();
	}
});
