import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import nock from 'nock';

import { call, expectFailure } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

const CLI = path.resolve(__dirname, '../../sandbox/cli.js');

function start(args: string[]) {
	const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
	const firstLine = new Promise<string>((resolve, reject) => {
		child.stdout.on('data', () => {
			if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
		});
		void exited.then(([code]) => reject(new Error(`cli exited with ${code} before printing: ${stderr}`)));
	});
	firstLine.catch(() => undefined); // only awaited by tests that expect a start
	return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

describe('sandbox/cli.js', () => {
	test('prints the URLs and CA path as one JSON line, serves them, and stops cleanly on SIGTERM', async () => {
		const cli = start(['--services', 'omnisend,receiver', '--options', '{"omnisend":{"apiKey":"cli-key"}}']);
		const printed = JSON.parse(await cli.firstLine) as {
			ca: string;
			dir: string;
			services: { omnisend: { url: string; baseUrl: string; apiKey: string }; receiver: { url: string } };
		};
		expect(Object.keys(printed.services)).toEqual(['omnisend', 'receiver']);
		expect(printed.services.omnisend.baseUrl).toBe(`${printed.services.omnisend.url}/v5`);
		expect(printed.services.omnisend.apiKey).toBe('cli-key');
		const ca = readFileSync(printed.ca, 'utf8');
		expect((await call(`${printed.services.receiver.url}/__sandbox/health`, { ca })).status).toBe(200);
		const events = await call(`${printed.services.omnisend.baseUrl}/events`, {
			ca,
			method: 'POST',
			headers: { 'X-API-KEY': 'cli-key' },
			body: { eventName: 'x', origin: 'api', contact: { email: 'a@b.co' } },
		});
		expect(events.status).toBe(202);

		cli.child.kill('SIGTERM');
		const [code, signal] = await cli.exited;
		expect({ code, signal }).toEqual({ code: 0, signal: null });
		expect(cli.output().stderr).toContain('sandbox stopped (SIGTERM)');
		expect(existsSync(printed.dir)).toBe(false);
		await expectFailure(call(`${printed.services.receiver.url}/__sandbox/health`, { ca }), 'ECONNREFUSED');
	});

	test('SIGINT stops it too; --http serves plain http', async () => {
		const cli = start(['--services=receiver', '--http']);
		const printed = JSON.parse(await cli.firstLine) as { services: { receiver: { url: string } } };
		expect(printed.services.receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect((await call(`${printed.services.receiver.url}/x`)).json).toEqual({ received: true });
		cli.child.kill('SIGINT');
		const [code] = await cli.exited;
		expect(code).toBe(0);
	});

	test('an unknown argument exits 2 with the usage; an unknown service exits 1', async () => {
		const bad = start(['--nope']);
		expect((await bad.exited)[0]).toBe(2);
		expect(bad.output().stderr).toContain('Unknown argument "--nope"');
		expect(bad.output().stderr).toContain('Usage: node sandbox/cli.js');
		const unknown = start(['--services', 'salesforce-x']);
		expect((await unknown.exited)[0]).toBe(1);
		expect(unknown.output().stderr).toContain('Unknown sandbox service "salesforce-x"');
	});
});
