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
import { acceptedEncodings, decodeQueryName, getHeader, parseCookies, parseQuery, queryPart } from './headers.js';
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
    // CloudFront sets its own CloudFront-* headers (below); a viewer's never pass.
    if (isCloudFrontHeader(lower)) continue;
    if (either(cache.headers, forward?.headers, lower)) headers.push([name, value]);
  }
  const viewerHost = getHeader(viewer.headers, 'host');
  const host = either(cache.headers, forward?.headers, 'host') && viewerHost ? viewerHost : origin.domainName;
  headers.unshift(['Host', host]);
  const viewerAgent = getHeader(viewer.headers, 'user-agent');
  headers.push(['User-Agent', either(cache.headers, forward?.headers, 'user-agent') && viewerAgent ? viewerAgent : 'Amazon CloudFront']);
  const accepted = acceptedEncodings(viewer.headers);
  const normalised = [cache.brotli && accepted.has('br') ? 'br' : '', cache.gzip && accepted.has('gzip') ? 'gzip' : ''].filter(Boolean);
  const viewerEncoding = getHeader(viewer.headers, 'accept-encoding');
  if (normalised.length) headers.push(['Accept-Encoding', normalised.join(',')]);
  else if (either(cache.headers, forward?.headers, 'accept-encoding') && viewerEncoding) headers.push(['Accept-Encoding', viewerEncoding]);
  // CloudFront's own viewer headers (CloudFront-Forwarded-Proto, CloudFront-Viewer-Address, …) where a policy names them.
  for (const [name, value] of cloudFrontHeaders(viewer, input.viewerProtocol)) {
    if (cache.headers.names.includes(name.toLowerCase()) || forward?.headers.names.includes(name.toLowerCase())) headers.push([name, value]);
  }

  const cookies = parseCookies(viewer.headers).filter(([name]) => either(cache.cookies, forward?.cookies, name));
  if (cookies.length) headers.push(['Cookie', cookies.map(([n, v]) => `${n}=${v}`).join('; ')]);
  const forwardedFor = getHeader(viewer.headers, 'x-forwarded-for');
  headers.push(['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${viewer.clientIp}` : viewer.clientIp]);
  headers.push(['Via', input.via]);
  headers.push(['X-Amz-Cf-Id', input.requestId]);
  if (viewer.body.length) headers.push(['Content-Length', String(viewer.body.length)]);

  const querystring = parseQuery(viewer.querystring)
    .filter(([name]) => either(cache.queryStrings, forward?.queryStrings, decodeQueryName(name)))
    .map(queryPart)
    .join('&');
  return { request: { ...viewer, headers, querystring }, origin: edgeOrigin(origin, input.viewerProtocol) };
}

/**
 * The CloudFront headers the local edge can tell ("Add CloudFront request headers"): the
 * protocol, the viewer's address and HTTP version, and the device type from the User-Agent
 * as CloudFront does it (desktop when nothing else matches). Geolocation headers are left
 * out: the sandbox has no viewer location. Viewers' own CloudFront-* headers never pass.
 */
function cloudFrontHeaders(viewer: EdgeRequest, protocol: 'http' | 'https'): HeaderPair[] {
  const agent = getHeader(viewer.headers, 'user-agent') ?? '';
  const tablet = /iPad|Tablet/i.test(agent);
  const mobile = !tablet && /Mobile|Android|iPhone/i.test(agent);
  const smartTv = /SmartTV|SMART-TV|AppleTV|GoogleTV/i.test(agent);
  const flag = (on: boolean) => (on ? 'true' : 'false');
  return [
    ['CloudFront-Forwarded-Proto', protocol],
    ['CloudFront-Viewer-Address', `${viewer.clientIp}:0`],
    ['CloudFront-Viewer-Http-Version', '1.1'],
    ['CloudFront-Is-Mobile-Viewer', flag(mobile)],
    ['CloudFront-Is-Tablet-Viewer', flag(tablet)],
    ['CloudFront-Is-SmartTV-Viewer', flag(smartTv)],
    ['CloudFront-Is-Desktop-Viewer', flag(!mobile && !tablet && !smartTv)],
    ['CloudFront-Is-IOS-Viewer', flag(/iPhone|iPad|iPod/.test(agent))],
    ['CloudFront-Is-Android-Viewer', flag(/Android/.test(agent))],
  ];
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
  const queryStrings = parseQuery(request.querystring).filter(([n]) => selects(cache.queryStrings, decodeQueryName(n))).map(queryPart).sort();
  const accepted = acceptedEncodings(request.headers);
  const encoding = [cache.brotli && accepted.has('br') ? 'br' : '', cache.gzip && accepted.has('gzip') ? 'gzip' : ''].join(',');
  // GET and HEAD share an object (a HEAD is answered from it); OPTIONS answers are their own.
  const method = request.method === 'OPTIONS' ? 'OPTIONS' : 'GET';
  return JSON.stringify([distributionId, pathPattern, method, request.uri, queryStrings, headerPart, cookiePart, encoding]);
}
