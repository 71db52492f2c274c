/**
 * PURE: the CloudFront config values a manifest stands for (origins, behaviors, associations),
 * as the SDK shapes them. Equality lives in values.ts.
 */
import type { CacheBehavior, LambdaFunctionAssociation, Origin } from '@aws-sdk/client-cloudfront';
import { resolveCachePolicy, resolveOriginRequestPolicy, MANAGED_CACHE_POLICIES } from '../manifest/managed-policies.js';
import { ALLOWED_METHODS, type EventType, type ManifestBehavior, type ManifestOrigin } from '../manifest/schema.js';
import { asSlot, isUnknown, type Unknown } from './unknown.js';

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

/** Owned cache policy ids by key: an id, or unknown until this apply creates the policy. */
export type PolicyIds = Record<string, string | Unknown>;

export function cachePolicyIdFor(behavior: ManifestBehavior, ownedPolicyIds: PolicyIds): string | Unknown {
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
export function behaviorFor(behavior: ManifestBehavior, targetOriginId: string, ownedPolicyIds: PolicyIds): CacheBehavior {
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
    CachePolicyId: asSlot(cachePolicyIdFor(behavior, ownedPolicyIds)),
    ...(originRequestPolicyId ? { OriginRequestPolicyId: originRequestPolicyId } : {}),
  };
}

export function associationFor(eventType: EventType, arn: string | Unknown, includeBody: boolean): LambdaFunctionAssociation {
  return { EventType: eventType, LambdaFunctionARN: asSlot(arn), IncludeBody: includeBody };
}

/** `arn:aws:lambda:us-east-1:123:function:NAME:3` → NAME; also for a version not published yet. */
export function functionNameOfArn(arn: string | Unknown | undefined): string | undefined {
  if (isUnknown(arn)) return arn.$unknown === 'version' ? arn.function : undefined;
  return typeof arn === 'string' ? arn.match(/:function:([^:]+)/)?.[1] : undefined;
}
