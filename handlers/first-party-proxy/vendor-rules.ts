/**
 * The vendor proxy's rules for what crosses it, as facts (fingerprintjs/fingerprint-pro-
 * cloudfront-integration 2.1.1): the headers it never passes in either direction
 * (proxy/utils/headers.ts, isHeaderAllowedForRequest / isHeaderAllowedForResponse), its
 * Cache-Control clamp for agent downloads (proxy/utils/cache-control.ts), its traffic-monitoring
 * parameter (proxy/utils/traffic.ts) and its region hosts (proxy/utils/request.ts, getRegion).
 *
 * Where CloudFront itself forbids a function to read or change a header (x-amz-cf-*, x-edge-*,
 * the X-Amzn-* names, Connection, …: shared/headers.ts), the function never sees it and CloudFront
 * keeps it off the wire; the rules below act on the rest (Age, Strict-Transport-Security).
 */
import type { CloudFrontHeaders, EventType } from '../shared/cloudfront.js';
import { deleteHeader, isForbiddenHeader, isReadOnlyHeader, setHeader } from '../shared/headers.js';

/** Never passed, either way. */
const BLOCKED = new Set([
  'age', 'connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'trailer', 'upgrade',
  'x-accel-buffering', 'x-accel-charset', 'x-accel-limit-rate', 'x-accel-redirect', 'x-amzn-auth', 'x-amzn-cf-billing', 'x-amzn-cf-id',
  'x-amzn-cf-xff', 'x-amzn-errortype', 'x-amzn-fle-profile', 'x-amzn-header-count', 'x-amzn-header-order', 'x-amzn-lambda-integration-tag',
  'x-amzn-requestid', 'x-cache', 'x-forwarded-proto', 'x-real-ip', 'strict-transport-security',
]);
const BLOCKED_PREFIXES = ['x-edge-', 'x-amz-cf-'];

const isBlocked = (name: string) => BLOCKED.has(name) || BLOCKED_PREFIXES.some((prefix) => name.startsWith(prefix));

/**
 * Removes the blocked headers a function may remove in `eventType`. The vendor's
 * response-only list (Content-Length, Transfer-Encoding, If-*) is not applied: it builds its own
 * response, where those are stale; here CloudFront streams the upstream's, and needs them.
 */
export function removeBlockedHeaders(headers: CloudFrontHeaders, eventType: EventType): void {
  for (const name of Object.keys(headers)) {
    if (isBlocked(name) && !isForbiddenHeader(name) && !isReadOnlyHeader(eventType, name)) deleteHeader(headers, eventType, name);
  }
}

/** Browsers may keep an agent at most an hour, shared caches a minute: agent updates reach visitors. */
const MAX_AGE = 3600;
const S_MAXAGE = 60;

/**
 * The vendor's clamp, on a Cache-Control that is present (an absent one is left absent):
 * `max-age` and `s-maxage` lowered to 3600 and 60, and added with those values when missing;
 * other directives kept in place. `public, max-age=3613` → `public, max-age=3600, s-maxage=60`.
 */
export function clampCacheControl(value: string): string {
  const directives = value.split(',').map((d) => d.trim()).filter((d) => d !== '');
  const clamp = (name: string, limit: number) => {
    const index = directives.findIndex((d) => d.toLowerCase().startsWith(`${name}=`));
    if (index < 0) {
      directives.push(`${name}=${limit}`);
      return;
    }
    const seconds = Number(directives[index]!.slice(name.length + 1));
    directives[index] = `${name}=${Number.isFinite(seconds) ? Math.min(Math.max(0, Math.floor(seconds)), limit) : limit}`;
  };
  clamp('max-age', MAX_AGE);
  clamp('s-maxage', S_MAXAGE);
  return directives.join(', ');
}

export function clampResponseCacheControl(headers: CloudFrontHeaders, eventType: EventType): void {
  const entries = headers['cache-control'];
  if (!entries?.length) return;
  // Several Cache-Control lines are one list of directives (RFC 9111, 5.2).
  setHeader(headers, eventType, entries[0]!.key ?? 'Cache-Control', clampCacheControl(entries.map((e) => e.value).join(', ')));
}

/** The ingress API's regional hosts; anything else (absent, unknown, `__proto__`) is the default, us. */
const REGION_PREFIXES: Readonly<Record<string, string>> = { us: '', eu: 'eu.', ap: 'ap.' };

export function regionOf(value: string | null): string {
  return value !== null && Object.hasOwn(REGION_PREFIXES, value) ? value : 'us';
}

export const ingressHostFor = (region: string, base: string) => `${REGION_PREFIXES[region] ?? ''}${base}`;

/**
 * The traffic-monitoring value the vendor appends as `ii` (its own is
 * `fingerprintjs-pro-cloudfront/<version>/procdn|ingress`): here it names edge-install and the
 * version that built the bundle, so the vendor can tell its traffic apart.
 */
export const trafficTag = (version: string, kind: 'procdn' | 'ingress') => `edge-install-cloudfront/${version}/${kind}`;
