import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';

/** The sandbox's JS API as the tests use it (sandbox/ is plain JavaScript without declarations). */
export interface RecordedRequest {
	seq: number;
	time: string;
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	body: unknown;
	status?: number;
	/** `abandoned`: the client had gone when a `processAbandoned` wait ended; `processed`: the status the service then gave it. */
	fault?: { rules: number[]; latencyMs?: number; status?: number; drop?: boolean; abandoned?: boolean; processed?: number };
}

export interface FaultSpec {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	retryAfter?: number;
	latencyMs?: number;
	drop?: boolean;
	count?: number;
	ratio?: number;
	seed?: number;
	match?: { method?: string; path?: string };
}

export interface ServiceHandle {
	name: string;
	url: string;
	port: number;
	host: string;
	protocol: 'http' | 'https';
	requests(options?: { since?: number }): RecordedRequest[];
	clear(): number;
	fault(spec: FaultSpec): FaultSpec & { id: number; remaining?: number };
	faults(): Array<FaultSpec & { id: number; remaining?: number }>;
	clearFaults(): number;
	reset(): number;
	[extra: string]: unknown;
}

export interface OmnisendHandle extends ServiceHandle {
	baseUrl: string;
	apiKey: string;
	contacts(): Array<Record<string, unknown>>;
	addContact(body: unknown): Record<string, unknown>;
	events(): Array<Record<string, unknown>>;
}

export interface ReceiverHandle extends ServiceHandle {
	respond(answer: { status?: number; body?: unknown; headers?: Record<string, string> }): unknown;
}

export interface Sandbox {
	ca: { certPath: string; pem: string; dir: string };
	services: { omnisend: OmnisendHandle; receiver: ReceiverHandle } & Record<string, ServiceHandle>;
	stop(): Promise<void>;
	toJSON(): { ca: string; dir: string; services: Record<string, Record<string, unknown>> };
}

export interface StartOptions {
	services?: string[];
	dir?: string;
	host?: string;
	ports?: Record<string, number>;
	options?: Record<string, Record<string, unknown>>;
	http?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { startSandbox, serviceNames } = require('../../sandbox') as {
	startSandbox(options?: StartOptions): Promise<Sandbox>;
	serviceNames(): string[];
};

/** sandbox/runner/until.js: polls `probe` until it returns something other than undefined. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { until } = require('../../sandbox/runner/until') as {
	until: <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number, everyMs?: number) => Promise<T>;
};

export interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	/** The body parsed as JSON (undefined when empty or not JSON). */
	json: any;
}

export interface CallOptions {
	method?: string;
	headers?: Record<string, string>;
	/** An object is sent as JSON (with Content-Type application/json); a string as is. */
	body?: unknown;
	/** CA to trust (PEM); default: the sandbox's, passed by the caller. */
	ca?: string;
}

/** One request on its own connection (no keep-alive), so nothing stays open after a test. */
export async function call(url: string, options: CallOptions = {}): Promise<Answer> {
	const target = new URL(url);
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	let payload: string | undefined;
	if (options.body !== undefined) {
		payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		if (typeof options.body !== 'string' && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
			headers['Content-Type'] = 'application/json';
		}
		// Node sends a DELETE body without framing unless the length is given.
		headers['Content-Length'] = String(Buffer.byteLength(payload));
	}
	const client = target.protocol === 'https:' ? https : http;
	const req = client.request(target, { method: options.method ?? 'GET', headers, agent: false, ca: options.ca });
	// nock's socket wrapper can report one failure more than once: later reports are ignored.
	req.on('error', () => undefined);
	req.end(payload);
	let res: http.IncomingMessage;
	try {
		[res] = (await once(req, 'response')) as [http.IncomingMessage];
	} catch (error) {
		req.destroy();
		throw error;
	}
	const chunks: Buffer[] = [];
	for await (const chunk of res) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.statusCode ?? 0, headers: res.headers, text, json };
}

/** Makes `call` trust a sandbox's CA by default. */
export function caller(sandbox: Sandbox) {
	return async (url: string, options: CallOptions = {}) => await call(url, { ca: sandbox.ca.pem, ...options });
}

const MESSAGES: Record<string, RegExp> = {
	ECONNREFUSED: /ECONNREFUSED/,
	ECONNRESET: /ECONNRESET|socket hang up/,
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: /unable to verify the first certificate/,
};

/**
 * Expects a request to fail without an answer for this reason. nock (loaded by the harness setup)
 * wraps client sockets and may pass errors on without their `code`, so the message counts too.
 */
export async function expectFailure(request: Promise<unknown>, code: keyof typeof MESSAGES | string) {
	let failure: { code?: unknown; message?: unknown } | undefined;
	try {
		await request;
	} catch (error) {
		failure = error as typeof failure;
	}
	expect(failure).toBeDefined();
	const matched = failure?.code === code || (MESSAGES[code]?.test(String(failure?.message)) ?? false);
	if (!matched) throw new Error(`Expected a failure ${code}, got ${String(failure?.code)}: ${String(failure?.message)}`);
}
