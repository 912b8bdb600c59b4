import nock from 'nock';

import type { CallOptions, ReceiverHandle, Sandbox, ServiceHandle } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

interface Webhook {
	cdate: string;
	listid: string;
	name: string;
	url: string;
	events: string[];
	sources: string[];
	links: unknown[];
	id: string;
	active?: boolean;
}

interface Delivery {
	webhookId: string;
	url: string;
	status: number;
	body: string;
	deactivated: boolean;
}

interface ActiveCampaignHandle extends ServiceHandle {
	apiUrl: string;
	apiKey: string;
	fire(spec: Record<string, unknown>): Promise<{ event: string; body: string; contactId: string; delivered: Delivery[] }>;
	webhooks(): Webhook[];
	addWebhook(webhook: Record<string, unknown>): Webhook;
	eventBody(spec: Record<string, unknown>): string;
	sent(): Array<Record<string, unknown>>;
}

const KEY = 'test-ac-key-7f3e';
let sandbox: Sandbox;
let ac: ActiveCampaignHandle;
let receiver: ReceiverHandle;
let fetchIt: ReturnType<typeof caller>;

/** A request as n8n's ActiveCampaign helper sends it: Api-Token header, JSON body. */
const api = async (method: string, path: string, options: CallOptions = {}) =>
	await fetchIt(`${ac.apiUrl}${path}`, { method, ...options, headers: { 'Api-Token': KEY, Accept: 'application/json', ...(options.headers ?? {}) } });

beforeAll(async () => {
	sandbox = await startSandbox({ services: ['activecampaign', 'receiver'], options: { activecampaign: { apiKey: KEY } } });
	ac = sandbox.services.activecampaign as ActiveCampaignHandle;
	receiver = sandbox.services.receiver;
	fetchIt = caller(sandbox);
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	ac.reset();
	receiver.reset();
});

const CDATE = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);

describe('auth and defaults', () => {
	test('apiUrl is the service url; the key defaults to sandbox-activecampaign-key', async () => {
		expect(ac.apiUrl).toBe(ac.url);
		expect(ac.apiKey).toBe(KEY);
		const other = await startSandbox({ services: ['activecampaign'], http: true });
		try {
			expect(other.services.activecampaign.apiKey).toBe('sandbox-activecampaign-key');
		} finally {
			await other.stop();
		}
	});

	test('no Api-Token or a wrong one: 403 without echoing the key', async () => {
		const none = await fetchIt(`${ac.apiUrl}/api/3/webhooks`);
		expect({ status: none.status, json: none.json }).toEqual({ status: 403, json: { message: 'No Result found for Subscriber with id 0' } });
		const wrong = await api('GET', '/api/3/webhooks', { headers: { 'Api-Token': 'wrong-key-xyz' } });
		expect(wrong.status).toBe(403);
		expect(wrong.text).not.toContain('wrong-key-xyz');
		expect(wrong.text).not.toContain(KEY);
	});

	test('the credential test GET /api/3/fields answers 200', async () => {
		const answer = await api('GET', '/api/3/fields');
		expect({ status: answer.status, json: answer.json }).toEqual({ status: 200, json: { fieldOptions: [], fieldRels: [], fields: [], meta: { total: '0' } } });
	});
});

describe('webhook API (what the ActiveCampaign Trigger calls)', () => {
	test('GET /api/3/webhook/events?limit=100&offset=0: the catalogue with subscribe and without contact_add', async () => {
		const answer = await api('GET', '/api/3/webhook/events?limit=100&offset=0');
		expect(answer.status).toBe(200);
		expect(answer.json.meta).toEqual({ total: 30 });
		expect(answer.json.webhookEvents).toHaveLength(30);
		expect(answer.json.webhookEvents).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe', 'update', 'contact_tag_added', 'deal_add']));
		expect(answer.json.webhookEvents).not.toContain('contact_add');
		const paged = await api('GET', '/api/3/webhook/events?limit=10&offset=25');
		expect(paged.json.webhookEvents).toHaveLength(5);
	});

	test('activation: POST creates (201 {webhook}); checkExists GET finds it; deactivation DELETE removes it; GET is then 404', async () => {
		const url = `${receiver.url}/webhook/abc/webhook`;
		const created = await api('POST', '/api/3/webhooks', { body: { webhook: { name: `n8n-webhook:${url}`, url, events: ['subscribe'], sources: ['public', 'admin'] } } });
		expect(created.status).toBe(201);
		expect(created.json).toEqual({ webhook: { cdate: CDATE, listid: '0', name: `n8n-webhook:${url}`, url, events: ['subscribe'], sources: ['public', 'admin'], links: [], id: '1' } });
		expect(ac.requests()[0]).toMatchObject({ method: 'POST', path: '/api/3/webhooks', headers: expect.objectContaining({ 'api-token': KEY, 'content-type': 'application/json' }), status: 201 });

		const found = await api('GET', '/api/3/webhooks/1');
		expect({ status: found.status, json: found.json }).toEqual({ status: 200, json: created.json });
		const list = await api('GET', `/api/3/webhooks?filters[url]=${encodeURIComponent(url)}`);
		expect(list.json).toEqual({ webhooks: [created.json.webhook], meta: { total: '1' } });

		const deleted = await api('DELETE', '/api/3/webhooks/1');
		expect({ status: deleted.status, json: deleted.json }).toEqual({ status: 200, json: {} });
		const gone = await api('GET', '/api/3/webhooks/1');
		expect({ status: gone.status, json: gone.json }).toEqual({ status: 404, json: { message: 'No Result found for Webhook with id 1' } });
		expect((await api('DELETE', '/api/3/webhooks/1')).status).toBe(404);
		expect(ac.webhooks()).toEqual([]);
	});

	test('invalid webhooks: 422 with an error per field; https targets must use port 443', async () => {
		const invalid = await api('POST', '/api/3/webhooks', { body: { webhook: { name: '', url: 'not a url', events: ['contact_add'], sources: ['robots'] } } });
		expect(invalid.status).toBe(422);
		expect(invalid.json.errors.map((error: { source: { pointer: string } }) => error.source.pointer)).toEqual([
			'/data/attributes/name',
			'/data/attributes/url',
			'/data/attributes/events',
			'/data/attributes/sources',
		]);
		expect(invalid.json.errors[2]).toEqual({ title: 'The event "contact_add" is not a valid webhook event', detail: '', code: 'field_invalid', source: { pointer: '/data/attributes/events' } });
		const port = await api('POST', '/api/3/webhooks', { body: { webhook: { name: 'x', url: 'https://example.com:5678/hook', events: ['subscribe'], sources: [] } } });
		expect(port.json.errors).toEqual([{ title: 'Webhooks to https URLs can only be sent on port 443', detail: '', code: 'field_invalid', source: { pointer: '/data/attributes/url' } }]);
		expect(ac.webhooks()).toEqual([]);
	});
});

describe('sender: fire', () => {
	const subscribe = {
		event: 'subscribe',
		date_time: '2026-11-23T11:40:12+00:00',
		initiated_by: 'admin',
		initiated_from: 'admin',
		list: '1',
		contact: {
			id: '42',
			email: 'ada@example.com',
			first_name: 'Ada',
			last_name: 'Lovelace',
			phone: '+44 20 7946 0000',
			ip: '203.0.113.5',
			tags: ['vip', 'newsletter'],
			fields: { '1': 'Blue', '7': '2026-06-30' },
		},
	};
	const EXACT =
		'type=subscribe&date_time=2026-11-23T11%3A40%3A12%2B00%3A00&initiated_by=admin&initiated_from=admin&list=1' +
		'&contact%5Bid%5D=42&contact%5Bemail%5D=ada%40example.com&contact%5Bfirst_name%5D=Ada&contact%5Blast_name%5D=Lovelace' +
		'&contact%5Bphone%5D=%2B44+20+7946+0000&contact%5Bip%5D=203.0.113.5&contact%5Btags%5D=vip%2C+newsletter' +
		'&contact%5Bfields%5D%5B1%5D=Blue&contact%5Bfields%5D%5B7%5D=2026-06-30';

	test('posts the exact form-encoded body with bracket keys to the registered webhook', async () => {
		await api('POST', '/api/3/webhooks', { body: { webhook: { name: 'n8n', url: `${receiver.url}/hook`, events: ['subscribe'], sources: ['admin'] } } });
		const answer = await fetchIt(`${ac.url}/__sandbox/activecampaign/fire`, { method: 'POST', body: subscribe });
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ event: 'subscribe', body: EXACT, contactId: '42', delivered: [{ webhookId: '1', url: `${receiver.url}/hook`, status: 200, body: '{"received":true}', deactivated: false }] });
		const [request] = receiver.requests();
		expect(request).toMatchObject({ method: 'POST', path: '/hook', rawBody: EXACT });
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(request.body).toEqual({
			type: 'subscribe',
			date_time: '2026-11-23T11:40:12+00:00',
			initiated_by: 'admin',
			initiated_from: 'admin',
			list: '1',
			'contact[id]': '42',
			'contact[email]': 'ada@example.com',
			'contact[first_name]': 'Ada',
			'contact[last_name]': 'Lovelace',
			'contact[phone]': '+44 20 7946 0000',
			'contact[ip]': '203.0.113.5',
			'contact[tags]': 'vip, newsletter',
			'contact[fields][1]': 'Blue',
			'contact[fields][7]': '2026-06-30',
		});
		expect(ac.eventBody(subscribe)).toBe(EXACT);
	});

	test('only webhooks whose events, sources and list match get it; contact ids are kept per email', async () => {
		ac.addWebhook({ name: 'all', url: `${receiver.url}/all`, events: ['subscribe', 'unsubscribe'], sources: [] });
		ac.addWebhook({ name: 'unsub', url: `${receiver.url}/unsub`, events: ['unsubscribe'], sources: ['admin'] });
		ac.addWebhook({ name: 'api-only', url: `${receiver.url}/api`, events: ['subscribe'], sources: ['api'] });
		ac.addWebhook({ name: 'list 2', url: `${receiver.url}/list2`, events: ['subscribe'], sources: ['admin'], listid: 2 });
		const first = await ac.fire({ event: 'subscribe', list: '1', contact: { email: 'bo@example.com' } });
		expect(first.delivered.map((entry) => entry.url)).toEqual([`${receiver.url}/all`]);
		expect(first.contactId).toBe('1');
		const again = await ac.fire({ event: 'unsubscribe', list: '2', contact: { email: 'BO@example.com' } });
		expect(again.contactId).toBe('1');
		expect(again.delivered.map((entry) => entry.url)).toEqual([`${receiver.url}/all`, `${receiver.url}/unsub`]);
		expect(receiver.requests().map((request) => request.path)).toEqual(['/all', '/all', '/unsub']);
		expect(receiver.requests()[0].rawBody).toMatch(/^type=subscribe&date_time=\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}%3A\d{2}%2B00%3A00&initiated_by=admin&initiated_from=admin&list=1&contact%5Bid%5D=1&contact%5Bemail%5D=bo%40example.com&contact%5Bfirst_name%5D=&/);
	});

	test('a 410 answer deactivates the webhook (no later deliveries); other failures are not retried', async () => {
		ac.addWebhook({ name: 'gone', url: `${receiver.url}/gone`, events: ['subscribe'], sources: [] });
		receiver.respond({ status: 410, body: 'Gone' });
		const first = await ac.fire({ event: 'subscribe', contact: { email: 'c@example.com' } });
		expect(first.delivered).toEqual([expect.objectContaining({ status: 410, deactivated: true })]);
		expect(ac.webhooks()[0].active).toBe(false);
		const second = await ac.fire({ event: 'subscribe', contact: { email: 'd@example.com' } });
		expect(second.delivered).toEqual([]);
		receiver.respond({ status: 500 });
		ac.addWebhook({ name: 'broken', url: `${receiver.url}/broken`, events: ['subscribe'], sources: [] });
		const third = await ac.fire({ event: 'subscribe', contact: { email: 'e@example.com' } });
		expect(third.delivered).toEqual([expect.objectContaining({ status: 500, deactivated: false })]);
		expect(receiver.requests().map((request) => request.path)).toEqual(['/gone', '/broken']);
	});

	test('an unknown event: 400 from the control endpoint, nothing sent', async () => {
		ac.addWebhook({ name: 'all', url: `${receiver.url}/all`, events: ['subscribe'], sources: [] });
		const answer = await fetchIt(`${ac.url}/__sandbox/activecampaign/fire`, { method: 'POST', body: { event: 'contact_add', contact: {} } });
		expect(answer.status).toBe(400);
		expect(answer.json.error).toMatch(/^"event" must be one of /);
		expect(receiver.requests()).toEqual([]);
	});
});
