import { runWorkflow } from '../harness/run-workflow';
import { CREDENTIALS, omnisendFake, omnisendWorkflow } from './fixtures';

describe('stopping the execution', () => {
	test('a 429 wait ends when the execution is stopped; the item is not sent later', async () => {
		const { received } = omnisendFake(() => [429, { error: 'slow down' }, { 'Retry-After': '60' }]);
		const result = await runWorkflow(
			omnisendWorkflow({ resource: 'event', operation: 'send', preset: 'custom', customEventName: 'x', email: 'a@b.co' }),
			{ credentials: CREDENTIALS, input: [{}], cancelAfterMs: 300 },
		);
		// Without the cancel check this run would wait the full 60 s and fail jest's 15 s timeout.
		expect(received).toHaveLength(1);
		expect(result.nodeError('Omnisend')?.message).toBe('The execution was stopped before this item was sent');
	}, 15_000);
});
