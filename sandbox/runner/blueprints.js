'use strict';
// The blueprint workflows in examples/, what each needs from the sandbox, and the seed's test events
// that `npm start` fires and the e2e suite asserts on. A new blueprint is one entry here.
const SANDBOX_KEYS = {
	omnisend: 'sandbox-omnisend-key',
	webhookSigningSecret: 'sandbox-webhook-signing-secret-7d1f9a3c5e',
};

/** The credentials the blueprints reference (by id), pointing at the sandbox. */
function credentialsFor(sandbox, services) {
	const credentials = [];
	if (services.includes('omnisend')) {
		credentials.push({
			id: 'crmRelayOmnisend1',
			name: 'Omnisend account',
			type: 'omnisendApi',
			data: { apiKey: SANDBOX_KEYS.omnisend, baseUrl: `${sandbox.services.omnisend.url}/v5` },
		});
	}
	if (services.includes('receiver')) {
		credentials.push({
			id: 'crmRelayWebhookSigning1',
			name: 'Receiver signing secret',
			type: 'templatedWebhookAuthApi',
			data: { authType: 'hmacSignature', signingSecret: SANDBOX_KEYS.webhookSigningSecret },
		});
	}
	return credentials;
}

/** The node of a given type in a workflow (throws if the blueprint changed shape). */
function nodeOfType(workflow, type) {
	const node = workflow.nodes.find((candidate) => candidate.type === type);
	if (!node) throw new Error(`${workflow.name} has no ${type} node`);
	return node;
}

const jane = {
	email: ' Jane@Example.com ',
	phone: '07700 900123',
	first_name: 'Jane',
	last_name: 'Doe',
};

/** Seed 004: an abandoned basket, as a storefront or CDP would post it. */
const ometriaEvents = [
	{
		profile: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', marketing_optin: 'EXPLICITLY_OPTEDIN' },
		event: { type: 'basket_abandoned', id: 'evt-1001' },
		basket: {
			currency: 'GBP',
			total: 59.9,
			products: [
				{ id: 'SKU-1', title: 'Notebook "Analytical"', quantity: 2, price: 19.95 },
				{ id: 'SKU-2', title: 'Pen – fine', quantity: 1, price: 20 },
			],
		},
	},
];

/** Seed 001's storefront events, in the Segment/Datafly shape, one per mapped event plus two edge cases. */
const storefrontEvents = [
	{
		type: 'page',
		messageId: 'msg-001-page',
		context: { traits: jane, consent: { marketing: 'subscribed' } },
		properties: { url: 'https://shop.example.com/scarves', title: 'Scarves', referrer: 'https://www.google.com/' },
	},
	{ type: 'track', event: 'Signed Up', messageId: 'msg-002-signup', context: { traits: jane }, properties: { method: 'newsletter form' } },
	{
		type: 'track',
		event: 'Product Viewed',
		messageId: 'msg-003-view',
		context: { traits: jane, consent: { marketing: 'subscribed' } },
		properties: { product_id: 'SKU-1', name: 'Wool Scarf', price: 39.95, url: 'https://shop.example.com/p/sku-1' },
	},
	{
		type: 'track',
		event: 'Product Added',
		messageId: 'msg-004-add',
		context: { traits: jane },
		properties: { product_id: 'SKU-2', name: 'Knit Hat', price: 49.95, quantity: 2 },
	},
	{
		type: 'track',
		event: 'Checkout Started',
		messageId: 'msg-005-checkout',
		context: { traits: jane },
		properties: {
			cart_id: 'CART-77',
			value: 89.9,
			currency: 'GBP',
			checkout_url: 'https://shop.example.com/checkout/CART-77',
			products: [
				{ product_id: 'SKU-1', product_name: 'Wool Scarf', price: 39.95, quantity: 1 },
				{ product_id: 'SKU-2', product_name: 'Knit Hat', price: 49.95, quantity: 1 },
			],
		},
	},
	{
		// The seed's own Datafly.js example.
		type: 'track',
		event: 'Order Completed',
		messageId: 'msg-006-order',
		context: { traits: jane, consent: { marketing: 'subscribed' } },
		properties: {
			order_id: 'ORDER-5512',
			revenue: 89.9,
			currency: 'GBP',
			coupon: 'WELCOME10',
			products: [
				{ product_id: 'SKU-1', product_name: 'Wool Scarf', price: 39.95, quantity: 1 },
				{ product_id: 'SKU-2', product_name: 'Knit Hat', price: 49.95, quantity: 1 },
			],
		},
	},
	// Not in the mapping: the seed drops other events by default.
	{ type: 'track', event: 'Coupon Applied', messageId: 'msg-007-other', context: { traits: jane }, properties: { coupon: 'X' } },
	// No email or phone: Omnisend cannot match it; the node reports it as skipped, nothing is sent.
	{ type: 'track', event: 'Product Viewed', messageId: 'msg-008-anon', context: { traits: {} }, properties: { product_id: 'SKU-9' } },
];

async function post(url, body, headers = { 'content-type': 'application/json' }) {
	const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
	return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

const blueprints = [
	{
		id: 'seed-001',
		title: 'Seed 001: storefront events -> Omnisend customer events',
		file: 'seed-001-storefront-events-to-omnisend.json',
		workflowId: 'crmRelaySeed001',
		services: ['omnisend'],
		webhooks: (n8nUrl) => [`${n8nUrl}/webhook/storefront-events`],
		/** Sends the seed's test events one by one; returns n8n's answers. */
		async fire(stack) {
			const answers = [];
			for (const event of storefrontEvents) answers.push(await post(`${stack.n8n.url}/webhook/storefront-events`, event));
			return answers;
		},
		/** How many requests the fakes get once every fired event has been handled. */
		expectedRequests: { omnisend: 6 },
	},
	{
		id: 'seed-004',
		title: 'Seed 004: contacts/events -> Ometria-style templated HTTPS webhook, retried durably',
		file: 'seed-004-templated-webhook.json',
		workflowId: 'crmRelaySeed004',
		services: ['receiver'],
		webhooks: (n8nUrl) => [`${n8nUrl}/webhook/ometria-events`],
		prepare(workflow, sandbox) {
			const node = nodeOfType(workflow, 'n8n-nodes-crm-relay.templatedWebhook');
			node.parameters.url = `${sandbox.services.receiver.url}/hooks/ometria`;
			// The sandbox receiver is on 127.0.0.1 (HTTPS with the sandbox CA): allowed only by this option.
			// Short waits so the live loop shows a retry through the Wait node within seconds.
			Object.assign(node.parameters.options, { allowLoopback: true, retries: 1, backoffSeconds: 0.2, retrySchedule: '2,2,2' });
		},
		/** The receiver fails the first two requests (one attempt and its retry), so the Wait loop delivers it. */
		async fire(stack) {
			stack.sandbox.services.receiver.fault({ status: 503, count: 2, match: { path: '/hooks/ometria' } });
			const answers = [];
			for (const event of ometriaEvents) answers.push(await post(`${stack.n8n.url}/webhook/ometria-events`, event));
			return answers;
		},
		expectedRequests: { receiver: 3 },
	},
];

module.exports = { blueprints, credentialsFor, storefrontEvents, ometriaEvents, SANDBOX_KEYS, post };
