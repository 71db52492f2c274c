/**
 * Cache and origin request policies as the data plane uses them: which headers, cookies and
 * query strings go into the cache key, which are forwarded to the origin, and the TTL bounds.
 * Behaviors without a cache policy use their legacy ForwardedValues and TTLs, which CloudFront
 * applies to the cache key and the origin request alike.
 */
import type { PolicyRecord } from '../world.js';
import { at, bool, items, num, text, type XmlNode } from '../xml.js';
import type { LegacyCacheSettings } from './distribution-view.js';

/** One dimension (headers, cookies or query strings) of a policy. */
export interface Selection {
  /** none | whitelist | allExcept | all | allViewer | allViewerAndWhitelistCloudFront */
  behavior: string;
  /** Lower-case for headers; as written for cookies and query strings (both case-sensitive). */
  names: string[];
}

export interface CacheSettings {
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  headers: Selection;
  cookies: Selection;
  queryStrings: Selection;
  gzip: boolean;
  brotli: boolean;
}

export interface ForwardSettings {
  headers: Selection;
  cookies: Selection;
  queryStrings: Selection;
}

const NONE: Selection = { behavior: 'none', names: [] };

function selection(config: XmlNode | undefined, kind: 'Header' | 'Cookie' | 'QueryString', lowerCase: boolean): Selection {
  const container = at(config, `${kind}sConfig`);
  const behavior = text(container, `${kind}Behavior`) ?? 'none';
  const names = items(container, `${kind}s`).map((n) => n.text ?? '');
  return { behavior, names: lowerCase ? names.map((n) => n.toLowerCase()) : names };
}

export function cacheSettings(policy: PolicyRecord): CacheSettings {
  const config = policy.config;
  const parameters = at(config, 'ParametersInCacheKeyAndForwardedToOrigin');
  return {
    minTtl: num(config, 'MinTTL') ?? 0,
    defaultTtl: num(config, 'DefaultTTL') ?? 86400,
    maxTtl: num(config, 'MaxTTL') ?? 31536000,
    headers: selection(parameters, 'Header', true),
    cookies: selection(parameters, 'Cookie', false),
    queryStrings: selection(parameters, 'QueryString', false),
    gzip: bool(parameters, 'EnableAcceptEncodingGzip') ?? false,
    brotli: bool(parameters, 'EnableAcceptEncodingBrotli') ?? false,
  };
}

export function forwardSettings(policy: PolicyRecord): ForwardSettings {
  return {
    headers: selection(policy.config, 'Header', true),
    cookies: selection(policy.config, 'Cookie', false),
    queryStrings: selection(policy.config, 'QueryString', false),
  };
}

/** A behavior's legacy ForwardedValues as a cache policy: the same parameters key the cache and reach the origin. */
export function legacyCacheSettings(legacy: LegacyCacheSettings): CacheSettings {
  const headers = legacy.headers.includes('*') ? { behavior: 'allViewer', names: [] } : { behavior: legacy.headers.length ? 'whitelist' : 'none', names: legacy.headers.map((h) => h.toLowerCase()) };
  return {
    minTtl: legacy.minTtl,
    defaultTtl: legacy.defaultTtl,
    maxTtl: legacy.maxTtl,
    headers,
    cookies: { behavior: legacy.cookies, names: legacy.cookieNames },
    // QueryStringCacheKeys narrows the key; ForwardedValues still forwards every parameter (legacyForwardSettings).
    queryStrings: !legacy.queryString ? NONE : legacy.queryStringCacheKeys.length ? { behavior: 'whitelist', names: legacy.queryStringCacheKeys } : { behavior: 'all', names: [] },
    gzip: false,
    brotli: false,
  };
}

/** What a legacy behavior forwards beyond its cache key: every query string parameter when QueryString is on. */
export function legacyForwardSettings(legacy: LegacyCacheSettings): ForwardSettings {
  return { headers: NONE, cookies: NONE, queryStrings: legacy.queryString ? { behavior: 'all', names: [] } : NONE };
}

/** Whether `name` (lower-case for headers) is selected. */
export function selects(sel: Selection, name: string): boolean {
  switch (sel.behavior) {
    case 'none':
      return false;
    case 'whitelist':
      return sel.names.includes(name);
    case 'allExcept':
      return !sel.names.includes(name);
    case 'all':
    case 'allViewer':
      return true;
    case 'allViewerAndWhitelistCloudFront':
      return true;
    default:
      return false;
  }
}

export { NONE as NO_SELECTION };
