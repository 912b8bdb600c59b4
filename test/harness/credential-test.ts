import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { getCredentialType } from './credential-types';
import { resolveCredentialValue } from './credentials-helper';
import { runWorkflow, triggeredWorkflow } from './run-workflow';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

function resolveDeep(value: unknown, resolve: (v: unknown) => unknown): unknown {
	if (Array.isArray(value)) return value.map((entry) => resolveDeep(entry, resolve));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolveDeep(entry, resolve)]));
	}
	return resolve(value);
}

/**
 * Runs a credential type's declarative `test` the way n8n's credentials modal does: the request's
 * expressions resolved against the credential, the credential's `authenticate` applied by n8n's
 * request helper, 2xx = OK, otherwise the first matching `responseCode` rule's message.
 */
export async function testCredential(typeName: string, data: ICredentialDataDecryptedObject): Promise<CredentialTestResult> {
	const type = getCredentialType(typeName);
	if (!type.test) throw new Error(`Credential type "${typeName}" has no test`);
	const test = type.test;

	class CredentialProbe implements INodeType {
		description = {
			displayName: 'Credential Probe',
			name: 'credentialProbe',
			group: ['output'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: typeName, required: true }],
			properties: [],
		} as unknown as INodeTypeDescription;

		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const credentials = await this.getCredentials(typeName);
			const workflow = (this as unknown as { workflow: import('n8n-workflow').Workflow }).workflow;
			const request = resolveDeep(test.request, (value) =>
				resolveCredentialValue(value, credentials, workflow, this.getNode()),
			) as IDataObject;
			const options: IHttpRequestOptions = {
				method: (request.method as IHttpRequestOptions['method']) ?? 'GET',
				baseURL: request.baseURL as string | undefined,
				url: String(request.url ?? ''),
				qs: request.qs as IDataObject,
				headers: request.headers as IDataObject,
				body: request.body as IDataObject,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			};
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, typeName, options)) as {
				statusCode: number;
			};
			let result: CredentialTestResult = { status: 'OK', message: 'Connection tested successfully' };
			if (response.statusCode < 200 || response.statusCode >= 300) {
				const rule = (test.rules ?? []).find(
					(r) => r.type === 'responseCode' && Number(r.properties.value) === response.statusCode,
				);
				result = {
					status: 'Error',
					message: rule ? String(rule.properties.message) : `The service answered ${response.statusCode}`,
				};
			}
			return [[{ json: result as unknown as IDataObject, pairedItem: { item: 0 } }]];
		}
	}

	const result = await runWorkflow(
		triggeredWorkflow({
			name: 'Probe',
			type: 'test.credentialProbe',
			parameters: {},
			credentials: { [typeName]: { id: 'c1', name: 'under test' } },
		}),
		{ credentials: { [typeName]: data }, nodeTypes: { 'test.credentialProbe': new CredentialProbe() } },
	);
	const error = result.nodeError('Probe');
	if (error) return { status: 'Error', message: error.message };
	return result.output('Probe')[0].json as unknown as CredentialTestResult;
}
