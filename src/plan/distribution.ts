/**
 * PURE: the distribution half of a plan. Takes a distribution's config as read (and its
 * ETag) and the manifest, and returns the config to write — the owned origins, behaviors and
 * triggers set as the manifest says, everything else carried over untouched — with the list
 * of changes, warnings and conflicts. Run once to show the plan (with placeholders for versions
 * not yet published), and again at apply time with the real version ARNs: same rules, same
 * result.
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, LambdaFunctionAssociation, Origin } from '@aws-sdk/client-cloudfront';
import type { EventType, Manifest, ManifestBehavior } from '../manifest/schema.js';
import { originId } from '../manifest/naming.js';
import type { Change } from './changes.js';
import { associationFor, behaviorFor, functionNameOfArn, list, originFor, type PolicyIds } from './cloudfront-values.js';
import { ownedOriginIds, ownedParts, type OwnedParts, type Owner } from './owned-parts.js';
import { normalizePattern, orderNewPatterns } from './path-patterns.js';
import type { Unknown } from './unknown.js';
import { DEFAULT_DISTRIBUTION_QUOTAS, quotaFindings, type DistributionQuotas, type QuotaName } from './quotas.js';
import { sameValue } from './values.js';
import { behaviorCollision } from './behavior-collision.js';

/**
 * What a function key will be associated as, by key: a published version's ARN, or (at plan
 * time) the version this apply will publish, not known until then.
 */
export type FunctionVersions = Record<string, string | Unknown>;

export interface DistributionPlanInput {
  manifest: Manifest;
  id: string;
  etag: string;
  status?: string;
  config: DistributionConfig;
  /** Members of the config the AWS SDK did not understand (they would be lost on write). */
  unknownMembers?: string[];
  /** By function key. */
  functionVersions: FunctionVersions;
  /** By owned cache policy key: its id, or unknown for one this apply creates. */
  cachePolicyIds: PolicyIds;
  /** Function names that are ours (the manifest's, and any from earlier revisions). */
  ownedFunctionNames: string[];
  replaceForeign?: boolean;
  /** Owned parts recorded by the last revision, if there is one. */
  previous?: OwnedParts;
  /** The account's CloudFront quotas (quotas.ts); AWS's defaults when absent. */
  quotas?: DistributionQuotas;
  /** Quotas that are AWS's defaults, assumed: passing one is a warning, not an error. */
  unconfirmedQuotas?: readonly QuotaName[];
  /** Attach to a primary distribution with a continuous deployment policy all the same (--allow-continuous-deployment). */
  allowContinuousDeployment?: boolean;
  /** The integration's own canary on this primary (its policy attached): running (enabled) or idle. */
  ownCanary?: 'running' | 'idle';
  /** The change goes to a staging copy (attach --canary), which plans the primary's policy itself (canary.ts). */
  canary?: boolean;
}

export interface DistributionPlan {
  id: string;
  etag: string;
  status?: string;
  changes: Change[];
  warnings: string[];
  /** Reasons the plan cannot be applied; non-empty means nothing will be written. */
  conflicts: string[];
  /** Errors in the input itself (quotas): exit 2. */
  errors: string[];
  /** The whole config to write. */
  config: DistributionConfig;
  ownedBefore: OwnedParts;
  ownedAfter: OwnedParts;
  /** Behavior path patterns in their final order, for display. */
  order: string[];
  /** What the reader should know about this distribution's plan beyond its changes (rollback's mode). */
  notes?: string[];
}

const VIEWER_EVENTS = new Set<string>(['viewer-request', 'viewer-response']);

interface Context {
  input: DistributionPlanInput;
  config: DistributionConfig;
  owned: Set<string>;
  /** The integration's origin Ids in the config as read (owned-parts.ts, ownedOriginIds). */
  originIds: Set<string>;
  changes: Change[];
  warnings: string[];
  conflicts: string[];
  /** Bad input for this distribution (exit 2): quotas, rules CloudFront would refuse. */
  errors: string[];
}

/** `arn:aws:cloudfront::123456789012:function/spa-rewrite` → `spa-rewrite`. */
const cloudFrontFunctionName = (arn: string | undefined): string => arn?.split('function/').at(-1) ?? '(unnamed)';

const isOwnedArn = (ctx: Context, arn: string | undefined): boolean => ctx.owned.has(functionNameOfArn(arn) ?? '');

/** The integration is on this distribution when one of its functions is associated somewhere. */
function integrationPresent(ctx: Context): boolean {
  const behaviors = [ctx.config.DefaultCacheBehavior, ...(ctx.config.CacheBehaviors?.Items ?? [])];
  return behaviors.some((b) => (b?.LambdaFunctionAssociations?.Items ?? []).some((a) => isOwnedArn(ctx, a.LambdaFunctionARN)));
}

// ---- origins ------------------------------------------------------------------------------

function planOrigins(ctx: Context, present: boolean): void {
  const { manifest, previous } = ctx.input;
  const origins = ctx.config.Origins?.Items ?? [];
  const wanted = new Map(Object.entries(manifest.origins).map(([key, origin]) => [originId(manifest.name, key), origin]));
  for (const [id, origin] of wanted) {
    const index = origins.findIndex((o) => o.Id === id);
    const desired = originFor(id, origin);
    if (index < 0) {
      origins.push(desired);
      ctx.changes.push({ action: 'create', address: { kind: 'origin', id }, after: desired });
      continue;
    }
    const existing = origins[index]!;
    const ours = present || previous?.origins.some((o) => o.Id === id);
    if (!ours) {
      ctx.conflicts.push(`origin ${id} already exists and was not created by edge-install for ${manifest.name}: rename the origin key in the manifest, or remove that origin`);
      continue;
    }
    const merged = { ...existing, ...desired };
    if (!sameValue(existing, merged)) {
      origins[index] = merged;
      ctx.changes.push({ action: 'update', address: { kind: 'origin', id }, before: existing, after: merged });
    }
  }
  ctx.config.Origins = list(origins) as DistributionConfig['Origins'];
}

/** Owned origins the manifest no longer has go, once no behavior targets them. */
function removeDroppedOrigins(ctx: Context): void {
  const { manifest } = ctx.input;
  const wanted = new Set(Object.keys(manifest.origins).map((key) => originId(manifest.name, key)));
  const targets = new Set([ctx.config.DefaultCacheBehavior?.TargetOriginId, ...(ctx.config.CacheBehaviors?.Items ?? []).map((b) => b.TargetOriginId)]);
  const origins = ctx.config.Origins?.Items ?? [];
  const kept: Origin[] = [];
  for (const origin of origins) {
    if (ctx.originIds.has(origin.Id ?? '') && !wanted.has(origin.Id!) && !targets.has(origin.Id)) {
      ctx.changes.push({ action: 'delete', address: { kind: 'origin', id: origin.Id! }, before: origin });
    } else kept.push(origin);
  }
  ctx.config.Origins = list(kept) as DistributionConfig['Origins'];
}

// ---- associations -------------------------------------------------------------------------

type AnyBehavior = CacheBehavior | DefaultCacheBehavior;

function planAssociations(ctx: Context, behavior: AnyBehavior, pattern: string, triggers: ManifestBehavior['triggers']): void {
  const items: LambdaFunctionAssociation[] = [...(behavior.LambdaFunctionAssociations?.Items ?? [])];
  // CloudFront Functions on the viewer events: a Lambda@Edge viewer trigger cannot join them.
  const viewerFunctions = (behavior.FunctionAssociations?.Items ?? []).filter((f) => VIEWER_EVENTS.has(f.EventType ?? ''));
  const wanted = Object.entries(triggers) as [EventType, { function: string; includeBody: boolean }][];
  for (const [eventType, trigger] of wanted) {
    const address = { kind: 'association', pattern, event: eventType } as const;
    const ref = ctx.input.functionVersions[trigger.function];
    if (!ref) throw new Error(`no version reference for functions.${trigger.function}`);
    const desired = associationFor(eventType, ref, trigger.includeBody);
    if (VIEWER_EVENTS.has(eventType) && viewerFunctions.length) {
      // AWS: "You can't combine CloudFront Functions and Lambda@Edge in viewer events (viewer
      // request and viewer response)" (CloudFront Developer Guide, restrictions on all edge
      // functions); origin events may be mixed. CloudFront would refuse the write: refused here.
      const those = viewerFunctions.map((f) => `${cloudFrontFunctionName(f.FunctionARN)} on ${f.EventType}`).join(', ');
      ctx.errors.push(
        `behavior ${pattern}: the Lambda@Edge ${eventType} trigger (functions.${trigger.function}) cannot share the behavior with the CloudFront Function ${those} — CloudFront does not combine CloudFront Functions and Lambda@Edge in viewer events. ` +
          `Move the trigger to an origin event (origin-request or origin-response) if the handler allows it, or remove the CloudFront Function from this behavior`,
      );
      continue;
    }
    const index = items.findIndex((a) => a.EventType === eventType);
    if (index < 0) {
      items.push(desired);
      ctx.changes.push({ action: 'create', address, after: desired });
      continue;
    }
    const current = items[index]!;
    const ours = isOwnedArn(ctx, current.LambdaFunctionARN);
    if (!ours && !ctx.input.replaceForeign) {
      ctx.conflicts.push(`behavior ${pattern} already has a Lambda@Edge function on ${eventType} (${current.LambdaFunctionARN}) that edge-install does not own: pass --replace-foreign to replace it (it is recorded, and rollback or detach put it back)`);
      continue;
    }
    if (!ours || !sameValue(current, desired)) {
      items[index] = desired;
      ctx.changes.push({ action: 'update', address, before: current, after: desired, ...(ours ? {} : { replacedForeign: current.LambdaFunctionARN }) });
    }
  }
  // Our associations on events the manifest no longer wants go.
  const wantedEvents = new Set(wanted.map(([e]) => e));
  const kept = items.filter((a) => {
    const drop = isOwnedArn(ctx, a.LambdaFunctionARN) && !wantedEvents.has(a.EventType as EventType);
    if (drop) ctx.changes.push({ action: 'delete', address: { kind: 'association', pattern, event: a.EventType! }, before: a });
    return !drop;
  });
  behavior.LambdaFunctionAssociations = list(kept) as AnyBehavior['LambdaFunctionAssociations'];
}

// ---- behaviors ----------------------------------------------------------------------------

function isOwnedBehavior(ctx: Context, behavior: CacheBehavior, present: boolean): boolean {
  if (ctx.originIds.has(behavior.TargetOriginId ?? '')) return true;
  if (ctx.input.previous?.behaviors.some((b) => b.created && normalizePattern(b.pathPattern) === normalizePattern(behavior.PathPattern ?? ''))) return true;
  // Without a revision: a behavior carrying one of our functions, on a distribution we are on.
  return present && (behavior.LambdaFunctionAssociations?.Items ?? []).some((a) => isOwnedArn(ctx, a.LambdaFunctionARN));
}

function targetOriginFor(ctx: Context, behavior: ManifestBehavior): string {
  if (behavior.origin === 'default' || behavior.origin === undefined) return ctx.config.DefaultCacheBehavior!.TargetOriginId!;
  return originId(ctx.input.manifest.name, behavior.origin);
}

function planBehaviors(ctx: Context, present: boolean): string[] {
  const { manifest } = ctx.input;
  const ordered: CacheBehavior[] = [...(ctx.config.CacheBehaviors?.Items ?? [])];
  const find = (pattern: string) => ordered.findIndex((b) => normalizePattern(b.PathPattern ?? '') === normalizePattern(pattern));
  const manifestPatterns = new Set<string>();
  const created: { pattern: string; behavior: CacheBehavior; triggers: ManifestBehavior['triggers'] }[] = [];

  for (const mb of manifest.behaviors) {
    if (mb.pathPattern === '*') {
      planAssociations(ctx, ctx.config.DefaultCacheBehavior!, '*', mb.triggers);
      continue;
    }
    manifestPatterns.add(normalizePattern(mb.pathPattern));
    const index = find(mb.pathPattern);
    if (mb.adopt) {
      if (index < 0) ctx.conflicts.push(`behavior ${mb.pathPattern} is marked adopt but the distribution has no behavior with that path pattern: remove "adopt" to create it`);
      else planAssociations(ctx, ordered[index]!, mb.pathPattern, mb.triggers);
      continue;
    }
    const desired = behaviorFor(mb, targetOriginFor(ctx, mb), ctx.input.cachePolicyIds);
    if (index < 0) {
      created.push({ pattern: mb.pathPattern, behavior: desired, triggers: mb.triggers });
      continue;
    }
    const existing = ordered[index]!;
    if (!isOwnedBehavior(ctx, existing, present)) {
      ctx.conflicts.push(behaviorCollision(manifest, mb));
      continue;
    }
    const merged: CacheBehavior = { ...existing, ...desired, LambdaFunctionAssociations: existing.LambdaFunctionAssociations };
    planAssociations(ctx, merged, mb.pathPattern, mb.triggers);
    const { LambdaFunctionAssociations: _a, ...mergedRest } = merged;
    const { LambdaFunctionAssociations: _b, ...existingRest } = existing;
    if (!sameValue(existingRest, mergedRest)) {
      ctx.changes.push({ action: 'update', address: { kind: 'behavior', pattern: mb.pathPattern }, position: index, before: existingRest, after: mergedRest });
    }
    ordered[index] = merged;
  }

  // Owned behaviors the manifest no longer has are removed.
  const remaining = ordered.filter((b) => {
    const drop = !manifestPatterns.has(normalizePattern(b.PathPattern ?? '')) && isOwnedBehavior(ctx, b, present) && ownedOnly(ctx, b);
    if (drop) ctx.changes.push({ action: 'delete', address: { kind: 'behavior', pattern: b.PathPattern! }, before: b });
    return !drop;
  });

  // New behaviors go where CloudFront's first-match rule gives them exactly their paths.
  const placement = orderNewPatterns(remaining.map((b) => b.PathPattern ?? ''), created.map((c) => c.pattern));
  for (const conflict of placement.conflicts) ctx.conflicts.push(conflict);
  ctx.warnings.push(...placement.warnings);
  const byPattern = new Map(created.map((c) => [c.pattern, c]));
  const finalOrder = placement.order.map((pattern) => {
    const fresh = byPattern.get(pattern);
    if (!fresh) return remaining.find((b) => b.PathPattern === pattern)!;
    planAssociations(ctx, fresh.behavior, pattern, fresh.triggers);
    return fresh.behavior;
  });
  for (const c of created) {
    const position = finalOrder.indexOf(c.behavior); // -1: it could not be placed (a conflict says why)
    ctx.changes.push({ action: 'create', address: { kind: 'behavior', pattern: c.pattern }, ...(position >= 0 ? { position } : {}), after: withoutAssociations(c.behavior) });
  }
  ctx.config.CacheBehaviors = list(finalOrder) as DistributionConfig['CacheBehaviors'];
  return placement.order;
}

/** A behavior is removed only when it was made for the integration, not merely carrying its trigger. */
function ownedOnly(ctx: Context, behavior: CacheBehavior): boolean {
  if (ctx.originIds.has(behavior.TargetOriginId ?? '')) return true;
  return !!ctx.input.previous?.behaviors.some((b) => b.created && normalizePattern(b.pathPattern) === normalizePattern(behavior.PathPattern ?? ''));
}

function withoutAssociations(behavior: CacheBehavior): Omit<CacheBehavior, 'LambdaFunctionAssociations'> {
  const { LambdaFunctionAssociations: _drop, ...rest } = behavior;
  return rest;
}

// ---- all ----------------------------------------------------------------------------------

/** Config members the SDK could not read would be lost by any write: a conflict for every writer. */
export function unreadableMembers(members: string[] | undefined): string[] {
  return members?.length
    ? [`the distribution uses CloudFront settings this version of edge-install cannot read (${members.join(', ')}); writing the config back would lose or change them. Upgrade edge-install (or change those values in the CloudFront console)`]
    : [];
}

/**
 * Continuous deployment (CloudFront Developer Guide, continuous deployment; API reference,
 * UpdateDistributionWithStagingConfig): promoting a staging distribution copies its config
 * over the primary, keeping only the primary's aliases and policy id — an integration
 * attached to the primary alone is removed by the next promote. A staging distribution is
 * refused (edge-install does not install canaries yet); a primary with a policy needs
 * --allow-continuous-deployment, and the plan says what a promote does either way.
 */
function checkContinuousDeployment(ctx: Context, input: DistributionPlanInput): void {
  const changing = ctx.changes.length > 0;
  if (input.config.Staging) {
    const what = `${input.id} is a staging distribution (continuous deployment): edge-install installs on primary distributions only, and a promote copies the staging config over the primary`;
    if (changing) ctx.errors.push(`${what}. Attach to the primary distribution instead`);
    else ctx.warnings.push(`${what}; this plan changes nothing on it`);
    return;
  }
  // The integration's own canary: while it runs, the primary changes only through promote or abort.
  if (input.ownCanary === 'running' && changing && !input.canary) {
    ctx.errors.push(
      `a canary of ${input.manifest.name} is running on ${input.id}: the primary changes only when it ends. Fix: finish it with edge-install promote, or end it with edge-install abort (or send this change to the canary with attach --canary)`,
    );
    return;
  }
  // Its idle policy (a promote that stopped before detaching it), or a canary plan: canary.ts says what happens.
  if (input.ownCanary || input.canary) return;
  const policy = input.config.ContinuousDeploymentPolicyId;
  if (!policy) return;
  const what = `${input.id} has a continuous deployment policy (${policy}): promoting its staging distribution copies the staging config over this one, which removes the integration unless the staging distribution carries it too; run attach again after each promote, or remove the policy`;
  if (input.allowContinuousDeployment || !changing) ctx.warnings.push(what);
  else ctx.errors.push(`${what}. Pass --allow-continuous-deployment to attach to it all the same`);
}

/** Rollback and detach change the primary only: a staging copy made since keeps the integration, and a promote brings it back. */
export function continuousDeploymentRestoreWarnings(id: string, config: DistributionConfig, changing: boolean): string[] {
  const policy = config.ContinuousDeploymentPolicyId;
  if (!policy || !changing) return [];
  return [`${id} has a continuous deployment policy (${policy}): this changes the primary only; if its staging distribution was copied from it since attach, it still carries the integration and a promote brings it back`];
}

export function planDistribution(input: DistributionPlanInput): DistributionPlan {
  const config = structuredClone(input.config);
  const owner: Owner = { integration: input.manifest.name, functionNames: input.ownedFunctionNames, originKeys: Object.keys(input.manifest.origins) };
  const ctx: Context = { input, config, owned: new Set(input.ownedFunctionNames), originIds: ownedOriginIds(input.config, owner, input.previous), changes: [], warnings: [], conflicts: [], errors: [] };
  const errors = ctx.errors;
  ctx.conflicts.push(...unreadableMembers(input.unknownMembers));
  const present = integrationPresent(ctx);
  planOrigins(ctx, present);
  const order = planBehaviors(ctx, present);
  removeDroppedOrigins(ctx);
  const quotas = quotaFindings(input.config, config, input.quotas ?? DEFAULT_DISTRIBUTION_QUOTAS, input.unconfirmedQuotas);
  errors.push(...quotas.errors);
  ctx.warnings.push(...quotas.warnings);
  checkContinuousDeployment(ctx, input);
  const createdPatterns = ctx.changes.flatMap((c) => (c.address.kind === 'behavior' && c.action === 'create' ? [c.address.pattern] : []));
  return {
    id: input.id,
    etag: input.etag,
    status: input.status,
    changes: ctx.changes,
    warnings: ctx.warnings,
    conflicts: ctx.conflicts,
    errors,
    config,
    ownedBefore: ownedParts(input.config, owner, input.previous),
    ownedAfter: ownedParts(config, owner, input.previous, createdPatterns),
    order,
  };
}
