/**
 * Waiting for a distribution to be Deployed after a write.
 *
 * Not the SDK's `waitUntilDistributionDeployed`: its acceptors turn every error into "retry",
 * so AccessDenied, an expired token or a deleted distribution would be polled for the whole
 * timeout (35 minutes by default) and then reported as a timeout. Here the client's own
 * retries (8 attempts, backoff) absorb what is transient; an error that survives them and is
 * the caller's fault ends the wait at once with AWS's code. Server-side errors and throttling
 * that outlast those retries are polled through, as the SDK waiter would.
 */
import { GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AwsClients } from './clients.js';

export interface DeployWait {
  timeoutSeconds: number;
  /** First delay between polls; it doubles up to 30 s (or stays, if larger). */
  pollSeconds: number;
  signal?: AbortSignal;
}

export class WaitTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);

/** Worth polling again: AWS's side (5xx), throttling, or no answer at all (a network error). */
function transient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const fault = (error as { $fault?: string }).$fault;
  if (fault === 'server' || THROTTLING.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  return !('$metadata' in error) && (error.name === 'TimeoutError' || (typeof code === 'string' && /^E[A-Z]+$/.test(code)));
}

export async function waitUntilDeployed(clients: AwsClients, id: string, wait: DeployWait): Promise<void> {
  const started = Date.now();
  const deadline = started + wait.timeoutSeconds * 1000;
  let delayMs = wait.pollSeconds * 1000;
  let status = 'unknown';
  for (;;) {
    try {
      status = (await clients.cloudfront.send(new GetDistributionCommand({ Id: id }), { abortSignal: wait.signal })).Distribution?.Status ?? 'unknown';
      if (status === 'Deployed') return;
    } catch (error) {
      if (wait.signal?.aborted || !transient(error)) throw error;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(`${id} was not Deployed after ${Math.round((Date.now() - started) / 1000)} s (status ${status}; --wait-timeout ${wait.timeoutSeconds})`);
    await sleep(Math.min(delayMs, left), undefined, { signal: wait.signal });
    delayMs = Math.min(Math.max(delayMs * 2, wait.pollSeconds * 1000), Math.max(30_000, wait.pollSeconds * 1000));
  }
}
