import path from 'node:path';

import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { loadWorkflow, runWorkflow } from '../harness/run-workflow';
import type { NotificationSpec } from './fixtures';
import { deliver, EXPECTED_ACK, LEAD, notificationId, outboundMessage, to18 } from './fixtures';

const BLUEPRINT = path.resolve(__dirname, '../../examples/seed-000-salesforce-to-omnisend.json');
const SANDBOX_ORG = '00DSANDBOX00001';
const API_KEY = 'omni-seed000-key-5e1d';
const CREDENTIALS = { omnisendApi: { apiKey: API_KEY, baseUrl: 'https://api.omnisend.com/v5' } };

interface Received {
	method: string;
	path: string;
	headers: Record<string, unknown>;
	rawBody: string;
}

/** A fake Omnisend v5 that records exactly what it receives (raw bodies via nock's 'request' event). */
function omnisend() {
	const received: Received[] = [];
	const raw: string[] = [];
	const scope = nock('https://api.omnisend.com').persist();
	scope.on('request', (_req, _interceptor, body: string) => raw.push(body ?? ''));
	scope.post('/v5/contacts').reply(function () {
		received.push({ method: 'POST', path: '/v5/contacts', headers: this.req.headers, rawBody: raw.shift() ?? '' });
		return [201, { contactID: `c-${received.length}` }];
	});
	scope.post('/v5/events').reply(function () {
		received.push({ method: 'POST', path: '/v5/events', headers: this.req.headers, rawBody: raw.shift() ?? '' });
		return [202, ''];
	});
	return received;
}

const CONTACT: NotificationSpec = {
	id: notificationId(42),
	type: 'Contact',
	fields: [
		['Id', '0035g00000QrStUAAV'],
		['Email', '  Grace.Hopper@Example.com '],
		['FirstName', 'Grace'],
		['LastName', 'Hopper'],
		['MobilePhone', '+1 415 555 0100'],
		['Phone', null],
	],
};
const ACCOUNT: NotificationSpec = { id: notificationId(43), type: 'Account', fields: [['Id', '0015g00000AbCdEAAV'], ['Name', 'Acme']] };

async function triggerItems(notifications: NotificationSpec[], staticData: IDataObject = {}) {
	const workflow = loadWorkflow(BLUEPRINT);
	const triggerNode = workflow.nodes.find((node) => node.name === 'Salesforce Trigger')!;
	const call = await deliver(outboundMessage(notifications, { org: to18(SANDBOX_ORG) }), triggerNode.parameters, { staticData });
	expect(call.response.body).toBe(EXPECTED_ACK);
	return { workflow, items: (call.items?.[0] ?? []).map((item) => item.json) };
}

describe('blueprint seed 000: Salesforce Trigger -> Omnisend contact upsert + event', () => {
	test('a Lead and a Contact become two contact upserts and two events; the Account is filtered out', async () => {
		const received = omnisend();
		const { workflow, items } = await triggerItems([LEAD, ACCOUNT, CONTACT]);
		expect(items.map((item) => item.sObjectType)).toEqual(['Lead', 'Contact']);

		const result = await runWorkflow(workflow, { credentials: CREDENTIALS, input: items, mode: 'webhook', startNode: 'Salesforce Trigger' });
		expect(result.nodeError('Upsert Contact')).toBeUndefined();
		expect(result.nodeError('Send Created Event')).toBeUndefined();

		const contacts = received.filter((request) => request.path === '/v5/contacts');
		const events = received.filter((request) => request.path === '/v5/events');
		expect(received.every((request) => request.headers['x-api-key'] === API_KEY)).toBe(true);
		const contactBodies = contacts.map((request) => JSON.parse(request.rawBody));
		expect(contactBodies).toEqual([
			{
				identifiers: [{ type: 'email', id: 'ada.lovelace@example.com', sendWelcomeMessage: false }],
				firstName: 'Ada',
				lastName: 'Lovelace',
				customProperties: { salesforceId: '00Q5g00000AbCdEEAV', salesforceObject: 'Lead' },
			},
			{
				identifiers: [
					{ type: 'email', id: 'grace.hopper@example.com', sendWelcomeMessage: false },
					{ type: 'phone', id: '+14155550100', sendWelcomeMessage: false },
				],
				firstName: 'Grace',
				lastName: 'Hopper',
				customProperties: { salesforceId: '0035g00000QrStUAAV', salesforceObject: 'Contact' },
			},
		]);

		const eventBodies = events.map((request) => JSON.parse(request.rawBody) as IDataObject);
		expect(eventBodies).toHaveLength(2);
		expect(eventBodies[0]).toEqual({
			eventName: 'salesforce record created',
			origin: 'api',
			eventID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
			contact: { email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace' },
			properties: { salesforceId: '00Q5g00000AbCdEEAV', salesforceObject: 'Lead', leadSource: 'Web', omnisendContactStatus: 'created' },
		});
		expect(eventBodies[1]).toEqual({
			eventName: 'salesforce record created',
			origin: 'api',
			eventID: expect.any(String),
			contact: { email: 'grace.hopper@example.com', phone: '+14155550100', firstName: 'Grace', lastName: 'Hopper' },
			properties: { salesforceId: '0035g00000QrStUAAV', salesforceObject: 'Contact', omnisendContactStatus: 'created' },
		});
		expect(eventBodies[0].eventID).not.toBe(eventBodies[1].eventID);
		expect(result.output('Send Created Event').map((item) => item.json.status)).toEqual(['sent', 'sent']);
	});

	test('the event ID is derived from object type and record ID: a resend of the same record carries the same eventID', async () => {
		const received = omnisend();
		const first = await triggerItems([LEAD]);
		await runWorkflow(first.workflow, { credentials: CREDENTIALS, input: first.items, mode: 'webhook', startNode: 'Salesforce Trigger' });
		// Salesforce sends the record again under a new notification (e.g. a second rule firing).
		const resend = await triggerItems([{ ...LEAD, id: notificationId(99) }]);
		await runWorkflow(resend.workflow, { credentials: CREDENTIALS, input: resend.items, mode: 'webhook', startNode: 'Salesforce Trigger' });
		const eventIds = received.filter((request) => request.path === '/v5/events').map((request) => JSON.parse(request.rawBody).eventID);
		expect(eventIds).toHaveLength(2);
		expect(eventIds[0]).toBe(eventIds[1]);
	});

	test('a redelivered notification reaches Omnisend only once', async () => {
		const received = omnisend();
		const staticData: IDataObject = {};
		const first = await triggerItems([LEAD], staticData);
		await runWorkflow(first.workflow, { credentials: CREDENTIALS, input: first.items, mode: 'webhook', startNode: 'Salesforce Trigger' });
		const again = await triggerItems([LEAD], staticData);
		expect(again.items).toEqual([]);
		expect(received.map((request) => request.path)).toEqual(['/v5/contacts', '/v5/events']);
	});

	test('a record without email or valid phone is not sent and comes out skipped with the reason', async () => {
		const received = omnisend();
		const noEmail: NotificationSpec = { id: notificationId(50), type: 'Lead', fields: [['Id', '00Q5g00000ZzZzZEAV'], ['Email', null], ['Phone', '(415) 555-0100']] };
		const { workflow, items } = await triggerItems([noEmail]);
		const result = await runWorkflow(workflow, { credentials: CREDENTIALS, input: items, mode: 'webhook', startNode: 'Salesforce Trigger' });
		expect(received).toEqual([]);
		expect(result.output('Upsert Contact').map((item) => item.json)).toEqual([{ status: 'skipped', reason: expect.stringMatching(/^No email and no phone/) }]);
		expect(result.output('Send Created Event').map((item) => item.json.status)).toEqual(['skipped']);
	});
});
