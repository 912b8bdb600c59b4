'use strict';
// The blueprint workflows in examples/, what each needs from the sandbox, and the seed's test events
// that `npm start` fires and the e2e suite asserts on. A new blueprint is one entry here.
const SANDBOX_KEYS = {
	omnisend: 'sandbox-omnisend-key',
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
	return credentials;
}

const jane = {
	email: ' Jane@Example.com ',
	phone: '07700 900123',
	first_name: 'Jane',
	last_name: 'Doe',
};

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
];

module.exports = { blueprints, credentialsFor, storefrontEvents, SANDBOX_KEYS, post };
