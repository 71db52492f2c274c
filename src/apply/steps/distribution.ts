/**
 * Step 6: exactly one UpdateDistribution per distribution, pinned with If-Match to the ETag
 * the plan was made from. If someone else wrote in between (PreconditionFailed), re-read: when
 * the integration's own parts are unchanged, re-merge the plan onto the new config and try
 * again (at most 3 times); otherwise stop and say what changed — nothing is written.
 */
import { UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../../aws/clients.js';
import { isAwsError } from '../../aws/errors.js';
import { observeDistribution, type ObservedDistribution } from '../../aws/observe/distribution.js';
import type { DistributionPlan } from '../../plan/distribution.js';
import { ownedDifferences } from '../../plan/owned-parts.js';

export class ConflictError extends Error {
  readonly exitCode = 1;
}

/** Re-reads and re-merges after PreconditionFailed (issue 4: "up to 3 times"): 4 writes at most. */
export const MAX_PRECONDITION_RETRIES = 3;

export interface WrittenDistribution {
  plan: DistributionPlan;
  etagBefore: string;
  etagAfter: string;
  status: string;
}

/**
 * `planFor` re-plans a (re-)read distribution with the real function versions: the same pure
 * planner that made the shown plan, so the write is what the user approved.
 */
export async function writeDistribution(
  clients: AwsClients,
  shown: DistributionPlan,
  observed: ObservedDistribution,
  planFor: (observed: ObservedDistribution) => DistributionPlan,
): Promise<WrittenDistribution> {
  let current = observed;
  for (let attempt = 0; ; attempt++) {
    const plan = planFor(current);
    const blocking = [...plan.conflicts, ...plan.errors];
    if (blocking.length) throw new ConflictError(`${current.id}: ${blocking.join('; ')}`);
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
      const changed = ownedDifferences(shown.ownedBefore, planFor(reread).ownedBefore);
      if (changed.length) {
        throw new ConflictError(
          `${current.id} was changed by someone else since the plan was made, in parts edge-install owns: ${changed.join('; ')}. Nothing was written; run plan again and review.`,
        );
      }
      current = reread;
    }
  }
}
