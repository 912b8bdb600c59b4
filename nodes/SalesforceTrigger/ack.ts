import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * The acknowledgement Salesforce requires (HTTP 200, text/xml): one Ack covers every notification
 * of the message. Anything else (another status, JSON, an empty body, Ack false) is a failed
 * delivery that Salesforce retries for up to 24 hours.
 */
export const SOAP_ACK =
	'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
	'<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
	'</soapenv:Body></soapenv:Envelope>';

export const SOAP_ACK_CONTENT_TYPE = 'text/xml; charset=utf-8';

export const JSON_PROCESSED = '{"processed":true}';

type Response = ReturnType<IWebhookFunctions['getResponseObject']>;

function write(res: Response, statusCode: number, contentType: string, body: string) {
	res.status(statusCode);
	res.setHeader('Content-Type', contentType);
	res.setHeader('Content-Length', String(Buffer.byteLength(body, 'utf8')));
	res.setHeader('Cache-Control', 'no-store');
	res.end(body);
}

/** The reply for an accepted delivery; the caller returns the items to start the workflow with (or none). */
export function acknowledge(ctx: IWebhookFunctions, kind: 'soap' | 'json') {
	const res = ctx.getResponseObject();
	if (kind === 'soap') write(res, 200, SOAP_ACK_CONTENT_TYPE, SOAP_ACK);
	else write(res, 200, 'application/json; charset=utf-8', JSON_PROCESSED);
}

/**
 * Refuses a delivery: the status and a message for the sender (never a secret), and no
 * execution. n8n is told the response was written (`noWebhookResponse`), as its Webhook node does
 * for failed authentication.
 */
export function refuse(ctx: IWebhookFunctions, kind: 'soap' | 'json', statusCode: number, message: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	if (kind === 'json') write(res, statusCode, 'application/json; charset=utf-8', JSON.stringify({ processed: false, error: message }));
	else write(res, statusCode, 'text/plain; charset=utf-8', message);
	return { noWebhookResponse: true };
}
