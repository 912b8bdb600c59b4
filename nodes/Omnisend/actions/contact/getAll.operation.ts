import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InvalidFieldError, normalizeEmail, normalizePhone } from '../../helpers/identity';
import { omnisendRequest, resolveUrl } from '../../transport';
import type { OperationContext } from '../context';
import { contactsOf } from './lookup';

const PAGE_SIZE = 250;

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'name@email.com' },
			{ displayName: 'Phone', name: 'phone', type: 'string', default: '', placeholder: '+447700900123' },
			{ displayName: 'Segment ID', name: 'segmentID', type: 'string', default: '' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'subscribed',
				options: [
					{ name: 'Subscribed', value: 'subscribed' },
					{ name: 'Unsubscribed', value: 'unsubscribed' },
					{ name: 'Not Subscribed', value: 'nonSubscribed' },
				],
				description: 'Cannot be combined with Tag',
			},
			{ displayName: 'Tag', name: 'tag', type: 'string', default: '', description: 'Cannot be combined with Status' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

/** Where the next page is: v5 gives a `next` link; the dated API a cursor with `hasMore`. */
function nextPage(body: unknown): { path?: string; after?: string } | undefined {
	const paging = (body as { paging?: Record<string, unknown> } | undefined)?.paging;
	if (!paging) return undefined;
	if (typeof paging.next === 'string' && paging.next !== '') return { path: paging.next };
	const after = (paging.cursors as { after?: unknown } | undefined)?.after;
	if (paging.hasMore === true && typeof after === 'string' && after !== '') return { after };
	return undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = { ...(this.getNodeParameter('filters', itemIndex, {}) as IDataObject) };
	if (filters.tag && filters.status) {
		throw new InvalidFieldError('Filters', 'Omnisend cannot filter by Tag and Status at once', 'Keep one of them and filter the other with an IF node.');
	}
	if (filters.email) filters.email = normalizeEmail(filters.email, 'Email filter');
	if (filters.phone) filters.phone = normalizePhone(filters.phone, undefined, 'Phone filter');
	for (const key of Object.keys(filters)) if (filters[key] === '') delete filters[key];

	const contacts: IDataObject[] = [];
	let request: { path: string; qs?: IDataObject; link?: boolean } = { path: '/contacts', qs: { ...filters, limit: Math.min(PAGE_SIZE, limit) } };
	// Pages are remembered by the address they resolve to, so a link back to any page read ends paging.
	const { baseUrl } = await context.credential();
	const pageKey = (page: typeof request) => {
		const url = new URL(resolveUrl(baseUrl, page.path, page.link));
		for (const [name, value] of Object.entries(page.qs ?? {})) url.searchParams.set(name, String(value));
		url.searchParams.sort();
		return url.toString();
	};
	const seen = new Set<string>([pageKey(request)]);
	while (contacts.length < limit) {
		const response = await omnisendRequest.call(this, { method: 'GET', ...request }, itemIndex, context);
		const page = contactsOf(response.body);
		contacts.push(...page.slice(0, limit - contacts.length));
		const next = nextPage(response.body);
		if (!next || page.length === 0 || contacts.length >= limit) break;
		// A paging link may hold the filters itself; a cursor goes with the unchanged filters.
		request = next.path ? { path: next.path, link: true } : { path: '/contacts', qs: { ...filters, limit: Math.min(PAGE_SIZE, limit), after: next.after } };
		const key = pageKey(request);
		if (seen.has(key)) break;
		seen.add(key);
	}
	return contacts;
}
