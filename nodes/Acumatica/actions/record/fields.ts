import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import { FIELD_PATH } from '../../helpers/record';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The entity: picked from the instance's list (its swagger.json) or typed by name. */
export function entityField(operations: string[]): INodeProperties {
	return {
		displayName: 'Entity',
		name: 'entity',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'Top-level entity of the endpoint, e.g. Contact, Customer, SalesOrder',
		displayOptions: { show: { resource: ['record'], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchEntities', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'Contact',
				validation: [{ type: 'regex', properties: { regex: '^[A-Za-z_][A-Za-z0-9_]*$', errorMessage: 'Letters, digits and _ only' } }],
			},
		],
	};
}

export function readEntity(this: IExecuteFunctions, itemIndex: number): string {
	const entity = String(this.getNodeParameter('entity', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!NAME.test(entity)) {
		throw new NodeOperationError(this.getNode(), `Entity "${entity}" is not an Acumatica entity name (item ${itemIndex})`, {
			itemIndex,
			description: 'Pick the entity from the list, or type its name as on the endpoint (e.g. Contact).',
		});
	}
	return entity;
}

/** A JSON parameter that may arrive as text or (from an expression) as an object. */
export function readJsonObject(this: IExecuteFunctions, name: string, label: string, itemIndex: number): IDataObject {
	const raw = this.getNodeParameter(name, itemIndex, {}) as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = raw.trim() === '' ? {} : jsonParse(raw);
		} catch {
			value = undefined;
		}
		if (value === undefined) {
			throw new NodeOperationError(this.getNode(), `${label} is not valid JSON (item ${itemIndex})`, {
				itemIndex,
				description: `Enter ${label} as a JSON object, e.g. {"Email": "ann@example.com"}, or map it with an expression.`,
			});
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `${label} must be a JSON object (item ${itemIndex})`, {
			itemIndex,
			description: `Enter ${label} as a JSON object of field names and plain values; the node adds Acumatica's {"value": ...} wrapping.`,
		});
	}
	return value as IDataObject;
}

export function recordField(operations: string[], extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Record (JSON)',
		name: 'record',
		type: 'json',
		default: '{\n  "FirstName": "Ann",\n  "LastName": "Lee",\n  "Email": "ann@example.com"\n}',
		required: true,
		description:
			'Plain JSON: {"Email": "a@b.c"}. Linked entities as objects ({"MainContact": {"Email": "a@b.c"}}), detail lines as arrays ({"Details": [{"InventoryID": "A1", "OrderQty": 2}]}). The node wraps every value as {"value": ...} for Acumatica.',
		displayOptions: { show: { resource: ['record'], operation: operations } },
		...extra,
	};
}

/** Id or key values of one record, for Get and Delete. */
export function identifyFields(operations: string[]): INodeProperties[] {
	const show = { resource: ['record'], operation: operations };
	return [
		{
			displayName: 'Find Record By',
			name: 'by',
			type: 'options',
			options: [
				{ name: 'ID', value: 'id', description: 'The record\'s ID (a GUID, as Acumatica returns it)' },
				{ name: 'Key Values', value: 'keys', description: 'The entity\'s key fields in order, e.g. SO and 000123 for a sales order' },
			],
			default: 'id',
			displayOptions: { show },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'a4c8e2c1-1a3b-4c5d-8e9f-0123456789ab',
			displayOptions: { show: { ...show, by: ['id'] } },
		},
		{
			displayName: 'Key Values',
			name: 'keyValues',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			placeholder: 'Add Key Value',
			description: 'In the order of the entity\'s key fields',
			displayOptions: { show: { ...show, by: ['keys'] } },
			options: [{ displayName: 'Key', name: 'key', values: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }] }],
		},
	];
}

/** `/{id}` or `/{key1}/{key2}` (each URL-encoded), and what to show in output and errors. */
export function readIdentity(this: IExecuteFunctions, itemIndex: number): { path: string; shown: IDataObject } {
	const by = this.getNodeParameter('by', itemIndex, 'id') as string;
	if (by === 'keys') {
		const entries = ((this.getNodeParameter('keyValues', itemIndex, {}) as IDataObject).key ?? []) as IDataObject[];
		const keys = entries.map((entry) => String(entry.value ?? '').trim());
		if (keys.length === 0 || keys.some((key) => key === '')) {
			throw new NodeOperationError(this.getNode(), `Key Values are missing or empty (item ${itemIndex})`, {
				itemIndex,
				description: 'Add one value per key field of the entity, in order.',
			});
		}
		return { path: `/${keys.map(encodeURIComponent).join('/')}`, shown: { keys } };
	}
	const id = String(this.getNodeParameter('id', itemIndex, '') ?? '').trim();
	if (id === '') {
		throw new NodeOperationError(this.getNode(), `ID is empty (item ${itemIndex})`, { itemIndex, description: 'Map the record\'s "id" into ID.' });
	}
	return { path: `/${encodeURIComponent(id)}`, shown: { id } };
}

/** $expand / $select / $custom, shared by every operation that returns records. */
export function shapeOptions(operations: string[], extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['record'], operation: operations } },
		options: [
			...extra,
			{
				displayName: 'Expand Linked Entities',
				name: 'expand',
				type: 'string',
				default: '',
				placeholder: 'MainContact,Details',
				description: '$expand: linked entities and detail collections to return (comma-separated); Acumatica returns only the top-level fields otherwise',
			},
			{
				displayName: 'Select Fields',
				name: 'select',
				type: 'string',
				default: '',
				placeholder: 'ContactID,Email,MainContact/Email',
				description: '$select: only these fields (comma-separated)',
			},
			{
				displayName: 'Custom Fields',
				name: 'custom',
				type: 'string',
				default: '',
				placeholder: 'Document.UsrField',
				description: '$custom: custom fields to return, as View.Field',
			},
		],
	};
}

export function shapeQuery(options: IDataObject): IDataObject {
	const qs: IDataObject = {};
	for (const [option, parameter] of [['expand', '$expand'], ['select', '$select'], ['custom', '$custom']]) {
		const value = String(options[option] ?? '').trim();
		if (value !== '') qs[parameter] = value;
	}
	return qs;
}

export function checkFieldPath(this: IExecuteFunctions, field: string, label: string, itemIndex: number): string {
	const value = field.trim();
	if (!FIELD_PATH.test(value)) {
		throw new NodeOperationError(this.getNode(), `${label} "${value}" is not a field name (item ${itemIndex})`, {
			itemIndex,
			description: 'Use the field as the endpoint names it, e.g. Email, or MainContact/Email for a linked entity\'s field.',
		});
	}
	return value;
}
