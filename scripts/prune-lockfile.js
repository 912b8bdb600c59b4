#!/usr/bin/env node
// The npm registry these machines reach lacks the macOS/Windows/Android builds of some optional
// platform packages (e.g. @unrs/resolver-binding-*, pulled in by @n8n/node-cli's lint stack).
// `npm install` then writes a lockfile whose entries still list them, and `npm ci` refuses it as
// "not in sync". This drops optional dependencies that have no entry in the lockfile, so the lock
// describes exactly what installs here. Run it after every `npm install` that changes the lock.
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pruned = [];
for (const [where, entry] of Object.entries(lock.packages)) {
	for (const name of Object.keys(entry.optionalDependencies ?? {})) {
		// npm resolves a dependency in the nearest node_modules up the tree.
		const candidates = [];
		for (let dir = where; ; dir = dir.slice(0, dir.lastIndexOf('/node_modules/'))) {
			candidates.push(`${dir ? `${dir}/` : ''}node_modules/${name}`);
			if (!dir.includes('/node_modules/')) {
				candidates.push(`node_modules/${name}`);
				break;
			}
		}
		if (!candidates.some((candidate) => lock.packages[candidate])) {
			delete entry.optionalDependencies[name];
			pruned.push(`${where || '(root)'} -> ${name}`);
		}
	}
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(pruned.length ? `pruned ${pruned.length} unavailable optional dependencies:\n  ${pruned.join('\n  ')}` : 'lockfile needs no pruning');
