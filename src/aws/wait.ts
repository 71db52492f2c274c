/**
 * The one way edge-install waits on AWS: a distribution becoming Deployed, a Lambda function
 * becoming Active or finishing an update.
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
  for (;;) {
    try {
      const result = await check();
      if ('failed' in result) throw result.failed;
      if (result.done) return;
      state = result.state;
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
