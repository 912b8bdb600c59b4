import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { soqlLikeEscape } from '../helpers/input';
import { answerObject, newSession, salesforceRequest } from '../transport';

async function get(ctx: ILoadOptionsFunctions, path: string, qs?: Record<string, string>): Promise<IDataObject> {
	const response = await salesforceRequest.call(ctx, { method: 'GET', path, qs, idempotent: true }, 0, newSession(ctx));
	return answerObject(response);
}

/** Objects of the org (describe global) the Run As user can query, filtered by name or label. */
async function searchSObjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const answer = await get(this, '/sobjects');
	const needle = (filter ?? '').trim().toLowerCase();
	const results = ((answer.sobjects as IDataObject[] | undefined) ?? [])
		.filter((sobject) => sobject.queryable !== false)
		.filter((sobject) => !needle || String(sobject.name).toLowerCase().includes(needle) || String(sobject.label).toLowerCase().includes(needle))
		.map((sobject) => ({ name: `${String(sobject.label)} (${String(sobject.name)})`, value: String(sobject.name) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/** Campaigns by name (most recently changed first), for the Campaign picker. */
async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	// Escaped for the string literal, and LIKE's own wildcards (% and _) in the filter neutralised.
	const where = filter?.trim() ? ` WHERE Name LIKE '%${soqlLikeEscape(filter.trim())}%'` : '';
	const answer = await get(this, '/query', { q: `SELECT Id, Name, Status FROM Campaign${where} ORDER BY LastModifiedDate DESC LIMIT 100` });
	const results = ((answer.records as IDataObject[] | undefined) ?? []).map((campaign) => ({
		name: `${String(campaign.Name)} (${String(campaign.Status ?? '')})`,
		value: String(campaign.Id),
	}));
	return { results };
}

/** The org's active Campaign Status picklist values. */
async function getCampaignStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const answer = await get(this, '/sobjects/Campaign/describe');
	const status = ((answer.fields as IDataObject[] | undefined) ?? []).find((field) => field.name === 'Status');
	const values = ((status?.picklistValues as IDataObject[] | undefined) ?? []).filter((value) => value.active !== false);
	return [
		{ name: '(Keep Current Status)', value: '' },
		...values.map((value) => ({ name: String(value.label ?? value.value), value: String(value.value) })),
	];
}

export const listSearch = { searchSObjects, searchCampaigns };
export const loadOptions = { getCampaignStatuses };
