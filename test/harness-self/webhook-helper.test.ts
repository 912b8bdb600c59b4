import { createHmac, timingSafeEqual } from 'node:crypto';

import type { IDataObject, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callWebhook } from '../harness/webhook';

/**
 * A test-only trigger shaped like the ones we ship: verifies an HMAC over the raw body, answers 401
 * itself when it fails, remembers delivery ids in static data, and emits the parsed body.
 */
class SignedHookProbe implements INodeType {
	description = {
		displayName: 'Signed Hook Probe',
		name: 'signedHookProbe',
		group: ['trigger'],
		version: 1,
		description: 'Test probe',
		defaults: { name: 'Probe' },
		inputs: [],
		outputs: ['main'],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'probe' }],
		properties: [{ displayName: 'Secret', name: 'secret', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as unknown as { rawBody: Buffer };
		const secret = this.getNodeParameter('secret') as string;
		const expected = createHmac('sha256', secret).update(request.rawBody).digest();
		const given = Buffer.from(String(this.getHeaderData()['x-signature'] ?? ''), 'hex');
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
			this.getResponseObject().status(401).send('bad signature');
			return { noWebhookResponse: true };
		}
		const seen = this.getWorkflowStaticData('node') as IDataObject & { ids?: string[] };
		const body = this.getBodyData() as IDataObject;
		seen.ids = [...(seen.ids ?? []), String(body.id)];
		return { workflowData: [[{ json: { ...body, ip: this.getRequestObject().ip } }]] };
	}
}

const sign = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

describe('callWebhook (harness)', () => {
	const raw = '{"id":"evt-1","n": 10.0}';

	test('gives the node the raw body, parsed body, headers and caller IP; returns its items', async () => {
		const call = await callWebhook(
			new SignedHookProbe(),
			{ parameters: { secret: 's3' } },
			{ rawBody: raw, headers: { 'Content-Type': 'application/json', 'X-Signature': sign(raw, 's3') }, ip: '10.1.2.3' },
		);
		expect(call.response.written).toBe(false);
		expect(call.items).toEqual([[{ json: { id: 'evt-1', n: 10, ip: '10.1.2.3' } }]]);
		expect(call.staticData).toEqual({ 'node:Trigger': { ids: ['evt-1'] } });
	});

	test('records a response the node writes itself and starts nothing', async () => {
		const call = await callWebhook(
			new SignedHookProbe(),
			{ parameters: { secret: 's3' } },
			{ rawBody: raw, headers: { 'content-type': 'application/json', 'x-signature': sign(raw.replace('1', '2'), 's3') } },
		);
		expect(call.result).toEqual({ noWebhookResponse: true });
		expect(call.items).toBeUndefined();
		expect(call.response).toMatchObject({ statusCode: 401, body: 'bad signature', written: true });
	});

	test('keeps static data between deliveries when the same object is passed again', async () => {
		const staticData = {};
		for (const id of ['a', 'b']) {
			const body = JSON.stringify({ id });
			await callWebhook(
				new SignedHookProbe(),
				{ parameters: { secret: 'k' } },
				{ rawBody: body, headers: { 'content-type': 'application/json', 'x-signature': sign(body, 'k') } },
				{ staticData },
			);
		}
		expect(staticData).toEqual({ 'node:Trigger': { ids: ['a', 'b'] } });
	});
});
