/**
 * Step 6: exactly one UpdateDistribution per distribution, pinned with If-Match to the ETag
 * the plan was made from — and only of the change the user approved.
 *
 * The distribution is planned again at write time (with the real function versions and policy
 * ids) by the same pure planner that made the approved plan; what is written must be that
 * plan, unknown values aside (src/plan/compatible.ts, terraform's rule), or nothing is
 * written. If someone else wrote in between (PreconditionFailed), it is re-read: when the
 * integration's own parts are unchanged, the plan is re-merged onto the new config and tried
 * again (at most 3 times); otherwise it stops and says what changed.
 */
import { UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../aws/clients.js';
import { isAwsError } from '../aws/errors.js';
import { observeDistribution, type ObservedDistribution } from '../aws/observe/distribution.js';
import { ConflictError } from '../errors.js';
import { incompatibilities } from '../plan/compatible.js';
import type { DistributionPlan } from '../plan/distribution.js';
import { ownedDifferences } from '../plan/owned-parts.js';
import { containsUnknown } from '../plan/unknown.js';

export { ConflictError };

/** Re-reads and re-merges after PreconditionFailed (issue 4: "up to 3 times"): 4 writes at most. */
export const MAX_PRECONDITION_RETRIES = 3;

export interface WrittenDistribution {
  /** The plan that was written: real values, no unknowns. */
  plan: DistributionPlan;
  etagBefore: string;
  etagAfter: string;
  status: string;
}

/**
 * `approved` is the plan the user saw (made from `observed`); `replan` plans a (re-)read
 * distribution with the real values. Undefined when, with the real values, there is nothing
 * left to write (a version "published" by this run was one the distribution already ran).
 */
export async function writeDistribution(
  clients: AwsClients,
  approved: DistributionPlan,
  observed: ObservedDistribution,
  replan: (observed: ObservedDistribution) => DistributionPlan,
  /** Runs before each UpdateDistribution is sent, with what it will write (the write-ahead journal). */
  beforeWrite: (plan: DistributionPlan, current: ObservedDistribution) => Promise<void> = async () => {},
): Promise<WrittenDistribution | undefined> {
  let current = observed;
  for (let attempt = 0; ; attempt++) {
    const plan = replan(current);
    const blocking = [...plan.conflicts, ...plan.errors];
    if (blocking.length) throw new ConflictError(`${current.id}: ${blocking.join('; ')}`);
    const differences = incompatibilities(approved.changes, plan.changes, { ignorePositions: attempt > 0 });
    if (differences.length) {
      throw new ConflictError(`the change to ${current.id} is no longer the one that was approved (${differences.join('; ')}). Nothing was written; run plan again and review.`);
    }
    if (containsUnknown(plan.config)) throw new Error(`internal error: the config for ${current.id} still holds a value not known until apply`);
    if (!plan.changes.length) return undefined;
    await beforeWrite(plan, current);
    try {
      const out = await clients.cloudfront.send(new UpdateDistributionCommand({ Id: current.id, IfMatch: current.etag, DistributionConfig: plan.config }));
      return { plan, etagBefore: current.etag, etagAfter: out.ETag!, status: out.Distribution?.Status ?? 'InProgress' };
    } catch (error) {
      if (!isAwsError(error, 'PreconditionFailed') || attempt >= MAX_PRECONDITION_RETRIES) {
        if (isAwsError(error, 'PreconditionFailed')) {
          throw new ConflictError(`${current.id} kept changing while edge-install tried to write it (${attempt + 1} attempts); nothing was written. Try again when other deployments have finished.`);
        }
        throw error;
      }
      const reread = await observeDistribution(clients, current.id);
      const changed = ownedDifferences(approved.ownedBefore, replan(reread).ownedBefore);
      if (changed.length) {
        throw new ConflictError(
          `${current.id} was changed by someone else since the plan was made, in parts edge-install owns: ${changed.join('; ')}. Nothing was written; run plan again and review.`,
        );
      }
      current = reread;
    }
  }
}
