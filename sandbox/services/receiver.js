'use strict';

/**
 * A generic HTTPS receiver: accepts any method on any path, records it (like every service) and
 * answers 200 {"received":true}, or what options / respond() set.
 *
 * Options: { status?: number, body?: unknown (a string is sent as text/plain), headers?: Record<string,string> }
 * Control: POST /__sandbox/receiver/response {status?, body?, headers?} (JS: respond({...}));
 *          DELETE /__sandbox/receiver/response back to the options.
 */

/** @typedef {{ status: number, body: unknown, headers: Record<string, string> }} ReceiverAnswer */

module.exports = {
	name: 'receiver',
	/** @param {import('../lib/host').ServiceContext} ctx */
	create(ctx) {
		/** @returns {ReceiverAnswer} */
		const fromOptions = () => ({
			status: ctx.options.status ?? 200,
			body: ctx.options.body === undefined ? { received: true } : ctx.options.body,
			headers: ctx.options.headers ?? {},
		});
		ctx.state.answer = fromOptions();

		/** @param {Partial<ReceiverAnswer>} answer */
		const respond = (answer) => {
			const status = answer.status ?? 200;
			if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error('status must be an HTTP status (100-599)');
			ctx.state.answer = {
				status,
				body: answer.body === undefined ? { received: true } : answer.body,
				headers: answer.headers ?? {},
			};
			return ctx.state.answer;
		};

		ctx.control('POST', '/response', (req, res) => {
			try {
				return ctx.json(res, 200, respond(/** @type {any} */ (JSON.parse(req.rawBody || '{}'))));
			} catch (error) {
				return ctx.json(res, 400, { error: String(/** @type {Error} */ (error).message) });
			}
		});
		ctx.control('DELETE', '/response', (_req, res) => {
			ctx.state.answer = fromOptions();
			ctx.json(res, 200, ctx.state.answer);
		});

		return {
			/** @type {import('../lib/host').Handler} */
			handle(_req, res) {
				/** @type {ReceiverAnswer} */
				const { status, body, headers } = ctx.state.answer;
				if (typeof body === 'string') {
					ctx.send(res, status, body, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
				} else {
					ctx.json(res, status, status === 204 || status === 304 ? undefined : body, headers);
				}
			},
			reset() {
				ctx.state.answer = fromOptions();
			},
			api: {
				/** Sets the answer to every later request: { status?, body?, headers? }. */
				respond,
			},
		};
	},
};
