import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import tls from 'node:tls';

import nock from 'nock';

import type { Sandbox } from './sandbox-api';
import { call, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

/** A bare TLS handshake (no HTTP client, so no nock wrapper): resolves when the server is trusted. */
async function handshake(port: number, ca?: string) {
	const socket = tls.connect({ host: '127.0.0.1', port, ca });
	try {
		await new Promise((resolve, reject) => {
			socket.once('secureConnect', resolve);
			socket.once('error', reject);
		});
	} finally {
		socket.destroy();
	}
}

describe('throwaway CA and HTTPS', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ services: ['receiver'] });
	});
	afterAll(async () => await sandbox.stop());

	test('the CA is a self-signed CA certificate; the server certificate is signed by it for 127.0.0.1 and localhost', () => {
		const ca = new X509Certificate(sandbox.ca.pem);
		expect(readFileSync(sandbox.ca.certPath, 'utf8')).toBe(sandbox.ca.pem);
		expect(ca.ca).toBe(true);
		expect(ca.verify(ca.publicKey)).toBe(true);

		const server = new X509Certificate(readFileSync(path.join(sandbox.ca.dir, 'server.crt')));
		expect(server.ca).toBe(false);
		expect(server.checkIssued(ca)).toBe(true);
		expect(server.verify(ca.publicKey)).toBe(true);
		expect(server.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
		expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
		expect(server.checkHost('localhost')).toBe('localhost');
	});

	test('a client trusting the CA gets an answer over https, at 127.0.0.1 and at localhost', async () => {
		const { url, port } = sandbox.services.receiver;
		expect(url).toBe(`https://127.0.0.1:${port}`);
		const viaIp = await call(`${url}/__sandbox/health`, { ca: sandbox.ca.pem });
		expect(viaIp.status).toBe(200);
		expect(viaIp.json).toEqual({ ok: true, service: 'receiver' });
		const viaName = await call(`https://localhost:${port}/__sandbox/health`, { ca: sandbox.ca.pem });
		expect(viaName.status).toBe(200);
	});

	test("a client trusting only Node's own roots refuses the server's certificate", async () => {
		await expect(handshake(sandbox.services.receiver.port)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
		await expect(handshake(sandbox.services.receiver.port, sandbox.ca.pem)).resolves.toBeUndefined();
		expect(sandbox.services.receiver.requests()).toEqual([]);
	});

	test('a fresh Node process started with NODE_EXTRA_CA_CERTS=<certPath> (how n8n is started) trusts it; without, it refuses', async () => {
		const script = `fetch(process.argv[1]).then((r) => console.log(r.status), (e) => console.log(e.cause?.code ?? e.message))`;
		const probe = async (env: NodeJS.ProcessEnv) =>
			await new Promise<string>((resolve, reject) => {
				execFile(process.execPath, ['-e', script, `${sandbox.services.receiver.url}/__sandbox/health`], { env }, (error, stdout) =>
					error ? reject(error) : resolve(stdout.trim()),
				);
			});
		const { NODE_EXTRA_CA_CERTS: _ignored, ...env } = process.env;
		expect(await probe({ ...env, NODE_EXTRA_CA_CERTS: sandbox.ca.certPath })).toBe('200');
		expect(await probe(env)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
	});

	test('a client trusting another sandbox CA is refused too (every start makes a new CA)', async () => {
		const other = await startSandbox({ services: ['receiver'] });
		try {
			expect(other.ca.pem).not.toBe(sandbox.ca.pem);
			await expect(handshake(sandbox.services.receiver.port, other.ca.pem)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
		} finally {
			await other.stop();
		}
	});
});

describe('CA folder', () => {
	test('without dir the CA lives in a new temporary folder that stop() removes', async () => {
		const sandbox = await startSandbox({ services: ['receiver'] });
		const { dir, certPath } = sandbox.ca;
		expect(dir.startsWith(os.tmpdir())).toBe(true);
		expect(existsSync(certPath)).toBe(true);
		await sandbox.stop();
		expect(existsSync(dir)).toBe(false);
	});

	test('with dir the files are written there (folder created) and left in place on stop', async () => {
		const parent = mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-'));
		try {
			const dir = path.join(parent, 'nested', 'ca');
			const sandbox = await startSandbox({ services: ['receiver'], dir });
			expect(sandbox.ca.dir).toBe(dir);
			expect(sandbox.ca.certPath).toBe(path.join(dir, 'ca.crt'));
			await sandbox.stop();
			expect(readFileSync(path.join(dir, 'ca.crt'), 'utf8')).toBe(sandbox.ca.pem);
			expect(existsSync(path.join(dir, 'server.key'))).toBe(true);
		} finally {
			rmSync(parent, { recursive: true, force: true });
		}
	});
});

describe('http: true', () => {
	test('serves plain http on loopback (the CA is still made)', async () => {
		const sandbox = await startSandbox({ services: ['receiver', 'omnisend'], http: true });
		try {
			const { url, port, protocol } = sandbox.services.receiver;
			expect(protocol).toBe('http');
			expect(url).toBe(`http://127.0.0.1:${port}`);
			expect(sandbox.services.omnisend.baseUrl).toBe(`http://127.0.0.1:${sandbox.services.omnisend.port}/v5`);
			const answer = await call(`${url}/hook`, { method: 'POST', body: { a: 1 } });
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual({ received: true });
			expect(existsSync(sandbox.ca.certPath)).toBe(true);
		} finally {
			await sandbox.stop();
		}
	});
});
