/**
 * APPLY for `detach`, given the approved plan and the clients: per distribution one
 * ETag-pinned UpdateDistribution that takes every owned part out (putting back replaced
 * foreign triggers), its revision (owning nothing) recorded at once, the wait for Deployed;
 * then — only when every distribution is done and no distribution in the account uses the
 * integration any more — its resources are deleted (delete-resources.ts).
 */
import type { AwsClients } from '../aws/clients.js';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { RuntimeError } from '../errors.js';
import { planDetachOf, type DetachPlan } from '../plan/detach.js';
import { settleWithLimit } from '../concurrency.js';
import { deleteResources, type ResourceOutcome } from './delete-resources.js';
import type { ApplyRuntime, DistributionResult } from './events.js';
import { UnrecordedWriteError, writeAndRecord } from './record.js';

export interface DetachApplyOptions extends ApplyRuntime {
  waitTimeoutSeconds: number;
  concurrency: number;
}

export interface DetachResult {
  distributions: DistributionResult[];
  /** Undefined when a distribution failed or the run was interrupted: then no resource is touched. */
  resources?: ResourceOutcome;
}

async function detachOne(clients: AwsClients, plan: DetachPlan, observed: ObservedDistribution, index: number, options: DetachApplyOptions): Promise<DistributionResult> {
  const approved = plan.distributions[index]!;
  const unchanged: DistributionResult = { id: observed.id, ok: true, written: false, etag: observed.etag, status: observed.status };
  if (approved.changes.length === 0) return unchanged;
  if (options.signal?.aborted) return { id: observed.id, ok: false, written: false, error: new RuntimeError('interrupted before it was written') };
  // Recorded as soon as it is written: even if waiting fails, the change was made and
  // status / rollback / a re-run of detach must know that nothing is owned here any more.
  const secret = plan.inputs.manifest.secret;
  let done;
  try {
    done = await writeAndRecord(
      clients,
      { approved, observed, replan: (o) => planDetachOf(plan.inputs, o), revision: { kind: 'detach', integration: plan.integration, secret: secret ? { name: secret.name, region: secret.region } : undefined } },
      options,
    );
  } catch (error) {
    // Detached but not recorded: not a success, so no resource is deleted after it.
    if (error instanceof UnrecordedWriteError) return { id: observed.id, ok: false, written: true, etag: error.written.etagAfter, status: error.written.status, error };
    throw error;
  }
  if (!done) return unchanged;
  const { written, revision } = done;
  const live = { id: observed.id, written: true, etag: written.etagAfter, status: written.status, revision: revision.revision };
  options.onEvent?.({ type: 'waiting', id: observed.id });
  try {
    await waitUntilDeployed(clients, observed.id, { ...options.timing.deploy, timeoutMs: options.waitTimeoutSeconds * 1000, signal: options.signal });
  } catch (error) {
    // Interrupted while waiting: the detach is written and recorded; the command stops here.
    if (options.signal?.aborted) return { ...live, ok: true };
    // Detached and recorded, but not known to be deployed: resources stay until it is.
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    return { ...live, ok: false, error: new RuntimeError(`${observed.id} is detached (revision ${revision.revision}) but waiting for it to deploy failed (${reason}); run detach again once it is Deployed to delete the resources`) };
  }
  options.onEvent?.({ type: 'deployed', id: observed.id });
  return { ...live, ok: true, status: 'Deployed' };
}

export async function applyDetach(clients: AwsClients, plan: DetachPlan, options: DetachApplyOptions): Promise<DetachResult> {
  const observed = plan.inputs.distributions;
  const settled = await settleWithLimit(
    observed.map((o, i) => [o, i] as const),
    options.concurrency,
    ([o, i]) => detachOne(clients, plan, o, i, options),
  );
  const distributions = settled.map((s, i): DistributionResult => (s.status === 'fulfilled' ? s.value : { id: observed[i]!.id, ok: false, written: false, error: s.reason as Error }));
  if (distributions.some((d) => !d.ok) || options.signal?.aborted) return { distributions };
  return { distributions, resources: await deleteResources(clients, plan, options) };
}
