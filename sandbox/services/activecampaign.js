'use strict';

/**
 * Fake ActiveCampaign API v3 for n8n's built-in ActiveCampaign Trigger (n8n-nodes-base.activeCampaignTrigger,
 * credential activeCampaignApi {apiUrl = this service's url, apiKey}); docs: /work/shared/docs/api-facts.md
 * section 4 and 6. What that trigger and credential call:
 *   GET    /api/3/fields                      credential test -> {fieldOptions, fieldRels, fields, meta}
 *   GET    /api/3/webhook/events?limit&offset  event catalogue -> {webhookEvents: [...], meta: {total}}
 *   POST   /api/3/webhooks {webhook: {name, url, events, sources, listid?}} -> 201 {webhook: {cdate, listid, name, url, events, sources, links, id}}
 *   GET    /api/3/webhooks[?filters[name|url|listid]]  -> {webhooks, meta: {total}}
 *   GET    /api/3/webhooks/{id}               -> {webhook} / 404 {"message": "No Result found for Webhook with id N"}
 *   PUT    /api/3/webhooks/{id}               -> {webhook}
 *   DELETE /api/3/webhooks/{id}               -> 200 {} / 404
 * Auth: header Api-Token = options.apiKey, else 403 {"message": "No Result found for Subscriber with id 0"}
 * (what ActiveCampaign is reported to answer for a missing or wrong key; unconfirmed).
 * Validation errors: 422 {errors: [{title, detail, code, source: {pointer}}]}; an https url must use port 443
 * (as ActiveCampaign requires), except on loopback hosts so local targets work.
 *
 * Sender: fire({event, contact, list?, initiated_by?, initiated_from?, date_time?}) POSTs the event, form-encoded
 * with PHP-style bracket keys, to every active webhook whose events include it (and whose sources include
 * initiated_by, and whose listid is 0 or the list). A 410 answer deactivates the webhook (as ActiveCampaign does).
 * Nothing is retried.
 *
 * Options: { apiKey = 'sandbox-activecampaign-key', webhooks = [webhook bodies to start with] }
 * Control: POST /__sandbox/activecampaign/fire, GET /__sandbox/activecampaign/webhooks, GET /__sandbox/activecampaign/sent.
 * JS: fire(spec), webhooks(), addWebhook(webhook), sent(), eventBody(spec) (the form string only).
 */

const http = require('node:http');
const https = require('node:https');

const EVENTS = [
	'account_add', 'account_contact_add', 'account_contact_update', 'account_update', 'bounce', 'click', 'contact_tag_added',
	'contact_tag_removed', 'contact_task_add', 'deal_add', 'deal_note_add', 'deal_pipeline_add', 'deal_stage_add', 'deal_task_add',
	'deal_task_complete', 'deal_tasktype_add', 'deal_update', 'forward', 'list_add', 'open', 'reply', 'sent', 'share', 'sms_reply',
	'sms_sent', 'sms_unsub', 'subscribe', 'subscriber_note', 'unsubscribe', 'update',
];
const SOURCES = ['public', 'admin', 'api', 'system'];
/** Local targets (a local n8n, the receiver service) are exempt from the https-port-443 rule. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** @typedef {Record<string, any>} Json */

/** @param {unknown} value */
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** ISO 8601 with a numeric offset, as ActiveCampaign writes dates: 2026-11-23T11:40:12+00:00. */
const acDate = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** @param {string} title @param {string} code @param {string} pointer */
const fieldError = (title, code, pointer) => ({ title, detail: '', code, source: { pointer } });

/**
 * @param {string} url @param {Record<string, string>} headers @param {string} body
 * @returns {Promise<{ status: number, headers: Record<string, any>, body: string }>}
 */
function post(url, headers, body) {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const client = target.protocol === 'https:' ? https : http;
		const req = client.request(target, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: false, rejectUnauthorized: false, timeout: 30_000 });
		req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
		req.on('error', reject);
		req.on('response', (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('error', reject);
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.end(body);
	});
}

/**
 * The event as ActiveCampaign posts it: application/x-www-form-urlencoded, PHP bracket keys, in this order:
 * type, date_time, initiated_by, initiated_from, list, contact[id], contact[email], contact[first_name],
 * contact[last_name], contact[phone], contact[ip], contact[tags], contact[fields][<id>]..., then any other
 * contact keys. Missing contact values are sent empty (as PHP's http_build_query sends '').
 * @param {Json} spec @param {string} contactId
 */
function eventForm(spec, contactId) {
	const contact = isObject(spec.contact) ? spec.contact : {};
	const form = new URLSearchParams();
	form.append('type', String(spec.event));
	form.append('date_time', String(spec.date_time ?? acDate()));
	form.append('initiated_by', String(spec.initiated_by ?? 'admin'));
	form.append('initiated_from', String(spec.initiated_from ?? spec.initiated_by ?? 'admin'));
	form.append('list', String(spec.list ?? '0'));
	form.append('contact[id]', contactId);
	for (const key of ['email', 'first_name', 'last_name', 'phone', 'ip']) form.append(`contact[${key}]`, contact[key] === undefined || contact[key] === null ? '' : String(contact[key]));
	form.append('contact[tags]', Array.isArray(contact.tags) ? contact.tags.join(', ') : String(contact.tags ?? ''));
	if (isObject(contact.fields)) for (const [id, value] of Object.entries(contact.fields)) form.append(`contact[fields][${id}]`, value === null || value === undefined ? '' : String(value));
	for (const [key, value] of Object.entries(contact)) {
		if (['id', 'email', 'first_name', 'last_name', 'phone', 'ip', 'tags', 'fields'].includes(key)) continue;
		form.append(`contact[${key}]`, value === null || value === undefined ? '' : String(value));
	}
	return form.toString();
}

module.exports = {
	name: 'activecampaign',
	EVENTS,
	/** @param {import('../lib/host').ServiceContext} ctx */
	create(ctx) {
		const apiKey = String(ctx.options.apiKey ?? 'sandbox-activecampaign-key');
		/** @type {Json[]} */
		let hooks = [];
		/** @type {Map<string, string>} email -> contact id */
		let contacts = new Map();
		/** @type {Json[]} */
		let sent = [];
		let nextHook = 1;
		let nextContact = 1;

		/** Validates a {webhook} body; returns the errors (empty when fine). @param {unknown} body @param {boolean} partial */
		const check = (body, partial) => {
			if (!isObject(body) || !isObject(/** @type {Json} */ (body).webhook)) return [fieldError('The request body must hold a "webhook" object', 'invalid', '/data')];
			const hook = /** @type {Json} */ (body).webhook;
			const errors = [];
			if (!partial || hook.name !== undefined) if (typeof hook.name !== 'string' || hook.name.trim() === '') errors.push(fieldError('The name field is required', 'field_missing', '/data/attributes/name'));
			if (!partial || hook.url !== undefined) {
				let url;
				try {
					url = new URL(String(hook.url ?? ''));
				} catch {
					url = undefined;
				}
				if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) errors.push(fieldError('The url field must be a valid URL', 'field_invalid', '/data/attributes/url'));
				else if (url.protocol === 'https:' && url.port !== '' && url.port !== '443' && !LOOPBACK.test(url.hostname)) errors.push(fieldError('Webhooks to https URLs can only be sent on port 443', 'field_invalid', '/data/attributes/url'));
			}
			if (!partial || hook.events !== undefined) {
				if (!Array.isArray(hook.events) || hook.events.length === 0) errors.push(fieldError('The events field is required', 'field_missing', '/data/attributes/events'));
				else for (const event of hook.events) if (!EVENTS.includes(event)) errors.push(fieldError(`The event "${String(event)}" is not a valid webhook event`, 'field_invalid', '/data/attributes/events'));
			}
			if (hook.sources !== undefined) {
				if (!Array.isArray(hook.sources)) errors.push(fieldError('The sources field must be an array', 'field_invalid', '/data/attributes/sources'));
				else for (const source of hook.sources) if (!SOURCES.includes(source)) errors.push(fieldError(`The source "${String(source)}" is not valid`, 'field_invalid', '/data/attributes/sources'));
			}
			return errors;
		};

		/** @param {Json} hook */
		const view = (hook) => ({ cdate: hook.cdate, listid: hook.listid, name: hook.name, url: hook.url, events: [...hook.events], sources: [...hook.sources], links: [], id: hook.id });

		/** @param {Json} webhook (already checked) */
		const addWebhook = (webhook) => {
			const errors = check({ webhook }, false);
			if (errors.length > 0) throw new Error(`Invalid webhook: ${errors.map((error) => error.title).join('; ')}`);
			const hook = { cdate: acDate(), listid: String(webhook.listid ?? '0'), name: webhook.name, url: webhook.url, events: [...webhook.events], sources: [...(webhook.sources ?? [])], id: String(nextHook++), active: true };
			hooks.push(hook);
			return hook;
		};

		/** @param {Json} spec */
		const fire = async (spec) => {
			if (!isObject(spec) || typeof spec.event !== 'string' || !EVENTS.includes(spec.event)) throw new Error(`"event" must be one of ${EVENTS.join(', ')}`);
			const contact = isObject(spec.contact) ? spec.contact : {};
			const email = String(contact.email ?? '').toLowerCase();
			let contactId = contact.id === undefined ? (email ? contacts.get(email) : undefined) : String(contact.id);
			if (contactId === undefined) {
				contactId = String(nextContact++);
				if (email) contacts.set(email, contactId);
			}
			const by = String(spec.initiated_by ?? 'admin');
			const list = String(spec.list ?? '0');
			const body = eventForm(spec, contactId);
			const targets = hooks.filter((hook) => hook.active && hook.events.includes(spec.event) && (hook.sources.length === 0 || hook.sources.includes(by)) && (hook.listid === '0' || hook.listid === list));
			const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
			const answers = [];
			for (const hook of targets) {
				/** @type {Json} */
				let answer;
				try {
					answer = await post(hook.url, headers, body);
				} catch (error) {
					answer = { status: 0, headers: {}, body: '', error: String(/** @type {Error} */ (error).message) };
				}
				if (answer.status === 410) hook.active = false;
				const entry = { webhookId: hook.id, url: hook.url, ...answer, deactivated: answer.status === 410 };
				sent.push({ event: spec.event, webhookId: hook.id, url: hook.url, body, status: answer.status });
				answers.push(entry);
			}
			return { event: spec.event, body, contactId, delivered: answers };
		};

		ctx.control('POST', '/fire', async (req, res) => {
			let spec;
			try {
				spec = JSON.parse(req.rawBody || '{}');
			} catch {
				return ctx.json(res, 400, { error: 'The body must be a JSON object' });
			}
			try {
				return ctx.json(res, 200, await fire(spec));
			} catch (error) {
				return ctx.json(res, 400, { error: String(/** @type {Error} */ (error).message) });
			}
		});
		ctx.control('GET', '/webhooks', (_req, res) => ctx.json(res, 200, hooks.map((hook) => ({ ...view(hook), active: hook.active }))));
		ctx.control('GET', '/sent', (_req, res) => ctx.json(res, 200, sent));

		const reset = () => {
			hooks = [];
			contacts = new Map();
			sent = [];
			nextHook = 1;
			nextContact = 1;
			for (const webhook of ctx.options.webhooks ?? []) addWebhook(webhook);
		};
		reset();

		/** @type {import('../lib/host').ServiceInstance} */
		const instance = {
			/** @type {import('../lib/host').Handler} */
			handle(req, res) {
				if (req.headers['api-token'] !== apiKey) return ctx.json(res, 403, { message: 'No Result found for Subscriber with id 0' });
				const path = req.pathname.replace(/\/+$/, '');
				const method = req.method;
				const notAllowed = (/** @type {string} */ allow) => ctx.json(res, 405, { message: `Method ${method} not allowed` }, { Allow: allow });
				let body;
				if (method === 'POST' || method === 'PUT') {
					try {
						body = JSON.parse(req.rawBody || 'null');
					} catch {
						return ctx.json(res, 400, { message: 'The request body is not valid JSON' });
					}
				}
				if (path === '/api/3/fields') {
					if (method !== 'GET') return notAllowed('GET');
					return ctx.json(res, 200, { fieldOptions: [], fieldRels: [], fields: [], meta: { total: '0' } });
				}
				if (path === '/api/3/webhook/events') {
					if (method !== 'GET') return notAllowed('GET');
					const limit = Math.max(1, Math.min(100, Number(req.query.get('limit') ?? 20) || 20));
					const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
					return ctx.json(res, 200, { webhookEvents: EVENTS.slice(offset, offset + limit), meta: { total: EVENTS.length } });
				}
				if (path === '/api/3/webhooks') {
					if (method === 'GET') {
						const byName = req.query.get('filters[name]');
						const byUrl = req.query.get('filters[url]');
						const byList = req.query.get('filters[listid]');
						const found = hooks.filter((hook) => (byName === null || hook.name === byName) && (byUrl === null || hook.url === byUrl) && (byList === null || hook.listid === byList));
						return ctx.json(res, 200, { webhooks: found.map(view), meta: { total: String(found.length) } });
					}
					if (method !== 'POST') return notAllowed('GET, POST');
					const errors = check(body, false);
					if (errors.length > 0) return ctx.json(res, 422, { errors });
					return ctx.json(res, 201, { webhook: view(addWebhook(/** @type {Json} */ (body).webhook)) });
				}
				const match = /^\/api\/3\/webhooks\/([^/]+)$/.exec(path);
				if (match) {
					const id = decodeURIComponent(match[1]);
					const hook = hooks.find((entry) => entry.id === id);
					if (!hook) return ctx.json(res, 404, { message: `No Result found for Webhook with id ${id}` });
					if (method === 'GET') return ctx.json(res, 200, { webhook: view(hook) });
					if (method === 'DELETE') {
						hooks = hooks.filter((entry) => entry !== hook);
						return ctx.json(res, 200, {});
					}
					if (method === 'PUT') {
						const errors = check(body, true);
						if (errors.length > 0) return ctx.json(res, 422, { errors });
						const changes = /** @type {Json} */ (body).webhook;
						for (const key of ['name', 'url', 'events', 'sources']) if (changes[key] !== undefined) hook[key] = Array.isArray(changes[key]) ? [...changes[key]] : changes[key];
						if (changes.listid !== undefined) hook.listid = String(changes.listid);
						return ctx.json(res, 200, { webhook: view(hook) });
					}
					return notAllowed('GET, PUT, DELETE');
				}
				return ctx.json(res, 404, { message: 'No Result found for route' });
			},
			reset,
			faultBody: (status) => ({ message: `Injected by the sandbox (${status})` }),
			info: ({ url }) => ({ apiUrl: url, apiKey }),
			api: {
				/** Registers an event delivery (see above); resolves to {event, body, contactId, delivered: [{webhookId, url, status, headers, body, deactivated}]}. */
				fire,
				/** The registered webhooks (copies, with `active`). */
				webhooks: () => hooks.map((hook) => ({ ...view(hook), active: hook.active })),
				/** Registers a webhook without a request ({name, url, events, sources?, listid?}); returns it. */
				addWebhook: (/** @type {Json} */ webhook) => ({ ...view(addWebhook(webhook)), active: true }),
				/** The form body fire() would send for a spec (contact id from contact.id, else '1'). */
				eventBody: (/** @type {Json} */ spec) => eventForm(spec, String(spec?.contact?.id ?? '1')),
				/** Every delivery made so far: {event, webhookId, url, body, status}. */
				sent: () => JSON.parse(JSON.stringify(sent)),
			},
		};
		return instance;
	},
};
