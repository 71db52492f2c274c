/**
 * CloudWatch statistics over the minute buckets of one period ("CloudWatch statistics
 * definitions", Amazon CloudWatch User Guide):
 *
 * - SampleCount, Sum, Average (Sum/SampleCount), Minimum, Maximum — exact.
 * - Percentile `pNN` / `pNN.NN` (p0–p100): "p95 … means that 95 percent of the data within the
 *   period is lower than this value". The sandbox takes the nearest rank.
 * - Trimmed mean `tmNN` / `TM(a:b)`, winsorized mean `wmNN` / `WM(a:b)`, trimmed count `tcNN` /
 *   `TC(a:b)`, trimmed sum `tsNN` / `TS(a:b)`: bounds are "one or two numbers between 0 and 100 …
 *   absolute values or percentages. tm90 calculates the average after removing the 10% of data
 *   points with the highest values. TM(2%:98%) … removing the 2% lowest data points and the 2%
 *   highest data points. TM(150:1000) … removing all data points that are lower than or equal
 *   to 150, or higher than 1000" (so a value v is kept when lower < v <= upper). Winsorized
 *   mean clamps the values outside the bounds to them instead of removing them.
 * - Interquartile mean `IQM` = TM(25%:75%).
 * - Percentile rank `PR(a:b)`: the percentage of the values in (a, b] (absolute bounds only).
 *
 * "Percentile statistics are not available for metrics when any of the metric values are
 * negative numbers" (GetMetricStatistics `ExtendedStatistics`): every percentile-based statistic
 * then has no data point.
 */
import type { MetricBucketRecord } from '../world.js';

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = (typeof BASIC_STATISTICS)[number];

interface Bound {
  value: number;
  percent: boolean;
}

export type StatSpec =
  | { kind: 'basic'; name: BasicStatistic }
  | { kind: 'percentile'; p: number }
  | { kind: 'bounded'; fn: 'tm' | 'wm' | 'tc' | 'ts'; lower?: Bound; upper?: Bound }
  | { kind: 'rank'; lower?: number; upper?: number };

const NUMBER = '(\\d{1,3}(?:\\.\\d{1,10})?)';
const PERCENTILE = new RegExp(`^p${NUMBER}$`, 'i');
const SHORT = new RegExp(`^(tm|wm|tc|ts)${NUMBER}$`, 'i');
const BOUND = '(\\d+(?:\\.\\d{1,10})?%?)?';
const RANGE = new RegExp(`^(tm|wm|tc|ts|pr)\\(${BOUND}:${BOUND}\\)$`, 'i');

function bound(text: string | undefined): Bound | undefined | null {
  if (text === undefined || text === '') return undefined;
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text);
  if (!Number.isFinite(value) || (percent && value > 100)) return null;
  return { value, percent };
}

/** The statistic a `Stat` string names, or undefined when CloudWatch would not accept it. */
export function parseStat(stat: string): StatSpec | undefined {
  if ((BASIC_STATISTICS as readonly string[]).includes(stat)) return { kind: 'basic', name: stat as BasicStatistic };
  if (stat === 'IQM' || stat === 'iqm') return { kind: 'bounded', fn: 'tm', lower: { value: 25, percent: true }, upper: { value: 75, percent: true } };
  let match = PERCENTILE.exec(stat);
  if (match) {
    const p = Number(match[1]);
    return p <= 100 ? { kind: 'percentile', p } : undefined;
  }
  match = SHORT.exec(stat);
  if (match) {
    const p = Number(match[2]);
    return p <= 100 ? { kind: 'bounded', fn: match[1]!.toLowerCase() as 'tm', upper: { value: p, percent: true } } : undefined;
  }
  match = RANGE.exec(stat);
  if (match) {
    const fn = match[1]!.toLowerCase();
    const lower = bound(match[2]);
    const upper = bound(match[3]);
    if (lower === null || upper === null || (lower === undefined && upper === undefined)) return undefined;
    if (lower && upper && lower.percent === upper.percent && lower.value > upper.value) return undefined;
    if (fn === 'pr') {
      // PR takes absolute values: "PR(:300) returns the percentage of data points that have a value of 300 or less".
      if (lower?.percent || upper?.percent) return undefined;
      return { kind: 'rank', lower: lower?.value, upper: upper?.value };
    }
    return { kind: 'bounded', fn: fn as 'tm', lower, upper };
  }
  return undefined;
}

/** Whether the statistic needs the values themselves (not only sum, count, min, max). */
export const needsValues = (spec: StatSpec): boolean => spec.kind !== 'basic';

/** The aggregate of the buckets of one period (several series when no unit narrows the read). */
export class PeriodAggregate {
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private readonly buckets: MetricBucketRecord[] = [];
  private sorted?: { v: number; w: number }[];

  add(bucket: MetricBucketRecord): void {
    this.n += bucket.n;
    this.sum += bucket.sum;
    this.min = Math.min(this.min, bucket.min);
    this.max = Math.max(this.max, bucket.max);
    this.buckets.push(bucket);
    this.sorted = undefined;
  }

  /** The buckets' value histograms together, sorted by value (w: how many times v was recorded). */
  private samples(): { v: number; w: number }[] {
    if (!this.sorted) {
      const samples: { v: number; w: number }[] = [];
      for (const b of this.buckets) b.values.forEach((v, i) => samples.push({ v, w: b.counts[i] ?? 1 }));
      this.sorted = samples.sort((a, b) => a.v - b.v);
    }
    return this.sorted;
  }

  /** The nearest-rank percentile (p in 0–100); p0 and p100 are the exact minimum and maximum. */
  percentile(p: number): number {
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    const samples = this.samples();
    const total = samples.reduce((s, x) => s + x.w, 0);
    const target = (p / 100) * total - 1e-9 * total;
    let cumulative = 0;
    for (const sample of samples) {
      cumulative += sample.w;
      if (cumulative >= target) return sample.v;
    }
    return samples.at(-1)!.v;
  }

  private threshold(b: Bound | undefined, side: 'lower' | 'upper'): number | undefined {
    if (!b) return undefined;
    if (!b.percent) return b.value;
    if ((side === 'lower' && b.value <= 0) || (side === 'upper' && b.value >= 100)) return undefined;
    return this.percentile(b.value);
  }

  value(spec: StatSpec): number | undefined {
    if (this.n === 0) return undefined;
    if (spec.kind === 'basic') {
      switch (spec.name) {
        case 'SampleCount':
          return this.n;
        case 'Sum':
          return this.sum;
        case 'Average':
          return this.sum / this.n;
        case 'Minimum':
          return this.min;
        case 'Maximum':
          return this.max;
      }
    }
    if (this.min < 0 || this.samples().length === 0) return undefined;
    if (spec.kind === 'percentile') return this.percentile(spec.p);
    const inRange = (v: number, lo: number | undefined, hi: number | undefined): boolean => (lo === undefined || v > lo) && (hi === undefined || v <= hi);
    if (spec.kind === 'rank') {
      const total = this.samples().reduce((s, x) => s + x.w, 0);
      const kept = this.samples().reduce((s, x) => s + (inRange(x.v, spec.lower, spec.upper) ? x.w : 0), 0);
      return (100 * kept) / total;
    }
    const lo = this.threshold(spec.lower, 'lower');
    const hi = this.threshold(spec.upper, 'upper');
    let weight = 0;
    let total = 0;
    for (const { v, w } of this.samples()) {
      if (spec.fn === 'wm') {
        const clamped = lo !== undefined && v <= lo ? lo : hi !== undefined && v > hi ? hi : v;
        weight += w;
        total += w * clamped;
      } else if (inRange(v, lo, hi)) {
        weight += w;
        total += w * v;
      }
    }
    if (spec.fn === 'tc') return weight;
    if (spec.fn === 'ts') return total;
    return weight > 0 ? total / weight : undefined;
  }
}
