/**
 * PURE: `detach` assembled — per distribution, every owned origin, behavior and trigger taken
 * out and the foreign triggers the integration replaced put back (restoreOwnedParts to
 * "nothing owned", shaped as a DistributionPlan so the same renderer shows it and the same
 * ETag-pinned writer writes it); and which of the integration's resources go, and which are
 * kept and why (still attached elsewhere, not tagged as ours, --keep-functions).
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { AccountAssociation } from '../aws/observe/account-associations.js';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { ObservedOwnedResource } from '../aws/observe/owned-resources.js';
import type { Manifest } from '../manifest/schema.js';
import type { Address } from './addresses.js';
import type { Change } from './changes.js';
import { functionNameOfArn } from './cloudfront-values.js';
import { unreadableMembers, type DistributionPlan } from './distribution.js';
import { ownedParts, type OwnedParts } from './owned-parts.js';
import { normalizePattern } from './path-patterns.js';
import { verdictOf, type Kept, type PlanBase } from './plan.js';
import { restoreOwnedParts, restorePlan } from './restore.js';
import type { ObservedCanary } from '../aws/observe/canary.js';
import { runningCanaryConflict } from './canary-state.js';
import type { Recovery } from './reconcile.js';
import { adoptedResources, recordedCachePolicyIds, replacedForeignToRestore, type ReplacedForeign, type Revision } from './revision.js';
import { adoptionTags, EXECUTION_POLICY_NAME } from '../manifest/naming.js';

export const NOTHING_OWNED: OwnedParts = { origins: [], behaviors: [], associations: [] };

/** The shortest recovery window Secrets Manager allows: the secret can be restored for a week. */
export const SECRET_RECOVERY_DAYS = 7;

export interface DetachPlanInput {
  integration: string;
  id: string;
  etag: string;
  status?: string;
  config: DistributionConfig;
  unknownMembers?: string[];
  /** The integration's function names (owned-names.ts). */
  ownedFunctionNames: string[];
  /** Origin keys the manifest names. */
  originKeys?: string[];
  /** Owned parts recorded by the distribution's last revision, if any. */
  previous?: OwnedParts;
  /** Behaviors known to have been created by edge-install even without a revision. */
  createdPatterns?: string[];
  /** Foreign triggers to put back (replacedForeignToRestore). */
  replacedForeign: ReplacedForeign[];
}

/**
 * Without a revision, a behavior the manifest creates (not `adopt`) that carries one of the
 * integration's functions was made by edge-install: attach refuses to touch an existing
 * behavior it does not own unless told to adopt it.
 */
export function createdPatternsFromManifest(manifest: Manifest, config: DistributionConfig, ownedFunctionNames: string[]): string[] {
  const names = new Set(ownedFunctionNames);
  const existing = config.CacheBehaviors?.Items ?? [];
  return manifest.behaviors
    .filter((b) => b.pathPattern !== '*' && !b.adopt)
    .map((b) => b.pathPattern)
    .filter((pattern) => {
      const found = existing.find((e) => normalizePattern(e.PathPattern ?? '') === normalizePattern(pattern));
      return !!found && (found.LambdaFunctionAssociations?.Items ?? []).some((a) => names.has(functionNameOfArn(a.LambdaFunctionARN) ?? ''));
    });
}

export function planDetachDistribution(input: DetachPlanInput): DistributionPlan {
  const current = ownedParts(input.config, { integration: input.integration, functionNames: input.ownedFunctionNames, originKeys: input.originKeys }, input.previous, input.createdPatterns ?? []);
  const restored = restoreOwnedParts(input.config, current, NOTHING_OWNED, input.replacedForeign);
  return restorePlan(input, current, restored, unreadableMembers(input.unknownMembers), NOTHING_OWNED);
}

/** Everything detach reads (gather/detach.ts). */
export interface DetachInputs {
  manifest: Manifest;
  distributions: ObservedDistribution[];
  /** Every revision of the integration, oldest first. */
  revisions: Revision[];
  ownedFunctionNames: string[];
  /** Every Lambda@Edge association in the account. */
  associations: AccountAssociation[];
  /** The integration's resources that exist now, in deletion order. */
  resources: ObservedOwnedResource[];
  recovery: Recovery;
  /** State files that could not be used: left out, said, and detach works from the markers. */
  stateProblems: { file: string; reason: string }[];
  /** Continuous deployment, where a primary has a policy attached (a running canary blocks detach). */
  canaries?: Record<string, ObservedCanary>;
}

/** An owned resource that exists, and whether detach deletes it. */
export interface DetachTarget extends ObservedOwnedResource {
  /** Why it is kept; undefined when it will be deleted (or untagged). */
  keep?: string;
  /** Adopted: its edge-install tags are removed, it is not deleted. */
  untag?: boolean;
}

export interface DetachPlan extends PlanBase {
  command: 'detach';
  inputs: DetachInputs;
  targets: DetachTarget[];
  /** Distributions outside this detach where the integration stays attached (id → its functions). */
  stillUsedBy: Map<string, string[]>;
}

/** Distributions (other than `except`) with an association of one of `functionNames`, and which. */
export function distributionsUsing(associations: readonly AccountAssociation[], functionNames: Iterable<string>, except: Iterable<string> = []): Map<string, string[]> {
  const names = new Set(functionNames);
  const skip = new Set(except);
  const using = new Map<string, Set<string>>();
  for (const a of associations) {
    if (!names.has(a.functionName) || skip.has(a.distributionId)) continue;
    if (!using.has(a.distributionId)) using.set(a.distributionId, new Set());
    using.get(a.distributionId)!.add(a.functionName);
  }
  return new Map([...using].sort(([a], [b]) => a.localeCompare(b)).map(([id, fns]) => [id, [...fns].sort()]));
}

export function stillUsedReason(stillUsedBy: Map<string, string[]>): string {
  return `the integration is still attached to ${[...stillUsedBy.keys()].join(', ')}; detach it there first (or run detach with those distributions too)`;
}

/** What the revisions say of cache policies (which take no tags): ids they record, names recorded as adopted. */
export interface CachePolicyRecord {
  recordedIds: ReadonlySet<string>;
  adopted: ReadonlySet<string>;
}

export const ADOPTED_POLICY_KEPT = 'adopted: it existed before edge-install (recorded in a revision), so it is left in place';

/** A cache policy no revision records: edge-install cannot show it made it, so it never deletes it. */
export const unrecordedPolicyReason = (id: string | undefined): string =>
  `no revision records edge-install creating it (cache policies take no tags: the revisions are the record), so it is left in place; if nothing uses it, delete it with: aws cloudfront delete-cache-policy --id ${id ?? '<id>'} --if-match <ETag from get-cache-policy>`;

/**
 * Which resources are kept and why, given where the integration is still attached; and which
 * are untagged instead of deleted — the ones edge-install adopted (it never deletes what it
 * did not create).
 */
export function decideKeeps(resources: readonly ObservedOwnedResource[], stillUsedBy: Map<string, string[]>, keepFunctions: boolean, policies?: CachePolicyRecord): DetachTarget[] {
  return resources.map((r) => {
    if (r.notOurs) return { ...r, keep: r.notOurs };
    if (r.kind === 'cache-policy' && policies) {
      if (policies.adopted.has(r.resource)) return { ...r, adopted: true, keep: ADOPTED_POLICY_KEPT };
      if (!policies.recordedIds.has(r.id ?? '')) return { ...r, keep: unrecordedPolicyReason(r.id) };
    }
    if (stillUsedBy.size) return { ...r, keep: stillUsedReason(stillUsedBy) };
    if (keepFunctions && r.kind === 'function') return { ...r, keep: 'kept: --keep-functions' };
    // The kept functions still name the role as theirs; without it they could not be attached again.
    if (keepFunctions && r.kind === 'role') return { ...r, keep: 'kept with the functions (--keep-functions): they run with this role' };
    if (r.adopted) return { ...r, untag: true };
    return { ...r };
  });
}

/** An adopted resource as detach leaves it: edge-install's tags (and, on a role, its own inline policy) removed. */
function untagging(r: DetachTarget, integration: string): Change {
  const extra = r.kind === 'role' ? ` and its ${EXECUTION_POLICY_NAME} policy` : '';
  const trust = r.kind === 'role' ? '; its trust policy stays as edge-install set it' : '';
  return {
    action: 'update',
    address: targetAddress(r),
    before: { name: r.name, tags: adoptionTags(integration) },
    after: { name: r.name },
    reasons: [`adopted: it existed before edge-install, so it is not deleted; its edge-install tags${extra} are removed and it stays${trust}`],
  };
}

function targetAddress(r: DetachTarget): Address {
  switch (r.kind) {
    case 'role':
    case 'secret':
      return { kind: r.kind };
    case 'cache-policy':
      return { kind: 'cache-policy', key: r.key ?? r.name };
    case 'function':
      return { kind: 'function', key: r.key ?? r.name };
  }
}

/** A deletion as the plan shows it: what goes, by name; a secret's keys by name only, never values. */
function deletion(r: DetachTarget): Change {
  const before =
    r.kind === 'secret'
      ? { name: r.name, region: r.region, keys: Object.fromEntries((r.keys ?? []).map((k) => [k, null])), replicaRegions: r.replicaRegions ?? [], recoveryWindowDays: SECRET_RECOVERY_DAYS }
      : r.kind === 'cache-policy'
        ? { Name: r.name, id: r.id }
        : { name: r.name };
  return { action: 'delete', address: targetAddress(r), before };
}

/** The distribution's plan, shown and written; also what a re-read after PreconditionFailed is re-planned with. */
export function planDetachOf(inputs: DetachInputs, observed: ObservedDistribution): DistributionPlan {
  const own = inputs.revisions.filter((r) => r.distributionId === observed.id);
  const plan = planDetachDistribution({
    integration: inputs.manifest.name,
    id: observed.id,
    etag: observed.etag,
    status: observed.status,
    config: observed.config,
    unknownMembers: observed.unknownMembers,
    ownedFunctionNames: inputs.ownedFunctionNames,
    originKeys: Object.keys(inputs.manifest.origins),
    previous: own.at(-1)?.ownedAfter,
    createdPatterns: createdPatternsFromManifest(inputs.manifest, observed.config, inputs.ownedFunctionNames),
    replacedForeign: replacedForeignToRestore(own),
  });
  plan.conflicts.push(...runningCanaryConflict(inputs.manifest.name, observed.id, inputs.canaries?.[observed.id], plan.changes.length > 0));
  if (!own.length && plan.changes.length) {
    plan.warnings.push('no revision of this distribution in the state: the owned parts are recognised by their markers, and a foreign trigger that attach --replace-foreign replaced cannot be put back (pass --state or --state-dir if the revisions are elsewhere)');
  }
  return plan;
}

export function assembleDetach(inputs: DetachInputs, options: { keepFunctions: boolean }): DetachPlan {
  const distributions = inputs.distributions.map((o) => planDetachOf(inputs, o));
  const stillUsedBy = distributionsUsing(inputs.associations, inputs.ownedFunctionNames, inputs.distributions.map((d) => d.id));
  const policies = { recordedIds: recordedCachePolicyIds(inputs.revisions), adopted: adoptedResources(inputs.revisions) };
  const targets = decideKeeps(inputs.resources, stillUsedBy, options.keepFunctions, policies);
  const resources = targets.filter((t) => !t.keep).map((t) => (t.untag ? untagging(t, inputs.manifest.name) : deletion(t)));
  const kept: Kept[] = targets.filter((t) => t.keep).map((t) => ({ resource: t.resource, reason: t.keep! }));
  const verdict = verdictOf(resources, distributions);
  const notes: string[] = [...inputs.recovery.notes, ...inputs.stateProblems.map((p) => `${p.file} is left out (${p.reason}): the owned parts are recognised by their markers`)];
  if (!verdict.hasChanges) {
    notes.push(`${inputs.distributions.map((d) => d.id).join(', ')} carries nothing of ${inputs.manifest.name}, and nothing of it is left to delete.`);
  }
  if (targets.some((t) => t.kind === 'function' && !t.keep)) {
    notes.push('Functions CloudFront has replicated cannot be deleted until their replicas are gone (hours after detaching): those are reported as waiting; `edge-install gc` finishes them later.');
  }
  if (targets.some((t) => t.kind === 'secret' && !t.keep && !t.untag)) notes.push(`The secret is scheduled for deletion with a ${SECRET_RECOVERY_DAYS}-day recovery window, not deleted at once.`);
  return {
    command: 'detach',
    integration: inputs.manifest.name,
    resources,
    distributions,
    kept,
    notes,
    verdict,
    inputs,
    targets,
    stillUsedBy,
  };
}
