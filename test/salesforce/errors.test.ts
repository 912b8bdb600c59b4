import { parseApiUsage, salesforceErrors } from '../../nodes/Salesforce/transport';
import { CAMPAIGN_ID, expectApiRequest, expectErrorItem, runSalesforce, salesforceFake, V, STORED } from './fixtures';

const getCampaign = { resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: CAMPAIGN_ID } };

describe('error mapping and retries', () => {
	test('REQUEST_LIMIT_EXCEEDED (403): explained, with the usage Salesforce reported; not retried', async () => {
		const { received } = salesforceFake(() => [
			403,
			[{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
			{ 'Sforce-Limit-Info': 'api-usage=15023/15000' },
		]);
		const { items, error } = await runSalesforce(getCampaign, [{}], { credentials: STORED, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectErrorItem(items[0], 0, {
			message: 'Salesforce answered 403: REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
			description:
				'Your org has used its API request allocation for the last 24 hours (a rolling window: requests are accepted again as older ones age out, there is no fixed reset time). See Setup → Company Information → "API Requests, Last 24 Hours" or Setup → System Overview; reduce how often workflows call Salesforce, batch work, or buy more API calls. If the message mentions concurrent requests, too many long-running requests ran at once: lower Concurrency and try again later. API usage: 15023 of 15000 requests in the last 24 hours.',
			httpCode: '403',
		});
	});

	test('several errors in Salesforce\'s array: each with code and fields', async () => {
		salesforceFake(() => [
			400,
			[
				{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] },
				{ message: 'Email: invalid email address: x', errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] },
			],
		]);
		const { error } = await runSalesforce(
			{ resource: 'record', operation: 'create', sobject: { __rl: true, mode: 'name', value: 'Contact' }, fieldsInput: 'json', fieldsJson: '{"Email":"x"}' },
			[{}],
			{ credentials: STORED },
		);
		expect(error?.message).toBe(
			'Salesforce answered 400: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName); INVALID_EMAIL_ADDRESS: Email: invalid email address: x (fields: Email)',
		);
		expect((error as { description?: string }).description).toBe('Add the fields Salesforce names as required.');
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
	});

	test('5xx on a read: retried with backoff a bounded number of times, then a clear error', async () => {
		const { received } = salesforceFake(() => [500, [{ message: 'An unexpected error occurred. Please include this ErrorId', errorCode: 'UNKNOWN_EXCEPTION' }]]);
		const { error } = await runSalesforce({ ...getCampaign, requestOptions: { serverErrorRetries: 1 } }, [{}], { credentials: STORED });
		expect(received).toHaveLength(2);
		for (const request of received) expectApiRequest(request, 'GET', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`);
		expect(error?.message).toBe('Salesforce answered 500: UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId after 2 attempts');
		expect((error as { description?: string }).description).toContain("on Salesforce's side");
	});

	test('a dropped connection on a read is retried; on a create it is not (and the error says why)', async () => {
		const reset = () => {
			throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		};
		let calls = 0;
		salesforceFake(() => {
			calls++;
			if (calls === 1) reset();
			return [200, { Id: CAMPAIGN_ID }];
		});
		const read = await runSalesforce(getCampaign, [{}], { credentials: STORED });
		expect(read.error).toBeUndefined();
		expect(calls).toBe(2);
		expect(read.items[0].json.Id).toBe(CAMPAIGN_ID);

		calls = 0;
		const create = await runSalesforce(
			{ resource: 'record', operation: 'create', sobject: { __rl: true, mode: 'name', value: 'Lead' }, fieldsInput: 'json', fieldsJson: '{"LastName":"X","Company":"Y"}' },
			[{}],
			{ credentials: STORED },
		);
		expect(calls).toBe(1);
		expect(create.error?.message).toBe('Salesforce could not be reached: connection failed (ECONNRESET)');
		expect((create.error as { description?: string }).description).toContain('may or may not have reached Salesforce');
	});

	test('Include API Usage off: no _salesforce metadata', async () => {
		salesforceFake(() => [200, { Id: CAMPAIGN_ID }, { 'Sforce-Limit-Info': 'api-usage=1/15000' }]);
		const { items } = await runSalesforce({ ...getCampaign, requestOptions: { includeApiUsage: false } }, [{}], { credentials: STORED });
		expect(items[0].json).toEqual({ Id: CAMPAIGN_ID });
	});

	test('Sforce-Limit-Info parsing: api-usage only, per-app usage ignored', () => {
		expect(parseApiUsage('api-usage=18/15000')).toEqual({ used: 18, max: 15000 });
		expect(parseApiUsage('api-usage=25/5000, per-app-api-usage=17/250(appName=sample-app)')).toEqual({ used: 25, max: 5000 });
		expect(parseApiUsage('per-app-api-usage=17/250(appName=x)')).toBeUndefined();
		expect(parseApiUsage(undefined)).toBeUndefined();
	});

	test('error bodies: array, single object, OAuth shape', () => {
		expect(salesforceErrors([{ message: 'm', errorCode: 'C', fields: ['F'] }])).toEqual([{ message: 'm', errorCode: 'C', fields: ['F'] }]);
		expect(salesforceErrors({ message: 'm', errorCode: 'C' })).toEqual([{ message: 'm', errorCode: 'C', fields: [] }]);
		expect(salesforceErrors({ error: 'invalid_grant', error_description: 'd' })).toEqual([{ message: 'd', errorCode: 'invalid_grant', fields: [] }]);
		expect(salesforceErrors('text')).toEqual([]);
	});
});
