import type { INodeProperties } from 'n8n-workflow';

const outbound = { show: { source: ['outboundMessage'] } };
const json = { show: { source: ['jsonCallout'] } };

const sharedOptions: INodeProperties[] = [
	{
		displayName: 'IP Allow-List',
		name: 'allowedIps',
		type: 'string',
		default: '',
		placeholder: 'e.g. 13.108.0.0/14, 2001:db8::/32',
		description:
			"Only accept deliveries from these addresses or CIDR ranges (IPv4 and IPv6; comma-separated). Empty: any address. Take Salesforce's current ranges from Salesforce Help article 000321501. Behind a reverse proxy, set n8n's N8N_PROXY_HOPS so n8n sees the caller's address.",
	},
	{
		displayName: 'Max Body Size (KB)',
		name: 'maxBodyKb',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 16384 },
		default: 1024,
		description: 'Larger deliveries are refused with 400 and start nothing. 100 notifications with many long fields stay well under 1 MB.',
	},
	{
		displayName: 'Ignore Redeliveries',
		name: 'deduplicate',
		type: 'boolean',
		default: true,
		description:
			'Whether to acknowledge a delivery already seen in the last 24 hours (up to 5,000 IDs) without starting the workflow again. Salesforce redelivers until it gets the acknowledgement.',
	},
];

export const properties: INodeProperties[] = [
	{
		displayName:
			'Paste this node\'s Production URL (under "Webhook URLs" above) into Salesforce: for an Outbound Message in Setup > Process Automation > Workflow Actions > Outbound Messages > Endpoint URL; for a Flow HTTP Callout or Apex, as the URL of the Named Credential. Activate the workflow first; nothing is registered in Salesforce by n8n.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Outbound Message (SOAP)',
				value: 'outboundMessage',
				description: 'A Workflow Rule or Flow "Outbound Message" action: SOAP XML with up to 100 notifications',
			},
			{
				name: 'JSON Callout (Flow or Apex)',
				value: 'jsonCallout',
				description: 'A Flow HTTP Callout or an Apex HttpRequest posting JSON, signed with a shared secret',
			},
		],
		default: 'outboundMessage',
	},
	{
		displayName: 'Organization ID',
		name: 'organizationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 00D5g000004ABCD',
		description:
			'Your org\'s ID, from Setup > Company Information > Salesforce.com Organization ID (15 characters; the 18-character form works too). Messages from any other org are refused with 403.',
		displayOptions: outbound,
	},
	{
		displayName: 'Objects',
		name: 'sObjectTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. Lead, Contact',
		description: 'Only pass notifications about these objects (API names, comma-separated). Others are acknowledged and dropped. Empty: all.',
		displayOptions: outbound,
	},
	{
		displayName: 'Verification',
		name: 'verification',
		type: 'options',
		options: [
			{
				name: 'HMAC-SHA256 Signature',
				value: 'signature',
				description: 'The sender signs the raw body with the shared secret (Apex Crypto.generateMac)',
			},
			{
				name: 'Shared Token Header',
				value: 'token',
				description: 'The sender puts the shared secret in a header (e.g. from a Named Credential); use only over HTTPS',
			},
		],
		default: 'signature',
		displayOptions: json,
	},
	{
		displayName: 'Signature Header',
		name: 'signatureHeader',
		type: 'string',
		default: 'X-Signature',
		description: 'Header carrying the HMAC-SHA256 as hex or base64, with or without a "sha256=" prefix',
		displayOptions: { show: { source: ['jsonCallout'], verification: ['signature'] } },
	},
	{
		displayName: 'Token Header',
		name: 'headerName',
		type: 'string',
		default: 'X-Salesforce-Token',
		description: 'Header carrying the shared secret itself (a "Bearer " prefix is accepted)',
		displayOptions: { show: { source: ['jsonCallout'], verification: ['token'] } },
	},
	{
		displayName: 'Require Timestamp',
		name: 'useTimestamp',
		type: 'boolean',
		default: false,
		description:
			'Whether the sender must send a Unix timestamp (seconds) header and sign "&lt;timestamp&gt;.&lt;raw body&gt;" instead of the body alone, so an intercepted callout cannot be replayed later',
		displayOptions: { show: { source: ['jsonCallout'], verification: ['signature'] } },
	},
	{
		displayName: 'Timestamp Header',
		name: 'timestampHeader',
		type: 'string',
		default: 'X-Timestamp',
		displayOptions: { show: { source: ['jsonCallout'], verification: ['signature'], useTimestamp: [true] } },
	},
	{
		displayName: 'Replay Window (Seconds)',
		name: 'replayWindow',
		type: 'number',
		typeOptions: { minValue: 10, maxValue: 86400 },
		default: 300,
		description: 'Callouts whose timestamp is further than this from n8n\'s clock (either way) are refused with 401',
		displayOptions: { show: { source: ['jsonCallout'], verification: ['signature'], useTimestamp: [true] } },
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. campaign_updated',
		description: 'Only pass callouts whose "event_type" is one of these (comma-separated). Others get {"processed": true} and start nothing. Empty: all.',
		displayOptions: json,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: outbound,
		options: [
			{
				displayName: 'Convert Field Types',
				name: 'convertTypes',
				type: 'boolean',
				default: true,
				description:
					'Whether to turn "true"/"false" into booleans, plain numbers into numbers and date-times into ISO 8601 UTC. IDs, phones, postal codes and names always stay text. Off: every value stays the text Salesforce sent (empty fields are null either way).',
			},
			{
				displayName: 'Keep as Text',
				name: 'keepAsText',
				type: 'string',
				default: '',
				placeholder: 'e.g. Customer_Code__c, Rating',
				description: 'Field API names whose values must stay text even when they look like numbers or booleans (comma-separated)',
			},
			{
				displayName: 'Include Session ID',
				name: 'includeSessionId',
				type: 'boolean',
				default: false,
				description:
					'Whether to put the SessionId into the output. It is a live Salesforce session of the "User to Send As": anyone who sees the execution can act as that user. Leave off unless a later node calls Salesforce with it.',
			},
			...sharedOptions,
		],
	},
	{
		displayName: 'Options',
		name: 'jsonOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: json,
		options: [
			{
				displayName: 'Event ID Field',
				name: 'eventIdField',
				type: 'string',
				default: 'event_id',
				description:
					'Top-level field holding a unique ID per event, used to ignore redeliveries. Without it, only a resend of the same signed callout (same timestamp and body, with Require Timestamp on) is ignored; an identical body is otherwise a new event.',
			},
			...sharedOptions,
		],
	},
];
