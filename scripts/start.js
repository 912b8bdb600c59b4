#!/usr/bin/env node
// `npm start`: the live demo. The sandbox of fake services and the real-n8n runner that make it a
// full live loop are the next piece of work (see README, "Commands"); until they land this builds
// the package and says how to load it into an n8n you run.
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
execSync('npm run build', { cwd: root, stdio: 'inherit' });
const tarball = execSync('npm pack --ignore-scripts --silent', { cwd: root, encoding: 'utf8' }).trim();
console.log(`
Built and packed ${tarball}.
Load it into a self-hosted n8n (1.x or 2.x):
  cd ~/.n8n/nodes && npm install ${path.join(root, tarball)}
then restart n8n and search for "Omnisend" in the nodes panel.
The full live demo (fake services + a real n8n started for you) is not in this version yet.`);
