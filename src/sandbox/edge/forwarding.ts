/**
 * What CloudFront sends to the origin for a request, before the origin-request trigger sees
 * it (CloudFront Developer Guide, "Control origin requests with a policy", "How CloudFront
 * processes and forwards requests to your origin", "Add CloudFront request headers"):
 *
 * - the headers, cookies and query strings of the cache key (cache policy) plus those of the
 *   origin request policy; a behavior with legacy ForwardedValues forwards what it keys on;
 * - Host is the origin's domain name unless the policy forwards the viewer's Host;
 * - User-Agent is "Amazon CloudFront" unless the policy forwards the viewer's;
 * - CloudFront adds Via, X-Forwarded-For (the viewer's address appended) and X-Amz-Cf-Id;
 * - Accept-Encoding is normalised to what the cache policy compresses (gzip, br);
 * - hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-*) never go on;
 * - the origin's custom headers are not in the event's headers: they ride on
 *   `request.origin.custom.customHeaders` and are added when CloudFront connects.
 */
import { getHeader, parseCookies, parseQuery, decodeQueryName } from './headers.js';
import type { EdgeOrigin, EdgeRequest, HeaderPair } from './model.js';
import type { OriginView } from './distribution-view.js';
import { selects, type CacheSettings, type ForwardSettings, type Selection } from './policy-view.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'proxy-connection']);
/** Headers CloudFront sets itself; the viewer's values never reach the origin as they were. */
const CLOUDFRONT_SET = new Set(['host', 'user-agent', 'via', 'x-forwarded-for', 'x-amz-cf-id', 'accept-encoding', 'cookie', 'content-length']);

function either(a: Selection, b: Selection | undefined, name: string): boolean {
  return selects(a, name) || (b !== undefined && selects(b, name));
}

/** Whether a viewer header is one CloudFront adds itself (CloudFront-Viewer-*, CloudFront-Is-*): only policies naming it forward it. */
const isCloudFrontHeader = (lower: string): boolean => lower.startsWith('cloudfront-');

function forwardedHeader(cache: CacheSettings, forward: ForwardSettings | undefined, lower: string): boolean {
  if (isCloudFrontHeader(lower)) return cache.headers.names.includes(lower) || (forward?.headers.names.includes(lower) ?? false);
  return either(cache.headers, forward?.headers, lower);
}

export interface OriginRequestInput {
  viewer: EdgeRequest;
  cache: CacheSettings;
  forward?: ForwardSettings;
  origin: OriginView;
  viewerProtocol: 'http' | 'https';
  requestId: string;
  via: string;
}

export function originRequest(input: OriginRequestInput): { request: EdgeRequest; origin: EdgeOrigin } {
  const { viewer, cache, forward, origin } = input;
  const headers: HeaderPair[] = [];
  for (const [name, value] of viewer.headers) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || (CLOUDFRONT_SET.has(lower) && lower !== 'host' && lower !== 'user-agent')) continue;
    if (lower === 'host' || lower === 'user-agent') continue; // decided below
    if (forwardedHeader(cache, forward, lower)) headers.push([name, value]);
  }
  const viewerHost = getHeader(viewer.headers, 'host');
  const host = either(cache.headers, forward?.headers, 'host') && viewerHost ? viewerHost : origin.domainName;
  headers.unshift(['Host', host]);
  const viewerAgent = getHeader(viewer.headers, 'user-agent');
  headers.push(['User-Agent', either(cache.headers, forward?.headers, 'user-agent') && viewerAgent ? viewerAgent : 'Amazon CloudFront']);
  const encodings = [cache.brotli ? 'br' : '', cache.gzip ? 'gzip' : ''].filter(Boolean);
  const accepted = (getHeader(viewer.headers, 'accept-encoding') ?? '').toLowerCase();
  const normalised = encodings.filter((e) => accepted.includes(e === 'br' ? 'br' : 'gzip'));
  if (normalised.length) headers.push(['Accept-Encoding', normalised.join(',')]);
  else if (either(cache.headers, forward?.headers, 'accept-encoding') && accepted) headers.push(['Accept-Encoding', accepted]);

  const cookies = parseCookies(viewer.headers).filter(([name]) => either(cache.cookies, forward?.cookies, name));
  if (cookies.length) headers.push(['Cookie', cookies.map(([n, v]) => `${n}=${v}`).join('; ')]);
  const forwardedFor = getHeader(viewer.headers, 'x-forwarded-for');
  headers.push(['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${viewer.clientIp}` : viewer.clientIp]);
  headers.push(['Via', input.via]);
  headers.push(['X-Amz-Cf-Id', input.requestId]);
  if (viewer.body.length) headers.push(['Content-Length', String(viewer.body.length)]);

  const querystring = parseQuery(viewer.querystring)
    .filter(([name]) => either(cache.queryStrings, forward?.queryStrings, decodeQueryName(name)))
    .map(([n, v]) => (v === '' && !viewer.querystring.includes(`${n}=`) ? n : `${n}=${v}`))
    .join('&');
  return { request: { ...viewer, headers, querystring }, origin: edgeOrigin(origin, input.viewerProtocol) };
}

/** An origin as the origin-request event's `request.origin` describes it. */
export function edgeOrigin(origin: OriginView, viewerProtocol: 'http' | 'https'): EdgeOrigin {
  if (origin.custom) {
    const c = origin.custom;
    const protocol = c.protocolPolicy === 'http-only' ? 'http' : c.protocolPolicy === 'https-only' ? 'https' : viewerProtocol;
    return {
      kind: 'custom',
      domainName: origin.domainName,
      port: protocol === 'https' ? c.httpsPort : c.httpPort,
      protocol,
      path: origin.path,
      customHeaders: origin.customHeaders,
      readTimeout: c.readTimeout,
      keepaliveTimeout: c.keepaliveTimeout,
      sslProtocols: c.sslProtocols,
    };
  }
  const region = /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(origin.domainName)?.[1] ?? 'us-east-1';
  return { kind: 's3', domainName: origin.domainName, path: origin.path, customHeaders: origin.customHeaders, authMethod: 'none', region };
}

/** The cache key of a request (CloudFront Developer Guide, "Understand the cache key"): what the cache policy names, nothing else. */
export function cacheKey(distributionId: string, pathPattern: string, request: EdgeRequest, cache: CacheSettings): string {
  const headerPart = request.headers
    .filter(([name]) => selects(cache.headers, name.toLowerCase()))
    .map(([n, v]) => `${n.toLowerCase()}:${v}`)
    .sort();
  const cookiePart = parseCookies(request.headers).filter(([n]) => selects(cache.cookies, n)).map(([n, v]) => `${n}=${v}`).sort();
  const queryPart = parseQuery(request.querystring).filter(([n]) => selects(cache.queryStrings, decodeQueryName(n))).map(([n, v]) => `${n}=${v}`).sort();
  const accepted = (getHeader(request.headers, 'accept-encoding') ?? '').toLowerCase();
  const encoding = [cache.brotli && accepted.includes('br') ? 'br' : '', cache.gzip && accepted.includes('gzip') ? 'gzip' : ''].join(',');
  return JSON.stringify([distributionId, pathPattern, request.uri, queryPart, headerPart, cookiePart, encoding]);
}
