/**
 * `status --metrics`: per distribution, requests and Lambda@Edge errors; per function,
 * invocations, errors, throttles and duration p50/p99, summed over Regions (CloudWatch does not
 * merge percentiles across Regions: ~p50 is weighted by invocations, "p99 ≤" is the largest
 * Region's) — as a compact
 * table, with a per-period sparkline where the output is a terminal (▁▂▃▄▅▆▇█), and as data.
 */
import type { EdgeMetrics } from '../../aws/observe/metrics.js';
import { lambdaErrorRate, total, type Series } from '../../plan/metrics.js';
import { formatDuration } from '../../plan/duration.js';
import { colors } from './colors.js';

const BARS = '▁▂▃▄▅▆▇█';

/** One character per period of the window, scaled to the series' largest value. */
export function sparkline(s: Series, window: EdgeMetrics['window']): string {
  const periodMs = window.periodSeconds * 1000;
  const slots = Math.max(1, Math.min(60, Math.ceil((window.end.getTime() - window.start.getTime()) / periodMs)));
  const values = new Array<number>(slots).fill(0);
  s.timestamps.forEach((t, i) => {
    const slot = Math.floor((t - window.start.getTime()) / periodMs);
    if (slot >= 0 && slot < slots) values[slot]! += s.values[i]!;
  });
  const max = Math.max(...values);
  return values.map((v) => (max === 0 || v === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1)))])).join('');
}

const ms = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const pct = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(2)}%`);

/** A running canary: its staging copy's numbers are compared with its primary's. */
export interface CanaryPair {
  primaryId: string;
  stagingId: string;
}

export function renderMetricsText(metrics: EdgeMetrics, options: { color: boolean; sparklines: boolean; canaries?: CanaryPair[] }): string {
  const c = colors(options.color);
  const span = formatDuration(Math.round((metrics.window.end.getTime() - metrics.window.start.getTime()) / 60_000) * 60_000);
  const lines = [c.bold(`Metrics, last ${span} (per ${metrics.window.periodSeconds} s${options.sparklines ? ', sparklines per period' : ''})`)];
  for (const d of metrics.distributions) {
    const rate = lambdaErrorRate(d);
    const errors = `${total(d.executionErrors)} execution, ${total(d.validationErrors)} validation, ${total(d.limitExceeded)} throttled`;
    const staging = options.canaries?.find((k) => k.stagingId === d.id);
    lines.push(`  ${d.id}${staging ? ` (staging copy of ${staging.primaryId})` : ''}  ${rate.requests} requests  Lambda@Edge errors ${rate.errors} (${pct(rate.percent)}): ${errors}${options.sparklines ? `  ${sparkline(d.requests, metrics.window)}` : ''}`);
  }
  for (const k of options.canaries ?? []) {
    const primary = metrics.distributions.find((d) => d.id === k.primaryId);
    const staging = metrics.distributions.find((d) => d.id === k.stagingId);
    if (!primary || !staging) continue;
    const [p, s] = [lambdaErrorRate(primary), lambdaErrorRate(staging)];
    const worse = (s.percent ?? 0) > (p.percent ?? 0);
    const row = `  canary on ${k.primaryId}: staging ${pct(s.percent)} Lambda@Edge errors of ${s.requests} requests, primary ${pct(p.percent)} of ${p.requests}`;
    lines.push(worse ? c.yellow(`${row} (staging is worse)`) : row);
  }
  for (const f of metrics.functions) {
    const invocations = total(f.invocations);
    const errors = total(f.errors);
    const row = `  ${f.name}  ${invocations} invocations  ${errors} errors (${pct(invocations ? (100 * errors) / invocations : undefined)})  ${total(f.throttles)} throttles  ~p50 ${ms(f.durationP50Ms)}  p99 ≤ ${ms(f.durationP99Ms)}  ${f.regions.length ? `in ${f.regions.join(', ')}` : 'no invocations'}`;
    lines.push(errors ? c.yellow(row) : row);
    if (options.sparklines && invocations) lines.push(`      invocations ${sparkline(f.invocations, metrics.window)}${errors ? `  errors ${sparkline(f.errors, metrics.window)}` : ''}`);
  }
  for (const u of metrics.unreadable) lines.push(c.dim(`  ${u.region}: not read (${u.reason}); its numbers are missing`));
  return lines.join('\n');
}

export function metricsDocument(metrics: EdgeMetrics): unknown {
  const points = (s: Series) => s.timestamps.map((t, i) => ({ time: new Date(t).toISOString(), value: s.values[i] }));
  return {
    since: metrics.window.start.toISOString(),
    until: metrics.window.end.toISOString(),
    periodSeconds: metrics.window.periodSeconds,
    distributions: metrics.distributions.map((d) => ({
      id: d.id,
      ...lambdaErrorRate(d),
      executionErrors: total(d.executionErrors),
      validationErrors: total(d.validationErrors),
      limitExceeded: total(d.limitExceeded),
      requestsPerPeriod: points(d.requests),
    })),
    functions: metrics.functions.map((f) => ({
      name: f.name,
      invocations: total(f.invocations),
      errors: total(f.errors),
      throttles: total(f.throttles),
      durationP50Ms: f.durationP50Ms ?? null,
      durationP99Ms: f.durationP99Ms ?? null,
      regions: f.regions,
      invocationsPerPeriod: points(f.invocations),
      errorsPerPeriod: points(f.errors),
    })),
    unreadable: metrics.unreadable,
  };
}
