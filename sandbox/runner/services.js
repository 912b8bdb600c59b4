'use strict';
// Redis and PostgreSQL from Debian's packages, on loopback, for n8n's queue mode. Each one is a
// private throwaway instance in a work folder, stopped with the suite.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { run } = require('./toolchain');

async function waitForPort(port, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const open = await new Promise((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.end();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs / 1000} s`);
}

/** `redis-server` on 127.0.0.1 without persistence. */
async function startRedis({ port, dir }) {
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile], {
		stdio: 'ignore',
		detached: true,
	});
	await waitForPort(port);
	return {
		port,
		logFile,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/**
 * A PostgreSQL cluster of its own (initdb with trust auth on loopback, database `n8n`). PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user Debian's package creates.
 */
async function startPostgres({ port, dir, binDir }) {
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const data = path.join(dir, 'data');
	const sockets = path.join(dir, 'sockets');
	fs.mkdirSync(sockets, { recursive: true });
	const as = (command, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
	if (asRoot) run('chown', ['-R', 'postgres:postgres', dir]);
	if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
		run(...as(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']));
	}
	const logFile = path.join(dir, 'postgres.log');
	const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
	run(...as(path.join(binDir, 'pg_ctl'), ['-D', data, '-l', logFile, '-o', options, '-w', 'start']));
	await waitForPort(port);
	const created = spawnSync(...as(path.join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n']), { encoding: 'utf8' });
	if (created.status !== 0 && !/already exists/.test(created.stderr)) throw new Error(`createdb failed: ${created.stderr}`);
	return {
		port,
		logFile,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		async stop() {
			spawnSync(...as(path.join(binDir, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']), { encoding: 'utf8' });
		},
	};
}

module.exports = { startRedis, startPostgres, waitForPort };
