/**
 * The product, end to end: the packed package installed into a real n8n 2.x as users install it, the
 * blueprint workflows imported with n8n's CLI and published, the seed test events fired at n8n's
 * production webhooks, and what the sandbox's fake services received checked byte for byte; then
 * what n8n recorded. Once in regular mode and once in queue mode (Redis, PostgreSQL, a worker).
 */
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { until } from '../sandbox/sandbox-api';

const root = path.resolve(__dirname, '../..');
// The runner is plain JavaScript shared with `npm start`.
/* eslint-disable @typescript-eslint/no-require-imports */
const { startStack } = require(path.join(root, 'sandbox/runner/stack.js'));
const { blueprints, storefrontEvents, salesforceLeads, activeCampaignContacts, SANDBOX_KEYS, post } = require(path.join(root, 'sandbox/runner/blueprints.js'));
const { checkEditor } = require(path.join(root, 'sandbox/runner/editor-check.js'));
const { ensureDebianPackages } = require(path.join(root, 'sandbox/runner/toolchain.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

interface Recorded {
	method: string;
	path: string;
	headers: Record<string, string>;
	rawBody: string;
	fault?: { status?: number };
}

type RunData = Record<string, Array<{ data: { main: Array<Array<{ json: Record<string, unknown> }>> } }>>;
const blueprintById = (id: string) => blueprints.find((blueprint: { id: string }) => blueprint.id === id);
const outputOf = (detail: { runData: RunData }, node: string, run = 0) => detail.runData[node]?.[run]?.data.main[0]?.map((item) => item.json);

const workRoot = path.join(root, '.cache/e2e');
// First runs install Node 24, n8n and Debian packages (minutes); later runs reuse them.
const STACK_TIMEOUT = 30 * 60_000;

/** RFC 4122 version-5 UUID, computed here independently of the node's own helper. */
function uuidV5(name: string, namespace: string): string {
	const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name).digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The package's published UUID namespace for deterministic ids (README, Omnisend > deduplication).
const CRM_RELAY_NAMESPACE = '5b0f7d8e-3f7a-4d52-9a8e-6c1f2b9d4e17';
const SEED_NAMES: Record<string, string> = {
	'Signed Up': 'signed up',
	'Product Viewed': 'product viewed',
	'Product Added': 'added to cart',
	'Checkout Started': 'started checkout',
	'Order Completed': 'placed order',
};
const mappedName = (event?: string) => (event ? SEED_NAMES[event] : undefined);

const jane = { email: 'jane@example.com', phone: '+447700900123', firstName: 'Jane', lastName: 'Doe' };
const lineItems = [
	{ productID: 'SKU-1', productTitle: 'Wool Scarf', productPrice: 39.95, productQuantity: 1 },
	{ productID: 'SKU-2', productTitle: 'Knit Hat', productPrice: 49.95, productQuantity: 1 },
];

/** What Omnisend must receive for each forwarded seed-001 event (the eventID is checked apart). */
const expectedEvents: Record<string, object> = {
	'page viewed': {
		eventName: 'page viewed',
		origin: 'api',
		contact: jane,
		properties: { url: 'https://shop.example.com/scarves', title: 'Scarves', referrer: 'https://www.google.com/', marketing_consent: 'subscribed' },
	},
	'signed up': { eventName: 'signed up', origin: 'api', contact: jane, properties: { signUpMethod: 'newsletter form' } },
	'product viewed': {
		eventName: 'product viewed',
		origin: 'api',
		contact: jane,
		properties: { productID: 'SKU-1', productTitle: 'Wool Scarf', productPrice: 39.95, productURL: 'https://shop.example.com/p/sku-1', marketing_consent: 'subscribed' },
	},
	'added to cart': {
		eventName: 'added to cart',
		origin: 'api',
		contact: jane,
		properties: { productID: 'SKU-2', productTitle: 'Knit Hat', productPrice: 49.95, quantity: 2 },
	},
	'started checkout': {
		eventName: 'started checkout',
		origin: 'api',
		eventVersion: '',
		contact: jane,
		properties: { cartID: 'CART-77', value: 89.9, currency: 'GBP', abandonedCheckoutURL: 'https://shop.example.com/checkout/CART-77', lineItems },
	},
	'placed order': {
		eventName: 'placed order',
		origin: 'api',
		eventVersion: 'v2',
		contact: jane,
		properties: { orderID: 'ORDER-5512', totalPrice: 89.9, currency: 'GBP', discounts: [{ code: 'WELCOME10' }], marketing_consent: 'subscribed', lineItems },
	},
};

/** The body as Omnisend received it, with key order as sent (JSON.stringify keeps insertion order). */
function withoutEventId(rawBody: string) {
	const { eventID, ...rest } = JSON.parse(rawBody);
	return { eventID: eventID as string, rest };
}

describe.each(['regular', 'queue'] as const)('blueprints in a real n8n (%s mode)', (mode) => {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	let stack: any;

	beforeAll(async () => {
		stack = await startStack({ mode, workDir: path.join(workRoot, mode) });
	}, STACK_TIMEOUT);

	afterAll(async () => {
		await stack?.stop();
	}, 120_000);

	test('seed 001: storefront events become Omnisend customer events, exactly as mapped', async () => {
		const omnisend = stack.sandbox.services.omnisend;
		await omnisend.clear();
		const answers = [];
		for (const event of storefrontEvents) answers.push(await post(`${stack.n8n.url}/webhook/storefront-events`, event));
		expect(answers.map((answer: { status: number }) => answer.status)).toEqual(storefrontEvents.map(() => 202));

		await until('6 events at the fake Omnisend', async () => {
			const requests: Recorded[] = await omnisend.requests();
			return requests.length >= 6 ? requests : undefined;
		});
		// Let any stray extra request arrive before counting.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const all: Recorded[] = await omnisend.requests();
		expect(all).toHaveLength(6);

		const byName = new Map(all.map((request) => [JSON.parse(request.rawBody).eventName as string, request]));
		expect([...byName.keys()].sort()).toEqual(Object.keys(expectedEvents).sort());
		for (const [eventName, expected] of Object.entries(expectedEvents)) {
			const request = byName.get(eventName)!;
			expect(request.method).toBe('POST');
			expect(request.path).toBe('/v5/events');
			expect(request.headers['x-api-key']).toBe(SANDBOX_KEYS.omnisend);
			expect(request.headers['content-type']).toBe('application/json');
			const { eventID, rest } = withoutEventId(request.rawBody);
			expect(rest).toEqual(expected);
			expect(JSON.stringify(rest)).toBe(JSON.stringify(expected));
			// Deduplication key = the storefront's messageId: the same event always gets the same id.
			const messageId = storefrontEvents.find((event: { messageId: string; type: string; event?: string }) =>
				eventName === 'page viewed' ? event.type === 'page' : mappedName(event.event) === eventName,
			).messageId;
			expect(eventID).toBe(uuidV5(`omnisend-event\n${eventName}\n${messageId}`, CRM_RELAY_NAMESPACE));
		}

		// The same order delivered again (a storefront retry) carries the same eventID.
		await omnisend.clear();
		const order = storefrontEvents.find((event: { event?: string }) => event.event === 'Order Completed');
		await post(`${stack.n8n.url}/webhook/storefront-events`, order);
		const [again] = await until('the repeated order', async () => {
			const requests: Recorded[] = await omnisend.requests();
			return requests.length ? requests : undefined;
		});
		expect(withoutEventId(again.rawBody).eventID).toBe(withoutEventId(byName.get('placed order')!.rawBody).eventID);
	});

	test('n8n recorded every execution: mapped events sent, the unmapped one routed aside, the anonymous one skipped', async () => {
		const executions = await until('9 recorded executions', async () => {
			const list = await stack.rest.executions('crmRelaySeed001');
			const finished = list.filter((execution: { status: string }) => !['new', 'running', 'waiting'].includes(execution.status));
			return finished.length >= storefrontEvents.length + 1 ? finished : undefined;
		});
		expect(executions).toHaveLength(storefrontEvents.length + 1);
		expect(executions.every((execution: { status: string; mode: string }) => execution.status === 'success' && execution.mode === 'webhook')).toBe(true);

		const details = await Promise.all(executions.map((execution: { id: string }) => stack.rest.execution(execution.id)));
		const other = details.filter((detail) => detail.runData['Other Events (not forwarded)']);
		expect(other).toHaveLength(1);
		expect((outputOf(other[0], 'Other Events (not forwarded)')![0].body as { event: string }).event).toBe('Coupon Applied');
		const skipped = details
			.map((detail) => outputOf(detail, 'Product Viewed')?.[0])
			.filter((json) => json && json.status === 'skipped');
		expect(skipped).toEqual([{ status: 'skipped', reason: 'No email and no phone: Omnisend needs at least one to identify the contact', eventName: 'product viewed' }]);
		const placed = details.map((detail) => outputOf(detail, 'Placed Order')?.[0]).filter(Boolean);
		expect(placed).toHaveLength(2);
		expect(placed[0]).toMatchObject({ status: 'sent', eventName: 'placed order' });
	});

	test('seed 004: the templated webhook is signed, retried through the Wait loop under one delivery id, then delivered', async () => {
		const receiver = stack.sandbox.services.receiver;
		receiver.reset();
		const seed004 = blueprintById('seed-004');
		const answers = await seed004.fire(stack);
		expect(answers.map((answer: { status: number }) => answer.status)).toEqual([202]);

		await until('3 requests at the receiver', async () => ((receiver.requests() as Recorded[]).length >= 3 ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const received: Recorded[] = receiver.requests();
		// Attempt 1 and its in-execution retry hit the injected 503s; attempt 2 (after the Wait node) is delivered.
		expect(received.map((request) => request.fault?.status ?? 200)).toEqual([503, 503, 200]);
		expect(received.every((request) => request.method === 'POST' && request.path === '/hooks/ometria')).toBe(true);
		expect(new Set(received.map((request) => request.headers['x-delivery-id'])).size).toBe(1);
		expect(new Set(received.map((request) => request.rawBody)).size).toBe(1);
		for (const request of received) {
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			expect(request.headers['x-source']).toBe('n8n-templated-webhook');
			const timestamp = request.headers['x-webhook-timestamp'];
			const signature = createHmac('sha256', SANDBOX_KEYS.webhookSigningSecret).update(`${timestamp}.${request.rawBody}`).digest('hex');
			expect(request.headers['x-webhook-signature']).toBe(`sha256=${signature}`);
		}
		expect(JSON.parse(received[0].rawBody)).toEqual({
			event: 'basket_abandoned',
			event_id: 'evt-1001',
			email: 'ada@example.com',
			first_name: 'Ada',
			last_name: 'Lovelace',
			opted_in: true,
			basket: {
				currency: 'GBP',
				total: 59.9,
				lines: [
					{ sku: 'SKU-1', title: 'Notebook "Analytical"', qty: 2 },
					{ sku: 'SKU-2', title: 'Pen – fine', qty: 1 },
				],
			},
		});

		const [execution] = await until('the seed-004 execution to finish', async () => {
			const list = await stack.rest.executions('crmRelaySeed004');
			return list.length && list.every((e: { status: string }) => !['new', 'running', 'waiting'].includes(e.status)) ? list : undefined;
		});
		expect(execution.status).toBe('success');
		const detail = await stack.rest.execution(execution.id);
		const retryLater = detail.runData['Templated Webhook'][0].data.main[1].map((item: { json: Record<string, unknown> }) => item.json.webhookDelivery);
		expect(retryLater).toEqual([expect.objectContaining({ attempts: 1, deliveryId: received[0].headers['x-delivery-id'] })]);
		const [delivered] = outputOf(detail, 'Delivered')!;
		expect(delivered.webhookDelivery).toMatchObject({ status: 'delivered', attempts: 2, statusCode: 200, deliveryId: received[0].headers['x-delivery-id'] });
	});

	test('seed 000: a Salesforce outbound message is acknowledged exactly, leads reach Omnisend, the redelivery is not run twice', async () => {
		const omnisend = stack.sandbox.services.omnisend;
		omnisend.clear();
		const seed000 = blueprintById('seed-000');
		const [first, again] = await seed000.fire(stack);
		const ack =
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
			'<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
			'</soapenv:Body></soapenv:Envelope>';
		for (const answer of [first, again]) {
			expect(answer.status).toBe(200);
			expect(answer.headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(answer.body).toBe(ack);
		}
		await until('2 contacts and 2 events at the fake Omnisend', async () => (omnisend.requests().length >= 4 ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const received: Recorded[] = omnisend.requests();
		expect(received).toHaveLength(4);
		// Exact bytes: contacts upserted with normalised identifiers, then one event per lead whose
		// eventID is derived from sObject type + record id (the same on every redelivery or re-run).
		const bodies = (path: string) => received.filter((request) => request.path === path).map((request) => request.rawBody).sort();
		expect(bodies('/v5/contacts')).toEqual([
			'{"identifiers":[{"type":"email","id":"alan.turing@example.co.uk","sendWelcomeMessage":false}],"firstName":"Alan","lastName":"Turing","customProperties":{"salesforceId":"00Q5e00000AbCdEFGI","salesforceObject":"Lead"}}',
			'{"identifiers":[{"type":"email","id":"grace.hopper@example.com","sendWelcomeMessage":false},{"type":"phone","id":"+14155550100","sendWelcomeMessage":false}],"firstName":"Grace","lastName":"Hopper","customProperties":{"salesforceId":"00Q5e00000AbCdEFGH","salesforceObject":"Lead"}}',
		]);
		const eventId = (lead: { Id: string }) => uuidV5(`omnisend-event\nsalesforce record created\nLead:${lead.Id}`, CRM_RELAY_NAMESPACE);
		expect(bodies('/v5/events')).toEqual(
			[
				`{"eventName":"salesforce record created","origin":"api","eventID":"${eventId(salesforceLeads[0])}","contact":{"email":"grace.hopper@example.com","phone":"+14155550100","firstName":"Grace","lastName":"Hopper"},"properties":{"salesforceId":"00Q5e00000AbCdEFGH","salesforceObject":"Lead","leadSource":"Web","omnisendContactStatus":"created"}}`,
				`{"eventName":"salesforce record created","origin":"api","eventID":"${eventId(salesforceLeads[1])}","contact":{"email":"alan.turing@example.co.uk","firstName":"Alan","lastName":"Turing"},"properties":{"salesforceId":"00Q5e00000AbCdEFGI","salesforceObject":"Lead","omnisendContactStatus":"created"}}`,
			].sort(),
		);
		const executions = await until('the seed-000 execution to finish', async () => {
			const list = await stack.rest.executions('crmRelaySeed000');
			return list.length && list.every((e: { status: string }) => !['new', 'running', 'waiting'].includes(e.status)) ? list : undefined;
		});
		expect(executions.map((execution: { status: string }) => execution.status)).toEqual(['success']);
		const detail = await stack.rest.execution(executions[0].id);
		const items = outputOf(detail, 'Salesforce Trigger')!;
		expect(items.map((item) => item.notificationId)).toEqual(['04l5e000000Ntf1AAA', '04l5e000000Ntf2AAA']);
		expect(items[0]).toMatchObject({ sObjectType: 'Lead', fields: { Id: salesforceLeads[0].Id, AnnualRevenue: 1250000, IsConverted: false } });
		expect((items[1].fields as Record<string, unknown>).Phone).toBeNull();
	});

	test('seed 002: ActiveCampaign subscribes create one Acumatica contact, then update it by email (one session each, logged out)', async () => {
		const acumatica = stack.sandbox.services.acumatica;
		const seed002 = blueprintById('seed-002');
		// n8n registered its webhook with ActiveCampaign when it activated the workflow.
		expect(stack.sandbox.services.activecampaign.webhooks()).toEqual([
			expect.objectContaining({ url: `${stack.n8n.url}/webhook/0b9e4c1a-6d2f-4e8b-9a37-2c5d8f1e0a02/webhook`, events: ['subscribe'] }),
		]);
		acumatica.clear();
		const answers = await seed002.fire(stack);
		expect(answers.map((answer: { delivered: Array<{ status: number }> }) => answer.delivered.map((d) => d.status))).toEqual([[200], [200]]);
		const received: Recorded[] = acumatica.requests();
		expect(received.map((request) => `${request.method} ${request.path.split('?')[0]}`)).toEqual([
			'POST /entity/auth/login',
			'GET /entity/Default/24.200.001/Contact',
			'PUT /entity/Default/24.200.001/Contact',
			'POST /entity/auth/logout',
			'POST /entity/auth/login',
			'GET /entity/Default/24.200.001/Contact',
			'PUT /entity/Default/24.200.001/Contact',
			'POST /entity/auth/logout',
		]);
		expect(decodeURIComponent(received[1].path)).toContain(`$filter=Email eq '${activeCampaignContacts[0].email}'`);
		expect(JSON.parse(received[2].rawBody)).toEqual({
			FirstName: { value: 'Ada' },
			LastName: { value: 'Lovelace' },
			Email: { value: activeCampaignContacts[0].email },
			Phone1: { value: '+44 20 7946 0001' },
		});
		const contacts = acumatica.records('Contact').filter((record: Record<string, { value?: string }>) => /lovelace/i.test(String(record.Email?.value)));
		expect(contacts).toHaveLength(1);
		expect(JSON.parse(received[6].rawBody)).toMatchObject({ id: contacts[0].id, LastName: { value: 'King' } });
		expect(acumatica.stats()).toMatchObject({ logins: 2, logouts: 2, active: 0 });
	});

	test('seed 003: a signed campaign callout sets the Campaign to Completed and adds a result note', async () => {
		const salesforce = stack.sandbox.services.salesforce;
		salesforce.clear();
		const [answer] = await blueprintById('seed-003').fire(stack);
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toEqual({ processed: true });
		await until('the note link at the fake Salesforce', async () => (salesforce.requests().length >= 4 ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const received: Recorded[] = salesforce.requests();
		expect(received.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /services/oauth2/token',
			`PATCH /services/data/v66.0/sobjects/Campaign/${answer.campaignId}`,
			'POST /services/data/v66.0/sobjects/ContentNote',
			'POST /services/data/v66.0/sobjects/ContentDocumentLink',
		]);
		expect(received[0].rawBody).toBe('grant_type=client_credentials&client_id=sandbox-sf-client-id&client_secret=sandbox-sf-client-secret');
		expect(JSON.parse(received[1].rawBody)).toEqual({ Status: 'Completed' });
		const [campaign] = salesforce.records('Campaign').filter((record: { Id: string }) => record.Id === answer.campaignId);
		expect(campaign.Status).toBe('Completed');
		const [note] = salesforce.records('ContentNote');
		expect(note.Title).toBe('Experiment result: exp-spring-42');
		expect(note.ContentText).toContain('Spring Sale A/B');
		expect(JSON.parse(received[3].rawBody)).toEqual({ ContentDocumentId: note.Id, LinkedEntityId: answer.campaignId, ShareType: 'V', Visibility: 'AllUsers' });
		// A callout signed with another secret, and a stale replay of a correctly signed one, start nothing.
		const url = blueprintById('seed-003').webhooks(stack.n8n.url)[0];
		const body = { event_type: 'campaign_updated', campaign_id: answer.campaignId, campaign_name: 'x', status: 'Aborted', experiment_key: 'x' };
		const forged = await salesforce.sendCallout({ url, body, secret: 'not-the-shared-secret-000000000000', signatureHeader: 'X-Signature', useTimestamp: true });
		expect(forged.status).toBe(403);
		const stale = Math.floor(Date.now() / 1000) - 3600;
		const replayed = await salesforce.sendCallout({ url, body, secret: SANDBOX_KEYS.salesforceCalloutSecret, signatureHeader: 'X-Signature', timestamp: stale });
		expect(replayed.status).toBe(403);
		expect((await stack.rest.executions('crmRelaySeed003')).length).toBe(1);
	});

	test('no secret is anywhere in what n8n recorded or logged', async () => {
		const executions = [];
		for (const workflowId of ['crmRelaySeed000', 'crmRelaySeed001', 'crmRelaySeed002', 'crmRelaySeed003', 'crmRelaySeed004']) {
			executions.push(...(await stack.rest.executions(workflowId)));
		}
		const details = await Promise.all(executions.map((execution: { id: string }) => stack.rest.execution(execution.id)));
		const recorded = JSON.stringify(details);
		expect(recorded).toContain('jane@example.com'); // the scan reads real data
		expect(recorded).toContain('ada@example.com');
		expect(recorded).toContain('grace.hopper@example.com');
		const secrets = [
			SANDBOX_KEYS.omnisend,
			SANDBOX_KEYS.webhookSigningSecret,
			SANDBOX_KEYS.salesforceClientSecret,
			SANDBOX_KEYS.salesforceCalloutSecret,
			SANDBOX_KEYS.activeCampaignKey,
			SANDBOX_KEYS.acumaticaPassword,
		];
		for (const secret of secrets) {
			expect(recorded).not.toContain(secret);
			expect(stack.n8n.logs()).not.toContain(secret);
		}
	});

	if (mode === 'queue') {
		test('the executions ran on the worker: main enqueued each one, the worker started each one', () => {
			const workerLog = readFileSync(path.join(stack.logDir, 'worker.log'), 'utf8');
			const mainLog = readFileSync(path.join(stack.logDir, 'main.log'), 'utf8');
			const ids = (log: string, pattern: RegExp) => [...log.matchAll(pattern)].map((match) => match[1]).sort();
			const enqueued = ids(mainLog, /Enqueued execution (\d+)/g);
			const started = ids(workerLog, /Worker started execution (\d+)/g);
			expect(enqueued.length).toBeGreaterThanOrEqual(storefrontEvents.length + 1);
			expect(started).toEqual(enqueued);
			expect(mainLog).not.toMatch(/Worker started execution/);
		});
	} else {
		test('the editor: our node is in the nodes panel and its credential dialog opens (Chromium)', async () => {
			ensureDebianPackages(['chromium']);
			const screenshotDir = path.join(stack.dir, 'screenshots');
			const result = await checkEditor({ url: stack.n8n.url, owner: stack.rest.owner, screenshotDir });
			expect(result.nodeListed).toBe(true);
			expect(result.credentialDialog).toBe(true);
			for (const file of result.screenshots) expect(existsSync(file)).toBe(true);
		}, 180_000);
	}
});
