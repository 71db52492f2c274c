/**
 * Puts an integration's owned parts of one distribution back to a recorded state now, in one
 * ETag-pinned write: attach --rollback-on-failure, after its own change failed to deploy or
 * verify. (`rollback` shows its plan first and writes it with writeDistribution directly.)
 */
import type { AwsClients } from '../aws/clients.js';
import { observeDistribution } from '../aws/observe/distribution.js';
import { planRestore, type RestoreRequest } from '../plan/restore.js';
import { writeDistribution, type WrittenDistribution } from './write-distribution.js';

export async function restoreDistribution(clients: AwsClients, request: RestoreRequest): Promise<WrittenDistribution | undefined> {
  const observed = await observeDistribution(clients, request.id);
  return writeDistribution(clients, planRestore(request, observed), observed, (o) => planRestore(request, o));
}
