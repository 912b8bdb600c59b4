import { Environment, Interpreter, Template } from '@huggingface/jinja';

/**
 * Body templates: Jinja through @huggingface/jinja 0.5.11 (pinned), which cannot reach JavaScript
 * internals, plus the limits it lacks. A render is synchronous (no timer can stop it), so every
 * limit is a count checked while it runs:
 * - template text at most MAX_TEMPLATE_CHARS;
 * - `range()` at most MAX_RANGE numbers;
 * - at most MAX_STEPS evaluation steps per render (walking big values counts too);
 * - no text value above MAX_OUTPUT_CHARS, and all text produced during a render together at most
 *   MAX_PRODUCED_CHARS (bounds what loops accumulate before the loop ends);
 * - filters and methods that build big text from small input (indent, tojson with indent,
 *   separators or ensure_ascii, join, replace, also called as `s['replace']` or through a variable)
 *   are sized before they run; new lists and objects may not print larger than MAX_OUTPUT_CHARS;
 *   values printed by a block (`{{ a_list }}` in a loop) are charged as they are printed.
 * Nothing big is allocated before a check: the checks run before the library builds the text.
 */
export const LIMITS = {
	MAX_TEMPLATE_CHARS: 100_000,
	MAX_OUTPUT_CHARS: 1_000_000,
	MAX_PRODUCED_CHARS: 20_000_000,
	MAX_STEPS: 200_000,
	MAX_RANGE: 10_000,
};

/** A template problem the user must fix (syntax, a limit, a failing expression). */
export class TemplateError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'TemplateError';
	}
}

/** The rendered text is not JSON; position and excerpt refer to the rendered text. */
export class RenderedJsonError extends Error {
	constructor(
		message: string,
		readonly line: number,
		readonly column: number,
		readonly excerpt: string,
	) {
		super(message);
		this.name = 'RenderedJsonError';
	}
}

interface RuntimeValue {
	type: string;
	value: unknown;
}
interface Node {
	type: string;
	[key: string]: unknown;
}
type Evaluate = (statement: Node | undefined, environment: Environment) => RuntimeValue;
type ApplyFilter = (operand: RuntimeValue, filter: Node, environment: Environment) => RuntimeValue;
type EvaluateMember = (expr: Node, environment: Environment) => RuntimeValue;
type EvaluateBlock = (statements: Node[], environment: Environment) => RuntimeValue;
type EvaluateArguments = (args: unknown, environment: Environment) => [RuntimeValue[], Map<string, RuntimeValue>];

/** The interpreter's internals we wrap (private in its types, plain methods at run time). */
interface Internals {
	evaluate: Evaluate;
	applyFilter: ApplyFilter;
	evaluateMemberExpression: EvaluateMember;
	evaluateBlock: EvaluateBlock;
	evaluateArguments: EvaluateArguments;
}

const CONTAINERS = new Set(['ArrayValue', 'TupleValue', 'ObjectValue', 'KeywordArgumentsValue', 'NamespaceValue']);
/** Statements that build a new value (lookups only return what exists: the item or checked values). */
const BUILDERS = new Set(['ArrayLiteral', 'TupleLiteral', 'ObjectLiteral', 'BinaryExpression', 'FilterExpression', 'CallExpression']);

const compiled = new Map<string, Template>();
const CACHE_SIZE = 50;

/** Parses a template once per text (parsing each time halves throughput). */
export function compileTemplate(text: string): Template {
	const cached = compiled.get(text);
	if (cached) return cached;
	if (text.length > LIMITS.MAX_TEMPLATE_CHARS) {
		throw new TemplateError(
			`The body template is ${text.length} characters long; at most ${LIMITS.MAX_TEMPLATE_CHARS} are allowed`,
			'Shorten the template (loop over lists instead of repeating blocks).',
		);
	}
	let template: Template | undefined;
	let problem = '';
	try {
		template = new Template(text);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (!template) {
		throw new TemplateError(
			`The body template has a syntax error: ${problem}`,
			'Check the Jinja syntax: {{ field }}, {% for x in list %}...{% endfor %}, {% if %}...{% endif %}. Supported filters include default, tojson, join, upper, lower, length, replace.',
		);
	}
	if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
	compiled.set(text, template);
	return template;
}

class Budget {
	steps = 0;
	produced = 0;

	charge(steps: number) {
		this.steps += steps;
		if (this.steps > LIMITS.MAX_STEPS) {
			throw new TemplateError(
				`The body template exceeded the render limit of ${LIMITS.MAX_STEPS} steps`,
				'A loop in the template runs too long (check range() and nested loops).',
			);
		}
	}

	text(length: number) {
		if (length > LIMITS.MAX_OUTPUT_CHARS) {
			throw new TemplateError(
				`The body template produced more than ${LIMITS.MAX_OUTPUT_CHARS} characters`,
				'The rendered body is limited to 1,000,000 characters; send less data per request.',
			);
		}
		this.produced += length;
		if (this.produced > LIMITS.MAX_PRODUCED_CHARS) {
			throw new TemplateError(
				`The body template built more than ${LIMITS.MAX_PRODUCED_CHARS} characters of text while rendering`,
				'A loop in the template repeats large values too often.',
			);
		}
	}
}

/** How a value is printed: indent per level, extra characters per entry (separators), string growth (ensure_ascii). */
interface PrintShape {
	indent?: number;
	perEntry?: number;
	stringFactor?: number;
}

/**
 * Upper estimate of a value's printed size (JSON-like), walking at most until `limit` is passed;
 * every visited value is charged to the budget.
 */
function printedSizeExceeds(root: RuntimeValue, limit: number, budget: Budget, shape: PrintShape = {}): boolean {
	const indent = shape.indent ?? 0;
	const perEntry = shape.perEntry ?? 0;
	const factor = shape.stringFactor ?? 1;
	let size = 0;
	const pending: Array<[RuntimeValue, number]> = [[root, 0]];
	while (pending.length > 0) {
		const [value, depth] = pending.pop() as [RuntimeValue, number];
		budget.charge(1);
		size += indent * (depth + 1) + 2 + perEntry;
		if (value.type === 'StringValue') size += (value.value as string).length * factor;
		else if (CONTAINERS.has(value.type)) {
			const children = value.value instanceof Map ? [...(value.value as Map<string, RuntimeValue>).entries()] : (value.value as RuntimeValue[]).map((v) => ['', v] as const);
			for (const [key, child] of children) {
				size += key.length * factor + 4 + perEntry;
				pending.push([child as RuntimeValue, depth + 1]);
			}
		} else size += String(value.value).length;
		if (size > limit) return true;
	}
	return false;
}

function tooBig(what: string): TemplateError {
	return new TemplateError(
		`The body template would build ${what} larger than ${LIMITS.MAX_OUTPUT_CHARS} characters`,
		'Lower the width or indent, or send less data per request.',
	);
}

function integerArgument(value: RuntimeValue | undefined, fallback: number): number {
	return value && (value.type === 'IntegerValue' || value.type === 'FloatValue') ? Number(value.value) : fallback;
}

/** A capped Python range(): at most MAX_RANGE numbers. */
function cappedRange(start: number, stop?: number, step = 1): number[] {
	if (stop === undefined) {
		stop = start;
		start = 0;
	}
	if (![start, stop, step].every(Number.isFinite) || step === 0) throw new Error('range() needs finite numbers and a step other than 0');
	const count = Math.max(0, Math.ceil((stop - start) / step));
	if (count > LIMITS.MAX_RANGE) {
		throw new TemplateError(
			`range() in the body template asked for ${count} numbers; at most ${LIMITS.MAX_RANGE} are allowed`,
			'Loop over the item\'s own lists instead of large ranges.',
		);
	}
	return Array.from({ length: count }, (_, i) => start + i * step);
}

/** The interpreter with our limits wrapped around its evaluation steps and amplifying filters. */
function guardedInterpreter(env: Environment, budget: Budget): Interpreter {
	const interpreter = new Interpreter(env);
	const internals = interpreter as unknown as Internals;
	const evaluate = internals.evaluate.bind(interpreter);
	const applyFilter = internals.applyFilter.bind(interpreter);
	const evaluateMember = internals.evaluateMemberExpression.bind(interpreter);
	const evaluateBlock = internals.evaluateBlock.bind(interpreter);
	const evaluateArguments = internals.evaluateArguments.bind(interpreter);

	// The object of the member expression being evaluated, and its value once evaluated (see below).
	let watched: Node | undefined;
	let watchedValue: RuntimeValue | undefined;

	internals.evaluate = (statement, environment) => {
		budget.charge(1);
		const result = evaluate(statement, environment);
		if (statement !== undefined && statement === watched) watchedValue = result;
		if (result?.type === 'StringValue') budget.text((result.value as string).length);
		else if (statement && BUILDERS.has(statement.type) && CONTAINERS.has(result?.type)) {
			if (printedSizeExceeds(result, LIMITS.MAX_OUTPUT_CHARS, budget)) throw tooBig('a list or object');
		}
		return result;
	};

	internals.applyFilter = (operand, filter, environment) => {
		const call = filter.type === 'CallExpression' ? filter : undefined;
		const name = ((call ? (call.callee as Node) : filter).value as string) ?? '';
		const [args, kwargs] = call ? evaluateArguments(call.args, environment) : [[], new Map<string, RuntimeValue>()];
		const limit = LIMITS.MAX_OUTPUT_CHARS;
		if (name === 'indent' && operand.type === 'StringValue') {
			const text = operand.value as string;
			const width = integerArgument(args[0] ?? kwargs.get('width'), 4);
			if (text.length + (text.split('\n').length) * Math.max(0, width) > limit) throw tooBig('an indented text');
		} else if (name === 'tojson') {
			const indent = integerArgument(kwargs.get('indent'), 0);
			const separators = kwargs.get('separators');
			const perEntry = CONTAINERS.has(separators?.type ?? '')
				? Math.max(0, ...(separators?.value as RuntimeValue[]).map((s) => (s.type === 'StringValue' ? (s.value as string).length : 0)))
				: 0;
			const stringFactor = kwargs.get('ensure_ascii')?.value === true ? 6 : 1;
			if (indent > 16 || printedSizeExceeds(operand, limit, budget, { indent: Math.max(0, indent), perEntry, stringFactor })) throw tooBig('a JSON text');
		} else if (name === 'join' && (CONTAINERS.has(operand.type) || operand.type === 'StringValue')) {
			// The library reads the separator as the first argument or `separator=` (Jinja's own name is `d`).
			const separator = args[0] ?? kwargs.get('separator') ?? kwargs.get('d');
			const count = Array.isArray(operand.value) ? operand.value.length : operand.type === 'StringValue' ? (operand.value as string).length : 0;
			const extra = separator?.type === 'StringValue' ? (separator.value as string).length * count : 0;
			if (extra > limit || printedSizeExceeds(operand, limit - extra, budget)) throw tooBig('a joined text');
		} else if (name === 'replace' && operand.type === 'StringValue') {
			checkReplace(operand, args[0], args[1]);
		}
		return applyFilter(operand, filter, environment);
	};

	// `text.replace(old, new)` can multiply text in one call, however it is reached (`s.replace`,
	// `s['replace']`, `{% set r = s.replace %}`): the function handed out is sized first.
	// The object is the value the library evaluated itself (caught on its way through evaluate):
	// evaluating it a second time could run a macro twice.
	internals.evaluateMemberExpression = (expr, environment) => {
		const outer: [Node | undefined, RuntimeValue | undefined] = [watched, watchedValue];
		watched = expr.object as Node;
		watchedValue = undefined;
		let value: RuntimeValue;
		let object: (RuntimeValue & { builtins?: Map<string, RuntimeValue> }) | undefined;
		try {
			value = evaluateMember(expr, environment);
			// Set by internals.evaluate while evaluateMember ran (TypeScript cannot see that).
			object = watchedValue as typeof object;
		} finally {
			[watched, watchedValue] = outer;
		}
		if (value?.type !== 'FunctionValue' || object?.type !== 'StringValue' || object.builtins?.get('replace') !== value) return value;
		const replace = value.value as (args: RuntimeValue[], environment: Environment) => RuntimeValue;
		const FunctionValue = value.constructor as new (fn: typeof replace) => RuntimeValue;
		const text = object;
		return new FunctionValue((args, env) => {
			checkReplace(text, args[0], args[1]);
			return replace(args, env);
		});
	};

	// A block prints what its statements return; a list or number printed in a loop is new text
	// that no statement returned as text: charge it before it is appended (the library's own
	// block would build it all first).
	const StringValue = evaluateBlock([], env).constructor as new (text: string) => RuntimeValue;
	internals.evaluateBlock = (statements, environment) => {
		let result = '';
		for (const statement of statements) {
			const value = internals.evaluate(statement, environment);
			if (value.type === 'NullValue' || value.type === 'UndefinedValue') continue;
			if (value.type === 'StringValue') result += value.value as string;
			else {
				const text = String(value);
				budget.text(text.length);
				result += text;
			}
		}
		return new StringValue(result);
	};
	return interpreter;
}

function checkReplace(operand: RuntimeValue, search: RuntimeValue | undefined, replacement: RuntimeValue | undefined) {
	const text = operand.value as string;
	const old = search?.type === 'StringValue' ? (search.value as string) : 'x';
	const added = replacement?.type === 'StringValue' ? (replacement.value as string).length : 0;
	const matches = old === '' ? text.length + 1 : Math.floor(text.length / old.length);
	if (text.length + matches * added > LIMITS.MAX_OUTPUT_CHARS) throw tooBig('a replaced text');
}

/** The globals of @huggingface/jinja, with a capped range() (strftime_now is left out). */
function environmentFor(data: Record<string, unknown>): Environment {
	const env = new Environment();
	// Item fields first: a field called `range` stays plain data, never the uncapped built-in.
	for (const [key, value] of Object.entries(data)) env.set(key, value);
	const globals: Array<[string, unknown]> = [
		['false', false],
		['true', true],
		['none', null],
		['False', false],
		['True', true],
		['None', null],
		[
			'raise_exception',
			(message: string) => {
				throw new TemplateError(`The body template raised an error: ${String(message)}`, 'The template called raise_exception().');
			},
		],
		['range', cappedRange],
	];
	for (const [name, value] of globals) if (!(name in data)) env.set(name, value);
	return env;
}

/**
 * Renders `text` with the item's fields as merge tags. The data is copied through JSON first, so
 * the template sees plain values only (no functions, class instances or shared references).
 */
export function renderTemplate(text: string, data: Record<string, unknown>): string {
	const template = compileTemplate(text);
	const plain = JSON.parse(JSON.stringify(data ?? {})) as Record<string, unknown>;
	const budget = new Budget();
	let output: string | undefined;
	let failure: unknown;
	try {
		const result = guardedInterpreter(environmentFor(plain), budget).run(template.parsed) as unknown as RuntimeValue;
		output = String(result.value ?? '');
	} catch (error) {
		failure = error;
	}
	if (failure instanceof TemplateError) throw failure;
	if (output === undefined) {
		const message = failure instanceof RangeError ? 'it ran out of stack or string space' : (failure as Error)?.message;
		throw new TemplateError(
			`The body template could not be rendered: ${message}`,
			'Check the fields the template uses; use the default filter for fields an item may lack ({{ x | default("") }}).',
		);
	}
	budget.text(output.length);
	return output;
}

/**
 * Checks that `text` is one JSON value. On failure the error names the line and column (1-based)
 * of the first offending character in `text` and shows that line.
 */
export function checkJson(text: string): void {
	const offset = firstJsonError(text);
	if (offset === undefined) return;
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text[i] === '\n') {
			line++;
			lineStart = i + 1;
		}
	}
	const column = offset - lineStart + 1;
	let lineEnd = text.indexOf('\n', lineStart);
	if (lineEnd === -1) lineEnd = text.length;
	const from = Math.max(lineStart, offset - 40);
	const to = Math.min(lineEnd, offset + 40);
	const excerpt = `${from > lineStart ? '…' : ''}${text.slice(from, to)}${to < lineEnd ? '…' : ''}`;
	const found = offset >= text.length ? 'the text ended early' : `unexpected ${JSON.stringify(text[offset])}`;
	throw new RenderedJsonError(
		`The rendered body is not valid JSON: ${found} at line ${line}, column ${column}: ${excerpt}`,
		line,
		column,
		excerpt,
	);
}

class JsonStop {
	constructor(readonly offset: number) {}
}

/** Offset of the first character that breaks strict JSON (RFC 8259), or undefined if valid. */
export function firstJsonError(text: string): number | undefined {
	let i = 0;
	const ws = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
	};
	const fail = (at = i): never => {
		throw new JsonStop(at);
	};
	const literal = (word: string) => {
		for (const char of word) if (text[i++] !== char) fail(i - 1);
	};
	const string = () => {
		i++;
		for (;;) {
			if (i >= text.length) fail();
			const char = text.charCodeAt(i);
			if (char === 0x22) return void i++;
			if (char < 0x20) fail();
			if (char === 0x5c) {
				i++;
				const escape = text[i];
				if (escape === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(i);
					i += 5;
				} else if ('"\\/bfnrt'.includes(escape ?? '!') && escape !== undefined) i++;
				else fail();
			} else i++;
		}
	};
	const number = () => {
		const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
		if (!match || match[0] === '-' || match[0] === '') fail();
		i += (match as RegExpExecArray)[0].length;
	};
	const value = (depth: number): void => {
		if (depth > 500) fail();
		ws();
		const char = text[i];
		if (char === '{') {
			i++;
			ws();
			if (text[i] === '}') return void i++;
			for (;;) {
				ws();
				if (text[i] !== '"') fail();
				string();
				ws();
				if (text[i] !== ':') fail();
				i++;
				value(depth + 1);
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === '}') return void i++;
				else fail();
			}
		}
		if (char === '[') {
			i++;
			ws();
			if (text[i] === ']') return void i++;
			for (;;) {
				value(depth + 1);
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === ']') return void i++;
				else fail();
			}
		}
		if (char === '"') return string();
		if (char === 't') return literal('true');
		if (char === 'f') return literal('false');
		if (char === 'n') return literal('null');
		if (char === '-' || (char >= '0' && char <= '9')) return number();
		fail();
	};
	try {
		value(0);
		ws();
		if (i < text.length) fail();
	} catch (stop) {
		if (stop instanceof JsonStop) return stop.offset;
		return 0;
	}
	return undefined;
}
