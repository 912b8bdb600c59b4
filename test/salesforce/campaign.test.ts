import { CAMPAIGN_ID, expectApiRequest, expectErrorItem, LIMIT_HEADER, runSalesforce, salesforceFake, V, STORED } from './fixtures';

const campaign = { __rl: true, mode: 'id', value: CAMPAIGN_ID };
const usage = { _salesforce: { apiUsage: { used: 18, max: 15000 } } };

describe('Campaign › Update Status', () => {
	test('PATCH /sobjects/Campaign/{id} with the status and other fields; 204 → the update as output', async () => {
		const { received } = salesforceFake(() => [204, undefined, LIMIT_HEADER]);
		const { items, error } = await runSalesforce(
			{
				resource: 'campaign',
				operation: 'update',
				campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaign_id }}' },
				status: '={{ $json.result === "rolled_back" ? "Paused" : "Completed" }}',
				fieldsInput: 'json',
				fieldsJson: '={{ JSON.stringify({ Description: "Variant B won (+4.2%)", IsActive: false }) }}',
			},
			[
				{ campaign_id: CAMPAIGN_ID, result: 'completed' },
				{ campaign_id: '701xx000000002BBBQ', result: 'rolled_back' },
			],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		expectApiRequest(received[0], 'PATCH', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`, '{"Description":"Variant B won (+4.2%)","IsActive":false,"Status":"Completed"}');
		expectApiRequest(received[1], 'PATCH', `${V}/sobjects/Campaign/701xx000000002BBBQ`, '{"Description":"Variant B won (+4.2%)","IsActive":false,"Status":"Paused"}');
		expect(items).toEqual([
			{ json: { id: CAMPAIGN_ID, success: true, updated: { Description: 'Variant B won (+4.2%)', IsActive: false, Status: 'Completed' }, ...usage }, pairedItem: { item: 0 } },
			{ json: { id: '701xx000000002BBBQ', success: true, updated: { Description: 'Variant B won (+4.2%)', IsActive: false, Status: 'Paused' }, ...usage }, pairedItem: { item: 1 } },
		]);
	});

	test('key/value fields with the status kept; the Campaign picked by its URL', async () => {
		const { received } = salesforceFake(() => [204]);
		const { items, error } = await runSalesforce(
			{
				resource: 'campaign',
				operation: 'update',
				campaignId: { __rl: true, mode: 'url', value: `https://acme.lightning.force.com/lightning/r/Campaign/${CAMPAIGN_ID}/view` },
				status: '',
				fieldValues: { field: [{ name: 'Experiment_Result__c', value: 'winner: B' }] },
			},
			[{}],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		expectApiRequest(received[0], 'PATCH', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`, '{"Experiment_Result__c":"winner: B"}');
		expect(items[0].json).toEqual({ id: CAMPAIGN_ID, success: true, updated: { Experiment_Result__c: 'winner: B' } });
	});

	test('a status the org lacks: Salesforce\'s error mapped with its code and field, and what to do', async () => {
		salesforceFake(() => [400, [{ message: 'bad value for restricted picklist field: Paused', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] }]]);
		const { error } = await runSalesforce({ resource: 'campaign', operation: 'update', campaignId: campaign, status: 'Paused' }, [{}], { credentials: STORED });
		expect(error?.message).toBe('Salesforce answered 400: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: bad value for restricted picklist field: Paused (fields: Status)');
		expect((error as { description?: string }).description).toContain('"Paused" must be added');
		expect((error as { httpCode?: string }).httpCode).toBe('400');
	});

	test('not a Campaign ID: the item fails naming the field, nothing is sent; continueOnFail keeps the other items', async () => {
		const { received } = salesforceFake(() => [204]);
		const { items, error } = await runSalesforce(
			{ resource: 'campaign', operation: 'update', campaignId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, status: 'Completed' },
			[{ id: '003xx000004TmiQAAS' }, { id: CAMPAIGN_ID }, { id: "701' OR 1=1" }],
			{ credentials: STORED, continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectApiRequest(received[0], 'PATCH', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`, '{"Status":"Completed"}');
		expectErrorItem(items[0], 0, { message: 'Campaign "003xx000004TmiQAAS" is not a Campaign ID (item 0)', description: 'Campaign IDs start with 701.' });
		expect(items[1]).toEqual({ json: { id: CAMPAIGN_ID, success: true, updated: { Status: 'Completed' } }, pairedItem: { item: 1 } });
		expectErrorItem(items[2], 2, {
			message: 'Campaign "701\' OR 1=1" is not a Salesforce ID (item 2)',
			description: 'Salesforce IDs have 15 or 18 letters and digits, e.g. 701xx000000001AAAQ.',
		});
	});

	test('Status both in the parameter and in Other Fields is refused', async () => {
		const { received } = salesforceFake(() => [204]);
		const { error } = await runSalesforce(
			{ resource: 'campaign', operation: 'update', campaignId: campaign, status: 'Completed', fieldsInput: 'json', fieldsJson: '{"Status":"Aborted"}' },
			[{}],
			{ credentials: STORED },
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Status is set twice ("Completed" and "Aborted") (item 0)');
	});
});

describe('Campaign › Add Note', () => {
	const summary = 'Variant B won: +4.2% conversion (p = 0.01)\nRolled out to 100% <all> users & "VIP" segment, don\'t roll back';

	test('ContentNote with base64 HTML content, then a ContentDocumentLink to the Campaign', async () => {
		const { received } = salesforceFake((request) =>
			request.path.endsWith('/ContentNote') ? [201, { id: '069xx0000001AbcAAE', success: true, errors: [] }] : [201, { id: '06Axx0000002XyzEAE', success: true, errors: [] }, LIMIT_HEADER],
		);
		const { items, error } = await runSalesforce(
			{ resource: 'campaign', operation: 'addNote', campaignId: campaign, title: 'Experiment result: checkout-button-color', text: summary },
			[{}],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		const html = '<p>Variant B won: +4.2% conversion (p = 0.01)</p><p>Rolled out to 100% &lt;all&gt; users &amp; &quot;VIP&quot; segment, don\'t roll back</p>';
		expectApiRequest(
			received[0],
			'POST',
			`${V}/sobjects/ContentNote`,
			JSON.stringify({ Title: 'Experiment result: checkout-button-color', Content: Buffer.from(html, 'utf8').toString('base64') }),
		);
		expectApiRequest(
			received[1],
			'POST',
			`${V}/sobjects/ContentDocumentLink`,
			`{"ContentDocumentId":"069xx0000001AbcAAE","LinkedEntityId":"${CAMPAIGN_ID}","ShareType":"V","Visibility":"AllUsers"}`,
		);
		expect(items).toEqual([
			{
				json: {
					campaignId: CAMPAIGN_ID,
					noteType: 'ContentNote',
					noteId: '069xx0000001AbcAAE',
					contentDocumentLinkId: '06Axx0000002XyzEAE',
					title: 'Experiment result: checkout-button-color',
					...usage,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('legacy Note: POST /sobjects/Note with ParentId, Title, Body as plain text', async () => {
		const { received } = salesforceFake(() => [201, { id: '002xx000000AbCdAAK', success: true, errors: [] }]);
		const { items, error } = await runSalesforce(
			{ resource: 'campaign', operation: 'addNote', campaignId: campaign, title: 'Result', text: summary, noteType: 'note', isPrivate: false },
			[{}],
			{ credentials: STORED },
		);
		expect(error).toBeUndefined();
		expectApiRequest(received[0], 'POST', `${V}/sobjects/Note`, JSON.stringify({ ParentId: CAMPAIGN_ID, Title: 'Result', Body: summary, IsPrivate: false }));
		expect(items[0].json).toEqual({ campaignId: CAMPAIGN_ID, noteType: 'Note', noteId: '002xx000000AbCdAAK', title: 'Result' });
	});

	test('the link fails after the note was created: the error names the note, nothing is retried', async () => {
		const { received } = salesforceFake((request) =>
			request.path.endsWith('/ContentNote')
				? [201, { id: '069xx0000001AbcAAE', success: true, errors: [] }]
				: [500, [{ message: 'An unexpected error occurred', errorCode: 'UNKNOWN_EXCEPTION' }]],
		);
		const { error } = await runSalesforce({ resource: 'campaign', operation: 'addNote', campaignId: campaign, title: 'Result', text: 'x' }, [{}], { credentials: STORED });
		expect(received.map((request) => request.path)).toEqual([`${V}/sobjects/ContentNote`, `${V}/sobjects/ContentDocumentLink`]);
		expect(error?.message).toBe(
			`The note 069xx0000001AbcAAE was created but not linked to Campaign ${CAMPAIGN_ID}: Salesforce answered 500: UNKNOWN_EXCEPTION: An unexpected error occurred`,
		);
		expect((error as { description?: string }).description).toContain('running the item again creates another note');
	});

	test('a legacy note title over 80 characters (Note.Title) is refused before anything is sent', async () => {
		const { received } = salesforceFake(() => [201, {}]);
		const { error } = await runSalesforce(
			{ resource: 'campaign', operation: 'addNote', campaignId: campaign, title: 'T'.repeat(81), text: 'x', noteType: 'note' },
			[{}],
			{ credentials: STORED },
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('A legacy note title holds at most 80 characters (got 81) (item 0)');
	});

	test('an empty text is refused before anything is sent', async () => {
		const { received } = salesforceFake(() => [201, {}]);
		const { error } = await runSalesforce({ resource: 'campaign', operation: 'addNote', campaignId: campaign, title: 'Result', text: '  ' }, [{}], { credentials: STORED });
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('The note text is empty (item 0)');
	});
});

describe('Campaign › Get', () => {
	test('GET /sobjects/Campaign/{id} (all fields); 404 mapped', async () => {
		const { received } = salesforceFake(() => [404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]]);
		const { error } = await runSalesforce({ resource: 'campaign', operation: 'get', campaignId: campaign }, [{}], { credentials: STORED });
		expect(received).toHaveLength(1);
		expectApiRequest(received[0], 'GET', `${V}/sobjects/Campaign/${CAMPAIGN_ID}`);
		expect(error?.message).toBe('Salesforce answered 404: NOT_FOUND: The requested resource does not exist');
	});
});
