#!/usr/bin/env node
'use strict';
// `npm run bench` (builds the package itself): our nodes against n8n's own nodes doing the same work, in
// one real n8n (regular mode) with the sandbox's fake services. Definitions of every figure:
// bench/README.md. Writes bench/results/<timestamp>.json (every raw sample) and .md (the table),
// copied to latest.json / latest.md.
//
// Options: --quick (1 run each, small N: for development only), --skip-footprint, --no-overlap (run the
// parse/render micro benchmarks and the n8n start times after the stack, not in the idle minutes of
// the rate-limited Omnisend run), --no-build (use dist/ as it is; by default `npm run build` runs
// beside the toolchain check or install).
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const { startReaper, startStack } = require('../sandbox/runner/stack');
const { N8nInstance, freePort } = require('../sandbox/runner/n8n');
const { ROOT, cacheDir, ensureN8n } = require('../sandbox/runner/toolchain');
const { until } = require('../sandbox/runner/until');
const { sampleMemory } = require('./memory');
const { summary, median, p95 } = require('./stats');
const { expectedBody, itemFor } = require('./templated');
const W = require('./workflows');
const { renderMarkdown } = require('./report');

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const CONFIG = QUICK
	? { runs: 1, omnisendEvents: 200, rateLimitEvents: 450, acumaticaUpserts: 100, templatedItems: 200, sfLatencyRequests: 10, sfWarmup: 10, sfThroughputSeconds: 2, footprintStarts: 1, microLoops: 2, microParseOps: 10, microRenderLoops: 2, microRenderItems: 200 }
	: { runs: 3, omnisendEvents: 1000, rateLimitEvents: 1000, acumaticaUpserts: 500, templatedItems: 1000, sfLatencyRequests: 15, sfWarmup: 5, sfThroughputSeconds: 2, footprintStarts: 2, microLoops: 9, microParseOps: 20, microRenderLoops: 5, microRenderItems: 1000 };
// Latency: a pause after each request, so each one meets an idle n8n (back to back, the previous
// delivery's execution would still be running: that load is what the throughput figure shows).
// sfWarmup requests per side and size go first, once (JIT, caches), and are not measured.
CONFIG.sfLatencyPauseMs = { 1: 100, 100: 200 };
// Throughput clients per envelope size. 100 notifications (57 KB) are sent by ONE client: n8n's webhook
// body parser shares one xml2js parser, and two overlapping text/xml bodies over 10,000 characters
// break it for good (every later XML webhook request hangs). See bench/README.md.
CONFIG.sfClients = { 1: 8, 100: 1 };
CONFIG.sfRequestTimeoutMs = 30_000;
CONFIG.omnisendLatencyMs = 50;
CONFIG.rateLimitPerMinute = 400;
CONFIG.httpBatch = W.HTTP_BATCH;
CONFIG.oursMatchedConcurrency = W.OURS_MATCHED_CONCURRENCY;
CONFIG.oursMaxConcurrency = W.OURS_MAX_CONCURRENCY;

const started = Date.now();
const log = (message) => process.stdout.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The commit checked out, read from .git (no git command). */
function gitCommit() {
	try {
		const gitDir = path.join(ROOT, '.git');
		const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
		if (!head.startsWith('ref: ')) return head;
		const ref = head.slice(5);
		const loose = path.join(gitDir, ref);
		if (fs.existsSync(loose)) return `${fs.readFileSync(loose, 'utf8').trim()} (${ref.replace('refs/heads/', '')})`;
		const packed = fs.readFileSync(path.join(gitDir, 'packed-refs'), 'utf8').split('\n').find((line) => line.endsWith(` ${ref}`));
		return packed ? `${packed.split(' ')[0]} (${ref.replace('refs/heads/', '')})` : 'unknown';
	} catch {
		return 'unknown';
	}
}

/** Apparent size and file count of a folder tree (symbolic links not followed; `skip`: folder names left out). */
function treeSize(dir, skip = []) {
	let bytes = 0;
	let files = 0;
	const walk = (current) => {
		for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				if (!skip.includes(entry.name)) walk(full);
			}
			else if (entry.isFile()) {
				bytes += fs.statSync(full).size;
				files++;
			}
		}
	};
	if (fs.existsSync(dir)) walk(dir);
	return { bytes, files };
}

/**
 * What n8n's own community-package installer puts on disk for a package: the package and the closure
 * of its `dependencies` (n8n drops devDependencies, peerDependencies and optionalDependencies before
 * installing). Resolved in `modulesDir` as npm laid it out (nested node_modules first, then hoisted).
 */
function dependencyClosure(modulesDir, name) {
	const seen = new Map();
	const visit = (packageName, fromDir) => {
		const candidates = [];
		for (let dir = fromDir; dir.startsWith(modulesDir); dir = path.dirname(dir)) {
			candidates.push(path.join(dir, 'node_modules', packageName));
			if (dir === modulesDir) break;
		}
		candidates.push(path.join(modulesDir, packageName));
		const found = candidates.find((candidate) => fs.existsSync(path.join(candidate, 'package.json')));
		if (!found || seen.has(found)) return;
		const manifest = JSON.parse(fs.readFileSync(path.join(found, 'package.json'), 'utf8'));
		let bytes = 0;
		let files = 0;
		for (const entry of fs.readdirSync(found, { withFileTypes: true })) {
			if (entry.name === 'node_modules') continue;
			const size = entry.isDirectory() ? treeSize(path.join(found, entry.name)) : entry.isFile() ? { bytes: fs.statSync(path.join(found, entry.name)).size, files: 1 } : { bytes: 0, files: 0 };
			bytes += size.bytes;
			files += size.files;
		}
		seen.set(found, { name: `${manifest.name}@${manifest.version}`, bytes, files });
		for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, found);
	};
	visit(name, modulesDir);
	const packages = [...seen.values()];
	return { bytes: packages.reduce((sum, p) => sum + p.bytes, 0), files: packages.reduce((sum, p) => sum + p.files, 0), packages };
}

/** A control request to a sandbox service (HTTPS with the sandbox CA). */
function control(sandbox, service, method, route, body) {
	const url = new URL(`${sandbox.services[service].url}/__sandbox/${route}`);
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const req = https.request(url, { method, ca: sandbox.ca.pem, agent: false, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(payload);
	});
}

// ---------------------------------------------------------------------------------------------
// Executions

/**
 * The owner REST client with retries: under load n8n's database health check can report "Database is
 * not ready!" (503) for a moment, and a request can fail; the bench reads on after a second.
 */
function patientRest(rest) {
	const retry = async (what, call) => {
		const deadline = Date.now() + 90_000;
		for (;;) {
			try {
				return await call();
			} catch (error) {
				if (Date.now() > deadline || !/ 50[234] |fetch failed|ECONNRESET|socket hang up/.test(String(error.message))) throw error;
				log(`(n8n REST ${what} failed, retrying: ${String(error.message).slice(0, 120)})`);
				await sleep(1000);
			}
		}
	};
	return {
		...rest,
		executions: (workflowId) => retry('executions', () => rest.executions(workflowId)),
		execution: (id) => retry('execution', () => rest.execution(id)),
	};
}

const finished = (status) => !['new', 'running', 'waiting', 'unknown'].includes(status);
const idNumber = (execution) => Number(execution.id);

async function newestExecutionId(rest, workflowId) {
	const list = await rest.executions(workflowId);
	return list.reduce((max, execution) => Math.max(max, idNumber(execution)), 0);
}

/**
 * POSTs `body` to a work-workflow case (its Webhook answers once the last node ran), then reads the
 * execution n8n recorded: status, wall time (startedAt..stoppedAt), and each measured node's
 * executionTime and output items.
 */
async function runCase(stack, work, kase, body) {
	const { rest } = stack;
	const after = await newestExecutionId(rest, W.WORK_WORKFLOW_ID);
	const start = now();
	const response = await fetch(`${stack.n8n.url}/webhook/${kase}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const responseText = await response.text();
	const clientMs = now() - start;
	const execution = await until(
		`the ${kase} execution`,
		async () => {
			const list = await rest.executions(W.WORK_WORKFLOW_ID);
			return list.find((entry) => idNumber(entry) > after && finished(entry.status));
		},
		120_000,
	);
	const detail = await rest.execution(execution.id);
	const nodes = {};
	let nodeMs = 0;
	let failedItems = 0;
	let output = [];
	for (const name of work.measured[kase]) {
		const run = detail.runData[name]?.[0];
		if (!run) throw new Error(`${kase}: node "${name}" did not run (execution ${execution.id}, status ${execution.status}${detail.error ? `: ${detail.error.message}` : ''})`);
		const items = (run.data?.main ?? []).flat().map((item) => item.json);
		const failed = items.filter((json) => json.error !== undefined).length;
		nodes[name] = { executionTime: run.executionTime, status: run.executionStatus, items: items.length, failedItems: failed, error: run.error?.message };
		nodeMs += run.executionTime;
		failedItems += failed;
		// The output of the node that handles the items (the largest one: not a login or logout).
		if (items.length >= output.length) output = items;
	}
	const wallMs = new Date(detail.stoppedAt ?? execution.stoppedAt).getTime() - new Date(detail.startedAt ?? execution.startedAt).getTime();
	return {
		case: kase,
		executionId: execution.id,
		status: execution.status,
		httpStatus: response.status,
		responseText: response.ok ? undefined : responseText.slice(0, 300),
		clientMs,
		wallMs,
		nodeMs,
		nodes,
		failedItems,
		output,
	};
}

/** Waits until no execution of a workflow is still running (a trigger's executions run after its ACK). */
async function drain(rest, workflowId, timeoutMs = 180_000) {
	await until(`${workflowId} executions to finish`, async () => {
		const list = await rest.executions(workflowId);
		return list.some((entry) => !finished(entry.status)) ? undefined : true;
	}, timeoutMs, 500);
}

// ---------------------------------------------------------------------------------------------
// 1. Salesforce Trigger vs Webhook + Respond to Webhook

function postXml(agent, url, body) {
	return new Promise((resolve) => {
		const start = now();
		const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', 'content-length': Buffer.byteLength(body) } }, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => resolve({ ms: now() - start, status: res.statusCode, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', (error) => resolve({ ms: now() - start, status: 0, body: error.message }));
		});
		req.setTimeout(CONFIG.sfRequestTimeoutMs, () => req.destroy(new Error(`no answer within ${CONFIG.sfRequestTimeoutMs / 1000} s`)));
		req.on('error', (error) => resolve({ ms: now() - start, status: 0, body: error.message }));
		req.end(body);
	});
}

const acked = (answer) => answer.status === 200 && answer.body === W.SOAP_ACK && /^text\/xml/.test(answer.contentType ?? '');

function leads(count, offset = 0) {
	return Array.from({ length: count }, (_, i) => ({
		FirstName: `Grace${offset + i}`,
		LastName: `Hopper ${offset + i}`,
		Email: `grace.${offset + i}@example.com`,
		Phone: i % 3 === 0 ? null : `+1 415 555 ${String(1000 + ((offset + i) % 9000)).slice(-4)}`,
		Company: 'Navy & Partners <Research>',
		LeadSource: 'Web',
		AnnualRevenue: 125000 + i,
		IsConverted: false,
		CreatedDate: '2026-11-23T10:15:00.000Z',
	}));
}

async function benchSalesforce(stack) {
	const salesforce = stack.sandbox.services.salesforce;
	const urls = {
		ours: `${stack.n8n.url}/webhook/${W.SF_WEBHOOK_ID}/salesforce`,
		theirs: `${stack.n8n.url}/webhook/${W.SF_THEIRS_PATH}`,
	};
	const bodies = {
		1: salesforce.outboundMessage({ sObjectType: 'Lead', records: leads(1) }),
		100: salesforce.outboundMessage({ sObjectType: 'Lead', records: leads(100) }),
	};
	const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
	const result = { bodyBytes: { 1: Buffer.byteLength(bodies[1]), 100: Buffer.byteLength(bodies[100]) }, latency: {}, throughput: {} };
	for (const size of [1, 100]) {
		result.latency[size] = { ours: { runs: [], errors: 0 }, theirs: { runs: [], errors: 0 } };
		result.throughput[size] = { ours: { runs: [], errors: 0 }, theirs: { runs: [], errors: 0 } };
	}
	try {
		for (const size of [1, 100]) {
			for (const side of ['ours', 'theirs']) {
				for (let i = 0; i < CONFIG.sfWarmup; i++) await postXml(agent, urls[side], bodies[size]);
			}
		}
		await drain(stack.rest, W.SALESFORCE_WORKFLOW_ID);
		for (let run = 0; run < CONFIG.runs; run++) {
			const sides = run % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours'];
			for (const size of [1, 100]) {
				for (const side of sides) {
					const samples = [];
					let errors = 0;
					for (let i = 0; i < CONFIG.sfLatencyRequests; i++) {
						const answer = await postXml(agent, urls[side], bodies[size]);
						if (!acked(answer)) errors++;
						else samples.push(answer.ms);
						await sleep(CONFIG.sfLatencyPauseMs[size]);
					}
					const entry = result.latency[size][side];
					entry.runs.push({ median: median(samples), p95: p95(samples), samples });
					entry.errors += errors;
					log(`1. Salesforce ${size} notification(s), ${side}: ACK latency median ${median(samples).toFixed(1)} ms, p95 ${p95(samples).toFixed(1)} ms${errors ? `, ${errors} errors` : ''}`);
				}
			}
			await drain(stack.rest, W.SALESFORCE_WORKFLOW_ID);
			for (const size of [1, 100]) {
				for (const side of sides) {
					let ok = 0;
					let errors = 0;
					const firstError = [];
					const deadline = now() + CONFIG.sfThroughputSeconds * 1000;
					const client = async () => {
						while (now() < deadline) {
							const answer = await postXml(agent, urls[side], bodies[size]);
							if (acked(answer)) ok++;
							else {
								errors++;
								if (firstError.length === 0) firstError.push(`${answer.status} ${answer.body.slice(0, 200)}`);
							}
						}
					};
					const start = now();
					await Promise.all(Array.from({ length: CONFIG.sfClients[size] }, client));
					const seconds = (now() - start) / 1000;
					const entry = result.throughput[size][side];
					entry.runs.push({ ok, errors, seconds, rps: ok / seconds, firstError: firstError[0] });
					entry.errors += errors;
					log(`1. Salesforce ${size} notification(s), ${side}: ${(ok / seconds).toFixed(1)} req/s with ${CONFIG.sfClients[size]} client(s)${errors ? `, ${errors} errors (${firstError[0]})` : ''}`);
					// Our trigger acknowledges before its execution runs: let the backlog finish before measuring on.
					await drain(stack.rest, W.SALESFORCE_WORKFLOW_ID);
				}
			}
		}
	} finally {
		agent.destroy();
	}
	for (const size of [1, 100]) {
		for (const side of ['ours', 'theirs']) {
			const latency = result.latency[size][side];
			latency.median = summary(latency.runs.map((r) => r.median));
			latency.p95 = summary(latency.runs.map((r) => r.p95));
			const throughput = result.throughput[size][side];
			throughput.rps = summary(throughput.runs.map((r) => r.rps));
		}
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// 2. Omnisend

/** The Code node's program run here, to know what each side must have sent. */
function expectedItems(kind, n, seed) {
	const program = new Function('$input', W.codeNodeProgram());
	return program({ first: () => ({ json: { body: { kind, n, seed } } }) }).map((item) => item.json);
}

function expectedEvent(item) {
	return {
		eventName: W.OMNISEND_EVENT_NAME,
		origin: 'api',
		eventID: item.eventID,
		contact: { email: item.email, phone: item.phone, firstName: item.firstName, lastName: item.lastName },
		properties: { orderID: item.orderID, value: item.value, currency: item.currency },
	};
}

/** What the fake Omnisend received for a run: statuses, accepted events, body check against the items. */
function checkOmnisend(requests, items) {
	const events = requests.filter((request) => request.method === 'POST' && request.path === '/v5/events');
	const statuses = {};
	for (const request of events) statuses[request.status ?? 'none'] = (statuses[request.status ?? 'none'] ?? 0) + 1;
	const accepted = events.filter((request) => request.status === 202);
	const byId = new Map();
	let duplicates = 0;
	for (const request of accepted) {
		const body = JSON.parse(request.rawBody);
		if (byId.has(body.eventID)) duplicates++;
		byId.set(body.eventID, body);
	}
	let mismatched = 0;
	let missing = 0;
	let firstMismatch;
	for (const item of items) {
		const body = byId.get(item.eventID);
		if (!body) {
			missing++;
			continue;
		}
		try {
			require('node:assert').deepStrictEqual(body, expectedEvent(item));
		} catch {
			mismatched++;
			firstMismatch ??= { received: body, expected: expectedEvent(item) };
		}
	}
	const times = accepted.map((request) => Date.parse(request.time)).sort((a, b) => a - b);
	const first = events.length ? Math.min(...events.map((request) => Date.parse(request.time))) : NaN;
	return {
		requests: events.length,
		statuses,
		accepted: accepted.length,
		uniqueAccepted: byId.size,
		duplicates,
		lost: missing,
		mismatched,
		firstMismatch,
		throttled: statuses[429] ?? 0,
		firstToLastAcceptedMs: times.length ? times[times.length - 1] - first : NaN,
	};
}

/**
 * A waiter for idle minutes of the rate-limited run: resolves once the current window's burst is
 * over (the run sends a burst every 60 s after its first request, each about as long as the first,
 * starting up to ~2 s late as Retry-After is in whole seconds), the fake has had no request for 2 s,
 * and `expectedMs` of work ends 3 s before the next burst; or at once when the run is over.
 */
function idleSlots(omnisend) {
	const state = { done: false };
	state.wait = async (expectedMs) => {
		for (;;) {
			if (state.done) return;
			const requests = omnisend.requests();
			if (requests.length > 0) {
				const times = requests.map((request) => Date.parse(request.time));
				const first = times[0];
				// The burst: the accepted events of the first window (a 429 answer, and the retry it
				// leads to seconds later, is one cheap request, not a burst).
				const accepted = requests.filter((request) => request.status === 202).map((request) => Date.parse(request.time));
				const burstMs = Math.max(first, ...accepted.filter((time) => time < first + 50_000)) - first;
				const sinceFirst = Date.now() - first;
				const inWindow = sinceFirst % 60_000;
				const quietMs = Date.now() - times[times.length - 1];
				const nextBurst = first + (Math.floor(sinceFirst / 60_000) + 1) * 60_000;
				if (inWindow >= burstMs + 4000 && quietMs >= 2000 && Date.now() + expectedMs <= nextBurst - 3000) return;
			}
			await sleep(500);
		}
	};
	return state;
}

async function benchOmnisend(stack, work, seeds, sideWork) {
	const omnisend = stack.sandbox.services.omnisend;
	omnisend.rateLimit(0);
	omnisend.clearFaults();
	omnisend.fault({ latencyMs: CONFIG.omnisendLatencyMs, match: { method: 'POST', path: '/v5/events' } });
	const n = CONFIG.omnisendEvents;
	const cases = W.OMNISEND_CASES;
	const result = { events: n, latencyMs: CONFIG.omnisendLatencyMs, cases: Object.fromEntries(cases.map((kase) => [kase, { runs: [] }])) };
	const one = async (kase, label) => {
		omnisend.clear();
		const seed = seeds.next();
		const items = expectedItems('omnisend', n, seed);
		const outcome = await runCase(stack, work, kase, { kind: 'omnisend', n, seed });
		const fake = checkOmnisend(omnisend.requests(), items);
		const { failedItems } = outcome;
		const { output, ...kept } = outcome;
		const record = { ...kept, seed, outputItems: output.length, fake };
		log(
			`2. Omnisend ${label}: node ${(outcome.nodeMs / 1000).toFixed(2)} s, execution ${(outcome.wallMs / 1000).toFixed(2)} s, ` +
				`${fake.uniqueAccepted}/${n} events accepted, ${fake.throttled} x 429, ${failedItems} failed items, ${fake.mismatched} bodies differing` +
				(outcome.status !== 'success' ? ` (execution ${outcome.status})` : ''),
		);
		return record;
	};
	for (let run = 0; run < CONFIG.runs; run++) {
		for (const kase of cases) result.cases[kase].runs.push(await one(kase, `${kase} run ${run + 1}`));
	}
	for (const kase of cases) {
		const runs = result.cases[kase].runs;
		result.cases[kase].nodeMs = summary(runs.map((r) => r.nodeMs));
		result.cases[kase].wallMs = summary(runs.map((r) => r.wallMs));
		result.cases[kase].allDelivered = runs.every((r) => r.fake.uniqueAccepted === n && r.fake.mismatched === 0 && r.fake.duplicates === 0 && r.failedItems === 0);
	}

	// Under the limit (400/min, sliding 60 s window), each run from an empty window.
	const limited = CONFIG.rateLimitEvents;
	const oursUnderLimit = async () => {
		omnisend.rateLimit(CONFIG.rateLimitPerMinute);
		omnisend.clear();
		const seed = seeds.next();
		const items = expectedItems('omnisend', limited, seed);
		const slots = idleSlots(omnisend);
		const running = runCase(stack, work, 'omnisend-ours', { kind: 'omnisend', n: limited, seed });
		// Other measurements use the minutes this run only waits (never its bursts): see idleSlots.
		const side = sideWork ? sideWork(slots.wait) : undefined;
		let outcome;
		try {
			outcome = await running;
		} finally {
			slots.done = true;
			await side;
		}
		const fake = checkOmnisend(omnisend.requests(), items);
		const idealMs = Math.floor((limited - 1) / CONFIG.rateLimitPerMinute) * 60_000;
		const { output, ...kept } = outcome;
		return { ...kept, seed, events: limited, outputItems: output.length, fake, idealMs, achieved: idealMs / fake.firstToLastAcceptedMs };
	};
	log(`2. Omnisend under ${CONFIG.rateLimitPerMinute}/min: ours, ${limited} events (takes over ${Math.floor((limited - 1) / CONFIG.rateLimitPerMinute)} min)`);
	result.rateLimited = { ours: await oursUnderLimit() };
	const r = result.rateLimited.ours;
	log(
		`2. Omnisend under the limit, ours: ${(r.fake.firstToLastAcceptedMs / 1000).toFixed(1)} s first to last accepted (ideal ${(r.idealMs / 1000).toFixed(0)} s, achieved ${(r.achieved * 100).toFixed(1)} %), ` +
			`${r.fake.lost} lost, ${r.fake.throttled} x 429, ${r.failedItems} failed items`,
	);
	omnisend.rateLimit(CONFIG.rateLimitPerMinute);
	omnisend.clear();
	const seed = seeds.next();
	const items = expectedItems('omnisend', limited, seed);
	const outcome = await runCase(stack, work, 'omnisend-http', { kind: 'omnisend', n: limited, seed });
	const fake = checkOmnisend(omnisend.requests(), items);
	const { output, ...kept } = outcome;
	result.rateLimited.httpDefault = { ...kept, seed, events: limited, outputItems: output.length, fake };
	log(`2. Omnisend under the limit, HTTP Request default: ${result.rateLimited.httpDefault.failedItems} of ${limited} items failed, ${fake.throttled} x 429, ${fake.uniqueAccepted} accepted`);
	omnisend.rateLimit(0);
	omnisend.clearFaults();
	return result;
}

// ---------------------------------------------------------------------------------------------
// 3. Acumatica

async function benchAcumatica(stack, work, seeds) {
	const acumatica = stack.sandbox.services.acumatica;
	const n = CONFIG.acumaticaUpserts;
	const result = { upserts: n, cases: { 'acumatica-ours': { runs: [] }, 'acumatica-ours-max': { runs: [] }, 'acumatica-http': { runs: [] } } };
	for (let run = 0; run < CONFIG.runs; run++) {
		const order = run % 2 === 0 ? ['acumatica-ours', 'acumatica-http', 'acumatica-ours-max'] : ['acumatica-http', 'acumatica-ours', 'acumatica-ours-max'];
		for (const kase of order) {
			await control(stack.sandbox, 'acumatica', 'DELETE', 'acumatica/records');
			acumatica.clear();
			const before = acumatica.stats();
			const seed = seeds.next();
			const outcome = await runCase(stack, work, kase, { kind: 'acumatica', n, seed });
			const after = acumatica.stats();
			const requests = acumatica.requests();
			const puts = requests.filter((request) => request.method === 'PUT');
			const stored = acumatica.records('Customer');
			const expected = expectedItems('acumatica', n, seed);
			const byKey = new Map(stored.map((record) => [record.CustomerID?.value, record]));
			const wrong = expected.filter((item) => {
				const record = byKey.get(item.CustomerID);
				return !record || record.CustomerName?.value !== item.CustomerName || record.CustomerClass?.value !== item.CustomerClass;
			}).length;
			const { output, ...kept } = outcome;
			const record = {
				...kept,
				seed,
				outputItems: output.length,
				logins: after.logins - before.logins,
				logouts: after.logouts - before.logouts,
				activeSessionsAfter: after.active,
				puts: puts.length,
				putStatuses: puts.reduce((counts, request) => ({ ...counts, [request.status]: (counts[request.status] ?? 0) + 1 }), {}),
				stored: stored.length,
				wrongOrMissing: wrong,
			};
			result.cases[kase].runs.push(record);
			log(
				`3. Acumatica ${kase} run ${run + 1}: node(s) ${(outcome.nodeMs / 1000).toFixed(2)} s, execution ${(outcome.wallMs / 1000).toFixed(2)} s, ` +
					`${record.logins} login(s) / ${record.logouts} logout(s), ${record.puts} PUTs, ${record.stored - record.wrongOrMissing}/${n} records right` +
					(outcome.status !== 'success' ? ` (execution ${outcome.status})` : ''),
			);
		}
	}
	for (const kase of Object.keys(result.cases)) {
		const runs = result.cases[kase].runs;
		result.cases[kase].nodeMs = summary(runs.map((r) => r.nodeMs));
		result.cases[kase].wallMs = summary(runs.map((r) => r.wallMs));
		result.cases[kase].loginsPerRun = [...new Set(runs.map((r) => r.logins))];
		result.cases[kase].logoutsPerRun = [...new Set(runs.map((r) => r.logouts))];
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// 4. Templated Webhook

async function benchTemplated(stack, work, seeds) {
	const receiver = stack.sandbox.services.receiver;
	const n = CONFIG.templatedItems;
	const result = { items: n, signing: 'none on either side', cases: { 'templated-ours': { runs: [] }, 'templated-ours-max': { runs: [] }, 'templated-http': { runs: [] } } };
	for (let run = 0; run < CONFIG.runs; run++) {
		const order = run % 2 === 0 ? ['templated-ours', 'templated-http', 'templated-ours-max'] : ['templated-http', 'templated-ours', 'templated-ours-max'];
		for (const kase of order) {
			receiver.clear();
			const seed = seeds.next();
			const outcome = await runCase(stack, work, kase, { kind: 'templated', n, seed });
			const received = receiver.requests().filter((request) => request.path === '/bench/hook');
			const byEvent = new Map();
			for (const request of received) {
				try {
					byEvent.set(JSON.parse(request.rawBody).event_id, request);
				} catch {
					/* counted as differing below */
				}
			}
			let jsonEqual = 0;
			for (let i = 0; i < n; i++) {
				const item = itemFor(i, seed);
				const request = byEvent.get(item.event.id);
				if (!request) continue;
				try {
					require('node:assert').deepStrictEqual(JSON.parse(request.rawBody), expectedBody(item));
					jsonEqual++;
				} catch {
					/* differs */
				}
			}
			const bodyBytes = received.length ? median(received.map((request) => Buffer.byteLength(request.rawBody))) : NaN;
			const { output, ...kept } = outcome;
			const record = { ...kept, seed, received: received.length, statuses: [...new Set(received.map((request) => request.status))], jsonEqual, medianBodyBytes: bodyBytes, sampleBody: received[0]?.rawBody };
			result.cases[kase].runs.push(record);
			log(
				`4. Templated ${kase} run ${run + 1}: node ${(outcome.nodeMs / 1000).toFixed(2)} s, execution ${(outcome.wallMs / 1000).toFixed(2)} s, ` +
					`${received.length} received, ${jsonEqual}/${n} bodies as expected` +
					(outcome.status !== 'success' ? ` (execution ${outcome.status})` : ''),
			);
		}
	}
	for (const kase of Object.keys(result.cases)) {
		const runs = result.cases[kase].runs;
		result.cases[kase].nodeMs = summary(runs.map((r) => r.nodeMs));
		result.cases[kase].wallMs = summary(runs.map((r) => r.wallMs));
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// Micro benchmarks (parse alone, render alone) under n8n's Node.js

/** Runs bench/micro.js as a child (asynchronously: the sandbox's fakes live in this process and must keep answering). */
async function runMicro(n8n, xmlFile) {
	const options = { n8nDir: n8n.dir, root: ROOT, xmlFile, loops: CONFIG.microLoops, parseOps: CONFIG.microParseOps, renderLoops: CONFIG.microRenderLoops, renderItems: CONFIG.microRenderItems };
	const child = spawn(n8n.node.binary, [path.join(__dirname, 'micro.js'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const code = await new Promise((resolve) => child.on('close', resolve));
	if (code !== 0) throw new Error(`bench/micro.js failed: ${stderr.slice(-2000)}`);
	const micro = JSON.parse(stdout.trim().split('\n').pop());
	micro.parse.ours = summary(micro.parse.opsPerSecond.ours);
	micro.parse.theirs = summary(micro.parse.opsPerSecond.theirs);
	for (const engine of Object.keys(micro.render.rendersPerSecond)) micro.render[engine] = summary(micro.render.rendersPerSecond[engine]);
	return micro;
}

// ---------------------------------------------------------------------------------------------
// 5. Footprint: n8n start time with and without the package

/**
 * n8n start times with and without the package, on one database. `prepare()` makes that database (the
 * first start of an empty user folder runs the migrations; it is not timed, and runs while the
 * benchmark stack starts); `measure(stackDir, waitIdle)` copies it for the "with" side, adds the
 * package as the stack installed it, and times the alternating starts, awaiting `waitIdle(expectedMs)`
 * (optional) before each. Every n8n it starts is stopped by a reaper if this process dies.
 */
function startTimes(n8n, workDir) {
	const dirs = { without: path.join(workDir, 'without-package'), with: path.join(workDir, 'with-package') };
	for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
	const logDir = path.join(workDir, 'logs');
	fs.mkdirSync(workDir, { recursive: true });
	const reaper = startReaper(workDir);
	const onSpawn = (pid) => reaper.track({ group: pid });
	let slowestMs = 15_000; // start + stop, the longest seen so far (the first guess: 15 s)
	const timeStart = async (which, { measured = true } = {}) => {
		const instance = new N8nInstance({ n8n, userFolder: dirs[which], port: await freePort(), logDir: path.join(logDir, which), onSpawn });
		const start = now();
		try {
			await instance.start();
			return (now() - start) / 1000;
		} finally {
			await instance.stop();
			// Not the first start: migrations, beside the stack's start, take two or three times as long.
			if (measured) slowestMs = Math.max(slowestMs, now() - start);
		}
	};
	return {
		async prepare() {
			fs.mkdirSync(dirs.without, { recursive: true });
			return timeStart('without', { measured: false });
		},
		async measure(stackDir, waitIdle = async () => {}) {
			fs.cpSync(dirs.without, dirs.with, { recursive: true });
			fs.cpSync(path.join(stackDir, 'n8n-home/.n8n/nodes'), path.join(dirs.with, '.n8n/nodes'), { recursive: true });
			const result = { with: [], without: [] };
			for (let i = 0; i < CONFIG.footprintStarts; i++) {
				for (const which of i % 2 === 0 ? ['with', 'without'] : ['without', 'with']) {
					await waitIdle(slowestMs * 1.1 + 1000);
					const seconds = await timeStart(which);
					result[which].push(seconds);
					log(`5. n8n start ${which} the package: ${seconds.toFixed(1)} s`);
				}
			}
			return { with: summary(result.with), without: summary(result.without) };
		},
		close() {
			reaper.release();
		},
	};
}

// ---------------------------------------------------------------------------------------------

/**
 * `npm run build` as a child, started before the (synchronous, on a fresh clone several minutes long)
 * n8n install so the two overlap; its output goes to a log file, shown if it fails.
 */
function startBuild(logFile) {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const out = fs.openSync(logFile, 'w');
	// Niced: on a fresh clone n8n's install (the longest part) runs at the same time and goes first.
	const child = spawn('nice', ['-n', '10', 'npm', 'run', 'build'], { cwd: ROOT, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	const began = now();
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve((now() - began) / 1000);
			else reject(new Error(`npm run build failed (exit ${code}):\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}`));
		});
	});
}

async function main() {
	const building = args.has('--no-build') ? undefined : startBuild(path.join(cacheDir(), 'bench', 'build.log'));
	building?.catch(() => {}); // awaited (and thrown) below
	if (building) log('building the package (npm run build) while the toolchain is checked or installed');
	const toolchainStart = now();
	const n8n = ensureN8n();
	const toolchainSeconds = (now() - toolchainStart) / 1000;
	const buildSeconds = building ? await building : undefined;
	if (building) log(`package built (${buildSeconds.toFixed(0)} s)`);
	const nodeVersion = spawnSync(n8n.node.binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
	const machine = {
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cpus: os.cpus().length,
		memoryBytes: os.totalmem(),
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		n8nNode: nodeVersion,
		runnerNode: process.version,
		n8nVersion: n8n.version,
		date: new Date().toISOString(),
		commit: gitCommit(),
		loadAverageAtStart: os.loadavg(),
	};
	log(`machine: ${machine.cpus} x ${machine.cpu}, ${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB, n8n ${machine.n8nVersion} on Node ${nodeVersion}; ${QUICK ? 'QUICK mode (development only)' : `${CONFIG.runs} runs each`}`);
	if (!fs.existsSync(path.join(ROOT, 'dist/nodes'))) throw new Error('dist/ is missing: run `npm run build` first (or leave out --no-build)');

	const workDir = path.join(cacheDir(), 'bench');
	fs.mkdirSync(workDir, { recursive: true });
	const results = { machine, config: CONFIG, quick: QUICK, toolchainSeconds, buildSeconds };
	let seedCounter = Math.floor(Date.now() / 1000) % 100000;
	const seeds = { next: () => ++seedCounter };
	let work;
	const footprint = !args.has('--skip-footprint');
	const starts = footprint ? startTimes(n8n, path.join(workDir, 'start-times')) : undefined;
	const stackStart = now();
	log(`starting the sandbox and n8n with our package (pack, install, import, publish)${footprint ? '; beside it, the database for the start times (migrations, not timed)' : ''}...`);
	const preparing = starts?.prepare();
	preparing?.catch(() => {}); // awaited (and thrown) after the stack is up
	const stack = await startStack({
		mode: 'regular',
		workDir: path.join(workDir, 'stack'),
		only: [],
		services: ['omnisend', 'acumatica', 'receiver', 'salesforce'],
		sandboxOptions: { omnisend: { ratePerMinute: 0 } },
		workflows: (sandbox) => {
			work = W.workWorkflow(sandbox);
			return [
				{ workflow: W.salesforceWorkflow(), webhooks: [`${W.SF_WEBHOOK_ID}/salesforce`, W.SF_THEIRS_PATH] },
				{ workflow: work.workflow, webhooks: work.webhooks },
			];
		},
	});
	stack.rest = patientRest(stack.rest);
	await preparing;
	results.stackStartSeconds = (now() - stackStart) / 1000;
	log(`stack up in ${results.stackStartSeconds.toFixed(0)} s: ${stack.n8n.url}`);
	let xmlFile;
	const overlap = !args.has('--no-overlap');
	results.overlapped = overlap;
	const logMicro = (micro) =>
		log(`parse 100 notifications: ours ${micro.parse.ours.median.toFixed(0)}/s, xml2js ${micro.parse.theirs.median.toFixed(0)}/s; render: ours ${micro.render.ours.median.toFixed(0)}/s, n8n vm ${micro.render.vm?.median?.toFixed(0)}/s, legacy ${micro.render.legacy?.median?.toFixed(0)}/s`);
	const startTimesResult = {};
	// Run in the minutes the rate-limited Omnisend run only waits (see idleSlots), unless --no-overlap.
	const sideWork = async (waitIdle) => {
		await waitIdle(25_000);
		log('parse and render alone (n8n\'s Node.js, n8n\'s libraries), while the rate-limited run waits');
		results.micro = await runMicro(n8n, xmlFile);
		logMicro(results.micro);
		if (footprint) {
			log('5. n8n start time with and without the package, while the rate-limited run waits');
			Object.assign(startTimesResult, await starts.measure(path.join(workDir, 'stack'), waitIdle));
		}
	};
	try {
		results.footprint = { packedBytes: fs.statSync(stack.tarball).size, tarball: path.basename(stack.tarball) };
		const nodesDir = path.join(stack.dir, 'n8n-home/.n8n/nodes/node_modules');
		// The package and the closure of its dependencies (what n8n's installer puts on disk; the runner
		// installs the same way), and the whole folder as a cross-check.
		results.footprint.installed = dependencyClosure(nodesDir, 'n8n-nodes-crm-relay');
		results.footprint.packageOnly = treeSize(path.join(nodesDir, 'n8n-nodes-crm-relay'), ['node_modules']);
		results.footprint.nodesFolder = treeSize(nodesDir);

		const mainPid = stack.n8n.processes.find((entry) => entry.name === 'main').child.pid;
		await sleep(2000);
		const idle = sampleMemory(mainPid);
		await sleep(3000);
		const idleSamples = idle.stop();
		results.memoryIdle = { main: median(idleSamples.samples.map((s) => s.main)), group: median(idleSamples.samples.map((s) => s.group)), count: idleSamples.count };

		log('1. Salesforce Trigger vs Webhook + Respond to Webhook');
		results.salesforce = await benchSalesforce(stack);
		xmlFile = path.join(workDir, 'outbound-100.xml');
		fs.writeFileSync(xmlFile, stack.sandbox.services.salesforce.outboundMessage({ sObjectType: 'Lead', records: leads(100) }));

		log(`2. Omnisend: ${CONFIG.omnisendEvents} events at ${CONFIG.omnisendLatencyMs} ms latency`);
		const memory = sampleMemory(mainPid);
		try {
			results.omnisend = await benchOmnisend(stack, work, seeds, overlap ? sideWork : undefined);
		} finally {
			const sampled = memory.stop();
			results.memoryBenchmark2 = { peakMain: sampled.peakMain, peakGroup: sampled.peakGroup, count: sampled.count, intervalMs: sampled.intervalMs, samples: sampled.samples };
		}

		log(`3. Acumatica: ${CONFIG.acumaticaUpserts} upserts`);
		results.acumatica = await benchAcumatica(stack, work, seeds);

		log(`4. Templated Webhook: ${CONFIG.templatedItems} items`);
		results.templated = await benchTemplated(stack, work, seeds);
	} finally {
		log('stopping the stack');
		await stack.stop();
	}

	if (!overlap) {
		log('parse and render alone (n8n\'s Node.js, n8n\'s libraries)');
		results.micro = await runMicro(n8n, xmlFile);
		logMicro(results.micro);
		if (footprint) {
			log('5. n8n start time with and without the package');
			Object.assign(startTimesResult, await starts.measure(path.join(workDir, 'stack')));
		}
	}
	starts?.close();
	Object.assign(results.footprint, startTimesResult);

	results.durationSeconds = (Date.now() - started) / 1000;
	const resultsDir = path.join(__dirname, 'results');
	fs.mkdirSync(resultsDir, { recursive: true });
	const stamp = machine.date.replace(/[:.]/g, '-');
	const markdown = renderMarkdown(results);
	fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), `${JSON.stringify(results, null, 1)}\n`);
	fs.writeFileSync(path.join(resultsDir, `${stamp}.md`), markdown);
	fs.copyFileSync(path.join(resultsDir, `${stamp}.json`), path.join(resultsDir, 'latest.json'));
	fs.copyFileSync(path.join(resultsDir, `${stamp}.md`), path.join(resultsDir, 'latest.md'));
	log(`done in ${(results.durationSeconds / 60).toFixed(1)} min`);
	process.stdout.write(`\n${markdown}\nTable: ${path.join(resultsDir, `${stamp}.md`)} (also bench/results/latest.md); raw samples: ${stamp}.json\n`);
}

module.exports = { dependencyClosure, treeSize, gitCommit };

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error) => {
			process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
