import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { properties } from './description';
import {
	ConfigurationProblem,
	readCalloutSecret,
	readJsonConfig,
	readOutboundConfig,
	receiveJsonCallout,
	receiveOutboundMessage,
} from './receivers';

/** A shared secret shorter than this is too easy to guess for signing. */
const MIN_SECRET_LENGTH = 32;

/**
 * Checks the configuration when the workflow is activated (or starts listening for a test event),
 * so a wrong Organization ID, allow-list or missing secret shows up there, not as refused deliveries.
 */
async function validateConfiguration(ctx: IHookFunctions) {
	const source = ctx.getNodeParameter('source', 'outboundMessage') as string;
	let problem = '';
	try {
		if (source === 'jsonCallout') {
			readJsonConfig(ctx as unknown as IWebhookFunctions);
			await readCalloutSecret(ctx as unknown as IWebhookFunctions);
		} else {
			readOutboundConfig(ctx as unknown as IWebhookFunctions);
		}
	} catch (error) {
		problem = error instanceof ConfigurationProblem ? error.message : (error as Error).message;
	}
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `Salesforce Trigger: ${problem}`, {
			description: 'Fix this in the node\'s parameters; Salesforce deliveries are refused until then.',
		});
	}
}

export class SalesforceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Instant Trigger',
		name: 'salesforceTrigger',
		icon: { light: 'file:salesforce.svg', dark: 'file:salesforce.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["source"] === "jsonCallout" ? "JSON callout" : "Outbound message" }}',
		description: 'Starts the workflow the moment Salesforce sends an Outbound Message or a signed JSON callout',
		eventTriggerDescription: 'Waiting for Salesforce to send a message',
		activationMessage: 'Salesforce can now deliver to the Production URL.',
		defaults: { name: 'Salesforce Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'salesforceCalloutSecretApi',
				required: true,
				testedBy: 'salesforceCalloutSecretTest',
				displayOptions: { show: { source: ['jsonCallout'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node writes every reply itself (SOAP Ack, {"processed": true} or a refusal).
				responseMode: 'onReceived',
				path: 'salesforce',
			},
		],
		properties,
	};

	methods = {
		credentialTest: {
			// Nothing can be asked whether a shared secret is right (n8n is the side that checks it), so
			// the test checks it is usable for signing; every callout is then verified against it.
			async salesforceCalloutSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const secret = typeof credential.data?.secret === 'string' ? credential.data.secret : '';
				if (secret.trim() === '') return { status: 'Error', message: 'The Shared Secret is empty' };
				if (secret !== secret.trim()) return { status: 'Error', message: 'The Shared Secret starts or ends with spaces; Salesforce would sign with a different value' };
				if (secret.length < MIN_SECRET_LENGTH) {
					return { status: 'Error', message: `The Shared Secret has ${secret.length} characters; use at least ${MIN_SECRET_LENGTH} random ones (e.g. openssl rand -hex 32)` };
				}
				if (new Set(secret).size < 8) return { status: 'Error', message: 'The Shared Secret repeats too few characters to be random; generate one (e.g. openssl rand -hex 32)' };
				return {
					status: 'OK',
					message: 'The Shared Secret is usable. Whether Salesforce signs with the same value shows on the first callout (403 if not).',
				};
			},
		},
	};

	// Nothing is registered in Salesforce (it has no API for Outbound Message endpoints): the user
	// pastes the URL. These only check the configuration whenever n8n starts listening.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Nothing remote can exist; returning false makes n8n call create(), which validates.
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await validateConfiguration(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// Nothing remote to remove; the remembered delivery IDs stay for redeliveries after reactivation.
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const source = this.getNodeParameter('source', 'outboundMessage') as string;
		return source === 'jsonCallout' ? await receiveJsonCallout.call(this) : await receiveOutboundMessage.call(this);
	}
}
