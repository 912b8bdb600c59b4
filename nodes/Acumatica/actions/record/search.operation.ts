import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fromAcumaticaRecord } from '../../helpers/record';
import type { AcumaticaClient } from '../../transport';
import { readEntity, shapeOptions, shapeQuery } from './fields';

const OPERATION = ['search'];
const show = { resource: ['record'], operation: OPERATION };

export const description: INodeProperties[] = [
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: "Status eq 'Active' and substringof('Ltd', DisplayName)",
		description: '$filter in OData syntax: eq ne gt ge lt le and or, substringof, startswith; linked fields as MainContact/Email; quotes in values doubled (O\'\'Brien)',
		displayOptions: { show },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	shapeOptions(OPERATION, [
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 100,
			description: 'Records per request ($top); pages are read with $skip until one comes back short',
		},
	]),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: AcumaticaClient): Promise<IDataObject[]> {
	const entity = readEntity.call(this, itemIndex);
	const filter = String(this.getNodeParameter('filter', itemIndex, '') ?? '').trim();
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pageSize = Math.max(1, Math.floor(Number(options.pageSize ?? 100)) || 100);
	const base: IDataObject = shapeQuery(options);
	if (filter !== '') base.$filter = filter;

	const records: IDataObject[] = [];
	for (let skip = 0; records.length < limit; ) {
		const top = Math.min(pageSize, limit - records.length);
		const qs: IDataObject = { ...base, $top: top };
		if (skip > 0) qs.$skip = skip;
		const response = await client.request({ method: 'GET', path: `/${entity}`, qs, idempotent: true }, itemIndex);
		const page = Array.isArray(response.body) ? (response.body as unknown[]) : [];
		for (const record of page) records.push(fromAcumaticaRecord(record));
		// No total or next link in Acumatica's answer: a short page is the last one.
		if (page.length < top) break;
		skip += page.length;
	}
	return records;
}
