import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// Node modules a node or credential must never reach: files, processes, sockets, sandboxes.
// HTTP goes through n8n's helpers (httpRequestWithAuthentication), never a client of our own.
const forbiddenModules = [
	'fs', 'fs/promises', 'child_process', 'cluster', 'dgram', 'dns', 'dns/promises', 'http', 'http2', 'https',
	'inspector', 'module', 'net', 'os', 'path', 'process', 'timers', 'timers/promises', 'tls', 'v8', 'vm', 'worker_threads',
	'axios', 'node-fetch', 'got', 'request',
].flatMap((name) => [name, `node:${name}`]);

export default [
	...configWithoutCloudSupport,
	{
		// We ship a few small runtime libraries (libphonenumber-js now; fast-xml-parser and
		// @huggingface/jinja with later nodes), so n8n Cloud's "no dependencies" rule is off...
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		// ...but n8n's rules against process, env, timers, files and eval stay on for shipped code.
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'error',
			'no-restricted-imports': ['error', { paths: forbiddenModules }],
			'no-eval': 'error',
			'no-implied-eval': 'error',
			'no-new-func': 'error',
		},
	},
	{
		// SSRF guard: the Templated Webhook checks every address a target host resolves to with the
		// system resolver (the one n8n's HTTP client connects with), not a third-party DNS service.
		// Lets this one file import node:dns/promises; 'dns', 'node:dns' and the rest stay forbidden even here.
		files: ['nodes/TemplatedWebhook/url.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ paths: forbiddenModules.filter((name) => name !== 'dns/promises' && name !== 'node:dns/promises') },
			],
		},
	},
	{ ignores: ['dist/**', '.cache/**', 'coverage/**', 'test/**', 'sandbox/**', 'bench/**', 'examples/**', 'gulpfile.js', 'jest.config.js', 'jest.e2e.config.js'] },
];
