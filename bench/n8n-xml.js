'use strict';
// xml2js as n8n's webhook body parser (n8n/dist/middlewares/body-parser.js) builds it for every
// text/xml webhook body, loaded from an installed n8n: for the parse benchmark and the repro script.
const path = require('node:path');

/** @param {string} n8nDir an n8n install (toolchain.ensureN8n().dir) */
function n8nXmlParser(n8nDir) {
	const load = (name) => require(require.resolve(name, { paths: [path.resolve(n8nDir)] }));
	const xml2js = load('xml2js');
	const { sanitizeXmlName } = load('n8n-workflow');
	const parser = new xml2js.Parser({
		async: true,
		normalize: true,
		normalizeTags: true,
		explicitArray: false,
		tagNameProcessors: [sanitizeXmlName],
		attrNameProcessors: [sanitizeXmlName],
	});
	return { xml2js, parser };
}

module.exports = { n8nXmlParser };
