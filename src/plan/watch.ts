/**
 * PURE: `attach --watch`'s verdict — is the change worse than what was there before?
 *
 * The error rate is the larger of two views of the same failures: the distribution's
 * Lambda@Edge errors (execution, validation, limit exceeded) per request, and the integration's
 * function errors per invocation, summed over Regions. The change breaches when that rate is
 * over the threshold AND over the rate of the same length of time before the change (a
 * distribution that already failed at 2% is not the new version's fault), with at least one
 * least MIN_ERRORS errors (one failed request of three is not yet a verdict; none of a
 * thousand is never one).
 */
export interface Counts {
  requests: number;
  lambdaErrors: number;
  invocations: number;
  functionErrors: number;
}

export interface WatchVerdict {
  breached: boolean;
  /** Percent, over the window so far. */
  rate: number;
  baselineRate: number;
  counts: Counts;
  reason: string;
}

/** Errors the watch needs before it judges a breach. */
export const MIN_ERRORS = 3;

const percent = (part: number, whole: number): number => (whole > 0 ? (100 * part) / whole : 0);

export function errorRate(c: Counts): number {
  return Math.max(percent(c.lambdaErrors, c.requests), percent(c.functionErrors, c.invocations));
}

export function judgeWatch(current: Counts, baseline: Counts, maxErrorRate: number): WatchVerdict {
  const rate = errorRate(current);
  const baselineRate = errorRate(baseline);
  const errors = Math.max(current.lambdaErrors, current.functionErrors);
  // A few errors at least: one unlucky request (or one throttle) is not a verdict on the change.
  const breached = errors >= MIN_ERRORS && rate > maxErrorRate && rate > baselineRate;
  const shown = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)}%`;
  const what = `${shown(rate)} Lambda@Edge errors (${current.lambdaErrors} of ${current.requests} requests, ${current.functionErrors} of ${current.invocations} invocations) against ${shown(baselineRate)} before the change`;
  return { breached, rate, baselineRate, counts: current, reason: breached ? `${what}, over the limit of ${shown(maxErrorRate)}` : `${what}; the limit is ${shown(maxErrorRate)}` };
}
