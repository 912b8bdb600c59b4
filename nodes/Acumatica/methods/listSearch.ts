import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { AcumaticaClient, DEFAULT_POLICY } from '../transport';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The endpoint's OpenAPI document (`swagger.json`), read with a session of its own that is always
 * logged out. Top-level entities are the paths `/{Entity}` with a PUT; actions are `/{Entity}/{Action}` with a POST.
 */
async function readPaths(ctx: ILoadOptionsFunctions): Promise<Record<string, IDataObject>> {
	const client = new AcumaticaClient(ctx, ctx.getNodeParameter('authentication', 'password') as string, {
		...DEFAULT_POLICY,
		rateLimitRetries: 0,
		serverErrorRetries: 0,
	});
	try {
		const response = await client.request({ method: 'GET', path: '/swagger.json', idempotent: true });
		const paths = (response.body as IDataObject | undefined)?.paths;
		return paths && typeof paths === 'object' ? (paths as Record<string, IDataObject>) : {};
	} finally {
		await client.close();
	}
}

function matching(names: string[], filter?: string): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = [...new Set(names)]
		.filter((name) => wanted === '' || name.toLowerCase().includes(wanted))
		.sort((a, b) => a.localeCompare(b))
		.map((name) => ({ name, value: name }));
	return { results };
}

export async function searchEntities(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const paths = await readPaths(this);
	const names = Object.entries(paths)
		.filter(([path, methods]) => methods && typeof methods === 'object' && 'put' in methods && NAME.test(path.slice(1)) && path.startsWith('/'))
		.map(([path]) => path.slice(1));
	return matching(names, filter);
}

export async function searchActions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const entity = String(this.getNodeParameter('entity', '', { extractValue: true }) ?? '');
	if (!NAME.test(entity)) return { results: [] };
	const paths = await readPaths(this);
	const names = Object.entries(paths)
		.filter(([, methods]) => methods && typeof methods === 'object' && 'post' in methods)
		.map(([path]) => path.split('/'))
		.filter((parts) => parts.length === 3 && parts[1] === entity && NAME.test(parts[2]))
		.map((parts) => parts[2]);
	return matching(names, filter);
}
