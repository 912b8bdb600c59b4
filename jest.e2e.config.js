/**
 * End-to-end suite: the packed package in a real n8n 2.x (Node 24) with the sandbox of fake
 * services, in regular and in queue mode (Redis, PostgreSQL, a worker), plus the editor in Chromium.
 * The first run installs Node 24, n8n and Debian packages into git-ignored caches (several minutes).
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	maxWorkers: 1,
	testTimeout: 120000,
	verbose: true,
};
