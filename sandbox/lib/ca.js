'use strict';

/**
 * A throwaway certificate authority, made fresh at every start with the openssl CLI
 * (node:crypto makes keys but cannot sign X.509 certificates): an EC P-256 CA certificate and a
 * server certificate for 127.0.0.1 and localhost signed by it, both valid for two days.
 */

const { execFile } = require('node:child_process');
const fs = require('node:fs/promises');
const path = require('node:path');

/**
 * @typedef {object} SandboxCa
 * @property {string} dir folder holding the files
 * @property {string} certPath the CA certificate (PEM): give it to NODE_EXTRA_CA_CERTS
 * @property {string} pem the CA certificate text
 * @property {string} keyPath the CA private key (PEM)
 * @property {string} serverCertPath
 * @property {string} serverKeyPath
 * @property {string} serverCert the server certificate (PEM)
 * @property {string} serverKey the server private key (PEM)
 */

/**
 * @param {string[]} args
 * @param {string} cwd
 * @returns {Promise<void>}
 */
function openssl(args, cwd) {
	return new Promise((resolve, reject) => {
		execFile('openssl', args, { cwd, timeout: 20_000 }, (error, _stdout, stderr) => {
			if (error) {
				reject(new Error(`openssl ${args[0]} failed: ${String(stderr || error.message).trim()}`));
			} else {
				resolve();
			}
		});
	});
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Writes ca.key, ca.crt, server.key, server.crt into `dir` (created if missing).
 * @param {string} dir
 * @returns {Promise<SandboxCa>}
 */
async function createCa(dir) {
	await fs.mkdir(dir, { recursive: true });
	const stamp = new Date().toISOString();
	await openssl(
		[
			'req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
			'-subj', `/O=n8n-nodes-crm-relay sandbox/CN=crm-relay sandbox CA ${stamp}`,
			'-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
			'-addext', 'keyUsage=critical,keyCertSign,cRLSign',
			'-addext', 'subjectKeyIdentifier=hash',
		],
		dir,
	);
	await openssl(
		[
			'req', '-x509', '-CA', 'ca.crt', '-CAkey', 'ca.key', ...EC, '-keyout', 'server.key', '-out', 'server.crt',
			'-days', '2', '-subj', '/O=n8n-nodes-crm-relay sandbox/CN=localhost',
			'-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
			'-addext', 'basicConstraints=critical,CA:FALSE',
			'-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
			'-addext', 'extendedKeyUsage=serverAuth',
		],
		dir,
	);
	const file = (/** @type {string} */ name) => path.join(dir, name);
	const [pem, serverCert, serverKey] = await Promise.all(
		['ca.crt', 'server.crt', 'server.key'].map((name) => fs.readFile(file(name), 'utf8')),
	);
	return {
		dir,
		certPath: file('ca.crt'),
		pem,
		keyPath: file('ca.key'),
		serverCertPath: file('server.crt'),
		serverKeyPath: file('server.key'),
		serverCert,
		serverKey,
	};
}

module.exports = { createCa };
