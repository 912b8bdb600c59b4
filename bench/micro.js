'use strict';
// In-process micro benchmarks, run by bench/run.js as a child under n8n's own Node.js (24) with the
// installed n8n's libraries:
// - parse: our outbound-message parser (dist) vs xml2js with the options n8n's webhook body parser uses,
//   on the same 100-notification envelope;
// - render: our template render (dist) vs n8n's expression engine (n8n-workflow's WorkflowExpression, the
//   engine n8n runs by default ("vm", isolated-vm) and the "legacy" one) on the same 1,000 items.
// Usage: node micro.js <json: {n8nDir, root, xmlFile, loops, parseOps, renderLoops, renderItems}>; prints one JSON line.
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

const options = JSON.parse(process.argv[2]);
const fromN8n = (name) => require(require.resolve(name, { paths: [options.n8nDir] }));
const { TEMPLATE, EXPRESSION, itemFor } = require('./templated');
const { n8nXmlParser } = require('./n8n-xml');

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function parseBench() {
	const { parseOutboundMessage, screenBody } = require(path.join(options.root, 'dist/nodes/SalesforceTrigger/outboundMessage.js'));
	const raw = fs.readFileSync(options.xmlFile);
	// n8n's webhook body parser, which parses every text/xml webhook body.
	const { parser } = n8nXmlParser(options.n8nDir);
	const ours = () => parseOutboundMessage(screenBody(raw, 1024 * 1024));
	const theirs = async () => await parser.parseStringPromise(raw.toString('utf8'));
	assert.equal(ours().notifications.length, 100);
	const parsed = await theirs();
	assert.equal(Object.keys(parsed)[0], 'soapenv:envelope');
	for (let i = 0; i < 20; i++) {
		ours();
		await theirs();
	}
	const samples = { ours: [], theirs: [] };
	for (let loop = 0; loop < options.loops; loop++) {
		let start = now();
		for (let i = 0; i < options.parseOps; i++) ours();
		samples.ours.push((options.parseOps * 1000) / (now() - start));
		start = now();
		for (let i = 0; i < options.parseOps; i++) await theirs();
		samples.theirs.push((options.parseOps * 1000) / (now() - start));
	}
	return { bytes: raw.length, opsPerSecond: samples };
}

async function renderBench() {
	const { renderTemplate } = require(path.join(options.root, 'dist/nodes/TemplatedWebhook/template.js'));
	const { Workflow, Expression } = fromN8n('n8n-workflow');
	const items = Array.from({ length: options.renderItems }, (_, i) => itemFor(i, 9));
	const inputData = items.map((json) => ({ json }));
	const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) };
	const workflow = new Workflow({
		id: 'bench',
		nodes: [{ id: 'render', name: 'Render', type: 'bench.render', typeVersion: 1, position: [0, 0], parameters: {} }],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});
	const ours = () => items.map((item) => renderTemplate(TEMPLATE, item));
	const theirs = () => inputData.map((_, i) => workflow.expression.getParameterValue(EXPRESSION, null, 0, i, 'Render', inputData, 'webhook', {}));

	const result = { items: items.length, rendersPerSecond: { ours: [] }, engines: {} };
	const engines = ['vm', 'legacy'];
	for (const engine of engines) result.rendersPerSecond[engine] = [];
	for (const engine of engines) {
		let acquired = false;
		try {
			if (engine === 'vm') {
				await Expression.initExpressionEngine({ engine: 'vm', bridgeTimeout: 5000, bridgeMemoryLimit: 128, poolSize: 1, maxCodeCacheSize: 1024 });
				acquired = await workflow.expression.acquireIsolate();
			} else {
				Expression.setExpressionEngine('legacy');
			}
			result.engines[engine] = Expression.getActiveImplementation();
			// Same JSON from both (checked on every item once).
			const a = ours();
			const b = theirs();
			a.forEach((text, i) => assert.deepStrictEqual(JSON.parse(b[i]), JSON.parse(text), `item ${i} (${engine})`));
			for (let loop = 0; loop < options.renderLoops; loop++) {
				if (engine === engines[0]) {
					const start = now();
					ours();
					result.rendersPerSecond.ours.push((items.length * 1000) / (now() - start));
				}
				const start = now();
				theirs();
				result.rendersPerSecond[engine].push((items.length * 1000) / (now() - start));
			}
		} catch (error) {
			result.engines[engine] = `failed: ${error.message}`;
		} finally {
			if (acquired) await workflow.expression.releaseIsolate();
			if (engine === 'vm') await Expression.disposeExpressionEngine();
		}
	}
	return result;
}

(async () => {
	const parse = await parseBench();
	const render = await renderBench();
	process.stdout.write(`${JSON.stringify({ node: process.version, parse, render })}\n`);
	process.exit(0);
})().catch((error) => {
	process.stderr.write(`${error.stack}\n`);
	process.exit(1);
});
