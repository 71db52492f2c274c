/**
 * What the local edge can put on the wire, by Node's own rules: a header name or value, a
 * status message, a request target. An edge function's result that breaks them would make
 * Node's `writeHead` / `http.request` throw (ERR_INVALID_CHAR, ERR_INVALID_HTTP_TOKEN,
 * ERR_UNESCAPED_CHARACTERS) — a 500 from the sandbox where CloudFront answers 502 — so the
 * validation of a function's result refuses them first. Pure functions, no I/O.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';

/** Node's `checkInvalidHeaderChar`: a header value or status message may hold HTAB, 0x20–0x7E and 0x80–0xFF. */
const BAD_HEADER_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/u;
/** RFC 9110 token characters, either case (Node's `checkIsHttpToken`). */
const BAD_HEADER_NAME_CHAR = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/u;
/** A request target carries visible ASCII only: no spaces, control characters or anything beyond 0x7E (RFC 9112 §3.2; non-ASCII must be percent-encoded). */
const BAD_TARGET_CHAR = /[^\x21-\x7e]/u;
const SPACE_OR_CONTROL = /[\x00-\x20\x7f]/;

/** The first character `pattern` matches in `text`, as `U+20AC ("€") at index 3`. */
function describeFirst(text: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const char = match[0];
  const code = char.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} (${JSON.stringify(char)}) at index ${match.index}`;
}

/** Why Node cannot send `value` as a header value (or status message): the offending character; undefined when it can. */
export function headerValueFault(value: string): string | undefined {
  try {
    validateHeaderValue('x-edge-check', value);
    return undefined;
  } catch {
    return describeFirst(value, BAD_HEADER_VALUE_CHAR) ?? 'a character Node cannot send';
  }
}

/** A line break or NUL: a header-splitting attempt rather than a stray character (for the message). */
export function hasLineBreakOrNul(value: string): boolean {
  return /[\r\n\0]/.test(value);
}

/** Why Node cannot send `name` as a header name: the offending character, or "an empty name"; undefined when it can. */
export function headerNameFault(name: string): string | undefined {
  try {
    validateHeaderName(name);
    return undefined;
  } catch {
    return name === '' ? 'an empty name' : describeFirst(name, BAD_HEADER_NAME_CHAR) ?? 'a character Node cannot send';
  }
}

/**
 * Why `text` cannot stand in a request target (a path or query string as sent on the request
 * line): 'space-or-control', or a non-ASCII character (described, with its percent-encoding);
 * undefined when it can.
 */
export function requestTargetFault(text: string): { kind: 'space-or-control' } | { kind: 'non-ascii'; char: string; encoded?: string } | undefined {
  if (SPACE_OR_CONTROL.test(text)) return { kind: 'space-or-control' };
  const char = describeFirst(text, BAD_TARGET_CHAR);
  if (char === undefined) return undefined;
  const match = BAD_TARGET_CHAR.exec(text)![0];
  let encoded: string | undefined;
  try {
    encoded = encodeURIComponent(match);
  } catch {
    // A lone surrogate has no UTF-8 form, hence no percent-encoding.
  }
  return encoded === undefined ? { kind: 'non-ascii', char } : { kind: 'non-ascii', char, encoded };
}
