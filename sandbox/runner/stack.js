'use strict';
// The whole live loop in one call: the sandbox of fake services, a real n8n with our packed package
// installed, sandbox credentials and the blueprint workflows imported and published, and (in queue
// mode) Redis, PostgreSQL and an n8n worker. Used by `npm start` and the e2e suite.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startSandbox } = require('../index');
const { N8nInstance, freePort, installPackage, waitForWebhook } = require('./n8n');
const { startPostgres, startRedis } = require('./services');
const { ROOT, ensureDebianPackages, ensureN8n, log, packPackage } = require('./toolchain');
const { blueprints, credentialsFor } = require('./blueprints');

/**
 * Starts the reaper (reaper.js) for a stack: it kills what `state` lists if this process dies without
 * stopping the stack (Ctrl-C during a test run or during `npm start`'s startup, a killed CI job).
 * Returns `track` (record a process group or a stop command) and `release` (normal stop).
 */
function startReaper(dir) {
	const stateFile = path.join(dir, '.running.json');
	const state = { groups: [], commands: [] };
	const save = () => fs.writeFileSync(stateFile, JSON.stringify(state));
	save();
	const reaper = spawn(process.execPath, [path.join(__dirname, 'reaper.js'), String(process.pid), stateFile], { detached: true, stdio: 'ignore' });
	reaper.unref();
	return {
		track({ group, command }) {
			if (group) state.groups.push(group);
			if (command) state.commands.push(command);
			save();
		},
		release() {
			fs.rmSync(stateFile, { force: true });
			try {
				reaper.kill();
			} catch {
				/* gone */
			}
		},
	};
}

/**
 * @param {object} options
 * @param {'regular'|'queue'} [options.mode]
 * @param {string} [options.workDir] everything this run writes (logs, user folder, CA); a temp dir by default
 * @param {string[]} [options.only] blueprint ids to load (all by default)
 * @param {boolean} [options.owner] set up the owner account and return a logged-in REST client
 * @param {string} [options.n8nVersion] n8n 2.x release to run (default toolchain.N8N_VERSION)
 * @param {string[]} [options.services] sandbox services to start besides the selected blueprints' own
 * @param {Record<string, object>} [options.sandboxOptions] per-service options for startSandbox (rate limits, seeded state)
 * @param {(sandbox: object) => Array<{workflow: object, webhooks?: string[]}>} [options.workflows]
 *   extra workflows (benchmarks, fault runs), built once the sandbox's URLs are known; each is imported
 *   and published like a blueprint, and its `webhooks` (paths below /webhook/) are waited for
 * @param {Record<string, string>} [options.env] extra environment for every n8n process
 * @param {boolean} [options.withPackage] install our packed package (default true; false = n8n as shipped)
 * @param {number} [options.workerConcurrency] queue mode: the worker's --concurrency (default 5)
 */
async function startStack({
	mode = 'regular',
	workDir,
	only,
	owner = true,
	n8nVersion,
	services: extraServices = [],
	sandboxOptions = {},
	workflows,
	env: extraEnv = {},
	withPackage = true,
	workerConcurrency,
} = {}) {
	const dir = workDir || fs.mkdtempSync(path.join(os.tmpdir(), `crm-relay-${mode}-`));
	// Every run starts from nothing (database, user folder, CA); the last run's logs stay until then.
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const stoppers = [];
	const reaper = startReaper(dir);
	const stack = { mode, dir, logDir: path.join(dir, 'logs') };
	stack.stop = async () => {
		for (const stop of stoppers.reverse()) {
			try {
				await stop();
			} catch (error) {
				log(`cleanup: ${error.message}`);
			}
		}
		stoppers.length = 0;
		reaper.release();
	};
	try {
		const n8n = ensureN8n(n8nVersion);
		const selected = blueprints.filter((b) => !only || only.includes(b.id));
		const services = [...new Set([...selected.flatMap((b) => b.services), ...extraServices])];

		const sandbox = await startSandbox({ services, dir: path.join(dir, 'sandbox'), options: sandboxOptions });
		stoppers.push(() => sandbox.stop());
		stack.sandbox = sandbox;

		const env = { NODE_EXTRA_CA_CERTS: sandbox.ca.certPath, ...extraEnv };
		if (mode === 'queue') {
			const bins = ensureDebianPackages(['redis', 'postgres']);
			const redis = await startRedis({ port: await freePort(), dir: path.join(dir, 'redis') });
			stoppers.push(() => redis.stop());
			reaper.track({ group: redis.pid });
			const postgres = await startPostgres({ port: await freePort(), dir: path.join(dir, 'postgres'), binDir: bins.postgres });
			stoppers.push(() => postgres.stop());
			for (const command of postgres.reapCommands) reaper.track({ command });
			Object.assign(env, postgres.env, {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			});
			stack.redis = redis;
			stack.postgres = postgres;
		}

		const userFolder = path.join(dir, 'n8n-home');
		if (withPackage) {
			const tarball = packPackage(path.join(dir, 'pack'));
			installPackage(userFolder, tarball, n8n.node);
			stack.tarball = tarball;
		}
		const instance = new N8nInstance({ n8n, userFolder, port: await freePort(), env, logDir: stack.logDir, onSpawn: (pid) => reaper.track({ group: pid }) });
		stoppers.push(() => instance.stop());
		stack.n8n = instance;

		const credentials = credentialsFor(sandbox, services);
		if (credentials.length) {
			const credentialsFile = path.join(dir, 'credentials.json');
			fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
			instance.importCredentials(credentialsFile);
			fs.rmSync(credentialsFile);
		}
		// A blueprint is imported as users import it; `prepare` only points it at the sandbox (URLs,
		// loopback permission, short retry waits) the way a user would edit it for a local receiver.
		// Each CLI run boots n8n (several seconds): all workflows go in with one import.
		const workflowsDir = path.join(dir, 'workflows');
		fs.mkdirSync(workflowsDir, { recursive: true });
		for (const blueprint of selected) {
			const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', blueprint.file), 'utf8'));
			if (blueprint.prepare) blueprint.prepare(workflow, sandbox);
			fs.writeFileSync(path.join(workflowsDir, blueprint.file), JSON.stringify(workflow, null, 2));
		}
		const extra = workflows ? workflows(sandbox) : [];
		extra.forEach(({ workflow }, index) => {
			if (!workflow.id) throw new Error(`extra workflow ${index} (${workflow.name}) needs an id`);
			fs.writeFileSync(path.join(workflowsDir, `extra-${index}-${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		});
		if (selected.length || extra.length) instance.importWorkflows(workflowsDir);
		for (const blueprint of selected) instance.publishWorkflow(blueprint.workflowId);
		for (const { workflow } of extra) instance.publishWorkflow(workflow.id);

		await instance.start();
		if (mode === 'queue') await instance.startWorker(workerConcurrency);
		for (const blueprint of selected) {
			for (const webhook of blueprint.webhooks(instance.url)) await waitForWebhook(webhook);
		}
		for (const { webhooks = [] } of extra) {
			for (const webhook of webhooks) await waitForWebhook(`${instance.url}/webhook/${webhook}`);
		}
		if (owner) stack.rest = await instance.ownerClient();
		stack.blueprints = selected;
		return stack;
	} catch (error) {
		await stack.stop();
		error.message += `\n(logs kept in ${stack.logDir})`;
		throw error;
	}
}

module.exports = { startReaper, startStack };
