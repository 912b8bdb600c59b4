import type { Resolver } from '../../nodes/TemplatedWebhook/url';
import { UrlRefusedError, checkTargetUrl, classifyAddress, parseIPv6 } from '../../nodes/TemplatedWebhook/url';
import { CONTACT, delivery, dnsFake, lookupError, receiverFake, runWebhook, webhookParameters } from './fixtures';

const STRICT = { allowLoopback: false, allowPrivateNetworks: false };
const zone: Record<string, string[]> = {
	'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
	'internal.example.com': ['10.1.2.3'],
	'mixed.example.com': ['93.184.215.14', '192.168.1.20'],
	'v6private.example.com': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'fd12:3456::1'],
	'mapped.example.com': ['::ffff:10.0.0.1'],
	'rebind.example.com': ['169.254.169.254'],
	'cgnat.example.com': ['100.72.1.1'],
	'loop.example.com': ['127.0.0.1'],
};
const failures: Record<string, string> = { 'flaky.example.com': 'EAI_AGAIN' };
/** Like the system resolver: unknown names fail with ENOTFOUND. */
const resolver: Resolver = async (name) => {
	if (failures[name]) throw lookupError(name, failures[name]);
	if (!zone[name]) throw lookupError(name, 'ENOTFOUND');
	return zone[name];
};

async function refusal(url: string, policy = STRICT, resolve: Resolver | undefined = resolver): Promise<UrlRefusedError> {
	let caught: unknown;
	try {
		await checkTargetUrl(url, policy, resolve);
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(UrlRefusedError);
	return caught as UrlRefusedError;
}

describe('address classes', () => {
	const cases: Array<[string, string | undefined]> = [
		['93.184.215.14', undefined],
		['8.8.8.8', undefined],
		['10.0.0.1', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['172.32.0.1', undefined],
		['192.168.0.1', 'private'],
		['100.64.0.1', 'shared address space (CGNAT)'],
		['100.127.255.255', 'shared address space (CGNAT)'],
		['100.128.0.1', undefined],
		['127.0.0.1', 'loopback'],
		['127.255.0.9', 'loopback'],
		['169.254.10.10', 'link-local'],
		['169.254.169.254', 'cloud metadata'],
		['0.0.0.0', 'unspecified'],
		['224.0.0.1', 'multicast'],
		['255.255.255.255', 'reserved'],
		['::1', 'loopback'],
		['::', 'unspecified'],
		['fe80::1', 'link-local'],
		['fc00::1', 'unique-local'],
		['fd12:3456::1', 'unique-local'],
		['fd00:ec2::254', 'cloud metadata'],
		['::ffff:127.0.0.1', 'IPv4-mapped IPv6'],
		['::ffff:7f00:1', 'IPv4-mapped IPv6'],
		['::ffff:8.8.8.8', 'IPv4-mapped IPv6'],
		['::127.0.0.1', 'IPv4-mapped IPv6'],
		['64:ff9b::10.0.0.1', 'private'],
		['2002:a00:1::', 'private'],
		['ff02::1', 'multicast'],
		['2606:2800:21f:cb07:6820:80da:af6b:8b2c', undefined],
		['2001:db8::1', undefined],
		['not-an-ip', 'not an IP address'],
	];
	test.each(cases)('%s -> %s', (address, rule) => {
		expect(classifyAddress(address)).toBe(rule);
	});

	test('IPv6 text forms parse to the same groups', () => {
		expect(parseIPv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
		expect(parseIPv6('[fe80::1%eth0]')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
		expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(parseIPv6('1::2::3')).toBeUndefined();
		expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
	});
});

describe('URL rules (the error names the rule)', () => {
	const refused: Array<[string, string, RegExp]> = [
		['http://hooks.example.com/x', 'https only', /plain http is allowed only to a loopback address/],
		['ftp://hooks.example.com/x', 'https only', /scheme ftp is not allowed/],
		['http://127.0.0.1:8080/x', 'loopback', /needs the loopback option/],
		['https://localhost/x', 'loopback', /localhost is a loopback name/],
		['https://127.0.0.1/x', 'loopback', /127\.0\.0\.1 is a loopback address/],
		['https://[::1]/x', 'loopback', /::1 is a loopback address/],
		['https://2130706433/x', 'loopback', /127\.0\.0\.1 is a loopback address/],
		['https://0x7f.1/x', 'loopback', /127\.0\.0\.1/],
		['https://10.0.0.8/x', 'private', /10\.0\.0\.8 is a private address/],
		['https://172.20.1.1/x', 'private', /private/],
		['https://192.168.1.1/x', 'private', /private/],
		['https://100.64.3.4/x', 'shared address space (CGNAT)', /CGNAT/],
		['https://169.254.1.1/x', 'link-local', /link-local/],
		['https://169.254.169.254/latest/meta-data', 'cloud metadata', /metadata/],
		['https://[fd00:ec2::254]/x', 'cloud metadata', /metadata/],
		['https://metadata.google.internal/computeMetadata/v1/', 'cloud metadata', /metadata host/],
		['https://[fe80::1]/x', 'link-local', /link-local/],
		['https://[fc00::1]/x', 'unique-local', /unique-local/],
		['https://[::ffff:127.0.0.1]/x', 'IPv4-mapped IPv6', /IPv4-mapped IPv6/],
		['https://[::ffff:a00:1]/x', 'IPv4-mapped IPv6', /IPv4-mapped IPv6/],
		['https://0.0.0.0/x', 'unspecified', /unspecified/],
		['https://[::]/x', 'unspecified', /unspecified/],
		['https://internal.example.com/x', 'private', /internal\.example\.com resolves to 10\.1\.2\.3, which is a private address/],
		['https://mixed.example.com/x', 'private', /resolves to 192\.168\.1\.20/],
		['https://v6private.example.com/x', 'unique-local', /resolves to fd12:3456::1/],
		['https://mapped.example.com/x', 'IPv4-mapped IPv6', /resolves to ::ffff:10\.0\.0\.1/],
		['https://rebind.example.com/x', 'cloud metadata', /resolves to 169\.254\.169\.254/],
		['https://cgnat.example.com/x', 'shared address space (CGNAT)', /100\.72\.1\.1/],
		['https://loop.example.com/x', 'loopback', /resolves to 127\.0\.0\.1/],
		['https://unknown.example.com/x', 'unresolvable', /unknown\.example\.com could not be resolved \(ENOTFOUND\), so its addresses could not be checked/],
		['https://flaky.example.com/x', 'DNS temporarily unavailable', /flaky\.example\.com could not be resolved \(EAI_AGAIN\): the DNS server did not answer/],
		['https://user:pw@hooks.example.com/x', 'credentials in URL', /user name or password/],
		['not a url', 'invalid URL', /not a valid absolute URL/],
	];
	test.each(refused)('%s is refused by rule "%s"', async (url, rule, detail) => {
		const error = await refusal(url);
		expect(error.rule).toBe(rule);
		expect(error.message).toMatch(detail);
		// A DNS server that did not answer is not a refusal: the node retries the item later.
		expect(error.transient).toBe(rule === 'DNS temporarily unavailable');
		if (rule !== 'invalid URL' && !error.transient) expect(error.message).toContain(`(rule: ${rule})`);
	});

	test('public https URLs pass, every resolved address checked', async () => {
		const asked: string[] = [];
		const url = await checkTargetUrl('https://hooks.example.com/a?b=1', STRICT, async (name) => {
			asked.push(name);
			return zone[name];
		});
		expect(url.toString()).toBe('https://hooks.example.com/a?b=1');
		expect(asked).toEqual(['hooks.example.com']);
		await expect(checkTargetUrl('https://93.184.215.14/x', STRICT, resolver)).resolves.toBeInstanceOf(URL);
	});

	test('an empty answer is refused too; the hint depends on the error', async () => {
		const empty = await refusal('https://hooks.example.com/x', STRICT, async () => []);
		expect(empty.rule).toBe('unresolvable');
		expect(empty.message).toMatch(/hooks\.example\.com resolved to no address/);
		expect((await refusal('https://flaky.example.com/x')).hint).toMatch(/usually temporary/);
		expect((await refusal('https://unknown.example.com/x')).hint).toMatch(/Check the host name/);
	});

	test('IP literals are checked without a look-up', async () => {
		const asked: string[] = [];
		const spy: Resolver = async (name) => {
			asked.push(name);
			return ['93.184.215.14'];
		};
		await expect(checkTargetUrl('https://93.184.215.14/x', STRICT, spy)).resolves.toBeInstanceOf(URL);
		await expect(checkTargetUrl('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x', STRICT, spy)).resolves.toBeInstanceOf(URL);
		expect((await refusal('https://10.9.8.7/x', STRICT, spy)).rule).toBe('private');
		expect(asked).toEqual([]);
	});

	test('the loopback option allows localhost, 127/8 and ::1, also over plain http, and nothing else', async () => {
		const loopback = { allowLoopback: true, allowPrivateNetworks: false };
		for (const url of ['http://127.0.0.1:5678/x', 'http://localhost/x', 'https://[::1]/x', 'https://loop.example.com/x']) {
			await expect(checkTargetUrl(url, loopback, resolver)).resolves.toBeInstanceOf(URL);
		}
		expect((await refusal('http://10.0.0.1/x', loopback)).rule).toBe('https only');
		expect((await refusal('https://10.0.0.1/x', loopback)).rule).toBe('private');
	});

	test('"allow private networks" allows private, CGNAT, link-local and unique-local ranges, never metadata', async () => {
		const open = { allowLoopback: false, allowPrivateNetworks: true };
		for (const url of ['https://10.0.0.8/x', 'https://internal.example.com/x', 'https://cgnat.example.com/x', 'https://[fd12::1]/x', 'https://unknown.example.com/x', 'https://flaky.example.com/x']) {
			await expect(checkTargetUrl(url, open, resolver)).resolves.toBeInstanceOf(URL);
		}
		expect((await refusal('https://169.254.169.254/x', open)).rule).toBe('cloud metadata');
		expect((await refusal('https://rebind.example.com/x', open)).rule).toBe('cloud metadata');
		expect((await refusal('https://127.0.0.1/x', open)).rule).toBe('loopback');
		expect((await refusal('http://10.0.0.8/x', open)).rule).toBe('https only');
	});
});

describe('through the node', () => {
	test('a name resolving to a private address is refused before sending; the error names the rule', async () => {
		const dns = dnsFake({ 'hooks.example.com': ['93.184.215.14', '10.20.30.40'] });
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(run.error?.message).toBe(
			'The URL https://hooks.example.com/ometria/contacts was refused (rule: private): hooks.example.com resolves to 10.20.30.40, which is a private address (item 0)',
		);
		expect((run.error as unknown as { description: string }).description).toMatch(/Allow Private Networks/);
		expect(received).toHaveLength(0);
		expect(dns.asked.length).toBeGreaterThan(0);
	});

	test('an AAAA record to a private range is enough to refuse', async () => {
		dnsFake({ 'hooks.example.com': ['93.184.215.14', 'fd00::5'] });
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(run.error?.message).toMatch(/\(rule: unique-local\): hooks\.example\.com resolves to fd00::5/);
		expect(received).toHaveLength(0);
	});

	test('plain http to loopback works only with the option', async () => {
		const { received } = receiverFake(() => [200], 'http://127.0.0.1:4000');
		const refusedRun = await runWebhook(webhookParameters({ url: 'http://127.0.0.1:4000/hook' }), [CONTACT]);
		expect(refusedRun.error?.message).toMatch(/\(rule: loopback\)/);
		expect(received).toHaveLength(0);
		const allowed = await runWebhook(webhookParameters({ url: 'http://127.0.0.1:4000/hook' }, { allowLoopback: true }), [CONTACT]);
		expect(allowed.error).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(allowed.delivered).toHaveLength(1);
	});

	test('a name that does not exist refuses the URL with the host and the error code (fail closed)', async () => {
		const dns = dnsFake({});
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters(), [CONTACT]);
		expect(run.error?.message).toBe(
			'The URL https://hooks.example.com/ometria/contacts was refused (rule: unresolvable): hooks.example.com could not be resolved (ENOTFOUND), so its addresses could not be checked (item 0)',
		);
		expect(received).toHaveLength(0);
		expect(dns.asked).toEqual([{ hostname: 'hooks.example.com', options: { all: true, verbatim: true } }]);
	});

	test('under continueOnFail the refused item leaves on Dropped with the host and the code (n8n does not swap the message)', async () => {
		dnsFake({});
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters(), [CONTACT], { continueOnFail: true });
		expect(run.error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(run.delivered).toHaveLength(0);
		expect(run.dropped).toHaveLength(1);
		expect(run.dropped[0].json.error).toMatch(/\(rule: unresolvable\): hooks\.example\.com could not be resolved \(ENOTFOUND\)/);
		expect(run.dropped[0].pairedItem).toEqual({ item: 0 });
	});

	test.each(['EAI_AGAIN', 'ETIMEOUT', 'ESERVFAIL'])(
		'a DNS server that does not answer (%s) is a network failure: Retry Later, nothing sent, the connection counts it',
		async (code) => {
			dnsFake({}, { 'hooks.example.com': code });
			const { received } = receiverFake(() => [200]);
			const run = await runWebhook(webhookParameters(), [CONTACT, { profile: { email: 'bob@example.com' } }]);
			expect(run.error).toBeUndefined();
			expect(received).toHaveLength(0);
			expect(run.delivered).toHaveLength(0);
			expect(run.retryLater.map((item) => item.pairedItem).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ item: 0 }, { item: 1 }]);
			const state = delivery(run.retryLater.find((item) => (item.pairedItem as { item: number }).item === 0));
			expect(state).toMatchObject({ status: 'retry_later', attempts: 1, statusCode: null });
			expect(state.reason).toBe(
				`hooks.example.com could not be resolved (${code}): the DNS server did not answer, so the URL https://hooks.example.com/ometria/contacts could not be checked; not sent`,
			);
			expect(state.log).toEqual([expect.objectContaining({ attempt: 1, try: 1, outcome: 'not sent', error: state.reason })]);
			expect(Date.parse(state.nextAttemptAt as string)).toBeGreaterThan(Date.now());
		},
	);

	test('a DNS failure at the last attempt drops the item with its log', async () => {
		dnsFake({}, { 'hooks.example.com': 'EAI_AGAIN' });
		receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({}, { retrySchedule: '' }), [CONTACT]);
		expect(run.retryLater).toHaveLength(0);
		expect(delivery(run.dropped[0])).toMatchObject({ status: 'dropped', attempts: 1, maxAttempts: 1 });
		expect(delivery(run.dropped[0]).reason).toMatch(/\(EAI_AGAIN\).*; dropped after 1 attempts$/);
	});

	test('the rest of the item is still checked when the DNS server does not answer', async () => {
		dnsFake({}, { 'hooks.example.com': 'EAI_AGAIN' });
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({ template: '{"a": {{ a }}' }), [{ a: 1 }]);
		expect(run.error?.message).toMatch(/not valid JSON/);
		expect(received).toHaveLength(0);
	});

	test('with "Allow Private Networks" a name this machine cannot resolve is sent unchecked (e.g. through a proxy)', async () => {
		dnsFake({});
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters({}, { allowPrivateNetworks: true }), [CONTACT]);
		expect(run.error).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(delivery(run.delivered[0]).status).toBe('delivered');
	});

	test('one look-up per host name and execution; every item is checked against it', async () => {
		const dns = dnsFake({ 'hooks.example.com': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', '93.184.215.14'] });
		const { received } = receiverFake(() => [200]);
		const run = await runWebhook(webhookParameters(), [CONTACT, { profile: { email: 'bob@example.com' } }, { profile: { email: 'cy@example.com' } }]);
		expect(run.error).toBeUndefined();
		expect(received).toHaveLength(3);
		expect(dns.asked).toHaveLength(1);
	});
});
