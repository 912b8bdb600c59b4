import type { IDataObject } from 'n8n-workflow';

import { callout, CAMPAIGN_EVENT, sign, SIGNING_SECRET } from './fixtures';

type Call = Awaited<ReturnType<typeof callout>>;

const body = JSON.stringify(CAMPAIGN_EVENT);
const now = () => String(Math.floor(Date.now() / 1000));

function expectProcessed(call: Call) {
	expect(call.response.statusCode).toBe(200);
	expect(call.response.headers['content-type']).toBe('application/json; charset=utf-8');
	expect(call.response.body).toBe('{"processed":true}');
	expect(call.result.noWebhookResponse).toBe(true);
}

function expectRefused(call: Call, statusCode: number, error: string) {
	expect(call.response.statusCode).toBe(statusCode);
	expect(call.response.headers['content-type']).toBe('application/json; charset=utf-8');
	expect(JSON.parse(call.response.body)).toEqual({ processed: false, error });
	expect(call.result).toEqual({ noWebhookResponse: true });
	expect(call.items).toBeUndefined();
	expect(call.staticData).toEqual({});
}

describe('JSON callout with an HMAC-SHA256 signature of the raw body', () => {
	test('a correctly signed seed-003 payload: {"processed": true} and one item that is the payload', async () => {
		const call = await callout(body, { 'X-Signature': sign(body) });
		expectProcessed(call);
		expect(call.items).toEqual([[{ json: CAMPAIGN_EVENT }]]);
	});

	test.each([
		['hex with a sha256= prefix', `sha256=${sign(body)}`],
		['upper-case hex', sign(body).toUpperCase()],
		['base64', sign(body, SIGNING_SECRET, 'base64')],
		['base64 with a sha256= prefix', `sha256=${sign(body, SIGNING_SECRET, 'base64')}`],
	])('accepts the signature as %s', async (_name, signature) => {
		expectProcessed(await callout(body, { 'X-Signature': signature }));
	});

	test('the signature covers the raw bytes: the same JSON re-serialised differently does not verify', async () => {
		const pretty = JSON.stringify(CAMPAIGN_EVENT, null, 2);
		expectRefused(await callout(pretty, { 'X-Signature': sign(body) }), 403, 'The x-signature signature does not match the body');
	});

	test('a missing signature header answers 401', async () => {
		expectRefused(await callout(body, {}), 401, 'The x-signature header is missing');
	});

	test.each([
		['signed with another secret', sign(body, 'another-secret-another-secret-000000')],
		['signed over another body', sign(body.replace('Completed', 'Paused'))],
	])('a signature %s answers 403', async (_name, signature) => {
		expectRefused(await callout(body, { 'X-Signature': signature }), 403, 'The x-signature signature does not match the body');
	});

	test('a header that is not a SHA-256 MAC at all answers 403', async () => {
		expectRefused(await callout(body, { 'X-Signature': 'sha256=abc' }), 403, 'The x-signature header is not an HMAC-SHA256 in hex or base64');
	});

	test('the header name is configurable', async () => {
		const parameters = { signatureHeader: 'X-Hub-Signature-256' };
		expectProcessed(await callout(body, { 'X-Hub-Signature-256': `sha256=${sign(body)}` }, parameters));
		expectRefused(await callout(body, { 'X-Signature': sign(body) }, parameters), 401, 'The x-hub-signature-256 header is missing');
	});

	test('invalid JSON with a valid signature answers 400 and starts nothing', async () => {
		const broken = '{"event_type": "campaign_updated",';
		const call = await callout(broken, { 'X-Signature': sign(broken) });
		expect(call.response.statusCode).toBe(400);
		expect(JSON.parse(call.response.body).error).toBe('The body is not valid JSON: error at position 34');
		expect(call.items).toBeUndefined();
	});

	test('a JSON error never quotes the body (V8 would quote its start)', async () => {
		const broken = '{"a": unquoted-value}';
		const call = await callout(broken, { 'X-Signature': sign(broken) });
		expect(JSON.parse(call.response.body).error).toBe('The body is not valid JSON: it cannot be parsed');
	});

	test('invalid JSON without a valid signature answers 403: nothing is parsed for strangers', async () => {
		expectRefused(await callout('{"x":', { 'X-Signature': sign('{}') }), 403, 'The x-signature signature does not match the body');
	});

	test.each([
		['a JSON string', '"hello"'],
		['an empty array', '[]'],
		['an array with a number', '[{"a":1}, 2]'],
	])('%s is refused with 400', async (_name, raw) => {
		expectRefused(await callout(raw, { 'X-Signature': sign(raw) }), 400, 'The body must be a JSON object, or an array of 1 to 100 objects');
	});

	test('an array of events gives one item per event', async () => {
		const events = [CAMPAIGN_EVENT, { ...CAMPAIGN_EVENT, campaign_id: '701xx000000002AAAQ', status: 'Paused' }];
		const raw = JSON.stringify(events);
		const call = await callout(raw, { 'X-Signature': sign(raw) });
		expectProcessed(call);
		expect(call.items?.[0].map((item) => item.json)).toEqual(events);
	});
});

describe('timestamp and replay window', () => {
	const parameters = { useTimestamp: true, timestampHeader: 'X-Timestamp', replayWindow: 300 };

	test('signs "<timestamp>.<raw body>"; a fresh timestamp passes', async () => {
		const ts = now();
		expectProcessed(await callout(body, { 'X-Timestamp': ts, 'X-Signature': sign(`${ts}.${body}`) }, parameters));
	});

	test('a signature of the body alone does not verify when timestamps are required', async () => {
		const ts = now();
		expectRefused(await callout(body, { 'X-Timestamp': ts, 'X-Signature': sign(body) }, parameters), 403, 'The x-signature signature does not match the body');
	});

	test('a correctly signed but stale callout (a replay) answers 403', async () => {
		const ts = String(Math.floor(Date.now() / 1000) - 301);
		expectRefused(
			await callout(body, { 'X-Timestamp': ts, 'X-Signature': sign(`${ts}.${body}`) }, parameters),
			403,
			"The x-timestamp is more than 300 seconds away from n8n's clock (a replay, or a clock out of sync)",
		);
	});

	test('a timestamp moved forward by an attacker breaks the signature', async () => {
		const old = String(Math.floor(Date.now() / 1000) - 3600);
		expectRefused(await callout(body, { 'X-Timestamp': now(), 'X-Signature': sign(`${old}.${body}`) }, parameters), 403, 'The x-signature signature does not match the body');
	});

	test.each([
		['missing', {}, 'The x-timestamp header is missing'],
		['in milliseconds with letters', { 'X-Timestamp': '17x' }, 'The x-timestamp header is not a Unix time in seconds'],
	])('a timestamp header that is %s answers 401', async (_name, headers, error) => {
		expectRefused(await callout(body, { ...headers, 'X-Signature': sign(body) }, parameters), 401, error);
	});
});

describe('shared token header', () => {
	const parameters = { verification: 'token', headerName: 'X-Salesforce-Token' };

	test('the right token passes (a Bearer prefix too)', async () => {
		expectProcessed(await callout(body, { 'X-Salesforce-Token': SIGNING_SECRET }, parameters));
		expectProcessed(await callout(body, { 'X-Salesforce-Token': `Bearer ${SIGNING_SECRET}` }, parameters));
	});

	test('a wrong token answers 403, a missing one 401', async () => {
		expectRefused(await callout(body, { 'X-Salesforce-Token': `${SIGNING_SECRET}x` }, parameters), 403, 'The x-salesforce-token header does not hold the shared secret');
		expectRefused(await callout(body, {}, parameters), 401, 'The x-salesforce-token header is missing');
	});
});

describe('filters, redeliveries and configuration', () => {
	test('only the listed event types pass; others get {"processed": true} and start nothing', async () => {
		const other = JSON.stringify({ ...CAMPAIGN_EVENT, event_type: 'opportunity_closed' });
		const parameters = { eventTypes: 'campaign_updated' };
		expect((await callout(body, { 'X-Signature': sign(body) }, parameters)).items?.[0]).toHaveLength(1);
		const filtered = await callout(other, { 'X-Signature': sign(other) }, parameters);
		expectProcessed(filtered);
		expect(filtered.items).toBeUndefined();
	});

	test('a redelivered event (same event_id) is answered but not emitted twice', async () => {
		const staticData: IDataObject = {};
		const first = JSON.stringify({ ...CAMPAIGN_EVENT, event_id: 'evt-1' });
		const second = JSON.stringify({ ...CAMPAIGN_EVENT, status: 'Paused', event_id: 'evt-1' });
		expect((await callout(first, { 'X-Signature': sign(first) }, {}, { staticData })).items?.[0]).toHaveLength(1);
		const again = await callout(second, { 'X-Signature': sign(second) }, {}, { staticData });
		expectProcessed(again);
		expect(again.items).toBeUndefined();
		expect(Object.keys((staticData['node:Trigger'] as IDataObject).deliveredIds as IDataObject)).toEqual(['e:evt-1']);
	});

	test('without an event id and without timestamps, an identical callout is a new event and is emitted again', async () => {
		// e.g. a Campaign goes Completed -> In Progress -> Completed: the seed-003 payload carries no id,
		// and Flow/Apex callouts are not redelivered by Salesforce, so nothing tells a repeat from a resend.
		const staticData: IDataObject = {};
		expect((await callout(body, { 'X-Signature': sign(body) }, {}, { staticData })).items?.[0]).toHaveLength(1);
		const repeat = await callout(body, { 'X-Signature': sign(body) }, {}, { staticData });
		expectProcessed(repeat);
		expect(repeat.items?.[0]).toHaveLength(1);
		expect((staticData['node:Trigger'] as IDataObject | undefined)?.deliveredIds).toBeUndefined();
		expect(repeat.staticData.__dataChanged).toBe(false);
	});

	test('without an event id but with timestamps, a resend of the same signed callout (same timestamp and body) is emitted once', async () => {
		const staticData: IDataObject = {};
		const parameters = { useTimestamp: true };
		const ts = now();
		const headers = { 'X-Timestamp': ts, 'X-Signature': sign(`${ts}.${body}`) };
		expect((await callout(body, headers, parameters, { staticData })).items?.[0]).toHaveLength(1);
		const resend = await callout(body, headers, parameters, { staticData });
		expectProcessed(resend);
		expect(resend.items).toBeUndefined();
		const later = String(Number(ts) + 1);
		expect((await callout(body, { 'X-Timestamp': later, 'X-Signature': sign(`${later}.${body}`) }, parameters, { staticData })).items?.[0]).toHaveLength(1);
	});

	test('an IP outside the allow-list is refused with 403 even with a valid signature', async () => {
		const call = await callout(body, { 'X-Signature': sign(body) }, { jsonOptions: { allowedIps: '13.108.0.0/14' } }, { ip: '198.51.100.7' });
		expectRefused(call, 403, "The caller's address 198.51.100.7 is not in the node's IP Allow-List");
	});

	test('an oversize body is refused with 400', async () => {
		const big = JSON.stringify({ ...CAMPAIGN_EVENT, campaign_name: 'x'.repeat(4096) });
		expectRefused(await callout(big, { 'X-Signature': sign(big) }, { jsonOptions: { maxBodyKb: 1 } }), 400, `The request body is ${big.length} bytes, over the limit of 1024 bytes set in the node (Max Body Size)`);
	});

	test('an empty shared secret is a configuration error (500), never "accept anything"', async () => {
		expectRefused(await callout(body, { 'X-Signature': sign(body, '') }, {}, { secret: '' }), 500, 'The n8n Salesforce Trigger is misconfigured; its owner can see why in the node settings');
	});
});
