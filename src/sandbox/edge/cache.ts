/**
 * The edge cache of the local edge: one per sandbox, keyed by the cache key (forwarding.ts),
 * timed by the sandbox clock so a test moves past a TTL with `POST /_sandbox/advance`.
 *
 * How long a response stays (CloudFront Developer Guide, "Manage how long content stays in
 * the cache (expiration)"): `s-maxage`, else `max-age`, else `Expires`, clamped to the
 * policy's [MinTTL, MaxTTL]; none of them → DefaultTTL. `no-cache`, `no-store` or `private`
 * → not cached when MinTTL is 0, else cached for MinTTL. MaxTTL 0 (CachingDisabled) caches
 * nothing. Error responses (the status codes CloudFront caches, "Caching error responses")
 * stay for the custom error response's ErrorCachingMinTTL, else 10 seconds.
 * Invalidations: an entry stored before an invalidation whose paths match it is a miss
 * (counted, not timed: an object stored in the same millisecond as an invalidation is after it).
 */
import type { EdgeResponse } from './model.js';
import { getHeader } from './headers.js';
import type { CacheSettings } from './policy-view.js';
import { pathMatches } from './path-match.js';

/** "Caching error responses": the 4xx/5xx codes CloudFront caches. */
const CACHED_ERRORS = new Set([400, 403, 404, 405, 414, 500, 501, 502, 503, 504]);
const CACHED_SUCCESS = new Set([200, 203, 206, 300, 301, 410]);
const DEFAULT_ERROR_CACHING_SECONDS = 10;
const MAX_ENTRIES = 5_000;

/** What is stored with a response. */
export interface Stored {
  distributionId: string;
  uri: string;
  response: EdgeResponse;
  /** The origin answered an error or a custom error page was served: viewer-response does not run on it. */
  skipViewerResponse: boolean;
  /** How many invalidations the distribution had when this was stored: only later ones can invalidate it. */
  invalidationsSeen: number;
}

interface Entry extends Stored {
  storedAt: number;
  expiresAt: number;
}

/** A distribution's invalidations, oldest first. */
export interface InvalidationView {
  paths: string[];
}

function directives(response: EdgeResponse): Map<string, string | true> {
  const map = new Map<string, string | true>();
  for (const [name, value] of response.headers) {
    if (name.toLowerCase() !== 'cache-control') continue;
    for (const part of value.split(',')) {
      const [k, v] = part.trim().split('=', 2);
      if (k) map.set(k.toLowerCase(), v === undefined ? true : v.replace(/^"|"$/g, ''));
    }
  }
  return map;
}

const seconds = (v: string | true | undefined): number | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * Seconds to keep what the origin answered (`response` is the origin's, also when a custom
 * error page is served in its place), 0 for not at all. Errors ("How CloudFront processes
 * and caches HTTP 4xx and 5xx status codes from your origin"): the larger of max-age and the
 * ErrorCachingMinTTL (default 10 s); not at all with no-store, no-cache or private.
 */
export function ttlSeconds(response: EdgeResponse, settings: CacheSettings, now: number, errorCachingMinTtl?: number): number {
  if (settings.maxTtl === 0) return 0;
  const cc = directives(response);
  const uncacheable = cc.has('no-cache') || cc.has('no-store') || cc.has('private');
  if (response.status >= 400) {
    if (!CACHED_ERRORS.has(response.status) || uncacheable) return 0;
    const floor = errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_SECONDS;
    return Math.max(floor, seconds(cc.get('s-maxage')) ?? seconds(cc.get('max-age')) ?? 0);
  }
  if (!CACHED_SUCCESS.has(response.status)) return 0;
  if (uncacheable) return settings.minTtl;
  let ttl = seconds(cc.get('s-maxage')) ?? seconds(cc.get('max-age'));
  if (ttl === undefined) {
    const expires = Date.parse(getHeader(response.headers, 'expires') ?? '');
    if (!Number.isNaN(expires)) ttl = Math.max(0, Math.floor((expires - now) / 1000));
  }
  if (ttl === undefined) return settings.defaultTtl;
  return Math.min(settings.maxTtl, Math.max(settings.minTtl, ttl));
}

export class EdgeCache {
  private readonly entries = new Map<string, Entry>();

  get(key: string, now: number, invalidations: InvalidationView[]): { response: EdgeResponse; ageSeconds: number; skipViewerResponse: boolean } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const invalidated = invalidations.slice(entry.invalidationsSeen).some((inv) => inv.paths.some((p) => pathMatches(p, entry.uri)));
    if (entry.expiresAt <= now || invalidated) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last, so the oldest is the first to go.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { response: entry.response, ageSeconds: Math.floor((now - entry.storedAt) / 1000), skipViewerResponse: entry.skipViewerResponse };
  }

  put(key: string, stored: Stored, ttl: number, now: number): void {
    if (ttl <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { ...stored, storedAt: now, expiresAt: now + ttl * 1000 });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forget everything (or one distribution's objects): `dev` after a rebuild. */
  clear(distributionId?: string): void {
    if (distributionId === undefined) return this.entries.clear();
    for (const [key, entry] of this.entries) if (entry.distributionId === distributionId) this.entries.delete(key);
  }
}
