/**
 * READ: the integration's edge metrics, for `status --metrics` and `attach --watch`.
 *
 * Where they are (CloudFront Developer Guide, "View CloudFront and edge function metrics";
 * Lambda Developer Guide, "Types of metrics for Lambda functions"):
 * - `AWS/CloudFront` in us-east-1, dimensions DistributionId and Region=Global: Requests, and
 *   the Lambda@Edge errors LambdaExecutionError, LambdaValidationError and
 *   LambdaLimitExceededErrors (Sum);
 * - `AWS/Lambda` in every Region that ran a replica, dimension FunctionName
 *   `us-east-1.<function>`: Invocations, Errors, Throttles (Sum) and Duration (percentiles).
 * One GetMetricData call per Region (its 500 queries cover any manifest), in parallel with a
 * bound; a Region the account cannot read (not enabled, denied) counts as no data and is named.
 */
import type { CloudWatchClient, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../clients.js';
import { classifyAwsError } from '../errors.js';

export interface MetricsWindow {
  start: Date;
  end: Date;
  /** Seconds per data point (60 or more). */
  periodSeconds: number;
}

import { add, EMPTY, total, type Series } from '../../plan/metrics.js';

export { lambdaErrorRate, total, type Series } from '../../plan/metrics.js';

export interface DistributionMetrics {
  id: string;
  requests: Series;
  executionErrors: Series;
  validationErrors: Series;
  limitExceeded: Series;
}

export interface FunctionMetrics {
  name: string;
  /** Summed over Regions, per period. */
  invocations: Series;
  errors: Series;
  throttles: Series;
  /** Over the whole window: invocation-weighted across Regions (p50), the largest Region's (p99). */
  durationP50Ms?: number;
  durationP99Ms?: number;
  /** Regions with invocations in the window. */
  regions: string[];
}

export interface EdgeMetrics {
  window: MetricsWindow;
  distributions: DistributionMetrics[];
  functions: FunctionMetrics[];
  /** Regions that could not be read (and why): their functions' numbers are missing. */
  unreadable: { region: string; reason: string }[];
}

export interface MetricsRequest {
  distributionIds: string[];
  /** Function names as created (`<integration>-<key>`): their replicas are `us-east-1.<name>`. */
  functionNames: string[];
  /** Read one published version of a function (dimension Resource `us-east-1.<name>:<version>`), not all of them. */
  versions?: Record<string, string>;
  regions: string[];
  window: MetricsWindow;
  concurrency?: number;
}

const sum = (id: string, namespace: string, metricName: string, dimensions: Record<string, string>, period: number, stat = 'Sum'): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) }, Period: period, Stat: stat },
  ReturnData: true,
});

async function allResults(client: CloudWatchClient, queries: MetricDataQuery[], window: MetricsWindow): Promise<MetricDataResult[]> {
  const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const results = new Map<string, MetricDataResult>();
  let token: string | undefined;
  do {
    const page = await client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: window.start, EndTime: window.end, ScanBy: 'TimestampAscending', NextToken: token }));
    for (const r of page.MetricDataResults ?? []) {
      const seen = results.get(r.Id!);
      if (!seen) results.set(r.Id!, { ...r, Timestamps: [...(r.Timestamps ?? [])], Values: [...(r.Values ?? [])] });
      else {
        seen.Timestamps!.push(...(r.Timestamps ?? []));
        seen.Values!.push(...(r.Values ?? []));
      }
    }
    token = page.NextToken;
  } while (token);
  return [...results.values()];
}

function series(result: MetricDataResult | undefined): Series {
  const points = (result?.Timestamps ?? []).map((t, i) => [new Date(t).getTime(), result!.Values![i] ?? 0] as const).sort((a, b) => a[0] - b[0]);
  return { timestamps: points.map(([t]) => t), values: points.map(([, v]) => v) };
}


export async function observeEdgeMetrics(clients: AwsClients, request: MetricsRequest): Promise<EdgeMetrics> {
  const { window } = request;
  const period = window.periodSeconds;
  const whole = Math.max(60, Math.ceil((window.end.getTime() - window.start.getTime()) / 60_000) * 60);
  const unreadable: EdgeMetrics['unreadable'] = [];
  const regions = [...new Set(['us-east-1', ...request.regions])];
  const perRegion = new Map<string, Map<string, MetricDataResult>>();
  const queue = [...regions];
  const worker = async (): Promise<void> => {
    for (let region = queue.shift(); region; region = queue.shift()) {
      const queries: MetricDataQuery[] = [];
      if (region === 'us-east-1') {
        request.distributionIds.forEach((id, d) => {
          const dims = { DistributionId: id, Region: 'Global' };
          queries.push(sum(`d${d}req`, 'AWS/CloudFront', 'Requests', dims, period));
          queries.push(sum(`d${d}exe`, 'AWS/CloudFront', 'LambdaExecutionError', dims, period));
          queries.push(sum(`d${d}val`, 'AWS/CloudFront', 'LambdaValidationError', dims, period));
          queries.push(sum(`d${d}lim`, 'AWS/CloudFront', 'LambdaLimitExceededErrors', dims, period));
        });
      }
      request.functionNames.forEach((name, f) => {
        const version = request.versions?.[name];
        const dims: Record<string, string> = version ? { FunctionName: `us-east-1.${name}`, Resource: `us-east-1.${name}:${version}` } : { FunctionName: `us-east-1.${name}` };
        queries.push(sum(`f${f}inv`, 'AWS/Lambda', 'Invocations', dims, period));
        queries.push(sum(`f${f}err`, 'AWS/Lambda', 'Errors', dims, period));
        queries.push(sum(`f${f}thr`, 'AWS/Lambda', 'Throttles', dims, period));
        queries.push(sum(`f${f}all`, 'AWS/Lambda', 'Invocations', dims, whole));
        queries.push(sum(`f${f}p50`, 'AWS/Lambda', 'Duration', dims, whole, 'p50'));
        queries.push(sum(`f${f}p99`, 'AWS/Lambda', 'Duration', dims, whole, 'p99'));
      });
      if (!queries.length) continue;
      try {
        const client = await clients.metrics(region);
        perRegion.set(region, new Map((await allResults(client, queries, window)).map((r) => [r.Id!, r])));
      } catch (error) {
        const kind = classifyAwsError(error);
        // Throttling is retried by the SDK; what is left is a Region the account cannot read.
        if (kind === 'access-denied' || /OptIn|UnrecognizedClient|InvalidClientTokenId|not (subscribed|enabled)/i.test(`${(error as Error).name} ${(error as Error).message}`)) {
          unreadable.push({ region, reason: (error as Error).name });
          continue;
        }
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.concurrency ?? 6, regions.length) }, worker));

  const home = perRegion.get('us-east-1');
  const distributions = request.distributionIds.map((id, d) => ({
    id,
    requests: series(home?.get(`d${d}req`)),
    executionErrors: series(home?.get(`d${d}exe`)),
    validationErrors: series(home?.get(`d${d}val`)),
    limitExceeded: series(home?.get(`d${d}lim`)),
  }));
  const functions = request.functionNames.map((name, f) => {
    let invocations = EMPTY;
    let errors = EMPTY;
    let throttles = EMPTY;
    let weighted = 0;
    let weight = 0;
    let p99: number | undefined;
    const active: string[] = [];
    for (const [region, results] of perRegion) {
      invocations = add(invocations, series(results.get(`f${f}inv`)));
      errors = add(errors, series(results.get(`f${f}err`)));
      throttles = add(throttles, series(results.get(`f${f}thr`)));
      const count = total(series(results.get(`f${f}all`)));
      if (count > 0) active.push(region);
      const p50 = results.get(`f${f}p50`)?.Values?.[0];
      const regional99 = results.get(`f${f}p99`)?.Values?.[0];
      if (p50 !== undefined && count > 0) {
        weighted += p50 * count;
        weight += count;
      }
      if (regional99 !== undefined && count > 0) p99 = Math.max(p99 ?? 0, regional99);
    }
    return { name, invocations, errors, throttles, durationP50Ms: weight ? weighted / weight : undefined, durationP99Ms: p99, regions: active.sort() };
  });
  return { window, distributions, functions, unreadable };
}
