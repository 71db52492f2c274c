/**
 * APPLY for `gc`, given the approved plan and the clients: delete the versions and functions it
 * lists. Lambda refuses to delete a version CloudFront still has replicas of (for hours after
 * its last association went): that is reported as waiting, not as a failure, and the next run
 * picks it up. Idempotent: what is already gone counts as done.
 */
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../aws/clients.js';
import { ifExists } from '../aws/errors.js';
import { formatResource } from '../plan/addresses.js';
import type { GcPlan } from '../plan/gc.js';
import { isReplicaRefusal, type ResourceNote } from './delete-resources.js';

export const GC_REPLICA_REASON = 'waiting for replicas to be removed (typically a few hours after the last association went); run `edge-install gc` later';

export interface GcOutcome {
  deleted: string[];
  waiting: ResourceNote[];
  failed: ResourceNote[];
}

type DeleteResult = 'deleted' | 'gone' | 'replicated';

async function deleteLambda(clients: AwsClients, name: string, version?: string): Promise<DeleteResult> {
  try {
    const done = await ifExists(() => clients.lambda.send(new DeleteFunctionCommand({ FunctionName: name, ...(version ? { Qualifier: version } : {}) })), 'ResourceNotFoundException');
    return done ? 'deleted' : 'gone';
  } catch (error) {
    if (isReplicaRefusal(error)) return 'replicated';
    throw error;
  }
}

export async function applyGc(clients: AwsClients, plan: GcPlan): Promise<GcOutcome> {
  const outcome: GcOutcome = { deleted: [], waiting: [], failed: [] };
  const note = (resource: string, result: DeleteResult) => {
    if (result === 'deleted') outcome.deleted.push(resource);
    else if (result === 'replicated') outcome.waiting.push({ resource, reason: GC_REPLICA_REASON });
  };
  for (const target of plan.targets) {
    try {
      if (target.kind === 'version') {
        note(target.resource, await deleteLambda(clients, target.functionName, target.version));
        continue;
      }
      const whole = await deleteLambda(clients, target.functionName);
      if (whole !== 'replicated') {
        note(target.resource, whole);
        continue;
      }
      // Some version still has replicas: delete the versions that have none, so the next run
      // has less to do, and report the function as waiting.
      for (const version of target.versions ?? []) {
        const result = await deleteLambda(clients, target.functionName, version);
        if (result === 'deleted') outcome.deleted.push(formatResource({ kind: 'version', name: target.functionName, version }));
      }
      outcome.waiting.push({ resource: target.resource, reason: GC_REPLICA_REASON });
    } catch (error) {
      outcome.failed.push({ resource: target.resource, reason: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return outcome;
}
