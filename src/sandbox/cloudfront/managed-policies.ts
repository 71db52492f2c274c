/**
 * AWS-managed cache and origin request policies, by their real ids (AWS docs: "Use managed
 * cache policies", "Use managed origin request policies"). Present in every seed; they cannot
 * be updated or deleted.
 */
import type { PolicyRecord } from '../world.js';
import { el, list, type XmlNode } from '../xml.js';

const MANAGED_ETAG = 'E23ZP02F085DFQ';
const MANAGED_SINCE = Date.parse('2020-07-22T00:00:00.000Z');

interface KeySettings {
  behavior: string;
  names?: string[];
}

const names = (container: string, member: string, values: string[] = []): XmlNode =>
  list(container, values.map((v) => el(member, v)));

interface CacheDefinition {
  id: string;
  name: string;
  comment: string;
  ttl: [min: number, def: number, max: number];
  gzip: boolean;
  brotli: boolean;
  headers?: KeySettings;
  cookies?: KeySettings;
  queryStrings?: KeySettings;
}

export function cachePolicyConfig(d: Omit<CacheDefinition, 'id'>): XmlNode {
  const headers = d.headers ?? { behavior: 'none' };
  const cookies = d.cookies ?? { behavior: 'none' };
  const queryStrings = d.queryStrings ?? { behavior: 'none' };
  return el(
    'CachePolicyConfig',
    el('Comment', d.comment),
    el('Name', d.name),
    el('DefaultTTL', d.ttl[1]),
    el('MaxTTL', d.ttl[2]),
    el('MinTTL', d.ttl[0]),
    el(
      'ParametersInCacheKeyAndForwardedToOrigin',
      el('EnableAcceptEncodingGzip', d.gzip),
      el('EnableAcceptEncodingBrotli', d.brotli),
      el('HeadersConfig', el('HeaderBehavior', headers.behavior), headers.names ? names('Headers', 'Name', headers.names) : undefined),
      el('CookiesConfig', el('CookieBehavior', cookies.behavior), cookies.names ? names('Cookies', 'Name', cookies.names) : undefined),
      el('QueryStringsConfig', el('QueryStringBehavior', queryStrings.behavior), queryStrings.names ? names('QueryStrings', 'Name', queryStrings.names) : undefined),
    ),
  );
}

const CACHE_POLICIES: CacheDefinition[] = [
  { id: '658327ea-f89d-4fab-a63d-7e88639e58f6', name: 'Managed-CachingOptimized', comment: 'Policy with caching enabled. Supports Gzip and Brotli compression.', ttl: [1, 86400, 31536000], gzip: true, brotli: true },
  { id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', name: 'Managed-CachingDisabled', comment: 'Policy with caching disabled', ttl: [0, 0, 0], gzip: false, brotli: false },
  { id: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d', name: 'Managed-CachingOptimizedForUncompressedObjects', comment: 'Default policy when compression is disabled', ttl: [1, 86400, 31536000], gzip: false, brotli: false },
  {
    id: '08627262-05a9-4f76-9ded-b50ca2e3a84f',
    name: 'Managed-Elemental-MediaPackage',
    comment: 'Policy for Elemental MediaPackage Origin',
    ttl: [0, 86400, 31536000],
    gzip: true,
    brotli: false,
    headers: { behavior: 'whitelist', names: ['origin'] },
    queryStrings: { behavior: 'whitelist', names: ['aws.manifestfilter', 'start', 'end', 'm'] },
  },
  {
    id: '2e54312d-136d-493c-8eb9-b001f22f67d2',
    name: 'Managed-Amplify',
    comment: 'Policy for Amplify Origin',
    ttl: [2, 2, 31536000],
    gzip: true,
    brotli: true,
    headers: { behavior: 'whitelist', names: ['Authorization', 'CloudFront-Viewer-Country', 'Host'] },
    cookies: { behavior: 'all' },
    queryStrings: { behavior: 'all' },
  },
];

interface OriginRequestDefinition {
  id: string;
  name: string;
  comment: string;
  headers: KeySettings;
  cookies: KeySettings;
  queryStrings: KeySettings;
}

const CLOUDFRONT_VIEWER_HEADERS = [
  'CloudFront-Viewer-Address', 'CloudFront-Viewer-ASN', 'CloudFront-Viewer-City', 'CloudFront-Viewer-Country',
  'CloudFront-Viewer-Country-Name', 'CloudFront-Viewer-Country-Region', 'CloudFront-Viewer-Country-Region-Name',
  'CloudFront-Viewer-Http-Version', 'CloudFront-Viewer-Latitude', 'CloudFront-Viewer-Longitude',
  'CloudFront-Viewer-Metro-Code', 'CloudFront-Viewer-Postal-Code', 'CloudFront-Viewer-Time-Zone',
  'CloudFront-Viewer-TLS', 'CloudFront-Forwarded-Proto', 'CloudFront-Is-Android-Viewer',
  'CloudFront-Is-Desktop-Viewer', 'CloudFront-Is-IOS-Viewer', 'CloudFront-Is-Mobile-Viewer',
  'CloudFront-Is-SmartTV-Viewer', 'CloudFront-Is-Tablet-Viewer',
];

const ORIGIN_REQUEST_POLICIES: OriginRequestDefinition[] = [
  { id: '216adef6-5c7f-47e4-b989-5492eafa07d3', name: 'Managed-AllViewer', comment: 'Policy to forward all parameters in viewer requests', headers: { behavior: 'allViewer' }, cookies: { behavior: 'all' }, queryStrings: { behavior: 'all' } },
  { id: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', name: 'Managed-AllViewerExceptHostHeader', comment: 'Policy to forward all parameters in viewer requests except for the Host header', headers: { behavior: 'allExcept', names: ['host'] }, cookies: { behavior: 'all' }, queryStrings: { behavior: 'all' } },
  { id: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf', name: 'Managed-CORS-S3Origin', comment: 'Policy for S3 origin with CORS', headers: { behavior: 'whitelist', names: ['origin', 'access-control-request-headers', 'access-control-request-method'] }, cookies: { behavior: 'none' }, queryStrings: { behavior: 'none' } },
  { id: '59781a5b-3903-41f3-afcb-af62929ccde1', name: 'Managed-CORS-CustomOrigin', comment: 'Policy for custom origin with CORS', headers: { behavior: 'whitelist', names: ['origin'] }, cookies: { behavior: 'none' }, queryStrings: { behavior: 'none' } },
  { id: '33f36d7e-f396-46d9-90e0-52428a34d9dc', name: 'Managed-AllViewerAndCloudFrontHeaders-2022-06', comment: 'Policy to forward all parameters in viewer requests and all CloudFront headers', headers: { behavior: 'allViewerAndWhitelistCloudFront', names: CLOUDFRONT_VIEWER_HEADERS }, cookies: { behavior: 'all' }, queryStrings: { behavior: 'all' } },
  { id: 'acba4595-bd28-49b8-b9fe-13317c0390fa', name: 'Managed-UserAgentRefererHeaders', comment: 'Policy to forward user-agent and referer headers to origin', headers: { behavior: 'whitelist', names: ['user-agent', 'referer'] }, cookies: { behavior: 'none' }, queryStrings: { behavior: 'none' } },
];

function originRequestPolicyConfig(d: OriginRequestDefinition): XmlNode {
  return el(
    'OriginRequestPolicyConfig',
    el('Comment', d.comment),
    el('Name', d.name),
    el('HeadersConfig', el('HeaderBehavior', d.headers.behavior), d.headers.names ? names('Headers', 'Name', d.headers.names) : undefined),
    el('CookiesConfig', el('CookieBehavior', d.cookies.behavior), d.cookies.names ? names('Cookies', 'Name', d.cookies.names) : undefined),
    el('QueryStringsConfig', el('QueryStringBehavior', d.queryStrings.behavior), d.queryStrings.names ? names('QueryStrings', 'Name', d.queryStrings.names) : undefined),
  );
}

const managed = (id: string, config: XmlNode): PolicyRecord => ({ id, type: 'managed', etag: MANAGED_ETAG, lastModified: MANAGED_SINCE, config });

export function managedCachePolicies(): PolicyRecord[] {
  return CACHE_POLICIES.map((d) => managed(d.id, cachePolicyConfig(d)));
}

export function managedOriginRequestPolicies(): PolicyRecord[] {
  return ORIGIN_REQUEST_POLICIES.map((d) => managed(d.id, originRequestPolicyConfig(d)));
}

/** Managed policy ids by their console names (CachingOptimized, AllViewer, …). */
export const MANAGED_POLICY_IDS: Record<string, string> = Object.fromEntries(
  [...CACHE_POLICIES, ...ORIGIN_REQUEST_POLICIES].map((d) => [d.name.replace(/^Managed-/, ''), d.id]),
);
