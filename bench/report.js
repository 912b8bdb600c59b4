'use strict';
// The Markdown report of one benchmark run (bench/results/<timestamp>.md). Figures: bench/README.md.
const { fmt, fmtBytes, fmtSummary, ratio } = require('./stats');

/** "0.42 (lower is better: ours faster)" for ours/theirs. */
function ratioText(ours, theirs, better) {
	const value = ratio(ours, theirs);
	if (!Number.isFinite(value)) return 'n/a';
	const oursBetter = better === 'lower' ? value < 1 : value > 1;
	const verdict = Math.abs(value - 1) < 0.05 ? 'about equal' : oursBetter ? 'ours better' : 'ours worse';
	return `${fmt(value)} (${better} is better: ${verdict})`;
}

const seconds = (s) => (s && Number.isFinite(s.median) ? { ...s, median: s.median / 1000, min: s.min / 1000, max: s.max / 1000 } : s);

function row(cells) {
	return `| ${cells.map((cell) => String(cell).replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
}

function renderMarkdown(results) {
	const { machine, config } = results;
	const lines = [];
	lines.push(`# n8n-nodes-crm-relay benchmarks${results.quick ? ' (QUICK MODE: development figures only)' : ''}`);
	lines.push('');
	lines.push(`- Machine: ${machine.cpus} x ${machine.cpu}, ${fmtBytes(machine.memoryBytes)} RAM, ${machine.os}; load average at start ${machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' / ')}`);
	lines.push(`- n8n ${machine.n8nVersion} on Node.js ${machine.n8nNode} (regular mode, SQLite); bench runner on Node.js ${machine.runnerNode}`);
	lines.push(`- Date ${machine.date}; commit ${machine.commit}`);
	lines.push(`- Medians of ${config.runs} run(s) per figure, alternating ours and theirs; spread (min–max of the runs) in parentheses. Total bench time ${fmt(results.durationSeconds / 60)} min${results.toolchainSeconds >= 60 ? `, of which ${fmt(results.toolchainSeconds / 60)} min installing Node 24 and n8n into .cache/ (first run; the package build ran beside it)` : ''}.`);
	lines.push('- Definitions of every figure: bench/README.md. Raw samples: the JSON file of the same name.');
	lines.push('');
	lines.push(row(['Benchmark', 'Ours', "n8n's own", 'Ratio ours/theirs', 'Notes']));
	lines.push(row(['---', '---', '---', '---', '---']));

	const sf = results.salesforce;
	if (sf) {
		for (const size of [1, 100]) {
			const l = sf.latency[size];
			lines.push(
				row([
					`1. Salesforce outbound message, ${size} notification${size > 1 ? 's' : ''} (${fmtBytes(sf.bodyBytes[size])}): POST to ACK, ms`,
					fmtSummary(l.ours.median),
					fmtSummary(l.theirs.median),
					ratioText(l.ours.median.median, l.theirs.median.median, 'lower'),
					`p95 ours ${fmt(l.ours.p95.median)} / theirs ${fmt(l.theirs.p95.median)} ms; ${config.sfLatencyRequests} requests per run, one at a time, ${config.sfLatencyPauseMs[size]} ms apart; non-ACK answers: ours ${l.ours.errors}, theirs ${l.theirs.errors}. Theirs: Webhook (XML parsed by n8n) -> Respond to Webhook (fixed Ack, text/xml)`,
				]),
			);
		}
		for (const size of [1, 100]) {
			const t = sf.throughput[size];
			lines.push(
				row([
					`1. Salesforce, ${size} notification${size > 1 ? 's' : ''}: throughput, ACKed req/s`,
					fmtSummary(t.ours.rps),
					fmtSummary(t.theirs.rps),
					ratioText(t.ours.rps.median, t.theirs.rps.median, 'higher'),
					`${config.sfClients[size]} client(s) back to back for ${config.sfThroughputSeconds} s${size > 1 ? ' (one: n8n\'s shared xml2js parser breaks on overlapping bodies over 10,000 characters, see README)' : ''}; non-ACK answers: ours ${t.ours.errors}, theirs ${t.theirs.errors}. Our trigger ACKs before its execution runs; Respond to Webhook answers from inside the execution`,
				]),
			);
		}
	}
	const micro = results.micro;
	if (micro) {
		lines.push(
			row([
				`1. Parse a 100-notification envelope alone (${fmtBytes(micro.parse.bytes)}), parses/s`,
				fmtSummary(micro.parse.ours),
				fmtSummary(micro.parse.theirs),
				ratioText(micro.parse.ours.median, micro.parse.theirs.median, 'higher'),
				"Ours: screenBody + parseOutboundMessage (dist; well-formedness check, namespaces, fields). Theirs: xml2js with n8n's webhook body-parser options. n8n runs that xml2js parse on every text/xml webhook body, our trigger's too, before the node sees it",
			]),
		);
	}
	const om = results.omnisend;
	if (om) {
		const c = om.cases;
		const wall = (kase) => fmtSummary(seconds(c[kase].wallMs), ' s');
		lines.push(
			row([
				`2. Omnisend: ${om.events} events, fake at ${om.latencyMs} ms latency, defaults: node time, s`,
				fmtSummary(seconds(c['omnisend-ours'].nodeMs), ' s'),
				fmtSummary(seconds(c['omnisend-http'].nodeMs), ' s'),
				ratioText(c['omnisend-ours'].nodeMs.median, c['omnisend-http'].nodeMs.median, 'lower'),
				`Ours: Concurrency 4 (default, sized for 400 requests/min). Theirs: HTTP Request (key from a Header Auth credential) sends every item at once. Execution wall time ours ${wall('omnisend-ours')}, theirs ${wall('omnisend-http')}. All ${om.events} events accepted, bodies equal: ours ${c['omnisend-ours'].allDelivered ? 'yes' : 'NO'}, theirs ${c['omnisend-http'].allDelivered ? 'yes' : 'NO'}`,
			]),
		);
		lines.push(
			row([
				`2. Omnisend: ${om.events} events, equal parallelism: node time, s`,
				fmtSummary(seconds(c['omnisend-ours-c20'].nodeMs), ' s'),
				fmtSummary(seconds(c['omnisend-http-batch'].nodeMs), ' s'),
				ratioText(c['omnisend-ours-c20'].nodeMs.median, c['omnisend-http-batch'].nodeMs.median, 'lower'),
				`Ours: Concurrency ${config.oursMatchedConcurrency}. Theirs: Batching ${config.httpBatch.batchSize} items per ${config.httpBatch.batchInterval} ms (about ${config.oursMatchedConcurrency} in flight at ${om.latencyMs} ms; Batching spaces sends, it does not cap requests in flight). Wall ours ${wall('omnisend-ours-c20')}, theirs ${wall('omnisend-http-batch')}. All accepted and equal: ours ${c['omnisend-ours-c20'].allDelivered ? 'yes' : 'NO'}, theirs ${c['omnisend-http-batch'].allDelivered ? 'yes' : 'NO'}`,
			]),
		);
	}
	const acu = results.acumatica;
	if (acu) {
		const ours = acu.cases['acumatica-ours'];
		const max = acu.cases['acumatica-ours-max'];
		const theirs = acu.cases['acumatica-http'];
		lines.push(
			row([
				`3. Acumatica: ${acu.upserts} upserts (Customer by key): node time, s`,
				fmtSummary(seconds(ours.nodeMs), ' s'),
				fmtSummary(seconds(theirs.nodeMs), ' s'),
				ratioText(ours.nodeMs.median, theirs.nodeMs.median, 'lower'),
				`Ours: Create or Update, Concurrency 2 (default). Theirs: HTTP Request login (Execute Once) + PUT per item with the cookie (all at once) + logout (Execute Once), times summed. Logins/logouts per run: ours ${ours.loginsPerRun.join(',')}/${ours.logoutsPerRun.join(',')}, theirs ${theirs.loginsPerRun.join(',')}/${theirs.logoutsPerRun.join(',')}. Wall ours ${fmtSummary(seconds(ours.wallMs), ' s')}, theirs ${fmtSummary(seconds(theirs.wallMs), ' s')}`,
			]),
		);
		lines.push(
			row([
				`3. Acumatica: ${acu.upserts} upserts, ours at Concurrency ${config.oursMaxConcurrency.acumatica} (its highest): node time, s`,
				fmtSummary(seconds(max.nodeMs), ' s'),
				fmtSummary(seconds(theirs.nodeMs), ' s'),
				ratioText(max.nodeMs.median, theirs.nodeMs.median, 'lower'),
				`Same work, ours with more requests in flight (still one session: logins/logouts per run ${max.loginsPerRun.join(',')}/${max.logoutsPerRun.join(',')}). Wall ${fmtSummary(seconds(max.wallMs), ' s')}`,
			]),
		);
	}
	const tw = results.templated;
	if (tw) {
		const ours = tw.cases['templated-ours'];
		const max = tw.cases['templated-ours-max'];
		const theirs = tw.cases['templated-http'];
		const equal = (kase) => tw.cases[kase].runs.map((r) => `${r.jsonEqual}/${tw.items}`).join(', ');
		lines.push(
			row([
				`4. Templated Webhook: ${tw.items} items, ~1 KB template, render + send: node time, s`,
				fmtSummary(seconds(ours.nodeMs), ' s'),
				fmtSummary(seconds(theirs.nodeMs), ' s'),
				ratioText(ours.nodeMs.median, theirs.nodeMs.median, 'lower'),
				`Ours: Concurrency 4 (default), Allow Loopback, no signing (neither side signs). Theirs: HTTP Request, JSON body from one expression, every item at once. Bodies JSON-equal to the reference at the receiver: ours ${equal('templated-ours')}; theirs ${equal('templated-http')} (bytes differ: the template keeps its white space). Wall ours ${fmtSummary(seconds(ours.wallMs), ' s')}, theirs ${fmtSummary(seconds(theirs.wallMs), ' s')}`,
			]),
		);
		lines.push(
			row([
				`4. Templated Webhook: ${tw.items} items, ours at Concurrency ${config.oursMaxConcurrency.templated} (its highest): node time, s`,
				fmtSummary(seconds(max.nodeMs), ' s'),
				fmtSummary(seconds(theirs.nodeMs), ' s'),
				ratioText(max.nodeMs.median, theirs.nodeMs.median, 'lower'),
				`Same work, ours with more requests in flight. Bodies as expected: ${equal('templated-ours-max')}. Wall ${fmtSummary(seconds(max.wallMs), ' s')}`,
			]),
		);
	}
	if (micro) {
		const r = micro.render;
		lines.push(
			row([
				`4. Render alone: ${r.items} items, renders/s`,
				fmtSummary(r.ours),
				fmtSummary(r.vm),
				ratioText(r.ours?.median, r.vm?.median, 'higher'),
				`Ours: renderTemplate (dist). Theirs: n8n-workflow WorkflowExpression.getParameterValue of the equivalent expression with n8n's default engine "vm" (isolated-vm). With the "legacy" engine: ${fmtSummary(r.legacy)} renders/s (ours/legacy ${fmt(ratio(r.ours?.median, r.legacy?.median))})`,
			]),
		);
	}
	lines.push('');

	if (om?.rateLimited) {
		const ours = om.rateLimited.ours;
		const theirs = om.rateLimited.httpDefault;
		lines.push(`## Omnisend under its rate limit (fake: ${config.rateLimitPerMinute} requests per sliding 60 s window, ${om.latencyMs} ms latency)`);
		lines.push('');
		lines.push(row(['Figure', 'Ours (defaults)', 'HTTP Request (defaults)']));
		lines.push(row(['---', '---', '---']));
		lines.push(row(['Events sent', ours.events, theirs.events]));
		lines.push(row(['Elapsed, first request to last accepted event', `${fmt(ours.fake.firstToLastAcceptedMs / 1000)} s`, `${fmt(theirs.fake.firstToLastAcceptedMs / 1000)} s`]));
		lines.push(row(['Ideal under the window (N-th accepted no earlier than floor((N-1)/400) x 60 s)', `${fmt(ours.idealMs / 1000)} s`, '']));
		lines.push(row(['Achieved fraction of the allowed rate (ideal / elapsed; the ideal assumes each window\'s 400 are sent at once)', `${fmt(ours.achieved * 100)} %`, '']));
		lines.push(row(['Events accepted by the fake', ours.fake.uniqueAccepted, theirs.fake.uniqueAccepted]));
		lines.push(row(['Events not accepted (items whose eventID the fake never took)', ours.fake.lost, theirs.fake.lost]));
		lines.push(row(['Items failed in n8n (HTTP Request: kept in the output by "On Error: Continue")', ours.failedItems, theirs.failedItems]));
		lines.push(row(['429 answers received', ours.fake.throttled, theirs.fake.throttled]));
		lines.push(row(['Node time / execution wall time', `${fmt(ours.nodeMs / 1000)} s / ${fmt(ours.wallMs / 1000)} s`, `${fmt(theirs.nodeMs / 1000)} s / ${fmt(theirs.wallMs / 1000)} s`]));
		lines.push('');
	}

	const fp = results.footprint;
	if (fp) {
		lines.push('## Footprint');
		lines.push('');
		lines.push(row(['Figure', 'Value']));
		lines.push(row(['---', '---']));
		lines.push(row(['Packed size (npm pack tarball)', fmtBytes(fp.packedBytes)]));
		lines.push(row(['Installed size, package alone (dist, package.json, README)', `${fmtBytes(fp.packageOnly?.bytes)} (${fp.packageOnly?.files} files)`]));
		lines.push(
			row([
				'Installed size with its runtime dependencies (n8n installs dependencies only, no peer or dev dependencies)',
				`${fmtBytes(fp.installed?.bytes)} (${fp.installed?.files} files: ${(fp.installed?.packages ?? []).map((p) => `${p.name} ${fmtBytes(p.bytes)}`).join(', ')})`,
			]),
		);
		if (fp.nodesFolder && Math.abs(fp.nodesFolder.bytes - (fp.installed?.bytes ?? 0)) > 0.01 * fp.nodesFolder.bytes) {
			lines.push(row(['Whole .n8n/nodes/node_modules folder (differs from the closure above: more than our dependencies were installed)', `${fmtBytes(fp.nodesFolder.bytes)} (${fp.nodesFolder.files} files)`]));
		}
		if (fp.with) {
			lines.push(row(['n8n start to "Editor is now accessible", with the package', fmtSummary(fp.with, ' s')]));
			lines.push(row(['n8n start, without the package', fmtSummary(fp.without, ' s')]));
			lines.push(row(['Ratio with/without (lower is better)', fmt(ratio(fp.with.median, fp.without.median))]));
			lines.push(row(['How the start times were taken', `${config.footprintStarts} starts each, alternating, same database (no workflows; made by an untimed first start while the benchmark stack started), time from spawn to the log line${results.overlapped ? '; in the idle minutes of the rate-limited Omnisend run (the other n8n was waiting, not working)' : '; after the benchmark stack was stopped'}`]));
		}
		if (results.memoryIdle) lines.push(row(['n8n RSS idle (main process / process group incl. task runner)', `${fmtBytes(results.memoryIdle.main)} / ${fmtBytes(results.memoryIdle.group)}`]));
		if (results.memoryBenchmark2) lines.push(row(['n8n peak RSS during benchmark 2 (main / process group), 100 ms samples', `${fmtBytes(results.memoryBenchmark2.peakMain)} / ${fmtBytes(results.memoryBenchmark2.peakGroup)}`]));
		lines.push('');
	}
	return `${lines.join('\n')}\n`;
}

module.exports = { renderMarkdown, ratioText };
