import { createHmac } from 'node:crypto';
import path from 'node:path';

import { SalesforceTrigger } from '../../nodes/SalesforceTrigger/SalesforceTrigger.node';
import { loadWorkflow, runWorkflow } from '../harness/run-workflow';
import { callWebhook } from '../harness/webhook';
import { CAMPAIGN_ID, credentials, expectApiRequest, expectTokenRequest, isTokenRequest, salesforceFake, tokenAnswer, V } from './fixtures';

const BLUEPRINT = path.resolve(__dirname, '../../examples/seed-003-salesforce-campaign-updates.json');
const CALLOUT_SECRET = 'b7e1c9a04f2d6e83a5c1f0e9d8b7a6c5';

/** The seed-003 payload, exactly as the seed shows it. */
const SEED_PAYLOAD = {
	event_type: 'campaign_updated',
	campaign_id: CAMPAIGN_ID,
	campaign_name: 'Q1 Checkout Optimization',
	status: 'Completed',
	experiment_key: 'checkout-button-color',
};

/** Headers of a callout signed as the blueprint requires: HMAC-SHA256 of "<timestamp>.<raw body>". */
function signedHeaders(secret: string, rawBody: string) {
	const timestamp = String(Math.floor(Date.now() / 1000));
	return {
		'content-type': 'application/json',
		'x-timestamp': timestamp,
		'x-signature': createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'),
	};
}

/** Delivers a signed JSON callout to the blueprint's trigger and returns the items it starts the workflow with. */
async function calloutItems(payload: object) {
	const workflow = loadWorkflow(BLUEPRINT);
	const trigger = workflow.nodes.find((node) => node.name === 'Salesforce Trigger')!;
	const rawBody = JSON.stringify(payload);
	const call = await callWebhook(
		new SalesforceTrigger(),
		{ parameters: trigger.parameters, credentials: trigger.credentials },
		{ method: 'POST', headers: signedHeaders(CALLOUT_SECRET, rawBody), rawBody },
		{ credentials: { salesforceCalloutSecretApi: { secret: CALLOUT_SECRET } } },
	);
	expect(call.response.statusCode).toBe(200);
	return { workflow, items: (call.items?.[0] ?? []).map((item) => item.json) };
}

describe('blueprint seed 003: Salesforce callout -> platform -> Campaign status + result note', () => {
	test('the seed payload: Campaign set to Completed, then a ContentNote linked to it with the summary', async () => {
		const { workflow, items } = await calloutItems(SEED_PAYLOAD);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject(SEED_PAYLOAD);
		const { received } = salesforceFake((request) => {
			if (isTokenRequest(request)) return tokenAnswer();
			if (request.path.endsWith('/ContentNote')) return [201, { id: '069xx0000001AbcAAE', success: true, errors: [] }];
			if (request.path.endsWith('/ContentDocumentLink')) return [201, { id: '06Axx0000002XyzEAE', success: true, errors: [] }];
			return [204, undefined, { 'Sforce-Limit-Info': 'api-usage=40/15000' }];
		});

		const result = await runWorkflow(workflow, { credentials: credentials(), input: items, mode: 'webhook', startNode: 'Salesforce Trigger' });
		expect(result.nodeError('Update Campaign Status')).toBeUndefined();
		expect(result.nodeError('Add Result Note')).toBeUndefined();

		// One token for the whole execution, shared by both Salesforce nodes (n8n stores it with the credential).
		expect(received.filter(isTokenRequest)).toHaveLength(1);
		expectTokenRequest(received[0]);
		expectApiRequest(received[1], 'PATCH', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`, '{"Status":"Completed"}');
		const text = [
			`Campaign: Q1 Checkout Optimization (${CAMPAIGN_ID})`,
			'Status set to: Completed',
			'Experiment: checkout-button-color',
			'Result: Salesforce reported the campaign as Completed',
		];
		const html = text.map((line) => `<p>${line}</p>`).join('');
		expectApiRequest(received[2], 'POST', `${V}/sobjects/ContentNote`, JSON.stringify({ Title: 'Experiment result: checkout-button-color', Content: Buffer.from(html).toString('base64') }));
		expectApiRequest(received[3], 'POST', `${V}/sobjects/ContentDocumentLink`, `{"ContentDocumentId":"069xx0000001AbcAAE","LinkedEntityId":"${CAMPAIGN_ID}","ShareType":"V","Visibility":"AllUsers"}`);
		expect(received).toHaveLength(4);

		expect(result.output('Update Campaign Status')[0].json).toEqual({
			id: CAMPAIGN_ID,
			success: true,
			updated: { Status: 'Completed' },
			_salesforce: { apiUsage: { used: 40, max: 15000 } },
		});
		expect(result.output('Add Result Note')[0].json).toMatchObject({ campaignId: CAMPAIGN_ID, noteId: '069xx0000001AbcAAE', contentDocumentLinkId: '06Axx0000002XyzEAE' });
	});

	test('a platform result "rolled_back" with a summary: Campaign Paused and the summary in the note', async () => {
		const { workflow } = await calloutItems(SEED_PAYLOAD);
		const { received } = salesforceFake((request) => {
			if (isTokenRequest(request)) return tokenAnswer();
			if (request.method === 'POST') return [201, { id: request.path.endsWith('/ContentNote') ? '069xx0000001AbcAAE' : '06Axx0000002XyzEAE', success: true, errors: [] }];
			return [204];
		});
		// What the platform step hands on: the callout's fields plus its result.
		const platformResult = { ...SEED_PAYLOAD, result: 'rolled_back', summary: 'Variant B lowered conversion by 2.1%; rolled back' };
		const result = await runWorkflow(workflow, { credentials: credentials(), input: [platformResult], mode: 'webhook', startNode: 'Salesforce Trigger' });
		expect(result.nodeError('Add Result Note')).toBeUndefined();
		expectApiRequest(received[1], 'PATCH', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`, '{"Status":"Paused"}');
		const note = JSON.parse(received[2].rawBody) as { Content: string };
		expect(Buffer.from(note.Content, 'base64').toString()).toContain('<p>Result: Variant B lowered conversion by 2.1%; rolled back</p>');
		expect(Buffer.from(note.Content, 'base64').toString()).toContain('<p>Status set to: Paused</p>');
	});

	test('a callout with a wrong signature starts nothing', async () => {
		const workflow = loadWorkflow(BLUEPRINT);
		const trigger = workflow.nodes.find((node) => node.name === 'Salesforce Trigger')!;
		const rawBody = JSON.stringify(SEED_PAYLOAD);
		const call = await callWebhook(
			new SalesforceTrigger(),
			{ parameters: trigger.parameters, credentials: trigger.credentials },
			{ method: 'POST', headers: signedHeaders('another-secret-0000000000', rawBody), rawBody },
			{ credentials: { salesforceCalloutSecretApi: { secret: CALLOUT_SECRET } } },
		);
		expect(call.response.statusCode).toBe(403);
		expect(call.items).toBeUndefined();
	});

	test('the blueprint requires a signed timestamp: the body signed alone (no timestamp) starts nothing', async () => {
		const workflow = loadWorkflow(BLUEPRINT);
		const trigger = workflow.nodes.find((node) => node.name === 'Salesforce Trigger')!;
		const rawBody = JSON.stringify(SEED_PAYLOAD);
		const call = await callWebhook(
			new SalesforceTrigger(),
			{ parameters: trigger.parameters, credentials: trigger.credentials },
			{ method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', CALLOUT_SECRET).update(rawBody).digest('hex') }, rawBody },
			{ credentials: { salesforceCalloutSecretApi: { secret: CALLOUT_SECRET } } },
		);
		expect(call.response.statusCode).toBe(401);
		expect(call.items).toBeUndefined();
	});
});
