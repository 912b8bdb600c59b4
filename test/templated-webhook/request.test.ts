import nock from 'nock';

import {
	CONTACT,
	NODE,
	PUBLIC_IP,
	RECEIVER_URL,
	dnsFake,
	delivery,
	receiverFake,
	runWebhook,
	webhookParameters,
} from './fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the request the receiver gets', () => {
	test('POST of the rendered JSON body, byte for byte, with Content-Type and a delivery id', async () => {
		const dns = dnsFake();
		const { received } = receiverFake(() => [200, '{"ok":true}']);
		const template = '{\n  "email": {{ profile.email | tojson }},\n  "note": {{ note | tojson }},\n  "items": [{% for p in products %}{{ p.sku | tojson }}{% if not loop.last %}, {% endif %}{% endfor %}]\n}';
		const item = { ...CONTACT, note: 'Línea 1\n"quoted" 😀', products: [{ sku: 'A1' }, { sku: 'B2' }] };
		const run = await runWebhook(webhookParameters({ template }), [item]);

		expect(run.error).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(received[0].method).toBe('POST');
		expect(received[0].path).toBe('/ometria/contacts');
		expect(received[0].headers['content-type']).toBe('application/json');
		expect(received[0].headers['x-delivery-id']).toMatch(UUID);
		expect(received[0].rawBody).toBe(
			'{\n  "email": "ada@example.com",\n  "note": "Línea 1\\n\\"quoted\\" 😀",\n  "items": ["A1", "B2"]\n}',
		);
		expect(JSON.parse(received[0].rawBody).note).toBe(item.note);
		// The host name was resolved once by the system resolver (all A and AAAA addresses) and found public before sending.
		expect(dns.asked).toEqual([{ hostname: 'hooks.example.com', options: { all: true, verbatim: true } }]);

		expect(run.delivered).toHaveLength(1);
		expect(run.delivered[0].pairedItem).toEqual({ item: 0 });
		expect(run.delivered[0].json.profile).toEqual(CONTACT.profile);
		const state = delivery(run.delivered[0]);
		expect(state).toMatchObject({
			status: 'delivered',
			deliveryId: received[0].headers['x-delivery-id'],
			url: RECEIVER_URL,
			attempts: 1,
			statusCode: 200,
			response: '{"ok":true}',
			connectionState: 'active',
		});
		expect(state.log).toEqual([
			{ attempt: 1, try: 1, at: expect.any(String), durationMs: expect.any(Number), outcome: 'delivered', statusCode: 200, response: '{"ok":true}' },
		]);
		expect(PUBLIC_IP).toBeDefined();
	});

	test('PUT and PATCH, user headers, and Content Type Text', async () => {
		dnsFake();
		const { received } = receiverFake(() => [204]);
		const run = await runWebhook(
			webhookParameters({
				method: 'PATCH',
				contentType: 'text',
				template: 'Hello {{ profile.firstname }} <{{ profile.email }}>',
				headers: '{"X-Source": "n8n", "X-Api-Key": "static-header-key"}',
			}),
			[CONTACT],
		);
		expect(run.error).toBeUndefined();
		expect(received[0].method).toBe('PATCH');
		expect(received[0].headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(received[0].headers['x-source']).toBe('n8n');
		expect(received[0].headers['x-api-key']).toBe('static-header-key');
		expect(received[0].rawBody).toBe('Hello Ada <ada@example.com>');

		nock.cleanAll();
		dnsFake();
		const put = receiverFake(() => [200]);
		await runWebhook(webhookParameters({ method: 'PUT', headers: '{"Content-Type": "application/vnd.api+json"}' }), [CONTACT]);
		expect(put.received.at(-1)?.method).toBe('PUT');
		expect(put.received.at(-1)?.headers['content-type']).toBe('application/vnd.api+json');
	});

	test('invalid JSON after rendering: an error naming line, column and excerpt, and nothing is sent', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const template = '{\n  "email": {{ profile.email | tojson }},\n  "name": "{{ profile.firstname }}"\n}';
		const run = await runWebhook(webhookParameters({ template }), [{ profile: { email: 'a@b.co', firstname: 'Ada "The Countess"' } }]);
		expect(received).toHaveLength(0);
		expect(run.error?.message).toBe(
			'The rendered body is not valid JSON: unexpected "T" at line 3, column 17:   "name": "Ada "The Countess"" (item 0)',
		);
		expect((run.error as unknown as { description: string }).description).toMatch(/Nothing was sent\. Pipe values through \| tojson/);
	});

	test('one bad item stops the run before any item is sent', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({ template: '{"n": {{ n }}}' }), [{ n: 1 }, { n: 'x' }]);
		expect(run.error?.message).toMatch(/not valid JSON: unexpected "x" at line 1, column 7.* \(item 1\)/);
		expect(received).toHaveLength(0);
	});

	test('under continueOnFail the bad item becomes an error item and the others are sent', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({ template: '{"n": {{ n }}}' }), [{ n: 1 }, { n: 'x' }, { n: 3 }], { continueOnFail: true });
		expect(received.map((r) => r.rawBody)).toEqual(['{"n": 1}', '{"n": 3}']);
		expect(run.delivered.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(run.delivered.every((item) => delivery(item).status === 'delivered')).toBe(true);
		// Not sent, so not on Delivered (a next step there would take it for sent): on Dropped.
		expect(run.dropped).toHaveLength(1);
		expect(run.dropped[0].pairedItem).toEqual({ item: 1 });
		expect(run.dropped[0].json).toEqual({
			error: 'The rendered body is not valid JSON: unexpected "x" at line 1, column 7: {"n": x} (item 1)',
			details: { description: expect.stringMatching(/Nothing was sent/) },
		});
	});

	test('an invalid Delivery ID Header name is a clear error; nothing is sent (not a network failure retried later)', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({}, { deliveryIdHeader: 'X Delivery: Id' }), [CONTACT]);
		expect(run.error?.message).toBe('Delivery ID Header "X Delivery: Id" is not a valid HTTP header name');
		expect(received).toHaveLength(0);
		expect(run.retryLater).toHaveLength(0);
	});

	test('a template syntax error names the problem; nothing is sent', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({ template: '{% for p in %}' }), [CONTACT]);
		expect(run.error?.message).toMatch(/^The body template has a syntax error: .* \(item 0\)$/);
		expect(received).toHaveLength(0);
	});
});

describe('preview', () => {
	test('returns the rendered request with secret-looking headers masked, and sends nothing (not even a DNS query)', async () => {
		const dns = dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(
			webhookParameters({ headers: '{"X-Api-Key": "static-secret-123", "X-Source": "n8n"}' }, { preview: true }),
			[CONTACT],
			{ credentials: { templatedWebhookAuthApi: { authType: 'hmacSignature', signingSecret: 'sek-preview-999' } } },
		);
		expect(run.error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(dns.asked).toHaveLength(0);
		expect(run.delivered).toHaveLength(1);
		expect(run.delivered[0]).toEqual({
			json: {
				preview: {
					url: RECEIVER_URL,
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						'X-Api-Key': '***',
						'X-Source': 'n8n',
						'X-Delivery-Id': expect.stringMatching(UUID),
						'x-webhook-timestamp': '*** (added by the credential when sending)',
						'x-webhook-signature': '*** (added by the credential when sending)',
					},
					body: '{"email": "ada@example.com", "name": "Ada"}',
					deliveryId: expect.stringMatching(UUID),
					sent: false,
				},
			},
			pairedItem: { item: 0 },
		});
		expect(JSON.stringify(run)).not.toContain('static-secret-123');
		expect(JSON.stringify(run)).not.toContain('sek-preview-999');
	});
});

describe('headers are validated: a clear error naming the problem, nothing sent', () => {
	const cases: Array<[string, string, RegExp]> = [
		['not JSON', '{"X-A": "1",}', /^Headers: the text is not valid JSON: unexpected "}" at line 1, column 13/],
		['a list', '["X-A"]', /Headers must be a JSON object, not a list/],
		['a number value', '{"X-Version": 2}', /Header "X-Version" must have a text value, not number/],
		['a null value', '{"X-A": null}', /Header "X-A" must have a text value, not null/],
		['a line break (header injection)', '{"X-A": "v\\r\\nX-Injected: 1"}', /Header "X-A" contains a line break/],
		['a bad name', '{"X A": "1"}', /Header name "X A" is not a valid HTTP header name/],
		['Host', '{"Host": "internal"}', /Header "Host" cannot be set: the HTTP client sets it/],
		['Content-Length', '{"content-length": "5"}', /Header "content-length" cannot be set/],
		['Transfer-Encoding', '{"Transfer-Encoding": "chunked"}', /Header "Transfer-Encoding" cannot be set/],
		['a duplicate', '{"X-A": "1", "x-a": "2"}', /Header "x-a" appears twice/],
		['the delivery id header', '{"X-Delivery-Id": "mine"}', /Header "X-Delivery-Id" is set by the node/],
	];
	test.each(cases)('%s', async (_name, headers, message) => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({ headers }), [CONTACT]);
		expect(run.error?.message).toMatch(message);
		expect(run.error?.message).toMatch(/\(item 0\)$/);
		expect(received).toHaveLength(0);
	});

	test('a header the credential sets cannot be set again', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({ headers: '{"X-Webhook-Signature": "forged"}' }), [CONTACT], {
			credentials: { templatedWebhookAuthApi: { authType: 'hmacSignature', signingSecret: 'abcd1234' } },
		});
		expect(run.error?.message).toMatch(/Header "X-Webhook-Signature" is set by the Templated Webhook Auth credential/);
		expect(received).toHaveLength(0);
		expect(NODE).toBe('Templated Webhook');
	});
});
