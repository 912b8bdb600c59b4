import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { getCredentialType } from './credential-types';

type Store = Record<string, ICredentialDataDecryptedObject>;

/** Resolves a credential expression (`={{$credentials.apiKey}}`) the way n8n's own helper does. */
export function resolveCredentialValue(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
}

/**
 * The credentials side of n8n, for tests: hands out the test's decrypted credentials, applies each
 * credential type's `authenticate` (generic blocks resolved as expressions, or the function), and
 * runs `preAuthentication` for expirable fields exactly when n8n would (empty field, or a 401).
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly preAuthenticationCalls: string[] = [];

	constructor(private readonly store: Store) {
		super();
	}

	getParentTypes(name: string): string[] {
		const type = getCredentialType(name);
		return (type.extends ?? []).flatMap((parent) => [parent, ...this.safeParents(parent)]);
	}

	private safeParents(name: string): string[] {
		try {
			return this.getParentTypes(name);
		} catch {
			return [];
		}
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = getCredentialType(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (typeof type.authenticate === 'function') return await type.authenticate(credentials, options);
		if (type.authenticate?.type !== 'generic') return options;
		if (!workflow || !node) throw new Error('Generic authentication needs the workflow and node');
		const target = options as unknown as Record<string, Record<string, unknown>>;
		for (const [section, entries] of Object.entries(type.authenticate.properties)) {
			target[section] ??= {};
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				const resolvedKey = String(resolveCredentialValue(key, credentials, workflow, node));
				target[section][resolvedKey] = resolveCredentialValue(value, credentials, workflow, node);
			}
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = getCredentialType(typeName);
		const expirable = type.properties.find((p) => p.typeOptions?.expirable === true);
		if (!type.preAuthentication || !expirable) return undefined;
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired) {
			return undefined;
		}
		return await this.runPreAuthenticationFor(type, helpers, credentials);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return await this.runPreAuthenticationFor(getCredentialType(typeName), helpers, credentials);
	}

	private async runPreAuthenticationFor(
		type: ICredentialType,
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	) {
		if (!type.preAuthentication) return undefined;
		this.preAuthenticationCalls.push(type.name);
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		// n8n stores the refreshed fields with the credential, so later executions reuse them.
		this.store[type.name] = { ...this.store[type.name], ...output };
		return output;
	}

	async getCredentials(_details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		throw new Error(`getCredentials(${type}) is not used by the harness`);
	}

	async getDecrypted(
		_additionalData: unknown,
		_details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store[type];
		if (!stored) throw new Error(`The test gave no credentials of type "${type}"`);
		const defaults = Object.fromEntries(
			getCredentialType(type).properties.map((p) => [p.name, p.default]),
		) as ICredentialDataDecryptedObject;
		return { ...defaults, ...stored };
	}

	async updateCredentials(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = data;
	}

	async updateCredentialsOauthTokenData(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = data;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return getCredentialType(type).properties;
	}
}
