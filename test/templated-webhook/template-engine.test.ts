import { Template } from '@huggingface/jinja';

import { LIMITS, RenderedJsonError, TemplateError, checkJson, compileTemplate, renderTemplate } from '../../nodes/TemplatedWebhook/template';

const contact = {
	profile: { email: 'ada@example.com', firstname: 'Ada', tags: ['vip', 'newsletter'] },
	order: { id: 'o-1', products: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }] },
};

describe('merge tags, loops and filters', () => {
	test('merge tags read the item fields, nested and by key', () => {
		expect(renderTemplate('{{ profile.email }}|{{ profile["firstname"] }}|{{ order.id }}', contact)).toBe('ada@example.com|Ada|o-1');
	});

	test('loops with loop.last build a JSON list', () => {
		const text = '[{% for p in order.products %}{"sku": {{ p.sku | tojson }}, "qty": {{ p.qty }}}{% if not loop.last %},{% endif %}{% endfor %}]';
		const rendered = renderTemplate(text, contact);
		expect(rendered).toBe('[{"sku": "A1", "qty": 2},{"sku": "B2", "qty": 1}]');
		expect(JSON.parse(rendered)).toEqual(contact.order.products);
	});

	test('default, join, upper and tojson', () => {
		expect(renderTemplate('{{ profile.middlename | default("-") }}', contact)).toBe('-');
		expect(renderTemplate('{{ profile.tags | join(", ") }}', contact)).toBe('vip, newsletter');
		expect(renderTemplate('{{ profile.firstname | upper }}', contact)).toBe('ADA');
		expect(renderTemplate('{{ profile.tags | tojson }}', contact)).toBe('["vip", "newsletter"]');
		expect(renderTemplate('{{ missing | tojson }}', contact)).toBe('null');
	});

	test('tojson keeps quotes, backslashes, newlines, tabs and unicode exact inside JSON', () => {
		const nasty = 'She said "hi"\\ \n next line\ttab – Ünïcödé 😀 \u2028 </script>';
		const rendered = renderTemplate('{"note": {{ note | tojson }}}', { note: nasty });
		expect(JSON.parse(rendered)).toEqual({ note: nasty });
		// Pasted without tojson, the same value breaks the JSON: why the node checks it.
		expect(() => checkJson(renderTemplate('{"note": "{{ note }}"}', { note: nasty }))).toThrow(RenderedJsonError);
	});

	test('a syntax error is a TemplateError that says so', () => {
		expect(() => compileTemplate('{% for x in %}')).toThrow(TemplateError);
		expect(() => compileTemplate('{{ profile.email ')).toThrow(/syntax error/);
	});
});

describe('the sandbox holds: templates cannot reach JavaScript internals', () => {
	const escapes = [
		"{{ ''.constructor.constructor('return process')() }}",
		"{{ ''.constructor.constructor('return globalThis.process.env')() }}",
		"{{ profile.constructor.constructor('return process')() }}",
		"{{ range.constructor('return process')() }}",
		"{{ namespace.constructor('return process')() }}",
		"{{ profile.__proto__.constructor.constructor('return 1')() }}",
		"{{ raise_exception.constructor('return process')() }}",
		"{{ profile.email.__class__.__mro__[1].__subclasses__() }}",
	];
	test.each(escapes)('%s fails as a template error, running nothing', (payload) => {
		let caught: unknown;
		try {
			renderTemplate(payload, contact);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TemplateError);
		expect((caught as Error).message).toMatch(/could not be rendered/);
	});

	const lookups = [
		'{{ profile.constructor }}',
		'{{ profile.__proto__ }}',
		'{{ profile["__proto__"] }}',
		'{{ profile.prototype }}',
		"{{ ''.constructor }}",
		'{{ range.constructor }}',
		'{{ profile.email.__class__ }}',
		'{{ profile.hasOwnProperty }}',
		'{{ profile.toString }}',
		'{{ order.products.constructor }}',
		'{{ order.products.map }}',
		'{{ profile.email.constructor }}',
	];
	test.each(lookups)('%s renders nothing', (payload) => {
		expect(renderTemplate(payload, contact)).toBe('');
	});

	test('function values in the data never reach the template (data is copied as JSON)', () => {
		const data = { name: 'x', leak: () => 'secret-from-function', nested: { fn: () => 'nested-secret' } } as unknown as Record<string, unknown>;
		expect(renderTemplate('{{ leak }}|{{ nested.fn }}|{{ name }}', data)).toBe('||x');
		expect(() => renderTemplate('{{ leak() }}', data)).toThrow(TemplateError);
	});

	test('a __proto__ key in the data does not pollute Object.prototype', () => {
		const data = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}') as Record<string, unknown>;
		renderTemplate('{{ a }}{{ __proto__ }}{% set x = __proto__ %}', data);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('runaway templates are bounded (a render is synchronous: every limit is a count)', () => {
	const cases: Array<[string, string, RegExp]> = [
		['a huge range', '{% for i in range(30000000) %}x{% endfor %}', /range\(\) .* asked for 30000000 numbers; at most 10000/],
		['nested loops', '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}', /render limit of 200000 steps/],
		['a recursive macro', '{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}', /render limit|could not be rendered/],
		[
			'doubling a string',
			'{% set ns = namespace(s="xxxxxxxxxx") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}',
			/more than 1000000 characters/,
		],
		['a huge output from a loop', '{% for i in range(10000) %}{{ big }}{{ big }}{% endfor %}', /characters/],
		['indent with a huge width', '{{ "x\\ny" | indent(100000000, true) }}', /indented text larger than 1000000/],
		['tojson with a huge indent', '{{ order | tojson(indent=100000000) }}', /JSON text larger/],
		['replace("", …) multiplying text', '{{ big.replace("", big) }}', /replaced text larger/],
		['the replace filter multiplying text', '{{ big | replace("", big) }}', /replaced text larger/],
		[
			'a list of repeated references joined',
			'{% set ns = namespace(a=[]) %}{% for i in range(5000) %}{% set ns.a = ns.a + [big] %}{% endfor %}{{ ns.a | join }}',
			/list or object larger than 1000000/,
		],
		['a long list literal of big values', `{{ [${Array(2000).fill('big').join(',')}] | tojson }}`, /list or object larger/],
		// Each of these grew hundreds of MB before a check ran (the library built the text first).
		['join(separator=…) on a list', '{{ range(10000) | join(separator=big) }}', /joined text larger than 1000000/],
		['join on a text (one separator per character)', '{{ big | join(big) }}', /joined text larger than 1000000/],
		['tojson with long separators', '{{ range(10000) | list | tojson(separators=(big, ":")) }}', /JSON text larger than 1000000/],
		['tojson(ensure_ascii) growing each character six-fold', '{{ wide | tojson(ensure_ascii=true) }}', /JSON text larger than 1000000/],
		['replace reached as s["replace"]', '{{ big["replace"]("", big) }}', /replaced text larger/],
		['replace kept in a variable', '{% set r = big.replace %}{{ r("", big) }}', /replaced text larger/],
		['a list printed again and again by a loop', '{% set l = [huge] %}{% for i in range(10000) %}{{ l }}{% endfor %}', /built more than 20000000 characters/],
	];
	test.each(cases)('%s stops with a limit error', (_name, template, message) => {
		let caught: unknown;
		try {
			renderTemplate(template, { ...contact, big: 'y'.repeat(2000), wide: 'é'.repeat(200_000), huge: 'z'.repeat(100_000) });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TemplateError);
		expect((caught as Error).message).toMatch(message);
	});

	test('a template longer than the limit is refused before parsing', () => {
		expect(() => compileTemplate('x'.repeat(LIMITS.MAX_TEMPLATE_CHARS + 1))).toThrow(/at most 100000 are allowed/);
	});

	test('ordinary large work stays within the limits', () => {
		const products = Array.from({ length: 2000 }, (_, i) => ({ sku: `S${i}`, qty: i % 5 }));
		const rendered = renderTemplate('[{% for p in products %}{{ p | tojson }}{% if not loop.last %},{% endif %}{% endfor %}]', { products });
		expect(JSON.parse(rendered)).toHaveLength(2000);
		expect(renderTemplate('{% for i in range(10000) %}{% endfor %}ok', {})).toBe('ok');
	});

	test('the guards change no result: a macro in front of .replace() runs once, as in the plain library', () => {
		const text =
			'{% set ns = namespace(c=0) %}{% macro inc() %}{% set ns.c = ns.c + 1 %}a{{ ns.c }}{% endmacro %}{{ inc().replace("a", "b") }}|{{ inc()["replace"]("a", "c") }}|{{ ns.c }}';
		expect(renderTemplate(text, {})).toBe(new Template(text).render({}));
		expect(renderTemplate(text, {})).toBe('b1|c2|2');
	});

	test('a field called range is data, not the uncapped built-in', () => {
		expect(renderTemplate('{{ range }}', { range: 'A-C' })).toBe('A-C');
	});
});

describe('invalid rendered JSON names line, column and an excerpt', () => {
	const cases: Array<[string, number, number, RegExp]> = [
		['{\n  "email": "a@b.co",\n  "name": Ada\n}', 3, 11, /unexpected "A" at line 3, column 11: {3}"name": Ada/],
		['{"a": 1,}', 1, 9, /unexpected "}" at line 1, column 9/],
		['{"a": 1', 1, 8, /the text ended early at line 1, column 8/],
		['{"a": "line\nbreak"}', 1, 12, /unexpected "\\n" at line 1, column 12/],
		['{"a": 1} {"b": 2}', 1, 10, /unexpected "{" at line 1, column 10/],
		['', 1, 1, /ended early/],
	];
	test.each(cases)('%j', (text, line, column, message) => {
		let caught: unknown;
		try {
			checkJson(text);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(RenderedJsonError);
		expect((caught as RenderedJsonError).line).toBe(line);
		expect((caught as RenderedJsonError).column).toBe(column);
		expect((caught as Error).message).toMatch(message);
	});

	test('valid JSON of every kind passes', () => {
		for (const text of ['{}', '[]', '"x"', '0', '-1.5e3', 'true', 'null', ' {"a": [1, {"b": "\\u00e9\\n"}]} ']) expect(() => checkJson(text)).not.toThrow();
	});
});
