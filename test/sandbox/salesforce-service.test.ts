import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';

import { XMLParser } from 'fast-xml-parser';
import nock from 'nock';

import { jwtAssertion } from '../../nodes/Salesforce/transport/oauth';
import { parseOutboundMessage } from '../../nodes/SalesforceTrigger/outboundMessage';
import { sameOrganization } from '../../nodes/SalesforceTrigger/verify';
import type { CallOptions, ReceiverHandle, Sandbox, ServiceHandle } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1|localhost/));

interface SalesforceHandle extends ServiceHandle {
	instanceUrl: string;
	myDomainUrl: string;
	clientId: string;
	clientSecret: string;
	orgId: string;
	orgId15: string;
	username: string;
	apiVersion: string;
	jwtPrivateKey?: string;
	records(type: string): Array<Record<string, any>>;
	addRecord(type: string, fields: Record<string, unknown>): Record<string, any>;
	stats(): Record<string, unknown>;
	expireTokens(): number;
	requestLimit(on?: boolean): boolean;
	noteText(id: string): string | null;
	outboundMessage(spec: Record<string, unknown>): string;
	sendOutboundMessage(spec: Record<string, unknown>): Promise<{ status: number; headers: Record<string, unknown>; body: string; ack: boolean; sent: string }>;
	sendCallout(spec: Record<string, unknown>): Promise<{ status: number; body: string; sent: string; signature?: string; timestamp?: string }>;
	sent(): Array<Record<string, unknown>>;
}

const V = '/services/data/v66.0';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

let sandbox: Sandbox;
let sf: SalesforceHandle;
let receiver: ReceiverHandle;
let fetchIt: ReturnType<typeof caller>;
let token: string;

const getToken = async () => {
	const answer = await fetchIt(`${sf.url}/services/oauth2/token`, {
		method: 'POST',
		headers: FORM,
		body: `grant_type=client_credentials&client_id=${sf.clientId}&client_secret=${sf.clientSecret}`,
	});
	return answer.json.access_token as string;
};

/** A REST call below /services/data/v66.0 with the current token. */
const api = async (method: string, path: string, options: CallOptions = {}) =>
	await fetchIt(`${sf.url}${V}${path}`, { method, ...options, headers: { Authorization: `Bearer ${token}`, ...(options.headers ?? {}) } });

beforeAll(async () => {
	sandbox = await startSandbox({ services: ['salesforce', 'receiver'], options: { salesforce: { pageSize: 2 } } });
	sf = sandbox.services.salesforce as SalesforceHandle;
	receiver = sandbox.services.receiver;
	fetchIt = caller(sandbox);
});
afterAll(async () => await sandbox.stop());
beforeEach(async () => {
	sf.reset();
	receiver.reset();
	token = await getToken();
	sf.clear();
});

describe('defaults and org id', () => {
	test('client id/secret, the 18-character org id of 00DSANDBOX00001 (the seed-000 blueprint org), API 66.0', () => {
		expect(sf).toMatchObject({
			clientId: 'sandbox-sf-client-id',
			clientSecret: 'sandbox-sf-client-secret',
			orgId: '00DSANDBOX0000125A',
			orgId15: '00DSANDBOX00001',
			username: 'integration@sandbox.example',
			apiVersion: '66.0',
			instanceUrl: sf.url,
			myDomainUrl: sf.url,
		});
		expect(sf.jwtPrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
		// The trigger's own comparison: the blueprint's 15-character id names this org.
		expect(sameOrganization('00DSANDBOX00001', sf.orgId)).toBe(true);
		expect(sameOrganization('00DSANDBOX00002', sf.orgId)).toBe(false);
	});
});

describe('OAuth token endpoint', () => {
	test('client credentials in the form: 200 with the token, instance_url = the fake, and a verifiable signature', async () => {
		const answer = await fetchIt(`${sf.url}/services/oauth2/token`, {
			method: 'POST',
			headers: FORM,
			body: 'grant_type=client_credentials&client_id=sandbox-sf-client-id&client_secret=sandbox-sf-client-secret',
		});
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.json).sort()).toEqual(['access_token', 'api_instance_url', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
		expect(answer.json).toMatchObject({
			access_token: expect.stringMatching(/^00DSANDBOX0000125A![A-Za-z0-9]{40,}$/),
			instance_url: sf.url,
			id: `${sf.url}/id/00DSANDBOX0000125A/005SANDBOX00001Y5A`,
			token_type: 'Bearer',
			issued_at: expect.stringMatching(/^\d{13}$/),
			scope: 'api',
		});
		const expected = createHmac('sha256', 'sandbox-sf-client-secret').update(`${answer.json.id}${answer.json.issued_at}`).digest('base64');
		expect(answer.json.signature).toBe(expected);
		expect((await fetchIt(`${sf.url}${V}/`, { headers: { Authorization: `Bearer ${answer.json.access_token}` } })).status).toBe(200);
	});

	test('client credentials as HTTP Basic (URL-encoded parts, as our credential sends them) also work', async () => {
		const basic = Buffer.from(`${encodeURIComponent(sf.clientId)}:${encodeURIComponent(sf.clientSecret)}`).toString('base64');
		const answer = await fetchIt(`${sf.url}/services/oauth2/token`, { method: 'POST', headers: { ...FORM, Authorization: `Basic ${basic}` }, body: 'grant_type=client_credentials' });
		expect(answer.status).toBe(200);
		expect(answer.json.token_type).toBe('Bearer');
	});

	test('a wrong secret: 400 invalid_client; a wrong id: 400 invalid_client_id; another grant: 400 unsupported_grant_type', async () => {
		const post = async (body: string) => await fetchIt(`${sf.url}/services/oauth2/token`, { method: 'POST', headers: FORM, body });
		const wrongSecret = await post('grant_type=client_credentials&client_id=sandbox-sf-client-id&client_secret=nope-nope');
		expect({ status: wrongSecret.status, json: wrongSecret.json }).toEqual({ status: 400, json: { error: 'invalid_client', error_description: 'invalid client credentials' } });
		expect(wrongSecret.text).not.toContain('nope-nope');
		const wrongId = await post('grant_type=client_credentials&client_id=other&client_secret=sandbox-sf-client-secret');
		expect({ status: wrongId.status, json: wrongId.json }).toEqual({ status: 400, json: { error: 'invalid_client_id', error_description: 'client identifier invalid' } });
		const password = await post('grant_type=password&username=a&password=b');
		expect({ status: password.status, json: password.json }).toEqual({ status: 400, json: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } });
		expect(sf.stats()).toMatchObject({ tokensIssued: 1, clientCredentialsTokens: 1, failedTokenRequests: 3 });
	});

	test('JWT bearer: an assertion signed by our credential code with the fake\'s key gets a token; other keys, users and audiences do not', async () => {
		const sign = (key: string) => (input: string) => createSign('RSA-SHA256').update(input).sign(key);
		const assertion = (key: string, claims: Partial<{ clientId: string; username: string; audience: string }> = {}) =>
			jwtAssertion(
				sign(key),
				{ clientId: sf.clientId, username: sf.username, audience: 'https://login.salesforce.com', nowSeconds: Math.floor(Date.now() / 1000), ...claims },
				key,
			);
		const post = async (jwt: string) =>
			await fetchIt(`${sf.url}/services/oauth2/token`, { method: 'POST', headers: FORM, body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${jwt}` });
		const good = await post(assertion(sf.jwtPrivateKey as string));
		expect(good.status).toBe(200);
		expect(good.json).toMatchObject({ instance_url: sf.url, token_type: 'Bearer' });

		const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
		expect((await post(assertion(other.privateKey))).json).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
		expect((await post(assertion(sf.jwtPrivateKey as string, { username: 'someone@else.example' }))).json).toEqual({ error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
		expect((await post(assertion(sf.jwtPrivateKey as string, { audience: 'https://example.com' }))).json).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
		expect((await post(assertion(sf.jwtPrivateKey as string, { clientId: 'other-app' }))).json).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
		expect((await post('not.a.jwt')).status).toBe(400);
		expect(sf.stats()).toMatchObject({ jwtTokens: 1 });
	});

	test('a given public key (option jwtPublicKey) is used instead of a generated pair', async () => {
		const pair = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
		const other = await startSandbox({ services: ['salesforce'], http: true, options: { salesforce: { jwtPublicKey: pair.publicKey, orgId: '00D5g000004SbXq' } } });
		try {
			const handle = other.services.salesforce as SalesforceHandle;
			expect(handle.jwtPrivateKey).toBeUndefined();
			expect(handle.orgId).toBe('00D5g000004SbXqEAK');
			const jwt = jwtAssertion((input, key) => createSign('RSA-SHA256').update(input).sign(key), { clientId: handle.clientId, username: handle.username, audience: 'https://test.salesforce.com', nowSeconds: Math.floor(Date.now() / 1000) }, pair.privateKey);
			const answer = await caller(other)(`${handle.url}/services/oauth2/token`, { method: 'POST', headers: FORM, body: `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${jwt}` });
			expect(answer.status).toBe(200);
			expect(answer.json.access_token).toMatch(/^00D5g000004SbXqEAK!/);
		} finally {
			await other.stop();
		}
	});
});

describe('REST basics', () => {
	test('no token or an unknown one: 401 INVALID_SESSION_ID', async () => {
		const none = await fetchIt(`${sf.url}${V}/sobjects`);
		expect({ status: none.status, json: none.json }).toEqual({ status: 401, json: INVALID_SESSION });
		const unknown = await api('GET', '/sobjects', { headers: { Authorization: 'Bearer 00DSANDBOX0000125A!AQnope' } });
		expect({ status: unknown.status, json: unknown.json }).toEqual({ status: 401, json: INVALID_SESSION });
	});

	test('GET /services/data/ lists versions without a token; GET /vXX.X/ lists resources; an unknown version is 404', async () => {
		const versions = await fetchIt(`${sf.url}/services/data/`);
		expect(versions.status).toBe(200);
		expect(versions.json).toContainEqual({ label: 'v66.0', url: '/services/data/v66.0', version: '66.0' });
		expect(versions.json).toHaveLength(21);
		const root = await api('GET', '/');
		expect(root.status).toBe(200);
		expect(root.json).toMatchObject({ sobjects: `${V}/sobjects`, query: `${V}/query`, limits: `${V}/limits` });
		const old = await fetchIt(`${sf.url}/services/data/v20.0/sobjects`, { headers: { Authorization: `Bearer ${token}` } });
		expect({ status: old.status, json: old.json }).toEqual({ status: 404, json: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
	});

	test('every REST answer carries Sforce-Limit-Info, counting; /limits agrees', async () => {
		expect((await api('GET', '/sobjects')).headers['sforce-limit-info']).toBe('api-usage=1/15000');
		expect((await api('GET', '/sobjects/Nope')).headers['sforce-limit-info']).toBe('api-usage=2/15000');
		const limits = await api('GET', '/limits');
		expect(limits.headers['sforce-limit-info']).toBe('api-usage=3/15000');
		expect(limits.json.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14997 });
	});

	test('describe global lists Campaign, Contact, Lead, Account, ContentNote, ContentDocumentLink, Note with key prefixes', async () => {
		const answer = await api('GET', '/sobjects');
		expect(answer.status).toBe(200);
		const prefixes = Object.fromEntries(answer.json.sobjects.map((entry: { name: string; keyPrefix: string }) => [entry.name, entry.keyPrefix]));
		expect(prefixes).toMatchObject({ Account: '001', Campaign: '701', Contact: '003', Lead: '00Q', ContentNote: '069', ContentDocument: '069', ContentDocumentLink: '06A', Note: '002' });
		expect(answer.json.sobjects.find((entry: { name: string }) => entry.name === 'Campaign')).toMatchObject({ queryable: true, createable: true, label: 'Campaign', urls: { describe: `${V}/sobjects/Campaign/describe` } });
	});

	test('GET /sobjects/Campaign/describe: the Status picklist (as the node\'s status list reads it)', async () => {
		const answer = await api('GET', '/sobjects/Campaign/describe');
		expect(answer.status).toBe(200);
		const status = answer.json.fields.find((field: { name: string }) => field.name === 'Status');
		expect(status.picklistValues.map((value: { value: string; active: boolean }) => [value.value, value.active])).toEqual([
			['Planned', true],
			['In Progress', true],
			['Completed', true],
			['Aborted', true],
		]);
		expect(status.restrictedPicklist).toBe(true);
	});
});

describe('records', () => {
	test('POST creates with an 18-character id by key prefix: 201 {id, success, errors}', async () => {
		const made: Record<string, string> = {};
		for (const [type, body] of Object.entries({ Campaign: { Name: 'Spring' }, Contact: { LastName: 'Lovelace' }, Lead: { LastName: 'Hopper', Company: 'Navy' }, Account: { Name: 'Acme' } })) {
			const answer = await api('POST', `/sobjects/${type}`, { body });
			expect(answer.status).toBe(201);
			expect(answer.json).toEqual({ id: expect.any(String), success: true, errors: [] });
			made[type] = answer.json.id;
		}
		expect(made.Campaign).toMatch(/^701[A-Za-z0-9]{15}$/);
		expect(made.Contact).toMatch(/^003[A-Za-z0-9]{15}$/);
		expect(made.Lead).toMatch(/^00Q[A-Za-z0-9]{15}$/);
		expect(made.Account).toMatch(/^001[A-Za-z0-9]{15}$/);
		expect(sf.records('Campaign')).toEqual([expect.objectContaining({ Id: made.Campaign, Name: 'Spring', Status: 'Planned', IsActive: false })]);
	});

	test('required field missing, unknown field, read-only field: 400 with Salesforce\'s codes', async () => {
		const missing = await api('POST', '/sobjects/Lead', { body: { LastName: 'X' } });
		expect({ status: missing.status, json: missing.json }).toEqual({ status: 400, json: [{ message: 'Required fields are missing: [Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }] });
		const unknown = await api('POST', '/sobjects/Campaign', { body: { Name: 'x', Colour: 'red' } });
		expect({ status: unknown.status, json: unknown.json }).toEqual({ status: 400, json: [{ message: "No such column 'Colour' on sobject of type Campaign", errorCode: 'INVALID_FIELD' }] });
		const readOnly = await api('POST', '/sobjects/Campaign', { body: { Name: 'x', CreatedDate: '2020-01-01' } });
		expect(readOnly.json[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['CreatedDate'] });
		const type = await api('POST', '/sobjects/Nope', { body: {} });
		expect({ status: type.status, json: type.json }).toEqual({ status: 404, json: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
		expect(sf.records('Campaign')).toEqual([]);
	});

	test('GET by id (18 or 15 characters, ?fields=), PATCH 204, restricted picklist 400, DELETE 204 then 404', async () => {
		const { Id } = sf.addRecord('Campaign', { Name: 'Summer', Experiment_Key__c: 'exp-1' });
		const full = await api('GET', `/sobjects/Campaign/${Id}`);
		expect(full.status).toBe(200);
		expect(full.json).toMatchObject({ attributes: { type: 'Campaign', url: `${V}/sobjects/Campaign/${Id}` }, Id, Name: 'Summer', Status: 'Planned', Description: null, Experiment_Key__c: 'exp-1' });
		const some = await api('GET', `/sobjects/Campaign/${Id.slice(0, 15)}?fields=Name,Status`);
		expect(some.json).toEqual({ attributes: { type: 'Campaign', url: `${V}/sobjects/Campaign/${Id}` }, Name: 'Summer', Status: 'Planned' });

		const patch = await api('PATCH', `/sobjects/Campaign/${Id}`, { body: { Status: 'Completed', Description: 'B won' } });
		expect(patch.status).toBe(204);
		expect(patch.text).toBe('');
		expect(sf.records('Campaign')[0]).toMatchObject({ Status: 'Completed', Description: 'B won' });
		const paused = await api('PATCH', `/sobjects/Campaign/${Id}`, { body: { Status: 'Paused' } });
		expect({ status: paused.status, json: paused.json }).toEqual({
			status: 400,
			json: [{ message: 'Status: bad value for restricted picklist field: Paused', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] }],
		});

		expect((await api('DELETE', `/sobjects/Campaign/${Id}`)).status).toBe(204);
		const gone = await api('GET', `/sobjects/Campaign/${Id}`);
		expect({ status: gone.status, json: gone.json }).toEqual({ status: 404, json: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
		const notAnId = await api('GET', '/sobjects/Campaign/abc');
		expect(notAnId.json).toEqual([{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: abc' }]);
	});

	test('upsert by external id: 201 created, 200 updated, 300 with the matches, 404 with updateOnly or a non-external field', async () => {
		const created = await api('PATCH', '/sobjects/Campaign/Experiment_Key__c/exp-42', { body: { Name: 'Exp 42' } });
		expect({ status: created.status, json: created.json }).toEqual({ status: 201, json: { id: expect.stringMatching(/^701/), success: true, errors: [], created: true } });
		const updated = await api('PATCH', '/sobjects/Campaign/Experiment_Key__c/exp-42', { body: { Status: 'Completed' } });
		expect({ status: updated.status, json: updated.json }).toEqual({ status: 200, json: { id: created.json.id, success: true, errors: [], created: false } });
		expect(sf.records('Campaign')).toEqual([expect.objectContaining({ Id: created.json.id, Name: 'Exp 42', Experiment_Key__c: 'exp-42', Status: 'Completed' })]);

		const a = sf.addRecord('Campaign', { Name: 'Dup A', Experiment_Key__c: 'dup' });
		const b = sf.addRecord('Campaign', { Name: 'Dup B', Experiment_Key__c: 'dup' });
		const several = await api('PATCH', '/sobjects/Campaign/Experiment_Key__c/dup', { body: { Status: 'Aborted' } });
		expect({ status: several.status, json: several.json }).toEqual({ status: 300, json: [`${V}/sobjects/Campaign/${a.Id}`, `${V}/sobjects/Campaign/${b.Id}`] });

		const onlyUpdate = await api('PATCH', '/sobjects/Campaign/Experiment_Key__c/missing?updateOnly=true', { body: { Name: 'x' } });
		expect({ status: onlyUpdate.status, json: onlyUpdate.json }).toEqual({ status: 404, json: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
		const notExternal = await api('PATCH', '/sobjects/Campaign/Name/x', { body: {} });
		expect({ status: notExternal.status, json: notExternal.json }).toEqual({ status: 404, json: [{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: Name' }] });
		expect(sf.records('Campaign')).toHaveLength(3);
	});

	test('ContentNote: base64 Content stored and decoded; ContentDocumentLink links it to the Campaign; a bad link is 400', async () => {
		const campaign = sf.addRecord('Campaign', { Name: 'Notes here' });
		const html = '<p>Variant B won &amp; shipped</p>';
		const note = await api('POST', '/sobjects/ContentNote', { body: { Title: 'Result', Content: Buffer.from(html).toString('base64') } });
		expect(note.status).toBe(201);
		expect(note.json.id).toMatch(/^069[A-Za-z0-9]{15}$/);
		expect(sf.noteText(note.json.id)).toBe(html);
		expect(sf.records('ContentNote')).toEqual([expect.objectContaining({ Id: note.json.id, Title: 'Result', ContentText: html, FileType: 'SNOTE', TextPreview: 'Variant B won &amp; shipped' })]);

		const link = await api('POST', '/sobjects/ContentDocumentLink', { body: { ContentDocumentId: note.json.id, LinkedEntityId: campaign.Id, ShareType: 'V', Visibility: 'AllUsers' } });
		expect(link.status).toBe(201);
		expect(link.json.id).toMatch(/^06A[A-Za-z0-9]{15}$/);
		expect(sf.records('ContentDocumentLink')).toEqual([expect.objectContaining({ ContentDocumentId: note.json.id, LinkedEntityId: campaign.Id, ShareType: 'V', Visibility: 'AllUsers' })]);
		const bad = await api('POST', '/sobjects/ContentDocumentLink', { body: { ContentDocumentId: note.json.id, LinkedEntityId: '701Sb0000000999AAA', ShareType: 'V' } });
		expect({ status: bad.status, json: bad.json }).toEqual({ status: 400, json: [{ message: 'invalid cross reference id', errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['LinkedEntityId'] }] });
		const share = await api('POST', '/sobjects/ContentDocumentLink', { body: { ContentDocumentId: note.json.id, LinkedEntityId: campaign.Id, ShareType: 'X' } });
		expect(share.json[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

		const legacy = await api('POST', '/sobjects/Note', { body: { ParentId: campaign.Id, Title: 'Old style', Body: 'text', IsPrivate: false } });
		expect(legacy.status).toBe(201);
		expect(legacy.json.id).toMatch(/^002/);
	});
});

describe('SOQL query', () => {
	const q = async (soql: string) => await api('GET', `/query?q=${encodeURIComponent(soql)}`);

	test('WHERE with an escaped quote (\\\') finds the record; fields as selected, with attributes', async () => {
		const target = sf.addRecord('Contact', { LastName: "O'Brien", Email: 'ob@example.com' });
		sf.addRecord('Contact', { LastName: 'OBrien', Email: 'other@example.com' });
		const answer = await q("SELECT Id, LastName, Email FROM Contact WHERE LastName = 'O\\'Brien' AND Email = 'ob@example.com' LIMIT 5");
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			totalSize: 1,
			done: true,
			records: [{ attributes: { type: 'Contact', url: `${V}/sobjects/Contact/${target.Id}` }, Id: target.Id, LastName: "O'Brien", Email: 'ob@example.com' }],
		});
	});

	test('paging: nextRecordsUrl /services/data/v66.0/query/01g...-N until done (page size 2)', async () => {
		for (let i = 1; i <= 5; i++) sf.addRecord('Campaign', { Name: `C${i}` });
		const first = await q('SELECT Id, Name FROM Campaign ORDER BY Name');
		expect(first.json).toMatchObject({ totalSize: 5, done: false });
		expect(first.json.records.map((r: { Name: string }) => r.Name)).toEqual(['C1', 'C2']);
		expect(first.json.nextRecordsUrl).toMatch(/^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-2$/);
		const second = await fetchIt(`${sf.url}${first.json.nextRecordsUrl}`, { headers: { Authorization: `Bearer ${token}` } });
		expect(second.json).toMatchObject({ totalSize: 5, done: false, nextRecordsUrl: expect.stringMatching(/-4$/) });
		expect(second.json.records.map((r: { Name: string }) => r.Name)).toEqual(['C3', 'C4']);
		const third = await fetchIt(`${sf.url}${second.json.nextRecordsUrl}`, { headers: { Authorization: `Bearer ${token}` } });
		expect(third.json).toEqual({ totalSize: 5, done: true, records: [expect.objectContaining({ Name: 'C5' })] });
		const stale = await api('GET', '/query/01gSb0000000000AAA-2');
		expect({ status: stale.status, json: stale.json }).toEqual({ status: 400, json: [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }] });
	});

	test('LIKE with escaped wildcards, OR with parentheses, null, booleans, ORDER BY DESC, LIMIT', async () => {
		sf.addRecord('Campaign', { Name: '50% off', IsActive: true });
		sf.addRecord('Campaign', { Name: '50 off', IsActive: false, Description: 'x' });
		sf.addRecord('Campaign', { Name: 'Spring', IsActive: true });
		const like = await q("SELECT Name FROM Campaign WHERE Name LIKE '%\\%%'");
		expect(like.json.records.map((r: { Name: string }) => r.Name)).toEqual(['50% off']);
		const mixed = await q("SELECT Name FROM Campaign WHERE (IsActive = true AND Description = null) OR Name = '50 off' ORDER BY Name DESC LIMIT 2");
		expect(mixed.json.records.map((r: { Name: string }) => r.Name)).toEqual(['Spring', '50% off']);
		const picker = await q("SELECT Id, Name, Status FROM Campaign WHERE Name LIKE '%spr%' ORDER BY LastModifiedDate DESC LIMIT 100");
		expect(picker.json.records).toEqual([expect.objectContaining({ Name: 'Spring', Status: 'Planned' })]);
	});

	test('bad SOQL: 400 MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE', async () => {
		const malformed = await q("SELECT Id FROM Campaign WHERE Name = 'open");
		expect(malformed.status).toBe(400);
		expect(malformed.json[0].errorCode).toBe('MALFORMED_QUERY');
		const field = await q('SELECT Colour FROM Campaign');
		expect(field.json[0]).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Colour' on entity 'Campaign'") });
		const type = await q('SELECT Id FROM Nope__x');
		expect(type.json[0]).toMatchObject({ errorCode: 'INVALID_TYPE', message: expect.stringContaining("sObject type 'Nope__x' is not supported") });
		const empty = await api('GET', '/query');
		expect(empty.json).toEqual([{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
	});
});

describe('controls', () => {
	test('expire-tokens: the next REST call is 401 INVALID_SESSION_ID; a new token works', async () => {
		expect((await api('GET', '/sobjects')).status).toBe(200);
		const expired = await fetchIt(`${sf.url}/__sandbox/salesforce/expire-tokens`, { method: 'POST' });
		expect(expired.json).toEqual({ expired: 1 });
		const after = await api('GET', '/sobjects');
		expect({ status: after.status, json: after.json }).toEqual({ status: 401, json: INVALID_SESSION });
		token = await getToken();
		expect((await api('GET', '/sobjects')).status).toBe(200);
		expect(sf.stats()).toMatchObject({ tokensIssued: 2, expiredTokens: 1, activeTokens: 1 });
	});

	test('request-limit: 403 REQUEST_LIMIT_EXCEEDED until DELETE', async () => {
		expect((await fetchIt(`${sf.url}/__sandbox/salesforce/request-limit`, { method: 'POST' })).json).toEqual({ requestLimit: true });
		const limited = await api('GET', '/sobjects');
		expect({ status: limited.status, json: limited.json }).toEqual({ status: 403, json: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
		expect(limited.headers['sforce-limit-info']).toBe('api-usage=15000/15000');
		expect((await api('PATCH', '/sobjects/Campaign/701Sb0000000001AAA', { body: {} })).status).toBe(403);
		await fetchIt(`${sf.url}/__sandbox/salesforce/request-limit`, { method: 'DELETE' });
		expect((await api('GET', '/sobjects')).status).toBe(200);
	});

	test('reaching apiLimit (options apiUsage/apiLimit) answers 403 REQUEST_LIMIT_EXCEEDED; a session idle past sessionTimeoutMs is 401', async () => {
		const other = await startSandbox({ services: ['salesforce'], http: true, options: { salesforce: { apiLimit: 100, apiUsage: 98, sessionTimeoutMs: 300 } } });
		try {
			const handle = other.services.salesforce as SalesforceHandle;
			const call = caller(other);
			const issued = await call(`${handle.url}/services/oauth2/token`, { method: 'POST', headers: FORM, body: 'grant_type=client_credentials&client_id=sandbox-sf-client-id&client_secret=sandbox-sf-client-secret' });
			const auth = { Authorization: `Bearer ${issued.json.access_token}` };
			expect((await call(`${handle.url}${V}/limits`, { headers: auth })).json.DailyApiRequests).toEqual({ Max: 100, Remaining: 1 });
			const last = await call(`${handle.url}${V}/sobjects`, { headers: auth });
			expect({ status: last.status, limit: last.headers['sforce-limit-info'] }).toEqual({ status: 200, limit: 'api-usage=100/100' });
			const over = await call(`${handle.url}${V}/sobjects`, { headers: auth });
			expect({ status: over.status, json: over.json }).toEqual({ status: 403, json: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
			await new Promise((resolve) => setTimeout(resolve, 400));
			const idle = await call(`${handle.url}${V}/sobjects`, { headers: auth });
			expect({ status: idle.status, json: idle.json }).toEqual({ status: 401, json: INVALID_SESSION });
		} finally {
			await other.stop();
		}
	});

	test('records control: POST seeds, GET lists, DELETE clears', async () => {
		const seeded = await fetchIt(`${sf.url}/__sandbox/salesforce/records?type=Campaign`, { method: 'POST', body: { Id: '701Sb0000000777', Name: 'Seeded' } });
		expect(seeded.status).toBe(201);
		expect(seeded.json).toMatchObject({ Id: '701Sb0000000777IAA', Name: 'Seeded' });
		expect((await fetchIt(`${sf.url}/__sandbox/salesforce/records?type=Campaign`)).json).toEqual([expect.objectContaining({ Id: '701Sb0000000777IAA' })]);
		expect((await fetchIt(`${sf.url}/__sandbox/salesforce/records`)).json).toMatchObject({ Campaign: [expect.objectContaining({ Id: '701Sb0000000777IAA' })] });
		const got = await api('GET', '/sobjects/Campaign/701Sb0000000777IAA');
		expect(got.json.Name).toBe('Seeded');
		const invalid = await fetchIt(`${sf.url}/__sandbox/salesforce/records?type=Lead`, { method: 'POST', body: { LastName: 'x' } });
		expect(invalid).toMatchObject({ status: 400, json: { error: 'Invalid Lead: REQUIRED_FIELD_MISSING: Required fields are missing: [Company]' } });
		expect((await fetchIt(`${sf.url}/__sandbox/salesforce/records?type=Campaign`, { method: 'DELETE' })).json).toEqual({ cleared: 1 });
		expect(sf.records('Campaign')).toEqual([]);
	});

	test('an injected status gets Salesforce\'s error shape', async () => {
		sf.fault({ status: 503, count: 1, match: { path: `${V}/*` } });
		const answer = await api('GET', '/sobjects');
		expect({ status: answer.status, json: answer.json }).toEqual({ status: 503, json: [{ message: 'Injected by the sandbox', errorCode: 'SERVER_UNAVAILABLE' }] });
	});
});

describe('sender: outbound message', () => {
	const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: false, parseTagValue: false, trimValues: true });

	test('the SOAP envelope as Salesforce sends it: headers, namespaces, xsi:type, nil fields, 18-char org id; the ack is reported', async () => {
		receiver.respond({
			status: 200,
			body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>',
			headers: { 'Content-Type': 'text/xml' },
		});
		const answer = await fetchIt(`${sf.url}/__sandbox/salesforce/send-outbound-message`, {
			method: 'POST',
			body: {
				url: `${receiver.url}/webhook/sf`,
				sObjectType: 'Lead',
				records: [
					{ Id: '00QSb0000000001', Email: 'ada@example.com', FirstName: 'Ada', Phone: null, Company: 'A & B <Ltd>', AnnualRevenue: '50000.0' },
					{ Email: 'grace@example.com', LastName: 'Hopper' },
				],
				notificationIds: ['04lSb0000000001AAA'],
			},
		});
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ status: 200, ack: true });
		const [request] = receiver.requests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/webhook/sf');
		expect(request.headers['content-type']).toBe('text/xml; charset=utf-8');
		expect(request.headers.soapaction).toBe('""');
		expect(request.rawBody).toBe(answer.json.sent);

		const xml = request.rawBody;
		expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"')).toBe(true);
		const doc = parser.parse(xml);
		const envelope = doc['soapenv:Envelope'];
		expect(envelope['@_xmlns:soapenv']).toBe('http://schemas.xmlsoap.org/soap/envelope/');
		expect(envelope['@_xmlns:xsi']).toBe('http://www.w3.org/2001/XMLSchema-instance');
		const notifications = envelope['soapenv:Body'].notifications;
		expect(notifications['@_xmlns']).toBe('http://soap.sforce.com/2005/09/outbound');
		expect(notifications.OrganizationId).toBe('00DSANDBOX0000125A');
		expect(notifications.ActionId).toMatch(/^04k[A-Za-z0-9]{15}$/);
		expect(notifications.SessionId).toEqual({ '@_xsi:nil': 'true' });
		expect(notifications.EnterpriseUrl).toBe(`${sf.url}/services/Soap/c/66.0/00DSANDBOX00001`);
		expect(notifications.PartnerUrl).toBe(`${sf.url}/services/Soap/u/66.0/00DSANDBOX00001`);
		const [first, second] = notifications.Notification;
		expect(first.Id).toBe('04lSb0000000001AAA');
		expect(second.Id).toMatch(/^04l[A-Za-z0-9]{15}$/);
		expect(first.sObject['@_xsi:type']).toBe('sf:Lead');
		expect(first.sObject['@_xmlns:sf']).toBe('urn:sobject.enterprise.soap.sforce.com');
		expect(first.sObject['sf:Id']).toBe('00QSb0000000001');
		expect(first.sObject['sf:Phone']).toEqual({ '@_xsi:nil': 'true' });
		expect(first.sObject['sf:Company']).toBe('A & B <Ltd>');
		expect(first.sObject['sf:AnnualRevenue']).toBe('50000.0');
		expect(second.sObject['sf:Id']).toMatch(/^00Q[A-Za-z0-9]{15}$/);

		// The trigger's own parser reads it back.
		const parsed = parseOutboundMessage(xml);
		expect(parsed).toMatchObject({ organizationId: '00DSANDBOX0000125A', sessionId: null, enterpriseUrl: notifications.EnterpriseUrl });
		expect(parsed.notifications[0]).toEqual({
			notificationId: '04lSb0000000001AAA',
			sObjectType: 'Lead',
			fields: [['Id', '00QSb0000000001'], ['Email', 'ada@example.com'], ['FirstName', 'Ada'], ['Phone', null], ['Company', 'A & B <Ltd>'], ['AnnualRevenue', '50000.0']],
		});
	});

	test('a refusal is reported as not acknowledged; orgId and a live session id can be set (JS api)', async () => {
		receiver.respond({ status: 403, body: 'Forbidden' });
		const answer = await sf.sendOutboundMessage({ url: `${receiver.url}/hook`, sObjectType: 'Contact', records: [{ Email: 'x@example.com' }], orgId: '00D000000000001', sessionId: true });
		expect(answer).toMatchObject({ status: 403, ack: false, body: 'Forbidden' });
		const parsed = parseOutboundMessage(receiver.requests()[0].rawBody);
		expect(parsed.organizationId).toBe('00D000000000001EAA');
		expect(parsed.sessionId).toMatch(/^00DSANDBOX0000125A!/);
		// The session id is a live token of the fake, like Salesforce's "Send Session ID".
		const withSession = await fetchIt(`${sf.url}${V}/sobjects`, { headers: { Authorization: `Bearer ${String(parsed.sessionId)}` } });
		expect(withSession.status).toBe(200);
		expect(sf.sent()).toEqual([expect.objectContaining({ kind: 'outboundMessage', status: 403, ack: false })]);
	});

	test('bad specs: 400 naming the problem, nothing sent', async () => {
		const noUrl = await fetchIt(`${sf.url}/__sandbox/salesforce/send-outbound-message`, { method: 'POST', body: { sObjectType: 'Lead', records: [{}] } });
		expect(noUrl).toMatchObject({ status: 400, json: { error: '"url" is required (where to send)' } });
		const noRecords = await fetchIt(`${sf.url}/__sandbox/salesforce/send-outbound-message`, { method: 'POST', body: { url: receiver.url, sObjectType: 'Lead', records: [] } });
		expect(noRecords).toMatchObject({ status: 400, json: { error: '"records" must be 1 to 100 objects of field values' } });
		expect(receiver.requests()).toEqual([]);
	});
});

describe('sender: JSON callout', () => {
	const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718';
	const event = { event_type: 'campaign_status_changed', campaign_id: '701Sb0000000001IAA', status: 'Completed', experiment_key: 'exp-1' };

	test('HMAC-SHA256 of the raw body, sha256=<hex> in X-Signature (as the trigger verifies)', async () => {
		const answer = await fetchIt(`${sf.url}/__sandbox/salesforce/send-callout`, { method: 'POST', body: { url: `${receiver.url}/webhook/cb`, body: event, secret: SECRET } });
		expect(answer.status).toBe(200);
		const [request] = receiver.requests();
		const raw = JSON.stringify(event);
		expect(request.rawBody).toBe(raw);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.headers['x-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
		expect(request.headers['x-timestamp']).toBeUndefined();
		expect(answer.json).toMatchObject({ status: 200, body: '{"received":true}', signature: request.headers['x-signature'] });
	});

	test('with a timestamp: HMAC over "<timestamp>.<raw body>", custom header names, base64 format (JS api)', async () => {
		const result = await sf.sendCallout({ url: `${receiver.url}/cb`, body: event, secret: SECRET, useTimestamp: true, timestamp: 1795430000, signatureHeader: 'X-Sig', timestampHeader: 'X-Time', signatureFormat: 'base64' });
		const [request] = receiver.requests();
		expect(request.headers['x-time']).toBe('1795430000');
		expect(request.headers['x-sig']).toBe(createHmac('sha256', SECRET).update(`1795430000.${JSON.stringify(event)}`).digest('base64'));
		expect(result).toMatchObject({ status: 200, timestamp: '1795430000' });
		expect(JSON.stringify(sf.sent())).not.toContain(String(request.headers['x-sig']));
	});

	test('shared token mode sends the token header instead of a signature', async () => {
		await sf.sendCallout({ url: `${receiver.url}/cb`, body: '{"a":1}', token: 'shared-token-123' });
		const [request] = receiver.requests();
		expect(request.headers['x-salesforce-token']).toBe('shared-token-123');
		expect(request.headers['x-signature']).toBeUndefined();
		expect(request.rawBody).toBe('{"a":1}');
	});
});
