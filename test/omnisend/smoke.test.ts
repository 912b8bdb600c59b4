import nock from 'nock';
import { runWorkflow } from '../harness/run-workflow';

test('smoke', async () => {
	const scope = nock('https://api.omnisend.com').post('/v5/events').reply(202);
	const result = await runWorkflow(
		{
			nodes: [
				{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: '2',
					name: 'Omnisend',
					type: 'n8n-nodes-crm-relay.omnisend',
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'event', operation: 'send', preset: 'placedOrder', email: '={{ $json.email }}', orderID: '={{ $json.id }}' },
					credentials: { omnisendApi: { id: '1', name: 'Omnisend' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Omnisend', type: 'main', index: 0 }]] } },
		},
		{ credentials: { omnisendApi: { apiKey: 'k-123' } }, input: [{ email: ' A@B.com ', id: 'O1' }] },
	);
	console.log(JSON.stringify(result.output('Omnisend'), null, 1), result.nodeError('Omnisend'), result.run.data.resultData.error);
	expect(scope.isDone()).toBe(true);
});
