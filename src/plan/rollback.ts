/**
 * PURE: `rollback` assembled — per distribution, the owned parts put back as the previous (or
 * a named) revision left them, onto the config as it is now (restore.ts). Without revisions (a
 * fresh CI machine) it is the limited mode ARCHITECTURE.md describes: each owned trigger goes
 * back to the previous published version of its function, and the plan says so.
 */
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { ObservedFunction } from '../aws/observe/functions.js';
import type { ObservedSecretVersion } from '../aws/observe/secret.js';
import { UsageError } from '../errors.js';
import type { Manifest } from '../manifest/schema.js';
import { functionNameOfArn } from './cloudfront-values.js';
import type { DistributionPlan } from './distribution.js';
import { ownedParts, type OwnedParts } from './owned-parts.js';
import { verdictOf, type PlanBase } from './plan.js';
import { planRestore, type RestoreRequest } from './restore.js';
import type { ObservedCanary } from '../aws/observe/canary.js';
import { runningCanaryConflict } from './canary-state.js';
import type { Recovery } from './reconcile.js';
import { inOrder, type ReplacedForeign, type Revision } from './revision.js';
import { findRevision, indexOfRevision, unknownRevisionMessage } from './revision-lookup.js';
import type { Change } from './changes.js';

/** Everything rollback reads (gather/rollback.ts). */
export interface RollbackInputs {
  manifest: Manifest;
  distributions: ObservedDistribution[];
  /** Every revision of the integration, oldest first. */
  revisions: Revision[];
  ownedFunctionNames: string[];
  /** The integration's functions with their published versions (for the limited mode). */
  functions: ObservedFunction[];
  /** Where the revisions were looked for (the state store's location), for the messages. */
  stateLocation: string;
  recovery: Recovery;
  /** The secret's AWSCURRENT version, read when a revision being undone changed the secret's values. */
  secret?: ObservedSecretVersion;
  /** Continuous deployment, where a primary has a policy attached (a running canary blocks rollback). */
  canaries?: Record<string, ObservedCanary>;
}

export interface RollbackOptions {
  /** The revision to go back to (default: the state before the last change). */
  to?: string;
  /** Restore even if the owned parts were changed by hand since the last revision. */
  force?: boolean;
}

export interface DistributionRollback {
  id: string;
  /** 'revision': from the state dir; 'limited': previous published versions only. */
  mode: 'revision' | 'limited';
  /** The state restored, in words ("before 2024…-E1…", "after 2024…-E1…"). */
  from?: string;
  request: RestoreRequest;
  observed: ObservedDistribution;
  plan: DistributionPlan;
}

export interface RollbackPlan extends PlanBase {
  command: 'rollback';
  inputs: RollbackInputs;
  rollbacks: DistributionRollback[];
  /** The secret's values go back too: AWSCURRENT moves from `from` to `to` (UpdateSecretVersionStage). */
  secret?: SecretRollback;
}

export interface SecretRollback {
  name: string;
  region: string;
  /** The version AWSCURRENT is on now (it becomes AWSPREVIOUS). */
  from: string;
  /** The version the undone changes replaced. */
  to: string;
}

/** The secret changes a rollback undoes: the revisions it goes back over that wrote values over stored ones. */
type SecretWrite = Required<Pick<NonNullable<Revision['secret']>, 'name' | 'region' | 'versionId' | 'versionBefore'>>;
const secretWriteOf = (r: Revision): SecretWrite | undefined =>
  r.secret?.versionBefore && r.secret.versionId ? { name: r.secret.name, region: r.secret.region, versionId: r.secret.versionId, versionBefore: r.secret.versionBefore } : undefined;

/**
 * The revisions `rollback` (or `rollback --to`) goes back over, for one distribution: the
 * latest, or every one after the named revision.
 */
export function undoneRevisions(revisions: readonly Revision[], to: string | undefined): Revision[] {
  if (!revisions.length) return [];
  if (!to) return [revisions.at(-1)!];
  const index = indexOfRevision(revisions, to);
  return index < 0 ? [] : revisions.slice(index + 1);
}

/**
 * Of every distribution's undone revisions, the secret writes, oldest first. One run writes the
 * same pair into each distribution's revision; repeats are harmless, since only the oldest
 * (what the secret goes back to) and the newest (what it must be now) count.
 */
export function undoneSecretWrites(undone: readonly Revision[]): SecretWrite[] {
  return inOrder(undone).flatMap((r) => secretWriteOf(r) ?? []);
}

/**
 * Distributions outside this rollback whose last revision runs with a version being undone:
 * their functions read the secret too, so it stays until they are rolled back with it.
 */
export function stillReading(revisions: readonly Revision[], rolledBack: readonly string[], writes: readonly SecretWrite[]): string[] {
  const versions = new Set(writes.map((w) => w.versionId));
  const others = [...new Set(revisions.map((r) => r.distributionId))].filter((id) => !rolledBack.includes(id)).sort();
  return others.filter((id) => {
    const last = inOrder(revisions.filter((r) => r.distributionId === id)).at(-1);
    return !!last?.secret?.versionId && versions.has(last.secret.versionId);
  });
}

/**
 * Where the secret goes back to: the version before the oldest write undone — provided
 * AWSCURRENT is still the newest write's version, and no distribution left out of the
 * rollback runs with it. Otherwise (a rotation, init --force, a hand edit; a partial
 * rollback) the secret is left as it is and the plan says why.
 */
export function planSecretRollback(writes: readonly SecretWrite[], observed: ObservedSecretVersion | undefined, notes: string[], readers: readonly string[] = []): SecretRollback | undefined {
  if (!writes.length || !observed) return undefined;
  const oldest = writes[0]!;
  const newest = writes.at(-1)!;
  const where = `the secret ${oldest.name} in ${oldest.region}`;
  if (!observed.exists) {
    notes.push(`${where} no longer exists: its values are not rolled back`);
    return undefined;
  }
  if (observed.current === oldest.versionBefore) return undefined;
  if (observed.current !== newest.versionId) {
    notes.push(`${where} changed after the change being undone (AWSCURRENT is version ${observed.current ?? '(none)'}, not ${newest.versionId}): its values are left as they are`);
    return undefined;
  }
  if (readers.length) {
    notes.push(`${where} keeps its values: ${readers.join(', ')} still run${readers.length > 1 ? '' : 's'} the change that wrote them; roll ${readers.length > 1 ? 'them' : 'it'} back too to move the secret back`);
    return undefined;
  }
  return { name: oldest.name, region: oldest.region, from: observed.current, to: oldest.versionBefore };
}

/** The secret rollback as a change of the plan (version ids only, never a value). */
export function secretRollbackChange(rollback: SecretRollback): Change {
  return {
    action: 'update',
    address: { kind: 'secret' },
    before: { name: rollback.name, region: rollback.region, AWSCURRENT: rollback.from },
    after: { name: rollback.name, region: rollback.region, AWSCURRENT: rollback.to },
    reasons: [`its values go back: AWSCURRENT moves to version ${rollback.to}, the value before the change being undone; version ${rollback.from} stays as AWSPREVIOUS`],
  };
}

/** Which state to go back to, and which replaced foreign triggers come back with it. */
function target(revisions: Revision[], to: string | undefined, inputs: Pick<RollbackInputs, 'revisions' | 'manifest' | 'stateLocation'>): { target: OwnedParts; expected: OwnedParts; foreign: ReplacedForeign[]; from: string } {
  const latest = revisions.at(-1)!;
  if (!to) return { target: latest.ownedBefore, expected: latest.ownedAfter, foreign: latest.replacedForeign, from: `before ${latest.revision}` };
  // The ids `edge-install revisions` lists (or their numbers): revision-lookup.ts.
  const index = indexOfRevision(revisions, to);
  if (index < 0) {
    const elsewhere = findRevision(inputs.revisions, to);
    if (elsewhere) throw new UsageError(`--to ${to}: that is a revision of ${elsewhere.distributionId}, not of ${latest.distributionId}. Fix: roll back ${elsewhere.distributionId} alone with --distribution ${elsewhere.distributionId} --to ${to}.`);
    throw new UsageError(unknownRevisionMessage(`--to ${to}`, to, inputs.revisions, inputs.manifest.name, inputs.stateLocation));
  }
  to = revisions[index]!.revision;
  // Foreign triggers replaced by any later revision were there at `to` and come back.
  const foreign = revisions.slice(index + 1).flatMap((r) => r.replacedForeign);
  return { target: revisions[index]!.ownedAfter, expected: latest.ownedAfter, foreign, from: `after ${to}` };
}

/** Limited mode: each owned trigger → the newest published version older than the attached one. */
function limitedTarget(functions: ObservedFunction[], current: OwnedParts, notes: string[]): OwnedParts {
  const associations = current.associations.map((a) => {
    const fn = functions.find((f) => f.name === functionNameOfArn(a.arn));
    const attached = Number(a.arn.split(':').at(-1));
    const previous = fn?.versions.filter((v) => Number(v.version) < attached).at(-1);
    if (!previous) {
      notes.push(`${a.pathPattern} ${a.eventType}: no published version before ${attached}; left as it is`);
      return a;
    }
    notes.push(`${a.pathPattern} ${a.eventType}: version ${attached} → ${previous.version}`);
    return { ...a, arn: previous.arn };
  });
  return { ...current, associations };
}

function rollbackOf(inputs: RollbackInputs, options: RollbackOptions, observed: ObservedDistribution): DistributionRollback {
  const { manifest } = inputs;
  const revisions = inputs.revisions.filter((r) => r.distributionId === observed.id);
  const owner = { integration: manifest.name, ownedFunctionNames: inputs.ownedFunctionNames, originKeys: Object.keys(manifest.origins) };
  const notes: string[] = [];
  let request: RestoreRequest;
  let rollback: Omit<DistributionRollback, 'request' | 'plan' | 'observed'>;
  if (revisions.length) {
    const chosen = target(revisions, options.to, inputs);
    request = { id: observed.id, ...owner, expected: chosen.expected, target: chosen.target, restoreForeign: chosen.foreign, force: options.force };
    rollback = { id: observed.id, mode: 'revision', from: chosen.from };
    notes.push(`restoring the owned parts as they were ${chosen.from}`);
  } else {
    if (options.to) throw new UsageError(`--to ${options.to}: there are no revisions for ${observed.id} in ${inputs.stateLocation}. Fix: run \`edge-install revisions\` to see what is recorded there (and check --state / --state-dir), or leave out --to for the limited mode.`);
    notes.push(`limited mode: no revisions in ${inputs.stateLocation}, so each trigger goes back to the previous published version of its function; origins and behaviors stay as they are`);
    const current = ownedParts(observed.config, { integration: manifest.name, functionNames: inputs.ownedFunctionNames, originKeys: owner.originKeys });
    request = { id: observed.id, ...owner, expected: current, target: limitedTarget(inputs.functions, current, notes), restoreForeign: [], force: true };
    rollback = { id: observed.id, mode: 'limited' };
  }
  const restored = planRestore(request, observed);
  const plan = { ...restored, conflicts: [...restored.conflicts, ...runningCanaryConflict(manifest.name, observed.id, inputs.canaries?.[observed.id], restored.changes.length > 0)], notes };
  return { ...rollback, request, observed, plan };
}

/** Every revision this rollback goes back over, on any of its distributions. */
export function revisionsUndoneBy(inputs: Pick<RollbackInputs, 'revisions'>, distributionIds: readonly string[], to: string | undefined): Revision[] {
  return distributionIds.flatMap((id) => undoneRevisions(inputs.revisions.filter((r) => r.distributionId === id), to));
}

export function assembleRollback(inputs: RollbackInputs, options: RollbackOptions): RollbackPlan {
  const rollbacks = inputs.distributions.map((d) => rollbackOf(inputs, options, d));
  const distributions = rollbacks.map((r) => r.plan);
  const notes = [...inputs.recovery.notes];
  const ids = inputs.distributions.map((d) => d.id);
  const writes = undoneSecretWrites(revisionsUndoneBy(inputs, ids, options.to));
  const secret = planSecretRollback(writes, inputs.secret, notes, stillReading(inputs.revisions, ids, writes));
  const resources = secret ? [secretRollbackChange(secret)] : [];
  return {
    command: 'rollback',
    integration: inputs.manifest.name,
    resources,
    distributions,
    kept: [],
    notes,
    verdict: verdictOf(resources, distributions),
    inputs,
    rollbacks,
    ...(secret ? { secret } : {}),
  };
}
