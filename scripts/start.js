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

function printRequests(service, requests) {
	console.log(`\n  ${service} received ${requests.length} request(s):`);
	for (const request of requests) {
		const body = request.rawBody.length > 600 ? `${request.rawBody.slice(0, 600)}…` : request.rawBody;
		console.log(`    ${request.method} ${request.path}${request.fault ? `  [fault injected: ${JSON.stringify(request.fault)}]` : ''}`);
		if (body) console.log(`      ${body}`);
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

	for (const blueprint of stack.blueprints) {
		console.log(`\n▶ ${blueprint.title} (examples/${blueprint.file})`);
		for (const service of blueprint.services) await stack.sandbox.services[service].clear();
		const answers = await blueprint.fire(stack);
		console.log(`  fired ${answers.length} test event(s); n8n answered ${answers.map((a) => a.status).join(', ')}`);
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
		const executions = await stack.rest.executions(blueprint.workflowId);
		const counts = executions.reduce((all, e) => ({ ...all, [e.status]: (all[e.status] || 0) + 1 }), {});
		console.log(`  n8n recorded ${executions.length} execution(s): ${JSON.stringify(counts)}`);
	}

	console.log(`
The live loop is running.
  n8n editor:   ${stack.n8n.url}   (login ${stack.rest.owner.email} / ${stack.rest.owner.password})
  sandbox:      ${Object.entries(stack.sandbox.services).map(([name, s]) => `${name} ${s.url}`).join(', ')}
                (GET <url>/__sandbox/requests shows what a fake received)
  logs:         ${stack.logDir}
Open a blueprint in the editor, fire your own events at ${stack.n8n.url}/webhook/…, and press Ctrl-C to stop everything.`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
