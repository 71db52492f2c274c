/**
 * CloudFront's AWS-managed cache and origin request policies by name (AWS docs: "Use managed
 * cache policies", "Use managed origin request policies"), and how a behavior's
 * `cachePolicy` / `originRequestPolicy` reference resolves. Names are accepted with or
 * without the `Managed-` prefix CloudFront shows them with.
 */

export const MANAGED_CACHE_POLICIES = {
  CachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  CachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  CachingOptimizedForUncompressedObjects: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
  'Elemental-MediaPackage': '08627262-05a9-4f76-9ded-b50ca2e3a84f',
  Amplify: '2e54312d-136d-493c-8eb9-b001f22f67d2',
} as const satisfies Record<string, string>;

export const MANAGED_ORIGIN_REQUEST_POLICIES = {
  AllViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
  AllViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
  'CORS-S3Origin': '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
  'CORS-CustomOrigin': '59781a5b-3903-41f3-afcb-af62929ccde1',
  'AllViewerAndCloudFrontHeaders-2022-06': '33f36d7e-f396-46d9-90e0-52428a34d9dc',
  UserAgentRefererHeaders: 'acba4595-bd28-49b8-b9fe-13317c0390fa',
} as const satisfies Record<string, string>;

export type ManagedCachePolicyName = keyof typeof MANAGED_CACHE_POLICIES;
export type ManagedOriginRequestPolicyName = keyof typeof MANAGED_ORIGIN_REQUEST_POLICIES;

const MANAGED_PREFIX = 'Managed-';

/** A CloudFront policy id (a UUID). */
export const POLICY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a policy reference in the manifest means. */
export type PolicyRef =
  /** A key of `cachePolicies`: a policy edge-install creates and owns. */
  | { kind: 'owned'; key: string }
  /** An AWS-managed policy given by name. */
  | { kind: 'managed'; name: string; id: string }
  /** A policy id given as is (managed or the account's own; its existence is checked against AWS later). */
  | { kind: 'id'; id: string };

function lookup(table: Record<string, string>, name: string): { name: string; id: string } | undefined {
  const bare = name.startsWith(MANAGED_PREFIX) ? name.slice(MANAGED_PREFIX.length) : name;
  const id = Object.hasOwn(table, bare) ? table[bare] : undefined;
  return id === undefined ? undefined : { name: bare, id };
}

/** `CachingOptimized` or `Managed-CachingOptimized` → its id. */
export function managedCachePolicyId(name: string): string | undefined {
  return lookup(MANAGED_CACHE_POLICIES, name)?.id;
}

/** `AllViewer` or `Managed-AllViewer` → its id. */
export function managedOriginRequestPolicyId(name: string): string | undefined {
  return lookup(MANAGED_ORIGIN_REQUEST_POLICIES, name)?.id;
}

/** An id → the managed policy's name (without `Managed-`), for plans and status output. */
export function managedPolicyName(id: string): string | undefined {
  const wanted = id.toLowerCase();
  for (const table of [MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES] as Record<string, string>[]) {
    for (const [name, policyId] of Object.entries(table)) if (policyId === wanted) return name;
  }
  return undefined;
}

/**
 * A behavior's `cachePolicy`: a key of `cachePolicies` (owned), a managed policy name, or a
 * policy id; undefined when it is none of these. Owned keys win (they are lowercase, managed
 * names are not, so they cannot clash).
 */
export function resolveCachePolicy(reference: string, ownedKeys: Iterable<string> | Record<string, unknown>): PolicyRef | undefined {
  const keys = Symbol.iterator in ownedKeys ? new Set(ownedKeys as Iterable<string>) : new Set(Object.keys(ownedKeys));
  if (keys.has(reference)) return { kind: 'owned', key: reference };
  const managed = lookup(MANAGED_CACHE_POLICIES, reference);
  if (managed) return { kind: 'managed', ...managed };
  if (POLICY_ID.test(reference)) return { kind: 'id', id: reference.toLowerCase() };
  return undefined;
}

/** A behavior's `originRequestPolicy`: a managed policy name or a policy id (edge-install owns none). */
export function resolveOriginRequestPolicy(reference: string): Exclude<PolicyRef, { kind: 'owned' }> | undefined {
  const managed = lookup(MANAGED_ORIGIN_REQUEST_POLICIES, reference);
  if (managed) return { kind: 'managed', ...managed };
  if (POLICY_ID.test(reference)) return { kind: 'id', id: reference.toLowerCase() };
  return undefined;
}
