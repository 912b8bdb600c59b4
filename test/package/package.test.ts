import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

beforeAll(() => {
	if (!existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
});

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
				'dist/credentials/OmnisendApi.credentials.js',
				'dist/nodes/Omnisend/Omnisend.node.js',
				'dist/nodes/Omnisend/Omnisend.node.json',
				'dist/nodes/Omnisend/omnisend.svg',
				'dist/nodes/Omnisend/omnisend.dark.svg',
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
				const node = loader.nodeTypes.omnisend.type.description;
				console.log(JSON.stringify({
					nodes: Object.keys(loader.nodeTypes), credentials: Object.keys(loader.credentialTypes),
					codex: node.codex, iconUrl: node.iconUrl, byCredential: loader.nodesByCredential,
				}));
			})();`;
		const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
		expect(loaded.nodes).toEqual(['omnisend']);
		expect(loaded.credentials).toEqual(['omnisendApi']);
		expect(loaded.codex.categories).toEqual(['Marketing', 'Communication']);
		expect(loaded.codex.resources.primaryDocumentation).toEqual([{ url: 'https://api-docs.omnisend.com/reference/post_events' }]);
		expect(loaded.iconUrl).toEqual({
			light: 'icons/n8n-nodes-crm-relay/dist/nodes/Omnisend/omnisend.svg',
			dark: 'icons/n8n-nodes-crm-relay/dist/nodes/Omnisend/omnisend.dark.svg',
		});
		expect(loaded.byCredential.omnisendApi).toEqual(['omnisend']);
	});
});
