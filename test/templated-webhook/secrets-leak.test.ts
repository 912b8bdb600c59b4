import type { IExecuteFunctions, INodeParameters, INodeType, IRun } from 'n8n-workflow';

import { TemplatedWebhook } from '../../nodes/TemplatedWebhook/TemplatedWebhook.node';
import { runWorkflow } from '../harness/run-workflow';
import type { Received } from './fixtures';
import { BASIC_PASSWORD, CONTACT, CREDENTIALS, SIGNING_SECRET, TOKEN, dnsFake, receiverFake, webhookParameters, webhookWorkflow } from './fixtures';
import { reachableText } from '../harness/reachable-text';

const BASIC_PAIR = Buffer.from(`n8n:${BASIC_PASSWORD}`).toString('base64');
const SECRETS = [SIGNING_SECRET, SIGNING_SECRET.slice(-12), TOKEN, TOKEN.slice(-10), BASIC_PASSWORD, BASIC_PAIR, Buffer.from(BASIC_PASSWORD).toString('base64')];

const thrown: unknown[] = [];
const node = new TemplatedWebhook();
const capturing: INodeType = {
	description: { ...node.description, name: 'capturingWebhook' },
	async execute(this: IExecuteFunctions) {
		try {
			return await node.execute.call(this);
		} catch (error) {
			thrown.push(error);
			throw error;
		}
	},
};

async function runCapturing(parameters: INodeParameters, credentials: Record<string, Record<string, string>>, continueOnFail: boolean): Promise<IRun> {
	thrown.length = 0;
	const workflow = webhookWorkflow(parameters, { credential: true, continueOnFail });
	workflow.nodes[1].type = 'capturingWebhook';
	const result = await runWorkflow(workflow, { credentials, input: [CONTACT, { profile: { email: 'b@example.com' } }], nodeTypes: { capturingWebhook: capturing } });
	return result.run;
}

/** A receiver that echoes every header it got, in its body and in a header, whatever it answers. */
function echoing(status: (index: number) => number) {
	return receiverFake((request: Received, index) => [status(index), JSON.stringify({ youSent: request.headers }), { 'X-Echo': String(request.headers.authorization ?? '') }]);
}

const credentialSets = Object.entries(CREDENTIALS);
const scenarios: Array<[string, INodeParameters, () => void]> = [
	['delivered, answer echoes the credentials', webhookParameters(), () => echoing(() => 200)],
	['dropped on 401 that echoes them', webhookParameters(), () => echoing(() => 401)],
	['retry later after 500s that echo them', webhookParameters({}, { retries: 1 }), () => echoing(() => 500)],
	['network failure', webhookParameters({}, { retries: 1 }), () => receiverFake((request) => { throw new Error(`boom ${JSON.stringify(request.headers)}`); })],
	['preview', webhookParameters({ headers: '{"X-Api-Key": "k"}' }, { preview: true }), () => undefined],
	['a header clash error', webhookParameters({ headers: '{"Authorization": "x", "X-Webhook-Signature": "y"}' }), () => echoing(() => 200)],
	['an invalid URL error', webhookParameters({ url: 'https://10.0.0.1/hook' }), () => echoing(() => 200)],
];

describe('secrets never appear in output items, errors or run data', () => {
	for (const [credentialName, credentials] of credentialSets) {
		for (const continueOnFail of [false, true]) {
			test.each(scenarios)(`${credentialName} credential, continueOnFail=${continueOnFail}: %s`, async (_name, parameters, setup) => {
				dnsFake();
				setup();
				const run = await runCapturing(parameters, credentials, continueOnFail);
				const text = reachableText([run, thrown]);
				for (const secret of SECRETS) expect(text).not.toContain(secret);
				expect(text.length).toBeGreaterThan(100);
			});
		}
	}

	test('the check above can fail: the secrets are on the wire', async () => {
		dnsFake();
		const { received } = echoing(() => 200);
		await runCapturing(webhookParameters(), CREDENTIALS.basic, false);
		expect(reachableText(received)).toContain(BASIC_PAIR);
	});
});
