import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// Node modules a node or credential must never reach: files, processes, sockets, sandboxes.
// HTTP goes through n8n's helpers (httpRequestWithAuthentication), never a client of our own.
const forbiddenModules = [
	'fs', 'fs/promises', 'child_process', 'cluster', 'dgram', 'dns', 'http', 'http2', 'https',
	'inspector', 'module', 'net', 'os', 'path', 'process', 'tls', 'v8', 'vm', 'worker_threads',
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
	{ ignores: ['dist/**', 'test/**', 'sandbox/**', 'bench/**', 'examples/**', 'gulpfile.js', 'jest.config.js'] },
];
