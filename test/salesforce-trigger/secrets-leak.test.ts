import type { IDataObject } from 'n8n-workflow';

import { captureLogs } from '../harness/capture-logs';
import type { WebhookCall } from '../harness/webhook';
import { callout, CAMPAIGN_EVENT, deliver, LEAD, ORG_15, outboundMessage, SESSION_ID, sign, SIGNING_SECRET, to18 } from './fixtures';
import { reachableText } from '../harness/reachable-text';

/** The session id, its token part alone, the signing secret and a slice of it. */
const SECRETS = [SESSION_ID, SESSION_ID.split('!')[1], SIGNING_SECRET, SIGNING_SECRET.slice(8, 28)];

let logged: string[] = [];
beforeEach(() => {
	logged = [];
	captureLogs(logged);
});
afterEach(() => jest.restoreAllMocks());

/** What a caller, an execution, n8n's static data and n8n's logs can see of one delivery. */
function visible(call: WebhookCall): string {
	return [call.response.body, JSON.stringify(call.response.headers), reachableText(call.items ?? []), reachableText(call.staticData), reachableText(call.result)].join('\n');
}

function expectNoSecret(text: string) {
	for (const secret of SECRETS) expect(text).not.toContain(secret);
}

const withSession = outboundMessage([LEAD], { sessionId: SESSION_ID });
const body = JSON.stringify(CAMPAIGN_EVENT);
const stale = String(Math.floor(Date.now() / 1000) - 3600);

const scenarios: Array<[string, () => Promise<WebhookCall>, number]> = [
	['accepted outbound message with a session id', async () => await deliver(withSession), 200],
	['redelivery of it', async () => {
		const staticData: IDataObject = {};
		await deliver(withSession, {}, { staticData });
		return await deliver(withSession, {}, { staticData });
	}, 200],
	['wrong org', async () => await deliver(outboundMessage([LEAD], { sessionId: SESSION_ID, org: to18('00D5g000009ZzZz') })), 403],
	['malformed XML around the session id', async () => await deliver(withSession.replace('</SessionId>', '</Session>')), 400],
	['session id in an unexpected element', async () => await deliver(withSession.replace('<sf:LeadSource>Web</sf:LeadSource>', `<sf:Token><b>${SESSION_ID}</b></sf:Token>`)), 400],
	['DOCTYPE with the session id', async () => await deliver(`<!DOCTYPE x [<!ENTITY s "${SESSION_ID}">]>${withSession}`), 400],
	['oversize with the session id', async () => await deliver(withSession, { options: { maxBodyKb: 1 } }), 400],
	['IP not allowed', async () => await deliver(withSession, { options: { allowedIps: '10.0.0.0/8' } }), 403],
	['misconfigured org id', async () => await deliver(withSession, { organizationId: ORG_15.slice(0, 10) }), 500],
	['JSON: good signature', async () => await callout(body, { 'X-Signature': sign(body) }), 200],
	['JSON: bad signature', async () => await callout(body, { 'X-Signature': sign(`${body} `) }), 403],
	['JSON: missing signature', async () => await callout(body, {}), 401],
	['JSON: the secret itself sent as the signature', async () => await callout(body, { 'X-Signature': SIGNING_SECRET }), 403],
	['JSON: stale timestamp', async () => await callout(body, { 'X-Timestamp': stale, 'X-Signature': sign(`${stale}.${body}`) }, { useTimestamp: true }), 403],
	['JSON: near-miss token', async () => await callout(body, { 'X-Salesforce-Token': `${SIGNING_SECRET}!` }, { verification: 'token', headerName: 'X-Salesforce-Token' }), 403],
	['JSON: invalid JSON quoting the secret', async () => {
		const broken = `{"note": "${SIGNING_SECRET}", }`;
		return await callout(broken, { 'X-Signature': sign(broken) });
	}, 400],
	['JSON: invalid allow-list', async () => await callout(body, { 'X-Signature': sign(body) }, { jsonOptions: { allowedIps: 'x' } }), 500],
];

test('the scanner finds a secret wherever it hides', () => {
	const error = new Error('outer', { cause: new Error('inner') });
	Object.defineProperty(error.cause as Error, 'stack', { value: `at ${SESSION_ID}`, enumerable: false });
	expect(JSON.stringify(error)).not.toContain(SESSION_ID);
	expect(reachableText({ errors: [error] })).toContain(SESSION_ID);
	expect(reachableText(new Map([['k', Buffer.from(SIGNING_SECRET)]]))).toContain(SIGNING_SECRET);
});

test.each(scenarios)('%s: no session id or signing secret in the reply, items, static data or logs', async (_name, run, statusCode) => {
	const call = await run();
	expect(call.response.statusCode).toBe(statusCode);
	expectNoSecret(visible(call));
	expectNoSecret(logged.join('\n'));
	// Every refusal is logged (so the scan above read real lines), every acceptance is silent.
	if (statusCode === 200) expect(logged).toEqual([]);
	else expect(logged.join('\n')).toMatch(/Salesforce Trigger "Trigger" (refused a delivery|is misconfigured)/);
});

test('opting in to the session id puts it in the item and nowhere else', async () => {
	const call = await deliver(withSession, { options: { includeSessionId: true } });
	expect(call.items?.[0][0].json.sessionId).toBe(SESSION_ID);
	expectNoSecret([call.response.body, reachableText(call.staticData), logged.join('\n')].join('\n'));
});
