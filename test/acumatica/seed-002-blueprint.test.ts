import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { parse as parseForm } from 'node:querystring';

import { loadWorkflow, runWorkflow } from '../harness/run-workflow';
import { acumaticaFake, credentialsFor, ENDPOINT, expectAuthenticated, PASSWORD } from './fixtures';

/**
 * Stand-in for n8n's ActiveCampaign Trigger (n8n-nodes-base is not installed here): the real one
 * emits the webhook's form body (`req.body`) as the item, which is what the test feeds in.
 */
class ActiveCampaignTriggerStandIn implements INodeType {
	description = {
		displayName: 'ActiveCampaign Trigger',
		name: 'activeCampaignTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Emits the webhook body',
		defaults: { name: 'ActiveCampaign Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'activeCampaignApi', required: true }],
		properties: [
			{ displayName: 'Events', name: 'events', type: 'multiOptions', options: [], default: [] },
			{ displayName: 'Source', name: 'sources', type: 'multiOptions', options: [], default: [] },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const blueprint = loadWorkflow('examples/seed-002-activecampaign-to-acumatica.json');

/**
 * A `subscribe` webhook as ActiveCampaign posts it (application/x-www-form-urlencoded, PHP bracket
 * keys), turned into the item the way n8n 2.41 does it: its body parser uses Node's
 * `querystring.parse` (n8n/dist/middlewares/body-parser.js), which keeps `contact[email]` as a flat
 * key, and the ActiveCampaign Trigger emits `req.body` as the item.
 */
const rawForm = [
	'type=subscribe',
	'date_time=2026-11-23T10%3A00%3A00-06%3A00',
	'initiated_by=admin',
	'initiated_from=admin',
	'list=0',
	'contact%5Bid%5D=101',
	'contact%5Bemail%5D=+ann.lee%40example.com+',
	'contact%5Bfirst_name%5D=Ann',
	'contact%5Blast_name%5D=Lee',
	'contact%5Bphone%5D=%2B1+555+0100',
	'contact%5Bip%5D=203.0.113.9',
	'contact%5Btags%5D=webinar',
].join('&');
const flat = { ...parseForm(rawForm) };
/** The same kind of webhook after extended form parsing: nested objects. */
const nested = {
	type: 'subscribe',
	date_time: '2026-11-23T10:01:00-06:00',
	initiated_by: 'public',
	list: '3',
	contact: { id: '102', email: "pat.o'neil@example.com", first_name: 'Pat', last_name: "O'Neil", phone: '', ip: '198.51.100.4', tags: '' },
};
const existing = { type: 'subscribe', contact: { id: '103', email: 'bob@example.com', first_name: 'Bob', last_name: 'Stone', phone: '+44 20 7946 0000' } };

describe('blueprint seed-002: ActiveCampaign subscribe → Acumatica Contact created or updated by Email', () => {
	test('the trigger listens to the real event name with n8n\'s parameter names; the Acumatica node matches on Email', () => {
		const trigger = blueprint.nodes.find((node) => node.type === 'n8n-nodes-base.activeCampaignTrigger');
		expect(trigger?.parameters).toEqual({ events: ['subscribe'], sources: ['public', 'admin', 'api', 'system'] });
		const acumatica = blueprint.nodes.find((node) => node.type === 'n8n-nodes-crm-relay.acumatica');
		expect(acumatica?.parameters).toMatchObject({
			resource: 'record',
			operation: 'createOrUpdateByMatch',
			entity: { __rl: true, mode: 'name', value: 'Contact' },
			matchField: 'Email',
		});
	});

	test('n8n\'s form parsing keeps the bracket keys flat (what the mapping must read)', () => {
		expect(flat['contact[email]']).toBe(' ann.lee@example.com ');
		expect(flat['contact[phone]']).toBe('+1 555 0100');
		expect(flat).not.toHaveProperty('contact');
	});

	test('flat bracket keys and nested contacts map alike: search by Email, then create (0 matches) or update (1 match), one session', async () => {
		const fake = acumaticaFake((request) => {
			if (request.method === 'GET') {
				return request.path.includes('bob%40example.com') ? [200, [{ id: 'c-bob', Email: { value: 'bob@example.com' } }]] : [200, []];
			}
			const body = request.body as { id?: string };
			return [200, { id: body.id ?? `new-${(request.body as { Email: { value: string } }).Email.value}`, ...(request.body as object) }];
		});
		const result = await runWorkflow(blueprint, {
			credentials: { ...credentialsFor('session'), activeCampaignApi: { apiUrl: 'https://acct.api-us1.com', apiKey: 'ac-key' } },
			input: [flat, nested, existing],
			nodeTypes: { 'n8n-nodes-base.activeCampaignTrigger': new ActiveCampaignTriggerStandIn() },
			startNode: 'ActiveCampaign Trigger',
		});
		expect(result.nodeError('Create or Update Contact')).toBeUndefined();

		expect(fake.logins).toHaveLength(1);
		expect(fake.logins[0].rawBody).toBe(JSON.stringify({ name: 'api-user', password: PASSWORD, tenant: 'MyTenant' }));
		expect(fake.logouts).toHaveLength(1);
		expect(fake.liveSessions()).toBe(0);
		for (const request of fake.entity) expectAuthenticated(request, 'session');

		const lookup = (literal: string) => `${ENDPOINT}/Contact?%24filter=Email%20eq%20${literal}&%24select=Email&%24top=10`;
		const calls = fake.entity.map((r) => [r.method, r.path, r.rawBody]);
		expect(calls).toHaveLength(6);
		expect(calls).toEqual(
			expect.arrayContaining([
				['GET', lookup('%27ann.lee%40example.com%27'), ''],
				['PUT', `${ENDPOINT}/Contact`, '{"FirstName":{"value":"Ann"},"LastName":{"value":"Lee"},"Email":{"value":"ann.lee@example.com"},"Phone1":{"value":"+1 555 0100"}}'],
				['GET', lookup("%27pat.o%27%27neil%40example.com%27"), ''],
				['PUT', `${ENDPOINT}/Contact`, '{"FirstName":{"value":"Pat"},"LastName":{"value":"O\'Neil"},"Email":{"value":"pat.o\'neil@example.com"}}'],
				['GET', lookup('%27bob%40example.com%27'), ''],
				[
					'PUT',
					`${ENDPOINT}/Contact`,
					'{"FirstName":{"value":"Bob"},"LastName":{"value":"Stone"},"Email":{"value":"bob@example.com"},"Phone1":{"value":"+44 20 7946 0000"},"id":"c-bob"}',
				],
			]),
		);
		// Each contact's search comes before its write.
		for (const email of ['ann.lee%40example.com', 'neil%40example.com', 'bob%40example.com']) {
			const get = fake.entity.findIndex((r) => r.method === 'GET' && r.path.includes(email));
			const put = fake.entity.findIndex((r) => r.method === 'PUT' && r.rawBody.includes(decodeURIComponent(email)));
			expect(get).toBeGreaterThanOrEqual(0);
			expect(put).toBeGreaterThan(get);
		}

		expect(result.output('Create or Update Contact')).toEqual([
			{ json: { id: 'new-ann.lee@example.com', FirstName: 'Ann', LastName: 'Lee', Email: 'ann.lee@example.com', Phone1: '+1 555 0100' }, pairedItem: { item: 0 } },
			{ json: { id: "new-pat.o'neil@example.com", FirstName: 'Pat', LastName: "O'Neil", Email: "pat.o'neil@example.com" }, pairedItem: { item: 1 } },
			{ json: { id: 'c-bob', FirstName: 'Bob', LastName: 'Stone', Email: 'bob@example.com', Phone1: '+44 20 7946 0000' }, pairedItem: { item: 2 } },
		]);
	});

	test('a webhook without an email fails that item by name and touches nothing in Acumatica', async () => {
		const fake = acumaticaFake(() => [200, []]);
		const result = await runWorkflow(blueprint, {
			credentials: { ...credentialsFor('session'), activeCampaignApi: { apiUrl: 'https://acct.api-us1.com', apiKey: 'ac-key' } },
			input: [{ type: 'subscribe', 'contact[id]': '104', 'contact[first_name]': 'NoMail' }],
			nodeTypes: { 'n8n-nodes-base.activeCampaignTrigger': new ActiveCampaignTriggerStandIn() },
			startNode: 'ActiveCampaign Trigger',
		});
		expect(result.nodeError('Create or Update Contact')?.message).toBe('Match Value is empty (item 0)');
		expect(fake.received).toHaveLength(0);
	});
});
