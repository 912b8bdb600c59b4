import type { ICredentialType } from 'n8n-workflow';

import { OmnisendApi } from '../../credentials/OmnisendApi.credentials';

const all: ICredentialType[] = [new OmnisendApi()];

export function getCredentialType(name: string): ICredentialType {
	const type = all.find((t) => t.name === name);
	if (!type) throw new Error(`Credential type "${name}" is not known to the test harness`);
	return type;
}
