import type { IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { Salesforce } from '../../nodes/Salesforce/Salesforce.node';
import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';
import { credentials, expectApiRequest, salesforceFake, V, STORED } from './fixtures';

const { listSearch, loadOptions } = new Salesforce().methods;

/** Runs a list/load method inside a real node execution (same helpers and credentials as the editor's calls). */
async function callMethod(method: (this: ILoadOptionsFunctions, filter?: string) => Promise<unknown>, filter?: string) {
	class MethodProbe implements INodeType {
		description = {
			displayName: 'Probe',
			name: 'methodProbe',
			group: ['output'],
			version: 1,
			description: 'Calls a method',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'salesforceClientCredentialsApi', required: true }],
			properties: [],
		} as unknown as INodeTypeDescription;

		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const result = await method.call(this as unknown as ILoadOptionsFunctions, filter);
			return [[{ json: { result } as never, pairedItem: { item: 0 } }]];
		}
	}
	const run = await runWorkflow(
		triggeredWorkflow({ name: 'Probe', type: 'test.methodProbe', parameters: {}, credentials: { salesforceClientCredentialsApi: { id: 'c', name: 'sf' } } }),
		{ credentials: credentials(STORED), nodeTypes: { 'test.methodProbe': new MethodProbe() } },
	);
	expect(run.nodeError('Probe')).toBeUndefined();
	return run.output('Probe')[0].json.result;
}

describe('editor lists loaded from the org', () => {
	test('objects from describe global (GET /sobjects), filtered by name or label, queryable only', async () => {
		const { received } = salesforceFake(() => [
			200,
			{
				sobjects: [
					{ name: 'Contact', label: 'Contact', queryable: true },
					{ name: 'Experiment__c', label: 'Experiment', queryable: true },
					{ name: 'ContactHistory', label: 'Contact History', queryable: false },
					{ name: 'Campaign', label: 'Campaign', queryable: true },
				],
			},
		]);
		const result = await callMethod(listSearch.searchSObjects, 'cont');
		expectApiRequest(received[0], 'GET', `${V}/sobjects`);
		expect(result).toEqual({ results: [{ name: 'Contact (Contact)', value: 'Contact' }] });
	});

	test('campaign search: the filter is escaped for SOQL and for LIKE', async () => {
		const { received } = salesforceFake(() => [200, { done: true, records: [{ Id: '701xx000000001AAAQ', Name: "Q1 'Checkout' 100%", Status: 'Planned' }] }]);
		const result = await callMethod(listSearch.searchCampaigns, "Q1 'Checkout' 100%_");
		const q = new URL(`https://x${received[0].path}`).searchParams.get('q');
		expect(q).toBe("SELECT Id, Name, Status FROM Campaign WHERE Name LIKE '%Q1 \\'Checkout\\' 100\\%\\_%' ORDER BY LastModifiedDate DESC LIMIT 100");
		expect(result).toEqual({ results: [{ name: "Q1 'Checkout' 100% (Planned)", value: '701xx000000001AAAQ' }] });
	});

	test('Campaign statuses: the org\'s active picklist values from describe', async () => {
		const { received } = salesforceFake(() => [
			200,
			{
				fields: [
					{ name: 'Name', picklistValues: [] },
					{
						name: 'Status',
						picklistValues: [
							{ value: 'Planned', label: 'Planned', active: true },
							{ value: 'Completed', label: 'Completed', active: true },
							{ value: 'Paused', label: 'Paused', active: true },
							{ value: 'Old', label: 'Old', active: false },
						],
					},
				],
			},
		]);
		const result = await callMethod(loadOptions.getCampaignStatuses as never);
		expectApiRequest(received[0], 'GET', `${V}/sobjects/Campaign/describe`);
		expect(result).toEqual([
			{ name: '(Keep Current Status)', value: '' },
			{ name: 'Planned', value: 'Planned' },
			{ name: 'Completed', value: 'Completed' },
			{ name: 'Paused', value: 'Paused' },
		]);
	});
});
