/**
 * Every rule about a manifest that needs no AWS call: relations between fields (a trigger
 * names a function, …) and the CloudFront / Lambda@Edge limits from EMULATOR.md, so that a
 * manifest AWS would refuse is refused here first, with its path and the fix.
 *
 * Each rule is a small named function `(manifest) => ManifestIssue[]`, run on a manifest
 * zod has already checked and filled with defaults. What needs the live distribution (its
 * behavior count, conflicts with foreign triggers, policy ids that must exist) is the
 * planner's job, not this file's.
 */
import { EVENT_TYPES, type EventType, type Manifest, type ManifestBehavior } from './schema.js';
import { manifestIssue, type ManifestIssue, type PathSegment } from './errors.js';
import {
  MANAGED_CACHE_POLICIES,
  MANAGED_ORIGIN_REQUEST_POLICIES,
  resolveCachePolicy,
  resolveOriginRequestPolicy,
} from './managed-policies.js';
import { cachePolicyName, functionName, originId, roleName } from './naming.js';
import { secretQuestions, staleDerivedValues, type Recipe } from './recipes.js';
import { closest, listOf } from './suggest.js';

/** What a rule may know besides the manifest: the recipe it names, read by the caller (load.ts). */
export interface RuleContext {
  recipe?: Recipe;
}

export type Rule = (manifest: Manifest, context: RuleContext) => ManifestIssue[];

/** AWS limits the rules enforce (AWS documentation; EMULATOR.md). */
export const LIMITS = {
  functionName: 64,
  roleName: 64,
  cachePolicyName: 128,
  pathPattern: 255,
  originPath: 255,
  customHeadersPerOrigin: 10,
  namesPerCacheKeyPart: 10,
  viewerEvent: { memorySize: 128, timeout: 5 },
  originEvent: { timeout: 30 },
} as const;

/** `*` is the distribution's default behavior. */
export const DEFAULT_PATTERN = '*';
/** `origin: "default"`: the origin of the distribution's default behavior. */
export const DEFAULT_ORIGIN = 'default';

export const VIEWER_EVENTS: readonly EventType[] = ['viewer-request', 'viewer-response'];
export const BODY_EVENTS: readonly EventType[] = ['viewer-request', 'origin-request'];

/** CloudFront PathPattern characters. */
/** CloudFront's path pattern characters, with the wildcards `*` (any characters) and `?` (one). */
const PATH_PATTERN_CHARS = /^[A-Za-z0-9_\-.*?$/~"'@:+&]+$/;
/** An HTTP field name (RFC 9110 token). */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Names CloudFront will not let an origin custom header set (plus the X-Amz-* and X-Edge-* prefixes). */
export const FORBIDDEN_ORIGIN_HEADERS: readonly string[] = [
  'Cache-Control', 'Connection', 'Content-Length', 'Cookie', 'Host', 'If-Match', 'If-Modified-Since',
  'If-None-Match', 'If-Range', 'If-Unmodified-Since', 'Max-Forwards', 'Pragma', 'Proxy-Authorization',
  'Proxy-Connection', 'Range', 'Request-Range', 'TE', 'Trailer', 'Transfer-Encoding', 'Upgrade', 'Via',
  'X-Real-Ip', 'X-Forwarded-Proto',
];
const FORBIDDEN_LOWER = new Set(FORBIDDEN_ORIGIN_HEADERS.map((h) => h.toLowerCase()));
const FORBIDDEN_PREFIXES = ['x-amz-', 'x-edge-'];

export function isForbiddenOriginHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_LOWER.has(lower) || FORBIDDEN_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** Behavior fields edge-install leaves alone on the default behavior and on adopted behaviors. */
const TRIGGER_ONLY_IGNORED = ['origin', 'viewerProtocolPolicy', 'allowedMethods', 'cachePolicy', 'originRequestPolicy', 'compress'] as const;

const isTriggerOnly = (behavior: ManifestBehavior): boolean => behavior.pathPattern === DEFAULT_PATTERN || behavior.adopt;
const describeBehavior = (index: number, behavior: ManifestBehavior): string => `behaviors[${index}] (${JSON.stringify(behavior.pathPattern)})`;
const triggerEntries = (behavior: ManifestBehavior) =>
  EVENT_TYPES.flatMap((event) => {
    const trigger = behavior.triggers[event];
    return trigger ? [{ event, trigger }] : [];
  });

export interface Attachment {
  behavior: number;
  pathPattern: string;
  event: EventType;
}

/** Where each function is attached: function key → its triggers. */
export function attachmentsOf(manifest: Manifest): Map<string, Attachment[]> {
  const map = new Map<string, Attachment[]>();
  manifest.behaviors.forEach((behavior, index) => {
    for (const { event, trigger } of triggerEntries(behavior)) {
      const list = map.get(trigger.function) ?? [];
      list.push({ behavior: index, pathPattern: behavior.pathPattern, event });
      map.set(trigger.function, list);
    }
  });
  return map;
}

const unknownKey = (kind: string, name: string, known: string[]): string => {
  const guess = closest(name, known);
  return `names no ${kind}: ${JSON.stringify(name)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`;
};

// ---- names -----------------------------------------------------------------------------

/** The AWS names derived from the integration name and keys must fit AWS's limits. */
export const checkDerivedNames: Rule = (m) => {
  const issues: ManifestIssue[] = [];
  const role = roleName(m.name);
  if (role.length > LIMITS.roleName) {
    issues.push(manifestIssue(['name'], `the IAM role name "${role}" is ${role.length} characters; IAM allows ${LIMITS.roleName}`, `shorten name to ${LIMITS.roleName - 5} characters or fewer`));
  }
  for (const key of Object.keys(m.functions)) {
    const name = functionName(m.name, key);
    if (name.length > LIMITS.functionName) {
      issues.push(
        manifestIssue(['functions', key], `the Lambda function name "${name}" is ${name.length} characters; Lambda allows ${LIMITS.functionName}`, `shorten the function key or the integration name by ${name.length - LIMITS.functionName} character${name.length - LIMITS.functionName === 1 ? '' : 's'}`),
      );
    }
  }
  for (const key of Object.keys(m.cachePolicies)) {
    const name = cachePolicyName(m.name, key);
    if (name.length > LIMITS.cachePolicyName || !/^[A-Za-z0-9_-]+$/.test(name)) {
      issues.push(manifestIssue(['cachePolicies', key], `the cache policy name "${name}" must be 1-${LIMITS.cachePolicyName} letters, digits, hyphens or underscores`, 'shorten or rename the key'));
    }
  }
  if (Object.hasOwn(m.origins, DEFAULT_ORIGIN)) {
    issues.push(
      manifestIssue(['origins', DEFAULT_ORIGIN], `"${DEFAULT_ORIGIN}" is reserved: origin: "${DEFAULT_ORIGIN}" on a behavior means the origin of the distribution's default behavior`, `rename the key (its origin Id would be "${originId(m.name, 'default')}") and update the behaviors that use it`),
    );
  }
  return issues;
};

/** Each distribution id is listed once. */
export const checkDistributions: Rule = (m) => {
  const seen = new Map<string, number>();
  const issues: ManifestIssue[] = [];
  m.distributions.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) issues.push(manifestIssue(['distributions', index], `${id} is already listed at distributions[${first}]`, 'remove the duplicate'));
    else seen.set(id, index);
  });
  return issues;
};

// ---- behaviors -------------------------------------------------------------------------

/** PathPattern: 1-255 characters of A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + &. */
export const checkPathPatterns: Rule = (m) =>
  m.behaviors.flatMap((behavior, index) => {
    const path = ['behaviors', index, 'pathPattern'];
    const pattern = behavior.pathPattern;
    if (pattern.length > LIMITS.pathPattern) {
      return [manifestIssue(path, `is ${pattern.length} characters; CloudFront allows ${LIMITS.pathPattern}`, `shorten it to ${LIMITS.pathPattern} characters or fewer`)];
    }
    if (!PATH_PATTERN_CHARS.test(pattern)) {
      const bad = [...new Set([...pattern].filter((c) => !PATH_PATTERN_CHARS.test(c)))];
      return [
        manifestIssue(
          path,
          `${JSON.stringify(pattern)} contains characters CloudFront does not allow in a path pattern: ${bad.map((c) => JSON.stringify(c)).join(' ')}`,
          'use only A-Z a-z 0-9 _ - . * ? $ / ~ " \' @ : + & (match anything else with * or ?)',
        ),
      ];
    }
    return [];
  });

/** Path patterns are unique (CloudFront refuses two behaviors with one pattern). */
export const checkUniquePathPatterns: Rule = (m) => {
  const seen = new Map<string, number>();
  const issues: ManifestIssue[] = [];
  m.behaviors.forEach((behavior, index) => {
    const first = seen.get(behavior.pathPattern);
    if (first !== undefined) {
      issues.push(manifestIssue(['behaviors', index, 'pathPattern'], `${JSON.stringify(behavior.pathPattern)} is also the pattern of behaviors[${first}]`, `merge the two entries into behaviors[${first}], or change one pattern`));
    } else {
      seen.set(behavior.pathPattern, index);
    }
  });
  return issues;
};

/**
 * The default behavior (`*`) and adopted behaviors exist already and are not owned: only
 * their triggers are set, so any other field would be silently ignored; say so instead.
 */
export const checkTriggerOnlyBehaviors: Rule = (m) =>
  m.behaviors.flatMap((behavior, index) => {
    if (!isTriggerOnly(behavior)) return [];
    const isDefault = behavior.pathPattern === DEFAULT_PATTERN;
    const what = isDefault ? 'the default behavior ("*")' : 'an adopted behavior';
    const issues: ManifestIssue[] = [];
    if (isDefault && behavior.adopt) {
      issues.push(manifestIssue(['behaviors', index, 'adopt'], 'the default behavior ("*") always exists and cannot be adopted', 'remove adopt: the "*" entry sets triggers on the default behavior as it is'));
    }
    for (const field of TRIGGER_ONLY_IGNORED) {
      if (behavior[field] !== undefined) {
        issues.push(
          manifestIssue(
            ['behaviors', index, field],
            `${what} only gets triggers; its ${field} stays as configured on the distribution`,
            isDefault ? `remove ${field} (to route a path elsewhere, add a new behavior with its own pathPattern)` : `remove ${field}, or remove adopt to create a behavior edge-install owns`,
          ),
        );
      }
    }
    if (triggerEntries(behavior).length === 0) {
      issues.push(manifestIssue(['behaviors', index, 'triggers'], `${what} has no triggers, so this entry changes nothing`, `add a trigger (e.g. "viewer-request": { "function": "<key>" }) or remove behaviors[${index}]`));
    }
    return issues;
  });

/** A behavior edge-install creates needs an origin: a key of `origins`, or `default`. */
export const checkBehaviorOrigins: Rule = (m) => {
  const known = [...Object.keys(m.origins), DEFAULT_ORIGIN];
  return m.behaviors.flatMap((behavior, index) => {
    if (isTriggerOnly(behavior)) return [];
    const path = ['behaviors', index, 'origin'];
    if (behavior.origin === undefined) {
      return [manifestIssue(path, `the new behavior ${JSON.stringify(behavior.pathPattern)} needs an origin`, `set origin to one of: ${listOf(known, true)}; or set adopt: true to only add triggers to an existing behavior with this pattern`)];
    }
    if (!known.includes(behavior.origin)) {
      return [manifestIssue(path, unknownKey('origin', behavior.origin, known), `use a key of origins or "default" (known: ${listOf(known, true)})`)];
    }
    return [];
  });
};

/** Each trigger names a function of the manifest, and IncludeBody only where CloudFront allows it. */
export const checkTriggers: Rule = (m) => {
  const known = Object.keys(m.functions);
  return m.behaviors.flatMap((behavior, index) =>
    triggerEntries(behavior).flatMap(({ event, trigger }) => {
      const path: PathSegment[] = ['behaviors', index, 'triggers', event];
      const issues: ManifestIssue[] = [];
      if (!Object.hasOwn(m.functions, trigger.function)) {
        issues.push(manifestIssue([...path, 'function'], unknownKey('function', trigger.function, known), `use a key of functions (known: ${listOf(known, true)}), or add a function "${trigger.function}"`));
      }
      if (trigger.includeBody && !BODY_EVENTS.includes(event)) {
        issues.push(manifestIssue([...path, 'includeBody'], `includeBody is only possible on viewer-request and origin-request, not ${event}`, 'remove includeBody (a response trigger never sees the request body)'));
      }
      return issues;
    }),
  );
};

// ---- functions -------------------------------------------------------------------------

/** Lambda@Edge limits per event: viewer events ≤ 128 MB and ≤ 5 s, origin events ≤ 30 s. */
export const checkFunctionLimits: Rule = (m) => {
  const attachments = attachmentsOf(m);
  return Object.entries(m.functions).flatMap(([key, fn]) => {
    const uses = attachments.get(key) ?? [];
    const viewer = uses.find((use) => VIEWER_EVENTS.includes(use.event));
    const origin = uses.find((use) => !VIEWER_EVENTS.includes(use.event));
    const issues: ManifestIssue[] = [];
    const where = (use: Attachment) => `${use.event} on ${describeBehavior(use.behavior, m.behaviors[use.behavior]!)}`;
    if (viewer && fn.memorySize > LIMITS.viewerEvent.memorySize) {
      issues.push(manifestIssue(['functions', key, 'memorySize'], `is ${fn.memorySize} MB, but the function is attached to ${where(viewer)}; Lambda@Edge allows at most ${LIMITS.viewerEvent.memorySize} MB on viewer events`, `set memorySize to ${LIMITS.viewerEvent.memorySize}, or attach the function to an origin event instead`));
    }
    if (viewer && fn.timeout > LIMITS.viewerEvent.timeout) {
      issues.push(manifestIssue(['functions', key, 'timeout'], `is ${fn.timeout} s, but the function is attached to ${where(viewer)}; Lambda@Edge allows at most ${LIMITS.viewerEvent.timeout} s on viewer events`, `set timeout to ${LIMITS.viewerEvent.timeout} or less, or attach the function to an origin event instead`));
    } else if (origin && fn.timeout > LIMITS.originEvent.timeout) {
      issues.push(manifestIssue(['functions', key, 'timeout'], `is ${fn.timeout} s; Lambda@Edge allows at most ${LIMITS.originEvent.timeout} s on origin events (${where(origin)})`, `set timeout to ${LIMITS.originEvent.timeout} or less`));
    }
    return issues;
  });
};

/** A function no trigger uses would be deployed and paid for, and attached nowhere: say so. */
export const checkFunctionsAttached: Rule = (m) => {
  const attachments = attachmentsOf(m);
  return Object.keys(m.functions)
    .filter((key) => !attachments.has(key))
    .map((key) =>
      manifestIssue(['functions', key], `the function "${key}" is not attached to any behavior`, `attach it with a trigger (behaviors[…].triggers.<event>: { "function": "${key}" }), or remove it`),
    );
};

/** `builtin:<name>` names a handler; a built-in handler reads its settings from the secret. */
export const checkHandlers: Rule = (m) => {
  const issues: ManifestIssue[] = [];
  const builtins: string[] = [];
  for (const [key, fn] of Object.entries(m.functions)) {
    if (!fn.handler.startsWith('builtin:')) continue;
    if (!/^builtin:[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/.test(fn.handler)) {
      issues.push(manifestIssue(['functions', key, 'handler'], `${JSON.stringify(fn.handler)} is not a built-in handler name`, 'write builtin:<name> (e.g. builtin:first-party-proxy), or a path such as ./edge/handler.ts'));
    } else {
      builtins.push(key);
    }
  }
  if (builtins.length && !m.secret) {
    const which = builtins.map((key) => `functions.${key} (${m.functions[key]!.handler})`).join(', ');
    issues.push(manifestIssue(['secret'], `${which} read${builtins.length === 1 ? 's' : ''} settings from the secret, but the manifest has no secret`, 'add a secret section (edge-install init writes one for its recipes)'));
  }
  return issues;
};

// ---- origins ---------------------------------------------------------------------------

/** Custom origin ports: 80, 443 or 1024-65535. */
export const checkOriginPorts: Rule = (m) =>
  Object.entries(m.origins).flatMap(([key, origin]) =>
    (['httpPort', 'httpsPort'] as const)
      .filter((field) => {
        const port = origin[field];
        return !(port === 80 || port === 443 || (port >= 1024 && port <= 65_535));
      })
      .map((field) => manifestIssue(['origins', key, field], `${origin[field]} is not a port CloudFront connects to`, 'use 80, 443, or a port from 1024 to 65535')),
  );

/** `domainName` is a host name, not a URL; `originPath` starts with / and does not end with one. */
export const checkOriginAddresses: Rule = (m) =>
  Object.entries(m.origins).flatMap(([key, origin]) => {
    const issues: ManifestIssue[] = [];
    const domain = origin.domainName;
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.exec(domain);
    if (url || /[/:?#\s]/.test(domain)) {
      const host = domain.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/:?#]/)[0] ?? '';
      const rest = domain.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').slice(host.length);
      const hints = [`set domainName to "${host}"`];
      if (rest.startsWith('/') && rest.length > 1) hints.push(`put "${rest.replace(/\/+$/, '')}" in originPath`);
      if (rest.startsWith(':')) hints.push('set httpsPort/httpPort for the port');
      issues.push(manifestIssue(['origins', key, 'domainName'], `${JSON.stringify(domain)} must be a host name only (no scheme, port or path)`, hints.join('; ')));
    } else if (!/^[A-Za-z0-9.-]+$/.test(domain) || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) {
      issues.push(manifestIssue(['origins', key, 'domainName'], `${JSON.stringify(domain)} is not a valid host name`, 'use a DNS name such as api.example.com'));
    }
    const originPath = origin.originPath;
    if (originPath !== '') {
      if (!originPath.startsWith('/') || originPath.endsWith('/')) {
        const fixed = `/${originPath.replace(/^\/+|\/+$/g, '')}`;
        issues.push(manifestIssue(['origins', key, 'originPath'], `${JSON.stringify(originPath)} must start with / and must not end with /`, fixed === '/' ? 'use "" for no origin path' : `use "${fixed}"`));
      } else if (originPath.length > LIMITS.originPath) {
        issues.push(manifestIssue(['origins', key, 'originPath'], `is ${originPath.length} characters; CloudFront allows ${LIMITS.originPath}`, 'shorten it'));
      }
    }
    return issues;
  });

/** Origin custom headers: valid names CloudFront lets an origin set, at most 10 per origin. */
export const checkOriginHeaders: Rule = (m) =>
  Object.entries(m.origins).flatMap(([key, origin]) => {
    const issues: ManifestIssue[] = [];
    const names = Object.keys(origin.customHeaders);
    if (names.length > LIMITS.customHeadersPerOrigin) {
      issues.push(manifestIssue(['origins', key, 'customHeaders'], `${names.length} custom headers; CloudFront allows ${LIMITS.customHeadersPerOrigin} per origin`, `remove headers until at most ${LIMITS.customHeadersPerOrigin} remain`));
    }
    const seen = new Map<string, string>();
    for (const name of names) {
      const path = ['origins', key, 'customHeaders', name];
      if (!HTTP_TOKEN.test(name)) {
        issues.push(manifestIssue(path, `${JSON.stringify(name)} is not a valid HTTP header name`, 'use letters, digits and ! # $ % & \' * + - . ^ _ ` | ~ only (no spaces or colons)'));
      } else if (isForbiddenOriginHeader(name)) {
        const reserved = FORBIDDEN_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix));
        issues.push(
          manifestIssue(path, `CloudFront does not allow an origin custom header named ${name}`, reserved ? 'rename it: X-Amz-* and X-Edge-* headers are reserved for AWS' : `remove it, or use another header name: CloudFront controls ${name} itself`),
        );
      }
      const lower = name.toLowerCase();
      const first = seen.get(lower);
      if (first !== undefined) issues.push(manifestIssue(path, `repeats the header ${first} (header names are case-insensitive)`, 'keep one of them'));
      else seen.set(lower, name);
    }
    return issues;
  });

/** An origin no behavior uses would be added to the distribution for nothing. */
export const checkOriginsUsed: Rule = (m) => {
  const used = new Set(m.behaviors.flatMap((b) => (isTriggerOnly(b) || b.origin === undefined ? [] : [b.origin])));
  return Object.keys(m.origins)
    .filter((key) => key !== DEFAULT_ORIGIN && !used.has(key))
    .map((key) => manifestIssue(['origins', key], `the origin "${key}" is not used by any behavior`, `set origin: "${key}" on a behavior, or remove it`));
};

// ---- cache policies --------------------------------------------------------------------

/** MinTTL ≤ DefaultTTL ≤ MaxTTL. */
export const checkCachePolicyTtls: Rule = (m) =>
  Object.entries(m.cachePolicies).flatMap(([key, policy]) => {
    const issues: ManifestIssue[] = [];
    const path = ['cachePolicies', key];
    if (policy.minTtl > policy.defaultTtl) {
      issues.push(manifestIssue([...path, 'minTtl'], `minTtl (${policy.minTtl}) is greater than defaultTtl (${policy.defaultTtl}); CloudFront needs minTtl ≤ defaultTtl ≤ maxTtl`, `lower minTtl to ${policy.defaultTtl} or less, or raise defaultTtl`));
    }
    if (policy.defaultTtl > policy.maxTtl) {
      issues.push(manifestIssue([...path, 'defaultTtl'], `defaultTtl (${policy.defaultTtl}) is greater than maxTtl (${policy.maxTtl}); CloudFront needs minTtl ≤ defaultTtl ≤ maxTtl`, `set defaultTtl to ${policy.maxTtl} or less (it defaults to 86400 when not given)`));
    }
    return issues;
  });

const keyPartCount = (names: 'all' | string[]): number => (names === 'all' ? 0 : names.length);
const keyPartUsed = (names: 'all' | string[]): boolean => names === 'all' || names.length > 0;

/** With maxTtl 0 nothing is cached, so nothing may be added to the cache key, compression included. */
export const checkCachingDisabled: Rule = (m) =>
  Object.entries(m.cachePolicies).flatMap(([key, policy]) => {
    if (policy.maxTtl !== 0) return [];
    const path = ['cachePolicies', key];
    const fix = (remedy: string) => `${remedy}; or use the managed policy CachingDisabled instead of an own policy`;
    const issues: ManifestIssue[] = [];
    for (const part of ['headers', 'cookies', 'queryStrings'] as const) {
      if (keyPartUsed(policy[part])) issues.push(manifestIssue([...path, part], `${part} is invalid for a policy with caching disabled (maxTtl 0)`, fix(`remove ${part} (nothing is cached, so nothing belongs in the cache key)`)));
    }
    for (const flag of ['gzip', 'brotli'] as const) {
      if (policy[flag]) issues.push(manifestIssue([...path, flag], `${flag} is invalid for a policy with caching disabled (maxTtl 0)`, fix(`set ${flag}: false (it defaults to true)`)));
    }
    return issues;
  });

/** At most 10 headers, 10 cookies and 10 query strings in a cache key. */
export const checkCacheKeyLimits: Rule = (m) =>
  Object.entries(m.cachePolicies).flatMap(([key, policy]) =>
    (['headers', 'cookies', 'queryStrings'] as const)
      .filter((part) => keyPartCount(policy[part]) > LIMITS.namesPerCacheKeyPart)
      .map((part) =>
        manifestIssue(['cachePolicies', key, part], `lists ${keyPartCount(policy[part])} ${part}; CloudFront allows ${LIMITS.namesPerCacheKeyPart} per cache policy`, part === 'headers' ? `keep at most ${LIMITS.namesPerCacheKeyPart}` : `keep at most ${LIMITS.namesPerCacheKeyPart}, or use "all"`),
      ),
  );

/** An own cache policy no behavior uses would be created for nothing. */
export const checkCachePoliciesUsed: Rule = (m) => {
  const used = new Set(m.behaviors.flatMap((b) => (!isTriggerOnly(b) && b.cachePolicy !== undefined ? [b.cachePolicy] : [])));
  return Object.keys(m.cachePolicies)
    .filter((key) => !used.has(key))
    .map((key) => manifestIssue(['cachePolicies', key], `the cache policy "${key}" is not used by any behavior`, `set cachePolicy: "${key}" on a behavior, or remove it`));
};

/** cachePolicy / originRequestPolicy name an own policy, a managed policy or a policy id. */
export const checkPolicyReferences: Rule = (m) => {
  const owned = Object.keys(m.cachePolicies);
  const managedCache = Object.keys(MANAGED_CACHE_POLICIES);
  const managedOrigin = Object.keys(MANAGED_ORIGIN_REQUEST_POLICIES);
  const bare = (name: string) => name.replace(/^Managed-/, '');
  return m.behaviors.flatMap((behavior, index) => {
    if (isTriggerOnly(behavior)) return [];
    const issues: ManifestIssue[] = [];
    const cache = behavior.cachePolicy;
    if (cache !== undefined && !resolveCachePolicy(cache, owned)) {
      const path = ['behaviors', index, 'cachePolicy'];
      if (managedOrigin.includes(bare(cache))) {
        issues.push(manifestIssue(path, `${cache} is an origin request policy, not a cache policy`, `move it to originRequestPolicy, and pick a cache policy (${listOf([...owned, ...managedCache])})`));
      } else {
        const guess = closest(cache, [...owned, ...managedCache]);
        issues.push(
          manifestIssue(path, `${JSON.stringify(cache)} is neither a key of cachePolicies, a managed cache policy nor a policy id${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`, `use a key of cachePolicies (${listOf(owned)}), a managed policy (${listOf(managedCache)}), or a policy id`),
        );
      }
    }
    const origin = behavior.originRequestPolicy;
    if (origin !== undefined && !resolveOriginRequestPolicy(origin)) {
      const path = ['behaviors', index, 'originRequestPolicy'];
      if (owned.includes(origin) || managedCache.includes(bare(origin))) {
        issues.push(manifestIssue(path, `${origin} is a cache policy, not an origin request policy`, `move it to cachePolicy; originRequestPolicy takes a managed origin request policy (${listOf(managedOrigin)}) or a policy id`));
      } else {
        const guess = closest(origin, managedOrigin);
        issues.push(
          manifestIssue(path, `${JSON.stringify(origin)} is neither a managed origin request policy nor a policy id${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`, `use a managed origin request policy (${listOf(managedOrigin)}) or a policy id`),
        );
      }
    }
    return issues;
  });
};

// ---- secret ----------------------------------------------------------------------------

/** The secret has keys, sensitive keys hold no value, replicas are other regions and listed once. */
export const checkSecret: Rule = (m) => {
  const secret = m.secret;
  if (!secret) return [];
  const issues: ManifestIssue[] = [];
  if (Object.keys(secret.keys).length === 0) {
    issues.push(manifestIssue(['secret', 'keys'], 'the secret has no keys', 'list the keys the handlers read (e.g. "FPJS_PRE_SHARED_SECRET": { "sensitive": true }), or remove the secret'));
  }
  for (const [name, key] of Object.entries(secret.keys)) {
    if (key.sensitive && key.value !== undefined) {
      issues.push(
        manifestIssue(['secret', 'keys', name, 'value'], `${name} is sensitive, and sensitive values never live in the manifest`, `remove value (and rotate the secret if this file was shared); give it to edge-install init with --secrets-file, --secrets-stdin or EDGE_INSTALL_SECRET_${name}`),
      );
    }
  }
  const seen = new Map<string, number>();
  secret.replicaRegions.forEach((region, index) => {
    const path = ['secret', 'replicaRegions', index];
    if (region === secret.region) {
      issues.push(manifestIssue(path, `${region} is the secret's own region, not a replica`, `remove it from replicaRegions`));
      return;
    }
    const first = seen.get(region);
    if (first !== undefined) issues.push(manifestIssue(path, `${region} is already listed at secret.replicaRegions[${first}]`, 'remove the duplicate'));
    else seen.set(region, index);
  });
  return issues;
};

/** Values a recipe derives (the first-party path from the app id) still agree with their source. */
export const checkRecipeValues: Rule = (m, { recipe }) => {
  if (!recipe || recipe.name !== m.recipe) return [];
  return staleDerivedValues(recipe, m.values).map(({ key, from, expected }) =>
    manifestIssue(
      ['values', key],
      `is ${JSON.stringify(m.values[key])}, but values.${from} ${JSON.stringify(m.values[from])} gives ${JSON.stringify(expected)} (the ${m.recipe} recipe derives one from the other)`,
      `set values.${key} to ${JSON.stringify(expected)}, or values.${from} back`,
    ),
  );
};

/** A recipe's secret keys stay sensitive: their values never live in the manifest, plans or output. */
export const checkRecipeSecrets: Rule = (m, { recipe }) => {
  if (!recipe || recipe.name !== m.recipe || !m.secret) return [];
  const keys = m.secret.keys;
  return secretQuestions(recipe)
    .filter((q) => keys[q.key] !== undefined && !keys[q.key]!.sensitive)
    .map((q) =>
      manifestIssue(
        ['secret', 'keys', q.key],
        `${q.key} is a secret of the ${m.recipe} recipe, so it must be "sensitive": true (a non-sensitive value is written in the manifest, plans and output)`,
        `set it to { "sensitive": true } and store its value with edge-install init (--secrets-file, --secrets-from-env or --secrets-stdin); rotate it if this file was shared`,
      ),
    );
};

/** Every rule, in the order issues are reported. */
export const RULES: Readonly<Record<string, Rule>> = {
  checkDerivedNames,
  checkRecipeValues,
  checkRecipeSecrets,
  checkDistributions,
  checkSecret,
  checkHandlers,
  checkFunctionLimits,
  checkFunctionsAttached,
  checkOriginAddresses,
  checkOriginPorts,
  checkOriginHeaders,
  checkOriginsUsed,
  checkCachePolicyTtls,
  checkCachingDisabled,
  checkCacheKeyLimits,
  checkCachePoliciesUsed,
  checkPathPatterns,
  checkUniquePathPatterns,
  checkTriggerOnlyBehaviors,
  checkBehaviorOrigins,
  checkPolicyReferences,
  checkTriggers,
};

/** All issues of a zod-checked manifest (an empty list when it is valid). */
export function validateManifest(manifest: Manifest, context: RuleContext = {}): ManifestIssue[] {
  return Object.values(RULES).flatMap((rule) => rule(manifest, context));
}
