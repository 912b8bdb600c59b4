import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { apiName, fieldsFrom, recordId } from '../helpers/input';

export const CAMPAIGN = { keyPrefix: '701', object: 'Campaign' };

export const campaignLocator: INodeProperties = {
	displayName: 'Campaign',
	name: 'campaignId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description: 'The Campaign: pick it, paste its URL, or give its ID (e.g. the trigger\'s campaign_id by an expression)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCampaigns', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 701xx000000001AAAQ',
			validation: [
				{ type: 'regex', properties: { regex: '^701[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$', errorMessage: 'A Campaign ID has 15 or 18 characters and starts with 701' } },
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://acme.lightning.force.com/lightning/r/Campaign/701xx000000001AAAQ/view',
			extractValue: { type: 'regex', regex: '/(701[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)(?:[/?#]|$)' },
			validation: [{ type: 'regex', properties: { regex: '.*/701[A-Za-z0-9]{12}.*', errorMessage: 'Not a Campaign URL' } }],
		},
	],
};

export function readCampaignId(ctx: IExecuteFunctions, itemIndex: number): string {
	return recordId(ctx.getNodeParameter('campaignId', itemIndex, '', { extractValue: true }), 'Campaign', CAMPAIGN);
}

export const sobjectLocator: INodeProperties = {
	displayName: 'Object',
	name: 'sobject',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Salesforce object (standard or custom), loaded from your org',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSObjects', searchable: true },
		},
		{
			displayName: 'By API Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Contact or Invoice__c',
			validation: [{ type: 'regex', properties: { regex: '^[A-Za-z][A-Za-z0-9_]*$', errorMessage: 'Not an API name (letters, digits, underscores)' } }],
		},
	],
};

export function readSObject(ctx: IExecuteFunctions, itemIndex: number): string {
	return apiName(ctx.getNodeParameter('sobject', itemIndex, '', { extractValue: true }), 'Object');
}

/** Field inputs (key/value rows or JSON), shown for the given resource and operations. */
export function fieldsProperties(displayName: string): INodeProperties[] {
	return [
		{
			displayName: `${displayName} Input`,
			name: 'fieldsInput',
			type: 'options',
			options: [
				{ name: 'Field by Field', value: 'keyValue' },
				{ name: 'JSON', value: 'json' },
			],
			default: 'keyValue',
		},
		{
			displayName,
			name: 'fieldValues',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Field',
			default: {},
			displayOptions: { show: { fieldsInput: ['keyValue'] } },
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{ displayName: 'Field API Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. Description or Result__c' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'An expression may give a number, boolean or null' },
					],
				},
			],
		},
		{
			displayName: `${displayName} (JSON)`,
			name: 'fieldsJson',
			type: 'json',
			default: '{}',
			displayOptions: { show: { fieldsInput: ['json'] } },
			description: 'Field API names and values, e.g. {"Description": "Variant B won", "IsActive": false}',
		},
	];
}

export function readFields(ctx: IExecuteFunctions, itemIndex: number, label: string): IDataObject {
	return fieldsFrom(
		ctx.getNodeParameter('fieldsInput', itemIndex, 'keyValue'),
		ctx.getNodeParameter('fieldValues.field', itemIndex, []) as IDataObject[],
		ctx.getNodeParameter('fieldsJson', itemIndex, '{}'),
		label,
	);
}
