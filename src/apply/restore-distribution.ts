/**
 * Puts an integration's owned parts of one distribution back to a recorded state, in one
 * ETag-pinned UpdateDistribution: `rollback`, and attach's --rollback-on-failure. Refuses
 * (unless forced) when the owned parts are not what the last revision left, because then
 * someone changed them by hand and the restore would undo their change silently.
 */
import type { AwsClients } from '../aws/clients.js';
import { observeDistribution, type ObservedDistribution } from '../aws/observe/distribution.js';
import { unreadableMembers, type DistributionPlan } from '../plan/distribution.js';
import { ownedDifferences, ownedParts, type OwnedParts, type Owner } from '../plan/owned-parts.js';
import { restoreOwnedParts } from '../plan/restore.js';
import type { ReplacedForeign } from '../state/revisions.js';
import { writeDistribution, type WrittenDistribution } from './steps/distribution.js';

export interface RestoreRequest {
  id: string;
  integration: string;
  /** Function names that count as the integration's (manifest and revisions). */
  ownedFunctionNames: string[];
  /** Origin keys the manifest names now. */
  originKeys: string[];
  /** Owned parts as the last revision left them: what should be there now. */
  expected: OwnedParts;
  /** Owned parts to put back. */
  target: OwnedParts;
  restoreForeign: ReplacedForeign[];
  /** Restore even if the owned parts drifted from `expected`. */
  force?: boolean;
}

export interface PreparedRestore {
  observed: ObservedDistribution;
  plan: DistributionPlan;
  /** Owned parts that differ from the last revision (drift); empty when none. */
  drift: string[];
}

function planRestore(request: RestoreRequest, observed: ObservedDistribution): DistributionPlan {
  const owner: Owner = { integration: request.integration, functionNames: request.ownedFunctionNames, originKeys: request.originKeys };
  const current = ownedParts(observed.config, owner, request.expected);
  const restored = restoreOwnedParts(observed.config, current, request.target, request.restoreForeign);
  const drift = ownedDifferences(request.expected, current);
  const conflicts = [
    ...unreadableMembers(observed.unknownMembers),
    ...(drift.length && !request.force ? [`the owned parts changed since the last revision (${drift.join('; ')}); pass --force to restore anyway`] : []),
  ];
  return {
    id: observed.id,
    etag: observed.etag,
    status: observed.status,
    changes: restored.changes,
    warnings: [...restored.problems, ...restored.warnings],
    conflicts,
    errors: [],
    config: restored.config,
    ownedBefore: current,
    ownedAfter: ownedParts(restored.config, owner, request.target),
    order: (restored.config.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern ?? ''),
  };
}

export async function prepareRestore(clients: AwsClients, request: RestoreRequest): Promise<PreparedRestore> {
  const observed = await observeDistribution(clients, request.id);
  const plan = planRestore(request, observed);
  return { observed, plan, drift: ownedDifferences(request.expected, plan.ownedBefore) };
}

export function applyRestore(clients: AwsClients, prepared: PreparedRestore, request: RestoreRequest): Promise<WrittenDistribution> {
  return writeDistribution(clients, prepared.plan, prepared.observed, (observed) => planRestore(request, observed));
}

export async function restoreDistribution(clients: AwsClients, request: RestoreRequest): Promise<WrittenDistribution> {
  return applyRestore(clients, await prepareRestore(clients, request), request);
}
