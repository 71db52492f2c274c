/**
 * PURE: ending a canary — `promote` (the staging copy's config becomes the primary's) and
 * `abort` (the primary stays as it was before the canary; the copy optionally goes).
 *
 * promote (CloudFront API reference, UpdateDistributionWithStagingConfig): CloudFront copies
 * the staging config over the primary, keeping only the primary's Aliases and policy id, and
 * disables the policy. So before it, every difference between the two besides the
 * integration's own parts — an edit made to the primary outside edge-install since the canary
 * began — would be overwritten: the promote is refused with the list. What it changes in the
 * owned parts is shown as a plan and recorded as a revision, so `rollback` undoes it in one write.
 *
 * abort: the policy is disabled (canary traffic stops at once) and detached from the primary;
 * when the canary's phase 1 added behaviors to the primary, the same write takes them off again
 * (recorded as a rollback), so the primary is exactly as before the canary.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { ObservedCanary, ObservedPolicy } from '../aws/observe/canary.js';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { Manifest } from '../manifest/schema.js';
import { foreignDifferences } from './canary.js';
import { attachedIsOurs, canaryRunning } from './canary-state.js';
import { unreadableMembers, type DistributionPlan } from './distribution.js';
import { functionNameOfArn } from './cloudfront-values.js';
import { ownedParts, type OwnedParts, type Owner } from './owned-parts.js';
import { normalizePattern } from './path-patterns.js';
import { verdictOf, type Blocker, type PlanBase } from './plan.js';
import type { Recovery } from './reconcile.js';
import { planRestore, type RestoreRequest } from './restore.js';
import type { Revision } from './revision.js';

/** Everything promote and abort read (gather/canary.ts). */
export interface CanaryInputs {
  manifest: Manifest;
  distributions: ObservedDistribution[];
  /** Every revision of the integration, oldest first. */
  revisions: Revision[];
  ownedFunctionNames: string[];
  canaries: Record<string, ObservedCanary>;
  recovery: Recovery;
}

export interface PromoteTarget {
  primary: ObservedDistribution;
  staging: ObservedDistribution;
  policy: ObservedPolicy;
  /** What the promote does to the owned parts (shown, and recorded as the revision). */
  plan: DistributionPlan;
  /** The integration's cache policies the staging copy uses, by key (recorded with the revision, for detach and gc). */
  cachePolicies: Record<string, string>;
}

export interface PromotePlan extends PlanBase {
  command: 'promote';
  inputs: CanaryInputs;
  targets: PromoteTarget[];
}

export interface AbortTarget {
  primary: ObservedDistribution;
  /** The integration's policy: disabled, and detached when `detach` (it is attached to the primary). */
  policy?: ObservedPolicy;
  detach: boolean;
  /** The primary's write: the policy detached and, after a phase 1, its behaviors taken back off. */
  restore?: { request: RestoreRequest; plan: DistributionPlan };
  /** The staging copy, deleted with --delete-staging (disable, wait, delete). */
  staging?: ObservedDistribution;
  /** Behaviors a phase 1 added that this state dir has no revision of: they stay, and the output says so. */
  unrecordedPhaseOne: string[];
}

export interface AbortPlan extends PlanBase {
  command: 'abort';
  inputs: CanaryInputs;
  targets: AbortTarget[];
}

export interface CanaryEndOptions {
  /** The distributions were named (--distribution): one without a canary is an error, not skipped. */
  explicit: boolean;
}

const ownerOf = (inputs: CanaryInputs): Owner => ({ integration: inputs.manifest.name, functionNames: inputs.ownedFunctionNames, originKeys: Object.keys(inputs.manifest.origins) });
const revisionsOf = (inputs: CanaryInputs, id: string) => inputs.revisions.filter((r) => r.distributionId === id);

/** The canary's phase 1 as this state dir recorded it: the trailing run of phase-1 revisions (a re-run canary may add a second). */
export function phaseOneChain(revisions: readonly Revision[]): Revision[] {
  const chain: Revision[] = [];
  for (const r of [...revisions].reverse()) {
    if (!r.canaryPhaseOne) break;
    chain.unshift(r);
  }
  return chain;
}

/**
 * Behaviors the staging copy's tag says a phase 1 added that are still on the primary without
 * the integration's triggers (a promoted one has them), and that no local revision records.
 */
function unrecordedPhaseOne(inputs: CanaryInputs, primary: ObservedDistribution, chain: readonly Revision[]): string[] {
  const patterns = inputs.canaries[primary.id]?.staging?.phaseOnePatterns ?? [];
  const recorded = new Set(chain.flatMap((r) => r.ownedAfter.behaviors.filter((b) => b.created).map((b) => normalizePattern(b.pathPattern))));
  const names = new Set(inputs.ownedFunctionNames);
  return patterns.filter((pattern) => {
    const behavior = (primary.config.CacheBehaviors?.Items ?? []).find((b) => normalizePattern(b.PathPattern ?? '') === normalizePattern(pattern));
    const triggered = (behavior?.LambdaFunctionAssociations?.Items ?? []).some((a) => names.has(functionNameOfArn(a.LambdaFunctionARN) ?? ''));
    return !!behavior && !triggered && !recorded.has(normalizePattern(pattern));
  });
}

function notRunning(inputs: CanaryInputs, id: string): string {
  const c = inputs.canaries[id];
  const why = !c?.staging ? 'it has no staging copy made by edge-install' : !c.attached ? 'no continuous deployment policy is attached to it' : !attachedIsOurs(c) ? `the policy attached to it (${c.attached.id}) is not edge-install's` : 'its policy is disabled';
  return `no canary of ${inputs.manifest.name} is running on ${id} (${why})`;
}

const unchangedPlan = (primary: ObservedDistribution, owned: OwnedParts, notes: string[] = []): DistributionPlan => ({
  id: primary.id,
  etag: primary.etag,
  status: primary.status,
  changes: [],
  warnings: [],
  conflicts: [],
  errors: [],
  config: primary.config,
  ownedBefore: owned,
  ownedAfter: owned,
  order: [],
  ...(notes.length ? { notes } : {}),
});

/** Distributions without anything to end: skipped with a note, unless named; none at all is an error. */
function skipOrBlock(inputs: CanaryInputs, options: CanaryEndOptions, skipped: { id: string; reason: string }[], acted: number, start: string): Blocker[] {
  if (options.explicit) return skipped.map((s) => ({ distributionId: s.id, kind: 'input', reason: `${s.reason}. ${start}` }));
  if (!acted && skipped.length) return [{ kind: 'input', reason: `${skipped.map((s) => s.reason).join('; ')}. ${start}` }];
  return [];
}

/** The manifest's cache policies (by key) the staging copy's behaviors use. */
function stagingCachePolicies(manifest: Manifest, staging: DistributionConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of manifest.behaviors) {
    if (!b.cachePolicy || !(b.cachePolicy in manifest.cachePolicies) || b.pathPattern === '*') continue;
    const found = (staging.CacheBehaviors?.Items ?? []).find((x) => normalizePattern(x.PathPattern ?? '') === normalizePattern(b.pathPattern));
    if (found?.CachePolicyId) out[b.cachePolicy] = found.CachePolicyId;
  }
  return out;
}

export function assemblePromote(inputs: CanaryInputs, options: CanaryEndOptions): PromotePlan {
  const owner = ownerOf(inputs);
  const targets: PromoteTarget[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const distributions = inputs.distributions.map((primary): DistributionPlan => {
    const c = inputs.canaries[primary.id];
    const previous = revisionsOf(inputs, primary.id).at(-1)?.ownedAfter;
    const current = ownedParts(primary.config, owner, previous);
    if (!canaryRunning(c)) {
      skipped.push({ id: primary.id, reason: notRunning(inputs, primary.id) });
      return unchangedPlan(primary, current, options.explicit ? [] : ['no canary running: skipped']);
    }
    const staging = c!.staging!;
    // Phase-1 behaviors another machine recorded: known by the staging copy's tag, so the promote records them as created.
    const created = unrecordedPhaseOne(inputs, primary, phaseOneChain(revisionsOf(inputs, primary.id)));
    const expected = ownedParts(primary.config, owner, previous, created);
    const request: RestoreRequest = { id: primary.id, integration: inputs.manifest.name, ownedFunctionNames: inputs.ownedFunctionNames, originKeys: [...owner.originKeys!], expected, target: ownedParts(staging.config, owner, previous, created), restoreForeign: [], force: true };
    const restored = planRestore(request, primary);
    const overwritten = foreignDifferences(primary.config, staging.config, owner, previous);
    const conflicts = [...restored.conflicts];
    if (overwritten.length) {
      conflicts.push(
        `the primary and its staging copy ${staging.id} also differ outside the integration's parts (${overwritten.join('; ')}): edits made since the canary began, which the promote would overwrite. ` +
          'Nothing was written. Fix: run attach --canary again (the staging copy is refreshed from the primary as it is now, and the canary goes on), or end it with edge-install abort',
      );
    }
    if (staging.unknownMembers.length) conflicts.push(`the staging copy ${staging.id} uses CloudFront settings this version of edge-install cannot read (${staging.unknownMembers.join(', ')}); upgrade edge-install before promoting`);
    const plan: DistributionPlan = {
      ...restored,
      conflicts,
      warnings: restored.warnings.filter((w) => !w.includes('continuous deployment policy')),
      notes: [
        `promote: the staging copy ${staging.id}'s config becomes ${primary.id}'s (UpdateDistributionWithStagingConfig; the primary keeps its aliases), one revision is recorded, and the continuous deployment policy is disabled and detached, left for the next canary`,
      ],
    };
    targets.push({ primary, staging, policy: c!.policy!, plan, cachePolicies: stagingCachePolicies(inputs.manifest, staging.config) });
    return plan;
  });
  const blockers = skipOrBlock(inputs, options, skipped, targets.length, 'Start one with edge-install attach --canary');
  return { command: 'promote', integration: inputs.manifest.name, resources: [], distributions, kept: [], notes: inputs.recovery.notes, verdict: verdictOf([], distributions, blockers), inputs, targets };
}

export function assembleAbort(inputs: CanaryInputs, options: CanaryEndOptions & { deleteStaging: boolean }): AbortPlan {
  const owner = ownerOf(inputs);
  const targets: AbortTarget[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const distributions = inputs.distributions.map((primary): DistributionPlan => {
    const c = inputs.canaries[primary.id];
    const own = revisionsOf(inputs, primary.id);
    const current = ownedParts(primary.config, owner, own.at(-1)?.ownedAfter);
    const ours = !!c && attachedIsOurs(c);
    const chain = phaseOneChain(own);
    if (!ours && !chain.length && !(options.deleteStaging && c?.staging)) {
      skipped.push({ id: primary.id, reason: `${notRunning(inputs, primary.id)}${c?.staging ? `; its staging copy ${c.staging.id} is idle (remove it with abort --delete-staging)` : ''}` });
      return unchangedPlan(primary, current, options.explicit ? [] : ['no canary to end: skipped']);
    }
    const notes: string[] = [];
    const unrecorded = unrecordedPhaseOne(inputs, primary, chain);
    const target: AbortTarget = { primary, detach: ours, ...(c?.policy ? { policy: c.policy } : {}), ...(options.deleteStaging && c?.staging ? { staging: c.staging } : {}), unrecordedPhaseOne: unrecorded };
    let plan = unchangedPlan(primary, current);
    // Detaching writes the whole config back: members the SDK cannot read would be lost.
    if (ours) plan = { ...plan, conflicts: unreadableMembers(primary.unknownMembers) };
    if (ours) notes.push(`abort: the continuous deployment policy ${c!.attached!.id} is disabled (canary traffic goes back to the primary at once) and detached from ${primary.id}: one write of the primary, nothing else in it changes`);
    // The canary's phase 1 (every phase-1 revision since the last other change): its behaviors come off in the same write.
    if (chain.length) {
      const request: RestoreRequest = { id: primary.id, integration: inputs.manifest.name, ownedFunctionNames: inputs.ownedFunctionNames, originKeys: [...owner.originKeys!], expected: chain.at(-1)!.ownedAfter, target: chain[0]!.ownedBefore, restoreForeign: [] };
      const restored = planRestore(request, primary);
      plan = { ...restored, conflicts: [...new Set([...plan.conflicts, ...restored.conflicts])], warnings: restored.warnings.filter((w) => !w.includes('continuous deployment policy')) };
      target.restore = { request, plan };
      notes.push(`the canary's phase 1 (${chain.map((r) => `revision ${r.revision}`).join(', ')}) is taken back in the same write, so the primary is as it was before the canary; recorded as a rollback`);
    }
    if (unrecorded.length) {
      plan = { ...plan, warnings: [...plan.warnings, `the canary's phase 1 added ${unrecorded.join(', ')} to ${primary.id}, and this state has no revision of it: they stay (serving nothing). Take them off with edge-install rollback with the state that started the canary (--state or --state-dir), or remove them by hand`] };
    }
    if (target.staging) notes.push(`--delete-staging: the policy${target.policy ? ` ${target.policy.id}` : ''} is deleted, then the staging copy ${target.staging.id} is disabled and, once CloudFront has deployed that, deleted`);
    else if (c?.staging) notes.push(`the staging copy ${c.staging.id} and its policy stay for the next canary (remove them with abort --delete-staging)`);
    targets.push(target);
    return { ...plan, notes };
  });
  const blockers = skipOrBlock(inputs, options, skipped, targets.length, 'Nothing to end');
  return { command: 'abort', integration: inputs.manifest.name, resources: [], distributions, kept: [], notes: inputs.recovery.notes, verdict: verdictOf([], distributions, blockers), inputs, targets };
}
