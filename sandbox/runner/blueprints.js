'use strict';
// The blueprint workflows in examples/, what each needs from the sandbox, and the seed's test events
// that `npm start` fires and the e2e suite asserts on. A new blueprint is one entry here.
const { until } = require('./until');

const SANDBOX_KEYS = {
	omnisend: 'sandbox-omnisend-key',
	webhookSigningSecret: 'sandbox-webhook-signing-secret-7d1f9a3c5e',
	salesforceClientSecret: 'sandbox-sf-client-secret',
	salesforceCalloutSecret: 'sandbox-callout-secret-4f8e2a9c1b7d3e6f',
	activeCampaignKey: 'sandbox-activecampaign-key',
	acumaticaPassword: 'sandbox-acumatica-password',
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
		// The same key as n8n's Header Auth, for HTTP Request nodes calling the fake (bench/).
		credentials.push({
			id: 'crmRelayOmnisendHeader1',
			name: 'Omnisend X-API-KEY (Header Auth)',
			type: 'httpHeaderAuth',
			data: { name: 'X-API-KEY', value: SANDBOX_KEYS.omnisend },
		});
	}
	if (services.includes('salesforce')) {
		credentials.push(
			{
				id: 'crmRelaySalesforce1',
				name: 'Salesforce account',
				type: 'salesforceClientCredentialsApi',
				data: {
					myDomainUrl: sandbox.services.salesforce.url,
					clientId: 'sandbox-sf-client-id',
					clientSecret: SANDBOX_KEYS.salesforceClientSecret,
				},
			},
			{
				id: 'crmRelaySalesforceCallout1',
				name: 'Salesforce callout secret',
				type: 'salesforceCalloutSecretApi',
				data: { secret: SANDBOX_KEYS.salesforceCalloutSecret },
			},
		);
	}
	if (services.includes('activecampaign')) {
		credentials.push({
			id: 'crmRelayActiveCampaign1',
			name: 'ActiveCampaign account',
			type: 'activeCampaignApi',
			data: { apiUrl: sandbox.services.activecampaign.url, apiKey: SANDBOX_KEYS.activeCampaignKey },
		});
	}
	if (services.includes('acumatica')) {
		credentials.push({
			id: 'crmRelayAcumatica1',
			name: 'Acumatica account',
			type: 'acumaticaApi',
			data: {
				instanceUrl: sandbox.services.acumatica.url,
				tenant: 'Company',
				endpointName: 'Default',
				endpointVersion: '24.200.001',
				mode: 'session',
				username: 'admin',
				password: SANDBOX_KEYS.acumaticaPassword,
				tenantField: 'tenant',
			},
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

/** Seed 000: two leads created in Salesforce, as its outbound message carries them. */
const salesforceLeads = [
	{ Id: '00Q5e00000AbCdEFGH', FirstName: 'Grace', LastName: 'Hopper', Email: ' Grace.Hopper@Example.com ', Phone: '+1 415 555 0100', Company: 'Navy', LeadSource: 'Web', AnnualRevenue: 1250000, IsConverted: false },
	{ Id: '00Q5e00000AbCdEFGI', FirstName: 'Alan', LastName: 'Turing', Email: 'alan.turing@example.co.uk', Phone: null, Company: 'Bletchley', LeadSource: null, AnnualRevenue: null, IsConverted: false },
];

const LEAD_NOTIFICATION_IDS = ['04l5e000000Ntf1AAA', '04l5e000000Ntf2AAA'];

/** Seed 002: a new ActiveCampaign contact, then the same person subscribing again (no duplicate). */
const activeCampaignContacts = [
	{ email: 'Ada.Lovelace@Example.com', first_name: 'Ada', last_name: 'Lovelace', phone: '+44 20 7946 0001' },
	{ email: 'ada.lovelace@example.com ', first_name: 'Ada', last_name: 'King', phone: '+44 20 7946 0001' },
];

/** Seed 003: the campaign-update callout the seed describes. */
const campaignCallout = (campaignId) => ({
	event_type: 'campaign_updated',
	campaign_id: campaignId,
	campaign_name: 'Spring Sale A/B',
	status: 'In Progress',
	experiment_key: 'exp-spring-42',
});

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
		id: 'seed-000',
		title: 'Seed 000: Salesforce lead created -> verified, acknowledged -> Omnisend contact + event',
		file: 'seed-000-salesforce-to-omnisend.json',
		workflowId: 'crmRelaySeed000',
		services: ['salesforce', 'omnisend'],
		webhooks: (n8nUrl) => [`${n8nUrl}/webhook/5d0c7e52-9a3b-4f61-8c2d-7b1e0a9f3c00/salesforce`],
		/** The fake Salesforce sends one outbound message with two leads, then redelivers it. */
		async fire(stack) {
			const message = { url: this.webhooks(stack.n8n.url)[0], sObjectType: 'Lead', records: salesforceLeads, notificationIds: LEAD_NOTIFICATION_IDS };
			const first = await stack.sandbox.services.salesforce.sendOutboundMessage(message);
			// Salesforce redelivers a message until it sees the Ack (for up to 24 hours): same notification ids.
			const again = await stack.sandbox.services.salesforce.sendOutboundMessage(message);
			return [first, again];
		},
		expectedRequests: { omnisend: 4 },
	},
	{
		id: 'seed-002',
		title: 'Seed 002: ActiveCampaign new contact -> Acumatica Contact created or updated by email',
		file: 'seed-002-activecampaign-to-acumatica.json',
		workflowId: 'crmRelaySeed002',
		services: ['activecampaign', 'acumatica'],
		webhooks: (n8nUrl) => [`${n8nUrl}/webhook/0b9e4c1a-6d2f-4e8b-9a37-2c5d8f1e0a02/webhook`],
		/** ActiveCampaign (the fake) posts two `subscribe` events for the same person, one after the other. */
		async fire(stack) {
			const answers = [];
			for (const contact of activeCampaignContacts) {
				answers.push(await stack.sandbox.services.activecampaign.fire({ event: 'subscribe', contact }));
				// One at a time, as a person subscribes; the guard against duplicates is search-then-write.
				await until('the previous execution', async () => ((await stack.rest.executions('crmRelaySeed002')).filter((e) => e.status === 'success').length >= answers.length ? true : undefined), 30_000);
			}
			return answers;
		},
		expectedRequests: { acumatica: 8 },
	},
	{
		id: 'seed-003',
		title: 'Seed 003: Salesforce campaign callout -> platform -> Campaign status Completed + result note',
		file: 'seed-003-salesforce-campaign-updates.json',
		workflowId: 'crmRelaySeed003',
		services: ['salesforce'],
		webhooks: (n8nUrl) => [`${n8nUrl}/webhook/8a3f1c2e-6b4d-4e9a-9c7f-2d1e0b3a5c03/salesforce`],
		/** A campaign exists in the org; Salesforce's Flow calls out with the seed's payload, signed. */
		async fire(stack) {
			const salesforce = stack.sandbox.services.salesforce;
			const campaign = salesforce.addRecord('Campaign', { Name: 'Spring Sale A/B', Status: 'In Progress', IsActive: true });
			const answer = await salesforce.sendCallout({
				url: this.webhooks(stack.n8n.url)[0],
				body: campaignCallout(campaign.Id),
				secret: SANDBOX_KEYS.salesforceCalloutSecret,
				signatureHeader: 'X-Signature',
				// The blueprint requires a signed timestamp (replays of an intercepted callout are refused).
				useTimestamp: true,
			});
			return [{ ...answer, campaignId: campaign.Id }];
		},
		expectedRequests: { salesforce: 4 },
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

module.exports = { blueprints, credentialsFor, storefrontEvents, ometriaEvents, salesforceLeads, activeCampaignContacts, campaignCallout, SANDBOX_KEYS, post };
