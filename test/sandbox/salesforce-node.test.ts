import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { tokenFingerprint } from '../../nodes/Salesforce/transport/oauth';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';
import type { Sandbox, ServiceHandle } from './sandbox-api';
import { caller, startSandbox } from './sandbox-api';
import { trustCaForLoopback } from './trust-ca';

/**
 * Our real Salesforce node (client credentials credential, n8n's preAuthentication token flow) run by
 * n8n-core's WorkflowExecute through the harness against the fake Salesforce over HTTPS.
 */

interface SalesforceHandle extends ServiceHandle {
	clientId: string;
	clientSecret: string;
	records(type: string): Array<Record<string, any>>;
	addRecord(type: string, fields: Record<string, unknown>): Record<string, any>;
	stats(): Record<string, number | boolean>;
	expireTokens(): number;
}

let sandbox: Sandbox;
let sf: SalesforceHandle;
let untrust: () => void;

const settings = () => ({ myDomainUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, apiVersion: '66.0' });

async function run(parameters: INodeParameters, input: IDataObject[], extra: ICredentialDataDecryptedObject = {}) {
	const workflow = triggeredWorkflow({
		name: 'Salesforce',
		type: 'n8n-nodes-crm-relay.salesforce',
		parameters,
		credentials: { salesforceClientCredentialsApi: { id: 'cred-sf', name: 'Salesforce sandbox' } },
	});
	const result = await runWorkflow(workflow, { credentials: { salesforceClientCredentialsApi: { ...settings(), ...extra } }, input });
	return { items: result.output('Salesforce'), error: result.nodeError('Salesforce') };
}

beforeAll(async () => {
	nock.enableNetConnect(/127\.0\.0\.1|localhost/);
	sandbox = await startSandbox({ services: ['salesforce'] });
	sf = sandbox.services.salesforce as SalesforceHandle;
	untrust = trustCaForLoopback(sandbox.ca.pem);
});
afterAll(async () => {
	untrust();
	await sandbox.stop();
});
beforeEach(() => sf.reset());

test('token, Campaign status update and a note: the fake holds the result', async () => {
	const campaign = sf.addRecord('Campaign', { Name: 'Checkout button test', Status: 'In Progress' });
	const campaignId = { __rl: true, mode: 'id', value: '={{ $json.campaign_id }}' };

	const update = await run({ resource: 'campaign', operation: 'update', campaignId, status: 'Completed' }, [{ campaign_id: campaign.Id }]);
	expect(update.error).toBeUndefined();
	expect(update.items).toEqual([
		{ json: { id: campaign.Id, success: true, updated: { Status: 'Completed' }, _salesforce: { apiUsage: { used: 1, max: 15000 } } }, pairedItem: { item: 0 } },
	]);

	const note = await run(
		{ resource: 'campaign', operation: 'addNote', campaignId, title: 'Result', text: 'Variant B won\n+4.2% <checkout>', noteType: 'contentNote', shareType: 'V' },
		[{ campaign_id: campaign.Id }],
	);
	expect(note.error).toBeUndefined();
	const [noteRecord] = sf.records('ContentNote');
	const [link] = sf.records('ContentDocumentLink');
	expect(note.items[0].json).toMatchObject({ campaignId: campaign.Id, noteType: 'ContentNote', noteId: noteRecord.Id, contentDocumentLinkId: link.Id, title: 'Result' });

	const requests = sf.requests();
	expect(requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
		'POST /services/oauth2/token 200',
		`PATCH /services/data/v66.0/sobjects/Campaign/${campaign.Id} 204`,
		'POST /services/oauth2/token 200',
		'POST /services/data/v66.0/sobjects/ContentNote 201',
		'POST /services/data/v66.0/sobjects/ContentDocumentLink 201',
	]);
	expect(requests[0].rawBody).toBe(`grant_type=client_credentials&client_id=${sf.clientId}&client_secret=${sf.clientSecret}`);
	expect(requests[1].rawBody).toBe('{"Status":"Completed"}');

	expect(sf.records('Campaign')[0]).toMatchObject({ Id: campaign.Id, Status: 'Completed' });
	expect(noteRecord).toMatchObject({ Title: 'Result', ContentText: '<p>Variant B won</p><p>+4.2% &lt;checkout&gt;</p>' });
	expect(link).toMatchObject({ ContentDocumentId: noteRecord.Id, LinkedEntityId: campaign.Id, ShareType: 'V', Visibility: 'AllUsers' });
});

test('an expired token: the fake answers 401, the credential fetches a new token and the request succeeds', async () => {
	const campaign = sf.addRecord('Campaign', { Name: 'Expiring' });
	const first = await caller(sandbox)(`${sf.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: `grant_type=client_credentials&client_id=${sf.clientId}&client_secret=${sf.clientSecret}`,
	});
	sf.expireTokens();
	sf.clear();
	const stored = {
		accessToken: first.json.access_token as string,
		instanceUrl: sf.url,
		tokenFor: tokenFingerprint([sf.url, sf.clientId, sf.clientSecret, 'body']),
	};
	const { items, error } = await run(
		{ resource: 'campaign', operation: 'update', campaignId: { __rl: true, mode: 'id', value: campaign.Id }, status: 'Aborted' },
		[{}],
		stored,
	);
	expect(error).toBeUndefined();
	expect(items[0].json).toMatchObject({ id: campaign.Id, success: true });
	expect(sf.requests().map((request) => `${request.method} ${request.path.split('?')[0]} ${request.status}`)).toEqual([
		`PATCH /services/data/v66.0/sobjects/Campaign/${campaign.Id} 401`,
		'POST /services/oauth2/token 200',
		`PATCH /services/data/v66.0/sobjects/Campaign/${campaign.Id} 204`,
	]);
	expect(sf.records('Campaign')[0].Status).toBe('Aborted');
});

test('Record › Find with Return All follows nextRecordsUrl across pages of the fake', async () => {
	const paged = await startSandbox({ services: ['salesforce'], options: { salesforce: { pageSize: 3 } } });
	const untrustPaged = trustCaForLoopback(paged.ca.pem);
	const previous = sf;
	sf = paged.services.salesforce as SalesforceHandle;
	try {
		for (let i = 1; i <= 7; i++) sf.addRecord('Contact', { LastName: i === 4 ? "O'Brien" : `L${i}`, Email: `c${i}@example.com` });
		const { items, error } = await run(
			{
				resource: 'record',
				operation: 'find',
				queryMode: 'builder',
				sobject: { __rl: true, mode: 'list', value: 'Contact' },
				returnFields: 'Id, LastName',
				conditions: { condition: [{ field: 'LastName', operator: '!=', valueType: 'text', value: "O'Brien" }] },
				orderBy: 'LastName',
				returnAll: true,
			},
			[{}],
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.LastName)).toEqual(['L1', 'L2', 'L3', 'L5', 'L6', 'L7']);
		const paths = sf.requests().map((request) => request.path).filter((path) => path.includes('/query'));
		expect(paths[0].split('?')[0]).toBe('/services/data/v66.0/query');
		expect(new URLSearchParams(paths[0].split('?')[1]).get('q')).toBe("SELECT Id,LastName FROM Contact WHERE LastName != 'O\\'Brien' ORDER BY LastName");
		expect(paths.slice(1)).toEqual([expect.stringMatching(/^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-3$/)]);
	} finally {
		sf = previous;
		untrustPaged();
		await paged.stop();
	}
});

test('JWT bearer credential: the assertion signed with the fake\'s key is accepted and the node reads a Campaign', async () => {
	const campaign = sf.addRecord('Campaign', { Name: 'JWT read' });
	const handle = sf as SalesforceHandle & { username: string; jwtPrivateKey: string };
	const workflow = triggeredWorkflow({
		name: 'Salesforce',
		type: 'n8n-nodes-crm-relay.salesforce',
		parameters: { authentication: 'jwtBearer', resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: campaign.Id }, fields: 'Name, Status' },
		credentials: { salesforceJwtBearerApi: { id: 'cred-jwt', name: 'Salesforce JWT sandbox' } },
	});
	const result = await runWorkflow(workflow, {
		credentials: {
			salesforceJwtBearerApi: { environment: 'production', myDomainUrl: sf.url, clientId: sf.clientId, username: handle.username, privateKey: handle.jwtPrivateKey, apiVersion: '66.0' },
		},
		input: [{}],
	});
	expect(result.nodeError('Salesforce')).toBeUndefined();
	expect(result.output('Salesforce')[0].json).toMatchObject({ attributes: { type: 'Campaign' }, Name: 'JWT read', Status: 'Planned' });
	const [tokenRequest] = sf.requests();
	expect(tokenRequest.rawBody).toMatch(/^grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=[\w-]+\.[\w-]+\.[\w-]+$/);
	expect(sf.stats()).toMatchObject({ jwtTokens: 1, failedTokenRequests: 0 });
});
