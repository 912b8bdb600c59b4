import { createHmac } from 'node:crypto';
import type { IDataObject, INode } from 'n8n-workflow';

import { loadWorkflow, runWorkflow } from '../harness/run-workflow';
import { CREDENTIALS, PassThrough, SIGNING_SECRET, dnsFake, receiverFake } from './fixtures';

const BLUEPRINT = 'examples/seed-004-templated-webhook.json';
const RECEIVER = 'https://receiver.example.com';
const EVENT = {
	profile: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', marketing_optin: 'EXPLICITLY_OPTEDIN' },
	event: { type: 'basket_abandoned', id: 'evt-1001' },
	basket: { currency: 'GBP', total: 59.9, products: [{ id: 'SKU-1', title: 'Notebook "Analytical"', quantity: 2, price: 19.95 }] },
};

/** The blueprint as exported, with in-execution retries off so each loop round is one request. */
function blueprint() {
	const workflow = loadWorkflow(BLUEPRINT);
	const node = workflow.nodes.find((n) => n.type === 'n8n-nodes-crm-relay.templatedWebhook') as INode;
	node.parameters.options = { ...(node.parameters.options as IDataObject), retries: 0 };
	return { workflow, node };
}

// n8n's Wait resumes after the computed time; here it passes items on at once (the time is checked on the items).
// The Webhook source and the Set that unwraps its body pass the test's items on as they are.
const nodeTypes = {
	'n8n-nodes-base.wait': new PassThrough(),
	'n8n-nodes-base.set': new PassThrough(),
	'n8n-nodes-base.webhook': new PassThrough(),
};

describe('blueprint seed-004: source -> Templated Webhook, Retry Later -> Wait -> back, Dropped -> log', () => {
	test('the exported workflow wires the Wait loop and reads the next attempt time from the item', () => {
		const { workflow } = blueprint();
		const wait = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.wait') as INode;
		expect(wait.parameters).toEqual({ resume: 'specificTime', dateTime: '={{ $json.webhookDelivery.nextAttemptAt }}' });
		expect(workflow.connections['Templated Webhook'].main[1]).toEqual([{ node: wait.name, type: 'main', index: 0 }]);
		expect(workflow.connections[wait.name].main[0]).toEqual([{ node: 'Templated Webhook', type: 'main', index: 0 }]);
	});

	test('fails twice, is retried through the Wait loop with the same delivery id, then delivered signed', async () => {
		dnsFake({ 'receiver.example.com': ['93.184.215.14'] });
		const { received } = receiverFake((_r, i) => (i < 2 ? [503, 'down'] : [202, 'accepted']), RECEIVER);
		const { workflow } = blueprint();
		const result = await runWorkflow(workflow, { input: [EVENT], credentials: CREDENTIALS.hmac, nodeTypes, startNode: 'Contact or Event In' });

		expect(received).toHaveLength(3);
		expect(new Set(received.map((r) => r.headers['x-delivery-id'])).size).toBe(1);
		expect(JSON.parse(received[0].rawBody)).toEqual({
			event: 'basket_abandoned',
			event_id: 'evt-1001',
			email: 'ada@example.com',
			first_name: 'Ada',
			last_name: 'Lovelace',
			opted_in: true,
			basket: { currency: 'GBP', total: 59.9, lines: [{ sku: 'SKU-1', title: 'Notebook "Analytical"', qty: 2 }] },
		});
		for (const request of received) {
			const ts = request.headers['x-webhook-timestamp'] as string;
			expect(request.headers['x-webhook-signature']).toBe(`sha256=${createHmac('sha256', SIGNING_SECRET).update(`${ts}.${request.rawBody}`).digest('hex')}`);
			expect(request.headers['x-source']).toBe('n8n-templated-webhook');
		}
		const waited = result.output('Wait until next attempt');
		expect(waited.map((item) => (item.json.webhookDelivery as IDataObject).attempts)).toEqual([1, 2]);
		const delivered = result.output('Delivered');
		expect(delivered).toHaveLength(1);
		expect(delivered[0].json.webhookDelivery).toMatchObject({
			status: 'delivered',
			attempts: 3,
			statusCode: 202,
			deliveryId: received[0].headers['x-delivery-id'],
		});
		expect(result.output('Dropped (see webhookDelivery.log)')).toHaveLength(0);
	});

	test('a receiver that never recovers: 10 attempts, then the item is dropped with the whole log', async () => {
		dnsFake({ 'receiver.example.com': ['93.184.215.14'] });
		const { received } = receiverFake(() => [500, 'broken'], RECEIVER);
		const { workflow } = blueprint();
		const result = await runWorkflow(workflow, { input: [EVENT], credentials: CREDENTIALS.hmac, nodeTypes, startNode: 'Contact or Event In' });
		expect(received).toHaveLength(10);
		expect(result.output('Wait until next attempt').map((item) => (item.json.webhookDelivery as IDataObject).waitSeconds)).toEqual([
			15, 30, 60, 120, 240, 480, 900, 900, 900,
		]);
		const dropped = result.output('Dropped (see webhookDelivery.log)');
		expect(dropped).toHaveLength(1);
		const state = dropped[0].json.webhookDelivery as IDataObject;
		expect(state).toMatchObject({ status: 'dropped', attempts: 10, reason: 'the receiver answered 500; dropped after 10 attempts', logEntries: 10 });
		expect((state.log as IDataObject[]).map((e) => e.statusCode)).toEqual(Array(10).fill(500));
		expect(dropped[0].json.profile).toEqual(EVENT.profile);
	});
});
