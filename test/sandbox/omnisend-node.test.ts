import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runWorkflow } from '../harness/run-workflow';
import { omnisendWorkflow, sendEvent } from '../omnisend/fixtures';
import type { Sandbox } from './sandbox-api';
import { startSandbox } from './sandbox-api';
import { trustCaForLoopback } from './trust-ca';

/**
 * The real Omnisend node, run by n8n-core's WorkflowExecute through the harness, against the
 * sandbox over HTTPS. n8n's request helper makes a new https.Agent per request and Node reads
 * NODE_EXTRA_CA_CERTS only at startup, so this process trusts the sandbox CA via
 * trustCaForLoopback (a tls.connect wrapper, undone afterwards). One test also runs over http: true.
 */

const KEY = 'node-test-key-4b1d';
let sandbox: Sandbox;
let untrust: () => void;

const credentials = (baseUrl: string) => ({ omnisendApi: { apiKey: KEY, baseUrl } });
const contact = (parameters: INodeParameters): INodeParameters => ({ resource: 'contact', ...parameters });

beforeAll(async () => {
	nock.enableNetConnect(/127\.0\.0\.1|localhost/);
	sandbox = await startSandbox({ services: ['omnisend'], options: { omnisend: { apiKey: KEY } } });
	untrust = trustCaForLoopback(sandbox.ca.pem);
});
afterAll(async () => {
	untrust();
	await sandbox.stop();
});
beforeEach(() => sandbox.services.omnisend.reset());

async function run(parameters: INodeParameters, input: IDataObject[], baseUrl = sandbox.services.omnisend.baseUrl) {
	const result = await runWorkflow(omnisendWorkflow(parameters), { credentials: credentials(baseUrl), input });
	return { items: result.output('Omnisend'), error: result.nodeError('Omnisend') };
}

test('Event › Send: the sandbox receives POST /v5/events with the key and the exact JSON; the item reports 202', async () => {
	const omnisend = sandbox.services.omnisend;
	const { items, error } = await run(sendEvent, [{ email: 'Ann@Example.com' }]);
	expect(error).toBeUndefined();
	const raw = '{"eventName":"x","origin":"api","contact":{"email":"ann@example.com"},"properties":{}}';
	expect(omnisend.requests()).toEqual([
		expect.objectContaining({
			method: 'POST',
			path: '/v5/events',
			headers: expect.objectContaining({ 'x-api-key': KEY, 'content-type': 'application/json', accept: 'application/json' }),
			rawBody: raw,
			status: 202,
		}),
	]);
	expect(items).toEqual([
		{ json: { status: 'sent', httpStatus: 202, attempts: 1, eventName: 'x', event: JSON.parse(raw) }, pairedItem: { item: 0 } },
	]);
	expect(omnisend.contacts().map((entry) => entry.email)).toEqual(['ann@example.com']);
});

test('Contact › Create or Update: 201 "created", then 200 "updated" for the same contact', async () => {
	const upsert = contact({ operation: 'upsert', email: '={{ $json.email }}', contactFields: { firstName: '={{ $json.name }}' } });
	const first = await run(upsert, [{ email: 'bo@example.com', name: 'Bo' }]);
	expect(first.error).toBeUndefined();
	expect(first.items[0].json).toMatchObject({ status: 'created', httpStatus: 201, contactID: expect.stringMatching(/^[0-9a-f]{24}$/) });
	const second = await run(upsert, [{ email: 'BO@example.com', name: 'Bob' }]);
	expect(second.items[0].json).toMatchObject({ status: 'updated', httpStatus: 200, contactID: first.items[0].json.contactID });
	expect(sandbox.services.omnisend.contacts()).toEqual([expect.objectContaining({ email: 'bo@example.com', firstName: 'Bob' })]);
});

test('Contact › Get Many with Return All follows paging.next across pages (260 contacts = 250 + 10)', async () => {
	const omnisend = sandbox.services.omnisend;
	for (let i = 0; i < 260; i++) omnisend.addContact({ identifiers: [{ type: 'email', id: `p${i}@example.com` }] });
	const { items, error } = await run(contact({ operation: 'getAll', returnAll: true }), [{}]);
	expect(error).toBeUndefined();
	expect(items).toHaveLength(260);
	expect(items[259].json.email).toBe('p259@example.com');
	expect(omnisend.requests().map((entry) => entry.path)).toEqual(['/v5/contacts?limit=250', '/v5/contacts?limit=250&offset=250']);
});

test('Contact › Get by an unknown ID: the sandbox answers 404 and the node says no such contact', async () => {
	const { error } = await run(contact({ operation: 'get', by: 'contactID', contactId: '000000000000000000000000' }), [{}]);
	const [request] = sandbox.services.omnisend.requests();
	expect(request).toMatchObject({ method: 'GET', path: '/v5/contacts/000000000000000000000000', status: 404 });
	expect(error?.message).toContain('No Omnisend contact has contactID "000000000000000000000000"');
});

test('a 429 from the rate limiter is waited out (Retry-After) and every item is delivered', async () => {
	const limited = await startSandbox({ services: ['omnisend'], options: { omnisend: { apiKey: KEY, ratePerMinute: 1, windowMs: 1000 } } });
	const untrustLimited = trustCaForLoopback(limited.ca.pem);
	try {
		const { items, error } = await run(sendEvent, [{ email: 'a@example.com' }, { email: 'b@example.com' }], limited.services.omnisend.baseUrl);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.status)).toEqual(['sent', 'sent']);
		const statuses = limited.services.omnisend.requests().map((entry) => entry.status);
		expect(statuses.filter((status) => status === 202)).toHaveLength(2);
		expect(statuses).toContain(429);
		expect(limited.services.omnisend.events().map((event) => (event.contact as { email: string }).email).sort()).toEqual(['a@example.com', 'b@example.com']);
	} finally {
		untrustLimited();
		await limited.stop();
	}
});

test('over plain http (http: true, loopback) the node works without any CA', async () => {
	const plain = await startSandbox({ services: ['omnisend'], http: true, options: { omnisend: { apiKey: KEY } } });
	try {
		expect(plain.services.omnisend.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v5$/);
		const { items, error } = await run(sendEvent, [{ email: 'c@example.com' }], plain.services.omnisend.baseUrl);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'sent', httpStatus: 202 });
		expect(plain.services.omnisend.requests()).toEqual([expect.objectContaining({ method: 'POST', path: '/v5/events', status: 202 })]);
	} finally {
		await plain.stop();
	}
});
