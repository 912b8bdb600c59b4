#!/usr/bin/env node
'use strict';
// Usage: node sandbox/runner/editor-check-cli.js <url> <email> <password> <screenshotDir>
// Runs the browser check of the n8n editor (see editor-check.js); prints the result as JSON on
// success, the failed step and failure.png's path on stderr (exit 1) otherwise.
const { checkEditor } = require('./editor-check');

/**
 * @param {string[]} argv process.argv.slice(2)
 * @returns {Promise<number>} exit code
 */
async function main(argv) {
	const [url, email, password, screenshotDir] = argv;
	if (!url || !email || !password || !screenshotDir) {
		console.error('usage: node sandbox/runner/editor-check-cli.js <url> <email> <password> <screenshotDir>');
		return 2;
	}
	const started = Date.now();
	try {
		const result = await checkEditor({ url, owner: { email, password }, screenshotDir });
		console.log(JSON.stringify({ ...result, durationMs: Date.now() - started }));
		return 0;
	} catch (error) {
		console.error(error.message);
		console.log(JSON.stringify({ ok: false, step: error.step, screenshot: error.screenshot, error: error.message, durationMs: Date.now() - started }));
		return 1;
	}
}

main(process.argv.slice(2)).then((code) => {
	process.exitCode = code;
});
