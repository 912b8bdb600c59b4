/**
 * Reliability in a real n8n 2.x (issue #8): runs of thousands of items through our nodes while the
 * sandbox's fakes answer 20 % of the calls with 429 (Retry-After), 500 or a time-out (the fake still
 * handles a timed-out request afterwards, as real servers do: that is how duplicates arise). Every item
 * must come out delivered or with its reason (zero lost), and every duplicate must be explained. Then
 * a Salesforce token that dies mid-run, Acumatica's API login limit, a receiver down past the Templated
 * Webhook's Error-state threshold, and (queue mode) a worker killed mid-run. Last, every execution
 * record and n8n log line is scanned for the credentials' secrets and the tokens/sessions the fakes issued.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import { reachableText } from '../harness/reachable-text';
import { type RecordedRequest as Recorded, until } from '../sandbox/sandbox-api';

const root = path.resolve(__dirname, '../..');
// The runner is plain JavaScript shared with `npm start`.
/* eslint-disable @typescript-eslint/no-require-imports */
const { startStack } = require(path.join(root, 'sandbox/runner/stack.js'));
const { SANDBOX_KEYS, post } = require(path.join(root, 'sandbox/runner/blueprints.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

const workRoot = path.join(root, '.cache/e2e');
// A first run on a fresh machine installs Node 24 and n8n (minutes); later runs reuse them.
const STACK_TIMEOUT = 30 * 60_000;

interface Item {
	json: Record<string, unknown>;
	pairedItem?: { item: number };
}
interface Detail {
	id: string;
	status: string;
	runData: Record<string, Array<{ data: { main: Item[][] } }>>;
}
interface Figures {
	test: string;
	items: number;
	f429: number;
	f500: number;
	timeouts: number;
	retries: number;
	ok: number;
	reported: number;
	/** Reported items that did take effect at the service (a time-out whose request was handled). */
	reportedButDone?: number;
	duplicates: number;
	/** Duplicates without an injected hold (the node's timeout fired on a timely answer). */
	notHeld?: number;
	lost: number;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Stack = any;

const figures: Figures[] = [];

afterAll(() => {
	if (figures.length === 0) return;
	const columns: Array<[keyof Figures, string]> = [
		['test', 'run'],
		['items', 'items'],
		['f429', '429'],
		['f500', '500'],
		['timeouts', 'time-outs'],
		['retries', 'retries'],
		['ok', 'ok'],
		['reported', 'reported'],
		['reportedButDone', 'of which done'],
		['duplicates', 'dup. processed'],
		['notHeld', 'of which not held'],
		['lost', 'lost'],
	];
	const rows = [columns.map(([, title]) => title), ...figures.map((row) => columns.map(([key]) => String(row[key] ?? '-')))];
	const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index].length)));
	console.log(`Reliability figures (issue #8)\n${rows.map((row) => row.map((cell, index) => cell.padEnd(widths[index])).join(' | ')).join('\n')}`);
});

async function sleep(ms: number) {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** RFC 4122 version-5 UUID, computed here independently of the nodes' own helper. */
function uuidV5(name: string, namespace = '5b0f7d8e-3f7a-4d52-9a8e-6c1f2b9d4e17'): string {
	const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name).digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Workflows: Webhook (answers at once) -> Code (n items from {n, prefix}) -> the node under test.

const MAKE_ITEMS = [
	'const { n, prefix, canary } = $json.body;',
	'const items = [];',
	'for (let i = 0; i < n; i++) {',
	'\tconst key = `${prefix}-${String(i).padStart(5, "0")}`;',
	'\titems.push({ json: { i, key, email: `${key}@example.com`.toLowerCase(), ...(canary ? { canary } : {}) } });',
	'}',
	'return items;',
].join('\n');

const OMNISEND = { omnisendApi: { id: 'crmRelayOmnisend1', name: 'Omnisend account' } };
const ACUMATICA = { acumaticaApi: { id: 'crmRelayAcumatica1', name: 'Acumatica account' } };
const SALESFORCE = { salesforceClientCredentialsApi: { id: 'crmRelaySalesforce1', name: 'Salesforce account' } };
const SIGNING = { templatedWebhookAuthApi: { id: 'crmRelayWebhookSigning1', name: 'Receiver signing secret' } };
const TARGET = 'Under Test';

/** A workflow whose webhook `hook` makes items for `target` (a node of ours, named TARGET). */
function itemsWorkflow(id: string, hook: string, target: Record<string, unknown>) {
	return {
		workflow: {
			id,
			name: `Reliability: ${hook}`,
			nodes: [
				{
					id: uuidV5(`${id}/in`),
					name: 'In',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: uuidV5(`${id}/webhook`),
					parameters: { httpMethod: 'POST', path: hook, responseMode: 'onReceived', options: {} },
				},
				{ id: uuidV5(`${id}/items`), name: 'Make Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: MAKE_ITEMS } },
				{ id: uuidV5(`${id}/target`), name: TARGET, typeVersion: 1, position: [440, 0], ...target },
			],
			connections: {
				In: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
				'Make Items': { main: [[{ node: TARGET, type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
			pinData: {},
		},
		webhooks: [hook],
	};
}

const omnisendEvents = (id: string, hook: string, requestOptions: object) =>
	itemsWorkflow(id, hook, {
		type: 'n8n-nodes-crm-relay.omnisend',
		onError: 'continueErrorOutput',
		credentials: OMNISEND,
		parameters: {
			resource: 'event',
			operation: 'send',
			preset: 'custom',
			customEventName: 'reliability test',
			email: '={{ $json.email }}',
			deduplicationKey: '={{ $json.key }}',
			additionalProperties: { property: [{ key: 'key', type: 'string', value: '={{ $json.key }}' }] },
			options: {},
			requestOptions,
		},
	});

const acumaticaCustomers = (id: string, hook: string, requestOptions: object) =>
	itemsWorkflow(id, hook, {
		type: 'n8n-nodes-crm-relay.acumatica',
		onError: 'continueErrorOutput',
		credentials: ACUMATICA,
		parameters: {
			authentication: 'password',
			resource: 'record',
			operation: 'createOrUpdate',
			entity: { __rl: true, mode: 'name', value: 'Customer' },
			record: '={{ JSON.stringify({ CustomerID: $json.key, CustomerName: "Customer " + $json.key }) }}',
			options: {},
			requestOptions,
		},
	});

const salesforceContacts = (id: string, hook: string, requestOptions: object) =>
	itemsWorkflow(id, hook, {
		type: 'n8n-nodes-crm-relay.salesforce',
		onError: 'continueErrorOutput',
		credentials: SALESFORCE,
		parameters: {
			authentication: 'clientCredentials',
			resource: 'record',
			operation: 'upsert',
			sobject: { __rl: true, mode: 'name', value: 'Contact' },
			externalIdField: 'Ext_Id__c',
			externalIdValue: '={{ $json.key }}',
			fieldsInput: 'json',
			fieldsJson: '={{ JSON.stringify({ LastName: "Contact " + $json.key }) }}',
			requestOptions: { includeApiUsage: false, ...requestOptions },
		},
	});

const templatedDeliveries = (id: string, hook: string, url: string, options: object) =>
	itemsWorkflow(id, hook, {
		type: 'n8n-nodes-crm-relay.templatedWebhook',
		credentials: SIGNING,
		parameters: {
			url,
			method: 'POST',
			contentType: 'json',
			headers: '{}',
			template: '{"key": {{ key | tojson }}, "email": {{ email | tojson }}}',
			options: { allowLoopback: true, deliveryKey: '={{ $json.key }}', ...options },
		},
	});

// ---------------------------------------------------------------------------------------------
// Reading runs and what the fakes saw.

/**
 * A read from n8n's REST API, tried again when the connection was closed under it (fetch reuses idle
 * keep-alive connections that n8n may be closing at that moment: "fetch failed", "other side closed").
 */
async function read<T>(call: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await call();
		} catch (error) {
			if (attempt >= 3 || !/fetch failed/.test(String((error as Error).message))) throw error;
			await sleep(200);
		}
	}
}

const executionsOf = async (stack: Stack, workflowId: string): Promise<Array<{ id: string; status: string }>> => await read(async () => await stack.rest.executions(workflowId));
const executionDetail = async (stack: Stack, id: string): Promise<Omit<Detail, 'id'>> => await read(async () => await stack.rest.execution(id));

/** Fires a workflow's webhook and waits for the one new execution to finish; returns it decoded. */
async function runWorkflow(stack: Stack, workflowId: string, hook: string, body: object, timeoutMs = 240_000): Promise<Detail> {
	const before = new Set((await executionsOf(stack, workflowId)).map((execution) => execution.id));
	const answer = await post(`${stack.n8n.url}/webhook/${hook}`, body);
	if (answer.status !== 200) throw new Error(`webhook ${hook} answered ${answer.status}: ${answer.body}`);
	const execution = await until(
		`the ${workflowId} execution to finish`,
		async () => {
			const fresh = (await executionsOf(stack, workflowId)).filter((entry) => !before.has(entry.id));
			return fresh.length === 1 && !['new', 'running', 'waiting'].includes(fresh[0].status) ? fresh[0] : undefined;
		},
		timeoutMs,
		500,
	);
	return { ...(await executionDetail(stack, execution.id)), id: execution.id };
}

/** The node's outputs in its first run: [success, error] for ours with an error output, [delivered, retry later, dropped] for the webhook node. */
const outputs = (detail: Detail): Item[][] => detail.runData[TARGET][0].data.main.map((items) => items ?? []);

const keyOf = (prefix: string, index: number) => `${prefix}-${String(index).padStart(5, '0')}`;
const indexOf = (item: Item) => item.pairedItem?.item ?? -1;

type FaultKind = '429' | '500' | 'timeout';

/** The injected fault a request met ('timeout': held 2 s, twice the node's timeout). */
function kindOf(request: Recorded): FaultKind | undefined {
	if (request.fault?.status === 429) return '429';
	if (request.fault?.status === 500) return '500';
	if (request.fault?.latencyMs) return 'timeout';
	return undefined;
}

const ok = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

/**
 * What the service itself answered: also for a request the node had given up on (`processed`; the fake
 * notices the node's timeout when the connection closes, which on a busy machine can come only after the hold).
 */
const serviceStatus = (request: Recorded) => (request.fault?.status || request.fault?.drop ? undefined : request.fault?.abandoned ? request.fault.processed : request.status);

/** Whether the request took effect: the service answered 2xx. */
const tookEffect = (request: Recorded) => ok(serviceStatus(request));

/** A held request (past the node's timeout) that took effect: the node could not see that, so it went on as if it had not. */
const heldButDone = (request: Recorded) => kindOf(request) === 'timeout' && tookEffect(request);

interface Mix {
	r429: number;
	r500: number;
	timeout: number;
}

/** Seeded rules on one path, checked in order: 429 with Retry-After 1, then 500, then a wait longer than the node's timeout. */
function injectMix(service: Stack, match: { method: string; path: string }, seed: number, mix: Mix, latencyMs: number) {
	service.fault({ ratio: mix.r429, seed, retryAfter: 1, match });
	service.fault({ ratio: mix.r500 / (1 - mix.r429), seed: seed + 1, status: 500, match });
	service.fault({ ratio: mix.timeout / (1 - mix.r429 - mix.r500), seed: seed + 2, latencyMs, processAbandoned: true, match });
}

/**
 * What the fake saw for one run: fault counts by kind, retries, and per key the requests that took
 * effect. A key that took effect more than once was sent again after an attempt whose answer the node
 * never got: mostly a held request (the injected time-out), otherwise the node's 1 s timeout firing on
 * an answer that was on its way (an n8n busy with four 2,000-item runs on two cores); counted apart.
 */
function analyse(requests: Recorded[], keyOfRequest: (request: Recorded) => string, items: number) {
	const counts = { '429': 0, '500': 0, timeout: 0 } as Record<FaultKind, number>;
	const byKey = new Map<string, Recorded[]>();
	for (const request of requests) {
		const kind = kindOf(request);
		if (kind) counts[kind]++;
		const key = keyOfRequest(request);
		byKey.set(key, [...(byKey.get(key) ?? []), request]);
	}
	let duplicates = 0;
	let notHeld = 0;
	for (const [, sent] of byKey) {
		const extra = Math.max(0, sent.filter(tookEffect).length - 1);
		duplicates += extra;
		notHeld += Math.max(0, extra - sent.filter(heldButDone).length);
	}
	// Repeats the fake received: an item whose time-out ran out before its request arrived has none.
	return { counts, byKey, duplicates, notHeld, retries: requests.length - byKey.size };
}

/** How many of the reported items took effect all the same (their key has a request the service answered 2xx). */
const doneAnyway = (reported: Item[], prefix: string, byKey: Map<string, Recorded[]>) =>
	reported.filter((item) => (byKey.get(keyOf(prefix, indexOf(item))) ?? []).some(tookEffect)).length;

/** Each item's index is in exactly one output (none lost, none twice); every error-output item carries its reason. */
function accountFor(outs: Item[][], items: number, reportedOutputs: number[]) {
	const seen = new Map<number, number>();
	outs.forEach((output, outputIndex) => {
		for (const item of output) {
			expect(seen.has(indexOf(item))).toBe(false);
			seen.set(indexOf(item), outputIndex);
		}
	});
	expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: items }, (_, index) => index));
	for (const outputIndex of reportedOutputs) {
		for (const item of outs[outputIndex] ?? []) {
			const reason = item.json.error ?? (item.json.webhookDelivery as { reason?: unknown } | undefined)?.reason;
			expect(typeof reason).toBe('string');
			expect((reason as string).length).toBeGreaterThan(10);
		}
	}
	return items - seen.size;
}

// ---------------------------------------------------------------------------------------------
// Secrets: the credentials' values, plus every token and session the fakes issued during the suite.

const issued = new Set<string>();

/** Remembers the Salesforce tokens and Acumatica session cookies the fakes' recordings show (call before clearing them). */
function collectIssued(stack: Stack) {
	const services = stack.sandbox.services;
	for (const request of (services.salesforce?.requests() ?? []) as Recorded[]) {
		const auth = request.headers.authorization;
		if (typeof auth === 'string' && auth.startsWith('Bearer ')) issued.add(auth.slice('Bearer '.length));
	}
	for (const request of (services.acumatica?.requests() ?? []) as Recorded[]) {
		for (const pair of String(request.headers.cookie ?? '').split(';')) {
			const [name, value] = pair.trim().split('=');
			if ((name === '.ASPXAUTH' || name === 'ASP.NET_SessionId') && value) issued.add(value);
		}
	}
}

const credentialSecrets = () => [
	SANDBOX_KEYS.omnisend,
	SANDBOX_KEYS.webhookSigningSecret,
	SANDBOX_KEYS.salesforceClientSecret,
	SANDBOX_KEYS.acumaticaPassword,
] as string[];

/** Every string n8n recorded for these workflows' executions (run data, errors, metadata), one text per execution. */
async function recordedTexts(stack: Stack, workflowIds: string[]): Promise<string[]> {
	const texts: string[] = [];
	for (const workflowId of workflowIds) {
		for (const { id } of await executionsOf(stack, workflowId)) {
			const raw = await read(async () => await stack.rest.request('GET', `/executions/${id}`));
			texts.push(`${reachableText(raw)}\n${reachableText(await executionDetail(stack, id))}`);
		}
	}
	return texts;
}

const leaked = (texts: string[], secrets: string[]) => secrets.filter((secret) => texts.some((text) => text.includes(secret)));

/** A direct login to the fake Acumatica (a seat holder from another app); returns its cookie header. */
async function acumaticaLogin(stack: Stack): Promise<{ status: number; cookie: string }> {
	const acumatica = stack.sandbox.services.acumatica;
	return await new Promise((resolve, reject) => {
		const req = https.request(`${acumatica.url}/entity/auth/login`, {
			method: 'POST',
			agent: false,
			ca: stack.sandbox.ca.pem,
			headers: { 'Content-Type': 'application/json' },
		});
		req.on('response', (res) => {
			res.resume();
			const cookie = (res.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
			resolve({ status: res.statusCode ?? 0, cookie });
		});
		req.on('error', reject);
		req.end(JSON.stringify({ name: acumatica.username, password: acumatica.password, tenant: acumatica.tenant }));
	});
}

async function acumaticaLogout(stack: Stack, cookie: string): Promise<number> {
	return await new Promise((resolve, reject) => {
		const req = https.request(`${stack.sandbox.services.acumatica.url}/entity/auth/logout`, {
			method: 'POST',
			agent: false,
			ca: stack.sandbox.ca.pem,
			headers: { Cookie: cookie },
		});
		req.on('response', (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end();
	});
}

// ---------------------------------------------------------------------------------------------

const N = 2000;
const HOOKS = {
	omnisend: 'reliability-omnisend',
	acumatica: 'reliability-acumatica',
	salesforce: 'reliability-salesforce',
	receiver: 'reliability-receiver',
	tokenExpiry: 'reliability-salesforce-token',
	loginLimit: 'reliability-acumatica-limit',
	receiverDown: 'reliability-receiver-down',
};
const IDS = {
	omnisend: 'crmRelayRelOmnisend',
	acumatica: 'crmRelayRelAcumatica',
	salesforce: 'crmRelayRelSalesforce',
	receiver: 'crmRelayRelReceiver',
	tokenExpiry: 'crmRelayRelSfToken',
	loginLimit: 'crmRelayRelAcuLimit',
	receiverDown: 'crmRelayRelDown',
};
// Node timeouts are 1 s (the smallest the options allow); a "time-out" fault holds the request 2 s.
const HOLD_MS = 2000;
// Omnisend's node holds ALL its requests for Retry-After after any 429 (right for a per-store rate
// limit): a smaller 429 share keeps its run inside the time budget; the total stays 20 %.
const MIXES: Record<'omnisend' | 'acumatica' | 'salesforce' | 'receiver', Mix> = {
	omnisend: { r429: 0.02, r500: 0.09, timeout: 0.09 },
	acumatica: { r429: 0.07, r500: 0.07, timeout: 0.06 },
	salesforce: { r429: 0.07, r500: 0.07, timeout: 0.06 },
	receiver: { r429: 0.07, r500: 0.07, timeout: 0.06 },
};
const DOWN_PATH = '/hooks/down';
// The Templated Webhook's Error state after 3 s of failures, one probe per 3 s (fractions of the
// minute-based options: the runtime takes them as given; the editor's minimum is 1 minute).
const ERROR_AFTER_MS = 3000;
const PROBE_EVERY_MS = 3000;

describe('regular mode: injected faults, expiring tokens, login limits, a receiver outage', () => {
	let stack: Stack;
	const canary = `canary-${randomBytes(8).toString('hex')}`;

	beforeAll(async () => {
		stack = await startStack({
			mode: 'regular',
			workDir: path.join(workRoot, 'reliability-regular'),
			only: [],
			services: ['omnisend', 'acumatica', 'salesforce', 'receiver'],
			sandboxOptions: { omnisend: { ratePerMinute: 0 } },
			workflows: (sandbox: Stack) => [
				omnisendEvents(IDS.omnisend, HOOKS.omnisend, { concurrency: 16, timeout: 1, serverErrorRetries: 3, rateLimitRetries: 8 }),
				acumaticaCustomers(IDS.acumatica, HOOKS.acumatica, { concurrency: 10, timeout: 1, rateLimitRetries: 3, serverErrorRetries: 2 }),
				salesforceContacts(IDS.salesforce, HOOKS.salesforce, { concurrency: 16, timeout: 1, serverErrorRetries: 3 }),
				templatedDeliveries(IDS.receiver, HOOKS.receiver, `${sandbox.services.receiver.url}/hooks/faults`, {
					concurrency: 16,
					timeoutSeconds: 1,
					retries: 3,
					backoffSeconds: 0.1,
					retryWindowSeconds: 10,
					retrySchedule: '60',
				}),
				salesforceContacts(IDS.tokenExpiry, HOOKS.tokenExpiry, { concurrency: 4 }),
				acumaticaCustomers(IDS.loginLimit, HOOKS.loginLimit, { concurrency: 2 }),
				templatedDeliveries(IDS.receiverDown, HOOKS.receiverDown, `${sandbox.services.receiver.url}${DOWN_PATH}`, {
					concurrency: 1,
					timeoutSeconds: 1,
					retries: 0,
					retrySchedule: '60',
					errorStateAfterMinutes: ERROR_AFTER_MS / 60_000,
					probeIntervalMinutes: PROBE_EVERY_MS / 60_000,
				}),
			],
		});
	}, STACK_TIMEOUT);

	afterAll(async () => {
		await stack?.stop();
	}, 120_000);

	describe(`20 % injected faults, ${N} items per service, the four runs side by side`, () => {
		const runs: Partial<Record<keyof typeof MIXES, Detail>> = {};
		const seen: Partial<Record<keyof typeof MIXES, Recorded[]>> = {};

		beforeAll(async () => {
			const services = stack.sandbox.services;
			for (const name of Object.keys(MIXES)) services[name].reset();
			injectMix(services.omnisend, { method: 'POST', path: '/v5/events' }, 101, MIXES.omnisend, HOLD_MS);
			injectMix(services.acumatica, { method: 'PUT', path: '/entity/Default/24.200.001/Customer' }, 202, MIXES.acumatica, HOLD_MS);
			injectMix(services.salesforce, { method: 'PATCH', path: '/services/data/v66.0/sobjects/Contact/Ext_Id__c/*' }, 303, MIXES.salesforce, HOLD_MS);
			injectMix(services.receiver, { method: 'POST', path: '/hooks/faults' }, 404, MIXES.receiver, HOLD_MS);
			const started = Date.now();
			const [omnisend, acumatica, salesforce, receiver] = await Promise.all([
				runWorkflow(stack, IDS.omnisend, HOOKS.omnisend, { n: N, prefix: 'om' }),
				runWorkflow(stack, IDS.acumatica, HOOKS.acumatica, { n: N, prefix: 'AC' }),
				runWorkflow(stack, IDS.salesforce, HOOKS.salesforce, { n: N, prefix: 'sf' }),
				runWorkflow(stack, IDS.receiver, HOOKS.receiver, { n: N, prefix: 'rx' }),
			]);
			Object.assign(runs, { omnisend, acumatica, salesforce, receiver });
			// Requests the nodes gave up on are handled by the fakes after their hold: let the last ones land.
			await sleep(HOLD_MS + 500);
			for (const name of Object.keys(MIXES) as Array<keyof typeof MIXES>) {
				services[name].clearFaults();
				seen[name] = services[name].requests();
			}
			collectIssued(stack);
			console.log(`the four fault runs took ${Math.round((Date.now() - started) / 1000)} s`);
		}, 420_000);

		test('Omnisend events: every item sent or reported; each duplicate carries the original eventID', () => {
			const detail = runs.omnisend!;
			expect(detail.status).toBe('success');
			const [sent, failed] = outputs(detail);
			const lost = accountFor([sent, failed], N, [1]);
			const events = (seen.omnisend ?? []).filter((request) => request.path === '/v5/events');
			const keyOfRequest = (request: Recorded) => String((JSON.parse(request.rawBody) as { properties: { key: string } }).properties.key);
			const { counts, byKey, duplicates, notHeld, retries } = analyse(events, keyOfRequest, N);
			// The eventID is derived from the deduplication key: the same on every attempt of an item.
			for (const [key, requests] of byKey) {
				expect(new Set(requests.map((request) => (JSON.parse(request.rawBody) as { eventID: string }).eventID))).toEqual(new Set([uuidV5(`omnisend-event\nreliability test\n${key}`)]));
			}
			const accepted = new Set(stack.sandbox.services.omnisend.events().map((event: { properties: { key: string } }) => event.properties.key));
			for (const item of sent) {
				const key = keyOf('om', indexOf(item));
				expect(item.json).toMatchObject({ status: 'sent', eventID: uuidV5(`omnisend-event\nreliability test\n${key}`) });
				expect(accepted.has(key)).toBe(true);
			}
			for (const item of failed) expect(item.json.error).toMatch(/^Omnisend (answered|could not be reached)/);
			// Every event the fake accepted is one the service handled (none invented, none dropped by it).
			expect(stack.sandbox.services.omnisend.events().filter((event: { properties: { key: string } }) => event.properties.key.startsWith('om-'))).toHaveLength(events.filter(tookEffect).length);
			figures.push({ test: 'Omnisend events', items: N, f429: counts['429'], f500: counts['500'], timeouts: counts.timeout, retries, ok: sent.length, reported: failed.length, reportedButDone: doneAnyway(failed, 'om', byKey), duplicates, notHeld, lost });
			expect(counts['429'] + counts['500'] + counts.timeout).toBeGreaterThan(0.15 * N);
			expect(lost).toBe(0);
		});

		test('Acumatica create-or-update by key: every item written or reported; one record per key; time-outs are not resent', () => {
			const detail = runs.acumatica!;
			expect(detail.status).toBe('success');
			const [written, failed] = outputs(detail);
			const lost = accountFor([written, failed], N, [1]);
			const puts = (seen.acumatica ?? []).filter((request) => request.method === 'PUT');
			const keyOfRequest = (request: Recorded) => String((JSON.parse(request.rawBody) as { CustomerID: { value: string } }).CustomerID.value);
			const { counts, byKey, duplicates, notHeld, retries } = analyse(puts, keyOfRequest, N);
			const records = stack.sandbox.services.acumatica.records('Customer').filter((record: { CustomerID: { value: string } }) => record.CustomerID.value.startsWith('AC-'));
			const recordKeys = records.map((record: { CustomerID: { value: string } }) => record.CustomerID.value);
			expect(new Set(recordKeys).size).toBe(recordKeys.length);
			for (const item of written) {
				expect(item.json.CustomerID).toBe(keyOf('AC', indexOf(item)));
				expect(recordKeys).toContain(keyOf('AC', indexOf(item)));
			}
			// A PUT without an id may create a record, so the node never repeats one after a 5xx or no answer.
			// An item without an answer in time is reported ("may or may not have reached"): the fake handled
			// its request afterwards and wrote it, unless the node's logout at the end of the run came first
			// (then it answered 401). A 500, or a 429 after the retries, wrote nothing.
			let afterLogout = 0;
			for (const item of failed) {
				const key = keyOf('AC', indexOf(item));
				const requests = byKey.get(key) ?? [];
				if (requests.length === 0) {
					// On a loaded machine the 1 s time-out can run out before the request reaches the fake
					// (connection and TLS set-up): reported as not reached, and nothing was written.
					expect(item.json.error).toMatch(/^Acumatica could not be reached/);
					expect(recordKeys).not.toContain(key);
					continue;
				}
				const last = requests[requests.length - 1];
				if (/^Acumatica could not be reached/.test(String(item.json.error))) {
					if (tookEffect(last)) {
						expect(recordKeys).toContain(key);
					} else {
						expect(recordKeys).not.toContain(key);
						if (kindOf(last) === 'timeout') {
							expect(serviceStatus(last)).toBe(401);
							afterLogout++;
						}
					}
				} else {
					expect(item.json.error).toMatch(/^Acumatica (failed with 500|declined the request: licence request limit exceeded \(429\))/);
					expect(kindOf(last)).toBe(/\(429\)/.test(String(item.json.error)) ? '429' : '500');
					expect(recordKeys).not.toContain(key);
				}
			}
			expect(afterLogout).toBeLessThanOrEqual(10);
			expect(duplicates).toBe(0);
			// Only 429s are repeated (declined, so safe): each one but an item's last request.
			const endedOn429 = [...byKey.values()].filter((requests) => kindOf(requests[requests.length - 1]) === '429').length;
			expect(retries).toBe(counts['429'] - endedOn429);
			// One session for the whole run, logged out at the end.
			const auth = (seen.acumatica ?? []).filter((request) => request.path.startsWith('/entity/auth/'));
			expect(auth.map((request) => request.path)).toEqual(['/entity/auth/login', '/entity/auth/logout']);
			expect(stack.sandbox.services.acumatica.sessions()).toEqual([]);
			figures.push({ test: 'Acumatica create-or-update', items: N, f429: counts['429'], f500: counts['500'], timeouts: counts.timeout, retries, ok: written.length, reported: failed.length, reportedButDone: doneAnyway(failed, 'AC', byKey), duplicates, notHeld, lost });
			expect(lost).toBe(0);
		});

		test('Salesforce upsert by external ID: every item written or reported; handled twice is harmless, one record per key', () => {
			const detail = runs.salesforce!;
			expect(detail.status).toBe('success');
			const [written, failed] = outputs(detail);
			const lost = accountFor([written, failed], N, [1]);
			const upserts = (seen.salesforce ?? []).filter((request) => request.method === 'PATCH');
			const keyOfRequest = (request: Recorded) => decodeURIComponent(request.path.split('?')[0].split('/').pop()!);
			const { counts, byKey, duplicates, notHeld, retries } = analyse(upserts, keyOfRequest, N);
			const records = stack.sandbox.services.salesforce.records('Contact').filter((record: { Ext_Id__c?: string }) => String(record.Ext_Id__c).startsWith('sf-'));
			const recordKeys = records.map((record: { Ext_Id__c: string }) => record.Ext_Id__c);
			expect(new Set(recordKeys).size).toBe(recordKeys.length);
			for (const item of written) {
				expect(item.json).toMatchObject({ success: true, externalIdValue: keyOf('sf', indexOf(item)) });
				expect(recordKeys).toContain(keyOf('sf', indexOf(item)));
			}
			for (const item of failed) expect(item.json.error).toMatch(/^Salesforce (answered (429|500)|could not be reached).* after 4 attempts$/);
			// Only a token at the start: the data path alone was faulted.
			expect((seen.salesforce ?? []).filter((request) => request.path === '/services/oauth2/token').length).toBeLessThanOrEqual(1);
			figures.push({ test: 'Salesforce upsert', items: N, f429: counts['429'], f500: counts['500'], timeouts: counts.timeout, retries, ok: written.length, reported: failed.length, reportedButDone: doneAnyway(failed, 'sf', byKey), duplicates, notHeld, lost });
			expect(lost).toBe(0);
		});

		test('Templated Webhook to the receiver: every item delivered or on Retry Later with its reason; duplicates share the delivery id', () => {
			const detail = runs.receiver!;
			expect(detail.status).toBe('success');
			const [delivered, retryLater, dropped] = outputs(detail);
			const lost = accountFor([delivered, retryLater, dropped], N, [1, 2]);
			const posts = (seen.receiver ?? []).filter((request) => request.path === '/hooks/faults');
			const keyOfRequest = (request: Recorded) => String((JSON.parse(request.rawBody) as { key: string }).key);
			const { counts, byKey, duplicates, notHeld, retries } = analyse(posts, keyOfRequest, N);
			const byIndex = new Map([...delivered, ...retryLater, ...dropped].map((item) => [indexOf(item), item]));
			for (const [key, requests] of byKey) {
				const item = byIndex.get(Number(key.split('-')[1]))!;
				const state = item.json.webhookDelivery as { deliveryId: string };
				// Every attempt of an item: one delivery id and the same bytes, so the receiver can drop repeats.
				expect(new Set(requests.map((request) => request.headers['x-delivery-id']))).toEqual(new Set([state.deliveryId]));
				expect(new Set(requests.map((request) => request.rawBody)).size).toBe(1);
				expect(requests.every((request) => typeof request.headers['x-webhook-signature'] === 'string')).toBe(true);
			}
			for (const item of delivered) {
				expect(item.json.webhookDelivery).toMatchObject({ status: 'delivered', statusCode: 200 });
				expect(byKey.get(keyOf('rx', indexOf(item)))!.some(tookEffect)).toBe(true);
			}
			for (const item of retryLater) {
				expect(item.json.webhookDelivery).toMatchObject({ status: 'retry_later', attempts: 1, nextAttemptAt: expect.any(String) });
				expect((item.json.webhookDelivery as { reason: string }).reason).toMatch(/^(the receiver answered (429|500)|no answer within 1 s)$/);
			}
			expect(dropped).toEqual([]);
			figures.push({ test: 'Templated Webhook', items: N, f429: counts['429'], f500: counts['500'], timeouts: counts.timeout, retries, ok: delivered.length, reported: retryLater.length + dropped.length, reportedButDone: doneAnyway([...retryLater, ...dropped], 'rx', byKey), duplicates, notHeld, lost });
			expect(lost).toBe(0);
		});
	});

	test('Salesforce: the access token expires mid-run; every item succeeds, one new token per request that met the 401, nothing written twice', async () => {
		const salesforce = stack.sandbox.services.salesforce;
		collectIssued(stack);
		salesforce.clear();
		const items = 500;
		let expiredAt = 0;
		let expiredAfter = 0;
		const run = runWorkflow(stack, IDS.tokenExpiry, HOOKS.tokenExpiry, { n: items, prefix: 'tok' });
		await until('150 upserts at the fake Salesforce', async () => {
			const upserts = (salesforce.requests() as Recorded[]).filter((request) => request.method === 'PATCH');
			if (upserts.length < 150) return undefined;
			expiredAfter = upserts.length;
			expiredAt = (salesforce.requests() as Recorded[]).at(-1)!.seq;
			expect(salesforce.expireTokens()).toBeGreaterThanOrEqual(1);
			return true;
		}, 60_000, 20);
		const detail = await run;
		const requests: Recorded[] = salesforce.requests();
		collectIssued(stack);
		const [written, failed] = outputs(detail);
		expect(failed).toEqual([]);
		expect(written).toHaveLength(items);
		expect(expiredAfter).toBeLessThan(items);
		const rejected = requests.filter((request) => request.status === 401);
		const tokens = requests.filter((request) => request.path === '/services/oauth2/token' && request.seq > expiredAt);
		// n8n fetches a token again (preAuthentication) for each request answered 401 and sends it once
		// more: the requests in flight when the token died, at most the node's Concurrency (4).
		expect(rejected.length).toBeGreaterThanOrEqual(1);
		expect(rejected.length).toBeLessThanOrEqual(4);
		expect(tokens).toHaveLength(rejected.length);
		expect(tokens.every((request) => request.status === 200)).toBe(true);
		const byKey = new Map<string, Recorded[]>();
		for (const request of requests.filter((entry) => entry.method === 'PATCH')) {
			const key = decodeURIComponent(request.path.split('/').pop()!);
			byKey.set(key, [...(byKey.get(key) ?? []), request]);
		}
		expect(byKey.size).toBe(items);
		for (const [, sent] of byKey) expect(sent.filter((request) => request.status === 200 || request.status === 201)).toHaveLength(1);
		expect(salesforce.records('Contact').filter((record: { Ext_Id__c?: string }) => String(record.Ext_Id__c).startsWith('tok-'))).toHaveLength(items);
		figures.push({ test: 'SF token expiry', items, f429: 0, f500: 0, timeouts: 0, retries: rejected.length, ok: written.length, reported: failed.length, duplicates: 0, lost: items - written.length - failed.length });
	}, 180_000);

	test('Acumatica: with every API login seat taken, each item is reported with the licence reason; once freed, all are written and the session logged out', async () => {
		const acumatica = stack.sandbox.services.acumatica;
		collectIssued(stack);
		expect(acumatica.sessions()).toEqual([]);
		const holders = [await acumaticaLogin(stack), await acumaticaLogin(stack)];
		expect(holders.map((holder) => holder.status)).toEqual([204, 204]);
		for (const holder of holders) for (const value of holder.cookie.split('; ').map((pair) => pair.split('=')[1])) if (value.length > 8) issued.add(value);
		acumatica.clear();
		const statsBefore = acumatica.stats();
		const items = 20;

		const refused = await runWorkflow(stack, IDS.loginLimit, HOOKS.loginLimit, { n: items, prefix: 'LIM', canary });
		const [none, failed] = outputs(refused);
		expect(none).toEqual([]);
		expect(failed.map(indexOf).sort((a, b) => a - b)).toEqual(Array.from({ length: items }, (_, index) => index));
		for (const item of failed) {
			expect(item.json.error).toMatch(/^Acumatica refused the login: API login limit reached \(API Login Limit: /);
			expect((item.json.details as { description: string }).description).toMatch(/"Web Services API Users" seat/);
		}
		// One login attempt for the whole run; nothing else was sent.
		expect(acumatica.stats().refusedForLimit - statsBefore.refusedForLimit).toBe(1);
		expect(acumatica.stats().logins).toBe(statsBefore.logins);
		expect((acumatica.requests() as Recorded[]).map((request) => `${request.method} ${request.path}`)).toEqual(['POST /entity/auth/login']);

		for (const holder of holders) expect(await acumaticaLogout(stack, holder.cookie)).toBe(204);
		expect(acumatica.sessions()).toEqual([]);
		const freed = acumatica.stats();
		const written = await runWorkflow(stack, IDS.loginLimit, HOOKS.loginLimit, { n: items, prefix: 'LIM2', canary });
		const [ok, errors] = outputs(written);
		expect(errors).toEqual([]);
		expect(ok.map((item) => item.json.CustomerID)).toEqual(Array.from({ length: items }, (_, index) => keyOf('LIM2', index)));
		const after = acumatica.stats();
		expect({ logins: after.logins - freed.logins, logouts: after.logouts - freed.logouts, active: after.active }).toEqual({ logins: 1, logouts: 1, active: 0 });
		collectIssued(stack);
		figures.push({ test: 'Acumatica seats taken, freed', items: 2 * items, f429: 0, f500: 0, timeouts: 0, retries: 0, ok: ok.length, reported: failed.length, duplicates: 0, lost: 2 * items - ok.length - failed.length });
	}, 120_000);

	test('Templated Webhook: the receiver down past the Error-state threshold, then back; every item delivered or retry-later with its reason', async () => {
		const receiver = stack.sandbox.services.receiver;
		receiver.reset();
		receiver.fault({ status: 503, match: { path: DOWN_PATH } });
		let round = 0;
		let total = 0;
		const accounted = { delivered: 0, retryLater: 0, dropped: 0 };
		const sentTo = () => (receiver.requests() as Recorded[]).filter((request) => request.path === DOWN_PATH).length;
		type State = { connectionState: string; reason?: string; log: Array<{ outcome: string; probe?: boolean; at: string; statusCode?: number }> };
		const run = async (items: number) => {
			const before = sentTo();
			const detail = await runWorkflow(stack, IDS.receiverDown, HOOKS.receiverDown, { n: items, prefix: `down${++round}` }, 60_000);
			const [delivered, retryLater, dropped] = outputs(detail);
			expect(accountFor([delivered, retryLater, dropped], items, [1, 2])).toBe(0);
			total += items;
			accounted.delivered += delivered.length;
			accounted.retryLater += retryLater.length;
			accounted.dropped += dropped.length;
			const states = (list: Item[]) => list.map((item) => item.json.webhookDelivery as State);
			return { delivered: states(delivered), retryLater: states(retryLater), dropped: states(dropped), requests: sentTo() - before };
		};
		const last = (state: State) => state.log[state.log.length - 1];

		// Down: each run's item is sent and fails, until the failures have gone on for the threshold.
		const firstFailure = Date.now();
		let down = await run(1);
		while (down.retryLater[0]?.connectionState === 'active') {
			expect(down.requests).toBe(1);
			expect(down.retryLater[0].reason).toBe('the receiver answered 503');
			expect(Date.now() - firstFailure).toBeLessThan(ERROR_AFTER_MS + 10_000);
			await sleep(500);
			down = await run(1);
		}
		expect(down.retryLater).toHaveLength(1);
		expect(down.retryLater[0]).toMatchObject({ connectionState: 'error', reason: 'the receiver answered 503' });
		// Error state begins once failures have gone on for the threshold, not before.
		expect(Date.now() - firstFailure).toBeGreaterThanOrEqual(ERROR_AFTER_MS);
		expect(round).toBeGreaterThanOrEqual(3);

		// In Error state: one probe per interval; the other items are not sent and wait with the reason.
		const probing = await run(3);
		expect(probing.requests).toBe(1);
		expect(probing.retryLater).toHaveLength(3);
		// (Retry Later lists the latest next attempt first: the probe, sent first, is not necessarily first.)
		const probes = probing.retryLater.filter((state) => last(state).probe === true);
		expect(probes).toHaveLength(1);
		expect(last(probes[0])).toMatchObject({ outcome: 'failed', probe: true, statusCode: 503 });
		expect(probes[0].reason).toBe('the receiver answered 503');
		const held = probing.retryLater.filter((state) => last(state).probe !== true);
		expect(held).toHaveLength(2);
		for (const state of held) {
			expect(last(state).outcome).toBe('not sent');
			expect(state.reason).toMatch(/^connection in Error state since \S+; not sent \(waiting for a successful probe\)$/);
		}
		const probedAt = Date.parse(last(probes[0]).at);
		const failFast = await run(3);
		expect(failFast.requests).toBe(0);
		expect(failFast.retryLater.map((state) => last(state).outcome)).toEqual(['not sent', 'not sent', 'not sent']);

		// Back: the next probe (after the interval) succeeds, the connection is Active again, the rest go out.
		receiver.clearFaults();
		await sleep(Math.max(0, probedAt + PROBE_EVERY_MS + 200 - Date.now()));
		const recovering = await run(3);
		expect(recovering.requests).toBe(3);
		expect(recovering.delivered).toHaveLength(3);
		expect(last(recovering.delivered[0])).toMatchObject({ outcome: 'delivered', probe: true, statusCode: 200 });
		expect(recovering.delivered.every((state) => state.connectionState === 'active')).toBe(true);
		expect(accounted.dropped).toBe(0);
		expect(accounted.delivered + accounted.retryLater).toBe(total);
		figures.push({ test: 'Receiver outage', items: total, f429: 0, f500: 0, timeouts: 0, retries: 0, ok: accounted.delivered, reported: accounted.retryLater, duplicates: 0, lost: 0 });
	}, 180_000);

	test('no secret (keys, client secret, password, signing secret, issued tokens and session ids) in any execution record or log line', async () => {
		collectIssued(stack);
		const texts = await recordedTexts(stack, Object.values(IDS));
		const logs = stack.n8n.logs() as string;
		const secrets = [...credentialSecrets(), ...issued];
		// The scan reads what it should: item data of every run (a planted canary is found), and n8n's log.
		expect(texts.length).toBeGreaterThanOrEqual(Object.keys(IDS).length);
		expect(leaked(texts, [canary])).toEqual([canary]);
		expect(leaked([`log ${issued.values().next().value}`], secrets)).toHaveLength(1);
		expect(logs).toContain('Editor is now accessible');
		expect(issued.size).toBeGreaterThanOrEqual(4); // Salesforce tokens, Acumatica session ids
		expect(leaked(texts, secrets)).toEqual([]);
		expect(leaked([logs], secrets)).toEqual([]);
	}, 180_000);
});

describe('queue mode: a worker killed in the middle of a run', () => {
	let stack: Stack;
	const hook = 'reliability-queue-omnisend';
	const workflowId = 'crmRelayRelQueue';
	const items = 1000;

	beforeAll(async () => {
		stack = await startStack({
			mode: 'queue',
			workDir: path.join(workRoot, 'reliability-queue'),
			only: [],
			services: ['omnisend'],
			sandboxOptions: { omnisend: { ratePerMinute: 0 } },
			workflows: () => [omnisendEvents(workflowId, hook, { concurrency: 4 })],
			workerConcurrency: 2,
			// n8n's defaults are a 60 s job lock and a stalled-job check every 30 s; shortened so Bull's
			// verdict on the dead worker's job comes within seconds.
			env: { QUEUE_WORKER_LOCK_DURATION: '5000', QUEUE_WORKER_LOCK_RENEW_TIME: '1000', QUEUE_WORKER_STALLED_INTERVAL: '3000' },
		});
	}, STACK_TIMEOUT);

	afterAll(async () => {
		await stack?.stop();
	}, 120_000);

	test('n8n neither resumes nor re-runs the execution: "running" until a worker restarts, then an error without run data; a re-run resends with the same eventIDs', async () => {
		const omnisend = stack.sandbox.services.omnisend;
		// About 80 ms per event at concurrency 4: the run would take some 20 s.
		omnisend.fault({ latencyMs: 80, match: { path: '/v5/events' } });
		const answer = await post(`${stack.n8n.url}/webhook/${hook}`, { n: items, prefix: 'q' });
		expect(answer.status).toBe(200);
		await until('300 events at the fake', async () => (omnisend.events().length >= 300 ? true : undefined), 60_000, 50);
		const [running] = await executionsOf(stack, workflowId);
		expect(running.status).toBe('running');

		const worker = stack.n8n.processes.find((entry: { name: string }) => entry.name === 'worker');
		const exited = new Promise((resolve) => worker.child.once('exit', resolve));
		process.kill(-worker.child.pid, 'SIGKILL');
		await exited;
		const atKill = omnisend.events().length;
		// The requests in flight die with the worker's sockets (the fake does not handle abandoned ones;
		// one whose wait ended just as the worker died may still land).
		await sleep(8000);
		const settled = omnisend.events().length;
		expect(settled - atKill).toBeLessThanOrEqual(4);
		expect(settled).toBeLessThan(items);
		// Nothing notices a dead worker by itself: the job's lock has expired, but only a worker checks for stalled jobs.
		expect((await executionsOf(stack, workflowId))[0]).toMatchObject({ id: running.id, status: 'running' });

		// The restarted worker (same user folder) finds the execution unfinished in the event log it shares
		// with the dead one and marks it crashed; its stalled-job check fails the job (n8n runs Bull with
		// maxStalledCount 0), and main, seeing the job fail, saves the execution as an error without run data.
		// Nobody runs the rest of the items.
		await stack.n8n.startWorker(2);
		const ended = await until(
			'the execution to end',
			async () => {
				const [latest] = await executionsOf(stack, workflowId);
				return latest.status !== 'running' ? latest : undefined;
			},
			60_000,
			250,
		);
		expect(ended.id).toBe(running.id);
		// Which comes first depends on timing: "crashed" (the worker's recovery) is replaced by main's "error".
		expect(['crashed', 'error']).toContain(ended.status);
		const logOf = (name: string) => readFileSync(path.join(stack.logDir, `${name}.log`), 'utf8');
		expect(logOf('worker')).toContain('[Recovery] Logs available, amended execution');
		await until('main to see the job fail', async () => (logOf('main').includes(`job stalled more than maxStalledCount (execution ${running.id})`) ? true : undefined), 60_000, 500);
		expect(logOf('main')).toContain(`Problem with execution ${running.id}: This execution failed to be processed too many times and will no longer retry.`);
		const final = await until('the execution to be saved as an error', async () => {
			const [latest] = await executionsOf(stack, workflowId);
			return latest.status === 'error' ? latest : undefined;
		});
		expect(final.id).toBe(running.id);
		const record = (await executionDetail(stack, running.id)) as Omit<Detail, 'id'> & { error?: { message?: string } };
		expect(record.error?.message).toMatch(/^This execution failed to be processed too many times and will no longer retry\./);
		// The record no longer says which items went out before the worker died.
		expect(record.runData).toEqual({});
		// Both workers write worker.log: the execution was started once, by the one that died.
		expect(logOf('worker').split(`Worker started execution ${running.id} `).length - 1).toBe(1);
		expect(omnisend.events().length).toBe(settled);

		// The source sends the same batch again (the only way on): the new worker runs it all, and the
		// events already delivered go out again with the same eventIDs (derived from the key).
		const firstRun = new Map(omnisend.events().map((event: { eventID: string; properties: { key: string } }) => [event.properties.key, event.eventID]));
		expect(firstRun.size).toBe(settled);
		omnisend.clearFaults();
		const rerun = await runWorkflow(stack, workflowId, hook, { n: items, prefix: 'q' });
		const [sent, failed] = outputs(rerun);
		expect(failed).toEqual([]);
		expect(sent).toHaveLength(items);
		const all = omnisend.events() as Array<{ eventID: string; properties: { key: string } }>;
		expect(all).toHaveLength(settled + items);
		const second = all.slice(settled);
		expect(new Set(second.map((event) => event.properties.key)).size).toBe(items);
		for (const event of second) {
			expect(event.eventID).toBe(uuidV5(`omnisend-event\nreliability test\n${event.properties.key}`));
			if (firstRun.has(event.properties.key)) expect(event.eventID).toBe(firstRun.get(event.properties.key));
		}
		const resent = second.filter((event) => firstRun.has(event.properties.key)).length;
		expect(resent).toBe(settled);
		figures.push({ test: 'Queue: worker killed', items, f429: 0, f500: 0, timeouts: 0, retries: 0, ok: settled, reported: 0, duplicates: 0, lost: items - settled });
		figures.push({ test: 'Queue: batch sent again', items, f429: 0, f500: 0, timeouts: 0, retries: 0, ok: sent.length, reported: failed.length, duplicates: resent, lost: 0 });
	}, 240_000);

	test('no secret in the queue stack\'s execution records or its main and worker logs', async () => {
		const texts = await recordedTexts(stack, [workflowId]);
		const logs = stack.n8n.logs() as string;
		expect(texts.length).toBe(2);
		expect(leaked(texts, ['q-00001@example.com'])).toEqual(['q-00001@example.com']);
		expect(logs).toContain('n8n worker is now ready');
		expect(leaked(texts, credentialSecrets())).toEqual([]);
		expect(leaked([logs], credentialSecrets())).toEqual([]);
	}, 120_000);
});
