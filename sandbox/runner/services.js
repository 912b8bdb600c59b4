'use strict';
// Redis and PostgreSQL from Debian's packages, on loopback, for n8n's queue mode. Each one is a
// private throwaway instance in a work folder, stopped with the suite.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
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
	const gone = () => child.exitCode !== null || child.signalCode !== null;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.once('error', () => {}); // no redis-server: waitForPort fails and says so
	const redis = {
		port,
		pid: child.pid,
		logFile,
		async stop() {
			if (gone() || child.pid === undefined) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		},
	};
	try {
		await waitForPort(port);
	} catch (error) {
		await redis.stop();
		error.message += ` (redis-server; log: ${logFile})`;
		throw error;
	}
	return redis;
}

/**
 * A PostgreSQL cluster of its own (initdb with trust auth on loopback, database `n8n`). PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user Debian's package creates; that user
 * may not reach `dir` (a clone under /root, mode 0700), so the cluster then lives in a fresh folder
 * under the system's temp dir, removed on stop (its log is copied to `dir`).
 */
async function startPostgres({ port, dir, binDir }) {
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	fs.mkdirSync(dir, { recursive: true });
	const home = asRoot ? fs.mkdtempSync(path.join(os.tmpdir(), 'crm-relay-postgres-')) : dir;
	const data = path.join(home, 'data');
	const sockets = path.join(home, 'sockets');
	const logFile = path.join(home, 'postgres.log');
	fs.mkdirSync(sockets, { recursive: true });
	const as = (command, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
	const pgCtl = (args) => spawnSync(...as(path.join(binDir, 'pg_ctl'), ['-D', data, ...args]), { encoding: 'utf8' });
	let started = false;
	const cleanup = () => {
		if (!asRoot) return;
		try {
			if (fs.existsSync(logFile)) fs.copyFileSync(logFile, path.join(dir, 'postgres.log'));
		} catch {
			/* the log is a nicety */
		}
		fs.rmSync(home, { recursive: true, force: true });
	};
	const postgres = {
		port,
		logFile: asRoot ? path.join(dir, 'postgres.log') : logFile,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		async stop() {
			if (started) pgCtl(['-m', 'fast', '-w', 'stop']);
			started = false;
			cleanup();
		},
		/** Commands that stop this server at once and remove its temp folder (for the reaper). */
		reapCommands: [as(path.join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), ...(asRoot ? [['rm', ['-rf', home]]] : [])],
	};
	try {
		if (asRoot) run('chown', ['-R', 'postgres:postgres', home]);
		if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
			run(...as(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']));
		}
		const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
		started = true; // from here a half-started server is stopped on failure
		run(...as(path.join(binDir, 'pg_ctl'), ['-D', data, '-l', logFile, '-o', options, '-w', 'start']));
		await waitForPort(port);
		const created = spawnSync(...as(path.join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n']), { encoding: 'utf8' });
		if (created.status !== 0 && !/already exists/.test(created.stderr)) throw new Error(`createdb failed: ${created.stderr}`);
	} catch (error) {
		await postgres.stop();
		error.message += ` (PostgreSQL; log: ${postgres.logFile})`;
		throw error;
	}
	return postgres;
}

module.exports = { startRedis, startPostgres, waitForPort };
