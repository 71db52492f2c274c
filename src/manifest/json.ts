/**
 * JSON text → value, with what JSON.parse does not say: the line and column of a syntax
 * error (Node 20's messages often carry neither), and keys that appear twice in one object
 * (JSON.parse silently keeps the last, which would drop a function or an origin unseen).
 * The value itself always comes from JSON.parse; the scanner below only locates problems.
 */
import type { PathSegment } from './errors.js';

export interface JsonLocation {
  line: number;
  column: number;
}

export interface DuplicateKey extends JsonLocation {
  /** Path of the repeated key. */
  path: PathSegment[];
}

export type JsonParseResult =
  | { ok: true; value: unknown; duplicates: DuplicateKey[] }
  | { ok: false; error: JsonLocation & { message: string } };

/** 1-based line and column of a character offset. */
export function locate(text: string, offset: number): JsonLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A strict JSON scanner (RFC 8259) that records duplicate keys and throws ScanError at the first bad character. */
class Scanner {
  private i = 0;
  readonly duplicates: { path: PathSegment[]; offset: number }[] = [];

  constructor(private readonly text: string) {}

  document(): void {
    this.space();
    this.value([]);
    this.space();
    if (this.i < this.text.length) throw this.unexpected('after the end of the JSON document');
  }

  private value(path: PathSegment[]): void {
    const c = this.text[this.i];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return void this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    throw this.unexpected('where a value was expected');
  }

  private object(path: PathSegment[]): void {
    this.i++;
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') {
        throw this.text[this.i] === '}'
          ? new ScanError('trailing comma before }', this.i)
          : this.unexpected('where a "quoted" property name was expected');
      }
      const keyOffset = this.i;
      const key = this.string();
      if (seen.has(key)) this.duplicates.push({ path: [...path, key], offset: keyOffset });
      seen.add(key);
      this.space();
      if (this.text[this.i] !== ':') throw this.unexpected('where : was expected');
      this.i++;
      this.space();
      this.value([...path, key]);
      this.space();
      const c = this.text[this.i];
      this.i++;
      if (c === '}') return;
      if (c !== ',') {
        this.i--;
        throw this.unexpected('where , or } was expected');
      }
    }
  }

  private array(path: PathSegment[]): void {
    this.i++;
    this.space();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      this.space();
      if (this.text[this.i] === ']') throw new ScanError('trailing comma before ]', this.i);
      this.value([...path, index]);
      this.space();
      const c = this.text[this.i];
      this.i++;
      if (c === ']') return;
      if (c !== ',') {
        this.i--;
        throw this.unexpected('where , or ] was expected');
      }
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) throw new ScanError('unterminated string', start);
      if (c === '"') break;
      if (c < ' ') throw new ScanError('control character (such as a line break) inside a string', this.i);
      if (c === '\\') {
        const e = this.text[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) throw new ScanError('invalid \\u escape', this.i);
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new ScanError('invalid escape sequence', this.i);
        this.i += 2;
        continue;
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!match || match[0] === '-') throw new ScanError('invalid number', this.i);
    this.i += match[0].length;
  }

  private space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++;
  }

  private unexpected(where: string): ScanError {
    const c = this.text[this.i];
    if (c === undefined) return new ScanError('unexpected end of file (is a closing } or ] missing?)', this.i);
    const shown = c === "'" ? "' (JSON strings use double quotes)" : c === '/' ? '/ (JSON has no comments)' : JSON.stringify(c).slice(1, -1);
    return new ScanError(`unexpected ${shown} ${where}`, this.i);
  }
}

export function parseJson(text: string): JsonParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const scanner = new Scanner(body);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    try {
      scanner.document();
    } catch (scan) {
      if (scan instanceof ScanError) return { ok: false, error: { message: scan.message, ...locate(body, scan.offset) } };
      throw scan;
    }
    // The scanner found nothing (it should have): report JSON.parse's own words.
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    return { ok: false, error: { message, ...locate(body, position ? Number(position[1]) : body.length) } };
  }
  try {
    scanner.document();
  } catch {
    // JSON.parse accepted it; trust it and report no duplicates.
    return { ok: true, value, duplicates: [] };
  }
  return { ok: true, value, duplicates: scanner.duplicates.map((d) => ({ path: d.path, ...locate(body, d.offset) })) };
}
