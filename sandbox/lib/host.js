'use strict';

/**
 * Runs one service on its own loopback port: reads each request fully, serves the shared control
 * API under /__sandbox/, records every other request, applies fault rules, then hands the request
 * to the service's handler.
 */

const http = require('node:http');
const https = require('node:https');

const { Faults, FaultError } = require('./faults');

const MAX_BODY = 10 * 1024 * 1024;

/**
 * @typedef {object} RecordedRequest
 * @property {number} seq 1, 2, 3... per service, never reset (also not by clear)
 * @property {string} time ISO time the request was complete
 * @property {string} method
 * @property {string} path path with the query, exactly as sent
 * @property {Record<string, string | string[] | undefined>} headers lower-case names
 * @property {string} rawBody the body text exactly as sent ('' when none)
 * @property {unknown} body parsed JSON (for a JSON content type) or form (x-www-form-urlencoded), else null
 * @property {number} [status] the status answered (absent while pending, or when dropped)
 * @property {{ rules: number[], latencyMs?: number, status?: number, drop?: boolean, abandoned?: boolean, processed?: number }} [fault]
 *   fault rules that applied; `abandoned`: the client had gone when the wait ended; `processed`: handled all the
 *   same (processAbandoned), with the status the service answered (which nobody received)
 */

/**
 * The request as a service's handler sees it.
 * @typedef {object} SandboxRequest
 * @property {string} method
 * @property {string} path path with query
 * @property {string} pathname path without query
 * @property {URLSearchParams} query
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} rawBody
 * @property {unknown} body parsed JSON/form body or null (see RecordedRequest.body)
 * @property {string} origin `<scheme>://<Host header>` the client used (for links in answers)
 * @property {import('node:http').IncomingMessage} raw
 * @property {RecordedRequest | undefined} entry the recording (undefined for control requests)
 */

/**
 * @callback Handler
 * @param {SandboxRequest} req
 * @param {import('node:http').ServerResponse} res
 * @returns {void | Promise<void>}
 */

/**
 * What a service's create(ctx) returns: a handler, or an object with one and optional extras.
 * @typedef {object} ServiceInstance
 * @property {Handler} handle
 * @property {() => void} [reset] forget the service's state (POST /__sandbox/reset, sandbox.services.x.reset())
 * @property {Record<string, Function>} [api] extra JS control functions, merged into sandbox.services.<name>
 * @property {(base: { url: string, port: number }) => Record<string, unknown>} [info] extra descriptive fields (e.g. baseUrl, apiKey)
 * @property {(status: number, req: SandboxRequest, rule: import('./faults').FaultRule) => unknown} [faultBody] error body for injected statuses
 */

/**
 * @typedef {object} ServiceContext
 * @property {string} name
 * @property {Record<string, any>} options this service's options (startSandbox's options[name])
 * @property {Record<string, any>} state free storage for the service
 * @property {() => string} url the service's base URL (known once it listens)
 * @property {(res: import('node:http').ServerResponse, status: number, body?: unknown, headers?: Record<string, string | number>) => void} json
 *   answer with JSON (undefined body = empty answer)
 * @property {(res: import('node:http').ServerResponse, status: number, text: string, headers?: Record<string, string | number>) => void} send
 *   answer with text as is (set content-type in headers)
 * @property {(method: string, subpath: string, handler: Handler) => void} control
 *   add a control endpoint at /__sandbox/<name><subpath> (subpath like '/contacts'; method '*' = any)
 * @property {{ list: (since?: number) => RecordedRequest[], clear: () => number }} requests
 * @property {Faults} faults
 */

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} [body]
 * @param {Record<string, string | number>} [headers]
 */
function json(res, status, body, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	if (body === undefined) {
		res.writeHead(status, { 'Content-Length': 0, ...headers });
		res.end();
		return;
	}
	const text = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 * @param {Record<string, string | number>} [headers]
 */
function send(res, status, text, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, { 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/**
 * @param {string} rawBody
 * @param {string | undefined} contentType
 * @returns {unknown}
 */
function parseBody(rawBody, contentType) {
	const type = String(contentType ?? '').toLowerCase();
	if (rawBody === '') return null;
	if (/[/+]json\b/.test(type)) {
		try {
			return JSON.parse(rawBody);
		} catch {
			return null;
		}
	}
	if (type.includes('application/x-www-form-urlencoded')) {
		/** @type {Record<string, string | string[]>} */
		const form = {};
		for (const [key, value] of new URLSearchParams(rawBody)) {
			const had = form[key];
			form[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
		}
		return form;
	}
	return null;
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * Stands in for the response to a request whose client has gone: the service handles the request as
 * usual and its answer goes nowhere; `onStatus` learns the status it answered.
 * @param {(status: number) => void} onStatus
 * @returns {import('node:http').ServerResponse}
 */
function lostResponse(onStatus) {
	const res = {
		headersSent: false,
		destroyed: false,
		statusCode: 200,
		setHeader: () => res,
		getHeader: () => undefined,
		writeHead(/** @type {number} */ status) {
			res.statusCode = status;
			res.headersSent = true;
			onStatus(status);
			return res;
		},
		end: () => res,
	};
	return /** @type {any} */ (res);
}

/**
 * @param {object} params
 * @param {{ name: string, create: (ctx: ServiceContext) => Handler | ServiceInstance }} params.definition
 * @param {string} params.host
 * @param {number} params.port 0 = a free port
 * @param {{ cert: string, key: string } | null} params.tls null = plain http
 * @param {Record<string, any>} params.options
 */
async function startService({ definition, host, port, tls, options }) {
	const name = definition.name;
	/** @type {RecordedRequest[]} */
	let recorded = [];
	let seq = 0;
	const faults = new Faults();
	/** @type {Array<{ method: string, subpath: string, handler: Handler }>} */
	const controls = [];
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	/** @type {Set<{ timer: NodeJS.Timeout, resolve: () => void }>} */
	const waits = new Set();
	let stopping = false;
	let baseUrl = '';

	const copy = (/** @type {RecordedRequest[]} */ entries) => /** @type {RecordedRequest[]} */ (JSON.parse(JSON.stringify(entries)));
	const requests = {
		list: (/** @type {number | undefined} */ since) => copy(since === undefined ? recorded : recorded.filter((entry) => entry.seq > since)),
		clear: () => {
			const count = recorded.length;
			recorded = [];
			return count;
		},
	};

	/** @type {ServiceContext} */
	const ctx = {
		name,
		options,
		state: {},
		url: () => baseUrl,
		json,
		send,
		control: (method, subpath, handler) => controls.push({ method: method.toUpperCase(), subpath, handler }),
		requests,
		faults,
	};
	const created = definition.create(ctx);
	/** @type {ServiceInstance} */
	const service = typeof created === 'function' ? { handle: created } : created;

	const reset = () => {
		const cleared = requests.clear();
		faults.clear();
		service.reset?.();
		return cleared;
	};

	/** @param {number} ms */
	const delay = (ms) =>
		new Promise((resolve) => {
			if (stopping) return resolve(undefined);
			const wait = { timer: setTimeout(() => done(), ms), resolve: () => done() };
			const done = () => {
				clearTimeout(wait.timer);
				waits.delete(wait);
				resolve(undefined);
			};
			waits.add(wait);
		});

	/**
	 * @param {SandboxRequest} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function controlRequest(req, res) {
		const method = req.method;
		const path = req.pathname.replace(/\/+$/, '');
		if (path === '/__sandbox/health') return json(res, 200, { ok: true, service: name });
		if (path === '/__sandbox/requests') {
			if (method === 'GET') {
				const since = req.query.get('since');
				if (since !== null && !/^\d+$/.test(since)) return json(res, 400, { error: '"since" must be a sequence number' });
				return json(res, 200, requests.list(since === null ? undefined : Number(since)));
			}
			if (method === 'DELETE') return json(res, 200, { cleared: requests.clear() });
			return json(res, 405, { error: 'Use GET or DELETE' }, { Allow: 'GET, DELETE' });
		}
		if (path === '/__sandbox/faults') {
			if (method === 'GET') return json(res, 200, faults.list());
			if (method === 'DELETE') return json(res, 200, { cleared: faults.clear() });
			if (method === 'POST') {
				let spec;
				try {
					spec = JSON.parse(req.rawBody);
				} catch {
					return json(res, 400, { error: 'The body must be a JSON fault object (or an array of them)' });
				}
				try {
					const added = Array.isArray(spec) ? spec.map((one) => faults.add(one)) : faults.add(spec);
					return json(res, 201, added);
				} catch (error) {
					if (error instanceof FaultError) return json(res, 400, { error: error.message });
					throw error;
				}
			}
			return json(res, 405, { error: 'Use GET, POST or DELETE' }, { Allow: 'GET, POST, DELETE' });
		}
		if (path === '/__sandbox/reset') {
			if (method !== 'POST') return json(res, 405, { error: 'Use POST' }, { Allow: 'POST' });
			return json(res, 200, { cleared: reset() });
		}
		const prefix = `/__sandbox/${name}`;
		if (path === prefix || path.startsWith(`${prefix}/`)) {
			const subpath = path.slice(prefix.length) || '/';
			const found = controls.filter((entry) => entry.subpath === subpath);
			const handler = found.find((entry) => entry.method === method || entry.method === '*');
			if (handler) return await handler.handler(req, res);
			if (found.length > 0) return json(res, 405, { error: `Use ${found.map((entry) => entry.method).join(' or ')}` });
		}
		return json(res, 404, { error: `No sandbox control endpoint ${method} ${req.pathname}` });
	}

	/**
	 * @param {import('node:http').IncomingMessage} raw
	 * @param {import('node:http').ServerResponse} res
	 */
	async function onRequest(raw, res) {
		const rawBody = await readBody(raw);
		const url = new URL(raw.url ?? '/', 'http://sandbox.invalid');
		const hostHeader = raw.headers.host ?? `${host}:${port}`;
		/** @type {SandboxRequest} */
		const req = {
			method: String(raw.method).toUpperCase(),
			path: raw.url ?? '/',
			pathname: url.pathname,
			query: url.searchParams,
			headers: { ...raw.headers },
			rawBody,
			body: parseBody(rawBody, raw.headers['content-type']),
			origin: `${tls ? 'https' : 'http'}://${hostHeader}`,
			raw,
			entry: undefined,
		};
		if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) return await controlRequest(req, res);

		/** @type {RecordedRequest} */
		const entry = {
			seq: ++seq,
			time: new Date().toISOString(),
			method: req.method,
			path: req.path,
			headers: req.headers,
			rawBody,
			body: req.body,
		};
		req.entry = entry;
		recorded.push(entry);
		// The status is known when the head is written (an implicit head also goes through writeHead),
		// before the client can see the answer.
		const writeHead = res.writeHead;
		res.writeHead = /** @type {typeof res.writeHead} */ (
			function (/** @type {any[]} */ ...args) {
				const result = writeHead.apply(res, /** @type {any} */ (args));
				entry.status = res.statusCode;
				return result;
			}
		);

		const decision = faults.decide(req.method, req.pathname);
		if (decision.rules.length > 0) {
			entry.fault = { rules: decision.rules };
			if (decision.latencyMs > 0) entry.fault.latencyMs = decision.latencyMs;
		}
		if (decision.latencyMs > 0) await delay(decision.latencyMs);
		if (stopping) return;
		if (raw.socket.destroyed) {
			// The client gave up during the wait (its timeout): recorded; handled only if a rule asks (processAbandoned).
			if (entry.fault) entry.fault.abandoned = true;
			if (!decision.processAbandoned || decision.action || !entry.fault) return;
			const fault = entry.fault;
			fault.processed = 0;
			await service.handle(req, lostResponse((status) => (fault.processed = status)));
			return;
		}
		const rule = decision.action;
		if (rule && entry.fault) {
			if (rule.drop) {
				entry.fault.drop = true;
				raw.socket.destroy();
				return;
			}
			const status = /** @type {number} */ (rule.status);
			entry.fault.status = status;
			/** @type {Record<string, string | number>} */
			const headers = { ...(rule.headers ?? {}) };
			if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
			const body = rule.body !== undefined ? rule.body : service.faultBody ? service.faultBody(status, req, rule) : { error: 'Injected fault', status };
			if (typeof body === 'string') return send(res, status, body, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
			return json(res, status, body, headers);
		}
		await service.handle(req, res);
	}

	const listener = (/** @type {import('node:http').IncomingMessage} */ raw, /** @type {import('node:http').ServerResponse} */ res) => {
		onRequest(raw, res).catch((/** @type {unknown} */ error) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			json(res, 500, { error: `Sandbox service "${name}" failed`, message: String(/** @type {Error} */ (error)?.message ?? error) });
		});
	};
	const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, listener) : http.createServer(listener);
	server.keepAliveTimeout = 5000;
	const track = (/** @type {import('node:net').Socket} */ socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	};
	server.on('connection', track);
	server.on('secureConnection', track);
	server.on('tlsClientError', () => undefined);
	server.on('clientError', (_error, socket) => socket.destroy());

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const hostInUrl = host.includes(':') ? `[${host}]` : host;
	baseUrl = `${tls ? 'https' : 'http'}://${hostInUrl}:${address.port}`;

	let closed = /** @type {Promise<void> | undefined} */ (undefined);
	const close = () =>
		(closed ??= new Promise((resolve) => {
			stopping = true;
			for (const wait of [...waits]) wait.resolve();
			server.close(() => resolve());
			server.closeAllConnections?.();
			for (const socket of sockets) socket.destroy();
		}));

	const handle = {
		name,
		url: baseUrl,
		port: address.port,
		host,
		protocol: tls ? 'https' : 'http',
		...(service.info ? service.info({ url: baseUrl, port: address.port }) : {}),
		/** Requests received, oldest first (copies); only those after `since` when given. */
		requests: (/** @type {{ since?: number }} */ { since } = {}) => requests.list(since),
		/** Forgets the recorded requests; returns how many there were. */
		clear: () => requests.clear(),
		/** Adds a fault rule (throws on a malformed one); returns it with its id. */
		fault: (/** @type {import('./faults').FaultSpec} */ spec) => faults.add(spec),
		/** Active fault rules. */
		faults: () => faults.list(),
		/** Removes every fault rule; returns how many there were. */
		clearFaults: () => faults.clear(),
		/** Clears requests and faults, and the service's own state. */
		reset,
		...(service.api ?? {}),
	};
	return { handle, close };
}

module.exports = { startService, json, send, parseBody };
