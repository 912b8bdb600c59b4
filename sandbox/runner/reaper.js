#!/usr/bin/env node
'use strict';
// Usage (by stack.js only): node reaper.js <parent pid> <state file>
// n8n, its worker and Redis run in process groups of their own, so a Ctrl-C in the terminal, a killed
// test run or a crash of the process that started them does not reach them. This watcher, started
// detached next to every stack, kills what the state file lists once that process is gone. It exits
// quietly when the state file disappears (the stack was stopped the normal way).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const [parentPid, stateFile] = process.argv.slice(2);

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function reap() {
	let state;
	try {
		state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
	} catch {
		return;
	}
	for (const pid of state.groups || []) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
	for (const [command, args] of state.commands || []) spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
	fs.rmSync(stateFile, { force: true });
}

const timer = setInterval(() => {
	if (!fs.existsSync(stateFile)) {
		clearInterval(timer);
		return;
	}
	if (!alive(Number(parentPid))) {
		clearInterval(timer);
		reap();
	}
}, 1000);
