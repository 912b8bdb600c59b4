import type { IExecuteFunctions, INodeParameters, INodeType } from 'n8n-workflow';

import { Acumatica } from '../../nodes/Acumatica/Acumatica.node';
import { runWorkflow } from '../harness/run-workflow';
import type { FakeOptions, Mode, Received, Reply } from './fixtures';
import { acumaticaFake, acumaticaWorkflow, CLIENT_SECRET, credentialsFor, OAUTH_REFRESH, PASSWORD, SESSION_MARK, TOKEN_MARK } from './fixtures';
import { reachableText } from '../harness/reachable-text';

/** Password, client secret, refresh token, and the marks every session cookie and access token carries. */
const SECRETS = [PASSWORD, CLIENT_SECRET, OAUTH_REFRESH, 'R3fr3sh', SESSION_MARK, TOKEN_MARK];

const thrown: unknown[] = [];
const acumatica = new Acumatica();
const capturing: INodeType = {
	description: { ...acumatica.description, name: 'capturingAcumatica' },
	methods: acumatica.methods,
	async execute(this: IExecuteFunctions) {
		try {
			return await acumatica.execute.call(this);
		} catch (error) {
			thrown.push(error);
			throw error;
		}
	},
};

/** Echoes whatever auth the request carried back in its body, as a careless server or proxy might. */
const echoAuth = (request: Received) => `cookie=${String(request.headers.cookie)} auth=${String(request.headers.authorization)}`;

interface Scenario {
	name: string;
	reply: (request: Received, index: number) => Reply;
	fake?: FakeOptions;
	parameters?: INodeParameters;
	modes: Mode[];
}

const put: INodeParameters = {
	resource: 'record',
	operation: 'createOrUpdate',
	entity: { __rl: true, mode: 'name', value: 'Contact' },
	record: '={{ JSON.stringify({ Email: $json.email }) }}',
	requestOptions: { rateLimitRetries: 0, serverErrorRetries: 0 },
};

const scenarios: Scenario[] = [
	{ name: 'success', reply: (request) => [200, request.body], modes: ['session', 'passwordGrant', 'oAuth2'] },
	{
		name: '422 whose body echoes the session/token',
		reply: (request) => [422, { Email: { value: 'x', error: echoAuth(request) }, error: echoAuth(request) }],
		modes: ['session', 'passwordGrant', 'oAuth2'],
	},
	{ name: '500 text echoing the auth headers', reply: (request) => [500, echoAuth(request)], modes: ['session', 'passwordGrant', 'oAuth2'] },
	{
		name: 'OAuth2 token refreshed after a 401, then a 422 echoing the new token',
		reply: (request, index) => (index === 0 ? [401, {}] : [422, { Email: { value: 'x', error: echoAuth(request) } }]),
		fake: { token: () => [200, { access_token: `oauth-access-${TOKEN_MARK}-new`, refresh_token: 'oauth-refresh-R3fr3sh-new', token_type: 'Bearer' }] },
		modes: ['oAuth2'],
	},
	{ name: '429 echoing them', reply: (request) => [429, { message: echoAuth(request) }], modes: ['session', 'passwordGrant'] },
	{ name: '401 twice', reply: () => [401, { message: 'You are not logged in.' }], modes: ['session', 'passwordGrant'] },
	{
		name: 'login refused with the password echoed',
		reply: () => [200, {}],
		fake: { login: (request) => [500, { exceptionMessage: `Login failed for ${request.rawBody}` }] },
		modes: ['session'],
	},
	{
		name: 'token refused with the client secret and password echoed',
		reply: () => [200, {}],
		fake: { token: (request) => [400, { error: 'invalid_client', error_description: request.rawBody }] },
		modes: ['passwordGrant'],
	},
	{
		name: 'action polling that times out',
		reply: (request) => (request.method === 'POST' ? [202, undefined, { Location: '/AcumaticaERP/entity/Default/24.200.001/Contact/X/status/1' }] : [202]),
		parameters: {
			operation: 'invokeAction',
			action: { __rl: true, mode: 'name', value: 'X' },
			record: '{"id":"a"}',
			actionOptions: { pollInterval: 0, maxPolls: 2 },
		},
		modes: ['session'],
	},
];

describe('no password, client secret, token or session cookie in output, errors or logs', () => {
	const cases = scenarios.flatMap((scenario) => scenario.modes.flatMap((mode) => [false, true].map((continueOnFail) => ({ scenario, mode, continueOnFail }))));

	test.each(cases.map((c) => [`${c.scenario.name} / ${c.mode} / continueOnFail=${c.continueOnFail}`, c]))('%s', async (_name, { scenario, mode, continueOnFail }) => {
		const logged: string[] = [];
		const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
			jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
				logged.push(reachableText(args));
			}),
		);
		thrown.length = 0;
		try {
			const fake = acumaticaFake(scenario.reply, scenario.fake);
			const workflow = acumaticaWorkflow({ ...put, ...(scenario.parameters ?? {}) }, mode, { continueOnFail });
			workflow.nodes[1].type = 'capturingAcumatica';
			const result = await runWorkflow(workflow, {
				credentials: credentialsFor(mode),
				input: [{ email: 'a@b.co' }, { email: 'c@d.co' }],
				nodeTypes: { capturingAcumatica: capturing },
			});
			// The secrets were really in play: the fake saw them.
			const sent = reachableText(fake.received.map((r) => [r.headers, r.rawBody]));
			expect(sent).toMatch(mode === 'session' ? new RegExp(`${PASSWORD}|${SESSION_MARK}`) : mode === 'passwordGrant' ? new RegExp(CLIENT_SECRET) : new RegExp(TOKEN_MARK));

			const visible = [reachableText(result.run), reachableText(thrown), logged.join('\n')].join('\n');
			for (const secret of SECRETS) expect(visible).not.toContain(secret);
		} finally {
			for (const spy of spies) spy.mockRestore();
		}
	});
});
