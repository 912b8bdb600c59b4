import { createHmac } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SalesforceTrigger } from '../../nodes/SalesforceTrigger/SalesforceTrigger.node';
import type { WebhookRequest } from '../harness/webhook';
import { callWebhook } from '../harness/webhook';

export const trigger = new SalesforceTrigger();

/** The exact acknowledgement Salesforce requires (api-facts 3a), byte for byte. */
export const EXPECTED_ACK =
	'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
	'<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
	'</soapenv:Body></soapenv:Envelope>';

/** The 18-character form of a 15-character Salesforce ID (case-checksum suffix, as Salesforce computes it). */
export function to18(id15: string): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id15[chunk * 5 + i])) bits |= 1 << i;
		suffix += alphabet[bits];
	}
	return id15 + suffix;
}

export const ORG_15 = '00D5g000004SbXq';
export const ORG_18 = to18(ORG_15);
/** A live-looking session id ("Send Session ID" ticked): must never leak unless opted in. */
export const SESSION_ID = '00D5g000004SbXq!AQ0AQHx7sEcReTsEsSiOnTOKEN.k2v9QmZt1rLw3yXpA8dFj0cVbNn5MeUoIi';
export const SIGNING_SECRET = '9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a49382';

export interface NotificationSpec {
	id: string;
	type: string;
	/** Field name -> text, or null for xsi:nil. */
	fields: Array<[string, string | null]>;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An outbound message written the way Salesforce writes it: soapenv/xsi prefixes, the outbound
 * namespace as default namespace, sObject fields under sf:, xsi:nil for empty fields.
 */
export function outboundMessage(notifications: NotificationSpec[], overrides: { org?: string; sessionId?: string | null; actionId?: string } = {}): string {
	const org = overrides.org ?? ORG_18;
	const session = overrides.sessionId === undefined || overrides.sessionId === null ? '<SessionId xsi:nil="true"/>' : `<SessionId>${escapeXml(overrides.sessionId)}</SessionId>`;
	const body = notifications
		.map(
			(n) =>
				`<Notification><Id>${n.id}</Id><sObject xsi:type="sf:${n.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">` +
				n.fields.map(([name, value]) => (value === null ? `<sf:${name} xsi:nil="true"/>` : `<sf:${name}>${escapeXml(value)}</sf:${name}>`)).join('') +
				'</sObject></Notification>',
		)
		.join('\n   ');
	return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>${overrides.actionId ?? '04k5g000000TbYpAAK'}</ActionId>
   ${session}
   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/66.0/${ORG_15}</EnterpriseUrl>
   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/66.0/${ORG_15}</PartnerUrl>
   ${body}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

/** A notification id like Salesforce's (prefix 04l), numbered. */
export const notificationId = (n: number) => to18(`04l5g0000${String(n).padStart(6, '0')}`.slice(0, 15));

export const LEAD: NotificationSpec = {
	id: notificationId(1),
	type: 'Lead',
	fields: [
		['Id', '00Q5g00000AbCdEEAV'],
		['Email', 'ada.lovelace@example.com'],
		['FirstName', 'Ada'],
		['LastName', 'Lovelace'],
		['Company', 'Analytical Engines & Co'],
		['Phone', null],
		['AnnualRevenue', '1.5E7'],
		['NumberOfEmployees', '250'],
		['HasOptedOutOfEmail', 'false'],
		['PostalCode', '02134'],
		['CreatedDate', '2026-11-23T10:15:30.000Z'],
		['Birthdate__c', '1815-12-10'],
		['LeadSource', 'Web'],
	],
};

export const OUTBOUND_PARAMETERS: INodeParameters = { source: 'outboundMessage', organizationId: ORG_15, sObjectTypes: '', options: {} };

export function soapRequest(xml: string | Buffer, extra: Partial<WebhookRequest> = {}): WebhookRequest {
	return { headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' }, rawBody: xml, ip: '13.110.6.8', ...extra };
}

export async function deliver(xml: string | Buffer, parameters: INodeParameters = {}, extra: Partial<WebhookRequest> & { staticData?: IDataObject } = {}) {
	const { staticData, ...request } = extra;
	return await callWebhook(trigger, { parameters: { ...OUTBOUND_PARAMETERS, ...parameters } }, soapRequest(xml, request), { staticData });
}

export const JSON_PARAMETERS: INodeParameters = { source: 'jsonCallout', verification: 'signature', signatureHeader: 'X-Signature', jsonOptions: {} };
export const CALLOUT_CREDENTIALS = { salesforceCalloutSecretApi: { secret: SIGNING_SECRET } };

export const sign = (payload: string, secret = SIGNING_SECRET, encoding: 'hex' | 'base64' = 'hex') =>
	createHmac('sha256', secret).update(payload, 'utf8').digest(encoding);

export async function callout(rawBody: string, headers: Record<string, string>, parameters: INodeParameters = {}, extra: { staticData?: IDataObject; ip?: string; secret?: string } = {}) {
	return await callWebhook(
		trigger,
		{ parameters: { ...JSON_PARAMETERS, ...parameters }, credentials: { salesforceCalloutSecretApi: { id: 'cred-sf-secret', name: 'Salesforce callout secret' } } },
		{ headers: { 'Content-Type': 'application/json', ...headers }, rawBody, ip: extra.ip ?? '13.110.6.8' },
		{ staticData: extra.staticData, credentials: { salesforceCalloutSecretApi: { secret: extra.secret ?? SIGNING_SECRET } } },
	);
}

/** The seed-003 payload. */
export const CAMPAIGN_EVENT = {
	event_type: 'campaign_updated',
	campaign_id: '701xx000000001AAAQ',
	campaign_name: 'Q1 Checkout Optimization',
	status: 'Completed',
	experiment_key: 'checkout-button-color',
};
