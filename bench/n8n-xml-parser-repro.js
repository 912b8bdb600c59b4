#!/usr/bin/env node
'use strict';
// Reproduces what the benchmark ran into (bench/README.md, "n8n's shared XML parser"): n8n's webhook
// body parser (n8n/dist/middlewares/body-parser.js) parses every text/xml webhook body with ONE shared
// xml2js Parser created with `async: true`. xml2js parsers are not reentrant: when a second body
// arrives while a body over 10,000 characters (parsed in chunks, between which other requests run)
// is being parsed, the parses fail or never finish, and the parser can stay broken: in the benchmark
// every later XML webhook request to that n8n process hung until n8n was restarted.
// Usage: node bench/n8n-xml-parser-repro.js [n8n folder, default .cache/n8n-2.41.1]
const path = require('node:path');

const { n8nXmlParser } = require('./n8n-xml');

const n8nDir = path.resolve(process.argv[2] ?? path.join(__dirname, '../.cache/n8n-2.41.1'));
// The parser exactly as n8n builds it, once per process.
const { xml2js, parser: shared } = n8nXmlParser(n8nDir);

// A Salesforce-like outbound message with 100 notifications (~30 KB).
const notification = (i) =>
	`<Notification><Id>04l5e000000N${String(i).padStart(4, '0')}AA</Id><sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>00Q5e00000Ab${String(i).padStart(4, '0')}AA</sf:Id><sf:Email>lead${i}@example.com</sf:Email><sf:Company>Acme &amp; Co</sf:Company></sObject></Notification>`;
const body =
	'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00DSANDBOX0000125A</OrganizationId>' +
	Array.from({ length: 100 }, (_, i) => notification(i)).join('') +
	'</notifications></soapenv:Body></soapenv:Envelope>';

const withTimeout = (promise, ms) => Promise.race([promise.then(() => 'parsed', (error) => `failed: ${error.message.split('\n')[0]}`), new Promise((resolve) => setTimeout(() => resolve(`no result after ${ms} ms`), ms))]);

(async () => {
	console.log(`body: ${body.length} characters; one parse alone: ${await withTimeout(shared.parseStringPromise(body), 3000)}`);
	// Eight requests whose parses overlap (each arrives while the earlier ones are between chunks), as
	// eight concurrent senders produce them.
	const overlapping = [];
	for (let i = 0; i < 8; i++) {
		overlapping.push(withTimeout(shared.parseStringPromise(body), 3000));
		await new Promise((resolve) => setImmediate(resolve));
	}
	const outcomes = await Promise.all(overlapping);
	const counts = {};
	for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
	console.log('8 overlapping parses:', counts);
	console.log(`a later parse, alone: ${await withTimeout(shared.parseStringPromise(body), 3000)}`);
	console.log(`with a new Parser per body (what xml2js.parseStringPromise does): ${await withTimeout(new xml2js.Parser({ async: true, explicitArray: false }).parseStringPromise(body), 3000)}`);
	process.exit(0);
})();
