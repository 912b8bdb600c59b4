import nock from 'nock';

import type { Answer, Sandbox } from './sandbox-api';
import { call, caller, expectFailure, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

let sandbox: Sandbox;
let fetchIt: ReturnType<typeof caller>;
let url: string;

beforeAll(async () => {
	sandbox = await startSandbox({ services: ['receiver'] });
	fetchIt = caller(sandbox);
	url = sandbox.services.receiver.url;
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.services.receiver.reset());

const receiver = () => sandbox.services.receiver;

describe('recording', () => {
	test('every request is recorded with seq, time, method, path+query, headers, raw body and parsed JSON body', async () => {
		const before = Date.now() - 1000;
		const raw = '{"b": 2,  "a":[1,"x"]}';
		await fetchIt(`${url}/hooks/one?x=1&y=%20z`, { method: 'POST', body: raw, headers: { 'Content-Type': 'application/json', 'X-Custom': 'v' } });
		const [entry] = receiver().requests();
		expect(entry).toEqual({
			seq: expect.any(Number),
			time: expect.any(String),
			method: 'POST',
			path: '/hooks/one?x=1&y=%20z',
			headers: expect.objectContaining({ 'content-type': 'application/json', 'x-custom': 'v', 'content-length': String(raw.length) }),
			rawBody: raw,
			body: { b: 2, a: [1, 'x'] },
			status: 200,
		});
		expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before);
	});

	test('form bodies are parsed (repeated keys become arrays); other bodies keep body null and the raw text', async () => {
		await fetchIt(`${url}/form`, {
			method: 'POST',
			body: 'type=subscribe&contact%5Bemail%5D=a%40b.c&list=1&list=2',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		await fetchIt(`${url}/xml`, { method: 'POST', body: '<a>1</a>', headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
		await fetchIt(`${url}/bad-json`, { method: 'PUT', body: '{nope', headers: { 'Content-Type': 'application/json' } });
		await fetchIt(`${url}/empty`, { method: 'DELETE' });
		const [form, xml, badJson, empty] = receiver().requests();
		expect(form.body).toEqual({ type: 'subscribe', 'contact[email]': 'a@b.c', list: ['1', '2'] });
		expect(xml).toMatchObject({ rawBody: '<a>1</a>', body: null });
		expect(badJson).toMatchObject({ method: 'PUT', rawBody: '{nope', body: null });
		expect(empty).toMatchObject({ method: 'DELETE', rawBody: '', body: null });
	});

	test('GET /__sandbox/requests lists them (control requests are not recorded); ?since=seq gives the later ones', async () => {
		await fetchIt(`${url}/a`);
		await fetchIt(`${url}/b`);
		await fetchIt(`${url}/c`);
		const all = await fetchIt(`${url}/__sandbox/requests`);
		expect(all.status).toBe(200);
		expect((all.json as Array<{ path: string }>).map((entry) => entry.path)).toEqual(['/a', '/b', '/c']);
		const seqs = (all.json as Array<{ seq: number }>).map((entry) => entry.seq);
		expect(seqs[1]).toBe(seqs[0] + 1);
		expect(seqs[2]).toBe(seqs[0] + 2);
		const since = await fetchIt(`${url}/__sandbox/requests?since=${seqs[0]}`);
		expect((since.json as Array<{ path: string }>).map((entry) => entry.path)).toEqual(['/b', '/c']);
		expect(receiver().requests({ since: seqs[1] }).map((entry) => entry.path)).toEqual(['/c']);
		expect((await fetchIt(`${url}/__sandbox/requests?since=x`)).status).toBe(400);
	});

	test('DELETE /__sandbox/requests and clear() forget them; seq keeps counting', async () => {
		await fetchIt(`${url}/a`);
		const first = receiver().requests()[0].seq;
		const cleared = await fetchIt(`${url}/__sandbox/requests`, { method: 'DELETE' });
		expect(cleared.json).toEqual({ cleared: 1 });
		expect(receiver().requests()).toEqual([]);
		await fetchIt(`${url}/b`);
		expect(receiver().requests()[0].seq).toBe(first + 1);
		expect(receiver().clear()).toBe(1);
		expect((await fetchIt(`${url}/__sandbox/requests`)).json).toEqual([]);
	});

	test('requests() hands out copies: changing them does not change the recording', async () => {
		await fetchIt(`${url}/a`);
		const copy = receiver().requests();
		copy[0].path = '/changed';
		expect(receiver().requests()[0].path).toBe('/a');
	});

	test('GET /__sandbox/health answers 200; unknown control paths 404, not recorded', async () => {
		expect(await fetchIt(`${url}/__sandbox/health`)).toMatchObject({ status: 200, json: { ok: true, service: 'receiver' } });
		expect((await fetchIt(`${url}/__sandbox/nope`)).status).toBe(404);
		expect(receiver().requests()).toEqual([]);
	});

	test('POST /__sandbox/reset clears requests and faults', async () => {
		await fetchIt(`${url}/a`);
		receiver().fault({ status: 500 });
		const answer = await fetchIt(`${url}/__sandbox/reset`, { method: 'POST' });
		expect(answer).toMatchObject({ status: 200, json: { cleared: 1 } });
		expect(receiver().requests()).toEqual([]);
		expect(receiver().faults()).toEqual([]);
	});
});

describe('faults', () => {
	const statuses = async (count: number, path = '/x', method = 'GET') => {
		const answers: Answer[] = [];
		for (let i = 0; i < count; i++) answers.push(await fetchIt(`${url}${path}`, { method }));
		return answers.map((answer) => answer.status);
	};

	test('{status, count} over HTTP: that many requests get the status, then the service answers again; all are recorded with `fault`', async () => {
		const added = await fetchIt(`${url}/__sandbox/faults`, { method: 'POST', body: { status: 500, count: 2 } });
		expect(added.status).toBe(201);
		expect(added.json).toEqual({ id: expect.any(Number), status: 500, count: 2, remaining: 2 });
		expect((await fetchIt(`${url}/__sandbox/faults`)).json).toEqual([added.json]);

		const first = await fetchIt(`${url}/x`);
		expect(first.status).toBe(500);
		expect(first.json).toEqual({ error: 'Injected fault', status: 500 });
		expect(receiver().faults()).toEqual([{ ...added.json, remaining: 1 }]);
		expect(await statuses(2)).toEqual([500, 200]);
		expect(receiver().faults()).toEqual([]);

		const recorded = receiver().requests();
		expect(recorded.map((entry) => entry.status)).toEqual([500, 500, 200]);
		expect(recorded[0].fault).toEqual({ rules: [added.json.id], status: 500 });
		expect(recorded[2].fault).toBeUndefined();
	});

	test('{status: 429, retryAfter: 1, count: 1} answers 429 with Retry-After: 1; retryAfter alone means 429', async () => {
		receiver().fault({ status: 429, retryAfter: 1, count: 1 });
		const limited = await fetchIt(`${url}/x`);
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('1');
		expect((await fetchIt(`${url}/x`)).status).toBe(200);

		expect(receiver().fault({ retryAfter: 3, count: 1 })).toMatchObject({ status: 429, retryAfter: 3 });
		const again = await fetchIt(`${url}/x`);
		expect(again.status).toBe(429);
		expect(again.headers['retry-after']).toBe('3');
	});

	test('a fault may carry its own body (JSON or text) and headers', async () => {
		receiver().fault({ status: 503, body: { down: true }, headers: { 'X-Why': 'maintenance' }, count: 1 });
		receiver().fault({ status: 502, body: 'upstream gone', count: 1 });
		const json = await fetchIt(`${url}/x`);
		expect(json).toMatchObject({ status: 503, json: { down: true } });
		expect(json.headers['x-why']).toBe('maintenance');
		const text = await fetchIt(`${url}/x`);
		expect(text).toMatchObject({ status: 502, text: 'upstream gone' });
		expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
	});

	test('{latencyMs} delays every request (lower bound only) and the service still answers; recorded with latencyMs', async () => {
		receiver().fault({ latencyMs: 120 });
		for (let i = 0; i < 2; i++) {
			const started = Date.now();
			const answer = await fetchIt(`${url}/slow`);
			expect(Date.now() - started).toBeGreaterThanOrEqual(110);
			expect(answer.status).toBe(200);
		}
		expect(receiver().faults()).toHaveLength(1);
		expect(receiver().requests()[0].fault).toEqual({ rules: [expect.any(Number)], latencyMs: 120 });
	});

	test('latency combines with a status rule after it', async () => {
		receiver().fault({ latencyMs: 60, count: 1 });
		receiver().fault({ status: 500, count: 1 });
		const started = Date.now();
		expect((await fetchIt(`${url}/x`)).status).toBe(500);
		expect(Date.now() - started).toBeGreaterThanOrEqual(50);
		expect(receiver().requests()[0].fault).toEqual({ rules: [expect.any(Number), expect.any(Number)], latencyMs: 60, status: 500 });
	});

	test('{drop: true, count: 1} destroys the connection without an answer; the next request is answered', async () => {
		receiver().fault({ drop: true, count: 1 });
		await expectFailure(fetchIt(`${url}/x`, { method: 'POST', body: { a: 1 } }), 'ECONNRESET');
		expect((await fetchIt(`${url}/x`)).status).toBe(200);
		const [dropped, answered] = receiver().requests();
		expect(dropped).toMatchObject({ method: 'POST', rawBody: '{"a":1}', fault: { rules: [expect.any(Number)], drop: true } });
		expect(dropped.status).toBeUndefined();
		expect(answered.status).toBe(200);
	});

	test('{ratio, status, seed} faults a share of requests, the same ones for the same seed', async () => {
		const pattern = async (seed: number) => {
			receiver().reset();
			receiver().fault({ ratio: 0.2, status: 500, seed });
			return await statuses(60);
		};
		const first = await pattern(42);
		const second = await pattern(42);
		const other = await pattern(7);
		expect(second).toEqual(first);
		expect(other).not.toEqual(first);
		const faulted = first.filter((status) => status === 500).length;
		expect(faulted).toBeGreaterThan(0);
		expect(faulted).toBeLessThan(60);
		expect(new Set(first)).toEqual(new Set([200, 500]));
	});

	test('ratio 0 never applies, ratio 1 always does', async () => {
		receiver().fault({ ratio: 0, status: 500 });
		expect(await statuses(5)).toEqual([200, 200, 200, 200, 200]);
		receiver().reset();
		receiver().fault({ ratio: 1, status: 503 });
		expect(await statuses(3)).toEqual([503, 503, 503]);
	});

	test('match {method, path} limits a rule; a trailing * matches a path prefix; the query is ignored', async () => {
		receiver().fault({ status: 500, match: { method: 'post', path: '/orders' } });
		receiver().fault({ status: 404, match: { path: '/api/*' } });
		expect(await statuses(1, '/orders', 'GET')).toEqual([200]);
		expect(await statuses(1, '/orders?x=1', 'POST')).toEqual([500]);
		expect(await statuses(1, '/orders/1', 'POST')).toEqual([200]);
		expect(await statuses(1, '/api/v1/things', 'PUT')).toEqual([404]);
		expect(await statuses(1, '/apix', 'PUT')).toEqual([200]);
	});

	test('a count only goes down for requests the rule applied to', async () => {
		receiver().fault({ status: 500, count: 1, match: { path: '/only' } });
		expect(await statuses(2, '/other')).toEqual([200, 200]);
		expect(await statuses(2, '/only')).toEqual([500, 200]);
	});

	test('DELETE /__sandbox/faults and clearFaults() remove every rule', async () => {
		receiver().fault({ status: 500 });
		receiver().fault({ status: 501 });
		expect((await fetchIt(`${url}/__sandbox/faults`, { method: 'DELETE' })).json).toEqual({ cleared: 2 });
		expect(await statuses(1)).toEqual([200]);
		receiver().fault({ status: 500 });
		expect(receiver().clearFaults()).toBe(1);
		expect(await statuses(1)).toEqual([200]);
	});

	test('POST /__sandbox/faults accepts an array of rules', async () => {
		const added = await fetchIt(`${url}/__sandbox/faults`, { method: 'POST', body: [{ status: 500, count: 1 }, { status: 502, count: 1 }] });
		expect(added.status).toBe(201);
		expect(added.json).toHaveLength(2);
		expect(await statuses(3)).toEqual([500, 502, 200]);
	});

	test.each([
		['not JSON', '{status', 'The body must be a JSON fault object (or an array of them)'],
		['no effect', { count: 2 }, 'A fault needs at least one of "status", "retryAfter", "latencyMs" or "drop": true'],
		['unknown field', { status: 500, times: 2 }, 'Unknown fault field "times" (allowed: status, body, headers, retryAfter, latencyMs, drop, count, ratio, seed, match, processAbandoned)'],
		['bad status', { status: 700 }, 'Fault field "status" must be an HTTP status (100-599)'],
		['bad ratio', { status: 500, ratio: 2 }, 'Fault field "ratio" must be between 0 and 1'],
		['bad count', { status: 500, count: 0 }, 'Fault field "count" must be a whole number >= 1'],
		['bad match', { status: 500, match: { host: 'x' } }, 'Unknown match field "host" (allowed: method, path)'],
	])('a malformed fault (%s) is refused with 400 and what is wrong', async (_name, body, error) => {
		const answer = await fetchIt(`${url}/__sandbox/faults`, { method: 'POST', body });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({ error });
		expect(receiver().faults()).toEqual([]);
		if (typeof body !== 'string') expect(() => receiver().fault(body as never)).toThrow(error);
	});

	test('control requests are never faulted', async () => {
		receiver().fault({ status: 500 });
		expect((await call(`${url}/__sandbox/health`, { ca: sandbox.ca.pem })).status).toBe(200);
		expect((await fetchIt(`${url}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
	});
});
