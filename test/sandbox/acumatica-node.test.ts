import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runWorkflow, triggeredWorkflow } from '../harness/run-workflow';
import type { Sandbox } from './sandbox-api';
import { startSandbox } from './sandbox-api';
import { trustCaForLoopback } from './trust-ca';

/** The real Acumatica node (cookie session) against the fake Acumatica over HTTPS. */
let sandbox: Sandbox;
let untrust: () => void;
const PASSWORD = 'pw-sandbox-acu-77';

beforeAll(async () => {
	nock.enableNetConnect(/127\.0\.0\.1|localhost/);
	sandbox = await startSandbox({ services: ['acumatica'], options: { acumatica: { username: 'api-user', password: PASSWORD, tenant: 'MyTenant' } } });
	untrust = trustCaForLoopback(sandbox.ca.pem);
});
afterAll(async () => {
	untrust();
	await sandbox.stop();
});

const acumatica = () => sandbox.services.acumatica as unknown as {
	url: string;
	requests(): Array<{ method: string; path: string; rawBody: string; status?: number }>;
	stats(): Record<string, number>;
	records(entity: string): Array<Record<string, any>>;
};

async function run(parameters: INodeParameters, input: IDataObject[]) {
	const workflow = triggeredWorkflow({
		name: 'Acumatica',
		type: 'n8n-nodes-crm-relay.acumatica',
		parameters: { authentication: 'password', resource: 'record', ...parameters },
		credentials: { acumaticaApi: { id: 'cred-acu', name: 'Acumatica account' } },
	});
	const credentials = {
		acumaticaApi: {
			instanceUrl: acumatica().url,
			tenant: 'MyTenant',
			endpointName: 'Default',
			endpointVersion: '24.200.001',
			username: 'api-user',
			password: PASSWORD,
			mode: 'session',
		},
	};
	const result = await runWorkflow(workflow, { credentials, input });
	return { items: result.output('Acumatica'), error: result.nodeError('Acumatica') };
}

test('Create or Update: one login, PUT of the wrapped record, one logout; the record is stored', async () => {
	const { items, error } = await run(
		{ operation: 'createOrUpdate', entity: { __rl: true, mode: 'name', value: 'Contact' }, record: '={{ JSON.stringify({ Email: $json.email, LastName: $json.last }) }}' },
		[{ email: 'ann@example.com', last: 'Lee' }],
	);
	expect(error).toBeUndefined();
	const requests = acumatica().requests();
	expect(requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
		'POST /entity/auth/login 204',
		'PUT /entity/Default/24.200.001/Contact 200',
		'POST /entity/auth/logout 204',
	]);
	expect(JSON.parse(requests[1].rawBody)).toEqual({ Email: { value: 'ann@example.com' }, LastName: { value: 'Lee' } });
	expect(acumatica().stats()).toMatchObject({ logins: 1, logouts: 1, active: 0 });
	expect(acumatica().records('Contact')).toEqual([expect.objectContaining({ Email: { value: 'ann@example.com' }, ContactID: { value: 1 } })]);
	expect(items).toHaveLength(1);
});

test('a 422 from the fake reaches the node as a refusal naming the field, and the session is still logged out', async () => {
	const before = acumatica().stats();
	const { error } = await run(
		{ operation: 'createOrUpdate', entity: { __rl: true, mode: 'name', value: 'Contact' }, record: '{"Email":"no-last-name@example.com"}' },
		[{}],
	);
	expect(error?.message).toContain("'Last Name' cannot be empty.");
	const after = acumatica().stats();
	expect(after.logins - before.logins).toBe(1);
	expect(after.logouts - before.logouts).toBe(1);
	expect(after.active).toBe(0);
});
