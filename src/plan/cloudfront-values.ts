/**
 * PURE helpers for CloudFront config values as the SDK parses them: equality as CloudFront
 * means it, and the owned parts built from a manifest (origins, behaviors, associations).
 */
import type { CacheBehavior, LambdaFunctionAssociation, Origin } from '@aws-sdk/client-cloudfront';
import { resolveCachePolicy, resolveOriginRequestPolicy, MANAGED_CACHE_POLICIES } from '../manifest/managed-policies.js';
import { ALLOWED_METHODS, type EventType, type ManifestBehavior, type ManifestOrigin } from '../manifest/schema.js';

/**
 * Equal as CloudFront means it: `{Quantity: 0}` and an absent list are the same, undefined
 * members are absent, and the order of AllowedMethods / CachedMethods does not matter.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

const UNORDERED = new Set(['AllowedMethods', 'CachedMethods']);

function canonical(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v));
    return UNORDERED.has(key) ? [...items].sort() : items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (v && typeof v === 'object' && !Array.isArray(v) && (v as { Quantity?: number }).Quantity === 0 && Object.keys(v).every((x) => x === 'Quantity' || x === 'Items')) continue;
      // Items of a method list are compared as a set: pass the list's own name down.
      out[k] = k === 'Items' ? canonical(v, key) : canonical(v, k);
    }
    return out;
  }
  return value;
}

export const list = <T>(items: T[]): { Quantity: number; Items?: T[] } => (items.length ? { Quantity: items.length, Items: items } : { Quantity: 0 });

/** "Minimum origin SSL protocol" in console terms → the protocols CloudFront may use. */
const SSL_PROTOCOLS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'] as const;

export function originFor(id: string, origin: ManifestOrigin): Origin {
  const minimum = SSL_PROTOCOLS.indexOf(origin.minTlsVersion);
  return {
    Id: id,
    DomainName: origin.domainName,
    OriginPath: origin.originPath,
    CustomHeaders: list(Object.entries(origin.customHeaders).map(([HeaderName, HeaderValue]) => ({ HeaderName, HeaderValue }))),
    CustomOriginConfig: {
      HTTPPort: origin.httpPort,
      HTTPSPort: origin.httpsPort,
      OriginProtocolPolicy: origin.protocol,
      OriginSslProtocols: list([...SSL_PROTOCOLS.slice(minimum)]) as never,
      OriginReadTimeout: origin.readTimeout,
      OriginKeepaliveTimeout: origin.keepaliveTimeout,
    },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
    OriginAccessControlId: '',
  };
}

/** The managed policy a new behavior gets when the manifest names none (the console's default). */
export const DEFAULT_CACHE_POLICY_ID = MANAGED_CACHE_POLICIES.CachingOptimized;

export function cachePolicyIdFor(behavior: ManifestBehavior, ownedPolicyIds: Record<string, string>): string {
  if (!behavior.cachePolicy) return DEFAULT_CACHE_POLICY_ID;
  const ref = resolveCachePolicy(behavior.cachePolicy, ownedPolicyIds);
  if (!ref) throw new Error(`behavior ${behavior.pathPattern}: unresolvable cache policy ${behavior.cachePolicy}`);
  return ref.kind === 'owned' ? ownedPolicyIds[ref.key]! : ref.id;
}

export function originRequestPolicyIdFor(behavior: ManifestBehavior): string | undefined {
  if (!behavior.originRequestPolicy) return undefined;
  const ref = resolveOriginRequestPolicy(behavior.originRequestPolicy);
  if (!ref) throw new Error(`behavior ${behavior.pathPattern}: unresolvable origin request policy ${behavior.originRequestPolicy}`);
  return ref.id;
}

/** A new ordered behavior as the manifest describes it (associations are set separately). */
export function behaviorFor(behavior: ManifestBehavior, targetOriginId: string, ownedPolicyIds: Record<string, string>): CacheBehavior {
  const methods = [...ALLOWED_METHODS[behavior.allowedMethods ?? 'get-head']];
  const originRequestPolicyId = originRequestPolicyIdFor(behavior);
  return {
    PathPattern: behavior.pathPattern,
    TargetOriginId: targetOriginId,
    TrustedSigners: { Enabled: false, Quantity: 0 },
    TrustedKeyGroups: { Enabled: false, Quantity: 0 },
    ViewerProtocolPolicy: behavior.viewerProtocolPolicy ?? 'redirect-to-https',
    AllowedMethods: { Quantity: methods.length, Items: methods as never, CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } },
    SmoothStreaming: false,
    Compress: behavior.compress ?? true,
    LambdaFunctionAssociations: { Quantity: 0 },
    FunctionAssociations: { Quantity: 0 },
    FieldLevelEncryptionId: '',
    CachePolicyId: cachePolicyIdFor(behavior, ownedPolicyIds),
    ...(originRequestPolicyId ? { OriginRequestPolicyId: originRequestPolicyId } : {}),
  };
}

export function associationFor(eventType: EventType, arn: string, includeBody: boolean): LambdaFunctionAssociation {
  return { EventType: eventType, LambdaFunctionARN: arn, IncludeBody: includeBody };
}

/** `arn:aws:lambda:us-east-1:123:function:NAME:3` → NAME. */
export function functionNameOfArn(arn: string | undefined): string | undefined {
  return arn?.match(/:function:([^:]+)/)?.[1];
}
