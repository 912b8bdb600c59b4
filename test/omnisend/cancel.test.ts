import { runWorkflow, when } from '../harness/run-workflow';
import { CREDENTIALS, omnisendFake, omnisendWorkflow } from './fixtures';

const sendEvent = { resource: 'event', operation: 'send', preset: 'custom', customEventName: 'x', email: 'a@b.co' };

describe('stopping the execution', () => {
	test('a 429 wait ends when the execution is stopped; the item is not sent later', async () => {
		const { received } = omnisendFake(() => [429, { error: 'slow down' }, { 'Retry-After': '60' }]);
		const result = await runWorkflow(omnisendWorkflow(sendEvent), {
			credentials: CREDENTIALS,
			input: [{}],
			cancelWhen: when(() => received.length === 1, 100),
		});
		// Without the cancel check this run would wait the full 60 s and fail jest's 15 s timeout.
		expect(received).toHaveLength(1);
		expect(result.nodeError('Omnisend')?.message).toBe('The execution was stopped before this item was sent');
	}, 15_000);

	test('stopped during the backoff after a 500: the item is not retried, and the message says it was not confirmed as sent', async () => {
		// The first backoff is 375–625 ms after the 500; the stop comes 100 ms after it, well inside it.
		const { received } = omnisendFake(() => [500, { message: 'oops' }]);
		const result = await runWorkflow(omnisendWorkflow({ ...sendEvent, requestOptions: { serverErrorRetries: 5 } }), {
			credentials: CREDENTIALS,
			input: [{}],
			cancelWhen: when(() => received.length === 1, 100),
		});
		expect(received).toHaveLength(1);
		expect(received[0].rawBody).toBe('{"eventName":"x","origin":"api","contact":{"email":"a@b.co"},"properties":{}}');
		expect(result.output('Omnisend')).toEqual([]);
		expect(result.nodeError('Omnisend')?.message).toBe(
			'The execution was stopped while this item was being retried; it was not confirmed as sent',
		);
	}, 15_000);
});
