import type { IExecuteFunctions, INodeParameters, INodeType, IRun } from 'n8n-workflow';

import { Omnisend } from '../../nodes/Omnisend/Omnisend.node';
import { captureLogs } from '../harness/capture-logs';
import { runWorkflow } from '../harness/run-workflow';
import type { Received } from './fixtures';
import { API_KEY, CREDENTIALS, omnisendFake, omnisendWorkflow, wait, sendEvent } from './fixtures';
import { reachableText } from '../harness/reachable-text';

/** The key, and its random part alone (a masked or truncated copy must not carry it either). */
const SECRETS = [API_KEY, API_KEY.slice(-10)];

function expectNoSecret(text: string) {
	for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/**
 * n8n keeps only a shallow copy of a node's error in the run (no `cause`), so the live error the
 * node throws is captured too: it is what n8n's logs and error reporting see.
 */
const thrown: unknown[] = [];
const omnisend = new Omnisend();
const capturingOmnisend: INodeType = {
	description: { ...omnisend.description, name: 'capturingOmnisend' },
	async execute(this: IExecuteFunctions) {
		try {
			return await omnisend.execute.call(this);
		} catch (error) {
			thrown.push(error);
			throw error;
		}
	},
};

async function runCapturing(parameters: INodeParameters, input: Array<Record<string, string>>, continueOnFail: boolean) {
	thrown.length = 0;
	const workflow = omnisendWorkflow(parameters, { continueOnFail });
	workflow.nodes[1].type = 'capturingOmnisend';
	const result = await runWorkflow(workflow, { credentials: CREDENTIALS, input, nodeTypes: { capturingOmnisend } });
	return { run: result.run, items: result.output('Omnisend'), error: result.nodeError('Omnisend'), thrown: [...thrown] };
}



interface Scenario {
	name: string;
	parameters: INodeParameters;
	input: Array<Record<string, string>>;
	reply: Parameters<typeof omnisendFake>[0];
	/** Whether the item fails (error without continueOnFail, error item with it). */
	fails: boolean;
	/** Whether a request must have reached Omnisend (so the key was really in play). */
	sends: boolean;
}

let lateAnswers: Array<Promise<void>> = [];

const scenarios: Scenario[] = [
	{ name: 'success', parameters: sendEvent, input: [{ email: 'a@b.co' }], reply: () => [202], fails: false, sends: true },
	{
		name: 'contact upsert success',
		parameters: { resource: 'contact', operation: 'upsert', email: '={{ $json.email }}', emailStatus: 'subscribed' },
		input: [{ email: 'a@b.co' }],
		reply: () => [201, { contactID: 'c1' }],
		fails: false,
		sends: true,
	},
	{
		name: '400 validation error',
		parameters: sendEvent,
		input: [{ email: 'a@b.co' }],
		reply: () => [400, { error: 'bad', errors: [{ field: 'contact.email', message: 'invalid email' }] }],
		fails: true,
		sends: true,
	},
	{
		name: '400 whose body echoes the API key',
		parameters: sendEvent,
		input: [{ email: 'a@b.co' }],
		reply: () => [400, { error: 'bad', detail: `X-API-KEY ${API_KEY} is not valid for this store`, errors: [{ field: 'headers.x-api-key', message: API_KEY }] }],
		fails: true,
		sends: true,
	},
	{
		name: '400 whose body holds the API key as an object key and deep inside lists',
		parameters: sendEvent,
		input: [{ email: 'a@b.co' }],
		reply: () => [400, { error: 'bad', meta: { [API_KEY]: [{ nested: [{ [`x-${API_KEY}`]: `v=${API_KEY}` }] }] } }],
		fails: true,
		sends: true,
	},
	{
		name: '500 whose text body echoes the API key',
		parameters: { ...sendEvent, requestOptions: { serverErrorRetries: 0 } },
		input: [{ email: 'a@b.co' }],
		reply: () => [500, `upstream failure for key=${API_KEY}`],
		fails: true,
		sends: true,
	},
	{
		name: '401 unauthorized',
		parameters: sendEvent,
		input: [{ email: 'a@b.co' }],
		reply: () => [401, { error: 'unauthorized' }],
		fails: true,
		sends: true,
	},
	{
		name: '403 forbidden',
		parameters: sendEvent,
		input: [{ email: 'a@b.co' }],
		reply: () => [403, { error: 'forbidden' }],
		fails: true,
		sends: true,
	},
	{
		name: '429 exhausted',
		parameters: { ...sendEvent, requestOptions: { rateLimitRetries: 1 } },
		input: [{ email: 'a@b.co' }],
		reply: () => [429, { title: 'Too Many Requests' }, { 'Retry-After': '0' }],
		fails: true,
		sends: true,
	},
	{
		name: '500 exhausted',
		parameters: { ...sendEvent, requestOptions: { serverErrorRetries: 1 } },
		input: [{ email: 'a@b.co' }],
		reply: () => [500, { message: 'oops' }],
		fails: true,
		sends: true,
	},
	{
		name: 'timeout',
		parameters: { ...sendEvent, requestOptions: { timeout: 1, serverErrorRetries: 0 } },
		input: [{ email: 'a@b.co' }],
		reply: async () => {
			const late = wait(1200);
			lateAnswers.push(late);
			await late;
			return [202];
		},
		fails: true,
		sends: true,
	},
	{
		name: 'dropped connection (socket reset)',
		parameters: { ...sendEvent, requestOptions: { serverErrorRetries: 0 } },
		input: [{ email: 'a@b.co' }],
		reply: () => {
			throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		},
		fails: true,
		sends: true,
	},
	{
		name: 'dropped connection (unknown error)',
		parameters: { ...sendEvent, requestOptions: { serverErrorRetries: 0 } },
		input: [{ email: 'a@b.co' }],
		reply: () => {
			throw new Error('boom');
		},
		fails: true,
		sends: true,
	},
	{
		name: 'paging link to another host',
		parameters: { resource: 'contact', operation: 'getAll', returnAll: true },
		input: [{}],
		reply: () => [200, { contacts: [{ contactID: 'c1' }], paging: { next: 'https://evil.example.com/v5/contacts?offset=1' } }],
		fails: true,
		sends: true,
	},
	{
		name: 'invalid input',
		parameters: sendEvent,
		input: [{ email: 'not-an-email' }],
		reply: () => [202],
		fails: true,
		sends: false,
	},
];

/** Every line n8n's logger is given (with its metadata) and anything printed to the console. */
let logged: string[] = [];
beforeEach(() => {
	logged = [];
	captureLogs(logged);
});

afterEach(async () => {
	jest.restoreAllMocks();
	await Promise.all(lateAnswers);
	lateAnswers = [];
});

test('the scanner finds the key wherever it hides (non-enumerable stack, nested cause, headers, Buffer)', () => {
	const hiddenInStack = new Error('outer', { cause: new Error('inner') });
	Object.defineProperty(hiddenInStack.cause as Error, 'stack', { value: `Error: inner\n    at x-api-key=${API_KEY}`, enumerable: false });
	expect(JSON.stringify(hiddenInStack)).not.toContain(API_KEY);
	expect(reachableText({ run: { errors: [hiddenInStack] } })).toContain(API_KEY);
	expect(reachableText({ config: { headers: { 'X-API-KEY': API_KEY } } })).toContain(API_KEY);
	expect(reachableText({ body: Buffer.from(`key=${API_KEY.slice(-10)}`) })).toContain(API_KEY.slice(-10));
	expect(reachableText(new Map([['k', { deep: [API_KEY] }]]))).toContain(API_KEY);
});

describe.each([false, true])('continueOnFail: %s', (continueOnFail) => {
	test.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
		'%s: the API key appears nowhere in the run, its items or its errors',
		async (_name, scenario) => {
			const { received } = omnisendFake(scenario.reply);
			const { run, items, error, thrown: liveErrors } = await runCapturing(scenario.parameters, scenario.input, continueOnFail);

			// The scenario really ran the way it says, with the key in play.
			if (scenario.sends) {
				expect(received.length).toBeGreaterThan(0);
				expect(received.every((request: Received) => request.headers['x-api-key'] === API_KEY)).toBe(true);
			} else {
				expect(received).toHaveLength(0);
			}
			if (scenario.fails && !continueOnFail) {
				expect(error).toBeDefined();
				expect(run.data.resultData.error).toBeDefined();
				expect(liveErrors).toHaveLength(1);
				expect((liveErrors[0] as Error).message).toBe(error?.message);
			} else {
				expect(error).toBeUndefined();
				expect(liveErrors).toHaveLength(0);
				expect(items.length).toBeGreaterThan(0);
			}
			if (scenario.fails && continueOnFail) {
				expect(typeof items[0].json.error).toBe('string');
			}

			// n8n logs a node's error when the node stops: the log scan below sees real lines.
			if (scenario.fails && !continueOnFail) expect(logged.join('\n')).toContain(error?.message);
			expectNoSecret(logged.join('\n'));

			const fullRun: IRun = run;
			expectNoSecret(JSON.stringify(fullRun));
			expectNoSecret(reachableText(fullRun));
			expectNoSecret(JSON.stringify(items));
			expectNoSecret(reachableText(error));
			expectNoSecret(reachableText(run.data.resultData.error));
			for (const live of liveErrors as Array<Error & { cause?: unknown }>) {
				expectNoSecret(reachableText(live));
				expectNoSecret(String(live.stack));
				expectNoSecret(JSON.stringify(live));
			}
		},
	);
});

test('a 400 whose body echoes the key: the message shows Omnisend\'s words with the key masked as ***', async () => {
	omnisendFake(() => [400, { error: 'bad', detail: `X-API-KEY ${API_KEY} is not valid for this store`, errors: [{ field: 'headers.x-api-key', message: API_KEY }] }]);
	const withError = await runCapturing(sendEvent, [{ email: 'a@b.co' }], false);
	const continued = await runCapturing(sendEvent, [{ email: 'a@b.co' }], true);

	const message = 'Omnisend answered 400: bad; X-API-KEY *** is not valid for this store; headers.x-api-key: ***';
	expect(withError.error?.message).toBe(message);
	expect((withError.thrown[0] as Error).message).toBe(message);
	expect(continued.items.map((item) => item.json.error)).toEqual([message]);
	expectNoSecret(reachableText(withError.thrown));
	expectNoSecret(JSON.stringify(withError.run));
});
