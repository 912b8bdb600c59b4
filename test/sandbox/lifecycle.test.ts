import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

import nock from 'nock';

import { call, expectFailure, serviceNames, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

/** Counts of the kinds of handles that keep a process alive. */
function liveHandles() {
	const counts: Record<string, number> = {};
	for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
	return { servers: counts.TCPServerWrap ?? 0, sockets: (counts.TCPSocketWrap ?? 0) + (counts.TLSWrap ?? 0) };
}

const free = async () => {
	const server = net.createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
};

describe('start and stop', () => {
	test('the registry knows omnisend and receiver; both start by default on distinct free ports', async () => {
		expect(serviceNames()).toEqual(expect.arrayContaining(['omnisend', 'receiver']));
		const sandbox = await startSandbox();
		try {
			expect(Object.keys(sandbox.services)).toEqual(['omnisend', 'receiver']);
			expect(sandbox.services.omnisend.port).not.toBe(sandbox.services.receiver.port);
			expect(sandbox.toJSON()).toEqual({
				ca: sandbox.ca.certPath,
				dir: sandbox.ca.dir,
				services: {
					omnisend: { name: 'omnisend', url: sandbox.services.omnisend.url, port: sandbox.services.omnisend.port, host: '127.0.0.1', protocol: 'https', baseUrl: sandbox.services.omnisend.baseUrl, apiKey: 'sandbox-omnisend-key' },
					receiver: { name: 'receiver', url: sandbox.services.receiver.url, port: sandbox.services.receiver.port, host: '127.0.0.1', protocol: 'https' },
				},
			});
		} finally {
			await sandbox.stop();
		}
	});

	test('ports can be chosen; an unknown service is refused before anything starts', async () => {
		const port = await free();
		const sandbox = await startSandbox({ services: ['receiver'], ports: { receiver: port } });
		try {
			expect(sandbox.services.receiver.url).toBe(`https://127.0.0.1:${port}`);
			expect((await call(`${sandbox.services.receiver.url}/__sandbox/health`, { ca: sandbox.ca.pem })).status).toBe(200);
		} finally {
			await sandbox.stop();
		}
		await expect(startSandbox({ services: ['nope'] })).rejects.toThrow('Unknown sandbox service "nope" (known: ');
	});

	test('a port in use fails the start and stops what had started', async () => {
		const first = await startSandbox({ services: ['receiver'] });
		const before = liveHandles();
		try {
			await expect(startSandbox({ services: ['omnisend', 'receiver'], ports: { receiver: first.services.receiver.port } })).rejects.toMatchObject({ code: 'EADDRINUSE' });
			expect(liveHandles().servers).toBe(before.servers);
		} finally {
			await first.stop();
		}
	});

	test('stop() closes servers, keep-alive connections and requests held by latency; nothing stays open; stop() twice is fine', async () => {
		const before = liveHandles();
		const sandbox = await startSandbox();
		const { receiver, omnisend } = sandbox.services;
		receiver.fault({ latencyMs: 60_000, match: { path: '/slow' } });

		// Raw TLS clients (nock, loaded by the harness, wraps http clients, not tls): an idle
		// keep-alive connection after one answered request, and a request held by a 60 s latency fault.
		const open = async (port: number, request: string) => {
			const socket = tls.connect({ host: '127.0.0.1', port, ca: sandbox.ca.pem });
			const closed = once(socket, 'close');
			let received = '';
			socket.on('error', () => undefined);
			socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
			await once(socket, 'secureConnect');
			socket.write(request);
			return { closed, received: () => received };
		};
		const idle = await open(omnisend.port, 'GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
		const slow = await open(receiver.port, 'GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(receiver.requests().map((entry) => entry.path)).toEqual(['/slow']);
		expect(liveHandles().servers).toBe(before.servers + 2);

		await sandbox.stop();
		await sandbox.stop();
		await Promise.all([idle.closed, slow.closed]);
		expect(idle.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
		expect(slow.received()).toBe('');
		await new Promise((resolve) => setImmediate(resolve));
		const after = liveHandles();
		expect(after.servers).toBe(before.servers);
		expect(after.sockets).toBe(before.sockets);
		await expectFailure(call(`${receiver.url}/__sandbox/health`, { ca: sandbox.ca.pem }), 'ECONNREFUSED');
	});
});
