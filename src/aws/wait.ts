/**
 * The one way edge-install waits on AWS: a distribution becoming Deployed, a Lambda function
 * becoming Active or finishing an update, a secret's new replicas becoming InSync.
 *
 * Not the SDK's waiters: their acceptors turn every error into "retry", so AccessDenied, an
 * expired token or a deleted resource is polled for the whole timeout (35 minutes for a
 * deployment) and then reported as a raw TimeoutError. Here the client's own retries (8
 * attempts, backoff) absorb what is transient; an error that outlasts them is polled through
 * only if it is transient by the one taxonomy (errors.ts: AWS's side, throttling, no answer),
 * and anything else ends the wait at once, as the AWS error it is — so the CLI reports it with
 * the call, the code and the fix.
 */
import { GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, type ReplicationStatusType } from '@aws-sdk/client-secrets-manager';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../errors.js';
import type { AwsClients } from './clients.js';
import { isTransient } from './errors.js';

export interface Polling {
  /** First delay between reads; it doubles up to `maxIntervalMs`. */
  intervalMs: number;
  maxIntervalMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Told the state a read found while it is not done yet: at the first such read and whenever
   * the state changes (not at every read), so a caller can show what is being waited for —
   * and a wait that is over at its first read reports nothing.
   */
  onState?: (state: string) => void;
}

export class WaitTimeoutError extends RuntimeError {
  override readonly name = 'TimeoutError';
}

/** What one read found: done, a state worth reading again (with its name), or a failure. */
export type PollResult = { done: true } | { done: false; state: string } | { failed: Error };

/**
 * Reads until `check` says done or failed, the timeout passes (WaitTimeoutError with
 * `timedOut`'s words for the seconds waited and the last state), or `signal` aborts
 * (AbortError). A read error ends the wait at once unless it is transient.
 */
export async function pollUntil(check: () => Promise<PollResult>, polling: Polling, timedOut: (seconds: number, state: string) => string): Promise<void> {
  const started = Date.now();
  const deadline = started + polling.timeoutMs;
  let delay = polling.intervalMs;
  let state = 'unknown';
  let reported: string | undefined;
  for (;;) {
    try {
      const result = await check();
      if ('failed' in result) throw result.failed;
      if (result.done) return;
      state = result.state;
      if (state !== reported) {
        reported = state;
        polling.onState?.(state);
      }
    } catch (error) {
      if (polling.signal?.aborted || !isTransient(error)) throw error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new WaitTimeoutError(timedOut(Math.round((Date.now() - started) / 1000), state));
    }
    await sleep(Math.min(delay, left), undefined, { signal: polling.signal });
    delay = Math.min(delay * 2, Math.max(polling.maxIntervalMs, polling.intervalMs));
  }
}

/** Until the distribution is Deployed (CloudFront takes minutes after every write); `flag` names the limit's flag. */
export function waitUntilDeployed(clients: AwsClients, id: string, polling: Polling, flag?: string): Promise<void> {
  return pollUntil(
    async () => {
      const status = (await clients.cloudfront.send(new GetDistributionCommand({ Id: id }), { abortSignal: polling.signal })).Distribution?.Status ?? 'unknown';
      return status === 'Deployed' ? { done: true } : { done: false, state: status };
    },
    polling,
    (seconds, state) => `${id} was not Deployed after ${seconds} s (status ${state}${flag ? `; ${flag}` : ''})`,
  );
}

/** Lambda refused or could not finish: State or LastUpdateStatus `Failed`, with Lambda's reason. */
export class FunctionFailedError extends RuntimeError {}

/**
 * Until Lambda has settled a function: State not Pending, LastUpdateStatus not InProgress.
 * `failedIs`: after edge-install's own create or update, a Failed state is that step failing
 * (with Lambda's reason); before an update, a Failed state left by an earlier update is just
 * where the function is — the update about to be sent is what clears it.
 */
export function waitUntilFunctionReady(clients: AwsClients, name: string, polling: Polling, failedIs: 'an error' | 'settled' = 'an error'): Promise<void> {
  return pollUntil(
    async () => {
      const c = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }), { abortSignal: polling.signal });
      if (c.State === 'Pending') return { done: false, state: 'Pending' };
      if (c.LastUpdateStatus === 'InProgress') return { done: false, state: 'update InProgress' };
      if (failedIs === 'an error' && (c.State === 'Failed' || c.LastUpdateStatus === 'Failed')) {
        const reason = c.State === 'Failed' ? `${c.StateReasonCode ?? ''} ${c.StateReason ?? ''}` : `${c.LastUpdateStatusReasonCode ?? ''} ${c.LastUpdateStatusReason ?? ''}`;
        return { failed: new FunctionFailedError(`Lambda could not make function ${name} ready: ${reason.trim() || 'state Failed'}`) };
      }
      return { done: true };
    },
    polling,
    (seconds, state) => `function ${name} was still ${state} after ${seconds} s`,
  );
}

/**
 * How long a secret's replicas are waited for, whether new (attach) or catching up with a new
 * version (`secret set|rotate`): replication can outlast a Lambda state change (minutes, not
 * seconds), so ten minutes before giving up.
 */
export const SECRET_REPLICA_TIMEOUT_MS = 600_000;

/**
 * Secrets Manager reports replication to these regions `Failed` (ReplicationStatusType: Status
 * and StatusMessage, such as "Secret name already exists in region"), with the fix. One shape for
 * both waits below.
 */
function secretReplicationFailed(secret: { name: string; region: string }, failed: readonly ReplicationStatusType[]): RuntimeError {
  const regions = failed.map((f) => f.Region ?? '?');
  const reasons = failed.map((f) => `${failed.length > 1 ? `${f.Region}: ` : ''}${(f.StatusMessage ?? 'replication Failed').replace(/\.$/, '')}`).join('; ');
  return new RuntimeError(
    `Secrets Manager could not replicate the secret ${secret.name} to ${regions.join(', ')}: ${reasons}. ` +
      `Fix: delete or rename what is in the way in ${regions.join(', ')} (a secret of the same name there), or drop ${regions.join(', ')} from secret.replicaRegions; ` +
      `then aws secretsmanager remove-regions-from-replication --secret-id ${secret.name} --region ${secret.region} --remove-replica-regions ${regions.join(' ')} if it is still listed, and run this again.`,
  );
}

/**
 * Until every region in `regions` holds an InSync replica of the secret. Replication is
 * asynchronous: CreateSecret (AddReplicaRegions) and ReplicateSecretToRegions return while
 * each replica is `InProgress` ("Secrets Manager is in the process of creating the replica"),
 * and it becomes `InSync` or `Failed`, with a StatusMessage such as "Secret with this name
 * already exists in this region" (Secrets Manager API reference, ReplicationStatusType;
 * DescribeSecret is how to follow it). The functions read the replica nearest to where they
 * run, so a distribution must not send them traffic before their replica exists.
 *
 * `first` is the ReplicationStatus the call that added the replicas answered with: it is the
 * first read, so replicas already InSync (or Failed) cost no DescribeSecret at all.
 */
export function waitUntilSecretReplicated(
  clients: AwsClients,
  secret: { id: string; name: string; region: string },
  regions: string[],
  polling: Polling,
  first?: ReplicationStatusType[],
): Promise<void> {
  let answered = first;
  return pollUntil(
    async () => {
      let status = answered;
      answered = undefined;
      status ??= (await clients.secrets(secret.region).send(new DescribeSecretCommand({ SecretId: secret.id }), { abortSignal: polling.signal })).ReplicationStatus ?? [];
      const failed = status.filter((s) => s.Status === 'Failed' && regions.includes(s.Region ?? ''));
      if (failed.length) return { failed: secretReplicationFailed(secret, failed) };
      // A region not listed yet is as good as InProgress: its replica is on its way.
      const pending = regions.filter((region) => status.find((s) => s.Region === region)?.Status !== 'InSync');
      return pending.length ? { done: false, state: `InProgress in ${pending.join(', ')}` } : { done: true };
    },
    polling,
    (seconds, state) => `the replicas of secret ${secret.name} were not InSync after ${seconds} s (${state})`,
  );
}

/**
 * Until a new secret version is AWSCURRENT in every replica region (after `secret set|rotate`). Secrets Manager
 * copies a new value to every replica asynchronously after the write to the primary region;
 * each replica's DescribeSecret lists the version ids and their labels there (a replica can be
 * read, not written: "Operation not permitted on a replica secret"). The functions in a region
 * read that region's replica (handlers/shared/secrets.ts), so until it carries the new
 * version as AWSCURRENT they keep reading the old value. A replication the primary reports as
 * `Failed` ends the wait with its StatusMessage, as waitUntilSecretReplicated's does. Callers
 * give it SECRET_REPLICA_TIMEOUT_MS too.
 */
export async function waitUntilReplicasCurrent(clients: AwsClients, secret: { name: string; region: string }, regions: readonly string[], versionId: string, polling: Polling): Promise<void> {
  if (!regions.length) return;
  await pollUntil(
    async () => {
      const primary = await clients.secrets(secret.region).send(new DescribeSecretCommand({ SecretId: secret.name }), { abortSignal: polling.signal });
      const failed = (primary.ReplicationStatus ?? []).filter((r) => regions.includes(r.Region ?? '') && r.Status === 'Failed');
      if (failed.length) return { failed: secretReplicationFailed(secret, failed) };
      const behind: string[] = [];
      for (const region of regions) {
        const replica = await clients.secrets(region).send(new DescribeSecretCommand({ SecretId: secret.name }), { abortSignal: polling.signal });
        if (!(replica.VersionIdsToStages?.[versionId] ?? []).includes('AWSCURRENT')) behind.push(region);
      }
      return behind.length ? { done: false, state: `not yet in ${behind.join(', ')}` } : { done: true };
    },
    polling,
    (seconds, state) => `the new version of the secret ${secret.name} had not reached every replica after ${seconds} s (${state})`,
  );
}
