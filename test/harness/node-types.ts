import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Omnisend } from '../../nodes/Omnisend/Omnisend.node';

export const PACKAGE_NAME = 'n8n-nodes-crm-relay';

/**
 * Stand-ins for the n8n-nodes-base nodes that exported workflows start with. The harness puts the
 * test's input items on the start node's stack, so a trigger only has to pass them on.
 */
class PassThrough implements INodeType {
	description = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['input'],
		version: [1, 2, 3],
		description: 'Emits its input items',
		defaults: { name: 'Pass Through' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const ourNodes: Record<string, INodeType> = {
	omnisend: new Omnisend(),
};

const stubs: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new PassThrough(),
	'n8n-nodes-base.noOp': new PassThrough(),
};

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType>;

	constructor(extra: Record<string, INodeType> = {}) {
		this.types = { ...stubs, ...extra };
		for (const [name, type] of Object.entries(ourNodes)) this.types[`${PACKAGE_NAME}.${name}`] = type;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Node type "${nodeType}" is not known to the test harness`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}
}
