import type { ICredentialType } from 'n8n-workflow';

import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Every credential of the package, found by file name (`credentials/<Name>.credentials.ts`). */
function discoverOurCredentials(): ICredentialType[] {
	const root = path.resolve(__dirname, '../../credentials');
	const found: ICredentialType[] = [];
	for (const file of readdirSync(root)) {
		if (!file.endsWith('.credentials.ts')) continue;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(path.join(root, file)) as Record<string, new () => ICredentialType>;
		for (const CredentialClass of Object.values(exported)) {
			if (typeof CredentialClass !== 'function') continue;
			// A credential file may also export helper functions: only classes that construct count.
			let type: ICredentialType | undefined;
			try {
				type = new CredentialClass();
			} catch {
				continue;
			}
			if (type?.name && Array.isArray(type.properties)) found.push(type);
		}
	}
	return found;
}

const all: ICredentialType[] = discoverOurCredentials();

/** Adds a test-only credential type (e.g. to check the harness itself). */
export function registerCredentialType(type: ICredentialType) {
	if (!all.some((known) => known.name === type.name)) all.push(type);
}

export function getCredentialType(name: string): ICredentialType {
	const type = all.find((t) => t.name === name);
	if (!type) throw new Error(`Credential type "${name}" is not known to the test harness`);
	return type;
}
