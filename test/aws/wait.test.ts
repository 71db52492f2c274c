/**
 * The one waiting rule (src/aws/wait.ts): a read that fails with a transient error (AWS's side,
 * throttling, no answer) is tried again; anything else ends the wait at once, as the error it
 * is; a failed state ends it with its reason; the timeout names the last state. No real time:
 * the interval is 0 and the timeout is reached by the reads, not by a clock.
 */
import { describe, expect, it } from 'vitest';
import { classifyAwsError, isTransient, recordAwsCall } from '../../src/aws/errors.js';
import { pollUntil, WaitTimeoutError, type PollResult } from '../../src/aws/wait.js';

/** An error as the SDK throws it: a name, the HTTP status, and AWS's fault side. */
function awsError(name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client'): Error {
  return Object.assign(new Error(`${name} happened`), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

/** A network error as it reaches a caller: no answer, recorded on its call by the clients' middleware. */
function networkError(code: string): Error {
  const error = Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, $metadata: {} });
  recordAwsCall(error, { service: 'cloudfront', operation: 'GetDistribution', resource: 'E1' });
  return error;
}

const polling = { intervalMs: 0, maxIntervalMs: 0, timeoutMs: 60_000 };
const timedOut = (seconds: number, state: string) => `still ${state} after ${seconds} s`;

/** A check that answers from a script, one step per read. */
function scripted(steps: (PollResult | Error)[]): { check: () => Promise<PollResult>; reads: () => number } {
  let i = 0;
  return {
    check: async () => {
      const step = steps[Math.min(i++, steps.length - 1)]!;
      if (step instanceof Error) throw step;
      return step;
    },
    reads: () => i,
  };
}

describe('the taxonomy the wait uses', () => {
  it('transient: AWS’s side, throttling, no answer; not: denied, expired, not found, a bad request', () => {
    expect([awsError('InternalFailure', 500), awsError('ServiceUnavailable', 503), awsError('Throttling', 400), awsError('TooManyRequestsException', 429), networkError('ECONNREFUSED')].map(isTransient)).toEqual([true, true, true, true, true]);
    expect([awsError('AccessDenied', 403), awsError('ExpiredToken', 400), awsError('NoSuchDistribution', 404), awsError('InvalidArgument', 400)].map(isTransient)).toEqual([false, false, false, false]);
    expect(classifyAwsError(networkError('ENOTFOUND'))).toBe('network');
    expect(classifyAwsError(networkError('EAI_AGAIN'))).toBe('network');
    // Node's own ERR_* codes are bugs or bad input, not the network: never polled through.
    expect(isTransient(networkError('ERR_INVALID_ARG_TYPE'))).toBe(false);
    expect(isTransient(new Error('one of edge-install’s own'))).toBe(false);
  });
});

describe('pollUntil', () => {
  it('polls through transient errors until done', async () => {
    const s = scripted([awsError('InternalFailure', 500), awsError('Throttling', 400), networkError('ECONNRESET'), { done: false, state: 'InProgress' }, { done: true }]);
    await pollUntil(s.check, polling, timedOut);
    expect(s.reads()).toBe(5);
  });

  it('ends at once on any other error, as that error', async () => {
    const denied = awsError('AccessDenied', 403);
    const s = scripted([{ done: false, state: 'InProgress' }, denied, { done: true }]);
    await expect(pollUntil(s.check, polling, timedOut)).rejects.toBe(denied);
    expect(s.reads()).toBe(2);
  });

  it('ends on a failed state with its reason', async () => {
    const failed = new Error('Lambda could not make function x ready: InvalidRole');
    await expect(pollUntil(scripted([{ done: false, state: 'Pending' }, { failed }]).check, polling, timedOut)).rejects.toBe(failed);
  });

  it('times out naming the last state (a timeout of 0: the first read that is not done ends it)', async () => {
    const s = scripted([{ done: false, state: 'InProgress' }]);
    const error = await pollUntil(s.check, { ...polling, timeoutMs: 0 }, timedOut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe('still InProgress after 0 s');
    expect(s.reads()).toBe(1);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const s = scripted([{ done: false, state: 'InProgress' }]);
    abort.abort('SIGINT');
    await expect(pollUntil(s.check, { ...polling, signal: abort.signal }, timedOut)).rejects.toThrow();
  });
});
