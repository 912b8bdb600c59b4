import { omnisendFake, runOmnisend, API_KEY } from './fixtures';

test('the fake records the exact request and the credential header n8n applies', async () => {
	const { received } = omnisendFake(() => [202]);
	const { items } = await runOmnisend(
		{ resource: 'event', operation: 'send', preset: 'custom', customEventName: 'x', email: '={{ $json.email }}' },
		[{ email: 'a@b.co' }],
	);
	expect(received).toHaveLength(1);
	expect(received[0].method).toBe('POST');
	expect(received[0].path).toBe('/v5/events');
	expect(received[0].headers['x-api-key']).toBe(API_KEY);
	expect(received[0].rawBody).toBe('{"eventName":"x","origin":"api","contact":{"email":"a@b.co"},"properties":{}}');
	expect(items[0].json.status).toBe('sent');
});
