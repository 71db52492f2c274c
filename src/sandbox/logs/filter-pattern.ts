/**
 * CloudWatch Logs filter patterns, as FilterLogEvents applies them to each event's message.
 * Source: "Filter pattern syntax for metric filters, subscription filters, filter log events,
 * and Live Tail", Amazon CloudWatch Logs User Guide
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 *
 * Terms (unstructured events):
 * - Terms are separated by spaces; an event matches when it contains every term. Matching is
 *   case sensitive and by substring ("ERROR" matches "Exiting with ERRORCODE: -1").
 * - A term with characters other than letters, digits and underscore must be in double
 *   quotes; a quoted term is an exact phrase ("INTERNAL SERVER ERROR"). An unquoted term with
 *   other characters is refused as AWS does: "Invalid character(s) in term '…'".
 * - `?term` is OR: the event must contain at least one of the `?` terms.
 * - `-term` excludes: the event must contain none of the `-` terms (`ERROR -ARGUMENTS`).
 * - An empty pattern matches everything, and so does `" "` ("match everything").
 * - Mixed forms combine as: every plain term, none of the excluded ones, and (when there are
 *   any) at least one of the `?` terms.
 *
 * JSON patterns `{ … }` (events whose message is JSON):
 * - `{ SELECTOR = value }` / `!=`: the selector (`$.a.b`, `$.list[0].id`) must point to a
 *   string, number or boolean; a value may be quoted, bare, have a leading and/or trailing `*`
 *   wildcard (`*Event`, `Event*`; `Ev*ent` is the literal text), be `*` (any value), or be a
 *   `%regex%`.
 * - Numeric comparisons `=, !=, <, >, <=, >=` against numbers (integers, decimals, 1e3).
 * - `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`.
 * - `&&`, `||` and parentheses, with && binding tighter than ||.
 * - A pattern starting with `{` must end with `}` (AWS: "If a filter pattern starts with '{'
 *   it must end with '}'"). An event that is not JSON, or a selector pointing at an object or
 *   array, does not match.
 *
 * Space-delimited patterns `[ip, user, …, status_code = 4*, bytes > 1000]`:
 * - The event is split on spaces; text between double quotes or square brackets is one field.
 * - Each pattern field names one event field (`...` stands for any number of them), with
 *   optional conditions: `= / !=` strings with `*` wildcards, numeric comparisons, `%regex%`,
 *   joined with `&&` / `||`. Without `...` the numbers of fields must be equal.
 *
 * Regular expressions `%…%` (whole pattern, or a value in JSON / space-delimited patterns):
 * searched anywhere in the text; the documented restrictions are enforced (no parentheses, no
 * multi-byte characters), the syntax is JavaScript's, and at most 2 per pattern.
 */
import { invalidParameter } from './input.js';

export type Matcher = (message: string) => boolean;

const invalidPattern = (detail?: string) => invalidParameter(detail ? `Invalid filter pattern: ${detail}` : 'Invalid filter pattern');

/** Compiles a filter pattern; InvalidParameterException when it is not valid. */
export function compileFilterPattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw invalidParameter("If a filter pattern starts with '{' it must end with '}'");
    return jsonPattern(text.slice(1, -1));
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw invalidParameter("If a filter pattern starts with '[' it must end with ']'");
    return delimitedPattern(text.slice(1, -1));
  }
  if (text.length >= 2 && text.startsWith('%') && text.endsWith('%')) {
    const re = regex(text.slice(1, -1));
    return (message) => re.test(message);
  }
  return termsPattern(text);
}

// ---- terms -----------------------------------------------------------------------------

const BARE_TERM = /^[\p{L}\p{N}_]+$/u;

/** Reads a double-quoted string starting at `start` (a `"`); backslash escapes the next character. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) value += text[++i];
    else if (c === '"') return { value, end: i + 1 };
    else value += c;
  }
  throw invalidPattern('unterminated quoted term');
}

function termsPattern(text: string): Matcher {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  let matchesEverything = false;
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const mode = text[i] === '?' ? any : text[i] === '-' ? none : all;
    if (mode !== all) i++;
    let term: string;
    if (text[i] === '"') {
      const quoted = readQuoted(text, i);
      i = quoted.end;
      if (i < text.length && !/\s/.test(text[i]!)) {
        while (i < text.length && !/\s/.test(text[i]!)) i++;
        throw invalidParameter(`Invalid character(s) in term '${text.slice(start, i)}'`);
      }
      if (quoted.value === '') throw invalidParameter(`Invalid character(s) in term '${text.slice(start, i)}'`);
      if (quoted.value.trim() === '') {
        matchesEverything = true;
        continue;
      }
      term = quoted.value;
    } else {
      while (i < text.length && !/\s/.test(text[i]!)) i++;
      term = text.slice(mode === all ? start : start + 1, i);
      if (!BARE_TERM.test(term)) throw invalidParameter(`Invalid character(s) in term '${text.slice(start, i)}'`);
    }
    mode.push(term);
  }
  if (matchesEverything && all.length === 0 && any.length === 0 && none.length === 0) return () => true;
  return (message) => all.every((t) => message.includes(t)) && !none.some((t) => message.includes(t)) && (any.length === 0 || any.some((t) => message.includes(t)));
}

// ---- regular expressions ---------------------------------------------------------------

function regex(source: string): RegExp {
  // Documented restrictions: no ( ) (no subpatterns), no multi-byte characters.
  if (source === '' || /[()]/.test(source) || /[^\x00-\x7f]/.test(source)) throw invalidPattern('unsupported regular expression');
  try {
    return new RegExp(source);
  } catch {
    throw invalidPattern('invalid regular expression');
  }
}

// ---- values shared by JSON and space-delimited patterns ---------------------------------

type Literal = { kind: 'string'; text: string; quoted: boolean } | { kind: 'regex'; re: RegExp };
type Op = '=' | '!=' | '<' | '>' | '<=' | '>=';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** `*` wildcards: only leading / trailing ones in JSON patterns (docs), anywhere in space-delimited ones. */
function wildcardMatch(pattern: string, text: string, anywhere: boolean): boolean {
  if (pattern === '*') return true;
  if (anywhere) {
    const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    return re.test(text);
  }
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return text.includes(core);
  if (leading) return text.endsWith(core);
  if (trailing) return text.startsWith(core);
  return text === core;
}

/** A comparison of one value (a JSON value node, or a space-delimited field's text). */
function compare(value: unknown, op: Op, literal: Literal, wildcardsAnywhere: boolean): boolean {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
  const text = String(value);
  if (literal.kind === 'regex') {
    const found = literal.re.test(text);
    return op === '=' ? found : op === '!=' ? !found : false;
  }
  const numeric = !literal.quoted && NUMBER.test(literal.text);
  if (op !== '=' && op !== '!=') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value) ? Number(value) : NaN;
    if (!numeric || Number.isNaN(n)) return false;
    const l = Number(literal.text);
    return op === '<' ? n < l : op === '>' ? n > l : op === '<=' ? n <= l : n >= l;
  }
  let equal: boolean;
  if (numeric && (typeof value === 'number' || NUMBER.test(text))) equal = Number(text) === Number(literal.text);
  else equal = wildcardMatch(literal.text, text, wildcardsAnywhere);
  return op === '=' ? equal : !equal;
}

// ---- JSON patterns -----------------------------------------------------------------------

type Token = { type: 'punct'; value: '(' | ')' | '&&' | '||' } | { type: 'op'; value: Op } | { type: 'word'; value: string } | { type: 'quoted'; value: string } | { type: 'regex'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: 'punct', value: c });
      i++;
    } else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push({ type: 'punct', value: text.slice(i, i + 2) as '&&' | '||' });
      i += 2;
    } else if (/[=!<>]/.test(c)) {
      const two = text.slice(i, i + 2);
      const op = (['!=', '<=', '>='] as const).find((o) => o === two) ?? (['=', '<', '>'] as const).find((o) => o === c);
      if (!op) throw invalidPattern(`unexpected '${c}'`);
      tokens.push({ type: 'op', value: op });
      i += op.length;
    } else if (c === '"') {
      const quoted = readQuoted(text, i);
      tokens.push({ type: 'quoted', value: quoted.value });
      i = quoted.end;
    } else if (c === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0) throw invalidPattern('unterminated regular expression');
      tokens.push({ type: 'regex', value: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      const start = i;
      while (i < text.length && !/[\s()=!<>"]/.test(text[i]!) && !text.startsWith('&&', i) && !text.startsWith('||', i)) i++;
      tokens.push({ type: 'word', value: text.slice(start, i) });
    }
  }
  return tokens;
}

type Path = (string | number)[];

/** `$.a.b[0].c` → ['a', 'b', 0, 'c']; property names are letters, digits, '-' and '_'. */
function parseSelector(selector: string): Path {
  if (!selector.startsWith('$')) throw invalidPattern(`expected a selector starting with '$', found '${selector}'`);
  const path: Path = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < selector.length) {
    const at = re.lastIndex;
    const match = re.exec(selector);
    if (!match || match.index !== at) throw invalidPattern(`invalid selector '${selector}'`);
    path.push(match[1] !== undefined ? match[1] : Number(match[2]));
  }
  if (path.length === 0) throw invalidPattern(`invalid selector '${selector}'`);
  return path;
}

function resolve(root: unknown, path: Path): { found: boolean; value?: unknown } {
  let node = root;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length) return { found: false };
      node = node[step];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, step)) return { found: false };
      node = (node as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: node };
}

type Condition = (json: unknown) => boolean;

class Parser {
  private at = 0;
  regexCount = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw invalidPattern('unexpected end of pattern');
    return token;
  }

  parse(): Condition {
    const condition = this.or();
    if (this.at < this.tokens.length) throw invalidPattern(`unexpected '${this.tokens[this.at]!.value}'`);
    return condition;
  }

  private or(): Condition {
    const parts = [this.and()];
    while (this.peek()?.value === '||' && this.peek()?.type === 'punct') {
      this.at++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : (json) => parts.some((p) => p(json));
  }

  private and(): Condition {
    const parts = [this.unary()];
    while (this.peek()?.value === '&&' && this.peek()?.type === 'punct') {
      this.at++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0]! : (json) => parts.every((p) => p(json));
  }

  private unary(): Condition {
    const token = this.peek();
    if (token?.type === 'punct' && token.value === '(') {
      this.at++;
      const inner = this.or();
      const close = this.next();
      if (close.type !== 'punct' || close.value !== ')') throw invalidPattern("expected ')'");
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const selector = this.next();
    if (selector.type !== 'word') throw invalidPattern(`expected a selector, found '${selector.value}'`);
    const path = parseSelector(selector.value);
    const next = this.next();
    if (next.type === 'word' && next.value.toUpperCase() === 'IS') {
      const what = this.next();
      const keyword = what.type === 'word' ? what.value.toUpperCase() : '';
      if (keyword === 'NULL') return (json) => { const r = resolve(json, path); return r.found && r.value === null; };
      if (keyword === 'TRUE' || keyword === 'FALSE') return (json) => resolve(json, path).value === (keyword === 'TRUE');
      throw invalidPattern(`expected NULL, TRUE or FALSE after IS`);
    }
    if (next.type === 'word' && next.value.toUpperCase() === 'NOT') {
      const what = this.next();
      if (what.type !== 'word' || what.value.toUpperCase() !== 'EXISTS') throw invalidPattern('expected EXISTS after NOT');
      return (json) => !resolve(json, path).found;
    }
    if (next.type !== 'op') throw invalidPattern(`expected an operator after '${selector.value}'`);
    const literal = this.literal(next.value);
    return (json) => {
      const r = resolve(json, path);
      return r.found && compare(r.value, next.value, literal, false);
    };
  }

  private literal(op: Op): Literal {
    const token = this.next();
    if (token.type === 'regex') {
      if (op !== '=' && op !== '!=') throw invalidPattern('a regular expression needs = or !=');
      if (++this.regexCount > 2) throw invalidPattern('at most 2 regular expressions per filter pattern');
      return { kind: 'regex', re: regex(token.value) };
    }
    if (token.type !== 'word' && token.type !== 'quoted') throw invalidPattern(`expected a value after '${op}'`);
    const quoted = token.type === 'quoted';
    if (op !== '=' && op !== '!=' && (quoted || !NUMBER.test(token.value))) throw invalidPattern(`'${op}' needs a number`);
    return { kind: 'string', text: token.value, quoted };
  }
}

function jsonPattern(body: string): Matcher {
  const condition = new Parser(tokenize(body)).parse();
  return (message) => {
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof json === 'object' && json !== null && condition(json);
  };
}

// ---- space-delimited patterns ------------------------------------------------------------

/** An event's fields: split on spaces, "quoted" and [bracketed] text being one field each. */
export function splitFields(message: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < message.length) {
    const c = message[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '"' || c === '[') {
      const close = message.indexOf(c === '"' ? '"' : ']', i + 1);
      const end = close < 0 ? message.length : close;
      fields.push(message.slice(i + 1, end));
      i = end + 1;
    } else {
      const start = i;
      while (i < message.length && message[i] !== ' ' && message[i] !== '\t') i++;
      fields.push(message.slice(start, i));
    }
  }
  return fields;
}

type FieldSpec = 'ellipsis' | ((field: string) => boolean);

/** Splits on commas outside double quotes and %regex%. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const c of body) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === '%') {
      quote = c;
    } else if (c === ',') {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

function fieldSpec(text: string, regexes: { count: number }): FieldSpec {
  const spec = text.trim();
  if (spec === '...' || spec === '…') return 'ellipsis';
  const tokens = tokenize(spec);
  if (tokens.length === 0) throw invalidPattern('empty field');
  const name = tokens[0]!;
  if (name.type !== 'word' || !/^[A-Za-z0-9_]+$/.test(name.value)) throw invalidPattern(`invalid field '${spec}'`);
  if (tokens.length === 1) return () => true;
  // name op value ((&& | ||) name op value)*, && binding tighter than ||.
  const alternatives: ((field: string) => boolean)[][] = [[]];
  let i = 0;
  while (i < tokens.length) {
    const field = tokens[i];
    const op = tokens[i + 1];
    const value = tokens[i + 2];
    if (!field || field.type !== 'word' || !op || op.type !== 'op' || !value) throw invalidPattern(`invalid condition in '${spec}'`);
    let literal: Literal;
    if (value.type === 'regex') {
      if (++regexes.count > 2) throw invalidPattern('at most 2 regular expressions per filter pattern');
      literal = { kind: 'regex', re: regex(value.value) };
    } else if (value.type === 'word' || value.type === 'quoted') {
      literal = { kind: 'string', text: value.value, quoted: value.type === 'quoted' };
    } else {
      throw invalidPattern(`invalid condition in '${spec}'`);
    }
    alternatives.at(-1)!.push((f) => compare(f, op.value, literal, true));
    const joiner = tokens[i + 3];
    if (joiner === undefined) break;
    if (joiner.type !== 'punct' || (joiner.value !== '&&' && joiner.value !== '||')) throw invalidPattern(`invalid condition in '${spec}'`);
    if (joiner.value === '||') alternatives.push([]);
    i += 4;
  }
  return (f) => alternatives.some((all) => all.every((test) => test(f)));
}

function delimitedPattern(body: string): Matcher {
  const regexes = { count: 0 };
  const specs = splitTopLevel(body).filter((part, index, all) => !(index === all.length - 1 && part.trim() === '' && all.length > 1)).map((part) => fieldSpec(part, regexes));
  const match = (fields: string[], f: number, s: number): boolean => {
    if (s === specs.length) return f === fields.length;
    const spec = specs[s]!;
    if (spec === 'ellipsis') {
      for (let skip = f; skip <= fields.length; skip++) if (match(fields, skip, s + 1)) return true;
      return false;
    }
    return f < fields.length && spec(fields[f]!) && match(fields, f + 1, s + 1);
  };
  return (message) => match(splitFields(message), 0, 0);
}
