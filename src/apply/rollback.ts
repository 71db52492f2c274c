/**
 * APPLY for `rollback`, given the approved plan and the clients: per distribution (one at a
 * time, so a failure can say exactly which are done), one ETag-pinned UpdateDistribution of the
 * approved restore, its revision recorded at once, then the wait for Deployed. An interrupt
 * lets the write in flight finish and be recorded, and starts no other.
 */
import type { AwsClients } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { interrupted, RuntimeError } from '../errors.js';
import { planRestore } from '../plan/restore.js';
import { knownFunctions } from '../plan/revision.js';
import type { RollbackPlan } from '../plan/rollback.js';
import type { ApplyRuntime } from './events.js';
import { recordUnwritten, writeAndRecord } from './record.js';
import { rollBackSecret, rollBackSecretCommand } from './steps/secret.js';

export interface RollbackApplyOptions extends ApplyRuntime {
  wait: boolean;
  waitTimeoutSeconds: number;
}

export interface RolledBack {
  id: string;
  etag: string;
  status: string;
  revision: string;
}

const describe = (error: unknown) => describeAwsError(error)?.what.replace(/\.$/, '') ?? (error as Error).message;

export async function applyRollback(clients: AwsClients, plan: RollbackPlan, options: RollbackApplyOptions): Promise<RolledBack[]> {
  const done: RolledBack[] = [];
  // Recorded with each rollback revision, so that a rollback of the rollback moves the secret forward again.
  const secret = plan.secret ? { name: plan.secret.name, region: plan.secret.region, versionBefore: plan.secret.from, versionId: plan.secret.to } : undefined;
  const pending = plan.rollbacks.filter((r) => r.plan.changes.length);
  const names = (items: { id: string }[]) => items.map((x) => x.id).join(', ') || 'none';
  for (const [i, r] of pending.entries()) {
    const left = pending.slice(i);
    if (options.signal?.aborted) throw interrupted(options.signal, `interrupted; rolled back: ${names(done)}; not yet: ${names(left)}`);
    try {
      const result = await writeAndRecord(
        clients,
        { approved: r.plan, observed: r.observed, replan: (o) => planRestore(r.request, o), revision: { kind: 'rollback', integration: plan.integration, known: knownFunctions(plan.inputs.revisions), ...(secret ? { secret } : {}) } },
        options,
      );
      if (!result) continue;
      const { written, revision } = result;
      let status = written.status;
      if (options.wait) {
        try {
          options.onEvent?.({ type: 'waiting', id: r.id });
          await waitUntilDeployed(clients, r.id, { ...options.timing.deploy, timeoutMs: options.waitTimeoutSeconds * 1000, signal: options.signal });
          status = 'Deployed';
          options.onEvent?.({ type: 'deployed', id: r.id });
        } catch (error) {
          // Only the wait for Deployed is cut short by an interrupt; the rollback is written and recorded.
          if (options.signal?.aborted) throw interrupted(options.signal, `interrupted while ${r.id} deploys: its rollback is written and recorded; check it with edge-install status`);
          throw error;
        }
      }
      done.push({ id: r.id, etag: written.etagAfter, status, revision: revision.revision });
      options.onEvent?.({ type: 'rolled-back', id: r.id, revision: revision.revision });
    } catch (error) {
      if (!done.length || options.signal?.aborted) throw error;
      // A plain re-run would roll back the rollbacks already done: name what is left.
      throw new RuntimeError(
        `${describe(error)}. Rolled back already: ${names(done)}; not yet: ${names(left)}. ` +
          `Finish with: edge-install rollback ${left.map((x) => `--distribution ${x.id}`).join(' ')} (a rollback without --distribution would undo the ones already done).`,
      );
    }
  }
  if (options.signal?.aborted) throw interrupted(options.signal, `interrupted, after the rollbacks in flight finished: ${names(done)}`);
  // The secret last: the distributions are back on the versions that read the older values.
  if (plan.secret) {
    try {
      await rollBackSecret(clients, plan.secret);
      options.onEvent?.({ type: 'secret-rolled-back', name: plan.secret.name, version: plan.secret.to });
    } catch (error) {
      throw new RuntimeError(
        `${describe(error)}. The distributions are rolled back (${names(done)}), but the secret ${plan.secret.name} still holds the newer values. ` +
          `Put them back with: ${rollBackSecretCommand(plan.secret)}`,
      );
    }
    // Where no distribution was written (a change of the secret's values alone), the move is recorded all the same.
    for (const r of plan.rollbacks.filter((x) => !x.plan.changes.length)) {
      try {
        const revision = await recordUnwritten(options.state, r.observed, r.plan, { kind: 'rollback', integration: plan.integration, known: knownFunctions(plan.inputs.revisions), secret }, clients);
        done.push({ id: r.id, etag: r.observed.etag, status: r.observed.status, revision: revision.revision });
      } catch (error) {
        throw new RuntimeError(`the secret ${plan.secret.name} is rolled back (AWSCURRENT is version ${plan.secret.to}), but the revision recording it for ${r.id} could not be written in ${options.state.location} (${(error as Error).message})`);
      }
    }
  }
  return done;
}
