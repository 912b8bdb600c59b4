import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { acknowledge, refuse } from './ack';
import { DeliveryMemory } from './dedupe';
import { convertFields } from './fieldTypes';
import { parseOutboundMessage, RejectedMessage, screenBody } from './outboundMessage';
import type { OutboundMessage } from './outboundMessage';
import {
	AllowListError,
	checkSignature,
	checkTimestamp,
	checkToken,
	ipAllowed,
	isOrganizationId,
	parseAllowList,
	sameOrganization,
	signedPayload,
} from './verify';

export const CALLOUT_CREDENTIAL = 'salesforceCalloutSecretApi';
/** At most this many events in one JSON callout (an array body). */
export const MAX_JSON_EVENTS = 100;

type Kind = 'soap' | 'json';

export function commaList(value: unknown): string[] {
	return typeof value === 'string' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : [];
}

/** A configuration the node cannot work with; shown at activation, answered 500 at delivery. */
export class ConfigurationProblem extends Error {}

interface SharedConfig {
	allowList: ReturnType<typeof parseAllowList>;
	maxBytes: number;
	deduplicate: boolean;
}

function readShared(options: IDataObject): SharedConfig {
	let allowList: SharedConfig['allowList'] = [];
	let problem = '';
	try {
		allowList = parseAllowList(typeof options.allowedIps === 'string' ? options.allowedIps : '');
	} catch (error) {
		problem = error instanceof AllowListError ? error.message : 'it cannot be read';
	}
	if (problem) throw new ConfigurationProblem(`IP Allow-List: ${problem}`);
	const kb = typeof options.maxBodyKb === 'number' && options.maxBodyKb > 0 ? options.maxBodyKb : 1024;
	return { allowList, maxBytes: Math.floor(kb * 1024), deduplicate: options.deduplicate !== false };
}

export function readOutboundConfig(ctx: Pick<IWebhookFunctions, 'getNodeParameter'>) {
	const organizationId = String(ctx.getNodeParameter('organizationId', '')).trim();
	if (!isOrganizationId(organizationId)) {
		const typo = organizationId.length === 18 && /^00D[a-zA-Z0-9]{15}$/i.test(organizationId);
		throw new ConfigurationProblem(
			typo
				? 'The last 3 characters of the 18-character Organization ID do not fit its first 15 (a typo?); paste the 15-character ID from Setup > Company Information'
				: 'Organization ID must be your 15- or 18-character org ID starting with 00D (Setup > Company Information)',
		);
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		...readShared(options),
		organizationId,
		sObjectTypes: new Set(commaList(ctx.getNodeParameter('sObjectTypes', '')).map((type) => type.toLowerCase())),
		convertTypes: options.convertTypes !== false,
		keepAsText: new Set(commaList(options.keepAsText)),
		includeSessionId: options.includeSessionId === true,
	};
}

export function readJsonConfig(ctx: Pick<IWebhookFunctions, 'getNodeParameter'>) {
	const options = ctx.getNodeParameter('jsonOptions', {}) as IDataObject;
	const verification = String(ctx.getNodeParameter('verification', 'signature'));
	const useTimestamp = verification === 'signature' && ctx.getNodeParameter('useTimestamp', false) === true;
	const header = (name: string, fallback: string) => String(ctx.getNodeParameter(name, fallback)).trim().toLowerCase() || fallback.toLowerCase();
	return {
		...readShared(options),
		verification,
		signatureHeader: header('signatureHeader', 'X-Signature'),
		tokenHeader: header('headerName', 'X-Salesforce-Token'),
		useTimestamp,
		timestampHeader: useTimestamp ? header('timestampHeader', 'X-Timestamp') : '',
		replayWindow: useTimestamp ? Number(ctx.getNodeParameter('replayWindow', 300)) || 300 : 0,
		eventTypes: new Set(commaList(ctx.getNodeParameter('eventTypes', ''))),
		eventIdField: typeof options.eventIdField === 'string' ? options.eventIdField.trim() : 'event_id',
	};
}

export async function readCalloutSecret(ctx: Pick<IWebhookFunctions, 'getCredentials'>): Promise<string> {
	let secret = '';
	try {
		const credential = await ctx.getCredentials(CALLOUT_CREDENTIAL);
		secret = typeof credential.secret === 'string' ? credential.secret : '';
	} catch {
		secret = '';
	}
	if (secret === '') throw new ConfigurationProblem('JSON Callout needs a Salesforce Callout Secret credential with a Shared Secret');
	return secret;
}

function rawBodyOf(ctx: IWebhookFunctions): Buffer | undefined {
	const { rawBody } = ctx.getRequestObject() as unknown as { rawBody?: unknown };
	if (Buffer.isBuffer(rawBody)) return rawBody;
	if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
	return undefined;
}

function headerValue(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = ctx.getHeaderData()[name];
	if (Array.isArray(value)) return value.join(',');
	return typeof value === 'string' ? value : undefined;
}

/** Refuses, and tells n8n's log why (the reason never holds a secret or the body). */
function refused(ctx: IWebhookFunctions, kind: Kind, statusCode: number, reason: string): IWebhookResponseData {
	ctx.logger.warn(`Salesforce Trigger "${ctx.getNode().name}" refused a delivery (${statusCode}): ${reason}`);
	return refuse(ctx, kind, statusCode, reason);
}

function misconfigured(ctx: IWebhookFunctions, kind: Kind, problem: ConfigurationProblem): IWebhookResponseData {
	ctx.logger.error(`Salesforce Trigger "${ctx.getNode().name}" is misconfigured: ${problem.message}`);
	return refuse(ctx, kind, 500, 'The n8n Salesforce Trigger is misconfigured; its owner can see why in the node settings');
}

function started(items: INodeExecutionData[]): IWebhookResponseData {
	return items.length > 0 ? { noWebhookResponse: true, workflowData: [items] } : { noWebhookResponse: true };
}

function outboundItem(message: OutboundMessage, notification: OutboundMessage['notifications'][number], config: ReturnType<typeof readOutboundConfig>): INodeExecutionData {
	const fields = convertFields(notification.fields, { convert: config.convertTypes, keepAsText: config.keepAsText });
	const json: IDataObject = {
		notificationId: notification.notificationId,
		sObjectType: notification.sObjectType,
		recordId: typeof fields.Id === 'string' ? fields.Id : null,
		organizationId: message.organizationId,
		actionId: message.actionId,
		enterpriseUrl: message.enterpriseUrl,
		partnerUrl: message.partnerUrl,
		fields,
	};
	if (config.includeSessionId) json.sessionId = message.sessionId;
	return { json };
}

export async function receiveOutboundMessage(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	let config: ReturnType<typeof readOutboundConfig>;
	try {
		config = readOutboundConfig(this);
	} catch (error) {
		return misconfigured(this, 'soap', error as ConfigurationProblem);
	}
	const ip = this.getRequestObject().ip;
	if (!ipAllowed(config.allowList, ip)) return refused(this, 'soap', 403, `The caller's address ${String(ip)} is not in the node's IP Allow-List`);

	let message: OutboundMessage;
	try {
		const rawBody = rawBodyOf(this);
		if (!rawBody) throw new RejectedMessage(400, 'The request body could not be read');
		message = parseOutboundMessage(screenBody(rawBody, config.maxBytes));
	} catch (error) {
		const rejected = error instanceof RejectedMessage ? error : new RejectedMessage(400, 'The body could not be parsed as a Salesforce outbound message');
		return refused(this, 'soap', rejected.statusCode, rejected.message);
	}
	if (!sameOrganization(config.organizationId, message.organizationId)) {
		return refused(this, 'soap', 403, "The message comes from a Salesforce org other than the node's Organization ID");
	}

	const memory = config.deduplicate ? new DeliveryMemory(this.getWorkflowStaticData('node'), Date.now()) : undefined;
	const items: INodeExecutionData[] = [];
	for (const notification of message.notifications) {
		const key = `n:${notification.notificationId}`;
		if (memory?.has(key)) continue;
		if (config.sObjectTypes.size > 0 && !config.sObjectTypes.has(notification.sObjectType.toLowerCase())) continue;
		memory?.remember(key);
		items.push(outboundItem(message, notification, config));
	}
	memory?.save();
	acknowledge(this, 'soap');
	return started(items);
}

/**
 * What identifies a delivery of this event: its event id; without one, the signed timestamp and the
 * event together (a resend of the same signed callout). Without either there is none: an identical
 * body may be a real repeat (a status set back and forth), so it is emitted again.
 */
function eventKey(event: IDataObject, field: string, timestamp: string): string | undefined {
	const id = field === '' ? undefined : event[field];
	if ((typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id))) return `e:${String(id)}`;
	if (timestamp === '') return undefined;
	return `h:${createHash('sha256').update(`${timestamp}\n${JSON.stringify(event)}`).digest('hex')}`;
}

export async function receiveJsonCallout(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	let config: ReturnType<typeof readJsonConfig>;
	let secret: string;
	try {
		config = readJsonConfig(this);
		secret = await readCalloutSecret(this);
	} catch (error) {
		return misconfigured(this, 'json', error as ConfigurationProblem);
	}
	const ip = this.getRequestObject().ip;
	if (!ipAllowed(config.allowList, ip)) return refused(this, 'json', 403, `The caller's address ${String(ip)} is not in the node's IP Allow-List`);

	const rawBody = rawBodyOf(this);
	if (!rawBody || rawBody.length === 0) return refused(this, 'json', 400, 'The request body is empty');
	if (rawBody.length > config.maxBytes) {
		return refused(this, 'json', 400, `The request body is ${rawBody.length} bytes, over the limit of ${config.maxBytes} bytes set in the node (Max Body Size)`);
	}

	let timestamp = '';
	if (config.verification === 'token') {
		const problem = checkToken(secret, headerValue(this, config.tokenHeader));
		if (problem === 'missing') return refused(this, 'json', 401, `The ${config.tokenHeader} header is missing`);
		if (problem) return refused(this, 'json', 403, `The ${config.tokenHeader} header does not hold the shared secret`);
	} else {
		if (config.useTimestamp) {
			timestamp = headerValue(this, config.timestampHeader)?.trim() ?? '';
			const shape = checkTimestamp(timestamp, Number.MAX_SAFE_INTEGER, Date.now());
			if (shape) return refused(this, 'json', 401, `The ${config.timestampHeader} header is ${shape === 'missing' ? 'missing' : 'not a Unix time in seconds'}`);
		}
		const problem = checkSignature(secret, signedPayload(rawBody, config.useTimestamp ? timestamp : undefined), headerValue(this, config.signatureHeader));
		if (problem === 'missing') return refused(this, 'json', 401, `The ${config.signatureHeader} header is missing`);
		if (problem === 'malformed') return refused(this, 'json', 403, `The ${config.signatureHeader} header is not an HMAC-SHA256 in hex or base64`);
		if (problem) return refused(this, 'json', 403, `The ${config.signatureHeader} signature does not match the body`);
		if (config.useTimestamp && checkTimestamp(timestamp, config.replayWindow, Date.now()) === 'stale') {
			return refused(this, 'json', 403, `The ${config.timestampHeader} is more than ${config.replayWindow} seconds away from n8n's clock (a replay, or a clock out of sync)`);
		}
	}

	let parsed: unknown;
	let parseProblem = '';
	try {
		parsed = JSON.parse(rawBody.toString('utf8'));
	} catch (error) {
		// V8's messages quote the body; only the position is passed on.
		const position = /position (\d+)/.exec((error as Error).message)?.[1];
		parseProblem = position === undefined ? 'it cannot be parsed' : `error at position ${position}`;
	}
	if (parseProblem) return refused(this, 'json', 400, `The body is not valid JSON: ${parseProblem}`);
	const events = Array.isArray(parsed) ? parsed : [parsed];
	if (events.length === 0 || events.length > MAX_JSON_EVENTS || !events.every((event) => typeof event === 'object' && event !== null && !Array.isArray(event))) {
		return refused(this, 'json', 400, `The body must be a JSON object, or an array of 1 to ${MAX_JSON_EVENTS} objects`);
	}

	const memory = config.deduplicate ? new DeliveryMemory(this.getWorkflowStaticData('node'), Date.now()) : undefined;
	const items: INodeExecutionData[] = [];
	for (const event of events as IDataObject[]) {
		if (config.eventTypes.size > 0 && !config.eventTypes.has(String(event.event_type ?? ''))) continue;
		const key = eventKey(event, config.eventIdField, timestamp);
		if (key !== undefined && memory?.has(key)) continue;
		if (key !== undefined) memory?.remember(key);
		items.push({ json: event });
	}
	memory?.save();
	acknowledge(this, 'json');
	return started(items);
}
