import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_TEMPLATE = `{
  "email": {{ profile.email | tojson }},
  "first_name": {{ profile.firstname | default("") | tojson }},
  "event": {{ event.type | default("contact") | tojson }}
}`;

/** Ometria retries 10 times over about an hour: 9 waits, doubling from 15 s, capped at 15 min. */
export const DEFAULT_SCHEDULE = '15, 30, 60, 120, 240, 480, 900, 900, 900';

export const properties: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://receiver.example.com/hooks/contacts',
		description: 'The receiver\'s https URL. Private, loopback, link-local and cloud metadata addresses are refused (see Options).',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'POST',
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json', description: 'The rendered body must be valid JSON; it is checked before sending' },
			{ name: 'Text', value: 'text', description: 'Sent as text/plain; charset=utf-8, unchecked' },
		],
		default: 'json',
	},
	{
		displayName: 'Headers (JSON)',
		name: 'headers',
		type: 'json',
		default: '{}',
		description: 'Extra request headers as one JSON object of text values, e.g. {"X-Api-Key": "…"}. Secrets belong in the credential instead.',
	},
	{
		displayName: 'Body Template',
		name: 'template',
		type: 'string',
		typeOptions: { rows: 10 },
		noDataExpression: true,
		required: true,
		default: DEFAULT_TEMPLATE,
		description:
			'A Jinja template rendered per item; its merge tags are the item\'s fields ({{ profile.email }}, {% for p in order.products %}…{% endfor %}). Use | tojson for every value inside JSON so quotes and line breaks stay valid.',
		hint: 'Jinja, not an n8n expression: {{ field }} here reads the item\'s field',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Loopback (Local Testing)',
				name: 'allowLoopback',
				type: 'boolean',
				default: false,
				description: 'Whether to allow receivers on this machine (localhost, 127.0.0.1, ::1), also over plain http',
			},
			{
				displayName: 'Allow Private Networks',
				name: 'allowPrivateNetworks',
				type: 'boolean',
				default: false,
				description:
					'Whether to allow private (10/8, 172.16/12, 192.168/16), shared (100.64/10), link-local and unique-local (fc00::/7) addresses, and host names this machine cannot resolve (unchecked). Cloud metadata addresses stay refused.',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 4,
				description: 'How many items are delivered at once',
			},
			{
				displayName: 'Delivery ID Header',
				name: 'deliveryIdHeader',
				type: 'string',
				default: 'X-Delivery-Id',
				description: 'Carries the item\'s delivery ID, the same on every retry, so the receiver can drop duplicates',
			},
			{
				displayName: 'Delivery Key',
				name: 'deliveryKey',
				type: 'string',
				default: '',
				placeholder: '={{ $json.event_key }}',
				description:
					'What makes two items the same delivery. Empty: the item\'s whole content (identical items get the same delivery ID). Set it to an event ID to make that explicit.',
			},
			{
				displayName: 'Error State After (Minutes)',
				name: 'errorStateAfterMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description:
					'After failing for this long the connection enters Error state: items are not sent (they go to Retry Later or Dropped) except one probe request per probe interval; a success makes it Active again',
			},
			{
				displayName: 'In-Execution Retries',
				name: 'retries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description: 'Retries inside this execution after a 408, 429, 5xx or network failure, before the item goes to Retry Later',
			},
			{
				displayName: 'In-Execution Retry Window (Seconds)',
				name: 'retryWindowSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 300 },
				default: 20,
				description: 'All waits between in-execution retries of one item stay within this; a longer Retry-After sends the item to Retry Later',
			},
			{
				displayName: 'Initial Backoff (Seconds)',
				name: 'backoffSeconds',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 1,
				description: 'First wait between in-execution retries; doubled each retry, with random jitter',
			},
			{
				displayName: 'Longest Retry-After (Seconds)',
				name: 'maxRetryAfterSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 3600,
				description: 'A receiver\'s Retry-After is honoured up to this long when scheduling the next attempt',
			},
			{
				displayName: 'Preview Only (Send Nothing)',
				name: 'preview',
				type: 'boolean',
				default: false,
				description: 'Whether to output the rendered request (URL, method, headers with secrets masked, body) instead of sending it',
			},
			{
				displayName: 'Probe Interval (Minutes)',
				name: 'probeIntervalMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 5,
				description: 'In Error state, at most one item per interval is sent as a probe',
			},
			{
				displayName: 'Retry Schedule (Seconds)',
				name: 'retrySchedule',
				type: 'string',
				default: DEFAULT_SCHEDULE,
				description:
					'Waits before each further attempt through the Retry Later loop, comma-separated. The default gives 10 attempts over about an hour, like Ometria; after the last one the item is dropped.',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 10,
				description: 'How long to wait for the receiver to answer one request',
			},
		],
	},
];
