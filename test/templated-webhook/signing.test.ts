import { createHmac } from 'node:crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { testCredential } from '../harness/credential-test';
import {
	BASIC_PASSWORD,
	CONTACT,
	CREDENTIALS,
	SIGNING_SECRET,
	TOKEN,
	dnsFake,
	delivery,
	receiverFake,
	runWebhook,
	webhookParameters,
} from './fixtures';

/** The receiver's side, written from the README recipe without the node's code. */
function expectedSignature(secret: string, timestamp: string, rawBody: string): string {
	const mac = createHmac('sha256', Buffer.from(secret, 'utf8'));
	mac.update(Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.from('.'), Buffer.from(rawBody, 'utf8')]));
	return `sha256=${mac.digest('hex')}`;
}

describe('HMAC-SHA256 signing', () => {
	test('the signature is HMAC-SHA256(secret, timestamp + "." + raw body), checked independently', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const before = Math.floor(Date.now() / 1000);
		const item = { profile: { email: 'zoë@example.com', firstname: 'Zoë "Z"' } };
		const run = await runWebhook(webhookParameters(), [item], { credentials: CREDENTIALS.hmac });
		expect(run.error).toBeUndefined();
		const [request] = received;
		const timestamp = request.headers['x-webhook-timestamp'] as string;
		expect(timestamp).toMatch(/^\d{10}$/);
		expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
		expect(Number(timestamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
		expect(request.rawBody).toBe('{"email": "zoë@example.com", "name": "Zoë \\"Z\\""}');
		expect(request.headers['x-webhook-signature']).toBe(expectedSignature(SIGNING_SECRET, timestamp, request.rawBody));
		// A different secret or a changed body would not verify.
		expect(request.headers['x-webhook-signature']).not.toBe(expectedSignature('other-secret', timestamp, request.rawBody));
		expect(request.headers['x-webhook-signature']).not.toBe(expectedSignature(SIGNING_SECRET, timestamp, `${request.rawBody} `));
		expect(request.headers.authorization).toBeUndefined();
	});

	test('header names are configurable; every retry is signed afresh with the same delivery id', async () => {
		dnsFake();
		const { received } = receiverFake((_r, i) => (i === 0 ? [503] : [200]));
		const credentials = {
			templatedWebhookAuthApi: { authType: 'hmacSignature', signingSecret: SIGNING_SECRET, timestampHeader: 'X-Ts', signatureHeader: 'X-Sig' },
		};
		await runWebhook(webhookParameters(), [CONTACT], { credentials });
		expect(received).toHaveLength(2);
		for (const request of received) {
			expect(request.headers['x-sig']).toBe(expectedSignature(SIGNING_SECRET, request.headers['x-ts'] as string, request.rawBody));
			expect(request.headers['x-webhook-signature']).toBeUndefined();
		}
		expect(received[0].headers['x-delivery-id']).toBe(received[1].headers['x-delivery-id']);
	});
});

describe('header token and basic auth', () => {
	test('a header token is sent as configured', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		await runWebhook(webhookParameters(), [CONTACT], { credentials: CREDENTIALS.token });
		expect(received[0].headers.authorization).toBe(TOKEN);
	});

	test('basic auth sends base64(user:password)', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		await runWebhook(webhookParameters(), [CONTACT], { credentials: CREDENTIALS.basic });
		expect(received[0].headers.authorization).toBe(`Basic ${Buffer.from(`n8n:${BASIC_PASSWORD}`).toString('base64')}`);
	});

	test('without a credential no auth header is sent', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		await runWebhook(webhookParameters(), [CONTACT]);
		expect(received[0].headers.authorization).toBeUndefined();
		expect(received[0].headers['x-webhook-signature']).toBeUndefined();
	});
});

describe('the delivery id', () => {
	async function idFor(item: IDataObject, options: IDataObject = {}) {
		nock.cleanAll();
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({}, options), [item]);
		expect(delivery(run.delivered[0]).deliveryId).toBe(received[0].headers['x-delivery-id']);
		return received[0].headers['x-delivery-id'];
	}

	test('the same item gives the same id in every execution (key order does not matter); another item another id', async () => {
		const first = await idFor({ a: 1, profile: { email: 'x@example.com', firstname: 'X' } });
		const again = await idFor({ profile: { firstname: 'X', email: 'x@example.com' }, a: 1 });
		const other = await idFor({ a: 2, profile: { email: 'x@example.com', firstname: 'X' } });
		expect(again).toBe(first);
		expect(other).not.toBe(first);
	});

	test('a Delivery Key makes the id depend on that key only', async () => {
		const a = await idFor({ event_key: 'evt-1', n: 1 }, { deliveryKey: '={{ $json.event_key }}' });
		const b = await idFor({ event_key: 'evt-1', n: 2 }, { deliveryKey: '={{ $json.event_key }}' });
		const c = await idFor({ event_key: 'evt-2', n: 1 }, { deliveryKey: '={{ $json.event_key }}' });
		expect(a).toBe(b);
		expect(c).not.toBe(a);
	});

	test('the header name is configurable', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		await runWebhook(webhookParameters({}, { deliveryIdHeader: 'Idempotency-Key' }), [CONTACT]);
		expect(received[0].headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
		expect(received[0].headers['x-delivery-id']).toBeUndefined();
	});
});

describe('credential test button', () => {
	test('POSTs a signed ping to the Test URL', async () => {
		const { received } = receiverFake(() => [200, 'pong'], 'https://receiver.example.org');
		const result = await testCredential('templatedWebhookAuthApi', {
			authType: 'hmacSignature',
			signingSecret: SIGNING_SECRET,
			testUrl: 'https://receiver.example.org/hooks/n8n',
		});
		expect(result.status).toBe('OK');
		expect(received).toHaveLength(1);
		expect(received[0].method).toBe('POST');
		expect(received[0].path).toBe('/hooks/n8n');
		expect(received[0].rawBody).toBe('{"type":"ping"}');
		const timestamp = received[0].headers['x-webhook-timestamp'] as string;
		expect(received[0].headers['x-webhook-signature']).toBe(expectedSignature(SIGNING_SECRET, timestamp, received[0].rawBody));
	});

	test('a 401 from the receiver fails the test with what to check', async () => {
		receiverFake(() => [401, 'bad token'], 'https://receiver.example.org');
		const result = await testCredential('templatedWebhookAuthApi', { authType: 'headerToken', headerName: 'Authorization', token: TOKEN, testUrl: 'https://receiver.example.org/x' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/refused these credentials \(401\)/) });
	});

	test('secrets never travel over plain http to a non-loopback host: nothing is sent', async () => {
		const { received } = receiverFake(() => [200], 'http://receiver.example.org');
		const result = await testCredential('templatedWebhookAuthApi', { authType: 'headerToken', headerName: 'Authorization', token: TOKEN, testUrl: 'http://receiver.example.org/x' });
		expect(result.status).toBe('Error');
		expect(received).toHaveLength(0);
	});
});
