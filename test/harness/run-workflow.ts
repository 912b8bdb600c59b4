import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { TestNodeTypes } from './node-types';

export type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'> &
	Partial<Pick<IWorkflowBase, 'settings' | 'staticData' | 'name' | 'id'>>;

export interface RunOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Items the start node emits (as if a trigger had fired with them). */
	input?: IDataObject[];
	mode?: WorkflowExecuteMode;
	/**
	 * Stop the execution when this settles, as n8n's Stop button does (e.g. once a fake service has
	 * seen a request): unlike a fixed delay it does not depend on how fast a loaded machine gets there.
	 */
	cancelWhen?: Promise<unknown>;
	/** Extra node types (test-only probes), by full type name. */
	nodeTypes?: Record<string, INodeType>;
	/**
	 * The node the input items start at, by name (e.g. a webhook trigger, which n8n starts
	 * explicitly and WorkflowExecute passes through). Default: the workflow's start node.
	 */
	startNode?: string;
}

export interface WorkflowResult {
	run: IRun;
	credentialsHelper: TestCredentialsHelper;
	/** Items a node put on one of its outputs (all runs of the node, in order). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error a node stopped with, if any. */
	nodeError(nodeName: string): Error | undefined;
}

/** A workflow as n8n exports it: a Manual Trigger named Start wired to one node. */
export function triggeredWorkflow(node: Omit<INode, 'id' | 'position' | 'typeVersion'> & Partial<INode>): WorkflowJson {
	return {
		nodes: [
			{ id: 'a0e1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'b0e2', typeVersion: 1, position: [220, 0], ...node } as INode,
		],
		connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
	};
}

/** Resolves once `condition()` holds (checked every 10 ms), then after `thenMs` more. For `cancelWhen`. */
export async function when(condition: () => boolean, thenMs = 0): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
	if (thenMs > 0) await new Promise((resolve) => setTimeout(resolve, thenMs));
}

export function loadWorkflow(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.resolve(file), 'utf8')) as WorkflowJson;
}

export function additionalDataFor(
	hooks: ExecutionLifecycleHooks | undefined,
	credentialsHelper: TestCredentialsHelper,
): IWorkflowExecuteAdditionalData {
	const refuse = (what: string) => async () => {
		throw new Error(`${what} is not available in the test harness`);
	};
	return {
		hooks,
		credentialsHelper,
		executeWorkflow: refuse('executeWorkflow'),
		getRunExecutionData: refuse('getRunExecutionData'),
		getRuntimeCredential: refuse('getRuntimeCredential'),
		startRunnerTask: refuse('startRunnerTask'),
		logAiEvent: () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * Runs an exported workflow through n8n-core's WorkflowExecute, the engine n8n itself uses:
 * real parameter resolution, expressions, pairing, continueOnFail and error handling. HTTP leaves
 * through n8n's own request helpers, so nock sees exactly what the service would.
 */
export async function runWorkflow(json: WorkflowJson, options: RunOptions = {}): Promise<WorkflowResult> {
	const nodeTypes = new TestNodeTypes(options.nodeTypes);
	const credentialsHelper = new TestCredentialsHelper({ ...(options.credentials ?? {}) });
	const workflow = new Workflow({
		id: json.id ?? 'test-workflow',
		name: json.name ?? 'test',
		nodes: json.nodes as INode[],
		connections: json.connections,
		nodeTypes,
		active: false,
		settings: json.settings,
		staticData: json.staticData,
	});

	const hooks = new ExecutionLifecycleHooks(options.mode ?? 'manual', 'test-execution', {
		id: workflow.id,
		name: workflow.name,
		nodes: json.nodes,
		connections: json.connections,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase);
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (run) => {
		finished = run;
	});

	const startNode = options.startNode === undefined ? workflow.getStartNode() : workflow.getNode(options.startNode);
	if (!startNode) throw new Error(options.startNode === undefined ? 'The workflow has no start node' : `The workflow has no node "${options.startNode}"`);
	const items = (options.input ?? [{}]).map((json) => ({ json }));
	const runExecutionData: IRunExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }],
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(
		additionalDataFor(hooks, credentialsHelper),
		options.mode ?? 'manual',
		runExecutionData,
	);
	const running = execute.processRunExecutionData(workflow);
	void options.cancelWhen?.then(() => running.cancel());
	const returned = await running;
	const run = finished ?? returned;

	return {
		run,
		credentialsHelper,
		output(nodeName, outputIndex = 0) {
			const runs = run.data.resultData.runData[nodeName] ?? [];
			return runs.flatMap((task) => task.data?.main?.[outputIndex] ?? []);
		},
		nodeError(nodeName) {
			const runs = run.data.resultData.runData[nodeName] ?? [];
			return runs.find((task) => task.error)?.error;
		},
	};
}
