/**
 * Header hygiene. CloudFront validates what a Lambda@Edge function returns and answers 502
 * when the function added a header it forbids or changed one that is read-only for the event
 * ("The Lambda function result failed validation"). Every handler goes through these helpers:
 * the proxy sets headers only with `setHeader` (which refuses such names), and the enforcer
 * wrappers pass the vendor SDK's result through `enforceHeaderRules` (which undoes such
 * changes) before CloudFront sees it.
 *
 * Lists from the CloudFront Developer Guide, "Restrictions on edge functions" (disallowed
 * headers; read-only headers per event).
 */
import type { CloudFrontHeaders, EventType } from './cloudfront.js';

/** Headers a function may never add or change, in any event. */
const FORBIDDEN_NAMES = new Set(['connection', 'expect', 'keep-alive', 'trailer', 'upgrade', 'x-cache', 'x-forwarded-proto', 'x-real-ip']);
/** …and every header starting with one of these (Proxy-Authenticate, X-Accel-Redirect, X-Amz-Cf-Id, X-Amzn-RequestId, X-Edge-Location, …). */
const FORBIDDEN_PREFIXES = ['proxy-', 'x-accel-', 'x-amz-cf-', 'x-amzn-', 'x-edge-'];

export function isForbiddenHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_NAMES.has(lower)) return true;
  for (const prefix of FORBIDDEN_PREFIXES) if (lower.startsWith(prefix)) return true;
  return false;
}

/** Headers the function may read but not add, remove or change, per event. */
const READ_ONLY: Record<EventType, { names: ReadonlySet<string>; prefixes: readonly string[] }> = {
  'viewer-request': { names: new Set(['content-length', 'host', 'transfer-encoding', 'via']), prefixes: [] },
  'origin-request': { names: new Set(['accept-encoding', 'content-length', 'transfer-encoding', 'via']), prefixes: ['if-'] },
  'origin-response': { names: new Set(['transfer-encoding', 'via']), prefixes: [] },
  'viewer-response': { names: new Set(['content-encoding', 'content-length', 'transfer-encoding', 'warning', 'via']), prefixes: [] },
};

export function isReadOnlyHeader(eventType: EventType, name: string): boolean {
  const rules = READ_ONLY[eventType];
  if (!rules) return false;
  const lower = name.toLowerCase();
  if (rules.names.has(lower)) return true;
  for (const prefix of rules.prefixes) if (lower.startsWith(prefix)) return true;
  return false;
}

/** The first value of a header, or undefined. */
export function getHeader(headers: CloudFrontHeaders, name: string): string | undefined {
  return headers[name.toLowerCase()]?.[0]?.value;
}

/**
 * Sets one header (replacing any values it had), `key` in its wire case. Refuses, by throwing,
 * a header CloudFront forbids or one read-only for `eventType`: a programming error that would
 * otherwise be a 502 for every viewer.
 */
export function setHeader(headers: CloudFrontHeaders, eventType: EventType, key: string, value: string): void {
  const name = key.toLowerCase();
  if (isForbiddenHeader(name)) throw new Error(`refusing to set ${key}: CloudFront forbids Lambda@Edge functions to set it`);
  if (isReadOnlyHeader(eventType, name)) throw new Error(`refusing to set ${key}: it is read-only in ${eventType} events`);
  headers[name] = [{ key, value }];
}

/** Removes a header. Refuses a read-only one, like setHeader. */
export function deleteHeader(headers: CloudFrontHeaders, eventType: EventType, name: string): void {
  const lower = name.toLowerCase();
  if (!(lower in headers)) return;
  if (isReadOnlyHeader(eventType, lower)) throw new Error(`refusing to remove ${name}: it is read-only in ${eventType} events`);
  delete headers[lower];
}

/** Removes every header whose name starts with `prefix` (lowercase), e.g. viewer-supplied `fpjs-proxy-*`. */
export function deleteHeadersWithPrefix(headers: CloudFrontHeaders, eventType: EventType, prefix: string): void {
  for (const name of Object.keys(headers)) if (name.toLowerCase().startsWith(prefix)) deleteHeader(headers, eventType, name);
}

/**
 * Keeps only the cookies `keep` accepts, across every `cookie` header entry, as one entry
 * (`a=1; b=2`); removes the header when none is left.
 */
export function filterCookies(headers: CloudFrontHeaders, eventType: EventType, keep: (name: string, value: string) => boolean): void {
  const entries = headers.cookie;
  if (!entries) return;
  const kept: string[] = [];
  for (const entry of entries) {
    for (const pair of entry.value.split(';')) {
      const trimmed = pair.trim();
      if (trimmed === '') continue;
      const eq = trimmed.indexOf('=');
      const name = eq < 0 ? trimmed : trimmed.slice(0, eq).trim();
      if (keep(name, eq < 0 ? '' : trimmed.slice(eq + 1).trim())) kept.push(trimmed);
    }
  }
  if (kept.length === 0) deleteHeader(headers, eventType, 'cookie');
  else setHeader(headers, eventType, 'Cookie', kept.join('; '));
}

const sameEntries = (a: CloudFrontHeaders[string] | undefined, b: CloudFrontHeaders[string] | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  return a.every((entry, i) => entry.value === b[i]!.value);
};

/**
 * Makes `after` acceptable to CloudFront given `before` (the headers the function received):
 * a forbidden header that was not in `before` with the same values is removed, and every
 * read-only header of the event is put back as it was (restored, or removed when it was
 * added). Map keys that are not lowercase are lowercased (merging entries). Returns the names
 * it had to correct, for a log line; `before` is undefined for a response the function
 * generated, where only the forbidden headers apply.
 */
export function enforceHeaderRules(eventType: EventType, before: CloudFrontHeaders | undefined, after: CloudFrontHeaders): string[] {
  const corrected: string[] = [];
  for (const name of Object.keys(after)) {
    const lower = name.toLowerCase();
    if (lower !== name) {
      after[lower] = [...(after[lower] ?? []), ...(after[name] ?? [])];
      delete after[name];
      corrected.push(lower);
    }
  }
  for (const name of Object.keys(after)) {
    const entries = after[name]!;
    for (const entry of entries) {
      if (entry.key !== undefined && entry.key.toLowerCase() !== name) {
        entry.key = name;
        corrected.push(name);
      }
    }
    if (isForbiddenHeader(name) && !sameEntries(before?.[name], entries)) {
      delete after[name];
      corrected.push(name);
    }
  }
  if (before) {
    const names = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const name of names) {
      if (!isReadOnlyHeader(eventType, name) || sameEntries(before[name], after[name])) continue;
      const original = before[name];
      if (original === undefined) delete after[name];
      else after[name] = original.map((entry) => ({ ...entry }));
      corrected.push(name);
    }
  }
  return [...new Set(corrected)];
}

/** A deep copy of a header map (for comparing what a function returned with what it was given). */
export function copyHeaders(headers: CloudFrontHeaders): CloudFrontHeaders {
  const copy: CloudFrontHeaders = {};
  for (const [name, entries] of Object.entries(headers)) copy[name] = entries.map((entry) => ({ ...entry }));
  return copy;
}
