/**
 * Metric math for GetMetricData `Expression` ("Metric math syntax and functions", Amazon
 * CloudWatch User Guide), the part the sandbox supports: arithmetic on query ids and numbers
 * (`+ - * / ^`, unary minus, parentheses) — e.g. the CloudFront console's
 * `(m4+m5+m6)/m7*100` ("5xxErrorByLambdaEdge") or `100 * errors / requests` — and the functions
 * `ABS(x)` and `FILL(series, value)`.
 *
 * "Arithmetic operators … If you use an operator on two time series, … the operation is applied
 * to values with the same timestamp": a timestamp missing from either side has no result there
 * (use FILL to treat gaps as a value). A division by zero has no value at that timestamp (the
 * sandbox's choice: CloudWatch graphs show a gap). Metrics Insights queries (`SELECT …`) and the
 * other functions (SEARCH, METRICS, IF, RATE, …) are refused with a ValidationError.
 */

export class ExpressionError extends Error {}

/** A time series: values by period start (epoch ms), with the periods of the request window it came from. */
export interface TimeSeries {
  kind: 'series';
  points: Map<number, number>;
  /** The periods FILL fills: start, start + periodMs, … before end. */
  grid: { start: number; end: number; periodMs: number };
}

/** Sandbox bound on the periods FILL makes: GetMetricData's default MaxDatapoints. */
const MAX_FILLED = 100_800;

export type MathValue = number | TimeSeries;

type Node =
  | { type: 'number'; value: number }
  | { type: 'id'; name: string }
  | { type: 'neg'; operand: Node }
  | { type: 'binary'; op: '+' | '-' | '*' | '/' | '^'; left: Node; right: Node }
  | { type: 'call'; name: string; args: Node[] };

interface Token {
  kind: 'number' | 'name' | 'op' | 'end';
  text: string;
  at: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^(),]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    re.lastIndex = at;
    const match = re.exec(source);
    if (!match) throw new ExpressionError(`Unexpected character '${source.slice(at).trim()[0]}' at position ${at + 1}.`);
    const start = at + match[0].length - (match[1] ?? match[2] ?? match[3])!.length;
    if (match[1] !== undefined) tokens.push({ kind: 'number', text: match[1], at: start });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', text: match[2], at: start });
    else tokens.push({ kind: 'op', text: match[3]!, at: start });
    at = re.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}

/** Parses an expression; throws ExpressionError with the reason. */
export function parseExpression(source: string): Node {
  if (/^\s*SELECT\b/i.test(source)) throw new ExpressionError('Metrics Insights queries are not supported by the sandbox.');
  const tokens = tokenize(source);
  let i = 0;
  const peek = (): Token => tokens[i]!;
  const next = (): Token => tokens[i++]!;
  const expect = (text: string): void => {
    const token = next();
    if (token.text !== text) throw new ExpressionError(`Expected '${text}' at position ${token.at + 1}.`);
  };

  const primary = (): Node => {
    const token = next();
    if (token.kind === 'number') return { type: 'number', value: Number(token.text) };
    if (token.kind === 'name') {
      if (peek().text === '(') {
        i++;
        const args: Node[] = [];
        if (peek().text !== ')') {
          args.push(additive());
          while (peek().text === ',') {
            i++;
            args.push(additive());
          }
        }
        expect(')');
        return { type: 'call', name: token.text.toUpperCase(), args };
      }
      return { type: 'id', name: token.text };
    }
    if (token.text === '(') {
      const inner = additive();
      expect(')');
      return inner;
    }
    throw new ExpressionError(token.kind === 'end' ? 'Unexpected end of expression.' : `Unexpected '${token.text}' at position ${token.at + 1}.`);
  };
  // `^` binds tighter than a unary minus (-x^2 is -(x^2)) and to the right.
  const power = (): Node => {
    const base = primary();
    if (peek().text === '^') {
      i++;
      return { type: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const unary = (): Node => {
    if (peek().text === '-') {
      i++;
      return { type: 'neg', operand: unary() };
    }
    if (peek().text === '+') {
      i++;
      return unary();
    }
    return power();
  };
  const multiplicative = (): Node => {
    let left = unary();
    while (peek().text === '*' || peek().text === '/') {
      const op = next().text as '*' | '/';
      left = { type: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const additive = (): Node => {
    let left = multiplicative();
    while (peek().text === '+' || peek().text === '-') {
      const op = next().text as '+' | '-';
      left = { type: 'binary', op, left, right: multiplicative() };
    }
    return left;
  };

  const tree = additive();
  if (peek().kind !== 'end') throw new ExpressionError(`Unexpected '${peek().text}' at position ${peek().at + 1}.`);
  return tree;
}

/** The query ids an expression reads. */
export function referencedIds(node: Node): string[] {
  switch (node.type) {
    case 'id':
      return [node.name];
    case 'neg':
      return referencedIds(node.operand);
    case 'binary':
      return [...referencedIds(node.left), ...referencedIds(node.right)];
    case 'call':
      return node.args.flatMap(referencedIds);
    default:
      return [];
  }
}

function apply(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    default: {
      const r = a ** b;
      return Number.isFinite(r) ? r : undefined;
    }
  }
}

function combine(op: string, left: MathValue, right: MathValue): MathValue {
  if (typeof left === 'number' && typeof right === 'number') {
    const r = apply(op, left, right);
    if (r === undefined) throw new ExpressionError('Division by zero.');
    return r;
  }
  const series = (typeof left === 'number' ? right : left) as TimeSeries;
  const points = new Map<number, number>();
  for (const [t, v] of series.points) {
    const a = typeof left === 'number' ? left : left.points.get(t);
    const b = typeof right === 'number' ? right : right.points.get(t);
    if (a === undefined || b === undefined) continue;
    const r = apply(op, a, b);
    if (r !== undefined) points.set(t, r);
  }
  return { kind: 'series', points, grid: series.grid };
}

/** Evaluates a parsed expression; `lookup` gives the value of a query id (or throws). */
export function evaluate(node: Node, lookup: (id: string) => MathValue): MathValue {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'id':
      return lookup(node.name);
    case 'neg':
      return combine('*', -1, evaluate(node.operand, lookup));
    case 'binary':
      return combine(node.op, evaluate(node.left, lookup), evaluate(node.right, lookup));
    case 'call': {
      const args = node.args.map((a) => evaluate(a, lookup));
      if (node.name === 'ABS') {
        if (args.length !== 1) throw new ExpressionError('ABS takes one argument.');
        const [x] = args;
        if (typeof x === 'number') return Math.abs(x);
        return { kind: 'series', points: new Map([...x!.points].map(([t, v]) => [t, Math.abs(v)])), grid: x!.grid };
      }
      if (node.name === 'FILL') {
        const [series, value] = args;
        if (args.length !== 2 || typeof series !== 'object' || typeof value !== 'number') throw new ExpressionError('FILL takes a time series and a number.');
        const points = new Map<number, number>();
        const { start, end, periodMs } = series.grid;
        for (let t = start, n = 0; t < end && n < MAX_FILLED; t += periodMs, n++) points.set(t, series.points.get(t) ?? value);
        return { kind: 'series', points, grid: series.grid };
      }
      throw new ExpressionError(`Unsupported function ${node.name}.`);
    }
  }
}
