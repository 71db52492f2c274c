/**
 * CloudWatch metrics storage: the data points the sandbox's own services publish (the local
 * CloudFront edge records `AWS/CloudFront` and `AWS/Lambda` points per request and per
 * Lambda@Edge invocation), kept in the World as per-minute aggregates, and the reads the
 * `monitoring` service (service.ts) answers GetMetricData, GetMetricStatistics and ListMetrics
 * from.
 *
 * A metric is its region, namespace, name and dimension set: "Metrics are uniquely defined by a
 * name, a namespace, and zero or more dimensions … CloudWatch treats each unique combination of
 * dimensions as a separate metric" (GetMetricStatistics `Dimensions`, CloudWatch API Reference /
 * botocore cloudwatch 2010-08-01 service-2.json), and metrics live in the region they were
 * published in. A series here is one metric in one unit ("If you specify a unit, the operation
 * returns only data that was collected with that unit specified … CloudWatch does not perform
 * unit conversions", GetMetricData).
 *
 * Resolution and retention: every point lands in the bucket of its minute (standard 1-minute
 * resolution; AWS services publish their metrics so). "Data points with a period of 60 seconds
 * (1-minute) are available for 15 days" (GetMetricData): buckets older than 15 days on the
 * sandbox clock are dropped, on write and on read. AWS then keeps 5-minute and 1-hour roll-ups
 * for 63 and 455 days; the sandbox does not (a sandbox limit).
 *
 * Sandbox limit — values per bucket: a bucket keeps sum, sample count, minimum and maximum
 * exactly, and the values themselves for percentile statistics (p99, tm90, …) as a histogram of
 * distinct values with their counts (so the 0/1 and 0/100 points the edge records per request
 * cost one or two entries a minute). It holds at most MAX_VALUES_PER_BUCKET distinct values: past
 * that, the two closest ones are merged into their weighted mean (a streaming histogram), so
 * percentiles of a minute with more distinct values are estimates — CloudWatch's own percentiles
 * of large data sets are approximations too. Bounds: one series holds at most 15 days × 1,440
 * buckets, each of at most 1,000 value/count pairs.
 */
import type { MetricBucketRecord, MetricSeriesRecord, World } from '../world.js';

export type { MetricBucketRecord, MetricSeriesRecord } from '../world.js';

/** One data point, as the sandbox's services publish it. */
export interface MetricPoint {
  namespace: string;
  region: string;
  metricName: string;
  dimensions: Record<string, string>;
  value: number;
  /** A CloudWatch StandardUnit: Count, Milliseconds, Bytes, Percent, None, … */
  unit: string;
  /** Epoch milliseconds on the sandbox clock. */
  timestamp: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** "Data points with a period of 60 seconds (1-minute) are available for 15 days." */
export const RETENTION_MS = 15 * DAY_MS;
/** Sandbox limit: distinct values kept per minute bucket for percentile statistics (see above). */
export const MAX_VALUES_PER_BUCKET = 1_000;

/** The series' identity: region, namespace, name, unit and the dimension set (order-free). */
function seriesKey(region: string, namespace: string, metricName: string, unit: string, dimensions: readonly { name: string; value: string }[]): string {
  const dims = [...dimensions].map((d) => [d.name, d.value]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return JSON.stringify([region, namespace, metricName, unit, dims]);
}

/** The metric's identity without its unit (ListMetrics lists a metric once whatever its units). */
export function metricKey(series: Pick<MetricSeriesRecord, 'region' | 'namespace' | 'metricName' | 'dimensions'>): string {
  const dims = series.dimensions.map((d) => [d.name, d.value]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return JSON.stringify([series.region, series.namespace, series.metricName, dims]);
}

/** An in-memory index over the World's series list (not part of the state: rebuilt when the list changes). */
const indexes = new WeakMap<MetricSeriesRecord[], Map<string, MetricSeriesRecord>>();

function indexOf(list: MetricSeriesRecord[]): Map<string, MetricSeriesRecord> {
  let index = indexes.get(list);
  if (!index || index.size !== list.length) {
    index = new Map(list.map((s) => [seriesKey(s.region, s.namespace, s.metricName, s.unit, s.dimensions), s]));
    indexes.set(list, index);
  }
  return index;
}

/** Index of the first entry >= v in an ascending array. */
function lowerBoundValue(values: readonly number[], v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts a value in a bucket's histogram, merging the two closest values when it is full. */
function addValue(bucket: MetricBucketRecord, v: number): void {
  const { values, counts } = bucket;
  const at = lowerBoundValue(values, v);
  if (values[at] === v) {
    counts[at]! += 1;
    return;
  }
  values.splice(at, 0, v);
  counts.splice(at, 0, 1);
  if (values.length <= MAX_VALUES_PER_BUCKET) return;
  let best = 0;
  let gap = Infinity;
  for (let i = 0; i + 1 < values.length; i++) {
    const g = values[i + 1]! - values[i]!;
    if (g < gap) {
      gap = g;
      best = i;
    }
  }
  const count = counts[best]! + counts[best + 1]!;
  values[best] = (values[best]! * counts[best]! + values[best + 1]! * counts[best + 1]!) / count;
  counts[best] = count;
  values.splice(best + 1, 1);
  counts.splice(best + 1, 1);
}

/** Index of the first bucket whose minute is >= t (buckets are in minute order). */
export function lowerBound(buckets: readonly MetricBucketRecord[], t: number): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buckets[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Drops buckets older than the retention, and series left without any. */
export function pruneMetrics(world: World, now = world.now()): void {
  const cutoff = now - RETENTION_MS;
  const list = world.metricSeries;
  for (let i = list.length - 1; i >= 0; i--) {
    const series = list[i]!;
    const keep = lowerBound(series.buckets, cutoff - (cutoff % MINUTE_MS));
    if (keep > 0) series.buckets.splice(0, keep);
    if (series.buckets.length === 0) list.splice(i, 1);
  }
}

const lastPrune = new WeakMap<World, number>();

/**
 * Records one data point (the API the local edge calls). A point older than the retention is
 * ignored, as is a value that is not a finite number (CloudWatch refuses NaN and ±Infinity).
 */
export function recordMetric(world: World, point: MetricPoint): void {
  if (!Number.isFinite(point.value) || !Number.isFinite(point.timestamp)) return;
  const now = world.now();
  // Pruning walks every series: at most once per sandbox minute.
  if ((lastPrune.get(world) ?? -Infinity) <= now - MINUTE_MS) {
    pruneMetrics(world, now);
    lastPrune.set(world, now);
  }
  const minute = Math.floor(point.timestamp / MINUTE_MS) * MINUTE_MS;
  if (minute + MINUTE_MS <= now - RETENTION_MS) return;

  const dimensions = Object.entries(point.dimensions).map(([name, value]) => ({ name, value }));
  const list = world.metricSeries;
  const index = indexOf(list);
  const key = seriesKey(point.region, point.namespace, point.metricName, point.unit, dimensions);
  let series = index.get(key);
  if (!series) {
    series = { region: point.region, namespace: point.namespace, metricName: point.metricName, dimensions, unit: point.unit, buckets: [] };
    list.push(series);
    index.set(key, series);
  }

  const buckets = series.buckets;
  let bucket = buckets.at(-1);
  if (!bucket || bucket.t !== minute) {
    const at = bucket && bucket.t < minute ? buckets.length : lowerBound(buckets, minute);
    bucket = buckets[at];
    if (!bucket || bucket.t !== minute) {
      bucket = { t: minute, n: 0, sum: 0, min: point.value, max: point.value, values: [], counts: [] };
      buckets.splice(at, 0, bucket);
    }
  }
  bucket.n += 1;
  bucket.sum += point.value;
  bucket.min = Math.min(bucket.min, point.value);
  bucket.max = Math.max(bucket.max, point.value);
  addValue(bucket, point.value);
}

/** Every live series of a region (retention applied). */
export function seriesIn(world: World, region: string): MetricSeriesRecord[] {
  const cutoff = world.now() - RETENTION_MS;
  return world.metricSeries.filter((s) => s.region === region && s.buckets.length > 0 && s.buckets.at(-1)!.t + MINUTE_MS > cutoff);
}

/** Whether a series is exactly this metric: same namespace, name and dimension set. */
export function isMetric(series: MetricSeriesRecord, namespace: string, metricName: string, dimensions: readonly { name: string; value: string }[]): boolean {
  if (series.namespace !== namespace || series.metricName !== metricName || series.dimensions.length !== dimensions.length) return false;
  return dimensions.every((d) => series.dimensions.some((s) => s.name === d.name && s.value === d.value));
}

/** The buckets of a series with minute in [from, to), retention applied. */
export function bucketsBetween(world: World, series: MetricSeriesRecord, from: number, to: number): MetricBucketRecord[] {
  const cutoff = world.now() - RETENTION_MS;
  const start = Math.max(from, cutoff - (cutoff % MINUTE_MS));
  return series.buckets.slice(lowerBound(series.buckets, start), lowerBound(series.buckets, to));
}
