import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

beforeAll(() => {
	if (!existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
});

/** Every node and credential the package ships (README, "Nodes" and "Credentials"). */
const NODES = [
	{ name: 'omnisend', dir: 'Omnisend', file: 'Omnisend', icon: 'omnisend', credentials: ['omnisendApi'] },
	{ name: 'salesforceTrigger', dir: 'SalesforceTrigger', file: 'SalesforceTrigger', icon: 'salesforce', credentials: ['salesforceCalloutSecretApi'] },
	{ name: 'salesforce', dir: 'Salesforce', file: 'Salesforce', icon: 'salesforce', credentials: ['salesforceClientCredentialsApi', 'salesforceJwtBearerApi'] },
	{ name: 'acumatica', dir: 'Acumatica', file: 'Acumatica', icon: 'acumatica', credentials: ['acumaticaApi', 'acumaticaOAuth2Api'] },
	{ name: 'templatedWebhook', dir: 'TemplatedWebhook', file: 'TemplatedWebhook', icon: 'templatedWebhook', credentials: ['templatedWebhookAuthApi'] },
];
const CREDENTIALS = [
	'OmnisendApi',
	'SalesforceCalloutSecretApi',
	'SalesforceClientCredentialsApi',
	'SalesforceJwtBearerApi',
	'AcumaticaApi',
	'AcumaticaOAuth2Api',
	'TemplatedWebhookAuthApi',
];

describe('the npm package', () => {
	test('is a community node package n8n recognises', () => {
		expect(pkg.name).toBe('n8n-nodes-crm-relay');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(file).toMatch(/^dist\//);
			expect(existsSync(path.join(root, file))).toBe(true);
		}
	});

	test('npm pack holds only dist/, the README and package.json', () => {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
		) as Array<{ files: Array<{ path: string }> }>;
		const files = packed.files.map((file) => file.path).sort();
		expect(files.filter((file) => !file.startsWith('dist/') && !['README.md', 'package.json'].includes(file))).toEqual([]);
		expect(files).toEqual(
			expect.arrayContaining([
				'README.md',
				...CREDENTIALS.map((name) => `dist/credentials/${name}.credentials.js`),
				...NODES.flatMap(({ dir, file, icon }) => [
					`dist/nodes/${dir}/${file}.node.js`,
					`dist/nodes/${dir}/${file}.node.json`,
					`dist/nodes/${dir}/${icon}.svg`,
					`dist/nodes/${dir}/${icon}.dark.svg`,
				]),
			]),
		);
		expect(files.some((file) => /\.test\.|tsbuildinfo|^dist\/test\//.test(file))).toBe(false);
	});

	test("n8n's package loader loads every node and credential from dist with codex and icons", () => {
		// In a plain Node process, as n8n does it (jest's module system would hide the codex JSON).
		const script = `
			const { PackageDirectoryLoader } = require('n8n-core');
			(async () => {
				const loader = new PackageDirectoryLoader(process.cwd());
				await loader.loadAll();
				const described = Object.fromEntries(Object.entries(loader.nodeTypes).map(([name, { type }]) => {
					const d = type.description;
					return [name, { codex: d.codex, iconUrl: d.iconUrl, credentials: (d.credentials || []).map((c) => c.name).sort() }];
				}));
				console.log(JSON.stringify({
					nodes: Object.keys(loader.nodeTypes).sort(), credentials: Object.keys(loader.credentialTypes).sort(),
					described, byCredential: loader.nodesByCredential,
				}));
			})();`;
		const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
		expect(loaded.nodes).toEqual(NODES.map((node) => node.name).sort());
		expect(loaded.credentials).toEqual(NODES.flatMap((node) => node.credentials).sort());
		expect(loaded.described.omnisend.codex.categories).toEqual(['Marketing', 'Communication']);
		expect(loaded.described.omnisend.codex.resources.primaryDocumentation).toEqual([{ url: 'https://api-docs.omnisend.com/reference/post_events' }]);
		for (const node of NODES) {
			const described = loaded.described[node.name];
			expect(described.codex.categories.length).toBeGreaterThan(0);
			expect(described.codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
			expect(described.iconUrl).toEqual({
				light: `icons/n8n-nodes-crm-relay/dist/nodes/${node.dir}/${node.icon}.svg`,
				dark: `icons/n8n-nodes-crm-relay/dist/nodes/${node.dir}/${node.icon}.dark.svg`,
			});
			expect(described.credentials).toEqual([...node.credentials].sort());
			for (const credential of node.credentials) expect(loaded.byCredential[credential]).toContain(node.name);
		}
	});
});
