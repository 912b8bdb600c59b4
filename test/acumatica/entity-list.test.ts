import { LoadOptionsContext } from 'n8n-core';
import type { INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { searchActions, searchEntities } from '../../nodes/Acumatica/methods/listSearch';
import { TestCredentialsHelper } from '../harness/credentials-helper';
import { TestNodeTypes } from '../harness/node-types';
import { additionalDataFor } from '../harness/run-workflow';
import { acumaticaFake, credentialsFor, ENDPOINT, expectAuthenticated } from './fixtures';

/** A trimmed swagger.json as an endpoint serves it: entity paths, key paths, $adHocSchema, actions. */
const swagger = {
	openapi: '3.0.1',
	info: { title: 'Default/24.200.001', version: '3' },
	paths: {
		'/Contact': { get: {}, put: {} },
		'/Contact/{ids}': { get: {}, delete: {} },
		'/Contact/$adHocSchema': { get: {} },
		'/Contact/AttachContactToNewCase': { post: {} },
		'/Customer': { get: {}, put: {} },
		'/Customer/ChangeCustomerID': { post: {} },
		'/SalesOrder': { get: {}, put: {} },
		'/SalesOrder/ReleaseFromHold': { post: {} },
		'/SalesOrder/ReleaseFromHold/status/{id}': { get: {} },
	},
};

function loadOptionsContext(entity = '') {
	const node: INode = {
		id: 'n1',
		name: 'Acumatica',
		type: 'n8n-nodes-crm-relay.acumatica',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'password', resource: 'record', operation: 'invokeAction', entity: { __rl: true, mode: 'name', value: entity } },
		credentials: { acumaticaApi: { id: 'cred-acu', name: 'Acumatica account' } },
	};
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
	const additionalData = additionalDataFor(undefined, new TestCredentialsHelper({ ...credentialsFor('session') }));
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.entity');
}

describe('entity and action lists, loaded from the endpoint\'s swagger.json', () => {
	test('entities: GET swagger.json in a session of its own that is logged out; only top-level entities (paths with PUT)', async () => {
		const fake = acumaticaFake(() => [200, swagger]);
		const result = await searchEntities.call(loadOptionsContext(), '');
		expect(result.results).toEqual([
			{ name: 'Contact', value: 'Contact' },
			{ name: 'Customer', value: 'Customer' },
			{ name: 'SalesOrder', value: 'SalesOrder' },
		]);
		expect(fake.received.map((r) => [r.method, r.path])).toEqual([
			['POST', '/AcumaticaERP/entity/auth/login'],
			['GET', `${ENDPOINT}/swagger.json`],
			['POST', '/AcumaticaERP/entity/auth/logout'],
		]);
		expectAuthenticated(fake.entity[0], 'session');
		expect(fake.liveSessions()).toBe(0);
	});

	test('the search box filters by name', async () => {
		acumaticaFake(() => [200, swagger]);
		const result = await searchEntities.call(loadOptionsContext(), 'cust');
		expect(result.results).toEqual([{ name: 'Customer', value: 'Customer' }]);
	});

	test('actions of the chosen entity: POST paths /{Entity}/{Action}', async () => {
		acumaticaFake(() => [200, swagger]);
		const result = await searchActions.call(loadOptionsContext('SalesOrder'));
		expect(result.results).toEqual([{ name: 'ReleaseFromHold', value: 'ReleaseFromHold' }]);
	});

	test('a failing list still logs out, and the error says what to check', async () => {
		const fake = acumaticaFake(() => [404, '']);
		await expect(searchEntities.call(loadOptionsContext())).rejects.toThrow('Acumatica answered 404');
		expect(fake.logins).toHaveLength(1);
		expect(fake.logouts).toHaveLength(1);
	});
});
