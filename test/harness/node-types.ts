import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { readdirSync } from 'node:fs';
import path from 'node:path';

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

/**
 * Every node of the package, found by file name (`nodes/<Dir>/<Name>.node.ts`) so a new node needs no
 * registration here. Keyed by the description's `name`, as n8n keys them.
 */
function discoverOurNodes(): Record<string, INodeType> {
	const root = path.resolve(__dirname, '../../nodes');
	const found: Record<string, INodeType> = {};
	for (const dir of readdirSync(root, { withFileTypes: true })) {
		if (!dir.isDirectory()) continue;
		for (const file of readdirSync(path.join(root, dir.name))) {
			if (!file.endsWith('.node.ts')) continue;
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const exported = require(path.join(root, dir.name, file)) as Record<string, new () => INodeType>;
			for (const NodeClass of Object.values(exported)) {
				if (typeof NodeClass !== 'function') continue;
				// A node file may also export helper functions: only classes that construct count.
				let node: INodeType | undefined;
				try {
					node = new NodeClass();
				} catch {
					continue;
				}
				if (node?.description?.name) found[node.description.name] = node;
			}
		}
	}
	return found;
}

const ourNodes = discoverOurNodes();

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
