/**
 * CloudWatch metrics (the `monitoring` service) through the real SDK — over AWS JSON 1.0, its
 * default, and over the query protocol (`protocol: AwsQueryProtocol`) — and the AWS CLI when
 * installed: points recorded with recordMetric (as the local edge records them), read with
 * GetMetricData (statistics, periods, window boundaries, labels, metric math, pagination),
 * GetMetricStatistics and ListMetrics; regions and dimension sets are separate metrics;
 * retention; AWS's errors in both protocols.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  GetMetricStatisticsCommand,
  type GetMetricStatisticsCommandInput,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  type ListMetricsCommandInput,
  type MetricDataQuery,
  MissingRequiredParameterException,
  paginateGetMetricData,
  paginateListMetrics,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_VALUES_PER_BUCKET, recordMetric } from '../../src/sandbox/metrics/store.js';
import { expectAwsError } from '../helpers/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const DIST = 'E2QWRUHAPOMQZL';
const FN = 'us-east-1.fpjs-proxy';
const CF = { DistributionId: DIST, Region: 'Global' };

let sb: TestSandbox;
let virginia: CloudWatchClient;
let ireland: CloudWatchClient;
let query: CloudWatchClient;
beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty' });
  virginia = new CloudWatchClient(sb.clientConfig('us-east-1'));
  ireland = new CloudWatchClient(sb.clientConfig('eu-west-1'));
  // The same SDK speaking the query protocol (form POST, XML replies), as older clients do.
  query = new CloudWatchClient({ ...sb.clientConfig('us-east-1'), protocol: AwsQueryProtocol });
});
afterAll(async () => {
  for (const client of [virginia, ireland, query]) client.destroy();
  await sb.close();
});

/** An hour boundary two hours ago on the sandbox clock: minute k of the data is base + k minutes. */
let base: number;
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  base = Math.floor(sb.world.now() / HOUR) * HOUR - 2 * HOUR;
});

function record(region: string, namespace: string, metricName: string, dimensions: Record<string, string>, value: number, unit: string, timestamp: number): void {
  recordMetric(sb.world, { region, namespace, metricName, dimensions, value, unit, timestamp });
}
const lambda = (metricName: string, value: number, unit: string, minute: number, dimensions: Record<string, string> = { FunctionName: FN }, region = 'us-east-1') =>
  record(region, 'AWS/Lambda', metricName, dimensions, value, unit, base + minute * MINUTE + 1_000);
const cloudfront = (metricName: string, value: number, unit: string, minute: number) => record('us-east-1', 'AWS/CloudFront', metricName, CF, value, unit, base + minute * MINUTE + 2_000);

const dims = (d: Record<string, string>) => Object.entries(d).map(([Name, Value]) => ({ Name, Value }));
function metricStat(id: string, namespace: string, metricName: string, d: Record<string, string>, period: number, stat: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dims(d) }, Period: period, Stat: stat }, ...extra };
}
const window = (fromMinute: number, toMinute: number) => ({ StartTime: new Date(base + fromMinute * MINUTE), EndTime: new Date(base + toMinute * MINUTE) });
const at = (...minutes: number[]) => minutes.map((m) => new Date(base + m * MINUTE));

async function results(input: GetMetricDataCommandInput, client = virginia) {
  const out = await client.send(new GetMetricDataCommand(input));
  return Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id!, r]));
}

/** Duration: minute 0 has 1…100 ms, minute 1 has 200 and 400, minute 7 has 10. */
function recordDurations(): void {
  for (let v = 1; v <= 100; v++) lambda('Duration', v, 'Milliseconds', 0);
  lambda('Duration', 200, 'Milliseconds', 1);
  lambda('Duration', 400, 'Milliseconds', 1);
  lambda('Duration', 10, 'Milliseconds', 7);
}

describe('GetMetricData', () => {
  it('Sum, Average, p50 and p99 over periods of 60 and 300 seconds, newest first, with AWS default labels', async () => {
    recordDurations();
    const q = (id: string, period: number, stat: string) => metricStat(id, 'AWS/Lambda', 'Duration', { FunctionName: FN }, period, stat);
    const out = await virginia.send(
      new GetMetricDataCommand({
        ...window(0, 60),
        MetricDataQueries: [q('sum60', 60, 'Sum'), q('avg60', 60, 'Average'), q('p50m', 60, 'p50'), q('p99m', 60, 'p99'), q('sum300', 300, 'Sum'), q('avg300', 300, 'Average'), q('p50f', 300, 'p50'), q('p99f', 300, 'p99')],
      }),
    );
    expect(out.Messages).toEqual([]);
    const r = Object.fromEntries(out.MetricDataResults!.map((x) => [x.Id!, x]));
    // ScanBy defaults to TimestampDescending.
    expect(r.sum60).toEqual({ Id: 'sum60', Label: 'Duration Sum 60', Timestamps: at(7, 1, 0), Values: [10, 600, 5050], StatusCode: 'Complete' });
    expect(r.avg60!.Values).toEqual([10, 300, 50.5]);
    // Nearest rank: the 50th of 1…100 is 50, the 99th is 99; of [200, 400] the 1st and the 2nd.
    expect(r.p50m!.Values).toEqual([10, 200, 50]);
    expect(r.p99m!.Values).toEqual([10, 400, 99]);
    expect(r.p99m!.Label).toBe('Duration p99 60');
    // Five-minute periods from the start: [0, 5) holds 102 values, [5, 10) one.
    expect(r.sum300!.Timestamps).toEqual(at(5, 0));
    expect(r.sum300!.Values).toEqual([10, 5650]);
    expect(r.avg300!.Values).toEqual([10, 5650 / 102]);
    expect(r.p50f!.Values).toEqual([10, 51]);
    expect(r.p99f!.Values).toEqual([10, 200]);

    // TimestampAscending; one query of a metric: the label is the metric name.
    const asc = await results({ ...window(0, 60), ScanBy: 'TimestampAscending', MetricDataQueries: [q('m1', 60, 'SampleCount')] });
    expect(asc.m1).toMatchObject({ Label: 'Duration', Timestamps: at(0, 1, 7), Values: [100, 2, 1] });
    // A Label given is kept.
    expect((await results({ ...window(0, 60), MetricDataQueries: [q('m1', 60, 'Maximum')].map((x) => ({ ...x, Label: 'slowest' })) })).m1!.Label).toBe('slowest');
  });

  it('other statistics: Minimum, Maximum, trimmed mean, IQM, trimmed count and sum, winsorized mean, percentile rank', async () => {
    recordDurations();
    const stats = ['Minimum', 'Maximum', 'tm90', 'TM(10%:90%)', 'IQM', 'tc90', 'ts90', 'wm90', 'PR(:50)', 'TM(10:20)'];
    const r = await results({ ...window(0, 1), MetricDataQueries: stats.map((s, i) => metricStat(`s${i}`, 'AWS/Lambda', 'Duration', { FunctionName: FN }, 60, s)) });
    const value = (i: number) => r[`s${i}`]!.Values![0];
    expect(value(0)).toBe(1);
    expect(value(1)).toBe(100);
    expect(value(2)).toBe(45.5); // mean of 1…90
    expect(value(3)).toBe(50.5); // mean of 11…90
    expect(value(4)).toBe(50.5); // mean of 26…75
    expect(value(5)).toBe(90);
    expect(value(6)).toBe(4095);
    expect(value(7)).toBe((4095 + 10 * 90) / 100); // 91…100 counted as 90
    expect(value(8)).toBe(50); // 50% of the values are <= 50
    expect(value(9)).toBe(15.5); // mean of 11…20: "lower than or equal to 10" removed
  });

  it('window boundaries: StartTime is inclusive and rounded down to the minute, EndTime is exclusive', async () => {
    lambda('Invocations', 1, 'Count', 0);
    lambda('Invocations', 1, 'Count', 1);
    lambda('Invocations', 1, 'Count', 1);
    const sum = async (start: number, end: number) => {
      const r = await results({ StartTime: new Date(base + start), EndTime: new Date(base + end), MetricDataQueries: [metricStat('m', 'AWS/Lambda', 'Invocations', { FunctionName: FN }, 60, 'Sum')] });
      return { t: r.m!.Timestamps, v: r.m!.Values };
    };
    expect(await sum(0, MINUTE)).toEqual({ t: at(0), v: [1] });
    expect(await sum(30_000, MINUTE)).toEqual({ t: at(0), v: [1] });
    expect(await sum(MINUTE, 2 * MINUTE)).toEqual({ t: at(1), v: [2] });
    expect(await sum(0, MINUTE + 1)).toEqual({ t: at(1, 0), v: [2, 1] });
    expect(await sum(2 * MINUTE, 3 * MINUTE)).toEqual({ t: [], v: [] });
    // Periods are counted from the (rounded) StartTime.
    const r = await results({ StartTime: new Date(base + 30_000), EndTime: new Date(base + 10 * MINUTE), MetricDataQueries: [metricStat('m', 'AWS/Lambda', 'Invocations', { FunctionName: FN }, 120, 'Sum')] });
    expect(r.m).toMatchObject({ Timestamps: at(0), Values: [3] });
  });

  it('regions are separate: a point recorded in eu-west-1 is read in eu-west-1 only', async () => {
    lambda('Invocations', 1, 'Count', 0, { FunctionName: FN }, 'eu-west-1');
    const input = { ...window(0, 10), MetricDataQueries: [metricStat('m', 'AWS/Lambda', 'Invocations', { FunctionName: FN }, 60, 'Sum')] };
    expect((await results(input, ireland)).m!.Values).toEqual([1]);
    expect((await results(input, virginia)).m).toEqual({ Id: 'm', Label: 'Invocations', Timestamps: [], Values: [], StatusCode: 'Complete' });
    expect((await ireland.send(new ListMetricsCommand({}))).Metrics).toHaveLength(1);
    expect((await virginia.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });

  it('dimension sets match exactly: {FunctionName} is another metric than {FunctionName, ExecutedVersion} or {FunctionName, Resource}', async () => {
    for (let i = 0; i < 3; i++) lambda('Invocations', 1, 'Count', 0, { FunctionName: FN });
    for (let i = 0; i < 2; i++) lambda('Invocations', 1, 'Count', 0, { FunctionName: FN, Resource: `${FN}:3` });
    lambda('Invocations', 1, 'Count', 0, { ExecutedVersion: '3', FunctionName: FN });
    const sum = async (d: Record<string, string>) => (await results({ ...window(0, 10), MetricDataQueries: [metricStat('m', 'AWS/Lambda', 'Invocations', d, 60, 'Sum')] })).m!.Values;
    expect(await sum({ FunctionName: FN })).toEqual([3]);
    expect(await sum({ FunctionName: FN, Resource: `${FN}:3` })).toEqual([2]);
    // The order of the dimensions does not matter; their set does.
    expect(await sum({ FunctionName: FN, ExecutedVersion: '3' })).toEqual([1]);
    expect(await sum({ ExecutedVersion: '3', FunctionName: FN })).toEqual([1]);
    expect(await sum({ Resource: `${FN}:3` })).toEqual([]);
    expect(await sum({})).toEqual([]);
    expect(await sum({ FunctionName: 'us-east-1.other' })).toEqual([]);
  });

  it('metric math: the CloudFront console error rate (m4+m5+m6)/m7*100, 100 * errors / requests, FILL, ReturnData false', async () => {
    // Four requests in minute 0: one Lambda execution error, one validation error; one request in minute 2.
    const errors = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (const [execution, validation, limit] of errors) {
      cloudfront('Requests', 1, 'None', 0);
      cloudfront('LambdaExecutionError', execution!, 'None', 0);
      cloudfront('LambdaValidationError', validation!, 'None', 0);
      cloudfront('LambdaLimitExceededErrors', limit!, 'None', 0);
    }
    cloudfront('Requests', 1, 'None', 2);
    cloudfront('LambdaExecutionError', 1, 'None', 2);
    cloudfront('LambdaValidationError', 0, 'None', 2);
    cloudfront('LambdaLimitExceededErrors', 0, 'None', 2);
    const hidden = { ReturnData: false };
    const r = await results({
      ...window(0, 3),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        { Id: 'e1', Expression: '(m4+m5+m6)/m7*100', Label: '5xxErrorByLambdaEdge' },
        metricStat('m4', 'AWS/CloudFront', 'LambdaExecutionError', CF, 60, 'Sum', hidden),
        metricStat('m5', 'AWS/CloudFront', 'LambdaValidationError', CF, 60, 'Sum', hidden),
        metricStat('m6', 'AWS/CloudFront', 'LambdaLimitExceededErrors', CF, 60, 'Sum', hidden),
        metricStat('m7', 'AWS/CloudFront', 'Requests', CF, 60, 'Sum'),
        { Id: 'rate', Expression: '100 * m4 / m7' },
        { Id: 'filled', Expression: 'FILL(m7, 0)' },
        { Id: 'neg', Expression: '-(m7 - 2) ^ 2 + ABS(-1)' },
      ],
    });
    expect(Object.keys(r).sort()).toEqual(['e1', 'filled', 'm7', 'neg', 'rate']);
    expect(r.e1).toEqual({ Id: 'e1', Label: '5xxErrorByLambdaEdge', Timestamps: at(0, 2), Values: [50, 100], StatusCode: 'Complete' });
    expect(r.rate).toMatchObject({ Label: 'rate', Values: [25, 100] });
    expect(r.filled).toMatchObject({ Timestamps: at(0, 1, 2), Values: [4, 0, 1] });
    expect(r.neg!.Values).toEqual([-3, 0]);
  });

  it('pagination: MaxDatapoints across the results, PartialData and NextToken; the SDK paginator reads every page', async () => {
    for (let m = 0; m < 5; m++) cloudfront('Requests', m + 1, 'None', m);
    const queries = [metricStat('sum', 'AWS/CloudFront', 'Requests', CF, 60, 'Sum'), metricStat('count', 'AWS/CloudFront', 'Requests', CF, 60, 'SampleCount')];
    const first = await virginia.send(new GetMetricDataCommand({ ...window(0, 10), MetricDataQueries: queries, MaxDatapoints: 3 }));
    expect(first.MetricDataResults).toEqual([
      { Id: 'sum', Label: 'Requests Sum', Timestamps: at(4, 3, 2), Values: [5, 4, 3], StatusCode: 'PartialData' },
      { Id: 'count', Label: 'Requests SampleCount', Timestamps: [], Values: [], StatusCode: 'PartialData' },
    ]);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await virginia.send(new GetMetricDataCommand({ ...window(0, 10), MetricDataQueries: queries, MaxDatapoints: 3, NextToken: first.NextToken }));
    expect(second.MetricDataResults!.map((x) => [x.Values, x.StatusCode])).toEqual([
      [[2, 1], 'Complete'],
      [[1], 'PartialData'],
    ]);

    const collected: Record<string, number[]> = {};
    let pages = 0;
    for await (const page of paginateGetMetricData({ client: virginia, pageSize: 4 }, { ...window(0, 10), MetricDataQueries: queries })) {
      pages++;
      for (const x of page.MetricDataResults ?? []) (collected[x.Id!] ??= []).push(...(x.Values ?? []));
    }
    expect(pages).toBe(3);
    expect(collected).toEqual({ sum: [5, 4, 3, 2, 1], count: [1, 1, 1, 1, 1] });
  });

  it('a read: the call log records GetMetricData, GetMetricStatistics and ListMetrics as non-mutating monitoring calls', async () => {
    await virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [metricStat('m', 'AWS/Lambda', 'Errors', { FunctionName: FN }, 60, 'Sum')] }));
    await virginia.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', ...window(0, 1), Period: 60, Statistics: ['Sum'] }));
    await virginia.send(new ListMetricsCommand({}));
    expect((await sb.calls()).map((c) => [c.service, c.operation, c.mutating, c.status])).toEqual([
      ['monitoring', 'GetMetricData', false, 200],
      ['monitoring', 'GetMetricStatistics', false, 200],
      ['monitoring', 'ListMetrics', false, 200],
    ]);
  });

  it('MultipleUnits: without a Unit the data of every unit is read together, with a message; a Unit narrows it', async () => {
    lambda('Duration', 100, 'Milliseconds', 0);
    lambda('Duration', 1, 'Seconds', 0);
    const q = (unit?: string) => results({ ...window(0, 1), MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: dims({ FunctionName: FN }) }, Period: 60, Stat: 'Sum', Unit: unit as 'Seconds' } }] });
    expect((await q()).m).toMatchObject({ Values: [101], Messages: [{ Code: 'MultipleUnits', Value: "Multiple units returned: '[Milliseconds, Seconds]'" }] });
    expect((await q('Seconds')).m).toEqual({ Id: 'm', Label: 'Duration', Timestamps: at(0), Values: [1], StatusCode: 'Complete' });
    expect((await q('Count')).m!.Values).toEqual([]);
  });
});

describe('GetMetricStatistics', () => {
  it('Statistics and ExtendedStatistics per period, one datapoint per unit, Label the metric name', async () => {
    recordDurations();
    const input: GetMetricStatisticsCommandInput = { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: dims({ FunctionName: FN }), ...window(0, 10), Period: 300, Statistics: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] };
    const out = await virginia.send(new GetMetricStatisticsCommand(input));
    expect(out.Label).toBe('Duration');
    expect(out.Datapoints).toEqual([
      { Timestamp: at(0)[0], SampleCount: 102, Average: 5650 / 102, Sum: 5650, Minimum: 1, Maximum: 400, Unit: 'Milliseconds' },
      { Timestamp: at(5)[0], SampleCount: 1, Average: 10, Sum: 10, Minimum: 10, Maximum: 10, Unit: 'Milliseconds' },
    ]);
    const extended = await virginia.send(new GetMetricStatisticsCommand({ ...input, Period: 60, Statistics: undefined, ExtendedStatistics: ['p50', 'p99', 'tm90'] }));
    expect(extended.Datapoints![0]).toEqual({ Timestamp: at(0)[0], Unit: 'Milliseconds', ExtendedStatistics: { p50: 50, p99: 99, tm90: 45.5 } });

    lambda('Duration', 2, 'Seconds', 0);
    const units = await virginia.send(new GetMetricStatisticsCommand({ ...input, Period: 60, Statistics: ['Maximum'], ...window(0, 1) }));
    expect(units.Datapoints).toEqual([
      { Timestamp: at(0)[0], Maximum: 100, Unit: 'Milliseconds' },
      { Timestamp: at(0)[0], Maximum: 2, Unit: 'Seconds' },
    ]);
    const seconds = await virginia.send(new GetMetricStatisticsCommand({ ...input, Period: 60, Statistics: ['Maximum'], Unit: 'Seconds', ...window(0, 1) }));
    expect(seconds.Datapoints).toEqual([{ Timestamp: at(0)[0], Maximum: 2, Unit: 'Seconds' }]);
  });

  it('a minute keeps repeated values as counts, and at most 1,000 distinct ones: counts stay exact, percentiles are estimated', async () => {
    // The edge's 0/1 points cost one entry per value.
    for (let i = 0; i < 5000; i++) lambda('Errors', i % 10 === 0 ? 1 : 0, 'Count', 0);
    expect(sb.world.metricSeries[0]!.buckets[0]).toMatchObject({ n: 5000, sum: 500, values: [0, 1], counts: [4500, 500] });
    const errors = await virginia.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: FN }), ...window(0, 1), Period: 60, ExtendedStatistics: ['p90', 'p91'] }));
    expect(errors.Datapoints![0]!.ExtendedStatistics).toEqual({ p90: 0, p91: 1 });

    for (let v = 1; v <= 3 * MAX_VALUES_PER_BUCKET; v++) lambda('Duration', v, 'Milliseconds', 0);
    const duration = sb.world.metricSeries.find((s) => s.metricName === 'Duration')!.buckets[0]!;
    expect(duration.values).toHaveLength(MAX_VALUES_PER_BUCKET);
    const stats = (input: Partial<GetMetricStatisticsCommandInput>) => virginia.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: dims({ FunctionName: FN }), ...window(0, 1), Period: 60, ...input }));
    const exact = await stats({ Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum'] });
    expect(exact.Datapoints![0]).toMatchObject({ SampleCount: 3000, Sum: 4_501_500, Minimum: 1, Maximum: 3000 });
    const estimated = (await stats({ ExtendedStatistics: ['p50', 'p99', 'p100'] })).Datapoints![0]!.ExtendedStatistics!;
    expect(Math.abs(estimated.p50! - 1500)).toBeLessThan(30);
    expect(Math.abs(estimated.p99! - 2970)).toBeLessThan(30);
    expect(estimated.p100).toBe(3000);
  });

  it('percentile statistics are not available when a value is negative', async () => {
    lambda('Custom', -1, 'None', 0);
    lambda('Custom', 5, 'None', 0);
    const out = await virginia.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Custom', Dimensions: dims({ FunctionName: FN }), ...window(0, 1), Period: 60, ExtendedStatistics: ['p50'] }));
    expect(out.Datapoints).toEqual([]);
  });
});

describe('ListMetrics', () => {
  it('lists the metrics of the region, filtered by namespace, name and dimensions', async () => {
    for (const name of ['Requests', 'BytesDownloaded', '4xxErrorRate']) cloudfront(name, 1, name === '4xxErrorRate' ? 'Percent' : 'None', 0);
    lambda('Invocations', 1, 'Count', 0);
    lambda('Invocations', 1, 'Count', 0, { FunctionName: FN, Resource: `${FN}:3` });
    lambda('Duration', 3, 'Milliseconds', 0);
    // A second unit is still one metric.
    lambda('Duration', 3, 'Seconds', 0);
    const names = async (input: ListMetricsCommandInput) => (await virginia.send(new ListMetricsCommand(input))).Metrics!.map((m) => `${m.Namespace} ${m.MetricName} ${m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(',')}`);
    expect(await names({ Namespace: 'AWS/CloudFront' })).toEqual([
      `AWS/CloudFront 4xxErrorRate DistributionId=${DIST},Region=Global`,
      `AWS/CloudFront BytesDownloaded DistributionId=${DIST},Region=Global`,
      `AWS/CloudFront Requests DistributionId=${DIST},Region=Global`,
    ]);
    expect(await names({ Namespace: 'AWS/Lambda', MetricName: 'Invocations' })).toEqual([`AWS/Lambda Invocations FunctionName=${FN}`, `AWS/Lambda Invocations FunctionName=${FN},Resource=${FN}:3`]);
    expect(await names({ Dimensions: [{ Name: 'Resource' }] })).toEqual([`AWS/Lambda Invocations FunctionName=${FN},Resource=${FN}:3`]);
    expect(await names({ Dimensions: [{ Name: 'FunctionName', Value: FN }] })).toHaveLength(3);
    expect(await names({ Dimensions: [{ Name: 'FunctionName', Value: 'us-east-1.other' }] })).toEqual([]);
    expect(await names({ Namespace: 'AWS/EC2' })).toEqual([]);
    expect(await names({})).toHaveLength(6);
  });

  it('RecentlyActive PT3H, the two-week window, and pages of 500 read with the SDK paginator', async () => {
    lambda('Invocations', 1, 'Count', 0); // two hours ago
    record('us-east-1', 'AWS/Lambda', 'Errors', { FunctionName: FN }, 1, 'Count', sb.world.now() - 4 * HOUR);
    expect((await virginia.send(new ListMetricsCommand({ RecentlyActive: 'PT3H' }))).Metrics!.map((m) => m.MetricName)).toEqual(['Invocations']);
    expect((await virginia.send(new ListMetricsCommand({}))).Metrics).toHaveLength(2);

    for (let i = 0; i < 501; i++) record('us-east-1', 'Custom/Many', `M${String(i).padStart(3, '0')}`, {}, 1, 'Count', sb.world.now());
    const first = await virginia.send(new ListMetricsCommand({ Namespace: 'Custom/Many' }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toEqual(expect.any(String));
    const all = [];
    for await (const page of paginateListMetrics({ client: virginia }, { Namespace: 'Custom/Many' })) all.push(...page.Metrics!);
    expect(all.map((m) => m.MetricName)).toEqual(Array.from({ length: 501 }, (_, i) => `M${String(i).padStart(3, '0')}`));
  });
});

describe('state', () => {
  it('the metrics are plain JSON in the World: GET /_sandbox/state has them, reset clears them', async () => {
    lambda('Invocations', 1, 'Count', 0);
    lambda('Invocations', 1, 'Count', 0);
    const state = await sb.admin<{ metrics: { series: unknown[] } }>('GET', 'state');
    expect(state.metrics.series).toEqual([
      { region: 'us-east-1', namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ name: 'FunctionName', value: FN }], unit: 'Count', buckets: [{ t: base, n: 2, sum: 2, min: 1, max: 1, values: [1], counts: [2] }] },
    ]);
    await sb.admin('POST', 'reset');
    expect(sb.world.metricSeries).toEqual([]);
  });
});

describe('retention', () => {
  it('ListMetrics leaves out metrics silent for two weeks; 1-minute data is kept 15 days, then dropped', async () => {
    record('us-east-1', 'AWS/Lambda', 'Invocations', { FunctionName: FN }, 7, 'Count', sb.world.now() - 14 * DAY - HOUR);
    const read = async () => {
      const now = sb.world.now();
      const r = await results({ StartTime: new Date(now - 16 * DAY), EndTime: new Date(now), MetricDataQueries: [metricStat('m', 'AWS/Lambda', 'Invocations', { FunctionName: FN }, 3600, 'Sum')] });
      return r.m!.Values;
    };
    expect(await virginia.send(new ListMetricsCommand({}))).toMatchObject({ Metrics: [] });
    expect(await read()).toEqual([7]);
    await sb.advance(DAY);
    expect(await read()).toEqual([]);
    // The next write prunes what is past retention from the state.
    record('us-east-1', 'AWS/Lambda', 'Errors', { FunctionName: FN }, 0, 'Count', sb.world.now());
    expect(sb.world.metricSeries.map((s) => s.metricName)).toEqual(['Errors']);
    // Points older than the retention are not recorded at all.
    record('us-east-1', 'AWS/Lambda', 'Throttles', { FunctionName: FN }, 1, 'Count', sb.world.now() - 16 * DAY);
    expect(sb.world.metricSeries.map((s) => s.metricName)).toEqual(['Errors']);
  });
});

describe('errors', () => {
  const stat = (s: string) => metricStat('m', 'AWS/Lambda', 'Invocations', { FunctionName: FN }, 60, s);

  it('GetMetricData: ValidationError for an invalid id, statistic or period, duplicate ids, equal times; InvalidNextToken', async () => {
    const error = await expectAwsError(
      virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [{ ...stat('Sum'), Id: 'Bad-id' }, { ...stat('p101'), Id: 'ok' }] })),
      ValidationException,
      400,
    );
    expect(error.message).toBe(
      'The value Bad-id for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.\nThe value p101 for parameter MetricDataQueries.member.2.MetricStat.Stat is not a valid statistic.',
    );
    // The query-compatible code is the one the query protocol would send.
    expect(error).toMatchObject({ Code: 'ValidationError', Type: 'Sender' });
    await expectAwsError(virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [stat('Sum'), stat('Average')] })), ValidationException, 400, /^The values for parameter id in MetricDataQueries are not unique\.$/);
    await expectAwsError(virginia.send(new GetMetricDataCommand({ ...window(0, 0), MetricDataQueries: [stat('Sum')] })), ValidationException, 400, /^The parameter StartTime must not equal parameter EndTime\.$/);
    await expectAwsError(
      virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [{ ...stat('Sum'), MetricStat: { ...stat('Sum').MetricStat!, Period: 90 } }] })),
      ValidationException,
      400,
      /MetricDataQueries\.member\.1\.MetricStat\.Period/,
    );
    await expectAwsError(
      virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [{ ...stat('Sum'), Expression: 'm' }] })),
      ValidationException,
      400,
      /^The parameters MetricDataQuery Expression and MetricStat are mutually exclusive and you have specified both\.$/,
    );
    await expectAwsError(
      virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [stat('Sum'), { Id: 'e1', Expression: 'm / nope' }] })),
      ValidationException,
      400,
      /^Error in expression e1: Unrecognized metric id nope\.$/,
    );
    await expectAwsError(virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [{ Id: 'e1', Expression: 'SELECT AVG(Duration) FROM "AWS/Lambda"' }] })), ValidationException, 400, /Metrics Insights/);
    await expectAwsError(virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [stat('Sum')], ScanBy: 'Sideways' as 'TimestampAscending' })), ValidationException, 400, /^1 validation error detected: Value 'Sideways' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: \[TimestampDescending, TimestampAscending\]$/);
    await expectAwsError(virginia.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [stat('Sum')], NextToken: 'garbage' })), InvalidNextToken, 400);
    await expectAwsError(virginia.send(new GetMetricDataCommand({ MetricDataQueries: [stat('Sum')] } as GetMetricDataCommandInput)), MissingRequiredParameterException, 400, /^The parameter StartTime is required\.\nThe parameter EndTime is required\.$/);
  });

  it('GetMetricStatistics: MissingParameter, InvalidParameterValue and InvalidParameterCombination as CloudWatch words them', async () => {
    const ok: GetMetricStatisticsCommandInput = { Namespace: 'AWS/Lambda', MetricName: 'Invocations', ...window(0, 60), Period: 60, Statistics: ['Sum'] };
    const missing = await expectAwsError(
      virginia.send(new GetMetricStatisticsCommand({ ...ok, Namespace: undefined, MetricName: undefined } as unknown as GetMetricStatisticsCommandInput)),
      MissingRequiredParameterException,
      400,
      /^The parameter Namespace is required\.\nThe parameter MetricName is required\.$/,
    );
    expect(missing).toMatchObject({ Code: 'MissingParameter' });
    await expectAwsError(virginia.send(new GetMetricStatisticsCommand({ ...ok, ...window(1, 1) })), InvalidParameterValueException, 400, /^The parameter StartTime must be less than the parameter EndTime\.$/);
    await expectAwsError(
      virginia.send(new GetMetricStatisticsCommand({ ...ok, Statistics: ['Sum', 'Median' as 'Sum'] })),
      InvalidParameterValueException,
      400,
      /^The parameter Statistics\.member\.2 must be a value in the set \[ Minimum, Maximum, Average, SampleCount, Sum \]\.$/,
    );
    await expectAwsError(
      virginia.send(new GetMetricStatisticsCommand({ ...ok, StartTime: new Date(base - 2 * DAY), EndTime: new Date(base) })),
      InvalidParameterCombinationException,
      400,
      /^You have requested up to 2880 datapoints, which exceeds the limit of 1440\. You may reduce the datapoints requested by increasing Period, or decreasing the time range\.$/,
    );
    await expectAwsError(virginia.send(new GetMetricStatisticsCommand({ ...ok, Statistics: undefined })), InvalidParameterCombinationException, 400, /Statistics or ExtendedStatistics/);
    await expectAwsError(virginia.send(new GetMetricStatisticsCommand({ ...ok, ExtendedStatistics: ['p99'] })), InvalidParameterCombinationException, 400, /but not both/);
    await expectAwsError(virginia.send(new GetMetricStatisticsCommand({ ...ok, Period: 45 })), InvalidParameterValueException, 400, /Period/);
    await expectAwsError(virginia.send(new GetMetricStatisticsCommand({ ...ok, Statistics: undefined, ExtendedStatistics: ['p101'] })), InvalidParameterValueException, 400, /p101/);
  });

  it('throttling: CloudWatch answers Throttling ("Rate exceeded"), which the SDK retries', async () => {
    lambda('Invocations', 1, 'Count', 0);
    await sb.admin('POST', 'throttle', { rate: 0.3, seed: 1 });
    const client = new CloudWatchClient({ ...sb.clientConfig('us-east-1'), maxAttempts: 8 });
    try {
      for (let i = 0; i < 6; i++) {
        const r = await results({ ...window(0, 1), MetricDataQueries: [metricStat('m', 'AWS/Lambda', 'Invocations', { FunctionName: FN }, 60, 'Sum')] }, client);
        expect(r.m!.Values).toEqual([1]);
      }
      const calls = await sb.calls();
      expect(calls.filter((c) => !c.error)).toHaveLength(6);
      expect(new Set(calls.filter((c) => c.error).map((c) => `${c.service} ${c.status} ${c.error}`))).toEqual(new Set(['monitoring 400 Throttling']));
    } finally {
      client.destroy();
      await sb.admin('POST', 'throttle', { rate: 0 });
    }
  });

  it('an injected fault reaches the SDK in the JSON protocol with its query-compatible code', async () => {
    await sb.admin('POST', 'faults', { operation: 'ListMetrics', error: 'ResourceNotFound', status: 404, message: 'nothing here' });
    const error = await virginia.send(new ListMetricsCommand({})).catch((e: unknown) => e as Error & { Code?: string; $metadata: { httpStatusCode: number } });
    expect(error).toMatchObject({ name: 'ResourceNotFound', Code: 'ResourceNotFound', message: 'nothing here', $metadata: { httpStatusCode: 404 } });
  });
});

describe('the wire', () => {
  it('AWS JSON 1.0 unsigned: routed by X-Amz-Target; timestamps in epoch seconds; errors with x-amzn-query-error', async () => {
    lambda('Invocations', 1, 'Count', 0);
    const post = (target: string, body: unknown) =>
      fetch(sb.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `GraniteServiceVersion20100801.${target}` }, body: JSON.stringify(body) });
    const ok = await post('GetMetricData', {
      StartTime: base / 1000,
      EndTime: (base + 10 * MINUTE) / 1000,
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: FN }] }, Period: 60, Stat: 'Sum' } }],
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await ok.json()).toEqual({ MetricDataResults: [{ Id: 'm', Label: 'Invocations', Timestamps: [base / 1000], Values: [1], StatusCode: 'Complete' }], Messages: [] });

    const bad = await post('GetMetricStatistics', { Namespace: 'AWS/Lambda', MetricName: 'Invocations', StartTime: base / 1000, EndTime: base / 1000, Period: 60, Statistics: ['Sum'] });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
    expect(await bad.json()).toEqual({ __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The parameter StartTime must be less than the parameter EndTime.' });

    const unknown = await post('PutMetricAlarm', {});
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'com.amazonaws.cloudwatch#UnknownOperationException' });
  });

  it('the query protocol through the SDK: GetMetricData, GetMetricStatistics (a map in XML), ListMetrics, errors as <ErrorResponse>', async () => {
    recordDurations();
    cloudfront('Requests', 1, 'None', 0);
    cloudfront('Requests', 1, 'None', 0);
    cloudfront('5xxErrorRate', 100, 'Percent', 0);
    cloudfront('5xxErrorRate', 0, 'Percent', 0);
    const r = await results(
      {
        ...window(0, 10),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          metricStat('p99', 'AWS/Lambda', 'Duration', { FunctionName: FN }, 60, 'p99'),
          metricStat('rate', 'AWS/CloudFront', '5xxErrorRate', CF, 300, 'Average'),
          metricStat('requests', 'AWS/CloudFront', 'Requests', CF, 300, 'Sum', { ReturnData: false }),
          { Id: 'failed', Expression: 'rate * requests / 100' },
        ],
      },
      query,
    );
    expect(r.p99).toEqual({ Id: 'p99', Label: 'Duration', Timestamps: at(0, 1, 7), Values: [99, 400, 10], StatusCode: 'Complete' });
    expect(r.rate).toMatchObject({ Label: '5xxErrorRate', Values: [50] });
    expect(r.failed).toMatchObject({ Label: 'failed', Timestamps: at(0), Values: [1] });

    const stats = await query.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: dims({ FunctionName: FN }), ...window(0, 5), Period: 300, ExtendedStatistics: ['p50', 'p99'] }));
    expect(stats).toMatchObject({ Label: 'Duration', Datapoints: [{ Timestamp: at(0)[0], Unit: 'Milliseconds', ExtendedStatistics: { p50: 51, p99: 200 } }] });

    const listed = await query.send(new ListMetricsCommand({ Namespace: 'AWS/CloudFront', Dimensions: [{ Name: 'DistributionId', Value: DIST }] }));
    expect(listed.Metrics).toEqual([
      { Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Dimensions: dims(CF) },
      { Namespace: 'AWS/CloudFront', MetricName: 'Requests', Dimensions: dims(CF) },
    ]);

    const error = await expectAwsError(
      query.send(new GetMetricStatisticsCommand({ MetricName: 'Duration', ...window(0, 5), Period: 300, Statistics: ['Sum'] } as GetMetricStatisticsCommandInput)),
      MissingRequiredParameterException,
      400,
      /^The parameter Namespace is required\.$/,
    );
    expect(error).toMatchObject({ Code: 'MissingParameter', Type: 'Sender' });
    await expectAwsError(query.send(new GetMetricDataCommand({ ...window(0, 1), MetricDataQueries: [{ ...metricStat('m', 'AWS/Lambda', 'Duration', {}, 60, 'Sum'), Id: 'M' }] })), ValidationException, 400, /MetricDataQueries\.member\.1\.Id/);
  });
});

// ---- the AWS CLI --------------------------------------------------------------------------

const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const run = promisify(execFile);

/** botocore's own CloudWatch model, to make a copy that speaks the query protocol (AWS_DATA_PATH). */
function botocoreModel(): Record<string, unknown> | undefined {
  const found = spawnSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' });
  if (found.status !== 0) return undefined;
  const dir = join(found.stdout.trim(), 'data', 'cloudwatch', '2010-08-01');
  if (existsSync(join(dir, 'service-2.json'))) return JSON.parse(readFileSync(join(dir, 'service-2.json'), 'utf8')) as Record<string, unknown>;
  if (existsSync(join(dir, 'service-2.json.gz'))) return JSON.parse(gunzipSync(readFileSync(join(dir, 'service-2.json.gz'))).toString('utf8')) as Record<string, unknown>;
  return undefined;
}

describe.skipIf(!hasAwsCli)('the AWS CLI', () => {
  const aws = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const { stdout } = await run('aws', ['--endpoint-url', sb.endpoint, '--output', 'json', ...args], {
      env: {
        // The caller's environment without its AWS settings (a profile or token would get in the way).
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
        AWS_ACCESS_KEY_ID: 'sandbox',
        AWS_SECRET_ACCESS_KEY: 'sandbox',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...extraEnv,
      },
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  function recordTraffic(): void {
    for (const execution of [1, 0, 0, 0]) {
      cloudfront('Requests', 1, 'None', 0);
      cloudfront('LambdaExecutionError', execution, 'None', 0);
    }
    recordDurations();
  }

  async function exercise(env: Record<string, string> = {}) {
    const queries = JSON.stringify([
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/CloudFront', MetricName: 'LambdaExecutionError', Dimensions: dims(CF) }, Period: 300, Stat: 'Sum' }, ReturnData: false },
      { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/CloudFront', MetricName: 'Requests', Dimensions: dims(CF) }, Period: 300, Stat: 'Sum' } },
      { Id: 'rate', Expression: '100 * errors / requests', Label: 'error rate' },
      { Id: 'p99', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: dims({ FunctionName: FN }) }, Period: 60, Stat: 'p99' } },
    ]);
    const durationStats = ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'Duration', '--dimensions', `Name=FunctionName,Value=${FN}`, '--start-time', iso(base), '--end-time', iso(base + 5 * MINUTE), '--period', '300'];
    // Reads of data recorded beforehand: the CLI runs (a second of start-up each) go at once.
    const [data, stats, statsExtended, listed, badTimes, badExpression] = await Promise.allSettled([
      aws(['cloudwatch', 'get-metric-data', '--metric-data-queries', queries, '--start-time', iso(base), '--end-time', iso(base + 10 * MINUTE)], env),
      aws([...durationStats, '--statistics', 'Sum', 'Maximum'], env),
      aws([...durationStats, '--extended-statistics', 'p50'], env),
      aws(['cloudwatch', 'list-metrics', '--namespace', 'AWS/CloudFront'], env),
      aws(['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'Duration', '--start-time', iso(base), '--end-time', iso(base), '--period', '60', '--statistics', 'Sum'], env),
      aws(['cloudwatch', 'get-metric-data', '--metric-data-queries', JSON.stringify([{ Id: 'x', Expression: 'nope * 2' }]), '--start-time', iso(base), '--end-time', iso(base + MINUTE)], env),
    ]);
    const value = <T>(settled: PromiseSettledResult<T>): T => {
      if (settled.status === 'rejected') throw settled.reason;
      return settled.value;
    };
    const byId = Object.fromEntries((value(data).MetricDataResults as { Id: string; Timestamps: (number | string)[] }[]).map((r) => [r.Id, r]));
    expect(Object.keys(byId).sort()).toEqual(['p99', 'rate', 'requests']);
    expect(byId.requests).toMatchObject({ Label: 'Requests', Values: [4], StatusCode: 'Complete' });
    expect(byId.rate).toMatchObject({ Label: 'error rate', Values: [25] });
    expect(byId.p99).toMatchObject({ Values: [10, 400, 99] });
    // The CLI prints timestamps as received: epoch seconds over JSON, ISO 8601 over query.
    const [stamp] = byId.requests!.Timestamps;
    expect(typeof stamp === 'number' ? stamp * 1000 : Date.parse(stamp!)).toBe(base);
    expect(value(stats)).toMatchObject({ Label: 'Duration', Datapoints: [{ Sum: 5650, Maximum: 400, Unit: 'Milliseconds' }] });
    expect(value(statsExtended)).toMatchObject({ Datapoints: [{ ExtendedStatistics: { p50: 51 } }] });
    expect((value(listed).Metrics as { MetricName: string }[]).map((m) => m.MetricName)).toEqual(['LambdaExecutionError', 'Requests']);
    expect(badTimes).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/InvalidParameterValue.*The parameter StartTime must be less than the parameter EndTime\./s) } });
    expect(badExpression).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/ValidationError.*Error in expression x: Unrecognized metric id nope\./s) } });
  }

  it('get-metric-data (with metric math), get-metric-statistics, list-metrics and errors over the JSON protocol the CLI picks', async () => {
    recordTraffic();
    await exercise();
  });

  const model = hasAwsCli ? botocoreModel() : undefined;
  it.skipIf(!model)('the same over the query protocol (botocore given a copy of its model that lists query only)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudwatch-query-model-'));
    try {
      const copy = structuredClone(model!) as { metadata: Record<string, unknown> };
      copy.metadata.protocol = 'query';
      delete copy.metadata.protocols;
      mkdirSync(join(dir, 'cloudwatch', '2010-08-01'), { recursive: true });
      writeFileSync(join(dir, 'cloudwatch', '2010-08-01', 'service-2.json'), JSON.stringify(copy));
      recordTraffic();
      await exercise({ AWS_DATA_PATH: dir });
      expect((await sb.calls()).filter((c) => c.service === 'monitoring')).toHaveLength(6);
      // The CLI did speak query: a form POST (Action=…&Version=…), answered in XML.
      const { stderr } = await run('aws', ['--debug', '--endpoint-url', sb.endpoint, 'cloudwatch', 'list-metrics', '--namespace', 'AWS/CloudFront'], {
        env: { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))), AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_DATA_PATH: dir },
      });
      expect(stderr).toContain("'body': {'Action': 'ListMetrics', 'Version': '2010-08-01'");
      expect(stderr).toContain('application/x-www-form-urlencoded');
      expect(stderr).toContain('<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
