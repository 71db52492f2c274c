/**
 * PURE: arithmetic on metric series (src/aws/observe/metrics.ts reads them): totals, sums
 * across Regions, the Lambda@Edge error rate of a distribution.
 */

/** One series: points oldest first. */
export interface Series {
  timestamps: number[];
  values: number[];
}

export const EMPTY: Series = { timestamps: [], values: [] };

export const total = (s: Series): number => s.values.reduce((n, v) => n + v, 0);

/** Adds series point by point (same timestamps merge). */
export function add(a: Series, b: Series): Series {
  const byTime = new Map<number, number>();
  for (const s of [a, b]) s.timestamps.forEach((t, i) => byTime.set(t, (byTime.get(t) ?? 0) + s.values[i]!));
  const times = [...byTime.keys()].sort((x, y) => x - y);
  return { timestamps: times, values: times.map((t) => byTime.get(t)!) };
}

/** A distribution's Lambda@Edge errors (execution, validation, throttled) per request, in percent (undefined without requests). */
export function lambdaErrorRate(d: { requests: Series; executionErrors: Series; validationErrors: Series; limitExceeded: Series }): { requests: number; errors: number; percent?: number } {
  const requests = total(d.requests);
  const errors = total(d.executionErrors) + total(d.validationErrors) + total(d.limitExceeded);
  return { requests, errors, percent: requests ? (100 * errors) / requests : undefined };
}
