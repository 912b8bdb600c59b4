import { omnisendFake, runOmnisend } from './fixtures';

const show = (x: unknown) => console.log(JSON.stringify(x, null, 1));

test('upsert', async () => {
	const { received } = omnisendFake(() => [201, { contactID: 'c1' }]);
	const r = await runOmnisend(
		{
			resource: 'contact', operation: 'upsert', email: '={{ $json.email }}', phone: '+44 7700 900123',
			emailStatus: 'subscribed', smsStatus: '',
			consent: { source: 'form', createdAt: '2024-05-01T10:00:00Z', ip: '1.2.3.4', userAgent: 'UA' },
			options: { sendWelcomeMessage: true, statusDate: '2024-05-01T10:00:00Z' },
			contactFields: { firstName: 'Ann', lastName: 'Lee', countryCode: 'gb', tags: 'a, b', birthdate: '1990-01-02' },
			customProperties: { property: [{ key: 'tier', type: 'integer', value: '3' }] },
		},
		[{ email: ' Ann@X.co ' }],
	);
	show(received.map((r) => ({ ...r })));
	show(r.items);
	show(r.error);
});

test('get by phone / email', async () => {
	const { received } = omnisendFake(() => [200, { contacts: [] }]);
	const r = await runOmnisend({ resource: 'contact', operation: 'get', by: 'phone', lookupPhone: '+44 7700 900123' }, [{}]);
	const r2 = await runOmnisend({ resource: 'contact', operation: 'get', by: 'email', lookupEmail: 'A@B.co' , ifNotFound: 'notFound'}, [{}]);
	show(received.map((x) => [x.method, x.path]));
	show(r.error?.message); show((r.error as any)?.description);
	show(r2.items);
});

test('tags delete', async () => {
	const { received } = omnisendFake(() => [202]);
	const r = await runOmnisend({ resource: 'contact', operation: 'removeTags', by: 'email', lookupEmail: 'A@B.co', tags: 'vip, newsletter' }, [{}]);
	show(received);
	show(r.items);
});

test('400', async () => {
	omnisendFake(() => [400, { error: 'bad', errors: [{ field: 'contact.email', message: 'invalid email' }] }]);
	const r = await runOmnisend({ resource: 'event', operation: 'send', preset: 'custom', customEventName: 'x', email: '={{ $json.email }}' }, [{ email: 'a@b.co' }]);
	const e = r.error as any;
	show({ m: e.message, d: e.description, h: e.httpCode, name: e.constructor.name });
});

test('timeout', async () => {
	omnisendFake(async () => { await new Promise((r) => setTimeout(r, 1500)); return [202]; });
	const r = await runOmnisend({ resource: 'event', operation: 'send', preset: 'custom', customEventName: 'x', email: '={{ $json.email }}', requestOptions: { timeout: 1, serverErrorRetries: 0 } }, [{ email: 'a@b.co' }]);
	const e = r.error as any;
	show({ m: e?.message, d: e?.description, items: r.items });
});

test('drop', async () => {
	omnisendFake(() => { throw new Error('boom'); });
	const r = await runOmnisend({ resource: 'event', operation: 'send', preset: 'custom', customEventName: 'x', email: '={{ $json.email }}', requestOptions: { serverErrorRetries: 0 } }, [{ email: 'a@b.co' }]);
	const e = r.error as any;
	show({ m: e?.message, d: e?.description, items: r.items });
});
