/**
 * `attach --watch <window>`: after the change is Deployed, watch its Lambda@Edge errors for the
 * window and, if they breach the limit (src/plan/watch.ts), fail with WatchBreachError — which
 * attach answers by putting the owned parts back, as `rollback` would, in one recorded write.
 *
 * - Time: the change's time is the distribution's LastModifiedTime (the server's clock, which
 *   the metrics' timestamps use). Metrics are per minute, so the minute the change landed in
 *   belongs to the watch (its healthy requests only dilute the rate), never to the baseline —
 *   the same length of time before that minute.
 * - What is judged: the distribution's Lambda@Edge errors per request, and the errors of the
 *   versions this attach put live (dimension Resource), per invocation, summed over Regions.
 * - Pacing: a read per metrics interval (a minute on AWS, CloudWatch's resolution; fast against
 *   the sandbox), each up to now; after the window, one last read once CloudWatch's ingestion
 *   delay has passed (timing.metrics.settleMs), so the window's last minutes are judged too.
 * - A watch that cannot read the metrics (cloudwatch:GetMetricData denied, the Region not
 *   enabled) judged nothing: WatchInconclusiveError, the change kept, never rolled back.
 * - An interrupt ends the watch with no verdict; the change stays as it is.
 */
import { GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AwsClients } from '../aws/clients.js';
import { observeEdgeMetrics, type EdgeMetrics } from '../aws/observe/metrics.js';
import type { Timing } from '../aws/polling.js';
import { RuntimeError } from '../errors.js';
import { lambdaErrorRate, total } from '../plan/metrics.js';
import { judgeWatch, type Counts, type WatchVerdict } from '../plan/watch.js';

export interface WatchSettings {
  windowMs: number;
  /** Percent. */
  maxErrorRate: number;
  /** The function versions this attach put live. */
  functions: { name: string; version: string }[];
  regions: string[];
}

export class WatchBreachError extends RuntimeError {
  constructor(
    readonly verdict: WatchVerdict,
    readonly since: Date,
  ) {
    super(`the change failed its watch: ${verdict.reason} (see the errors with: edge-install logs --errors --since ${since.toISOString()})`);
  }
}

/** The metrics could not be read: nothing was judged, and the change is kept. */
export class WatchInconclusiveError extends RuntimeError {}

function counts(metrics: EdgeMetrics): Counts {
  const d = metrics.distributions[0];
  const rate = d ? lambdaErrorRate(d) : { requests: 0, errors: 0 };
  return {
    requests: rate.requests,
    lambdaErrors: rate.errors,
    invocations: metrics.functions.reduce((n, f) => n + total(f.invocations), 0),
    functionErrors: metrics.functions.reduce((n, f) => n + total(f.errors), 0),
  };
}

/** Resolves with the last verdict, or undefined when interrupted. */
export async function watchErrors(
  clients: AwsClients,
  id: string,
  settings: WatchSettings,
  runtime: { timing: Timing; signal?: AbortSignal },
): Promise<WatchVerdict | undefined> {
  const distribution = (await clients.cloudfront.send(new GetDistributionCommand({ Id: id }))).Distribution!;
  const changed = new Date(distribution.LastModifiedTime ?? Date.now());
  const changeMinute = new Date(Math.floor(changed.getTime() / 60_000) * 60_000);
  const read = async (start: Date, end: Date): Promise<Counts> => {
    const metrics = await observeEdgeMetrics(clients, {
      distributionIds: [id],
      functionNames: settings.functions.map((f) => f.name),
      versions: Object.fromEntries(settings.functions.map((f) => [f.name, f.version])),
      regions: settings.regions,
      window: { start, end, periodSeconds: 60 },
    });
    if (metrics.unreadable.length) {
      const reasons = [...new Set(metrics.unreadable.map((u) => u.reason))].join(', ');
      const where = metrics.unreadable.length === new Set(['us-east-1', ...settings.regions]).size ? 'any Region' : metrics.unreadable.map((u) => u.region).join(', ');
      throw new WatchInconclusiveError(`could not watch ${id}: its metrics could not be read in ${where} (${reasons}), so nothing was judged; allow cloudwatch:GetMetricData (the README lists it) and check with edge-install status --metrics`);
    }
    return counts(metrics);
  };
  const baseline = await read(new Date(changeMinute.getTime() - settings.windowMs), changeMinute);
  // The window is timed on this machine's clock; its metrics are read on the server's, up to now.
  const deadline = Date.now() + settings.windowMs;
  const until = () => new Date(Date.now() + 24 * 3_600_000);
  try {
    for (;;) {
      const last = Date.now() >= deadline;
      if (last && runtime.timing.metrics.settleMs > 0) await sleep(runtime.timing.metrics.settleMs, undefined, { signal: runtime.signal });
      const verdict = judgeWatch(await read(changeMinute, until()), baseline, settings.maxErrorRate);
      if (verdict.breached) throw new WatchBreachError(verdict, changed);
      if (last) return verdict;
      await sleep(Math.min(runtime.timing.metrics.intervalMs, Math.max(0, deadline - Date.now())), undefined, { signal: runtime.signal });
    }
  } catch (error) {
    if (runtime.signal?.aborted && (error as Error).name === 'AbortError') return undefined;
    throw error;
  }
}
