'use strict';

/**
 * Local fakes of the services our nodes call, over HTTPS with a throwaway CA. See README.md.
 *
 *   const { startSandbox } = require('./sandbox');
 *   const sandbox = await startSandbox({ services: ['omnisend', 'receiver'] });
 *   // NODE_EXTRA_CA_CERTS=sandbox.ca.certPath for a Node process (n8n) that must trust it
 *   sandbox.services.omnisend.baseUrl   // https://127.0.0.1:<port>/v5
 *   await sandbox.stop();
 */

const fs = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');

const { createCa } = require('./lib/ca');
const { startService } = require('./lib/host');
const registry = require('./services');

/**
 * @typedef {object} StartOptions
 * @property {string[]} [services] which services to start (default ['omnisend', 'receiver'])
 * @property {string} [dir] folder for the CA files (created if missing, left in place on stop);
 *   default: a new temporary folder, removed on stop
 * @property {string} [host] address to listen on (default 127.0.0.1)
 * @property {Record<string, number>} [ports] port per service name (default 0 = a free port)
 * @property {Record<string, Record<string, any>>} [options] options per service name
 * @property {boolean} [http] serve plain http instead of https (the CA is still made)
 */

/**
 * @typedef {Awaited<ReturnType<typeof startService>>['handle'] & Record<string, any>} ServiceHandle
 */

/**
 * @typedef {object} Sandbox
 * @property {{ certPath: string, pem: string, dir: string }} ca
 * @property {Record<string, ServiceHandle>} services
 * @property {() => Promise<void>} stop closes every server and connection (idempotent)
 * @property {() => object} toJSON the URLs and CA path (what the CLI prints)
 */

/** @returns {string[]} names of the services that exist */
function serviceNames() {
	return Object.keys(registry);
}

/**
 * @param {StartOptions} [params]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(params = {}) {
	const { services = ['omnisend', 'receiver'], dir, host = '127.0.0.1', ports = {}, options = {}, http = false } = params;
	for (const name of services) {
		if (!Object.prototype.hasOwnProperty.call(registry, name)) {
			throw new Error(`Unknown sandbox service "${name}" (known: ${serviceNames().join(', ')})`);
		}
	}
	const ownDir = dir === undefined;
	const folder = ownDir ? await fs.mkdtemp(path.join(os.tmpdir(), 'crm-relay-sandbox-')) : path.resolve(dir);
	/** @type {Array<() => Promise<void>>} */
	const closers = [];
	const cleanup = async () => {
		await Promise.all(closers.map((close) => close()));
		if (ownDir) await fs.rm(folder, { recursive: true, force: true });
	};
	try {
		const ca = await createCa(folder);
		/** @type {Record<string, ServiceHandle>} */
		const started = {};
		for (const name of services) {
			const { handle, close } = await startService({
				definition: /** @type {any} */ (registry[name]),
				host,
				port: ports[name] ?? 0,
				tls: http ? null : { cert: ca.serverCert, key: ca.serverKey },
				options: options[name] ?? {},
			});
			closers.push(close);
			started[name] = handle;
		}
		/** @type {Promise<void> | undefined} */
		let stopped;
		return {
			ca: { certPath: ca.certPath, pem: ca.pem, dir: folder },
			services: started,
			stop: () => (stopped ??= cleanup()),
			toJSON: () => ({
				ca: ca.certPath,
				dir: folder,
				services: Object.fromEntries(
					Object.entries(started).map(([name, handle]) => [
						name,
						Object.fromEntries(Object.entries(handle).filter(([, value]) => typeof value !== 'function')),
					]),
				),
			}),
		};
	} catch (error) {
		await cleanup();
		throw error;
	}
}

module.exports = { startSandbox, serviceNames };
