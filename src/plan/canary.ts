/**
 * PURE: `attach --canary` assembled — the attach plan (resources and, per distribution, the
 * change the manifest makes), sent to a staging copy of each primary instead of the primary,
 * with the continuous deployment policy that routes the canary's share of traffic to it.
 *
 * CloudFront's rules this plans around (CloudFront Developer Guide, "Use CloudFront continuous
 * deployment to safely test CDN configuration changes", "Work with a staging distribution and
 * continuous deployment policy", "Quotas and other considerations for continuous deployment"):
 * - a staging distribution's path patterns must be the same as or a subset of the primary's:
 *   a change that adds a behavior cannot be staged directly. Phase 1 adds such behaviors (and
 *   their origins) to the primary without their triggers — only when the manifest declares
 *   their paths serve nothing before the integration exists (`addBeforeCanary`) — and phase 2
 *   stages the triggers;
 * - no continuous deployment for a distribution that supports HTTP/3;
 * - 20 staging distributions and 20 policies per account;
 * - while a policy is attached, only some members may change (MUTABLE_WHILE_ATTACHED);
 * - with S3 origin access control, the bucket policy must also allow the staging distribution.
 */
import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { ObservedCanary } from '../aws/observe/canary.js';
import { attachedIsOurs } from './canary-state.js';
import type { AttachPlan } from './attach.js';
import { functionNameOfArn, list } from './cloudfront-values.js';
import type { DistributionPlan } from './distribution.js';
import { ownedParts, type Owner, type OwnedParts } from './owned-parts.js';
import { normalizePattern } from './path-patterns.js';
import { verdictOf, type Blocker } from './plan.js';
import { describeTraffic, type CanaryTraffic } from './canary-traffic.js';
import { sameValue } from './values.js';

/** Per account (CloudFront Developer Guide, "Quotas and other considerations for continuous deployment"). */
export const MAX_STAGING_DISTRIBUTIONS = 20;
export const MAX_POLICIES = 20;

/**
 * What may change on a primary or staging distribution while a policy is attached (CloudFront
 * Developer Guide, "Work with a staging distribution and continuous deployment policy",
 * section "Update primary and staging distributions"): anything else is refused with
 * IllegalUpdate. CallerReference never changes; the policy id is what attaches or detaches it.
 */
export const MUTABLE_WHILE_ATTACHED = new Set([
  'CacheBehaviors', 'DefaultCacheBehavior', 'Origins', 'OriginGroups', 'CustomErrorResponses', 'Restrictions', 'DefaultRootObject', 'Logging', 'Comment',
  'CallerReference', 'ContinuousDeploymentPolicyId',
]);

/** Members a staging copy has of its own: never compared with the primary, never promoted. */
const STAGING_OWN = new Set(['CallerReference', 'Staging', 'Aliases', 'ContinuousDeploymentPolicyId']);

/** HttpVersion values that include HTTP/3 (API reference, DistributionConfig.HttpVersion). */
const HTTP3 = new Set(['http3', 'http2and3']);

export interface CanaryTarget {
  primaryId: string;
  primaryDomain: string;
  traffic: CanaryTraffic;
  /** Phase 1: the new origins and behaviors, without their triggers, written to the primary first. */
  phaseOne?: DistributionPlan;
  /** The integration's staging copy: made now (CopyDistribution) or reused. */
  staging: { action: 'create' } | { action: 'update'; id: string; domainName: string };
  /** The policy: created, or the one naming the reused copy updated (enabled, this traffic). */
  policy: { action: 'create' } | { action: 'update'; id: string };
  /** The primary gets the policy attached: one write that changes only ContinuousDeploymentPolicyId. */
  attachPolicy: boolean;
}

export interface CanaryAttachPlan extends AttachPlan {
  canary: { traffic: CanaryTraffic; targets: CanaryTarget[]; observed: Record<string, ObservedCanary> };
}

/** The config a staging copy gets: the primary's as changed, with the copy's own members. */
export function stagingConfig(config: DistributionConfig, callerReference: string): DistributionConfig {
  return { ...structuredClone(config), CallerReference: callerReference, Staging: true, Aliases: { Quantity: 0 }, ContinuousDeploymentPolicyId: '' };
}

/** Members of `after` that differ from `before` and may not change while a policy is attached. */
export function unsupportedWhileAttached(before: DistributionConfig, after: DistributionConfig): string[] {
  const a: Record<string, unknown> = { ...before };
  const b: Record<string, unknown> = { ...after };
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !MUTABLE_WHILE_ATTACHED.has(k) && !sameValue(a[k], b[k])).sort();
}

type Behavior = NonNullable<NonNullable<DistributionConfig['CacheBehaviors']>['Items']>[number];

/**
 * Phase 1 of a canary that adds behaviors: the primary as it is, plus the change's new
 * origins and new behaviors without any trigger, each new behavior placed before the one the
 * full change puts after it (CloudFront's first-match order stays as planned).
 */
export function phaseOnePlan(full: DistributionPlan, before: DistributionConfig, owner: Owner, previous: OwnedParts | undefined): DistributionPlan | undefined {
  const createdPatterns = full.changes.flatMap((c) => (c.address.kind === 'behavior' && c.action === 'create' ? [c.address.pattern] : []));
  if (!createdPatterns.length) return undefined;
  const created = new Set(createdPatterns.map(normalizePattern));
  const config = structuredClone(before);
  const newOrigins = full.changes.filter((c) => c.address.kind === 'origin' && c.action === 'create').map((c) => structuredClone(c.after as Origin));
  config.Origins = list([...(before.Origins?.Items ?? []), ...newOrigins]) as DistributionConfig['Origins'];

  const behaviors: Behavior[] = structuredClone(before.CacheBehaviors?.Items ?? []);
  const finalOrder = full.config.CacheBehaviors?.Items ?? [];
  finalOrder.forEach((b, i) => {
    if (!created.has(normalizePattern(b.PathPattern ?? ''))) return;
    const bare: Behavior = { ...structuredClone(b), LambdaFunctionAssociations: { Quantity: 0 } };
    // Before the first behavior the full change puts after it that the primary already has.
    const next = finalOrder.slice(i + 1).find((n) => behaviors.some((x) => normalizePattern(x.PathPattern ?? '') === normalizePattern(n.PathPattern ?? '')));
    const at = next ? behaviors.findIndex((x) => normalizePattern(x.PathPattern ?? '') === normalizePattern(next.PathPattern ?? '')) : behaviors.length;
    behaviors.splice(at, 0, bare);
  });
  config.CacheBehaviors = list(behaviors) as DistributionConfig['CacheBehaviors'];
  const order = behaviors.map((b) => b.PathPattern ?? '');
  const changes = full.changes
    .filter((c) => c.action === 'create' && (c.address.kind === 'origin' || c.address.kind === 'behavior'))
    .map((c) => (c.address.kind === 'behavior' ? { ...c, position: order.findIndex((p) => normalizePattern(p) === normalizePattern((c.address as { pattern: string }).pattern)) } : c));
  return {
    id: full.id,
    etag: full.etag,
    status: full.status,
    changes,
    warnings: [],
    // What blocks the whole change blocks its first phase (unreadable members, quotas): checked again at write time.
    conflicts: [...full.conflicts],
    errors: [...full.errors],
    config,
    ownedBefore: full.ownedBefore,
    ownedAfter: ownedParts(config, owner, previous, createdPatterns),
    order,
  };
}

const ownerOf = (plan: AttachPlan): Owner => ({ integration: plan.integration, functionNames: plan.inputs.ownedFunctionNames, originKeys: Object.keys(plan.inputs.manifest.origins) });

/** Why this distribution's change cannot be canaried (exit 2 each, with the fix), and what the reader should know. */
function checkTarget(plan: AttachPlan, d: DistributionPlan, observed: ObservedDistribution, c: ObservedCanary): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const httpVersion = observed.config.HttpVersion ?? '';
  if (HTTP3.has(httpVersion)) {
    errors.push(
      `${d.id} supports HTTP/3 (HttpVersion ${httpVersion}), and CloudFront has no continuous deployment for distributions that support HTTP/3. ` +
        `Fix: set its supported HTTP versions to HTTP/2 and HTTP/1.1 (HttpVersion http2), or attach without --canary`,
    );
  }
  if (c.attached && !attachedIsOurs(c)) {
    const names = (c.attached.config.StagingDistributionDnsNames?.Items ?? []).join(', ') || 'none';
    errors.push(
      `${d.id} already has a continuous deployment policy that edge-install did not make (${c.attached.id}, staging ${names}): a canary needs the primary's policy. ` +
        'Fix: promote or end that deployment first (remove the policy from the primary), or attach without --canary',
    );
  }
  // New behaviors: staged only after phase 1 put them on the primary, and only if declared safe.
  const manifestBehaviors = plan.inputs.manifest.behaviors;
  for (const change of d.changes) {
    if (change.address.kind !== 'behavior' || change.action !== 'create') continue;
    const pattern = change.address.pattern;
    const declared = manifestBehaviors.find((b) => normalizePattern(b.pathPattern) === normalizePattern(pattern))?.addBeforeCanary;
    if (!declared) {
      errors.push(
        `the change adds behavior ${pattern}, and CloudFront stages only path patterns the primary already has (a staging distribution's path patterns must be the same as or a subset of the primary's), so it cannot be canaried directly. ` +
          `Fix: if ${pattern} serves nothing on the site before the integration exists, set "addBeforeCanary": true on that behavior in the manifest (the canary then adds it to the primary without triggers first); otherwise attach without --canary`,
      );
    }
  }
  if (!c.staging && c.stagingCount >= MAX_STAGING_DISTRIBUTIONS) {
    errors.push(`the account has ${c.stagingCount} staging distributions, CloudFront's limit (${MAX_STAGING_DISTRIBUTIONS}), and the canary needs one more. Fix: delete staging distributions no longer used (edge-install abort --delete-staging removes edge-install's), or attach without --canary`);
  }
  if (!c.policy && c.policyCount >= MAX_POLICIES) {
    errors.push(`the account has ${c.policyCount} continuous deployment policies, CloudFront's limit (${MAX_POLICIES}), and the canary needs one more. Fix: delete policies no longer used (aws cloudfront list-continuous-deployment-policies), or attach without --canary`);
  }
  if (c.staging && c.attached && attachedIsOurs(c)) {
    // The staging copy changes while the policy is attached (enabled or not): only some members may.
    const unsupported = unsupportedWhileAttached(c.staging.config, stagingConfig(d.config, c.staging.config.CallerReference ?? ''));
    if (unsupported.length) {
      errors.push(
        `the canary's policy is attached to ${d.id}, and the staging copy would change ${unsupported.join(', ')}, which CloudFront does not allow while the policy is attached (IllegalUpdate: one or more fields updated are not supported for continuous deployment). ` +
          `Fix: run edge-install abort --distribution ${d.id}, then attach --canary again (the copy is made afresh)`,
      );
    }
  }
  const allow = c.staging ? `${c.staging.arn} in its AWS:SourceArn condition` : "the staging copy's ARN in its AWS:SourceArn condition (printed when the copy is made)";
  for (const origin of d.config.Origins?.Items ?? []) {
    if (!origin.OriginAccessControlId) continue;
    warnings.push(`origin ${origin.Id} uses origin access control: its S3 bucket policy must also allow ${allow}, or the canary's requests to it are refused with 403`);
  }
  return { errors, warnings };
}

function canaryNotes(target: CanaryTarget, c: ObservedCanary): string[] {
  const notes: string[] = [];
  if (target.phaseOne) {
    const added = target.phaseOne.changes.map((ch) => `${ch.address.kind} ${ch.address.kind === 'behavior' ? ch.address.pattern : (ch.address as { id: string }).id}`).join(', ');
    notes.push(`canary phase 1: ${added} go to the primary first, without triggers (requests to those paths reach the origin directly until the promote); the new behavior paths serve nothing on the site before the integration exists (the manifest says so: addBeforeCanary)`);
  }
  const staging = target.staging.action === 'create' ? 'a new staging copy of the primary (CopyDistribution)' : `the staging copy ${target.staging.id}`;
  notes.push(`canary${target.phaseOne ? ' phase 2' : ''}: the change above goes to ${staging}, not to the primary; ${describeTraffic(target.traffic)} go to it`);
  notes.push(
    target.attachPolicy
      ? `the primary gets the continuous deployment policy attached: one write that changes nothing else`
      : `the continuous deployment policy is already attached to the primary (${c.attached?.id}): the primary is not written`,
  );
  notes.push('the staging copy starts with a cold cache, and during CloudFront-wide traffic peaks all requests go to the primary; finish with edge-install promote, or end it with edge-install abort');
  return notes;
}

/** The attach plan, canaried: each changed distribution's change goes to its staging copy. */
/**
 * What the resource steps change that live traffic uses too: a canary stages only what the
 * distributions run (new function versions, behaviors, triggers). A cache policy a primary's
 * behavior uses, and — once the integration runs somewhere — the secret's values (read by every
 * running version) and its existing role's policies reach every viewer at once, and an abort
 * would not put them back: refused, with the way out. (On a first install nothing reads them yet.)
 */
export function sharedResourceChanges(plan: AttachPlan): string[] {
  const r = plan.resourcePlan;
  const out: string[] = [];
  const usedPolicies = new Set(
    plan.inputs.distributions.flatMap((d) => [d.config.DefaultCacheBehavior?.CachePolicyId, ...(d.config.CacheBehaviors?.Items ?? []).map((b) => b.CachePolicyId)]),
  );
  for (const c of r.cachePolicies) if (c.action === 'update' && c.id && usedPolicies.has(c.id)) out.push(`cache-policy ${c.key} (${c.name}) settings`);
  const lastByDistribution = new Map(plan.inputs.revisions.map((rev) => [rev.distributionId, rev]));
  const live = plan.distributions.some((d) => d.ownedBefore.associations.length) || [...lastByDistribution.values()].some((rev) => rev.ownedAfter.associations.length);
  if (!live) return out;
  if (r.secret?.action === 'update' && r.secret.keysToWrite.length) out.push(`the secret ${r.secret.name}'s values (${r.secret.keysToWrite.join(', ')})`);
  if (!r.role.createRole && (r.role.updateTrust || r.role.putExecutionPolicy)) out.push(`the role ${r.role.name}'s ${[r.role.updateTrust && 'trust policy', r.role.putExecutionPolicy && 'inline policy'].filter(Boolean).join(' and ')}`);
  return out;
}

export function assembleCanary(plan: AttachPlan, observed: Record<string, ObservedCanary>, traffic: CanaryTraffic): CanaryAttachPlan {
  const owner = ownerOf(plan);
  const targets: CanaryTarget[] = [];
  const distributions = plan.distributions.map((d, i) => {
    const observedDistribution = plan.inputs.distributions[i]!;
    const c = observed[d.id]!;
    if (!d.changes.length) return d;
    const { errors, warnings } = checkTarget(plan, d, observedDistribution, c);
    const previous = plan.inputs.revisions.filter((r) => r.distributionId === d.id).at(-1)?.ownedAfter;
    const target: CanaryTarget = {
      primaryId: d.id,
      primaryDomain: observedDistribution.domainName,
      traffic,
      ...(errors.length ? {} : { phaseOne: phaseOnePlan(d, observedDistribution.config, owner, previous) }),
      staging: c.staging ? { action: 'update', id: c.staging.id, domainName: c.staging.domainName } : { action: 'create' },
      policy: c.policy ? { action: 'update', id: c.policy.id } : { action: 'create' },
      attachPolicy: !(c.policy && c.attached?.id === c.policy.id),
    };
    if (!target.phaseOne) delete target.phaseOne;
    targets.push(target);
    return { ...d, errors: [...d.errors, ...errors], warnings: [...d.warnings, ...warnings], notes: [...(d.notes ?? []), ...canaryNotes(target, c)] };
  });
  const shared = sharedResourceChanges(plan);
  const blockers: Blocker[] = shared.length
    ? [
        {
          kind: 'input',
          reason:
            `this change also updates ${shared.join('; ')}, which the primary's traffic uses at once: a canary stages only what the distributions run (function versions, behaviors, triggers), and abort would not put these back. ` +
            'Fix: attach without --canary, or leave those settings as they are for this canary and change them with a separate attach',
        },
      ]
    : [];
  return { ...plan, distributions, verdict: verdictOf(plan.resources, distributions, blockers), canary: { traffic, targets, observed } };
}

/**
 * What a promote would carry onto the primary besides the integration's own parts: members,
 * origins and behaviors where the primary and its staging copy differ once each one's owned
 * parts are set aside — edits made to the primary (or the copy) outside edge-install since the
 * canary began, which the promote would overwrite. Empty: the promote changes the owned parts only.
 */
export function foreignDifferences(primary: DistributionConfig, staging: DistributionConfig, owner: Owner, previous?: OwnedParts): string[] {
  const strip = (config: DistributionConfig, parts: OwnedParts): Record<string, unknown> => {
    const originIds = new Set(parts.origins.map((o) => o.Id));
    const created = new Set(parts.behaviors.filter((b) => b.created).map((b) => normalizePattern(b.pathPattern)));
    const names = new Set(owner.functionNames);
    const bare = <B extends { LambdaFunctionAssociations?: { Items?: { LambdaFunctionARN?: string }[] } }>(b: B): B => {
      const kept = (b.LambdaFunctionAssociations?.Items ?? []).filter((a) => !names.has(functionNameOfArn(a.LambdaFunctionARN) ?? ''));
      return { ...b, LambdaFunctionAssociations: list(kept) };
    };
    const out: Record<string, unknown> = { ...config };
    for (const k of STAGING_OWN) delete out[k];
    out.Origins = (config.Origins?.Items ?? []).filter((o) => !originIds.has(o.Id));
    out.CacheBehaviors = (config.CacheBehaviors?.Items ?? []).filter((b) => !created.has(normalizePattern(b.PathPattern ?? ''))).map(bare);
    out.DefaultCacheBehavior = config.DefaultCacheBehavior && bare(config.DefaultCacheBehavior);
    return out;
  };
  const a = strip(primary, ownedParts(primary, owner, previous));
  const b = strip(staging, ownedParts(staging, owner, previous));
  const out: string[] = [];
  const byKey = (items: unknown, key: string) => new Map((items as Record<string, unknown>[]).map((i) => [String(i[key]), i]));
  const compareList = (what: string, left: unknown, right: unknown, key: string) => {
    const l = byKey(left, key);
    const r = byKey(right, key);
    for (const k of new Set([...l.keys(), ...r.keys()])) if (!sameValue(l.get(k), r.get(k))) out.push(`${what} ${k}`);
    const order = (m: Map<string, unknown>) => [...m.keys()].filter((k) => l.has(k) && r.has(k));
    if (!out.some((o) => o.startsWith(what)) && order(l).join('\n') !== order(r).join('\n')) out.push(`the order of the ${what}s`);
  };
  compareList('origin', a.Origins, b.Origins, 'Id');
  compareList('behavior', a.CacheBehaviors, b.CacheBehaviors, 'PathPattern');
  if (!sameValue(a.DefaultCacheBehavior, b.DefaultCacheBehavior)) out.push('the default behavior');
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (['Origins', 'CacheBehaviors', 'DefaultCacheBehavior'].includes(k)) continue;
    if (!sameValue(a[k], b[k])) out.push(k);
  }
  return out;
}
