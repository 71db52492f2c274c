/**
 * Pagination tokens. CloudWatch Logs' tokens are opaque strings; the sandbox's are a cursor
 * (the sort key of the last item a page returned), base64url-encoded with the kind of list
 * they belong to, so they are stable (the same position always gives the same token), survive
 * items added or removed meanwhile (a page starts after the cursor, not at an offset) and a
 * token of another list is refused.
 *
 * GetLogEvents' tokens keep the shape AWS's have, `f/<56 digits>/s` and `b/<56 digits>/s`
 * (forward / backward), the digits being an event id the page starts after (before).
 */
import { invalidParameter } from './input.js';

/** AWS's wording for a token it cannot read (as emulators and clients quote it). */
export const invalidToken = () => invalidParameter('The specified nextToken is invalid.');

export function encodeToken(kind: string, cursor: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...cursor]), 'utf8').toString('base64url');
}

/** The cursor of a token of `kind`; InvalidParameterException for anything else. */
export function decodeToken(token: string, kind: string): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || parsed.slice(1).some((v) => typeof v !== 'string' && typeof v !== 'number')) throw invalidToken();
  return parsed.slice(1) as (string | number)[];
}

/** Orders two cursors (tuples of strings and numbers) element by element. */
export function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * One page of `items` (already in order, `key` giving each one's cursor): those after the
 * token's cursor, at most `limit`; a next token when more follow.
 */
export function pageOf<T>(items: readonly T[], key: (item: T) => (string | number)[], kind: string, limit: number, token: string | undefined, descending = false): { page: T[]; nextToken?: string } {
  const sign = descending ? -1 : 1;
  const start = token === undefined ? 0 : (() => {
    const cursor = decodeToken(token, kind);
    const index = items.findIndex((item) => sign * compareKeys(key(item), cursor) > 0);
    return index < 0 ? items.length : index;
  })();
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return more ? { page, nextToken: encodeToken(kind, key(page.at(-1)!)) } : { page };
}

// ---- GetLogEvents ----------------------------------------------------------------------

const EVENT_TOKEN = /^([fb])\/(\d{56})\/s$/;

/** The id before every event: the tokens of an empty stream point at it. */
export const ZERO_ID = '0'.repeat(56);

export interface EventToken {
  direction: 'f' | 'b';
  /** An event id (56 digits): forward tokens read the events after it, backward ones those before. */
  id: string;
}

export function parseEventToken(token: string): EventToken {
  const match = EVENT_TOKEN.exec(token);
  if (!match) throw invalidToken();
  return { direction: match[1] as 'f' | 'b', id: match[2]! };
}

export const eventToken = (direction: 'f' | 'b', id: string): string => `${direction}/${id}/s`;

/** The 56-digit id one after / before `id`, so a boundary can include the event at `id`. */
export function shiftId(id: string, by: 1 | -1): string {
  const value = BigInt(id) + BigInt(by);
  if (value < 0n) return ZERO_ID;
  const digits = value.toString();
  return digits.length > 56 ? '9'.repeat(56) : digits.padStart(56, '0');
}

