/**
 * The parts of a stored DistributionConfig (the XML tree the client sent) that serving a
 * request needs, read once per config into plain objects. The data plane re-reads a config
 * only when its ETag changes, so a request costs no XML walking.
 */
import type { DistributionRecord } from '../world.js';
import { at, bool, items, num, text, type XmlNode } from '../xml.js';
import type { EventType, HeaderPair } from './model.js';

export interface OriginView {
  id: string;
  domainName: string;
  /** OriginPath: '' or '/prefix'. */
  path: string;
  customHeaders: HeaderPair[];
  /** Present for a custom origin; an S3 (or OAC) origin has none. */
  custom?: {
    httpPort: number;
    httpsPort: number;
    protocolPolicy: 'http-only' | 'https-only' | 'match-viewer';
    sslProtocols: string[];
    readTimeout: number;
    keepaliveTimeout: number;
  };
}

export interface OriginGroupView {
  id: string;
  memberIds: string[];
  failoverStatusCodes: number[];
}

export interface LambdaAssociationView {
  eventType: EventType;
  arn: string;
  includeBody: boolean;
}

export interface FunctionAssociationView {
  eventType: 'viewer-request' | 'viewer-response';
  arn: string;
}

/** Legacy cache settings (ForwardedValues and the behavior's own TTLs), when there is no cache policy. */
export interface LegacyCacheSettings {
  queryString: boolean;
  queryStringCacheKeys: string[];
  cookies: 'none' | 'whitelist' | 'all';
  cookieNames: string[];
  headers: string[];
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
}

export interface BehaviorView {
  /** '*' for the default behavior. */
  pathPattern: string;
  targetOriginId: string;
  viewerProtocolPolicy: 'allow-all' | 'redirect-to-https' | 'https-only';
  allowedMethods: string[];
  cachedMethods: string[];
  cachePolicyId?: string;
  originRequestPolicyId?: string;
  legacy?: LegacyCacheSettings;
  lambda: LambdaAssociationView[];
  functions: FunctionAssociationView[];
}

export interface CustomErrorResponseView {
  errorCode: number;
  responsePagePath?: string;
  responseCode?: number;
  errorCachingMinTtl?: number;
}

export interface DistributionView {
  id: string;
  domainName: string;
  etag: string;
  enabled: boolean;
  aliases: string[];
  defaultRootObject: string;
  origins: Map<string, OriginView>;
  originGroups: Map<string, OriginGroupView>;
  /** Ordered cache behaviors, then the default behavior last. */
  behaviors: BehaviorView[];
  customErrorResponses: CustomErrorResponseView[];
}

const texts = (node: XmlNode | undefined, ...path: string[]): string[] => items(node, ...path).map((n) => n.text ?? '');

function originView(origin: XmlNode): OriginView {
  const custom = at(origin, 'CustomOriginConfig');
  return {
    id: text(origin, 'Id') ?? '',
    domainName: text(origin, 'DomainName') ?? '',
    path: text(origin, 'OriginPath') ?? '',
    customHeaders: items(origin, 'CustomHeaders').map((h) => [text(h, 'HeaderName') ?? '', text(h, 'HeaderValue') ?? ''] as HeaderPair),
    custom: custom && {
      httpPort: num(custom, 'HTTPPort') ?? 80,
      httpsPort: num(custom, 'HTTPSPort') ?? 443,
      protocolPolicy: (text(custom, 'OriginProtocolPolicy') ?? 'https-only') as 'http-only' | 'https-only' | 'match-viewer',
      sslProtocols: texts(custom, 'OriginSslProtocols'),
      readTimeout: num(custom, 'OriginReadTimeout') ?? 30,
      keepaliveTimeout: num(custom, 'OriginKeepaliveTimeout') ?? 5,
    },
  };
}

function legacySettings(behavior: XmlNode): LegacyCacheSettings | undefined {
  const forwarded = at(behavior, 'ForwardedValues');
  if (!forwarded) return undefined;
  return {
    queryString: bool(forwarded, 'QueryString') ?? false,
    queryStringCacheKeys: texts(forwarded, 'QueryStringCacheKeys'),
    cookies: (text(forwarded, 'Cookies', 'Forward') ?? 'none') as LegacyCacheSettings['cookies'],
    cookieNames: texts(at(forwarded, 'Cookies'), 'WhitelistedNames'),
    headers: texts(forwarded, 'Headers'),
    minTtl: num(behavior, 'MinTTL') ?? 0,
    defaultTtl: num(behavior, 'DefaultTTL') ?? 86400,
    maxTtl: num(behavior, 'MaxTTL') ?? 31536000,
  };
}

function behaviorView(behavior: XmlNode, pathPattern: string): BehaviorView {
  const allowed = texts(behavior, 'AllowedMethods');
  const cached = texts(at(behavior, 'AllowedMethods'), 'CachedMethods');
  return {
    pathPattern,
    targetOriginId: text(behavior, 'TargetOriginId') ?? '',
    viewerProtocolPolicy: (text(behavior, 'ViewerProtocolPolicy') ?? 'allow-all') as BehaviorView['viewerProtocolPolicy'],
    // CloudFront's default when AllowedMethods is left out: GET and HEAD, both cached.
    allowedMethods: allowed.length ? allowed : ['GET', 'HEAD'],
    cachedMethods: cached.length ? cached : ['GET', 'HEAD'],
    cachePolicyId: text(behavior, 'CachePolicyId') || undefined,
    originRequestPolicyId: text(behavior, 'OriginRequestPolicyId') || undefined,
    legacy: text(behavior, 'CachePolicyId') ? undefined : legacySettings(behavior),
    lambda: items(behavior, 'LambdaFunctionAssociations').map((a) => ({
      eventType: (text(a, 'EventType') ?? '') as EventType,
      arn: text(a, 'LambdaFunctionARN') ?? '',
      includeBody: bool(a, 'IncludeBody') ?? false,
    })),
    functions: items(behavior, 'FunctionAssociations').map((a) => ({
      eventType: (text(a, 'EventType') ?? '') as FunctionAssociationView['eventType'],
      arn: text(a, 'FunctionARN') ?? '',
    })),
  };
}

export function distributionView(record: DistributionRecord): DistributionView {
  const config = record.config;
  const origins = new Map(items(config, 'Origins').map((o) => [text(o, 'Id') ?? '', originView(o)]));
  const originGroups = new Map(
    items(config, 'OriginGroups').map((g) => [
      text(g, 'Id') ?? '',
      {
        id: text(g, 'Id') ?? '',
        memberIds: items(g, 'Members').map((m) => text(m, 'OriginId') ?? ''),
        failoverStatusCodes: texts(at(g, 'FailoverCriteria'), 'StatusCodes').map(Number),
      },
    ]),
  );
  const ordered = items(config, 'CacheBehaviors').map((b) => behaviorView(b, text(b, 'PathPattern') ?? ''));
  const fallback = behaviorView(at(config, 'DefaultCacheBehavior') ?? { name: 'DefaultCacheBehavior', children: [] }, '*');
  return {
    id: record.id,
    domainName: record.domainName,
    etag: record.etag,
    enabled: bool(config, 'Enabled') ?? true,
    aliases: texts(config, 'Aliases').map((a) => a.toLowerCase()),
    defaultRootObject: text(config, 'DefaultRootObject') ?? '',
    origins,
    originGroups,
    behaviors: [...ordered, fallback],
    customErrorResponses: items(config, 'CustomErrorResponses').map((r) => ({
      errorCode: num(r, 'ErrorCode') ?? 0,
      responsePagePath: text(r, 'ResponsePagePath') || undefined,
      responseCode: num(r, 'ResponseCode'),
      errorCachingMinTtl: num(r, 'ErrorCachingMinTTL'),
    })),
  };
}
