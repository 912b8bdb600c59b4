import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { expectEvent, omnisendFake, runOmnisend } from './fixtures';

/** Event › Send "signed up", identity mapped from a Datafly/Segment call's traits. */
const signedUp = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'event',
	operation: 'send',
	preset: 'signedUp',
	email: '={{ $json.traits.email }}',
	phone: '={{ $json.traits.phone }}',
	options,
});
const call = (traits: IDataObject): IDataObject => ({ event: 'Signed Up', properties: {}, traits });
const body = (contact: IDataObject) => JSON.stringify({ eventName: 'signed up', origin: 'api', contact, properties: {} });


describe('Event › Send: email', () => {
	test('an email with mixed case and spaces is sent trimmed and lowercased', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(signedUp(), [call({ email: ' Jane.Doe@Example.COM ' })]);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(received[0], '{"eventName":"signed up","origin":"api","contact":{"email":"jane.doe@example.com"},"properties":{}}');
		expect(items[0].json).toMatchObject({ status: 'sent', event: { contact: { email: 'jane.doe@example.com' } } });
	});

	test('a value that is not an email fails the item naming the field', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(signedUp(), [call({ email: 'jane@example' })]);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Email "jane@example" is not an email address (item 0)');
	});
});

describe('Event › Send: phone numbers to E.164', () => {
	test.each([
		['GB', '07700 900123', '+447700900123'],
		['DE', '030 12345678', '+493012345678'],
		['US', '(201) 555-0123', '+12015550123'],
		['FR', '06 12 34 56 78', '+33612345678'],
		['IT', '312 345 6789', '+393123456789'],
		['de', '030 1234-5678', '+493012345678'],
		[' gb ', '07700-900-123', '+447700900123'],
	])('with Default Phone Country %j, the national number %j is sent as %s', async (defaultCountry, phone, e164) => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(signedUp({ defaultCountry }), [call({ email: 'jane@example.com', phone })]);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(received[0], body({ email: 'jane@example.com', phone: e164 }));
	});

	test.each([
		['+447700900123', {}, '+447700900123'],
		['+44 7700 900123', {}, '+447700900123'],
		['+33 6 12 34 56 78', { defaultCountry: 'GB' }, '+33612345678'],
		['+12015550123', { defaultCountry: 'DE' }, '+12015550123'],
	])('an international number %j (options %j) is sent as %s, whatever the default country', async (phone, options, e164) => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(signedUp(options), [call({ phone })]);
		expect(error).toBeUndefined();
		expectEvent(received[0], body({ phone: e164 }));
	});

	test.each([
		['0044 7700 900123', '+447700900123'],
		['0049 30 12345678', '+493012345678'],
	])('a 00 international prefix (%j) is read as + without any default country', async (phone, e164) => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(signedUp(), [call({ email: 'jane@example.com', phone })]);
		expect(error).toBeUndefined();
		expectEvent(received[0], body({ email: 'jane@example.com', phone: e164 }));
	});

	test('a national number without a Default Phone Country is refused (never guessed as +1), naming the item and the field', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(signedUp(), [
			call({ email: 'a@example.com', phone: '+447700900123' }),
			call({ email: 'b@example.com', phone: '(201) 555-0123' }),
		]);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Phone "(201) 555-0123" has no country code (item 1)');
		expect((error as Error & { description?: string }).description).toBe(
			'Write it with its country code (+44 …) or set Default Phone Country in the options.',
		);
		// Whatever item 0 did, item 1 never reached Omnisend, with a guessed country or otherwise.
		expect(received.filter((request) => request.rawBody.includes('b@example.com'))).toHaveLength(0);
		expect(received.filter((request) => request.rawBody.includes('+1'))).toHaveLength(0);
	});

	test.each([
		['not-a-phone', { defaultCountry: 'GB' }, 'Phone "not-a-phone" is not a valid phone number (read as GB) (item 0)'],
		['12', { defaultCountry: 'GB' }, 'Phone "12" is not a valid phone number (read as GB) (item 0)'],
		['+44 12', {}, 'Phone "+44 12" is not a valid phone number (item 0)'],
		['12', {}, 'Phone "12" has no country code (item 0)'],
	])('a garbage phone %j (options %j) fails the item by default, naming the field', async (phone, options, message) => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(signedUp(options), [call({ email: 'jane@example.com', phone })]);
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(message);
	});

	test.each([['not-a-phone'], ['12']])('a garbage phone %j with Invalid Phone = omit is sent with the email only', async (phone) => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(signedUp({ defaultCountry: 'GB', invalidPhone: 'omit' }), [
			call({ email: 'jane@example.com', phone }),
		]);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(received[0], body({ email: 'jane@example.com' }));
		expect(items[0].json).toMatchObject({ status: 'sent', event: { contact: { email: 'jane@example.com' } } });
	});

	test('with Invalid Phone = omit, an item whose only identifier was the bad phone is skipped with the reason', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(signedUp({ defaultCountry: 'GB', invalidPhone: 'omit' }), [call({ phone: '12' })]);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			status: 'skipped',
			reason:
				'No email and no phone (Phone "12" is not a valid phone number (read as GB), left out as Invalid Phone says): Omnisend needs at least one to identify the contact',
			eventName: 'signed up',
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('an unknown Default Phone Country fails the item naming that option, even with Invalid Phone = omit', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(signedUp({ defaultCountry: 'UK', invalidPhone: 'omit' }), [
			call({ email: 'jane@example.com', phone: '07700 900123' }),
		]);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('"UK" is not a two-letter country code known for phone numbers (item 0)');
		expect((error as Error & { description?: string }).description).toBe('Use an ISO 3166 alpha-2 code such as GB, DE, US, FR or IT.');
	});
});

describe('Event › Send: items without an identifier', () => {
	test('an item with no email and no phone is not sent and comes out "skipped"; the other items of the run are sent', async () => {
		const { received } = omnisendFake(() => [202]);
		const input = [
			call({ email: 'a@example.com' }),
			{ event: 'Signed Up', properties: {}, anonymousId: 'anon-1' },
			call({ email: '   ', phone: '' }),
			call({ phone: '+447700900123' }),
		];
		const { items, error } = await runOmnisend(signedUp(), input);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(received.map((request) => request.rawBody).sort()).toEqual(
			[body({ email: 'a@example.com' }), body({ phone: '+447700900123' })].sort(),
		);
		for (const request of received) expectEvent(request, request.rawBody);

		expect(items).toHaveLength(input.length);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items.map((item) => item.json.status)).toEqual(['sent', 'skipped', 'skipped', 'sent']);
		const skipped = {
			status: 'skipped',
			reason: 'No email and no phone: Omnisend needs at least one to identify the contact',
			eventName: 'signed up',
		};
		expect(items[1].json).toEqual(skipped);
		expect(items[2].json).toEqual(skipped);
		expect(items[3].json).toMatchObject({ status: 'sent', event: { contact: { phone: '+447700900123' } } });
	});
});
