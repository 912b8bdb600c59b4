import type { ICredentialType } from 'n8n-workflow';

import { OmnisendApi } from '../../credentials/OmnisendApi.credentials';

const all: ICredentialType[] = [new OmnisendApi()];

/** Adds a test-only credential type (e.g. to check the harness itself). */
export function registerCredentialType(type: ICredentialType) {
	if (!all.some((known) => known.name === type.name)) all.push(type);
}

export function getCredentialType(name: string): ICredentialType {
	const type = all.find((t) => t.name === name);
	if (!type) throw new Error(`Credential type "${name}" is not known to the test harness`);
	return type;
}
