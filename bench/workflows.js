'use strict';
// The benchmark workflows. Two workflows keep publishing cheap (each publish boots n8n's CLI):
// - SALESFORCE: our Salesforce Trigger and, beside it, n8n's Webhook -> Respond to Webhook (two
//   triggers in one workflow; a delivery runs only its own trigger's branch).
// - WORK: one Webhook trigger per case (responseMode lastNode), each followed by the same Code node
//   (it makes the items from the posted {kind, n, seed}) and the node(s) measured. Every case has
//   its own trigger, so no Switch or other shared node adds work to one side only.
const { createHash } = require('node:crypto');

const { SANDBOX_KEYS } = require('../sandbox/runner/blueprints');
const { TEMPLATE, EXPRESSION, itemFor, TITLES } = require('./templated');

const SALESFORCE_WORKFLOW_ID = 'crmRelayBenchSalesforce';
const WORK_WORKFLOW_ID = 'crmRelayBenchWork';
const SF_WEBHOOK_ID = '7be0a3c4-1d2e-4f50-9a61-b2c3d4e5f601';
const SF_THEIRS_PATH = 'bench-salesforce-theirs';
const SOAP_ACK =
	'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
	'<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
	'</soapenv:Body></soapenv:Envelope>';

const OMNISEND_EVENT_NAME = 'bench order placed';
/** HTTP Request batching for the equal-parallelism comparison: 20 items every 50 ms (the fake's latency). */
const HTTP_BATCH = { batchSize: 20, batchInterval: 50 };
const OURS_MATCHED_CONCURRENCY = 20;
/** Our nodes at their highest Concurrency, beside their defaults (HTTP Request has no such cap). */
const OURS_MAX_CONCURRENCY = { acumatica: 10, templated: 20 };

/**
 * The Code node's program (the same for every case): items from the posted body.
 * omnisend: events with an explicit eventID (a v4-shaped UUID from seed and index, so both sides send
 * the same bodies); acumatica: customers with distinct keys; templated: order webhooks (bench/templated.js).
 */
function codeNodeProgram() {
	return [
		'const { kind, n, seed } = $input.first().json.body;',
		"const hex = (value, length) => (value >>> 0).toString(16).padStart(length, '0').slice(-length);",
		`const TITLES = ${JSON.stringify(TITLES)};`,
		`const itemFor = ${itemFor.toString()};`,
		'const make = {',
		'\tomnisend: (i) => ({',
		"\t\teventID: `${hex(seed, 8)}-${hex(i, 4)}-4${hex(seed * 31 + i, 3)}-8${hex(i * 7, 3)}-${hex(seed, 4)}${hex(i, 8)}`,",
		'\t\temail: `customer.${i}@example.com`,',
		"\t\tphone: `+447700900${String(i % 1000).padStart(3, '0')}`,",
		'\t\tfirstName: `First${i}`,',
		'\t\tlastName: `Last${i}`,',
		'\t\torderID: `ORD-${seed}-${i}`,',
		'\t\tvalue: 10 + (i % 50) * 2.5,',
		"\t\tcurrency: 'GBP',",
		'\t}),',
		"\tacumatica: (i) => ({ CustomerID: `B${seed}-${i}`, CustomerName: `Bench Customer ${seed}-${i}`, CustomerClass: 'DEFAULT' }),",
		'\ttemplated: (i) => itemFor(i, seed),',
		'};',
		'const items = [];',
		'for (let i = 0; i < Number(n); i++) items.push({ json: make[kind](i) });',
		'return items;',
	].join('\n');
}

let position = 0;
const at = (x) => [x, (position += 200)];

function webhookNode(name, path, extra = {}) {
	return {
		id: `bench-in-${path}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: at(0),
		webhookId: `b3c4d5e6-0000-4000-8000-${createHash('sha256').update(path).digest('hex').slice(0, 12)}`,
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {}, ...extra },
	};
}

function codeNode(name) {
	return {
		id: `bench-code-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: at(220),
		parameters: { jsCode: codeNodeProgram() },
	};
}

/** An HTTP Request node (v4.2) sending JSON built by an expression; `headerAuth`: a Header Auth credential reference. */
function httpNode(name, { method, url, headers = [], jsonBody, options = {}, headerAuth, extra = {} }) {
	const parameters = { method, url, options };
	if (headerAuth) Object.assign(parameters, { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' });
	if (headers.length) Object.assign(parameters, { sendHeaders: true, headerParameters: { parameters: headers } });
	if (jsonBody !== undefined) Object.assign(parameters, { sendBody: true, contentType: 'json', specifyBody: 'json', jsonBody });
	return {
		id: `bench-http-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: at(440),
		parameters,
		...(headerAuth ? { credentials: { httpHeaderAuth: headerAuth } } : {}),
		...extra,
	};
}

/** The Salesforce workflow: ours (outbound message, redelivery memory off: the Webhook side keeps none) and theirs. */
function salesforceWorkflow() {
	return {
		id: SALESFORCE_WORKFLOW_ID,
		name: 'Bench: Salesforce Trigger vs Webhook + Respond to Webhook',
		nodes: [
			{
				id: 'bench-sf-ours',
				name: 'Salesforce Trigger',
				type: 'n8n-nodes-crm-relay.salesforceTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: SF_WEBHOOK_ID,
				parameters: { source: 'outboundMessage', organizationId: '00DSANDBOX00001', sObjectTypes: '', options: { deduplicate: false } },
			},
			{
				id: 'bench-sf-theirs',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 300],
				webhookId: 'b3c4d5e6-0000-4000-8000-5f7e1a2b3c04',
				parameters: { httpMethod: 'POST', path: SF_THEIRS_PATH, responseMode: 'responseNode', options: {} },
			},
			{
				id: 'bench-sf-respond',
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [260, 300],
				parameters: {
					respondWith: 'text',
					responseBody: SOAP_ACK,
					options: { responseHeaders: { entries: [{ name: 'Content-Type', value: 'text/xml; charset=utf-8' }] } },
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const OMNISEND_CASES = ['omnisend-ours', 'omnisend-ours-c20', 'omnisend-http', 'omnisend-http-batch'];

/**
 * The work workflow. Cases (= webhook paths below /webhook/ and trigger names):
 * omnisend-ours, omnisend-ours-c20, omnisend-http, omnisend-http-batch, acumatica-ours, acumatica-ours-max,
 * acumatica-http, templated-ours, templated-ours-max, templated-http. `measured[case]` names the node(s) whose executionTime is the case's time.
 */
function workWorkflow(sandbox) {
	position = 0;
	const omnisend = sandbox.services.omnisend;
	const acumatica = sandbox.services.acumatica;
	const receiverUrl = `${sandbox.services.receiver.url}/bench/hook`;
	const nodes = [];
	const connections = {};
	const chain = (...names) => {
		for (let i = 0; i < names.length - 1; i++) {
			connections[names[i]] ??= { main: [[]] };
			connections[names[i]].main[0].push({ node: names[i + 1], type: 'main', index: 0 });
		}
	};
	const trigger = (path) => {
		const name = `In ${path}`;
		nodes.push(webhookNode(name, path));
		return name;
	};
	const code = (path) => {
		const name = `Make Items ${path}`;
		nodes.push(codeNode(name));
		return name;
	};

	// 2. Omnisend: one custom event per item, same fields both sides.
	const omnisendNode = (name, requestOptions) => ({
		id: `bench-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: 'n8n-nodes-crm-relay.omnisend',
		typeVersion: 1,
		position: at(440),
		parameters: {
			resource: 'event',
			operation: 'send',
			preset: 'custom',
			customEventName: OMNISEND_EVENT_NAME,
			email: '={{ $json.email }}',
			phone: '={{ $json.phone }}',
			additionalProperties: {
				property: [
					{ key: 'orderID', type: 'string', value: '={{ $json.orderID }}' },
					{ key: 'value', type: 'number', value: '={{ $json.value }}' },
					{ key: 'currency', type: 'string', value: '={{ $json.currency }}' },
				],
			},
			options: { firstName: '={{ $json.firstName }}', lastName: '={{ $json.lastName }}', eventID: '={{ $json.eventID }}' },
			requestOptions,
		},
		credentials: { omnisendApi: { id: 'crmRelayOmnisend1', name: 'Omnisend account' } },
	});
	const omnisendBody =
		"={{ JSON.stringify({ eventName: '" +
		OMNISEND_EVENT_NAME +
		"', origin: 'api', eventID: $json.eventID, contact: { email: $json.email, phone: $json.phone, firstName: $json.firstName, lastName: $json.lastName }, properties: { orderID: $json.orderID, value: $json.value, currency: $json.currency } }) }}";
	const omnisendHttp = (name, options) =>
		httpNode(name, {
			method: 'POST',
			url: `${omnisend.baseUrl}/events`,
			// The key from a Header Auth credential, as a workflow would hold it: n8n then reads and decrypts
			// the credential for every request, as it does for our node's credential (same work both sides).
			headerAuth: { id: 'crmRelayOmnisendHeader1', name: 'Omnisend X-API-KEY (Header Auth)' },
			jsonBody: omnisendBody,
			options,
			// Failed items (429 under the rate limit) stay in the output, counted instead of stopping the run.
			extra: { onError: 'continueRegularOutput' },
		});
	const measured = {};
	for (const [path, node] of [
		['omnisend-ours', omnisendNode('Omnisend (ours)', {})],
		['omnisend-ours-c20', omnisendNode('Omnisend (ours, concurrency 20)', { concurrency: OURS_MATCHED_CONCURRENCY })],
		['omnisend-http', omnisendHttp('HTTP Request (Omnisend)', {})],
		['omnisend-http-batch', omnisendHttp('HTTP Request (Omnisend, batching)', { batching: { batch: HTTP_BATCH } })],
	]) {
		nodes.push(node);
		chain(trigger(path), code(path), node.name);
		measured[path] = [node.name];
	}

	// 3. Acumatica: create or update Customers by key; theirs logs in, PUTs each item with the cookie, logs out.
	const acumaticaNode = (name, requestOptions) => ({
		id: `bench-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: 'n8n-nodes-crm-relay.acumatica',
		typeVersion: 1,
		position: at(440),
		parameters: {
			authentication: 'password',
			resource: 'record',
			operation: 'createOrUpdate',
			entity: { __rl: true, mode: 'name', value: 'Customer' },
			record: '={{ JSON.stringify({ CustomerID: $json.CustomerID, CustomerName: $json.CustomerName, CustomerClass: $json.CustomerClass }) }}',
			options: {},
			requestOptions,
		},
		credentials: { acumaticaApi: { id: 'crmRelayAcumatica1', name: 'Acumatica account' } },
	});
	for (const [path, node] of [
		['acumatica-ours', acumaticaNode('Acumatica (ours)', {})],
		['acumatica-ours-max', acumaticaNode(`Acumatica (ours, concurrency ${OURS_MAX_CONCURRENCY.acumatica})`, { concurrency: OURS_MAX_CONCURRENCY.acumatica })],
	]) {
		nodes.push(node);
		chain(trigger(path), code(path), node.name);
		measured[path] = [node.name];
	}

	const cookie = "={{ $('Acumatica Login').first().json.headers['set-cookie'].map((c) => c.split(';')[0]).join('; ') }}";
	const login = httpNode('Acumatica Login', {
		method: 'POST',
		url: `${acumatica.url}/entity/auth/login`,
		jsonBody: JSON.stringify({ name: acumatica.username, password: SANDBOX_KEYS.acumaticaPassword, tenant: acumatica.tenant }),
		options: { response: { response: { fullResponse: true } } },
		extra: { executeOnce: true },
	});
	const put = httpNode('Acumatica PUT', {
		method: 'PUT',
		url: `${acumatica.endpointUrl}/Customer`,
		headers: [{ name: 'Cookie', value: cookie }],
		jsonBody: '={{ JSON.stringify({ CustomerID: { value: $json.CustomerID }, CustomerName: { value: $json.CustomerName }, CustomerClass: { value: $json.CustomerClass } }) }}',
	});
	const logout = httpNode('Acumatica Logout', {
		method: 'POST',
		url: `${acumatica.url}/entity/auth/logout`,
		headers: [{ name: 'Cookie', value: cookie }],
		extra: { executeOnce: true },
	});
	nodes.push(login, put, logout);
	// The login runs first (v1 order: the upper branch of the trigger), then the items branch.
	login.position = [440, -400];
	const acuTrigger = trigger('acumatica-http');
	chain(acuTrigger, login.name);
	chain(acuTrigger, code('acumatica-http'), put.name, logout.name);
	measured['acumatica-http'] = [login.name, put.name, logout.name];

	// 4. Templated Webhook (no signing on either side) vs HTTP Request with the equivalent expression.
	const templatedNode = (name, extraOptions) => ({
		id: `bench-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: 'n8n-nodes-crm-relay.templatedWebhook',
		typeVersion: 1,
		position: at(440),
		parameters: {
			url: receiverUrl,
			method: 'POST',
			contentType: 'json',
			headers: '{}',
			template: TEMPLATE,
			options: { allowLoopback: true, deliveryKey: '={{ $json.event.id }}', ...extraOptions },
		},
	});
	for (const [path, node] of [
		['templated-ours', templatedNode('Templated Webhook (ours)', {})],
		['templated-ours-max', templatedNode(`Templated Webhook (ours, concurrency ${OURS_MAX_CONCURRENCY.templated})`, { concurrency: OURS_MAX_CONCURRENCY.templated })],
		['templated-http', httpNode('HTTP Request (webhook)', { method: 'POST', url: receiverUrl, jsonBody: EXPRESSION })],
	]) {
		nodes.push(node);
		chain(trigger(path), code(path), node.name);
		measured[path] = [node.name];
	}

	const workflow = { id: WORK_WORKFLOW_ID, name: 'Bench: our nodes vs n8n HTTP Request', nodes, connections, settings: { executionOrder: 'v1' } };
	return { workflow, measured, webhooks: Object.keys(measured) };
}

module.exports = {
	salesforceWorkflow,
	workWorkflow,
	codeNodeProgram,
	SALESFORCE_WORKFLOW_ID,
	WORK_WORKFLOW_ID,
	SF_WEBHOOK_ID,
	SF_THEIRS_PATH,
	SOAP_ACK,
	OMNISEND_EVENT_NAME,
	OMNISEND_CASES,
	HTTP_BATCH,
	OURS_MATCHED_CONCURRENCY,
	OURS_MAX_CONCURRENCY,
};
