import type { IncomingHttpHeaders } from 'node:http';

import { WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
	WebhookType,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { TestNodeTypes } from './node-types';
import { additionalDataFor } from './run-workflow';

export interface WebhookRequest {
	method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
	headers?: Record<string, string>;
	/** The body exactly as the sender wrote it (signatures are computed over these bytes). */
	rawBody?: string | Buffer;
	/** What n8n's body parser made of it; by default JSON for JSON content types, else the text. */
	body?: unknown;
	query?: Record<string, string>;
	/** The caller's address, as n8n sees it (req.ip). */
	ip?: string;
}

export interface CapturedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: string;
	/** Whether the node wrote the response itself (as for noWebhookResponse). */
	written: boolean;
}

export interface WebhookCall {
	result: IWebhookResponseData;
	response: CapturedResponse;
	/** The items the trigger would start the workflow with (undefined: no execution). */
	items: IWebhookResponseData['workflowData'];
	staticData: IDataObject;
}

function fakeRequest(request: WebhookRequest) {
	const headers: IncomingHttpHeaders = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
	const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.from(request.rawBody ?? '', 'utf8');
	let body = request.body;
	if (body === undefined && rawBody.length > 0) {
		const text = rawBody.toString('utf8');
		body = text;
		if (/json/i.test(String(headers['content-type'] ?? ''))) {
			try {
				body = JSON.parse(text);
			} catch {
				body = {};
			}
		}
	}
	const ip = request.ip ?? '127.0.0.1';
	return {
		method: request.method ?? 'POST',
		headers,
		rawBody,
		body: body ?? {},
		query: request.query ?? {},
		params: {},
		ip,
		ips: [],
		socket: { remoteAddress: ip },
		get: (name: string) => headers[name.toLowerCase()],
		header: (name: string) => headers[name.toLowerCase()],
	};
}

function fakeResponse(captured: CapturedResponse) {
	const res = {
		headersSent: false,
		status(code: number) {
			captured.statusCode = code;
			return res;
		},
		setHeader(name: string, value: string) {
			captured.headers[name.toLowerCase()] = String(value);
			return res;
		},
		set(name: string, value: string) {
			return res.setHeader(name, value);
		},
		header(name: string, value: string) {
			return res.setHeader(name, value);
		},
		writeHead(code: number, headers?: Record<string, string>) {
			captured.statusCode = code;
			for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
			return res;
		},
		send(body?: unknown) {
			return res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
		},
		json(body: unknown) {
			res.setHeader('content-type', 'application/json');
			return res.end(JSON.stringify(body));
		},
		end(body?: string | Buffer) {
			captured.body += body === undefined ? '' : body.toString();
			captured.written = true;
			res.headersSent = true;
			return res;
		},
	};
	return res;
}

/**
 * Calls a trigger's `webhook()` the way n8n's webhook server does: a WebhookContext from n8n-core
 * over an Express-like request (raw body, headers, query, caller IP) and a response that records
 * what the node writes itself. Pass the same `staticData` object again to see what the node
 * remembered between deliveries (n8n persists it per workflow).
 */
export async function callWebhook(
	nodeType: INodeType,
	node: Pick<INode, 'parameters'> & Partial<INode>,
	request: WebhookRequest,
	options: {
		credentials?: Record<string, ICredentialDataDecryptedObject>;
		staticData?: IDataObject;
		webhookName?: WebhookType;
		mode?: 'webhook' | 'manual';
	} = {},
): Promise<WebhookCall> {
	const typeName = 'test.webhookUnderTest';
	const fullNode: INode = {
		id: 'w1',
		name: 'Trigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6a1e7c0e-2f43-4b8e-9d59-0d5f1c3b9a11',
		...node,
		type: typeName,
	} as INode;
	const staticData = options.staticData ?? {};
	const workflow = new Workflow({
		id: 'webhook-workflow',
		nodes: [fullNode],
		connections: {},
		active: true,
		nodeTypes: new TestNodeTypes({ [typeName]: nodeType }),
		staticData,
	});

	const captured: CapturedResponse = { statusCode: 200, headers: {}, body: '', written: false };
	const additionalData = additionalDataFor(undefined, new TestCredentialsHelper({ ...(options.credentials ?? {}) }));
	const req = fakeRequest(request);
	additionalData.httpRequest = req as unknown as typeof additionalData.httpRequest;
	additionalData.httpResponse = fakeResponse(captured) as unknown as typeof additionalData.httpResponse;

	const description = nodeType.description.webhooks?.find((w) => w.name === (options.webhookName ?? 'default'));
	const webhookData = {
		httpMethod: req.method,
		node: fullNode.name,
		path: 'test',
		webhookDescription: description ?? { name: 'default', httpMethod: 'POST', path: 'test' },
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;

	const context = new WebhookContext(workflow, fullNode, additionalData, options.mode ?? 'webhook', webhookData, [], null);
	if (!nodeType.webhook) throw new Error('The node type has no webhook() method');
	const result = await nodeType.webhook.call(context);
	return { result, response: captured, items: result.workflowData, staticData: workflow.staticData as IDataObject };
}
