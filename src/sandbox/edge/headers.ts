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
      cookies.push(eq < 0 ? [trimmed, ''] : [trimmed.slice(0, eq), trimmed.slice(eq + 1)]);
    }
  }
  return cookies;
}

/** The query string's parameters, raw (still percent-encoded), in order. */
export function parseQuery(querystring: string): [string, string][] {
  if (!querystring) return [];
  return querystring.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
  });
}

export function decodeQueryName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
