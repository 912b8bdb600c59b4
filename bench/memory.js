'use strict';
// Resident memory of n8n from /proc (Linux): the main process alone and its whole process group
// (n8n leads its group; its JS task runner is in it), sampled every `intervalMs`.
const fs = require('node:fs');

/** VmRSS of one process in bytes, or undefined when it is gone. */
function rssOf(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return undefined;
	}
}

/** The pids whose process group is `pgid`. */
function groupMembers(pgid) {
	const members = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command name (which may hold spaces, in parentheses): state ppid pgrp ...
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) members.push(Number(entry));
		} catch {
			/* the process ended meanwhile */
		}
	}
	return members;
}

/**
 * Samples the RSS of `pid` (main) and of its process group. The group's members are looked up again
 * every second (the task runner may start or restart). `stop()` returns the samples and the peaks.
 */
function sampleMemory(pid, intervalMs = 100) {
	const samples = [];
	let members = groupMembers(pid);
	let lastLookup = Date.now();
	const timer = setInterval(() => {
		if (Date.now() - lastLookup >= 1000) {
			members = groupMembers(pid);
			lastLookup = Date.now();
		}
		const main = rssOf(pid);
		if (main === undefined) return;
		let group = 0;
		for (const member of members) group += rssOf(member) ?? 0;
		samples.push({ t: Date.now(), main, group, processes: members.length });
	}, intervalMs);
	timer.unref();
	return {
		stop() {
			clearInterval(timer);
			const peak = (key) => samples.reduce((max, sample) => Math.max(max, sample[key]), 0);
			return { intervalMs, count: samples.length, peakMain: peak('main'), peakGroup: peak('group'), samples };
		},
	};
}

module.exports = { sampleMemory, rssOf, groupMembers };
