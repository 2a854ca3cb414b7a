/**
 * A test-side evaluator of CloudWatch Logs JSON filter patterns, because neither moto nor any library evaluates them.
 * It covers the grammar the trail's subscription pattern uses and the documented examples it is tested on:
 *
 * - `{ EXPR }`, where EXPR joins terms with `&&` and `||` (`&&` binds tighter) and groups them in parentheses;
 * - `$.a.b[0].c = VALUE` and `!=`: VALUE is a quoted or bare string, where a leading or trailing `*` matches any text
 *   (a `*` inside is itself), a number, or a regular expression between `%` signs;
 * - `<`, `>`, `<=`, `>=` against a number; `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS`.
 *
 * A comparison holds only where the selector reaches a string or a number: on an object or array it is false, with
 * `=` or `!=` alike. Regular expressions are checked against what CloudWatch Logs accepts (no parentheses, only the
 * listed symbols, at most two per pattern); AWS does not say whether one must match the whole value or only part of
 * it, so the evaluator does either (`regexMode`) and the tests run both.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */

/** How a regular expression meets a value: matching all of it, or found anywhere in it. */
export type RegexMode = 'whole-value' | 'search';

/** Whether the value a selector reached (`present` false when it reached nothing) passes a term. */
type ValueTest = (value: unknown, present: boolean, mode: RegexMode) => boolean;

type Node =
  | { readonly kind: 'or'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'and'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'test'; readonly path: ReadonlyArray<string | number>; readonly test: ValueTest };

/** The characters a CloudWatch Logs regular expression may hold: letters, digits, the listed symbols and operators. */
const REGEX_CHARACTERS = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+. ]*$/;

const MAX_REGEX = 2;

/** A parsed filter pattern, ready to test log events against. */
export interface FilterPattern {
  matches(logEvent: string, regexMode?: RegexMode): boolean;
}

/** Parses a JSON filter pattern; throws on anything CloudWatch Logs would refuse that the grammar above covers. */
export function parseFilterPattern(pattern: string): FilterPattern {
  const parser = new Parser(pattern);
  const root = parser.pattern();
  return {
    matches: (logEvent, regexMode = 'search') => {
      let json: unknown;
      try {
        json = JSON.parse(logEvent);
      } catch {
        return false;
      }
      return evaluate(root, json, regexMode);
    },
  };
}

function evaluate(node: Node, json: unknown, mode: RegexMode): boolean {
  if (node.kind === 'or') return evaluate(node.left, json, mode) || evaluate(node.right, json, mode);
  if (node.kind === 'and') return evaluate(node.left, json, mode) && evaluate(node.right, json, mode);
  let at: unknown = json;
  for (const step of node.path) {
    if (at === null || typeof at !== 'object' || (typeof step === 'number') !== Array.isArray(at)) return node.test(undefined, false, mode);
    if (!Object.hasOwn(at, step)) return node.test(undefined, false, mode);
    at = (at as Record<string | number, unknown>)[step];
  }
  return node.test(at, true, mode);
}

/** Whether a value is a JSON value node a comparison can apply to. */
const isValueNode = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

function stringTest(text: string): (value: string) => boolean {
  const starts = text.startsWith('*');
  const ends = text.endsWith('*') && text.length > 1;
  const core = text.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return (v) => v.includes(core);
  if (starts) return (v) => v.endsWith(core);
  if (ends) return (v) => v.startsWith(core);
  return (v) => v === text;
}

class Parser {
  private at = 0;
  private regexCount = 0;

  constructor(private readonly text: string) {}

  pattern(): Node {
    this.expect('{');
    const node = this.or();
    this.expect('}');
    this.space();
    if (this.at !== this.text.length) this.fail('text after the closing brace');
    return node;
  }

  private or(): Node {
    let left = this.and();
    while (this.take('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.primary();
    while (this.take('&&')) left = { kind: 'and', left, right: this.primary() };
    return left;
  }

  private primary(): Node {
    if (this.take('(')) {
      const node = this.or();
      this.expect(')');
      return node;
    }
    const path = this.selector();
    if (this.take('IS TRUE')) return { kind: 'test', path, test: (v) => v === true };
    if (this.take('IS FALSE')) return { kind: 'test', path, test: (v) => v === false };
    if (this.take('IS NULL')) return { kind: 'test', path, test: (v, present) => present && v === null };
    if (this.take('NOT EXISTS')) return { kind: 'test', path, test: (_v, present) => !present };
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (this.take(op)) return { kind: 'test', path, test: this.comparison(op) };
    }
    return this.fail('a comparison, IS TRUE, IS FALSE, IS NULL or NOT EXISTS');
  }

  private comparison(op: '=' | '!=' | '<' | '>' | '<=' | '>='): ValueTest {
    this.space();
    if (this.text[this.at] === '%') {
      if (op !== '=' && op !== '!=') this.fail('= or != before a regular expression');
      const source = this.regex();
      const whole = new RegExp(`^(?:${source})$`);
      const anywhere = new RegExp(source);
      const matches = (v: string, mode: RegexMode) => (mode === 'search' ? anywhere : whole).test(v);
      return (v, _present, mode) => typeof v === 'string' && (op === '=' ? matches(v, mode) : !matches(v, mode));
    }
    const value = this.value();
    const number = value.quoted ? undefined : Number(value.text);
    if (op !== '=' && op !== '!=') {
      if (number === undefined || Number.isNaN(number)) this.fail('a number');
      const compare = { '<': (a: number) => a < number!, '>': (a: number) => a > number!, '<=': (a: number) => a <= number!, '>=': (a: number) => a >= number! }[op];
      return (v) => typeof v === 'number' && compare(v);
    }
    const equal = (v: string | number) => (typeof v === 'number' && number !== undefined && !Number.isNaN(number)
      ? v === number
      : stringTest(value.text)(String(v)));
    return (v) => isValueNode(v) && (op === '=' ? equal(v) : !equal(v));
  }

  private selector(): Array<string | number> {
    this.space();
    if (!this.text.startsWith('$', this.at)) this.fail('a selector starting with $');
    this.at++;
    const path: Array<string | number> = [];
    for (;;) {
      const property = /^\.([A-Za-z0-9_-]+)/.exec(this.text.slice(this.at));
      const index = /^\[(\d+)\]/.exec(this.text.slice(this.at));
      if (property) path.push(property[1]);
      else if (index) path.push(Number(index[1]));
      else break;
      this.at += (property ?? index)![0].length;
    }
    if (path.length === 0) this.fail('a property after $');
    return path;
  }

  private value(): { text: string; quoted: boolean } {
    if (this.text[this.at] === '"') {
      const end = this.text.indexOf('"', this.at + 1);
      if (end < 0) this.fail('a closing quote');
      const text = this.text.slice(this.at + 1, end);
      this.at = end + 1;
      return { text, quoted: true };
    }
    const bare = /^[^\s()&|}]+/.exec(this.text.slice(this.at));
    if (!bare) this.fail('a value');
    this.at += bare![0].length;
    return { text: bare![0], quoted: false };
  }

  private regex(): string {
    const end = this.text.indexOf('%', this.at + 1);
    if (end < 0) this.fail('a closing %');
    const source = this.text.slice(this.at + 1, end);
    if (!REGEX_CHARACTERS.test(source) || source.includes('(') || source.includes(')')) this.fail(`a regular expression of the characters CloudWatch Logs accepts, not %${source}%`);
    if (++this.regexCount > MAX_REGEX) this.fail(`at most ${MAX_REGEX} regular expressions`);
    this.at = end + 1;
    return source;
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private take(token: string): boolean {
    this.space();
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.take(token)) this.fail(`'${token}'`);
  }

  private fail(wanted: string): never {
    throw new Error(`Filter pattern: expected ${wanted} at character ${this.at}: ${this.text.slice(this.at, this.at + 40)}`);
  }
}
