'use strict';

/**
 * Fake Acumatica contract-based REST API (docs: /work/shared/docs/api-facts.md section 2 and 6).
 * The credential's Instance URL is the service URL itself.
 *
 *   POST /entity/auth/login   {name, password, tenant|company, branch?, locale?} -> 204 + Set-Cookie
 *                             (.ASPXAUTH, ASP.NET_SessionId, UserBranch, Locale); wrong credentials -> 500
 *                             "Invalid credentials"; more than maxSessions open sessions -> 500 "API Login Limit"
 *   POST /entity/auth/logout  -> 204, ends the session of the cookie (if any)
 *   POST /identity/connect/token  (grant_type=password, client_id=<id>@<tenant>, client_secret, username,
 *                             password, scope containing api) -> {access_token, token_type: Bearer, expires_in: 3600, scope}
 *   /entity/{endpoint}/{version}/{Entity}...   needs the session cookie or a Bearer token (else 401)
 *     PUT    /{Entity}[?$filter]        upsert by id, by key fields (or the first $filter match); 200 + record;
 *                                       If-None-Match: * / If-Match: * -> 412 when the record exists / does not;
 *                                       422 (entity echo with per-field "error") when a required field is empty
 *     GET    /{Entity}?$filter&$top&$skip&$select   list (no paging links; stop when a page is short)
 *     GET    /{Entity}/{id-guid} | /{Entity}/{key1}[/{key2}]   200 / 404
 *     DELETE same paths -> 204 / 404
 *     POST   /{Entity}/{Action} {entity, parameters} -> 202 + Location .../{Entity}/{Action}/status/{id};
 *            GET that Location -> 202 while running (options.actionPolls times), then 204
 *   Unknown endpoint name/version -> 404. Flat (unwrapped) field values -> 400.
 *
 * Options: { username = 'admin', password = 'sandbox-acumatica-password', tenant = 'Company' (null = any),
 *   endpoints = [{ name: 'Default', version: '24.200.001' }], maxSessions = 2 (trial licence),
 *   sessionIdleMs = 600000 (a session not logged out holds its seat this long after its last use),
 *   clientId = 'sandbox-client', clientSecret = 'sandbox-client-secret', requestsPerMinute = 0 (0 = no limit),
 *   actionPolls = 1, entities = { Name: { keys: [...], generated?: 'KeyField', required: [...] } } (merged with
 *   Customer, Contact, Lead, SalesOrder), records = { Entity: [wrapped records to start with] } }
 * Control: GET|DELETE /__sandbox/acumatica/sessions (DELETE expires them all),
 *   GET|POST|DELETE /__sandbox/acumatica/records?entity=Name; JS: sessions(), stats(), expireSessions(),
 *   records(entity), addRecord(entity, record).
 */

const crypto = require('node:crypto');

const { parseFilter, FilterError, fieldValue } = require('../lib/odata-filter');

const SYSTEM_FIELDS = new Set(['id', 'rowNumber', 'note', 'custom', 'files', '_links', 'delete']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @typedef {Record<string, any>} Json */
/** @typedef {{ keys: string[], generated?: string, required: string[] }} EntitySpec */

/** @type {Record<string, EntitySpec>} */
const DEFAULT_ENTITIES = {
	Customer: { keys: ['CustomerID'], required: ['CustomerName'] },
	Contact: { keys: ['ContactID'], generated: 'ContactID', required: ['LastName'] },
	Lead: { keys: ['LeadID'], generated: 'LeadID', required: ['LastName'] },
	SalesOrder: { keys: ['OrderType', 'OrderNbr'], required: ['CustomerID'] },
};

/** Display name of a field for messages: 'LastName' -> 'Last Name'. @param {string} field */
const label = (field) => field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ID$/, ' ID').replace(/\s+/g, ' ').trim();

/** @param {unknown} value */
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** An ASP.NET-style error body. @param {string} message @param {string} [exceptionMessage] */
const error = (message, exceptionMessage) =>
	exceptionMessage === undefined ? { message } : { message, exceptionMessage, exceptionType: 'PX.Data.PXException', stackTrace: null };

/**
 * Finds an unwrapped field value ("Field": "x" instead of {"value": "x"}), anywhere in the record.
 * @param {Json} record
 * @param {string} prefix
 * @returns {string | undefined} the path of the first one
 */
function flatField(record, prefix = '') {
	for (const [key, value] of Object.entries(record)) {
		if (SYSTEM_FIELDS.has(key)) continue;
		const path = `${prefix}${key}`;
		if (Array.isArray(value)) {
			for (const [index, line] of value.entries()) {
				if (!isObject(line)) return `${path}[${index}]`;
				const inner = flatField(line, `${path}[${index}]/`);
				if (inner) return inner;
			}
		} else if (isObject(value)) {
			if ('value' in value) continue;
			const inner = flatField(value, `${path}/`);
			if (inner) return inner;
		} else {
			return path;
		}
	}
	return undefined;
}

/** Deep merge of wrapped records (detail arrays are replaced). @param {Json} target @param {Json} source */
function merge(target, source) {
	for (const [key, value] of Object.entries(source)) {
		if (key === 'id' || key === 'rowNumber' || key === '_links') continue;
		if (isObject(value) && !('value' in value) && isObject(target[key])) merge(target[key], value);
		else target[key] = JSON.parse(JSON.stringify(value));
	}
	return target;
}

module.exports = {
	name: 'acumatica',
	/** @param {import('../lib/host').ServiceContext} ctx */
	create(ctx) {
		const o = ctx.options;
		const username = String(o.username ?? 'admin');
		const password = String(o.password ?? 'sandbox-acumatica-password');
		const tenant = o.tenant === null ? null : String(o.tenant ?? 'Company');
		/** @type {Array<{ name: string, version: string }>} */
		const endpoints = o.endpoints ?? [{ name: 'Default', version: '24.200.001' }];
		const maxSessions = Number(o.maxSessions ?? 2);
		const sessionIdleMs = Number(o.sessionIdleMs ?? 600_000);
		const clientId = String(o.clientId ?? 'sandbox-client');
		const clientSecret = String(o.clientSecret ?? 'sandbox-client-secret');
		const requestsPerMinute = Number(o.requestsPerMinute ?? 0);
		const actionPolls = Number(o.actionPolls ?? 1);
		/** @type {Record<string, EntitySpec>} */
		const entities = { ...DEFAULT_ENTITIES, ...(o.entities ?? {}) };

		/** @type {Map<string, { id: string, user: string, tenant: string | null, branch: string | null, createdAt: number, lastUsedAt: number }>} */
		let sessions = new Map();
		/** @type {Map<string, { expiresAt: number, user: string }>} */
		let tokens = new Map();
		let stats = { logins: 0, failedLogins: 0, refusedForLimit: 0, logouts: 0, tokens: 0 };
		/** @type {Record<string, Json[]>} */
		let store = {};
		/** @type {Map<string, { polls: number }>} */
		let actions = new Map();
		/** @type {number[]} */
		let hits = [];
		let nextNumber = 1;

		const expire = () => {
			const now = Date.now();
			for (const [key, session] of sessions) if (now - session.lastUsedAt > sessionIdleMs) sessions.delete(key);
			for (const [key, token] of tokens) if (token.expiresAt <= now) tokens.delete(key);
		};

		/** @param {string | string[] | undefined} header */
		const cookies = (header) => {
			/** @type {Record<string, string>} */
			const jar = {};
			for (const pair of String(header ?? '').split(';')) {
				const at = pair.indexOf('=');
				if (at > 0) jar[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
			}
			return jar;
		};

		/** The session or token a request carries, if still valid. @param {import('../lib/host').SandboxRequest} req */
		const authOf = (req) => {
			expire();
			const auth = String(req.headers.authorization ?? '');
			if (/^Bearer /i.test(auth)) return tokens.has(auth.slice(7).trim()) ? { kind: 'token' } : undefined;
			const session = sessions.get(cookies(req.headers.cookie)['.ASPXAUTH'] ?? '');
			if (!session) return undefined;
			session.lastUsedAt = Date.now();
			return { kind: 'session', session };
		};

		/** @param {string} entity */
		const recordsOf = (entity) => (store[entity] ??= []);

		/** @param {string} entity @param {Json} record @param {string} base */
		const view = (entity, record, base) => {
			const copy = JSON.parse(JSON.stringify(record));
			copy._links = { self: `${base}/${entity}/${record.id}`, files: `${base}/files/PX.Objects.${entity}/${record.id}` };
			return copy;
		};

		/** @param {string} entity @param {Json} record */
		const keyValues = (entity, record) => entities[entity].keys.map((key) => fieldValue(record, key));

		/** @param {string} entity @param {unknown[]} keys */
		const byKeys = (entity, keys) =>
			recordsOf(entity).find((record) => keyValues(entity, record).every((value, index) => String(value ?? '').toLowerCase() === String(keys[index] ?? '').toLowerCase()));

		/**
		 * Saves a validated record; returns the stored one, or the 422 body.
		 * @param {string} entity
		 * @param {Json} body
		 * @param {Json | undefined} existing
		 * @returns {{ saved?: Json, invalid?: Json }}
		 */
		const save = (entity, body, existing) => {
			const spec = entities[entity];
			const candidate = merge(existing ? JSON.parse(JSON.stringify(existing)) : {}, body);
			if (!existing && spec.generated && fieldValue(candidate, spec.generated) === null) {
				candidate[spec.generated] = { value: nextNumber++ };
			}
			/** @type {Json} */
			const echo = JSON.parse(JSON.stringify(body));
			let failed = false;
			const mustHave = existing ? spec.required : [...new Set([...spec.keys.filter((key) => key !== spec.generated), ...spec.required])];
			for (const field of mustHave) {
				const value = fieldValue(candidate, field);
				if (value === null || value === undefined || String(value).trim() === '') {
					echo[field] = { ...(isObject(echo[field]) ? echo[field] : { value: null }), error: `'${label(field)}' cannot be empty.` };
					failed = true;
				}
			}
			if (failed) return { invalid: echo };
			const now = new Date().toISOString();
			if (existing) {
				for (const key of Object.keys(existing)) delete existing[key];
				Object.assign(existing, candidate, { LastModifiedDateTime: { value: now } });
				return { saved: existing };
			}
			const record = { id: crypto.randomUUID(), rowNumber: 1, note: { value: '' }, ...candidate, custom: {}, files: [], LastModifiedDateTime: { value: now } };
			recordsOf(entity).push(record);
			return { saved: record };
		};

		/** @param {string} entity @param {Json} record @returns {string | undefined} problem with the record */
		const checkRecord = (entity, record) => {
			if (!isObject(record)) return 'The record must be a JSON object';
			const flat = flatField(record);
			if (flat) return `Field '${flat}' must be sent as {"value": ...}`;
			if (!entities[entity]) return `Unknown entity ${entity}`;
			return undefined;
		};

		/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} [body] @param {Json} [headers] */
		const reply = (res, status, body, headers) => ctx.json(res, status, body, headers);

		/** @param {import('../lib/host').SandboxRequest} req @param {import('node:http').ServerResponse} res */
		const login = (req, res) => {
			/** @type {Json} */
			let body;
			try {
				body = JSON.parse(req.rawBody);
			} catch {
				return reply(res, 400, error('The request is invalid.', 'The login body must be JSON: {"name", "password", "tenant"}'));
			}
			const givenTenant = body?.tenant ?? body?.company;
			if (!isObject(body) || body.name !== username || body.password !== password || (tenant !== null && String(givenTenant ?? '').toLowerCase() !== tenant.toLowerCase())) {
				stats.failedLogins++;
				return reply(res, 500, error('An error has occurred.', 'Invalid credentials. Please try again.'));
			}
			expire();
			if (sessions.size >= maxSessions) {
				stats.refusedForLimit++;
				return reply(res, 500, error('An error has occurred.', `API Login Limit: the licence allows ${maxSessions} concurrent API users and all are signed in. Log out of a session or wait until it expires.`));
			}
			const id = crypto.randomBytes(24).toString('hex');
			const now = Date.now();
			sessions.set(id, { id, user: username, tenant: givenTenant ?? null, branch: body.branch ?? null, createdAt: now, lastUsedAt: now });
			stats.logins++;
			res.setHeader('Set-Cookie', [
				`ASP.NET_SessionId=${crypto.randomBytes(12).toString('hex')}; path=/; secure; HttpOnly; SameSite=Lax`,
				`UserBranch=${body.branch ? 2 : 1}; path=/; secure`,
				`Locale=Culture=${body.locale ?? 'en-US'}&TimeZone=GMTM0000G; path=/; secure`,
				`.ASPXAUTH=${id}; path=/; secure; HttpOnly`,
			]);
			return reply(res, 204);
		};

		/** @param {import('../lib/host').SandboxRequest} req @param {import('node:http').ServerResponse} res */
		const logout = (req, res) => {
			const id = cookies(req.headers.cookie)['.ASPXAUTH'] ?? '';
			if (sessions.delete(id)) stats.logouts++;
			res.setHeader('Set-Cookie', ['.ASPXAUTH=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; secure; HttpOnly']);
			return reply(res, 204);
		};

		/** @param {import('../lib/host').SandboxRequest} req @param {import('node:http').ServerResponse} res */
		const token = (req, res) => {
			const form = new URLSearchParams(req.rawBody);
			if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
				return reply(res, 400, { error: 'invalid_request', error_description: 'Use application/x-www-form-urlencoded' });
			}
			if (form.get('grant_type') !== 'password') return reply(res, 400, { error: 'unsupported_grant_type' });
			const expectedClient = tenant === null ? clientId : `${clientId}@${tenant}`;
			if (form.get('client_id') !== expectedClient || form.get('client_secret') !== clientSecret) return reply(res, 400, { error: 'invalid_client' });
			if (form.get('username') !== username || form.get('password') !== password) return reply(res, 400, { error: 'invalid_grant', error_description: 'invalid_username_or_password' });
			const scopes = String(form.get('scope') ?? '').split(/\s+/);
			if (!scopes.includes('api')) return reply(res, 400, { error: 'invalid_scope' });
			const accessToken = crypto.randomBytes(32).toString('hex');
			tokens.set(accessToken, { expiresAt: Date.now() + 3_600_000, user: username });
			stats.tokens++;
			return reply(res, 200, { access_token: accessToken, expires_in: 3600, token_type: 'Bearer', scope: scopes.join(' ') });
		};

		/**
		 * /entity/{endpoint}/{version}/...
		 * @param {import('../lib/host').SandboxRequest} req
		 * @param {import('node:http').ServerResponse} res
		 * @param {string[]} parts path segments after /entity/
		 */
		const entityApi = (req, res, parts) => {
			const [endpointName, version, entity, ...rest] = parts.map((part) => decodeURIComponent(part));
			if (!endpoints.some((endpoint) => endpoint.name === endpointName && endpoint.version === version)) {
				return reply(res, 404, error(`No HTTP resource was found that matches the request URI '${req.origin}${req.pathname}'.`));
			}
			if (!authOf(req)) return reply(res, 401, error('You are not logged in.'));
			if (requestsPerMinute > 0) {
				const now = Date.now();
				hits = hits.filter((time) => time > now - 60_000);
				if (hits.length >= requestsPerMinute) {
					return reply(res, 429, error('The number of requests has exceeded the limit imposed by the license.'));
				}
				hits.push(now);
			}
			const base = `/entity/${endpointName}/${version}`;
			if (!entity || !entities[entity]) return reply(res, 404, error(`Entity '${entity ?? ''}' was not found on endpoint ${endpointName}/${version}.`));
			const spec = entities[entity];
			const method = req.method;

			/** @returns {((record: Json) => boolean) | undefined | false} false after answering 400 */
			const filterOf = () => {
				const text = req.query.get('$filter');
				if (text === null) return undefined;
				try {
					return parseFilter(text);
				} catch (problem) {
					if (!(problem instanceof FilterError)) throw problem;
					reply(res, 400, error('The request is invalid.', `Invalid $filter: ${problem.message}`));
					return false;
				}
			};

			// Action status: /{Entity}/{Action}/status/{id}
			if (rest.length === 3 && rest[1] === 'status' && method === 'GET') {
				const action = actions.get(rest[2]);
				if (!action) return reply(res, 404, error('The action was not found.'));
				if (action.polls < actionPolls) {
					action.polls++;
					return reply(res, 202);
				}
				actions.delete(rest[2]);
				return reply(res, 204);
			}

			if (rest.length === 0) {
				if (method === 'PUT') {
					/** @type {Json} */
					let body;
					try {
						body = JSON.parse(req.rawBody);
					} catch {
						return reply(res, 400, error('The request is invalid.', 'The body is not valid JSON.'));
					}
					const bad = checkRecord(entity, body);
					if (bad) return reply(res, 400, error('The request is invalid.', bad));
					const filter = filterOf();
					if (filter === false) return;
					let existing;
					if (typeof body.id === 'string' && body.id !== '') {
						existing = recordsOf(entity).find((record) => record.id === body.id);
						if (!existing) return reply(res, 404, error(`No ${entity} with id ${body.id}.`));
					} else if (filter) {
						existing = recordsOf(entity).find(filter);
					} else {
						const keys = spec.keys.map((key) => fieldValue(body, key));
						if (keys.every((value) => value !== null && value !== undefined && value !== '')) existing = byKeys(entity, keys);
					}
					if (existing && req.headers['if-none-match'] === '*') return reply(res, 412, error('The record already exists.'));
					if (!existing && req.headers['if-match'] === '*') return reply(res, 412, error('The record was not found.'));
					const { saved, invalid } = save(entity, body, existing);
					if (invalid) return reply(res, 422, invalid);
					return reply(res, 200, view(entity, /** @type {Json} */ (saved), base));
				}
				if (method === 'GET') {
					const filter = filterOf();
					if (filter === false) return;
					const top = req.query.get('$top');
					const skip = req.query.get('$skip');
					for (const [name, value] of [['$top', top], ['$skip', skip]]) {
						if (value !== null && !/^\d+$/.test(String(value))) return reply(res, 400, error('The request is invalid.', `${name} must be a whole number`));
					}
					let found = recordsOf(entity).filter(filter ?? (() => true));
					found = found.slice(Number(skip ?? 0), top === null ? undefined : Number(skip ?? 0) + Number(top));
					const select = req.query.get('$select');
					return reply(
						res,
						200,
						found.map((record, index) => {
							const copy = view(entity, record, base);
							copy.rowNumber = index + 1;
							if (select === null) return copy;
							const fields = new Set(select.split(',').map((field) => field.trim().split('/')[0]));
							return Object.fromEntries(Object.entries(copy).filter(([key]) => SYSTEM_FIELDS.has(key) || fields.has(key)));
						}),
					);
				}
				return reply(res, 405, error(`The requested resource does not support http method '${method}'.`));
			}

			// POST /{Entity}/{Action}
			if (method === 'POST' && rest.length === 1) {
				/** @type {Json} */
				let body;
				try {
					body = JSON.parse(req.rawBody || '{}');
				} catch {
					return reply(res, 400, error('The request is invalid.', 'The body is not valid JSON.'));
				}
				if (!isObject(body) || !isObject(body.entity)) return reply(res, 400, error('The request is invalid.', 'The body must be {"entity": {...}, "parameters": {...}}'));
				const target = typeof body.entity.id === 'string' ? recordsOf(entity).find((record) => record.id === body.entity.id) : byKeys(entity, spec.keys.map((key) => fieldValue(body.entity, key)));
				if (!target) return reply(res, 404, error(`No ${entity} matches the entity of the action.`));
				const id = crypto.randomUUID();
				actions.set(id, { polls: 0 });
				return reply(res, 202, undefined, { Location: `${base}/${entity}/${rest[0]}/status/${id}` });
			}

			// /{Entity}/{id} or /{Entity}/{key1}/{key2}
			const record = rest.length === 1 && GUID.test(rest[0]) ? recordsOf(entity).find((entry) => entry.id === rest[0]) : rest.length === spec.keys.length ? byKeys(entity, rest) : undefined;
			if (method === 'GET') {
				if (!record) return reply(res, 404, error(`No ${entity} matches the keys.`));
				return reply(res, 200, view(entity, record, base));
			}
			if (method === 'DELETE') {
				if (!record) return reply(res, 404, error(`No ${entity} matches the keys.`));
				store[entity] = recordsOf(entity).filter((entry) => entry !== record);
				return reply(res, 204);
			}
			return reply(res, 405, error(`The requested resource does not support http method '${method}'.`));
		};

		const seed = () => {
			for (const [entity, records] of Object.entries(o.records ?? {})) for (const record of /** @type {Json[]} */ (records)) addRecord(entity, record);
		};

		/** @param {string} entity @param {Json} record */
		const addRecord = (entity, record) => {
			const bad = checkRecord(entity, record);
			if (bad) throw new Error(bad);
			const keys = entities[entity].keys.map((key) => fieldValue(record, key));
			const existing = keys.every((value) => value !== null && value !== undefined) ? byKeys(entity, keys) : undefined;
			const { saved, invalid } = save(entity, record, existing);
			if (invalid) throw new Error(`Invalid ${entity}: ${JSON.stringify(invalid)}`);
			return JSON.parse(JSON.stringify(saved));
		};

		const reset = () => {
			sessions = new Map();
			tokens = new Map();
			stats = { logins: 0, failedLogins: 0, refusedForLimit: 0, logouts: 0, tokens: 0 };
			store = {};
			actions = new Map();
			hits = [];
			nextNumber = 1;
			seed();
		};
		seed();

		const sessionList = () => {
			expire();
			return [...sessions.values()].map((session) => ({ ...session, createdAt: new Date(session.createdAt).toISOString(), lastUsedAt: new Date(session.lastUsedAt).toISOString() }));
		};
		const expireSessions = () => {
			const count = sessions.size + tokens.size;
			sessions.clear();
			tokens.clear();
			return count;
		};

		ctx.control('GET', '/sessions', (_req, res) => ctx.json(res, 200, { sessions: sessionList(), stats }));
		ctx.control('DELETE', '/sessions', (_req, res) => ctx.json(res, 200, { expired: expireSessions() }));
		ctx.control('GET', '/records', (req, res) => {
			const entity = req.query.get('entity');
			ctx.json(res, 200, entity ? recordsOf(entity) : store);
		});
		ctx.control('POST', '/records', (req, res) => {
			try {
				ctx.json(res, 201, addRecord(String(req.query.get('entity')), JSON.parse(req.rawBody)));
			} catch (problem) {
				ctx.json(res, 400, { error: String(/** @type {Error} */ (problem).message) });
			}
		});
		ctx.control('DELETE', '/records', (_req, res) => {
			store = {};
			ctx.json(res, 200, { cleared: true });
		});

		/** @type {import('../lib/host').ServiceInstance} */
		const instance = {
			handle(req, res) {
				const path = req.pathname;
				if (path === '/entity/auth/login') return req.method === 'POST' ? login(req, res) : reply(res, 405, error('Use POST'));
				if (path === '/entity/auth/logout') return req.method === 'POST' ? logout(req, res) : reply(res, 405, error('Use POST'));
				if (path === '/identity/connect/token') return req.method === 'POST' ? token(req, res) : reply(res, 405, error('Use POST'));
				const parts = path.split('/').filter(Boolean);
				if (parts[0] === 'entity' && parts.length >= 3) return entityApi(req, res, parts.slice(1));
				return reply(res, 404, error(`No HTTP resource was found that matches the request URI '${req.origin}${path}'.`));
			},
			reset,
			faultBody: (status) =>
				status === 429 ? error('The number of requests has exceeded the limit imposed by the license.') : error('An error has occurred.', `Injected by the sandbox (${status})`),
			info: ({ url }) => ({
				instanceUrl: url,
				endpointUrl: `${url}/entity/${endpoints[0].name}/${endpoints[0].version}`,
				username,
				password,
				tenant,
				clientId,
				clientSecret,
			}),
			api: {
				/** Open sessions (expired ones dropped). */
				sessions: sessionList,
				/** Counters: logins, failedLogins, refusedForLimit, logouts, tokens. */
				stats: () => ({ ...stats, active: sessionList().length }),
				/** Ends every session and token (as if they timed out); returns how many. */
				expireSessions,
				/** Stored records of an entity (copies). */
				records: (/** @type {string} */ entity) => JSON.parse(JSON.stringify(recordsOf(entity))),
				/** Upserts a wrapped record without a request (throws if invalid); returns it. */
				addRecord,
			},
		};
		return instance;
	},
};
