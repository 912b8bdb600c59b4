import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import { rateLimitWaitMs } from '../../nodes/Omnisend/transport';
import { runWorkflow } from '../harness/run-workflow';
import type { Received } from './fixtures';
import { API_KEY, CREDENTIALS, expectErrorItem, omnisendFake, omnisendWorkflow, runOmnisend, wait, sendEvent } from './fixtures';

const withOptions = (requestOptions: INodeParameters): INodeParameters => ({ ...sendEvent, requestOptions });

const emailOf = (request: Received) => (request.body as { contact: { email: string } }).contact.email;
const sentBody = '{"eventName":"x","origin":"api","contact":{"email":"a@b.co"},"properties":{}}';

interface ErrorDetails {
	message: string;
	description?: string;
	httpCode?: string;
}
const details = (error: Error | undefined) => error as unknown as ErrorDetails;

/** What the 429/5xx/no-answer descriptions recommend instead of Retry On Fail. */
const LATER =
	'To keep the other items and handle this one later, set the node\'s Settings › On Error to "Continue (using error output)". Avoid Retry On Fail for events: it resends every item of the run, and Omnisend does not deduplicate live events.';

/**
 * A fake that also notes when each request arrived, to prove a wait by its LOWER bound only (the gap
 * between two requests as Omnisend saw them): delays on a slow machine can only make gaps longer.
 */
function timedFake(reply: Parameters<typeof omnisendFake>[0]) {
	const arrivals: number[] = [];
	const fake = omnisendFake((request, index) => {
		arrivals.push(Date.now());
		return reply(request, index);
	});
	return { ...fake, arrivals, gap: (from: number, to: number) => arrivals[to] - arrivals[from] };
}

/** A realistic dropped connection: what Node reports when the peer resets the socket. */
function connectionReset(): Error {
	return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

describe('429 rate limit', () => {
	test('429 with Retry-After: 1, then 202 → sent after 2 requests (attempts: 2), the second at least ~1 s after the first', async () => {
		const { received, gap } = timedFake((_request, index) =>
			index === 0 ? [429, { title: 'Too Many Requests' }, { 'Retry-After': '1' }] : [202],
		);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
		expect(received.map((request) => request.rawBody)).toEqual([sentBody, sentBody]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ status: 'sent', httpStatus: 202, attempts: 2 });
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('429 with only X-Rate-Limit-Reset: 1 → retried after the wait and sent', async () => {
		const { received, gap } = timedFake((_request, index) =>
			index === 0 ? [429, undefined, { 'X-Rate-Limit-Limit': '400', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': '1' }] : [202],
		);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(received.map((request) => request.rawBody)).toEqual([sentBody, sentBody]);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
		expect(items[0].json).toMatchObject({ status: 'sent', attempts: 2 });
	});

	test('429 with only a JSON body { "retryAfter": 1 } → retried after the wait and sent', async () => {
		const { received, gap } = timedFake((_request, index) =>
			index === 0
				? [
						429,
						{
							type: 'https://problems.omnisend.com/rate-limit-exceeded',
							title: 'Rate limit exceeded',
							status: 429,
							retryAfter: 1,
						},
					]
				: [202],
		);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
		expect(items[0].json).toMatchObject({ status: 'sent', attempts: 2 });
	});

	test('a Retry-After longer than the node\'s cap (120 s) fails the item at once: rate-limited, not sent', async () => {
		const { received } = omnisendFake(() => [429, { title: 'Too Many Requests' }, { 'Retry-After': '3600' }]);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(received).toHaveLength(1);
		expect(items).toEqual([]);
		expect(details(error).message).toBe('Omnisend answered 429: Too Many Requests');
		expect(details(error).description).toBe(
			`Omnisend kept rate-limiting and asked to wait 3600 s, longer than this node waits (120 s) (400 requests/minute per store, shared by all keys). The item was not sent; lower Concurrency. ${LATER}`,
		);
		expect(details(error).description).toContain('Continue (using error output)');
	});

	test('more 429s than Rate Limit Retries → rate-limited error after retries+1 requests', async () => {
		const { received } = omnisendFake(() => [429, { title: 'Too Many Requests' }, { 'Retry-After': '0' }]);
		const { items, error } = await runOmnisend(withOptions({ rateLimitRetries: 2 }), [{ email: 'a@b.co' }]);

		expect(received).toHaveLength(3);
		expect(items).toEqual([]);
		expect(details(error).message).toBe('Omnisend answered 429: Too Many Requests');
		expect(details(error).httpCode).toBe('429');
		expect(details(error).description).toBe(
			`Omnisend kept rate-limiting after 3 attempts (400 requests/minute per store, shared by all keys). The item was not sent; lower Concurrency. ${LATER}`,
		);
		expect(details(error).description).toContain('Settings › On Error to "Continue (using error output)"');
		expect(details(error).description).toContain('Avoid Retry On Fail for events');
	});

	test('with continueOnFail the rate-limited item becomes an error item (not lost)', async () => {
		const { received } = omnisendFake(() => [429, { title: 'Too Many Requests' }, { 'Retry-After': '0' }]);
		const { items, error } = await runOmnisend(withOptions({ rateLimitRetries: 1 }), [{ email: 'a@b.co' }], {
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(items).toHaveLength(1);
		expectErrorItem(items[0], 0, {
			message: 'Omnisend answered 429: Too Many Requests',
			description: `Omnisend kept rate-limiting after 2 attempts (400 requests/minute per store, shared by all keys). The item was not sent; lower Concurrency. ${LATER}`,
			httpCode: '429',
		});
	});
});

describe('5xx server errors', () => {
	test('500 twice, then 202 → sent after 3 requests', async () => {
		const { received } = omnisendFake((_request, index) => (index < 2 ? [500, { message: 'oops' }] : [202]));
		const { items, error } = await runOmnisend(withOptions({ serverErrorRetries: 2 }), [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(3);
		expect(received.map((request) => request.rawBody)).toEqual([sentBody, sentBody, sentBody]);
		expect(items[0].json).toMatchObject({ status: 'sent', httpStatus: 202, attempts: 3 });
	});

	test('500 more often than Server Error Retries → error naming the status and the attempts', async () => {
		const { received } = omnisendFake(() => [500, { message: 'oops' }]);
		const { items, error } = await runOmnisend(withOptions({ serverErrorRetries: 1 }), [{ email: 'a@b.co' }]);

		expect(received).toHaveLength(2);
		expect(items).toEqual([]);
		expect(details(error).message).toBe('Omnisend answered 500: oops');
		expect(details(error).httpCode).toBe('500');
		expect(details(error).description).toBe(
			`Omnisend failed with 500 after 2 attempts. This is on Omnisend's side; the item was not confirmed as sent. ${LATER}`,
		);
		expect(details(error).description).toContain('Continue (using error output)');
	});
});

describe('4xx errors are not retried and say what to do', () => {
	test('400 with a validation body → exactly 1 request; the message carries Omnisend\'s field message', async () => {
		const { received } = omnisendFake(() => [
			400,
			{ error: 'bad', errors: [{ field: 'contact.email', message: 'invalid email' }] },
		]);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(received).toHaveLength(1);
		expect(items).toEqual([]);
		expect(details(error).message).toBe('Omnisend answered 400: bad; contact.email: invalid email');
		expect(details(error).httpCode).toBe('400');
	});

	test('401 → 1 request; tells the user to re-enter the API key', async () => {
		const { received } = omnisendFake(() => [401, { error: 'unauthorized' }]);
		const { error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(received).toHaveLength(1);
		expect(details(error).message).toBe('Omnisend answered 401: unauthorized');
		expect(details(error).description).toContain('Re-enter the key in the Omnisend credential');
	});

	test('403 → 1 request; the description names the Events (write) permission', async () => {
		const { received } = omnisendFake(() => [403, { error: 'forbidden' }]);
		const { error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(received).toHaveLength(1);
		expect(details(error).message).toBe('Omnisend answered 403: forbidden');
		expect(details(error).description).toContain('Events (write)');
	});

	test('409 on a contact upsert → 1 request; says another contact owns the identifier', async () => {
		const { received } = omnisendFake(() => [409, { error: 'identifier already exists' }]);
		const { error } = await runOmnisend(
			{ resource: 'contact', operation: 'upsert', email: 'a@b.co', phone: '+447700900123' },
			[{}],
		);

		expect(received).toHaveLength(1);
		expect(received[0].path).toBe('/v5/contacts');
		expect(details(error).message).toBe('Omnisend answered 409: identifier already exists');
		expect(details(error).description).toBe(
			'Another Omnisend contact already owns this email or phone. Update that contact instead, or send a different identifier.',
		);
	});
});

describe('timeouts and dropped connections', () => {
	test('no answer within the timeout (1 s) and no retries → an error saying so', async () => {
		let lateAnswer: Promise<void> = Promise.resolve();
		const { received } = omnisendFake(async () => {
			lateAnswer = wait(1500);
			await lateAnswer;
			return [202];
		});
		const { items, error } = await runOmnisend(withOptions({ timeout: 1, serverErrorRetries: 0 }), [{ email: 'a@b.co' }]);
		await lateAnswer;

		expect(received).toHaveLength(1);
		expect(items).toEqual([]);
		expect(details(error).message).toContain('no answer within 1 s');
	});

	test('a slow first answer (timed out) then a fast 202 → sent, with 1 retry allowed', async () => {
		let lateAnswer: Promise<void> = Promise.resolve();
		const { received } = omnisendFake(async (_request, index) => {
			if (index === 0) {
				lateAnswer = wait(1500);
				await lateAnswer;
			}
			return [202];
		});
		const { items, error } = await runOmnisend(withOptions({ timeout: 1, serverErrorRetries: 1 }), [{ email: 'a@b.co' }]);
		await lateAnswer;

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(items[0].json).toMatchObject({ status: 'sent', attempts: 2 });
	});

	test('a dropped connection (socket reset) then 202 → sent', async () => {
		const { received } = omnisendFake((_request, index) => {
			if (index === 0) throw connectionReset();
			return [202];
		});
		const { items, error } = await runOmnisend(withOptions({ serverErrorRetries: 1 }), [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(items[0].json).toMatchObject({ status: 'sent', attempts: 2 });
	});
});

describe('concurrency', () => {
	test('12 items with concurrency 3: at most 3 in flight (and more than 1); outputs keep input order and pairedItem', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const { received } = omnisendFake(async (request) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			// Later items answer sooner, so finishing order differs from input order.
			const index = Number(emailOf(request).replace(/\D/g, ''));
			await wait(30 + (11 - index) * 5);
			inFlight--;
			return [202];
		});
		const input = Array.from({ length: 12 }, (_, index) => ({ email: `p${index}@example.com` }));
		const { items, error } = await runOmnisend(withOptions({ concurrency: 3 }), input);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(12);
		expect(maxInFlight).toBeLessThanOrEqual(3);
		expect(maxInFlight).toBeGreaterThan(1);
		expect(items.map((item) => (item.json.event as { contact: { email: string } }).contact.email)).toEqual(
			input.map((entry) => entry.email),
		);
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, index) => ({ item: index })));
	});

	test('one 429 with Retry-After holds the other concurrent workers too', async () => {
		// The 429 is answered only once both first requests have arrived, so every request after it
		// must come from a worker that had to pass the shared gate. The gate opens at the earliest
		// 1 s after the 429 left the fake; a request inside that window means the hold was ignored.
		const holdMs = 1000;
		let limitedAt = 0;
		let bothArrived: () => void = () => undefined;
		const arrivedTogether = new Promise<void>((resolve) => (bothArrived = resolve));
		const arrivals: number[] = [];
		const { received } = omnisendFake(async (request, index) => {
			arrivals.push(Date.now());
			if (index === 1) bothArrived();
			if (emailOf(request) === 'limited@example.com' && limitedAt === 0) {
				await arrivedTogether;
				limitedAt = Date.now();
				return [429, { title: 'Too Many Requests' }, { 'Retry-After': String(holdMs / 1000) }];
			}
			if (index < 2) await wait(100);
			return [202];
		});
		const input = [
			{ email: 'limited@example.com' },
			{ email: 'p1@example.com' },
			{ email: 'p2@example.com' },
			{ email: 'p3@example.com' },
		];
		const { items, error } = await runOmnisend(withOptions({ concurrency: 2 }), input);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(5);
		expect(limitedAt).toBeGreaterThan(0);
		const duringHold = arrivals.filter((at) => at > limitedAt && at < limitedAt + holdMs - 50);
		expect(duringHold).toEqual([]);
		expect(items.map((item) => item.json.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
		expect(items[0].json.attempts).toBe(2);
	});
});

describe('continueOnFail', () => {
	test('a mix of good and failing items: every input item has exactly one output item, in order', async () => {
		const { received } = omnisendFake((request) => {
			const email = emailOf(request);
			if (email === 'invalid@example.com') return [400, { error: 'bad', errors: [{ field: 'contact.email', message: 'invalid email' }] }];
			if (email === 'forbidden@example.com') return [403, { error: 'forbidden' }];
			return [202];
		});
		const input = [
			{ email: 'good1@example.com' },
			{ email: 'invalid@example.com' },
			{ email: 'not-an-email' },
			{ email: '' },
			{ email: 'forbidden@example.com' },
			{ email: 'good2@example.com' },
		];
		const { items, error } = await runOmnisend(withOptions({ concurrency: 2 }), input, { continueOnFail: true });

		expect(error).toBeUndefined();
		expect(received.map(emailOf).sort()).toEqual(
			['forbidden@example.com', 'good1@example.com', 'good2@example.com', 'invalid@example.com'].sort(),
		);
		expect(items).toHaveLength(6);
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, index) => ({ item: index })));
		expect(items[0].json).toMatchObject({ status: 'sent', event: { contact: { email: 'good1@example.com' } } });
		expect(items[0].error).toBeUndefined();
		expectErrorItem(items[1], 1, {
			message: 'Omnisend answered 400: bad; contact.email: invalid email',
			description: 'Omnisend refused the request as invalid. Fix the fields it names; sending it again unchanged will fail the same way.',
			httpCode: '400',
		});
		expectErrorItem(items[2], 2, {
			message: 'Email "not-an-email" is not an email address (item 2)',
			description: 'Fix "Email" for item 2; nothing was sent for it.',
		});
		expect(items[3]).toEqual({
			json: {
				status: 'skipped',
				reason: 'No email and no phone: Omnisend needs at least one to identify the contact',
				eventName: 'x',
			},
			pairedItem: { item: 3 },
		});
		expectErrorItem(items[4], 4, {
			message: 'Omnisend answered 403: forbidden',
			description:
				'The API key lacks a permission this call needs. In Omnisend → Store settings → API keys grant Events (write) for events and Contacts (read and write) for contacts.',
			httpCode: '403',
		});
		expect(items[5].json).toMatchObject({ status: 'sent', event: { contact: { email: 'good2@example.com' } } });
		expect(items[5].error).toBeUndefined();
	});
});

describe('On Error = "Continue (using error output)"', () => {
	test('a failing item goes to the error output (output 1) alone, with its message and pairing; the sent items stay on output 0', async () => {
		const { received } = omnisendFake((request) =>
			emailOf(request) === 'bad@example.com' ? [400, { error: 'bad', errors: [{ field: 'contact.email', message: 'invalid email' }] }] : [202],
		);
		const workflow = omnisendWorkflow(withOptions({ concurrency: 1 }), { continueOnFail: true });
		workflow.nodes[1].onError = 'continueErrorOutput';
		const input = [{ email: 'a@example.com' }, { email: 'bad@example.com' }, { email: 'c@example.com' }];
		const result = await runWorkflow(workflow, { credentials: CREDENTIALS, input });

		expect(result.nodeError('Omnisend')).toBeUndefined();
		expect(received.map(emailOf)).toEqual(['a@example.com', 'bad@example.com', 'c@example.com']);
		const sent = result.output('Omnisend', 0);
		expect(sent.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(sent.map((item) => item.json)).toEqual([
			{
				status: 'sent',
				httpStatus: 202,
				attempts: 1,
				eventName: 'x',
				event: { eventName: 'x', origin: 'api', contact: { email: 'a@example.com' }, properties: {} },
			},
			{
				status: 'sent',
				httpStatus: 202,
				attempts: 1,
				eventName: 'x',
				event: { eventName: 'x', origin: 'api', contact: { email: 'c@example.com' }, properties: {} },
			},
		]);
		expect(sent.map((item) => item.error)).toEqual([undefined, undefined]);
		// n8n merges the input item into what goes to the error output, so the item can be retried as is.
		expect(result.output('Omnisend', 1)).toEqual([
			{
				json: {
					email: 'bad@example.com',
					error: 'Omnisend answered 400: bad; contact.email: invalid email',
					details: {
						description: 'Omnisend refused the request as invalid. Fix the fields it names; sending it again unchanged will fail the same way.',
						httpCode: '400',
					},
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});

describe('how long a 429 waits: Retry-After, then X-Rate-Limit-Reset, then the body\'s retryAfter, then 60 s', () => {
	test.each([
		['empty', ''],
		['not a number or a date', 'soon'],
	])('a Retry-After that is %s falls back to X-Rate-Limit-Reset (1 s)', async (_what, retryAfter) => {
		const { received, gap } = timedFake((_request, index) =>
			index === 0 ? [429, { title: 'Too Many Requests', retryAfter: 0 }, { 'Retry-After': retryAfter, 'X-Rate-Limit-Reset': '1' }] : [202],
		);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody)).toEqual([sentBody, sentBody]);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
		expect(items[0].json).toMatchObject({ status: 'sent', httpStatus: 202, attempts: 2 });
	});

	test('a negative Retry-After ("-1") is neither seconds nor an HTTP date: it falls back to X-Rate-Limit-Reset (1 s)', async () => {
		const { received, gap } = timedFake((_request, index) =>
			index === 0 ? [429, { title: 'Too Many Requests' }, { 'Retry-After': '-1', 'X-Rate-Limit-Reset': '1' }] : [202],
		);
		const { error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
	});

	test('an unusable Retry-After and an unusable X-Rate-Limit-Reset fall back to the body\'s retryAfter (1 s)', async () => {
		const { received, gap } = timedFake((_request, index) =>
			index === 0 ? [429, { title: 'Rate limit exceeded', status: 429, retryAfter: '1' }, { 'Retry-After': 'soon', 'X-Rate-Limit-Reset': 'later' }] : [202],
		);
		const { error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
	});

	test('Retry-After as an HTTP date (about 2 s ahead) is waited for', async () => {
		const { received, gap } = timedFake((_request, index) =>
			// HTTP dates have whole seconds: now + 2 s, truncated, is still at least 1 s ahead.
			index === 0 ? [429, { title: 'Too Many Requests' }, { 'Retry-After': new Date(Date.now() + 2000).toUTCString() }] : [202],
		);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody)).toEqual([sentBody, sentBody]);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
		expect(items[0].json).toMatchObject({ status: 'sent', attempts: 2 });
	});

	test('rateLimitWaitMs reads the hints in that order, and waits 60 s without any', () => {
		const wait = (headers: Record<string, string>, body?: unknown) => rateLimitWaitMs({ statusCode: 429, headers, body });
		expect(wait({})).toBe(60_000);
		expect(wait({ 'retry-after': '' })).toBe(60_000);
		expect(wait({ 'retry-after': 'soon' }, { title: 'x' })).toBe(60_000);
		expect(wait({ 'retry-after': '7' })).toBe(7000);
		expect(wait({ 'retry-after': ' 2.5 ' })).toBe(2500);
		expect(wait({ 'retry-after': '0', 'x-rate-limit-reset': '30' })).toBe(0);
		expect(wait({ 'retry-after': '', 'x-rate-limit-reset': '12' }, { retryAfter: 3 })).toBe(12_000);
		expect(wait({ 'retry-after': 'soon', 'x-rate-limit-reset': 'n/a' }, { retryAfter: 3 })).toBe(3000);
		expect(wait({}, { retryAfter: '4' })).toBe(4000);
		expect(wait({}, { retryAfter: -4 })).toBe(60_000);
		expect(wait({ 'retry-after': 'Thu, 01 Jan 2015 00:00:00 GMT' })).toBe(0);
		// An HTTP date 30 s ahead (whole seconds): never more than 30 s, and far more than the fallbacks' 0.
		const ahead = wait({ 'retry-after': new Date(Date.now() + 30_000).toUTCString(), 'x-rate-limit-reset': '0' }, { retryAfter: 0 });
		expect(ahead).toBeGreaterThan(20_000);
		expect(ahead).toBeLessThanOrEqual(30_000);
	});
});

describe('X-Rate-Limit-Remaining: 0 on a successful answer', () => {
	test('with X-Rate-Limit-Reset: 1 the next request waits about 1 s', async () => {
		const { received, gap } = timedFake((_request, index) =>
			index === 0 ? [202, undefined, { 'X-Rate-Limit-Limit': '400', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': '1' }] : [202],
		);
		const { items, error } = await runOmnisend(withOptions({ concurrency: 1 }), [{ email: 'a@b.co' }, { email: 'c@d.co' }]);

		expect(error).toBeUndefined();
		expect(received.map(emailOf)).toEqual(['a@b.co', 'c@d.co']);
		expect(gap(0, 1)).toBeGreaterThanOrEqual(900);
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({ status: 'sent', httpStatus: 202, attempts: 1 }),
			expect.objectContaining({ status: 'sent', httpStatus: 202, attempts: 1 }),
		]);
	});
});

describe('requests that get no HTTP answer', () => {
	test('a failure with no answer and no network code says so with its message, and is not retried', async () => {
		const { received } = omnisendFake(() => {
			throw new Error('boom');
		});
		const { items, error } = await runOmnisend(withOptions({ serverErrorRetries: 3 }), [{ email: 'a@b.co' }]);

		expect(received).toHaveLength(1);
		expect(items).toEqual([]);
		expect(details(error).message).toBe('Omnisend could not be reached: the request failed without an answer (boom)');
		expect(details(error).description).toBe(
			`The request may or may not have reached Omnisend. Check the Base URL in the credential if this persists. ${LATER}`,
		);
	});

	test('a dropped connection on every attempt → connection failed (ECONNRESET) after the retries', async () => {
		const { received } = omnisendFake(() => {
			throw connectionReset();
		});
		const { error } = await runOmnisend(withOptions({ serverErrorRetries: 1 }), [{ email: 'a@b.co' }]);

		expect(received.map((request) => request.rawBody)).toEqual([sentBody, sentBody]);
		expect(details(error).message).toBe('Omnisend could not be reached: connection failed (ECONNRESET) after 2 attempts');
		expect(details(error).description).toContain('Continue (using error output)');
	});
});

describe('error bodies that echo the API key', () => {
	test('a 400 whose body contains the key: the key is masked (***) in the message; one request', async () => {
		const { received } = omnisendFake(() => [400, { error: 'bad', detail: `X-API-KEY ${API_KEY} is not valid for this store` }]);
		const { items, error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }], { continueOnFail: true });

		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(items).toHaveLength(1);
		expectErrorItem(items[0], 0, {
			message: 'Omnisend answered 400: bad; X-API-KEY *** is not valid for this store',
			description: 'Omnisend refused the request as invalid. Fix the fields it names; sending it again unchanged will fail the same way.',
			httpCode: '400',
		});
	});

	test('the key is masked in the kept error body too: in strings and in keys, at any depth', async () => {
		omnisendFake(() => [
			400,
			{ error: 'bad', meta: { [API_KEY]: { deeper: [`k=${API_KEY}`, { [`x-${API_KEY}`]: [API_KEY, 7] }] } } },
		]);
		const { error } = await runOmnisend(sendEvent, [{ email: 'a@b.co' }]);

		expect(error?.message).toBe('Omnisend answered 400: bad');
		expect((error as NodeApiError).errorResponse).toEqual({
			statusCode: 400,
			body: { error: 'bad', meta: { '***': { deeper: ['k=***', { 'x-***': ['***', 7] }] } } },
		});
	});
});

describe('the credential\'s Base URL', () => {
	const run = async (baseUrl: string, settings: { continueOnFail?: boolean } = {}) => {
		const result = await runWorkflow(omnisendWorkflow(withOptions({ concurrency: 1 }), settings), {
			credentials: { omnisendApi: { apiKey: API_KEY, baseUrl } },
			input: [{ email: 'a@b.co' }, { email: 'c@d.co' }],
		});
		return { items: result.output('Omnisend'), error: result.nodeError('Omnisend') };
	};

	test.each([['http://api.example.com/v5'], ['http://localhost.evil.example/v5'], ['http://127.0.0.1.evil.example/v5'], ['ftp://api.omnisend.com/v5'], ['api.omnisend.com/v5']])(
		'%s (http off this machine, another scheme, or no URL) fails the item and sends nothing',
		async (baseUrl) => {
			const elsewhere: string[] = [];
			// Net connect is off too (test/harness/setup.ts); these record any attempt on the http hosts.
			for (const origin of ['http://api.example.com', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example']) {
				nock(origin)
					.persist()
					.post(/.*/)
					.reply(function (uri) {
						elsewhere.push(uri);
						return [202];
					});
			}
			const { received } = omnisendFake(() => [202]);
			const { items, error } = await run(baseUrl);

			expect(received).toHaveLength(0);
			expect(elsewhere).toEqual([]);
			expect(items).toEqual([]);
			expect(details(error).message).toBe(`The Omnisend credential's Base URL "${baseUrl}" is not usable`);
			expect(details(error).message).toContain('Base URL');
			expect(details(error).description).toBe(
				'Use https://api.omnisend.com/v5, or http:// only for a fake on this machine (localhost): the API key must not travel unencrypted.',
			);
		},
	);

	test('with continueOnFail every item comes out as an error item naming the Base URL; nothing is sent', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await run('http://api.example.com/v5', { continueOnFail: true });

		expect(error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(2);
		for (const index of [0, 1]) {
			expectErrorItem(items[index], index, {
				message: 'The Omnisend credential\'s Base URL "http://api.example.com/v5" is not usable',
				description: 'Use https://api.omnisend.com/v5, or http:// only for a fake on this machine (localhost): the API key must not travel unencrypted.',
			});
		}
	});

	test.each([['http://127.0.0.1:4010/v5', 'http://127.0.0.1:4010'], ['http://localhost:4010/v5/', 'http://localhost:4010'], ['http://127.1.2.3:4010/v5', 'http://127.1.2.3:4010']])(
		'http on this machine (%s) is used',
		async (baseUrl, origin) => {
			const seen: Array<{ path: string; key: unknown; body: string }> = [];
			nock(origin)
				.persist()
				.post(/.*/)
				.reply(function (uri, body) {
					seen.push({ path: uri, key: this.req.headers['x-api-key'], body: JSON.stringify(body) });
					return [202];
				});
			const { items, error } = await run(baseUrl);

			expect(error).toBeUndefined();
			expect(seen).toEqual([
				{ path: '/v5/events', key: API_KEY, body: sentBody },
				{ path: '/v5/events', key: API_KEY, body: sentBody.replace('a@b.co', 'c@d.co') },
			]);
			expect(items.map((item) => item.json.status)).toEqual(['sent', 'sent']);
		},
	);
});
