#!/usr/bin/env node
'use strict';

/**
 * node sandbox/cli.js [--services omnisend,receiver] [--dir DIR] [--host 127.0.0.1]
 *                     [--port NAME=PORT ...] [--options JSON] [--http]
 *
 * Starts the sandbox, prints one JSON line {ca, dir, services: {name: {url, port, ...}}} on stdout,
 * and stays up until SIGINT/SIGTERM, then stops every server (and removes the temporary CA folder)
 * and exits 0. Errors go to stderr with exit code 1.
 */

const { startSandbox, serviceNames } = require('./index');

const USAGE =
	'Usage: node sandbox/cli.js [--services a,b] [--dir DIR] [--host HOST] [--port NAME=PORT]... [--options JSON] [--http]\n' +
	`Services: ${serviceNames().join(', ')}`;

/** @param {string[]} argv */
function parse(argv) {
	/** @type {import('./index').StartOptions} */
	const options = { ports: {} };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--port=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => {
			if (inline !== undefined) return inline;
			const next = argv[++i];
			if (next === undefined) throw new Error(`${flag} needs a value`);
			return next;
		};
		if (flag === '--services') options.services = value().split(',').map((name) => name.trim()).filter(Boolean);
		else if (flag === '--dir') options.dir = value();
		else if (flag === '--host') options.host = value();
		else if (flag === '--http') options.http = true;
		else if (flag === '--options') options.options = JSON.parse(value());
		else if (flag === '--port' || flag.startsWith('--port=')) {
			const spec = flag.startsWith('--port=') ? flag.slice('--port='.length) : value();
			const [name, port] = spec.split('=');
			if (!name || !/^\d+$/.test(port ?? '')) throw new Error(`--port wants NAME=PORT, got "${spec}"`);
			/** @type {Record<string, number>} */ (options.ports)[name] = Number(port);
		} else if (flag === '--help' || flag === '-h') {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		} else throw new Error(`Unknown argument "${arg}"`);
	}
	return options;
}

async function main() {
	let options;
	try {
		options = parse(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${/** @type {Error} */ (error).message}\n${USAGE}\n`);
		process.exit(2);
	}
	const sandbox = await startSandbox(options);
	let stopping = false;
	const stop = (/** @type {string} */ signal) => {
		if (stopping) return;
		stopping = true;
		sandbox.stop().then(
			() => {
				process.stderr.write(`sandbox stopped (${signal})\n`);
				process.exit(0);
			},
			(error) => {
				process.stderr.write(`sandbox stop failed: ${error?.stack ?? error}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.stdout.write(`${JSON.stringify(sandbox.toJSON())}\n`);
}

main().catch((error) => {
	process.stderr.write(`sandbox failed to start: ${error?.message ?? error}\n`);
	process.exit(1);
});
