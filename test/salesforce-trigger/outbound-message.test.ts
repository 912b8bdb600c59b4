import type { IDataObject } from 'n8n-workflow';

import type { NotificationSpec } from './fixtures';
import { deliver, EXPECTED_ACK, LEAD, notificationId, ORG_15, ORG_18, outboundMessage, SESSION_ID } from './fixtures';

const jsonOf = (call: Awaited<ReturnType<typeof deliver>>) => (call.items?.[0] ?? []).map((item) => item.json);

function expectAck(call: Awaited<ReturnType<typeof deliver>>) {
	expect(call.response.statusCode).toBe(200);
	expect(call.response.headers['content-type']).toBe('text/xml; charset=utf-8');
	expect(call.response.body).toBe(EXPECTED_ACK);
	// A fixed length rather than chunked transfer: the simplest reply for any SOAP client.
	expect(call.response.headers['content-length']).toBe(String(Buffer.byteLength(EXPECTED_ACK)));
	expect(call.result.noWebhookResponse).toBe(true);
}

describe('Outbound Message: a single Lead notification', () => {
	test('answers the exact SOAP Ack (text/xml) and emits one item with types restored', async () => {
		const call = await deliver(outboundMessage([LEAD]));
		expectAck(call);
		expect(call.items).toEqual([
			[
				{
					json: {
						notificationId: LEAD.id,
						sObjectType: 'Lead',
						recordId: '00Q5g00000AbCdEEAV',
						organizationId: ORG_18,
						actionId: '04k5g000000TbYpAAK',
						enterpriseUrl: `https://acme.my.salesforce.com/services/Soap/c/66.0/${ORG_15}`,
						partnerUrl: `https://acme.my.salesforce.com/services/Soap/u/66.0/${ORG_15}`,
						fields: {
							Id: '00Q5g00000AbCdEEAV',
							Email: 'ada.lovelace@example.com',
							FirstName: 'Ada',
							LastName: 'Lovelace',
							Company: 'Analytical Engines & Co',
							Phone: null,
							AnnualRevenue: 15000000,
							NumberOfEmployees: 250,
							HasOptedOutOfEmail: false,
							PostalCode: '02134',
							CreatedDate: '2026-11-23T10:15:30.000Z',
							Birthdate__c: '1815-12-10',
							LeadSource: 'Web',
						},
					},
				},
			],
		]);
	});

	test('with Convert Field Types off every value stays Salesforce\'s text; nil stays null', async () => {
		const call = await deliver(outboundMessage([LEAD]), { options: { convertTypes: false } });
		expectAck(call);
		expect(jsonOf(call)[0].fields).toEqual(Object.fromEntries(LEAD.fields));
	});

	test('field text is kept exactly, with its leading and trailing spaces and new lines; the envelope\'s IDs are trimmed', async () => {
		const description = '  Met at the fair.\n  Follow up in May.\n';
		const note: NotificationSpec = { id: LEAD.id, type: 'Lead', fields: [['Id', '00Q5g00000AbCdEEAV'], ['Description', description], ['Title', ' ']] };
		const xml = outboundMessage([note]).replace(`<OrganizationId>${ORG_18}</OrganizationId>`, `<OrganizationId>\n ${ORG_18}\n</OrganizationId>`);
		const call = await deliver(xml, { options: { convertTypes: false } });
		expectAck(call);
		expect(jsonOf(call)[0].organizationId).toBe(ORG_18);
		expect(jsonOf(call)[0].fields).toEqual({ Id: '00Q5g00000AbCdEEAV', Description: description, Title: ' ' });
	});

	test('Keep as Text keeps the named fields as text even when they look like numbers or booleans', async () => {
		const call = await deliver(outboundMessage([LEAD]), { options: { keepAsText: 'NumberOfEmployees, HasOptedOutOfEmail' } });
		const fields = jsonOf(call)[0].fields as IDataObject;
		expect(fields.NumberOfEmployees).toBe('250');
		expect(fields.HasOptedOutOfEmail).toBe('false');
		expect(fields.AnnualRevenue).toBe(15000000);
	});

	test('the SessionId is left out unless Include Session ID is on', async () => {
		const xml = outboundMessage([LEAD], { sessionId: SESSION_ID });
		const hidden = await deliver(xml);
		expectAck(hidden);
		expect(jsonOf(hidden)[0]).not.toHaveProperty('sessionId');
		expect(JSON.stringify(hidden.items)).not.toContain(SESSION_ID);

		const shown = await deliver(xml, { options: { includeSessionId: true } });
		expect(jsonOf(shown)[0].sessionId).toBe(SESSION_ID);

		const nil = await deliver(outboundMessage([LEAD]), { options: { includeSessionId: true } });
		expect(jsonOf(nil)[0].sessionId).toBeNull();
	});
});

describe('Outbound Message: batches, object types and prefixes', () => {
	const types = ['Lead', 'Contact', 'Account', 'Opportunity'];
	const hundred: NotificationSpec[] = Array.from({ length: 100 }, (_, index) => ({
		id: notificationId(index + 1),
		type: types[index % types.length],
		fields: [
			['Id', `0035g00000Zz${String(index).padStart(3, '0')}AAA`],
			['Name', `Record ${index}`],
			['Amount', index % 2 === 0 ? `${index}.0` : null],
			['IsClosed', index % 3 === 0 ? 'true' : 'false'],
		],
	}));

	test('100 notifications of four object types: one item each, in order, one Ack for all', async () => {
		const call = await deliver(outboundMessage(hundred));
		expectAck(call);
		const items = jsonOf(call);
		expect(items).toHaveLength(100);
		expect(items.map((item) => item.notificationId)).toEqual(hundred.map((n) => n.id));
		expect(items.map((item) => item.sObjectType)).toEqual(hundred.map((n) => n.type));
		expect(items[4].fields).toEqual({ Id: '0035g00000Zz004AAA', Name: 'Record 4', Amount: 4, IsClosed: false });
		expect(items[3].fields).toEqual({ Id: '0035g00000Zz003AAA', Name: 'Record 3', Amount: null, IsClosed: true });
	});

	test('101 notifications are refused with 400 and nothing starts', async () => {
		const more = [...hundred, { ...hundred[0], id: notificationId(101) }];
		const call = await deliver(outboundMessage(more));
		expect(call.response.statusCode).toBe(400);
		expect(call.response.body).toBe('The outbound message holds 101 notifications; Salesforce sends at most 100');
		expect(call.items).toBeUndefined();
	});

	test('any namespace prefixes: SOAP-ENV, out:, ens:, i: for xsi, and a Notification that is not wrapped', async () => {
		const xml = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
<SOAP-ENV:Body>
<out:notifications xmlns:out="http://soap.sforce.com/2005/09/outbound" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
<out:OrganizationId>${ORG_15}</out:OrganizationId>
<out:ActionId>04k5g000000TbYp</out:ActionId>
<out:SessionId i:nil="true"/>
<out:EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/66.0/${ORG_15}</out:EnterpriseUrl>
<out:PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/66.0/${ORG_15}</out:PartnerUrl>
<out:Notification>
<out:Id>${notificationId(7)}</out:Id>
<out:sObject i:type="ens:Contact" xmlns:ens="urn:sobject.enterprise.soap.sforce.com">
<ens:Id>0035g00000AbCdEAAV</ens:Id>
<ens:Email>o&#39;brien@example.ie</ens:Email>
<ens:MobilePhone i:nil="true"/>
<ens:Description><![CDATA[Likes <b>bold</b> & plain]]></ens:Description>
<ens:Title></ens:Title>
</out:sObject>
</out:Notification>
</out:notifications>
</SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;
		const call = await deliver(xml);
		expectAck(call);
		expect(jsonOf(call)).toEqual([
			{
				notificationId: notificationId(7),
				sObjectType: 'Contact',
				recordId: '0035g00000AbCdEAAV',
				organizationId: ORG_15,
				actionId: '04k5g000000TbYp',
				enterpriseUrl: `https://acme.my.salesforce.com/services/Soap/c/66.0/${ORG_15}`,
				partnerUrl: `https://acme.my.salesforce.com/services/Soap/u/66.0/${ORG_15}`,
				fields: { Id: '0035g00000AbCdEAAV', Email: "o'brien@example.ie", MobilePhone: null, Description: 'Likes <b>bold</b> & plain', Title: '' },
			},
		]);
	});

	test('an element in the wrong namespace is not mistaken for the outbound message', async () => {
		const xml = outboundMessage([LEAD]).replace('xmlns="http://soap.sforce.com/2005/09/outbound"', 'xmlns="urn:example:not-salesforce"');
		const call = await deliver(xml);
		expect(call.response.statusCode).toBe(400);
		expect(call.response.body).toBe('The SOAP message has no <notifications> inside <Body>: it is not a Salesforce outbound message');
		expect(call.items).toBeUndefined();
	});
});

describe('Outbound Message: filters and redeliveries', () => {
	const contact: NotificationSpec = { id: notificationId(2), type: 'Contact', fields: [['Id', '0035g00000AbCdEAAV'], ['Email', 'c@example.com']] };
	const account: NotificationSpec = { id: notificationId(3), type: 'Account', fields: [['Id', '0015g00000AbCdEAAV'], ['Name', 'Acme']] };

	test('only the listed object types pass (case-insensitive); the rest is acknowledged, not emitted', async () => {
		const call = await deliver(outboundMessage([LEAD, account, contact]), { sObjectTypes: 'lead, Contact' });
		expectAck(call);
		expect(jsonOf(call).map((item) => item.sObjectType)).toEqual(['Lead', 'Contact']);
	});

	test('a message whose notifications are all filtered out is acknowledged and starts nothing', async () => {
		const call = await deliver(outboundMessage([account]), { sObjectTypes: 'Lead' });
		expectAck(call);
		expect(call.items).toBeUndefined();
	});

	test('a redelivered notification is acknowledged but not emitted twice; new ones in the same message are', async () => {
		const staticData: IDataObject = {};
		const first = await deliver(outboundMessage([LEAD]), {}, { staticData });
		expect(jsonOf(first)).toHaveLength(1);

		const again = await deliver(outboundMessage([LEAD]), {}, { staticData });
		expectAck(again);
		expect(again.items).toBeUndefined();

		const mixed = await deliver(outboundMessage([LEAD, contact]), {}, { staticData });
		expectAck(mixed);
		expect(jsonOf(mixed).map((item) => item.notificationId)).toEqual([contact.id]);
		expect(Object.keys((staticData['node:Trigger'] as IDataObject).deliveredIds as IDataObject)).toEqual([`n:${LEAD.id}`, `n:${contact.id}`]);
	});

	test('n8n is told to save static data only when the memory changed (not for a pure redelivery)', async () => {
		const staticData: IDataObject = {};
		const first = await deliver(outboundMessage([LEAD]), {}, { staticData });
		expect(first.staticData.__dataChanged).toBe(true);
		const again = await deliver(outboundMessage([LEAD]), {}, { staticData });
		expect(again.items).toBeUndefined();
		expect(again.staticData.__dataChanged).toBe(false);
	});

	test('a call that starts nothing still flags changed memory (n8n saves static data after every webhook call)', async () => {
		// n8n's LiveWebhooks saves the workflow's static data when __dataChanged is set, also when the
		// call starts no execution: here a pure redelivery that forgets an expired ID.
		const staticData: IDataObject = { 'node:Trigger': { deliveredIds: { 'n:expired': Date.now() - 25 * 60 * 60 * 1000, [`n:${LEAD.id}`]: Date.now() } } };
		const again = await deliver(outboundMessage([LEAD]), {}, { staticData });
		expectAck(again);
		expect(again.items).toBeUndefined();
		expect(again.staticData.__dataChanged).toBe(true);
		expect(Object.keys((again.staticData['node:Trigger'] as IDataObject).deliveredIds as IDataObject)).toEqual([`n:${LEAD.id}`]);
	});

	test('the same notification twice inside one message is emitted once', async () => {
		const call = await deliver(outboundMessage([LEAD, LEAD]));
		expect(jsonOf(call)).toHaveLength(1);
	});

	test('with Ignore Redeliveries off, a redelivery is emitted again and nothing is stored', async () => {
		const staticData: IDataObject = {};
		const options = { options: { deduplicate: false } };
		await deliver(outboundMessage([LEAD]), options, { staticData });
		const again = await deliver(outboundMessage([LEAD]), options, { staticData });
		expect(jsonOf(again)).toHaveLength(1);
		expect(staticData).toEqual({});
	});

	test('remembered IDs older than 24 hours are forgotten', async () => {
		const staticData: IDataObject = { 'node:Trigger': { deliveredIds: { [`n:${LEAD.id}`]: Date.now() - 25 * 60 * 60 * 1000 } } };
		const call = await deliver(outboundMessage([LEAD]), {}, { staticData });
		expect(jsonOf(call)).toHaveLength(1);
	});

	test('the memory is bounded: at most 5,000 IDs, the oldest dropped first', async () => {
		const now = Date.now();
		const old = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`n:old-${index}`, now - 1000]));
		const staticData: IDataObject = { 'node:Trigger': { deliveredIds: old } };
		await deliver(outboundMessage([LEAD]), {}, { staticData });
		const ids = Object.keys((staticData['node:Trigger'] as IDataObject).deliveredIds as IDataObject);
		expect(ids).toHaveLength(5000);
		expect(ids[0]).toBe('n:old-1');
		expect(ids[ids.length - 1]).toBe(`n:${LEAD.id}`);
	});
});
