#!/usr/bin/env node
'use strict';
// `npm start`: the live loop. Builds the package, starts the sandbox of fake services and a real n8n
// with the package installed from its tarball, imports and publishes the blueprints, fires each seed's
// test events, prints what each fake service received and the editor URL with a login, and keeps
// everything running until Ctrl-C, then stops all it started.
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { startStack } = require('../sandbox/runner/stack');
const { SANDBOX_KEYS } = require('../sandbox/runner/blueprints');

/** A body on one line, shortened, with the sandbox's own secrets masked (this output is often shared). */
function show(text) {
	let body = text;
	try {
		body = JSON.stringify(JSON.parse(text));
	} catch {
		body = text.replace(/\s*\n\s*/g, ' ');
	}
	for (const secret of Object.values(SANDBOX_KEYS)) body = body.split(secret).join('***');
	return body.length > 400 ? `${body.slice(0, 400)}…` : body;
}

function printRequests(service, requests) {
	if (!requests.length) return;
	console.log(`\n  ${service} received ${requests.length} request(s):`);
	for (const request of requests) {
		const fault = request.fault?.status ? `  → ${request.fault.status} (fault injected by the sandbox)` : request.fault?.drop ? '  → dropped (fault)' : '';
		console.log(`    ${request.method} ${request.path}${fault}`);
		if (request.rawBody) console.log(`      ${show(request.rawBody)}`);
	}
}

/** The HTTP status(es) n8n answered to what a blueprint fired (directly, or through a fake that sent it). */
const statusOf = (answer) => (answer.status !== undefined ? String(answer.status) : (answer.delivered || []).map((d) => d.status).join('/') || '-');

async function finishedExecutions(stack, workflowId) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const executions = await stack.rest.executions(workflowId);
		if (executions.every((e) => !['new', 'running', 'waiting'].includes(e.status)) || Date.now() > deadline) return executions;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

async function main() {
	if (!process.argv.includes('--no-build')) execSync('npm run build', { cwd: root, stdio: 'inherit' });
	console.log('\nStarting the sandbox and n8n (the first run downloads Node 24 and n8n: several minutes)…');
	const stack = await startStack({ mode: 'regular', workDir: path.join(root, '.cache/live') });
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the sandbox…');
		await stack.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	try {
		await fireBlueprints(stack);
	} catch (error) {
		console.error(error);
		console.log('\nStopping n8n and the sandbox…');
		await stack.stop();
		process.exit(1);
	}

	console.log(`
The live loop is running.
  n8n editor:   ${stack.n8n.url}   (login ${stack.rest.owner.email} / ${stack.rest.owner.password})
  sandbox:      ${Object.entries(stack.sandbox.services).map(([name, s]) => `${name} ${s.url}`).join(', ')}
                (GET <url>/__sandbox/requests shows what a fake received)
  logs:         ${stack.logDir}
Open a blueprint in the editor, fire your own events at ${stack.n8n.url}/webhook/…, and press Ctrl-C to stop everything.`);
}

/** Fires each blueprint's test events and prints what the fakes received and what n8n recorded. */
async function fireBlueprints(stack) {
	for (const blueprint of stack.blueprints) {
		console.log(`\n▶ ${blueprint.title} (examples/${blueprint.file})`);
		for (const service of blueprint.services) await stack.sandbox.services[service].clear();
		const answers = await blueprint.fire(stack);
		console.log(`  fired ${answers.length} test event(s); n8n answered ${answers.map(statusOf).join(', ')}`);
		const reply = answers.find((answer) => typeof answer.body === 'string' && answer.body);
		if (reply) console.log(`  first reply: ${show(reply.body)}`);
		const expected = blueprint.expectedRequests || {};
		const deadline = Date.now() + 30_000;
		for (const service of blueprint.services) {
			let requests = await stack.sandbox.services[service].requests();
			while (requests.length < (expected[service] || 0) && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 250));
				requests = await stack.sandbox.services[service].requests();
			}
			printRequests(service, requests);
		}
		const executions = await finishedExecutions(stack, blueprint.workflowId);
		const counts = executions.reduce((all, e) => ({ ...all, [e.status]: (all[e.status] || 0) + 1 }), {});
		console.log(`  n8n recorded ${executions.length} execution(s): ${JSON.stringify(counts)}`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
