import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { credentialHeaderNames, credentialSecrets } from '../../credentials/TemplatedWebhookAuthApi.credentials';
import { mapWithConcurrency } from '../shared/concurrency';
import { ConnectionState } from './connectionState';
import type { AttemptLog, DeliveryPolicy, OutgoingRequest, RoundResult } from './delivery';
import { deliverOnce, redact } from './delivery';
import { DEFAULT_SCHEDULE, properties } from './description';
import { HeaderError, maskHeaders, parseHeaders } from './headers';
import { DEFAULT_DELIVERY_ID_HEADER, deliveryIdFor } from './signing';
import { checkJson, RenderedJsonError, renderTemplate, TemplateError } from './template';
import type { Resolver, UrlPolicy } from './url';
import { checkTargetUrl, displayUrl, systemResolver, UrlRefusedError } from './url';

const CREDENTIAL = 'templatedWebhookAuthApi';
/** Where the node keeps an item's delivery state on its output items (and reads it back on loop-back). */
export const DELIVERY_FIELD = 'webhookDelivery';
/** Entries kept in an item's log (the oldest are dropped first; the count of all stays). */
const MAX_LOG_ENTRIES = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Settings {
	policy: DeliveryPolicy;
	urlPolicy: UrlPolicy;
	preview: boolean;
	concurrency: number;
	schedule: number[];
	maxRetryAfterMs: number;
	errorAfterMs: number;
	probeEveryMs: number;
	deliveryIdHeader: string;
}

/** The state a Retry Later item carries back into the node through the Wait loop. */
interface Carried {
	deliveryId: string;
	attempts: number;
	firstAttemptAt: string;
	log: AttemptLog[];
	logEntries: number;
}

interface Prepared {
	itemIndex: number;
	data: IDataObject;
	carried?: Carried;
	deliveryId: string;
	request: OutgoingRequest;
	url: string;
	/** Set when the host name could not be looked up for now (EAI_AGAIN, ...): nothing is sent, the item is retried later. */
	lookupFailure?: string;
}

type Outcome = { output: 0 | 1 | 2; json: IDataObject; itemIndex: number; nextAt?: number };

function numberOption(options: IDataObject, key: string, fallback: number): number {
	const value = options[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function readSettings(ctx: IExecuteFunctions): Settings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const scheduleText = String(options.retrySchedule ?? DEFAULT_SCHEDULE);
	const schedule = scheduleText.split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number);
	if (schedule.some((seconds) => !Number.isFinite(seconds) || seconds < 0)) {
		throw new NodeOperationError(ctx.getNode(), `Retry Schedule "${scheduleText}" is not a list of seconds`, {
			description: `Enter waits in seconds separated by commas, e.g. ${DEFAULT_SCHEDULE}`,
		});
	}
	const deliveryIdHeader = String(options.deliveryIdHeader || DEFAULT_DELIVERY_ID_HEADER).trim();
	if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(deliveryIdHeader)) {
		throw new NodeOperationError(ctx.getNode(), `Delivery ID Header "${deliveryIdHeader}" is not a valid HTTP header name`, {
			description: `Use letters, digits and dashes only, e.g. ${DEFAULT_DELIVERY_ID_HEADER}. Nothing was sent.`,
		});
	}
	return {
		policy: {
			timeoutMs: numberOption(options, 'timeoutSeconds', 10) * 1000,
			retries: Math.floor(numberOption(options, 'retries', 3)),
			backoffBaseMs: numberOption(options, 'backoffSeconds', 1) * 1000,
			maxWaitMs: numberOption(options, 'retryWindowSeconds', 20) * 1000,
		},
		urlPolicy: { allowLoopback: options.allowLoopback === true, allowPrivateNetworks: options.allowPrivateNetworks === true },
		preview: options.preview === true,
		concurrency: numberOption(options, 'concurrency', 4),
		schedule,
		maxRetryAfterMs: numberOption(options, 'maxRetryAfterSeconds', 3600) * 1000,
		errorAfterMs: numberOption(options, 'errorStateAfterMinutes', 120) * 60_000,
		probeEveryMs: numberOption(options, 'probeIntervalMinutes', 5) * 60_000,
		deliveryIdHeader,
	};
}

/** Our own state from a Retry Later item coming back through the Wait loop (anything else is the user's data). */
function carriedState(json: IDataObject): Carried | undefined {
	const state = json[DELIVERY_FIELD] as IDataObject | undefined;
	if (!state || typeof state !== 'object' || state.status !== 'retry_later') return undefined;
	const { deliveryId, attempts, firstAttemptAt, log, logEntries } = state;
	if (typeof deliveryId !== 'string' || !UUID.test(deliveryId) || typeof attempts !== 'number' || !(attempts >= 1)) return undefined;
	const entries = Array.isArray(log) ? (log as unknown as AttemptLog[]) : [];
	return {
		deliveryId,
		attempts: Math.floor(attempts),
		firstAttemptAt: typeof firstAttemptAt === 'string' ? firstAttemptAt : new Date().toISOString(),
		log: entries,
		logEntries: typeof logEntries === 'number' ? logEntries : entries.length,
	};
}

/** An item's fields without our delivery state: what the template and the delivery id see. */
function itemData(json: IDataObject, carried: Carried | undefined): IDataObject {
	if (!carried) return json;
	const data = { ...json };
	delete data[DELIVERY_FIELD];
	return data;
}

/** Our helpers' errors become NodeOperationErrors naming the item and what to do. */
function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof TemplateError || error instanceof HeaderError || error instanceof UrlRefusedError) {
		const message = `${error.message} (item ${itemIndex})`;
		const nodeError = new NodeOperationError(ctx.getNode(), message, {
			itemIndex,
			description: `${error.hint} Nothing was sent for this item.`,
		});
		// n8n swaps a message that mentions ENOTFOUND, EAI_AGAIN, ... for a generic text without the
		// URL or the host; ours already says what happened and where, so it is kept as written.
		nodeError.message = message;
		return nodeError;
	}
	if (error instanceof RenderedJsonError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} (item ${itemIndex})`, {
			itemIndex,
			description:
				'Nothing was sent. Pipe values through | tojson (it adds the quotes and escapes quotes, backslashes and line breaks), check commas between fields and loop items ({% if not loop.last %},{% endif %}), or choose Content Type: Text.',
		});
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export class TemplatedWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Templated Webhook',
		name: 'templatedWebhook',
		icon: { light: 'file:templatedWebhook.svg', dark: 'file:templatedWebhook.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["method"] + " " + String($parameter["url"]).split("?")[0] }}',
		description: 'Send each item to an https webhook with a Jinja body template, signing, retries and an Ometria-style connection state',
		defaults: { name: 'Templated Webhook' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Delivered', 'Retry Later', 'Dropped'],
		credentials: [{ name: CREDENTIAL, required: false }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const settings = readSettings(this);
		const hasCredential = Boolean(this.getNode().credentials?.[CREDENTIAL]);
		const credentials: ICredentialDataDecryptedObject = hasCredential ? await this.getCredentials(CREDENTIAL) : {};
		const secrets = credentialSecrets(credentials);
		const reserved = new Map<string, string>([[settings.deliveryIdHeader.toLowerCase(), 'the node (Delivery ID Header option)']]);
		for (const name of credentialHeaderNames(credentials)) reserved.set(name, 'the Templated Webhook Auth credential');
		// The preview sends nothing, so it resolves nothing either; otherwise one system look-up per host name.
		const resolver: Resolver | undefined = settings.preview ? undefined : systemResolver();
		const workflowId = String(this.getWorkflow().id ?? '');
		const nodeName = this.getNode().name;

		// Phase 1: build every request (URL check, headers, template, JSON check) before sending any.
		const prepared: Array<Prepared | Outcome> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				prepared.push(await prepare.call(this, itemIndex));
			} catch (caught) {
				const error = toNodeError(this, caught, itemIndex);
				if (!this.continueOnFail()) throw error;
				// Not sent: the item leaves on Dropped (never on Delivered, where a next step would take it for sent).
				// Its json is only `error` and `details`, so "On Error: Continue (using error output)" moves it there.
				prepared.push({ output: 2, itemIndex, json: { error: redact(error.message, secrets), details: { description: error.description ?? '' } } });
			}
		}

		async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Prepared | Outcome> {
			const json = items[itemIndex].json;
			const carried = carriedState(json);
			const data = itemData(json, carried);
			const rawUrl = String(this.getNodeParameter('url', itemIndex, ''));
			let url: URL | undefined;
			let refused: unknown;
			let lookupFailure: string | undefined;
			try {
				url = await checkTargetUrl(rawUrl, settings.urlPolicy, resolver);
			} catch (error) {
				if (error instanceof UrlRefusedError && error.transient) lookupFailure = error.message;
				else refused = error;
			}
			if (refused !== undefined) throw refused;
			// A DNS server that did not answer is a network failure: the rest is still checked now.
			url ??= new URL(rawUrl.trim());
			const method = this.getNodeParameter('method', itemIndex, 'POST') as IHttpRequestMethods;
			const contentType = this.getNodeParameter('contentType', itemIndex, 'json') as string;
			const userHeaders = parseHeaders(this.getNodeParameter('headers', itemIndex, '{}'), reserved);
			const template = String(this.getNodeParameter('template', itemIndex, ''));
			const body = renderTemplate(template, data);
			if (contentType === 'json') checkJson(body);
			const key = String(this.getNodeParameter('options.deliveryKey', itemIndex, '') ?? '');
			const deliveryId = carried?.deliveryId ?? deliveryIdFor(workflowId, nodeName, data, key);
			const headers: Record<string, string> = {
				'Content-Type': contentType === 'json' ? 'application/json' : 'text/plain; charset=utf-8',
			};
			for (const [name, value] of Object.entries(userHeaders)) {
				if (name.toLowerCase() === 'content-type') delete headers['Content-Type'];
				headers[name] = value;
			}
			headers[settings.deliveryIdHeader] = deliveryId;
			const request: OutgoingRequest = { url: url.toString(), method, headers, body };
			if (settings.preview) {
				const shown = maskHeaders(headers);
				for (const name of credentialHeaderNames(credentials)) shown[name] = '*** (added by the credential when sending)';
				return {
					output: 0,
					itemIndex,
					json: {
						preview: { url: displayUrl(url), method, headers: shown, body: redact(body, secrets), deliveryId, sent: false },
					},
				};
			}
			return { itemIndex, data, carried, deliveryId, request, url: url.toString(), lookupFailure };
		}

		// Phase 2: deliver. Connection state per URL, shared by this execution's items.
		const staticData = this.getWorkflowStaticData('node');
		const connections = new Map<string, ConnectionState>();
		const connectionFor = (url: string) => {
			let state = connections.get(url);
			if (!state) {
				state = new ConnectionState(staticData, url, displayUrl(url), settings.errorAfterMs, settings.probeEveryMs);
				connections.set(url, state);
			}
			return state;
		};
		const maxAttempts = settings.schedule.length + 1;

		const outcomes = await mapWithConcurrency(prepared, settings.concurrency, async (entry): Promise<Outcome> => {
			if ('output' in entry) return entry;
			const { itemIndex, data, carried, deliveryId, request, url, lookupFailure } = entry;
			const attempt = (carried?.attempts ?? 0) + 1;
			const firstAttemptAt = carried?.firstAttemptAt ?? new Date().toISOString();
			const connection = connectionFor(url);
			const gate = connection.gate();
			let round: RoundResult;
			if (!gate.send) {
				const reason = `connection in Error state since ${gate.since}; not sent (waiting for a successful probe)`;
				round = { outcome: 'retry', reason, log: [{ attempt, try: 1, at: new Date().toISOString(), durationMs: 0, outcome: 'not sent', error: reason }] };
			} else if (lookupFailure !== undefined) {
				round = { outcome: 'retry', reason: lookupFailure, log: [{ attempt, try: 1, at: new Date().toISOString(), durationMs: 0, outcome: 'not sent', error: lookupFailure }] };
				connection.failed();
			} else {
				round = await deliverOnce(this, request, {
					policy: settings.policy,
					attempt,
					credentialType: hasCredential ? CREDENTIAL : undefined,
					secrets,
					probe: gate.probe,
				});
				const status = round.statusCode;
				if (round.outcome === 'delivered') connection.succeeded();
				else if (round.outcome === 'retry' || status === undefined || status === 401 || status === 403 || status === 404 || (status >= 300 && status < 400)) {
					connection.failed();
				}
			}
			const earlier = carried?.log ?? [];
			const log = [...earlier, ...round.log].slice(-MAX_LOG_ENTRIES);
			const logEntries = (carried?.logEntries ?? earlier.length) + round.log.length;
			const last = round.log[round.log.length - 1];
			const base: IDataObject = {
				deliveryId,
				url: displayUrl(url),
				attempts: attempt,
				maxAttempts,
				firstAttemptAt,
				statusCode: round.statusCode ?? null,
				connectionState: connection.state,
				log: log as unknown as IDataObject[],
				logEntries,
			};
			if (last?.response !== undefined) base.response = last.response;
			if (round.outcome === 'delivered') {
				return { output: 0, itemIndex, json: { ...data, [DELIVERY_FIELD]: { status: 'delivered', ...base } } };
			}
			if (round.outcome === 'retry' && attempt < maxAttempts) {
				const now = Date.now();
				const scheduled = settings.schedule[attempt - 1] * 1000;
				const asked = Math.min(round.retryAfterMs ?? 0, settings.maxRetryAfterMs);
				const nextAt = now + Math.max(scheduled, asked);
				const state: IDataObject = {
					status: 'retry_later',
					...base,
					reason: round.reason,
					nextAttemptAt: new Date(nextAt).toISOString(),
					waitSeconds: Math.ceil((nextAt - now) / 1000),
				};
				return { output: 1, itemIndex, nextAt, json: { ...data, [DELIVERY_FIELD]: state } };
			}
			const reason = round.outcome === 'retry' ? `${round.reason}; dropped after ${attempt} attempts` : round.reason;
			return { output: 2, itemIndex, json: { ...data, [DELIVERY_FIELD]: { status: 'dropped', ...base, reason } } };
		});

		const outputs: INodeExecutionData[][] = [[], [], []];
		for (const outcome of outcomes) outputs[outcome.output].push({ json: outcome.json, pairedItem: { item: outcome.itemIndex } });
		// n8n's Wait node reads its resume time from the first item: put the latest first, so no item is retried early.
		const latestFirst = outcomes.filter((o) => o.output === 1).sort((a, b) => (b.nextAt ?? 0) - (a.nextAt ?? 0));
		outputs[1] = latestFirst.map((outcome) => ({ json: outcome.json, pairedItem: { item: outcome.itemIndex } }));
		return outputs;
	}
}
