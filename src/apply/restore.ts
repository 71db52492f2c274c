/**
 * Puts an integration's owned parts of one distribution back to a recorded state now, in one
 * ETag-pinned write, journaled and recorded like any other: attach --rollback-on-failure, after
 * its own change failed to deploy or verify. (`rollback` shows its plan first and writes it
 * with writeAndRecord directly.)
 */
import type { AwsClients } from '../aws/clients.js';
import { observeDistribution } from '../aws/observe/distribution.js';
import { planRestore, type RestoreRequest } from '../plan/restore.js';
import type { ApplyRuntime } from './events.js';
import { writeAndRecord, type RevisionFacts } from './record.js';

export async function restoreDistribution(clients: AwsClients, request: RestoreRequest, revision: RevisionFacts, runtime: Pick<ApplyRuntime, 'state' | 'onEvent'>) {
  const observed = await observeDistribution(clients, request.id);
  return writeAndRecord(clients, { approved: planRestore(request, observed), observed, replan: (o) => planRestore(request, o), revision }, runtime);
}
