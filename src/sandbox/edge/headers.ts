/** Small helpers on header lists (name case as sent, order kept). */
import type { HeaderPair } from './model.js';

export function getHeader(headers: HeaderPair[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function removeHeader(headers: HeaderPair[], name: string): HeaderPair[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() !== lower);
}

/** Replaces every value of `name` with one. */
export function setHeader(headers: HeaderPair[], name: string, value: string): HeaderPair[] {
  return [...removeHeader(headers, name), [name, value]];
}

/** Node's raw header array ([name, value, name, value, …]) as pairs. */
export function pairsFromRaw(raw: string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** Cookie header values as name/value pairs, in order. */
export function parseCookies(headers: HeaderPair[]): [string, string][] {
  const cookies: [string, string][] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const part of value.split(';')) {
      const trimmed = part.trim();
      if (!trimmed) continue;
      const eq = trimmed.indexOf('=');
      // RFC 6265 §5.2: the name and the value are trimmed of whitespace.
      cookies.push(eq < 0 ? [trimmed, ''] : [trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim()]);
    }
  }
  return cookies;
}

/** The query string's parameters, raw (still percent-encoded), in order; a parameter without '=' has value undefined. */
export function parseQuery(querystring: string): [string, string | undefined][] {
  if (!querystring) return [];
  return querystring.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)];
  });
}

/** A parameter as it was written: `name` alone, or `name=value`. */
export const queryPart = ([name, value]: [string, string | undefined]): string => (value === undefined ? name : `${name}=${value}`);

/** The content codings an Accept-Encoding accepts (a q of 0 refuses one), lower-case. */
export function acceptedEncodings(headers: HeaderPair[]): Set<string> {
  const accepted = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'accept-encoding') continue;
    for (const part of value.split(',')) {
      const [coding, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      if (coding && !(q && Number(q.slice(2)) === 0)) accepted.add(coding.trim());
    }
  }
  return accepted;
}

export function decodeQueryName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
