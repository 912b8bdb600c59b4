'use strict';

/**
 * Fake Omnisend API v5 (docs: /work/shared/docs/api-facts.md section 1 and 6), mounted at /v5 so
 * the credential's Base URL is `<url>/v5`. Covers the calls nodes/Omnisend makes:
 *   POST   /v5/events            202, empty body (also creates/updates the event's contact)
 *   POST   /v5/contacts          upsert keyed on the email identifier (phone when there is no email): 201 new / 200 existing
 *   GET    /v5/contacts          filters email, phone, status, tag, segmentID; limit (1-250, default 100), offset;
 *                                answer {contacts, paging: {previous, next, limit, offset}} with next/previous as absolute links (null at the ends)
 *   GET    /v5/contacts/{id}     200 contact / 404
 *   PATCH  /v5/contacts/{id}     200 contact; 404; 400 when the email would change; 409 when the phone belongs to another contact
 *   POST   /v5/contacts/tags     202, adds tags   ({contactIDs|emails|phones: [...], tags: [...]}, applied at once)
 *   DELETE /v5/contacts/tags     202, removes tags
 * Auth: X-API-KEY must equal options.apiKey, else 401. Errors are RFC 9457 problem bodies
 * ({type, title, status, detail, instance}); 400 validation adds errors: [{field, code, message}].
 * Rate limit: sliding window of options.windowMs (60 s): more than options.ratePerMinute (400) authenticated
 * requests, or options.tagsRatePerMinute (60) tag requests, in the window answer 429 with Retry-After and
 * a body retryAfter; every authenticated answer carries X-Rate-Limit-Limit/-Remaining/-Reset.
 *
 * Options: { apiKey = 'sandbox-omnisend-key', ratePerMinute = 400 (0 = off), tagsRatePerMinute = 60 (0 = off),
 *            windowMs = 60000, contacts?: [POST /contacts bodies to start with] }
 * Control: GET|POST|DELETE /__sandbox/omnisend/contacts, GET /__sandbox/omnisend/events,
 *          POST /__sandbox/omnisend/rate-limit {ratePerMinute} (new limit, empty window)
 *          (JS: contacts(), addContact(body), events(), rateLimit(perMinute)).
 */

const crypto = require('node:crypto');

const DEFAULT_API_KEY = 'sandbox-omnisend-key';
const PROBLEMS = 'https://problems.omnisend.com';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[1-9]\d{1,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[4-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}(T| )\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const STATUSES = ['subscribed', 'unsubscribed', 'nonSubscribed'];
const TEXT_FIELDS = ['firstName', 'lastName', 'country', 'countryCode', 'state', 'city', 'address', 'postalCode', 'gender', 'birthdate'];

/** @typedef {{ field: string, code: string, message: string }} FieldError */
/** @typedef {Record<string, any>} Json */

/**
 * A sliding-window log limiter.
 * @param {number} limit 0 = unlimited
 * @param {number} windowMs
 */
function slidingWindow(limit, windowMs) {
	/** @type {number[]} */
	let hits = [];
	return {
		limit,
		/** @param {number} now */
		room(now) {
			hits = hits.filter((time) => time > now - windowMs);
			return limit <= 0 || hits.length < limit;
		},
		/** @param {number} now */
		take(now) {
			hits.push(now);
		},
		/** @param {number} now @returns {number} whole seconds until the oldest hit leaves the window */
		resetSeconds(now) {
			return hits.length === 0 ? Math.ceil(windowMs / 1000) : Math.max(1, Math.ceil((hits[0] + windowMs - now) / 1000));
		},
		remaining() {
			return limit <= 0 ? Infinity : Math.max(0, limit - hits.length);
		},
		clear() {
			hits = [];
		},
		/** A new limit with an empty window (0 = off). @param {number} next */
		setLimit(next) {
			limit = next;
			this.limit = next;
			hits = [];
		},
	};
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** @param {unknown} value */
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * @param {number} status
 * @param {string} slug
 * @param {string} title
 * @param {string} detail
 * @param {Json} [extra]
 */
function problem(status, slug, title, detail, extra = {}) {
	return { type: `${PROBLEMS}/${slug}`, title, status, detail, instance: `urn:omnisend:request:${crypto.randomUUID()}`, ...extra };
}

const TITLES = /** @type {Record<number, [string, string]>} */ ({
	400: ['bad-request', 'Bad Request'],
	401: ['unauthorized', 'Unauthorized'],
	403: ['forbidden', 'Forbidden'],
	404: ['not-found', 'Not Found'],
	405: ['method-not-allowed', 'Method Not Allowed'],
	409: ['conflict', 'Conflict'],
	429: ['rate-limit-exceeded', 'Too Many Requests'],
	500: ['internal-server-error', 'Internal Server Error'],
	502: ['bad-gateway', 'Bad Gateway'],
	503: ['service-unavailable', 'Service Unavailable'],
	504: ['gateway-timeout', 'Gateway Timeout'],
});

/**
 * Validates the contact attributes shared by contact writes and an event's contact.
 * @param {Json} body
 * @param {string} prefix field name prefix for errors ('' or 'contact.')
 * @param {FieldError[]} errors
 */
function checkAttributes(body, prefix, errors) {
	const fail = (/** @type {string} */ field, /** @type {string} */ code, /** @type {string} */ message) =>
		errors.push({ field: `${prefix}${field}`, code, message });
	for (const field of TEXT_FIELDS) {
		if (body[field] !== undefined && typeof body[field] !== 'string') fail(field, 'invalid_type', `${field} must be a string`);
	}
	for (const field of ['firstName', 'lastName']) {
		if (typeof body[field] === 'string' && body[field].length > 50) fail(field, 'too_long', `${field} must be at most 50 characters`);
	}
	if (typeof body.gender === 'string' && !['m', 'f'].includes(body.gender)) fail('gender', 'invalid_value', 'gender must be "m" or "f"');
	if (typeof body.birthdate === 'string' && !(DATE.test(body.birthdate) && !Number.isNaN(Date.parse(body.birthdate)))) {
		fail('birthdate', 'invalid_format', 'birthdate must be YYYY-MM-DD');
	}
	if (typeof body.countryCode === 'string' && !/^[A-Za-z]{2}$/.test(body.countryCode)) {
		fail('countryCode', 'invalid_format', 'countryCode must be an ISO 3166-1 alpha-2 code');
	}
	if (body.tags !== undefined) {
		if (!Array.isArray(body.tags) || body.tags.some((/** @type {unknown} */ tag) => typeof tag !== 'string')) {
			fail('tags', 'invalid_type', 'tags must be an array of strings');
		} else if (body.tags.length > 100) {
			fail('tags', 'too_many', 'a contact can have at most 100 tags');
		}
	}
	if (body.customProperties !== undefined && !isObject(body.customProperties)) {
		fail('customProperties', 'invalid_type', 'customProperties must be an object');
	}
}

/**
 * @param {unknown} identifiers
 * @param {FieldError[]} errors
 * @param {boolean} required
 */
function checkIdentifiers(identifiers, errors, required) {
	if (identifiers === undefined && !required) return;
	if (!Array.isArray(identifiers) || identifiers.length === 0) {
		errors.push({ field: 'identifiers', code: 'required', message: 'identifiers must be a non-empty array of {type, id}' });
		return;
	}
	identifiers.forEach((identifier, index) => {
		const at = `identifiers[${index}]`;
		if (!isObject(identifier)) {
			errors.push({ field: at, code: 'invalid_type', message: 'an identifier must be an object' });
			return;
		}
		const { type, id, channels } = identifier;
		if (type !== 'email' && type !== 'phone') {
			errors.push({ field: `${at}.type`, code: 'invalid_value', message: 'type must be "email" or "phone"' });
			return;
		}
		if (typeof id !== 'string' || id === '') {
			errors.push({ field: `${at}.id`, code: 'required', message: 'id is required' });
		} else if (type === 'email' && !EMAIL.test(id)) {
			errors.push({ field: `${at}.id`, code: 'invalid_format', message: 'id must be a valid email address' });
		} else if (type === 'phone' && !PHONE.test(id)) {
			errors.push({ field: `${at}.id`, code: 'invalid_format', message: 'id must be a phone number in E.164 format (+ and up to 15 digits)' });
		}
		if (channels !== undefined) {
			const channel = type === 'email' ? 'email' : 'sms';
			if (!isObject(channels) || Object.keys(channels).some((key) => key !== channel)) {
				errors.push({ field: `${at}.channels`, code: 'invalid_value', message: `channels of a ${type} identifier may only hold "${channel}"` });
			} else if (channels[channel] !== undefined) {
				const status = channels[channel]?.status;
				if (!STATUSES.includes(status)) {
					errors.push({ field: `${at}.channels.${channel}.status`, code: 'invalid_value', message: `status must be one of ${STATUSES.join(', ')}` });
				}
				const statusDate = channels[channel]?.statusDate;
				if (statusDate !== undefined && (typeof statusDate !== 'string' || Number.isNaN(Date.parse(statusDate)))) {
					errors.push({ field: `${at}.channels.${channel}.statusDate`, code: 'invalid_format', message: 'statusDate must be an RFC 3339 date-time' });
				}
			}
		}
		if (identifier.sendWelcomeMessage !== undefined && typeof identifier.sendWelcomeMessage !== 'boolean') {
			errors.push({ field: `${at}.sendWelcomeMessage`, code: 'invalid_type', message: 'sendWelcomeMessage must be a boolean' });
		}
		if (identifier.consent !== undefined && !isObject(identifier.consent)) {
			errors.push({ field: `${at}.consent`, code: 'invalid_type', message: 'consent must be an object' });
		}
	});
}

module.exports = {
	name: 'omnisend',
	/** @param {import('../lib/host').ServiceContext} ctx */
	create(ctx) {
		const apiKey = String(ctx.options.apiKey ?? DEFAULT_API_KEY);
		const windowMs = Number(ctx.options.windowMs ?? 60_000);
		const brandLimit = slidingWindow(Number(ctx.options.ratePerMinute ?? 400), windowMs);
		const tagsLimit = slidingWindow(Number(ctx.options.tagsRatePerMinute ?? 60), windowMs);
		/** @type {Json[]} */
		let contacts = [];
		/** @type {Json[]} */
		let events = [];

		const byId = (/** @type {string} */ id) => contacts.find((contact) => contact.contactID === id);
		const byEmail = (/** @type {string} */ email) => contacts.find((contact) => contact.email === email.toLowerCase());
		const byPhone = (/** @type {string} */ phone) => contacts.find((contact) => contact.phone === phone);

		/** A copy for answers. @param {Json} contact */
		const view = (contact) => JSON.parse(JSON.stringify(contact));

		/** @param {Json} contact */
		const refreshStatus = (contact) => {
			const email = contact.identifiers.find((/** @type {Json} */ id) => id.type === 'email');
			const phone = contact.identifiers.find((/** @type {Json} */ id) => id.type === 'phone');
			contact.status = email?.channels?.email?.status ?? phone?.channels?.sms?.status ?? 'nonSubscribed';
		};

		/**
		 * Sets an identifier on a contact (replacing one of the same type).
		 * @param {Json} contact
		 * @param {Json} identifier
		 */
		const setIdentifier = (contact, identifier) => {
			const id = identifier.type === 'email' ? String(identifier.id).toLowerCase() : String(identifier.id);
			const channel = identifier.type === 'email' ? 'email' : 'sms';
			const old = contact.identifiers.find((/** @type {Json} */ entry) => entry.type === identifier.type);
			/** @type {Json} */
			const next = { type: identifier.type, id, channels: old && old.id === id ? old.channels : { [channel]: { status: 'nonSubscribed', statusDate: now() } } };
			if (identifier.channels?.[channel]) {
				next.channels = { [channel]: { status: identifier.channels[channel].status, statusDate: identifier.channels[channel].statusDate ?? now() } };
			}
			if (identifier.consent) next.consent = identifier.consent;
			contact.identifiers = [...contact.identifiers.filter((/** @type {Json} */ entry) => entry.type !== identifier.type), next];
			contact[identifier.type] = id;
		};

		/** @param {Json} contact @param {Json} body */
		const applyAttributes = (contact, body) => {
			for (const field of TEXT_FIELDS) if (body[field] !== undefined) contact[field] = body[field];
			if (body.tags !== undefined) contact.tags = [...new Set(/** @type {string[]} */ (body.tags))];
			if (body.customProperties !== undefined) contact.customProperties = { ...contact.customProperties, ...body.customProperties };
		};

		const newContact = () => {
			const time = now();
			/** @type {Json} */
			const contact = { contactID: crypto.randomBytes(12).toString('hex'), identifiers: [], tags: [], customProperties: {}, createdAt: time, updatedAt: time };
			return contact;
		};

		/**
		 * POST /contacts semantics on an already validated body.
		 * @param {Json} body
		 * @returns {{ created: boolean, contact: Json }}
		 */
		const upsert = (body) => {
			/** @type {Json[]} */
			const identifiers = body.identifiers;
			const email = identifiers.find((entry) => entry.type === 'email');
			const phone = identifiers.find((entry) => entry.type === 'phone');
			// Keyed on the email identifier; a phone only picks the contact when there is no email.
			let contact = email ? byEmail(email.id) : byPhone(phone?.id);
			const created = !contact;
			if (!contact) {
				contact = newContact();
				contacts.push(contact);
			}
			for (const identifier of identifiers) {
				const owner = identifier.type === 'email' ? byEmail(identifier.id) : byPhone(identifier.id);
				// Two contacts cannot share an identifier: a conflicting one is silently ignored.
				if (owner && owner !== contact) continue;
				setIdentifier(contact, identifier);
			}
			applyAttributes(contact, body);
			contact.updatedAt = now();
			refreshStatus(contact);
			return { created, contact };
		};

		/** @param {string} raw @returns {{ body?: Json, error?: Json }} */
		const parseJson = (raw) => {
			if (raw.trim() === '') {
				return { error: problem(400, 'validation-error', 'Bad Request', 'The request body is empty; send a JSON object', { errors: [{ field: 'body', code: 'required', message: 'body is required' }] }) };
			}
			let body;
			try {
				body = JSON.parse(raw);
			} catch (error) {
				return { error: problem(400, 'invalid-json', 'Bad Request', `The request body is not valid JSON: ${/** @type {Error} */ (error).message}`) };
			}
			if (!isObject(body)) {
				return { error: problem(400, 'validation-error', 'Bad Request', 'The request body must be a JSON object', { errors: [{ field: 'body', code: 'invalid_type', message: 'body must be an object' }] }) };
			}
			return { body };
		};

		/** @param {FieldError[]} errors */
		const validationProblem = (errors) =>
			problem(400, 'validation-error', 'Bad Request', `Request validation failed: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`, { errors });

		const PROBLEM_TYPE = { 'Content-Type': 'application/problem+json' };

		/** @typedef {(req: import('../lib/host').SandboxRequest, res: import('node:http').ServerResponse, reply: (status: number, body?: unknown, headers?: Json) => void, id?: string) => void} Route */

		/** @type {Route} */
		const postEvent = (req, _res, reply) => {
			const { body, error } = parseJson(req.rawBody);
			if (!body) return reply(400, error);
			/** @type {FieldError[]} */
			const errors = [];
			if (typeof body.eventName !== 'string' || body.eventName.trim() === '') errors.push({ field: 'eventName', code: 'required', message: 'eventName is required' });
			if (typeof body.origin !== 'string' || body.origin.trim() === '') errors.push({ field: 'origin', code: 'required', message: 'origin is required' });
			if (body.eventVersion !== undefined && typeof body.eventVersion !== 'string') errors.push({ field: 'eventVersion', code: 'invalid_type', message: 'eventVersion must be a string' });
			if (body.eventID !== undefined && (typeof body.eventID !== 'string' || !UUID.test(body.eventID))) {
				errors.push({ field: 'eventID', code: 'invalid_format', message: 'eventID must be a UUID (v4 to v7)' });
			}
			if (body.eventTime !== undefined && (typeof body.eventTime !== 'string' || !EVENT_TIME.test(body.eventTime) || Number.isNaN(Date.parse(body.eventTime.replace(' ', 'T'))))) {
				errors.push({ field: 'eventTime', code: 'invalid_format', message: 'eventTime must be RFC 3339 or YYYY-MM-DD HH:MM:SS+HH:MM' });
			}
			if (body.properties !== undefined && !isObject(body.properties)) errors.push({ field: 'properties', code: 'invalid_type', message: 'properties must be an object' });
			const contact = body.contact;
			if (!isObject(contact)) {
				errors.push({ field: 'contact', code: 'required', message: 'contact is required (with an email, phone or id)' });
			} else {
				if (![contact.email, contact.phone, contact.id].some((value) => typeof value === 'string' && value !== '')) {
					errors.push({ field: 'contact', code: 'required', message: 'contact needs at least one identifier: email, phone or id' });
				}
				if (contact.email !== undefined && (typeof contact.email !== 'string' || !EMAIL.test(contact.email))) {
					errors.push({ field: 'contact.email', code: 'invalid_format', message: 'email must be a valid email address' });
				}
				if (contact.phone !== undefined && (typeof contact.phone !== 'string' || !PHONE.test(contact.phone))) {
					errors.push({ field: 'contact.phone', code: 'invalid_format', message: 'phone must be in E.164 format (+ and up to 15 digits)' });
				}
				if (contact.id !== undefined && typeof contact.id !== 'string') errors.push({ field: 'contact.id', code: 'invalid_type', message: 'id must be a string' });
				checkAttributes(contact, 'contact.', errors);
			}
			if (errors.length > 0) return reply(400, validationProblem(errors));

			// Omnisend creates or updates the contact from the event (subscription statuses untouched).
			/** @type {Json[]} */
			const identifiers = [];
			if (contact.email) identifiers.push({ type: 'email', id: contact.email });
			if (contact.phone) identifiers.push({ type: 'phone', id: contact.phone });
			let contactID = typeof contact.id === 'string' && byId(contact.id) ? contact.id : undefined;
			if (!contactID && identifiers.length > 0) {
				const { email: _e, phone: _p, id: _i, ...attributes } = contact;
				contactID = upsert({ identifiers, ...attributes }).contact.contactID;
			}
			events.push({ ...JSON.parse(req.rawBody), receivedAt: now(), contactID: contactID ?? null });
			return reply(202);
		};

		/** @type {Route} */
		const postContact = (req, _res, reply) => {
			const { body, error } = parseJson(req.rawBody);
			if (!body) return reply(400, error);
			/** @type {FieldError[]} */
			const errors = [];
			checkIdentifiers(body.identifiers, errors, true);
			checkAttributes(body, '', errors);
			if (errors.length > 0) return reply(400, validationProblem(errors));
			const { created, contact } = upsert(body);
			return reply(created ? 201 : 200, view(contact));
		};

		/** @type {Route} */
		const listContacts = (req, _res, reply) => {
			const q = req.query;
			/** @type {FieldError[]} */
			const errors = [];
			const limit = q.get('limit') === null ? 100 : Number(q.get('limit'));
			const offset = q.get('offset') === null ? 0 : Number(q.get('offset'));
			if (!Number.isInteger(limit) || limit < 1 || limit > 250) errors.push({ field: 'limit', code: 'invalid_value', message: 'limit must be a whole number from 1 to 250' });
			if (!Number.isInteger(offset) || offset < 0) errors.push({ field: 'offset', code: 'invalid_value', message: 'offset must be a whole number >= 0' });
			const status = q.get('status');
			if (status !== null && !STATUSES.includes(status)) errors.push({ field: 'status', code: 'invalid_value', message: `status must be one of ${STATUSES.join(', ')}` });
			if (status !== null && q.get('tag') !== null) errors.push({ field: 'tag', code: 'invalid_combination', message: 'tag and status cannot be combined' });
			if (errors.length > 0) return reply(400, validationProblem(errors));

			let found = contacts;
			const email = q.get('email');
			const phone = q.get('phone');
			const tag = q.get('tag');
			if (email !== null) found = found.filter((contact) => contact.email === email.trim().toLowerCase());
			if (phone !== null) found = found.filter((contact) => contact.phone === phone.trim());
			if (status !== null) found = found.filter((contact) => contact.status === status);
			if (tag !== null) found = found.filter((contact) => contact.tags.includes(tag));
			// The sandbox has no segments: a segment filter finds nobody.
			if (q.get('segmentID') !== null) found = [];

			/** @param {number} at */
			const link = (at) => {
				const params = new URLSearchParams();
				for (const name of ['email', 'phone', 'status', 'tag', 'segmentID']) {
					const value = q.get(name);
					if (value !== null) params.set(name, value);
				}
				params.set('limit', String(limit));
				params.set('offset', String(at));
				return `${req.origin}/v5/contacts?${params}`;
			};
			const page = found.slice(offset, offset + limit);
			return reply(200, {
				contacts: page.map(view),
				paging: {
					previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
					next: offset + limit < found.length ? link(offset + limit) : null,
					limit,
					offset,
				},
			});
		};

		/** @type {Route} */
		const getContact = (_req, _res, reply, id) => {
			const contact = byId(String(id));
			if (!contact) return reply(404, problem(404, 'not-found', 'Not Found', `Contact ${id} was not found`));
			return reply(200, view(contact));
		};

		/** @type {Route} */
		const patchContact = (req, _res, reply, id) => {
			const contact = byId(String(id));
			if (!contact) return reply(404, problem(404, 'not-found', 'Not Found', `Contact ${id} was not found`));
			const { body, error } = parseJson(req.rawBody);
			if (!body) return reply(400, error);
			/** @type {FieldError[]} */
			const errors = [];
			checkIdentifiers(body.identifiers, errors, false);
			checkAttributes(body, '', errors);
			/** @type {Json[]} */
			const identifiers = Array.isArray(body.identifiers) ? body.identifiers : [];
			identifiers.forEach((identifier, index) => {
				if (identifier?.type === 'email' && contact.email && String(identifier.id).toLowerCase() !== contact.email) {
					errors.push({ field: `identifiers[${index}].id`, code: 'immutable', message: 'the email identifier of a contact cannot be changed' });
				}
			});
			if (errors.length > 0) return reply(400, validationProblem(errors));
			for (const identifier of identifiers) {
				const owner = identifier.type === 'email' ? byEmail(identifier.id) : byPhone(identifier.id);
				if (owner && owner !== contact) {
					return reply(409, problem(409, 'conflict', 'Conflict', `Another contact already has the ${identifier.type} identifier ${identifier.id}`));
				}
			}
			for (const identifier of identifiers) setIdentifier(contact, identifier);
			applyAttributes(contact, body);
			contact.updatedAt = now();
			refreshStatus(contact);
			return reply(200, view(contact));
		};

		/** @param {'add' | 'remove'} action @returns {Route} */
		const tagsRoute = (action) => (req, _res, reply) => {
			const { body, error } = parseJson(req.rawBody);
			if (!body) return reply(400, error);
			/** @type {FieldError[]} */
			const errors = [];
			const selectors = ['contactIDs', 'emails', 'phones'].filter((key) => body[key] !== undefined);
			for (const key of selectors) {
				if (!Array.isArray(body[key]) || body[key].length === 0 || body[key].some((/** @type {unknown} */ value) => typeof value !== 'string')) {
					errors.push({ field: key, code: 'invalid_type', message: `${key} must be a non-empty array of strings` });
				}
			}
			if (selectors.length === 0) errors.push({ field: 'contactIDs', code: 'required', message: 'one of contactIDs, emails or phones is required' });
			if (!Array.isArray(body.tags) || body.tags.length === 0 || body.tags.some((/** @type {unknown} */ tag) => typeof tag !== 'string' || tag === '')) {
				errors.push({ field: 'tags', code: 'required', message: 'tags must be a non-empty array of strings' });
			} else if (body.tags.length > 100) {
				errors.push({ field: 'tags', code: 'too_many', message: 'at most 100 tags' });
			}
			if (errors.length > 0) return reply(400, validationProblem(errors));
			/** @type {Set<Json>} */
			const targets = new Set();
			for (const id of body.contactIDs ?? []) if (byId(id)) targets.add(/** @type {Json} */ (byId(id)));
			for (const email of body.emails ?? []) if (byEmail(email)) targets.add(/** @type {Json} */ (byEmail(email)));
			for (const phone of body.phones ?? []) if (byPhone(phone)) targets.add(/** @type {Json} */ (byPhone(phone)));
			// Omnisend applies this asynchronously; the sandbox applies it before answering.
			for (const contact of targets) {
				contact.tags = action === 'add' ? [...new Set([...contact.tags, ...body.tags])] : contact.tags.filter((/** @type {string} */ tag) => !body.tags.includes(tag));
				contact.updatedAt = now();
			}
			return reply(202);
		};

		/** @type {Array<{ pattern: RegExp, methods: Record<string, Route>, tags?: boolean }>} */
		const routes = [
			{ pattern: /^\/v5\/events$/, methods: { POST: postEvent } },
			{ pattern: /^\/v5\/contacts\/tags$/, methods: { POST: tagsRoute('add'), DELETE: tagsRoute('remove') }, tags: true },
			{ pattern: /^\/v5\/contacts$/, methods: { POST: postContact, GET: listContacts } },
			{ pattern: /^\/v5\/contacts\/([^/]+)$/, methods: { GET: getContact, PATCH: patchContact } },
		];

		for (const body of ctx.options.contacts ?? []) upsert(body);

		ctx.control('GET', '/contacts', (_req, res) => ctx.json(res, 200, contacts.map(view)));
		ctx.control('POST', '/contacts', (req, res) => {
			const { body, error } = parseJson(req.rawBody);
			if (!body) return ctx.json(res, 400, error);
			/** @type {FieldError[]} */
			const errors = [];
			checkIdentifiers(body.identifiers, errors, true);
			checkAttributes(body, '', errors);
			if (errors.length > 0) return ctx.json(res, 400, validationProblem(errors));
			const { created, contact } = upsert(body);
			return ctx.json(res, created ? 201 : 200, view(contact));
		});
		ctx.control('DELETE', '/contacts', (_req, res) => {
			const cleared = contacts.length;
			contacts = [];
			ctx.json(res, 200, { cleared });
		});
		ctx.control('GET', '/events', (_req, res) => ctx.json(res, 200, events));
		/** @param {unknown} value */
		const setRate = (value) => {
			const next = Number(value);
			if (!Number.isInteger(next) || next < 0) throw new Error('ratePerMinute must be a whole number >= 0 (0 = off)');
			brandLimit.setLimit(next);
			return { ratePerMinute: next };
		};
		ctx.control('POST', '/rate-limit', (req, res) => {
			const { body, error } = parseJson(req.rawBody);
			if (!body) return ctx.json(res, 400, error);
			try {
				return ctx.json(res, 200, setRate(body.ratePerMinute));
			} catch (failure) {
				return ctx.json(res, 400, { error: /** @type {Error} */ (failure).message });
			}
		});

		/** @type {import('../lib/host').ServiceInstance} */
		const instance = {
			/** @type {import('../lib/host').Handler} */
			handle(req, res) {
				/** @type {Json} */
				const rateHeaders = {};
				const reply = (/** @type {number} */ status, /** @type {unknown} */ body, /** @type {Json} */ headers = {}) =>
					ctx.json(res, status, body, { ...rateHeaders, ...(status >= 400 && body !== undefined ? PROBLEM_TYPE : {}), ...headers });

				const key = req.headers['x-api-key'];
				if (key === undefined || key === '') {
					return reply(401, problem(401, 'unauthorized', 'Unauthorized', 'The X-API-KEY header is missing'));
				}
				if (key !== apiKey) return reply(401, problem(401, 'unauthorized', 'Unauthorized', 'The API key is not valid'));

				const route = routes.find((entry) => entry.pattern.test(req.pathname));
				const time = Date.now();
				const limiters = route?.tags ? [brandLimit, tagsLimit] : [brandLimit];
				const full = limiters.find((limiter) => !limiter.room(time));
				if (full) {
					const retryAfter = full.resetSeconds(time);
					Object.assign(rateHeaders, {
						'Retry-After': String(retryAfter),
						'X-Rate-Limit-Limit': String(full.limit),
						'X-Rate-Limit-Remaining': '0',
						'X-Rate-Limit-Reset': String(retryAfter),
					});
					return reply(429, problem(429, 'rate-limit-exceeded', 'Too Many Requests', `Rate limit of ${full.limit} requests per ${windowMs / 1000} s exceeded`, { retryAfter }));
				}
				for (const limiter of limiters) limiter.take(time);
				if (brandLimit.limit > 0) {
					Object.assign(rateHeaders, {
						'X-Rate-Limit-Limit': String(brandLimit.limit),
						'X-Rate-Limit-Remaining': String(brandLimit.remaining()),
						'X-Rate-Limit-Reset': String(brandLimit.resetSeconds(time)),
					});
				}

				if (!route) return reply(404, problem(404, 'not-found', 'Not Found', `No such endpoint: ${req.method} ${req.pathname}`));
				const handler = route.methods[req.method];
				if (!handler) {
					return reply(405, problem(405, 'method-not-allowed', 'Method Not Allowed', `${req.method} is not allowed on ${req.pathname}`), { Allow: Object.keys(route.methods).join(', ') });
				}
				const id = req.pathname.match(route.pattern)?.[1];
				return handler(req, res, reply, id === undefined ? undefined : decodeURIComponent(id));
			},
			reset() {
				contacts = [];
				events = [];
				brandLimit.clear();
				tagsLimit.clear();
				for (const body of ctx.options.contacts ?? []) upsert(body);
			},
			faultBody(status, _req, rule) {
				const [slug, title] = TITLES[status] ?? ['error', 'Error'];
				return problem(status, slug, title, 'Injected by the sandbox', status === 429 && rule.retryAfter !== undefined ? { retryAfter: rule.retryAfter } : {});
			},
			info: ({ url }) => ({ baseUrl: `${url}/v5`, apiKey }),
			api: {
				/** The stored contacts (copies), oldest first. */
				contacts: () => contacts.map(view),
				/** Upserts a contact from a POST /contacts body, without a request; returns it. */
				addContact: (/** @type {Json} */ body) => {
					/** @type {FieldError[]} */
					const errors = [];
					if (!isObject(body)) errors.push({ field: 'body', code: 'invalid_type', message: 'body must be an object' });
					else {
						checkIdentifiers(body.identifiers, errors, true);
						checkAttributes(body, '', errors);
					}
					if (errors.length > 0) throw new Error(`Invalid contact: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`);
					return view(upsert(body).contact);
				},
				/** The events accepted so far (as sent, plus receivedAt and contactID). */
				events: () => JSON.parse(JSON.stringify(events)),
				/** Sets the requests-per-window limit (0 = off) and empties the window, as if freshly started. */
				rateLimit: (/** @type {number} */ perMinute) => setRate(perMinute),
			},
		};
		return instance;
	},
};
