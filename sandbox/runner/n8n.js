'use strict';
// A real n8n for the live demo and the e2e suite: isolated user folder and database, our package
// installed into `<user folder>/.n8n/nodes` from a packed tarball (as users install it), telemetry and
// version checks off, listening on 127.0.0.1 only. Workflows and credentials go in through n8n's CLI.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { run, log, npmEnv } = require('./toolchain');

const ENCRYPTION_KEY = 'crm-relay-sandbox-not-a-secret-0001';
const OWNER = { email: 'owner@crm-relay.test', password: 'Sandbox-Pass-1234', firstName: 'Sandbox', lastName: 'Owner' };

/** Ports this process has handed out: the OS may offer a port again once it is closed, before the
 * process it was meant for has bound it (seen: one n8n's HTTP port and its task broker's port). */
const handedOut = new Set();

/** A TCP port nobody listens on right now (the OS picks it), never one handed out before. */
async function freePort() {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const { port: bound } = server.address();
				server.close(() => resolve(bound));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

/**
 * Installs the packed package into `<userFolder>/.n8n/nodes` the way n8n 2.x's community-package
 * installer does (CommunityPackagesService.downloadPackage): unpack the tarball into
 * `node_modules/<name>`, drop devDependencies, peerDependencies and optionalDependencies from its
 * package.json, `npm install` the runtime dependencies inside it (shallow, no scripts, no lockfile),
 * then record it in the folder's package.json. A plain `npm install <tarball>` would also pull the
 * peer dependency n8n-workflow and its tree (about 115 MB) that n8n itself never installs.
 */
function installPackage(userFolder, tarball, node) {
	const nodesDir = path.join(userFolder, '.n8n/nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const unpacked = fs.mkdtempSync(path.join(nodesDir, '.unpack-'));
	run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	const packageJson = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
	const { devDependencies: _dev, peerDependencies: _peer, optionalDependencies: _optional, ...kept } = packageJson;
	fs.writeFileSync(path.join(unpacked, 'package.json'), JSON.stringify(kept, null, 2));
	const packageDir = path.join(nodesDir, 'node_modules', packageJson.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(packageDir), { recursive: true });
	fs.renameSync(unpacked, packageDir);
	run('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], {
		cwd: packageDir,
		env: npmEnv(node.nodeDir),
	});
	const folder = JSON.parse(fs.readFileSync(manifest, 'utf8'));
	folder.dependencies = { ...folder.dependencies, [packageJson.name]: packageJson.version };
	fs.writeFileSync(manifest, JSON.stringify(folder, null, 2));
	return nodesDir;
}

/** Sends a signal to a process group; false when the group is gone. */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

class N8nInstance {
	/**
	 * @param {object} options
	 * @param {{bin: string, node: {binary: string, nodeDir: string}}} options.n8n from toolchain.ensureN8n()
	 * @param {string} options.userFolder isolated N8N_USER_FOLDER
	 * @param {number} options.port
	 * @param {Record<string,string>} [options.env] extra environment (queue mode, database, CA)
	 * @param {string} options.logDir where n8n's output goes (kept for failures)
	 * @param {(pid: number) => void} [options.onSpawn] told the process group of every n8n process started
	 */
	constructor({ n8n, userFolder, port, env = {}, logDir, onSpawn }) {
		this.onSpawn = onSpawn;
		this.n8n = n8n;
		this.userFolder = userFolder;
		this.port = port;
		this.url = `http://127.0.0.1:${port}`;
		this.logDir = logDir;
		this.processes = [];
		this.env = {
			...process.env,
			PATH: `${path.join(n8n.node.nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			DB_SQLITE_POOL_SIZE: '2',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			GENERIC_TIMEZONE: 'UTC',
			NODE_OPTIONS: '--max-old-space-size=2048',
			...env,
		};
		delete this.env.NODE_ENV;
		fs.mkdirSync(logDir, { recursive: true });
	}

	/** Runs an n8n CLI command (n8n not serving) and returns its output. */
	cli(args) {
		return run(this.n8n.node.binary, [this.n8n.bin, ...args], { env: this.env, cwd: this.userFolder }).stdout;
	}

	importCredentials(file) {
		this.cli(['import:credentials', `--input=${file}`]);
	}

	importWorkflow(file) {
		this.cli(['import:workflow', `--input=${file}`]);
	}

	/** Imports every `*.json` workflow in a folder with one CLI run (each run boots n8n: seconds). */
	importWorkflows(dir) {
		this.cli(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/** Makes an imported workflow active from the next start. */
	publishWorkflow(id) {
		this.cli(['publish:workflow', `--id=${id}`]);
	}

	/** Starts a long-running n8n process and resolves when its log shows `readyLine`. */
	async spawnProcess(name, args, readyLine, timeoutMs = 180_000) {
		// Every n8n process runs a task broker for its JS runner, by default on port 5679: give each its own.
		const env = { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		const logFile = path.join(this.logDir, `${name}.log`);
		const out = fs.createWriteStream(logFile, { flags: 'a' });
		const child = spawn(this.n8n.node.binary, [this.n8n.bin, ...args], {
			env,
			cwd: this.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const entry = { name, child, logFile, output: '' };
		this.processes.push(entry);
		if (child.pid !== undefined && this.onSpawn) this.onSpawn(child.pid);
		await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`${name} did not print "${readyLine}" within ${timeoutMs / 1000} s; log: ${logFile}`)), timeoutMs);
			const onData = (chunk) => {
				out.write(chunk);
				entry.output += chunk.toString();
				if (entry.output.length > 4_000_000) entry.output = entry.output.slice(-2_000_000);
				if (entry.output.includes(readyLine)) {
					clearTimeout(timer);
					resolve();
				}
			};
			child.stdout.on('data', onData);
			child.stderr.on('data', onData);
			child.on('exit', (code) => {
				clearTimeout(timer);
				out.end();
				reject(new Error(`${name} exited with code ${code} before it was ready; log: ${logFile}`));
			});
		});
		child.removeAllListeners('exit');
		child.on('exit', () => out.end());
		return entry;
	}

	/** `n8n start`; resolves once the editor (and so every production webhook) is up. */
	async start() {
		await this.spawnProcess('main', ['start'], 'Editor is now accessible');
		return this;
	}

	/** `n8n worker` for queue mode. */
	async startWorker(concurrency = 5) {
		await this.spawnProcess('worker', ['worker', `--concurrency=${concurrency}`], 'n8n worker is now ready');
		return this;
	}

	/** The text every n8n process of this instance logged so far. */
	logs() {
		return this.processes.map((p) => fs.existsSync(p.logFile) ? fs.readFileSync(p.logFile, 'utf8') : '').join('\n');
	}

	/**
	 * Stops every process group (SIGTERM, then SIGKILL after a grace period). Each n8n process leads
	 * its own group (its task runner is in it); what is left of a group once its leader has exited
	 * (or had already crashed) is killed too.
	 */
	async stop(graceMs = 15_000) {
		await Promise.all(
			this.processes.map(async ({ child }) => {
				if (child.exitCode === null && child.signalCode === null) {
					const exited = new Promise((resolve) => child.once('exit', resolve));
					if (killGroup(child.pid, 'SIGTERM')) {
						const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
						await exited;
						clearTimeout(timer);
					}
				}
				killGroup(child.pid, 'SIGKILL');
			}),
		);
		this.processes = [];
	}

	/** Sets up the owner account (for the editor and the REST API) and returns a logged-in REST client. */
	async ownerClient() {
		const setup = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!setup.ok && setup.status !== 400) throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);
		const login = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
		const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
		const url = this.url;
		// n8n stores run data in the `flatted` format; read it with n8n's own copy of the library.
		const { parse } = require(require.resolve('flatted', { paths: [this.n8n.dir] }));
		return {
			owner: OWNER,
			cookie,
			async request(method, route, body) {
				const send = () =>
					fetch(`${url}/rest${route}`, {
						method,
						headers: { cookie, 'content-type': 'application/json', 'browser-id': 'crm-relay-sandbox' },
						body: body === undefined ? undefined : JSON.stringify(body),
					});
				let response;
				// A kept-alive connection n8n has just closed fails the request ("fetch failed", "other side
				// closed") before n8n sees it: a GET is sent again, at most twice.
				for (let attempt = 1; ; attempt++) {
					try {
						response = await send();
						break;
					} catch (error) {
						if (method !== 'GET' || attempt >= 3 || !/fetch failed/.test(String(error.message))) throw error;
					}
				}
				const text = await response.text();
				if (!response.ok) throw new Error(`${method} /rest${route}: ${response.status} ${text.slice(0, 500)}`);
				return text ? JSON.parse(text) : undefined;
			},
			/** Every execution of a workflow n8n recorded (newest first), with status and mode. */
			async executions(workflowId) {
				const { data } = await this.request('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`);
				return data.results;
			},
			/** One execution with its run data decoded: `{ status, mode, runData: { [node]: runs } }`. */
			async execution(id) {
				const { data } = await this.request('GET', `/executions/${id}`);
				const decoded = parse(data.data);
				return { ...data, data: undefined, runData: decoded.resultData.runData, error: decoded.resultData.error };
			},
		};
	}
}

/**
 * Waits until n8n has registered a production webhook: n8n answers a GET to a POST-only webhook with
 * "not registered for GET requests" once it exists (and "is not registered" before), so polling
 * starts no execution. Registration finishes shortly after the editor line.
 */
async function waitForWebhook(url, { timeoutMs = 60_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		try {
			const response = await fetch(url);
			last = await response.text();
			// n8n's answer once the POST webhook exists. (A webhook that also took GET would answer 2xx,
			// and this poll would have run it: the blueprints' webhooks are POST-only.)
			if (/not registered for GET requests/.test(last) || (response.status >= 200 && response.status < 300)) return;
		} catch (error) {
			last = error.message;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`webhook ${url} was not registered within ${timeoutMs / 1000} s (last answer: ${last.slice(0, 200)})`);
}

module.exports = { N8nInstance, installPackage, freePort, waitForWebhook, OWNER, ENCRYPTION_KEY, log };
