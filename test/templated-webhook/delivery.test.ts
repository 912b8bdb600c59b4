import { createHash } from 'node:crypto';

import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { when } from '../harness/run-workflow';
import { CONTACT, dnsFake, delivery, receiverFake, runWebhook, wait, webhookParameters } from './fixtures';

const ids = (received: Array<{ headers: Record<string, unknown> }>) => received.map((r) => r.headers['x-delivery-id']);

describe('retries inside the execution', () => {
	test('5xx is retried with backoff; the log lists every request', async () => {
		dnsFake();
		const { received } = receiverFake((_r, i) => (i < 2 ? [503, 'busy'] : [200, 'ok']));
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(received).toHaveLength(3);
		expect(new Set(ids(received)).size).toBe(1);
		expect(new Set(received.map((r) => r.rawBody)).size).toBe(1);
		const state = delivery(run.delivered[0]);
		expect(state).toMatchObject({ status: 'delivered', attempts: 1, statusCode: 200 });
		expect((state.log as IDataObject[]).map((e) => [e.attempt, e.try, e.outcome, e.statusCode, e.response])).toEqual([
			[1, 1, 'failed', 503, 'busy'],
			[1, 2, 'failed', 503, 'busy'],
			[1, 3, 'delivered', 200, 'ok'],
		]);
	});

	test('429 with Retry-After in seconds is honoured', async () => {
		dnsFake();
		const { received } = receiverFake((_r, i) => (i === 0 ? [429, 'slow down', { 'Retry-After': '1' }] : [200]));
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(received).toHaveLength(2);
		expect(received[1].at - received[0].at).toBeGreaterThanOrEqual(950);
		expect((delivery(run.delivered[0]).log as IDataObject[])[0]).toMatchObject({ statusCode: 429, retryAfterSeconds: 1 });
	});

	test('Retry-After as an HTTP date is honoured', async () => {
		dnsFake();
		const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
		const { received } = receiverFake((_r, i) => (i === 0 ? [503, '', { 'Retry-After': at.toUTCString() }] : [200]));
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(received).toHaveLength(2);
		expect(received[1].at).toBeGreaterThanOrEqual(at.getTime() - 50);
		expect(run.delivered).toHaveLength(1);
	});

	test('408 and network failures are retried', async () => {
		dnsFake();
		const { received } = receiverFake((_r, i) => {
			if (i === 1) throw new Error('connection dropped');
			return i === 0 ? [408, 'timeout'] : [200, 'ok'];
		});
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(received).toHaveLength(3);
		const log = delivery(run.delivered[0]).log as IDataObject[];
		expect(log.map((e) => e.statusCode ?? e.error)).toEqual([408, expect.stringMatching(/^connection failed \(/), 200]);
		expect(log[1].statusCode).toBeUndefined();
	});

	test('a receiver slower than the timeout counts as a network failure and is retried later', async () => {
		dnsFake();
		const { received } = receiverFake(async () => {
			await wait(1500);
			return [200];
		});
		const run = await runWebhook(webhookParameters({}, { timeoutSeconds: 1, retries: 0 }), [CONTACT]);
		expect(received).toHaveLength(1);
		expect(run.delivered).toHaveLength(0);
		expect(delivery(run.retryLater[0])).toMatchObject({ reason: 'no answer within 1 s', statusCode: null });
	});

	const final: Array<[number, RegExp]> = [
		[400, /the receiver answered 400; not retried/],
		[401, /answered 401; not retried/],
		[404, /answered 404; not retried/],
		[422, /answered 422; not retried/],
		[301, /301 \(a redirect\); redirects are not followed; not retried/],
	];
	test.each(final)('%i is not retried: the item is dropped at once with the reason', async (status, reason) => {
		dnsFake();
		const { received } = receiverFake(() => [status, 'nope', status === 301 ? { Location: 'https://10.0.0.1/' } : ({} as Record<string, string>)]);
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(received).toHaveLength(1);
		expect(run.delivered).toHaveLength(0);
		expect(run.retryLater).toHaveLength(0);
		expect(run.dropped).toHaveLength(1);
		expect(delivery(run.dropped[0])).toMatchObject({ status: 'dropped', statusCode: status, reason: expect.stringMatching(reason), attempts: 1 });
		expect(run.dropped[0].json.profile).toEqual(CONTACT.profile);
	});
});

describe('long-horizon retries through the Retry Later output (Wait loop)', () => {
	async function failingRound(input: IDataObject[], options: IDataObject = {}) {
		dnsFake();
		const fake = receiverFake(() => [503, 'down']);
		const run = await runWebhook(webhookParameters({}, { retries: 1, ...options }), input);
		return { ...run, received: fake.received };
	}

	test('an item still failing after the in-execution retries leaves on Retry Later with attempt count, next attempt time and delivery id', async () => {
		const before = Date.now();
		const run = await failingRound([CONTACT]);
		expect(run.received).toHaveLength(2);
		expect(run.delivered).toHaveLength(0);
		expect(run.retryLater).toHaveLength(1);
		const item = run.retryLater[0];
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.profile).toEqual(CONTACT.profile);
		const state = delivery(item);
		expect(state).toMatchObject({
			status: 'retry_later',
			deliveryId: run.received[0].headers['x-delivery-id'],
			attempts: 1,
			maxAttempts: 10,
			statusCode: 503,
			reason: 'the receiver answered 503',
			waitSeconds: 15,
		});
		const next = Date.parse(state.nextAttemptAt as string);
		expect(next).toBeGreaterThanOrEqual(before + 15_000);
		expect(next).toBeLessThanOrEqual(Date.now() + 15_000);
	});

	test('a Retry-After longer than the in-execution window sets the next attempt (capped by Longest Retry-After)', async () => {
		dnsFake();
		const { received } = receiverFake(() => [429, '', { 'Retry-After': '7200' }]);
		const run = await runWebhook(webhookParameters({}, { maxRetryAfterSeconds: 600 }), [CONTACT]);
		expect(received).toHaveLength(1);
		expect(delivery(run.retryLater[0])).toMatchObject({ waitSeconds: 600, statusCode: 429 });
	});

	test('re-entering through the loop keeps the delivery id, counts the attempt and extends the log; the template does not see our state', async () => {
		const first = await failingRound([CONTACT]);
		const carried = first.retryLater[0].json;
		nock.cleanAll();
		const second = await failingRound([carried]);
		expect(ids(second.received)).toEqual([ids(first.received)[0], ids(first.received)[0]]);
		expect(second.received[0].rawBody).toBe(first.received[0].rawBody);
		const state = delivery(second.retryLater[0]);
		expect(state.attempts).toBe(2);
		expect(state.waitSeconds).toBe(30);
		expect(state.firstAttemptAt).toBe(delivery(first.retryLater[0]).firstAttemptAt);
		expect((state.log as IDataObject[]).map((e) => [e.attempt, e.try])).toEqual([
			[1, 1],
			[1, 2],
			[2, 1],
			[2, 2],
		]);

		nock.cleanAll();
		dnsFake();
		const ok = receiverFake(() => [200]);
		const third = await runWebhook(webhookParameters(), [second.retryLater[0].json]);
		expect(ids(ok.received)).toEqual([ids(first.received)[0]]);
		expect(delivery(third.delivered[0])).toMatchObject({ status: 'delivered', attempts: 3, deliveryId: ids(first.received)[0] });
		expect(third.delivered[0].json.profile).toEqual(CONTACT.profile);
	});

	test('after the last scheduled attempt the item is dropped with the whole log', async () => {
		const first = await failingRound([CONTACT], { retrySchedule: '15, 30' });
		nock.cleanAll();
		const second = await failingRound([first.retryLater[0].json], { retrySchedule: '15, 30' });
		nock.cleanAll();
		const third = await failingRound([second.retryLater[0].json], { retrySchedule: '15, 30' });
		expect(third.retryLater).toHaveLength(0);
		expect(third.dropped).toHaveLength(1);
		const state = delivery(third.dropped[0]);
		expect(state).toMatchObject({ status: 'dropped', attempts: 3, maxAttempts: 3, reason: 'the receiver answered 503; dropped after 3 attempts', logEntries: 6 });
		expect((state.log as IDataObject[]).map((e) => e.attempt)).toEqual([1, 1, 2, 2, 3, 3]);
	});

	test('the Retry Later output puts the latest next attempt first (n8n\'s Wait node reads its time from the first item)', async () => {
		dnsFake();
		receiverFake((request) => (request.rawBody.includes('late') ? [429, '', { 'Retry-After': '300' }] : [503]));
		const run = await runWebhook(webhookParameters({}, { retries: 0 }), [
			{ profile: { email: 'early@example.com' } },
			{ profile: { email: 'late@example.com' } },
		]);
		expect(run.retryLater.map((item: INodeExecutionData) => [item.pairedItem, delivery(item).waitSeconds])).toEqual([
			[{ item: 1 }, 300],
			[{ item: 0 }, 15],
		]);
	});
});

describe('connection state (Ometria "Error" after failing for 2 hours)', () => {
	const KEY_COUNT = (data: IDataObject) => Object.keys((data['node:Templated Webhook'] as IDataObject)?.connections ?? {}).length;
	const record = (data: IDataObject) => Object.values(((data['node:Templated Webhook'] as IDataObject).connections as IDataObject) ?? {})[0] as IDataObject;

	test('failures are remembered per URL in the workflow static data; a success clears them', async () => {
		dnsFake();
		const staticData: IDataObject = {};
		const fake = receiverFake(() => [503]);
		await runWebhook(webhookParameters({}, { retries: 0 }), [CONTACT], { staticData });
		expect(KEY_COUNT(staticData)).toBe(1);
		expect(record(staticData)).toMatchObject({ url: 'https://hooks.example.com/ometria/contacts', failingSince: expect.any(String) });
		expect(fake.received).toHaveLength(1);
		nock.cleanAll();
		dnsFake();
		receiverFake(() => [200]);
		await runWebhook(webhookParameters(), [CONTACT], { staticData });
		expect(record(staticData).failingSince).toBeUndefined();
		expect(record(staticData).lastSuccessAt).toEqual(expect.any(String));
	});

	function inErrorState(lastProbeMinutesAgo?: number): IDataObject {
		const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
		const entry: IDataObject = { url: 'https://hooks.example.com/ometria/contacts', failingSince: hoursAgo(3), lastFailureAt: hoursAgo(0.1) };
		if (lastProbeMinutesAgo !== undefined) entry.lastProbeAt = new Date(Date.now() - lastProbeMinutesAgo * 60_000).toISOString();
		// The key is the first 16 hex digits of sha256(URL), as the node computes it.
		const key = createHash('sha256').update('https://hooks.example.com/ometria/contacts').digest('hex').slice(0, 16);
		return { 'node:Templated Webhook': { connections: { [key]: entry } } };
	}

	test('in Error state items fail fast (nothing sent) and leave on Retry Later with the reason', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const staticData = inErrorState(1);
		const since = record(staticData).failingSince as string;
		const run = await runWebhook(webhookParameters(), [CONTACT, { profile: { email: 'b@example.com' } }], { staticData });
		expect(received).toHaveLength(0);
		expect(run.retryLater).toHaveLength(2);
		for (const item of run.retryLater) {
			const state = delivery(item);
			expect(state.reason).toBe(`connection in Error state since ${since}; not sent (waiting for a successful probe)`);
			expect(state.connectionState).toBe('error');
			expect((state.log as IDataObject[])[0]).toMatchObject({ outcome: 'not sent' });
		}
	});

	test('a probe that succeeds returns the connection to Active; the remaining items are sent', async () => {
		dnsFake();
		const { received } = receiverFake(() => [200]);
		const staticData = inErrorState(10);
		const run = await runWebhook(webhookParameters({}, { concurrency: 1 }), [CONTACT, { profile: { email: 'b@example.com' } }], { staticData });
		expect(received).toHaveLength(2);
		expect(run.delivered).toHaveLength(2);
		expect((delivery(run.delivered[0]).log as IDataObject[])[0]).toMatchObject({ probe: true, outcome: 'delivered' });
		expect(delivery(run.delivered[1]).connectionState).toBe('active');
		expect(record(staticData).failingSince).toBeUndefined();
	});

	test('a probe that fails keeps the Error state: only the probe is sent', async () => {
		dnsFake();
		const { received } = receiverFake(() => [503]);
		const staticData = inErrorState();
		const since = record(staticData).failingSince;
		const run = await runWebhook(webhookParameters({}, { concurrency: 1, retries: 0 }), [CONTACT, { profile: { email: 'b@example.com' } }, { profile: { email: 'c@example.com' } }], {
			staticData,
		});
		expect(received).toHaveLength(1);
		expect(run.retryLater).toHaveLength(3);
		expect(record(staticData).failingSince).toBe(since);
		expect(record(staticData).lastProbeAt).toEqual(expect.any(String));
		expect(run.retryLater.filter((item) => /Error state/.test(String(delivery(item).reason)))).toHaveLength(2);
	});

	test('one failure followed by hours without traffic is no outage: every item is sent', async () => {
		dnsFake();
		const key = Object.keys((inErrorState()['node:Templated Webhook'] as IDataObject).connections as IDataObject)[0];
		const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
		const staticData: IDataObject = {
			'node:Templated Webhook': { connections: { [key]: { url: 'x', failingSince: threeHoursAgo, lastFailureAt: threeHoursAgo } } },
		};
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({}, { concurrency: 2 }), [CONTACT, { profile: { email: 'b@example.com' } }], { staticData });
		expect(received).toHaveLength(2);
		expect(run.delivered.map((item) => delivery(item).status)).toEqual(['delivered', 'delivered']);
		expect(run.retryLater).toHaveLength(0);
	});

	test('failing for longer than the threshold puts the connection into Error state', async () => {
		dnsFake();
		const key = Object.keys((inErrorState()['node:Templated Webhook'] as IDataObject).connections as IDataObject)[0];
		const staticData: IDataObject = {
			'node:Templated Webhook': {
				connections: {
					[key]: { url: 'x', failingSince: new Date(Date.now() - 61 * 60_000).toISOString(), lastFailureAt: new Date(Date.now() - 60_000).toISOString() },
				},
			},
		};
		const { received } = receiverFake(() => [503]);
		const run = await runWebhook(webhookParameters({}, { retries: 0, errorStateAfterMinutes: 60, concurrency: 1 }), [CONTACT, { profile: { email: 'b@example.com' } }], {
			staticData,
		});
		expect(received).toHaveLength(1);
		expect(delivery(run.retryLater[0]).connectionState).toBe('error');
	});
});

describe('stopping the execution', () => {
	test('a Retry-After wait ends when the execution is stopped; the item is not sent again', async () => {
		dnsFake();
		const { received } = receiverFake(() => [503, '', { 'Retry-After': '15' }]);
		const run = await runWebhook(webhookParameters({}, { retryWindowSeconds: 60 }), [CONTACT], { cancelWhen: when(() => received.length === 1, 100) });
		await wait(50);
		expect(received).toHaveLength(1);
		expect(run.error?.message).toMatch(/stopped while an item was being delivered/);
	}, 15_000);
});
