/**
 * Amazon CloudWatch metrics (SigV4 service name and endpoint prefix `monitoring`): the reads
 * GetMetricData, GetMetricStatistics and ListMetrics over the points the sandbox's own services
 * record (store.ts), in both wire protocols CloudWatch speaks, sharing one implementation:
 *
 * - AWS JSON 1.0: `POST /` with `X-Amz-Target: GraniteServiceVersion20100801.<Operation>` and
 *   `Content-Type: application/x-amz-json-1.0` — what the AWS SDK for JavaScript v3
 *   (@aws-sdk/client-cloudwatch: `AwsJson1_0Protocol`, `serviceTarget:
 *   "GraniteServiceVersion20100801"`, `awsQueryCompatible: true`) and botocore (the model's
 *   `protocols: ["smithy-rpc-v2-cbor", "json", "query"]`, of which botocore picks `json`) send.
 *   The service is "awsQueryCompatible": an error names its query error code in the
 *   `x-amzn-query-error: <Code>;<Sender|Receiver>` header, next to the JSON
 *   `{"__type": "com.amazonaws.cloudwatch#<Shape>", "message": …}`; both SDKs take the code from
 *   the header (e.g. `InvalidParameterValue` → InvalidParameterValueException, whose model
 *   trait is `awsQueryError: ["InvalidParameterValue", 400]`).
 * - query: form-encoded `Action=GetMetricData&Version=2010-08-01&…`, XML replies in
 *   `<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">` and
 *   `<ErrorResponse>` errors — older SDKs and CLIs.
 * The CBOR protocol (smithy-rpc-v2-cbor, the model's first) is not emulated: no client the
 * sandbox serves sends it.
 *
 * Sources: the CloudWatch API Reference and the service model (botocore
 * `cloudwatch/2010-08-01/service-2.json`: shapes, constraints, documentation), CloudWatch's
 * observed error messages (quoted where used), and AWS's own GetMetricData / GetMetricStatistics
 * replies as LocalStack recorded them against AWS (localstack/localstack
 * tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json: default labels, `Messages: []`,
 * `MultipleUnits`, one datapoint per unit). Messages marked "(sandbox wording)" are AWS's rule in
 * the sandbox's words: no public source quotes AWS's text.
 *
 * Sandbox limits and choices (not AWS's): data is minute-resolution only (a Period under 60
 * gives one point per minute); no 5-minute / 1-hour roll-ups past 15 days; metrics appear in
 * ListMetrics at once (AWS: "allow up to 15 minutes"); dynamic labels (`${…}`) are returned as
 * written; metric math supports arithmetic, ABS and FILL only (expression.ts).
 */
import { AwsError } from '../errors.js';
import { queryParams, renderQueryError } from '../protocols/query.js';
import type { Operation, SandboxReply, SandboxRequest, Service } from '../request.js';
import type { MetricSeriesRecord, World } from '../world.js';
import { el, serializeXml, type XmlNode } from '../xml.js';
import { evaluate, ExpressionError, parseExpression, type MathValue } from './expression.js';
import { Input, invalidParameterCombination, invalidParameterValue, Problems, unflatten, validationError, type Protocol } from './input.js';
import { PeriodAggregate, parseStat, type StatSpec } from './statistics.js';
import { bucketsBetween, DAY_MS, isMetric, metricKey, MINUTE_MS, seriesIn } from './store.js';

export const TARGET_PREFIX = 'GraniteServiceVersion20100801';
export const XML_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const API_VERSION = '2010-08-01';
const JSON_10 = 'application/x-amz-json-1.0';

/** StandardUnit (the model's enum). */
const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second',
  'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;
const SCAN_BY = ['TimestampDescending', 'TimestampAscending'] as const;

/** "A single GetMetricData call can include as many as 500 MetricDataQuery structures." */
const MAX_QUERIES = 500;
/** MaxDatapoints: "If you omit this, the default of 100,800 is used." */
const DEFAULT_MAX_DATAPOINTS = 100_800;
/** GetMetricStatistics: "The maximum number of data points returned from a single call is 1,440." */
const MAX_STATISTICS_DATAPOINTS = 1_440;
/** ListMetrics: "Up to 500 results are returned for any one call." */
const LIST_PAGE = 500;
/** "ListMetrics doesn't return information about metrics if those metrics haven't reported data in the past two weeks." */
const LIST_WINDOW_MS = 14 * DAY_MS;
/** RecentlyActive PT3H: "metrics that have had data points published in the past three hours". */
const RECENT_MS = 3 * 60 * 60 * 1000;
/** MetricDataQuery `Id`: "The valid characters are letters, numbers, and underscore. The first character must be a lowercase letter." */
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

/** A map in a reply (Datapoint `ExtendedStatistics`): a JSON object, `<entry><key/><value/></entry>` in XML. */
class ReplyMap extends Map<string, number> {}

type Reply = Record<string, unknown>;
type Handler = (input: Input, req: SandboxRequest, world: World) => Reply;

// ---- shared reading ------------------------------------------------------------------------

interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
}

/** Dimensions (a Dimension's Name and Value are both required; at most 30 per metric). */
function readDimensions(input: Input, member: string, problems: Problems): { name: string; value: string }[] {
  const list = input.structs(member) ?? [];
  problems.length(list, input.name(member), undefined, 30);
  return list.map((d) => {
    const name = d.string('Name');
    const value = d.string('Value');
    problems.require(name !== undefined, d.name('Name'));
    problems.require(value !== undefined, d.name('Value'));
    problems.length(name, d.name('Name'), 1, 255);
    problems.length(value, d.name('Value'), 1, 1024);
    return { name: name ?? '', value: value ?? '' };
  });
}

function readNamespace(input: Input, problems: Problems, required: boolean): string | undefined {
  const namespace = input.string('Namespace');
  if (required) problems.require(namespace !== undefined, input.name('Namespace'));
  problems.length(namespace, input.name('Namespace'), 1, 255);
  // Namespace pattern `[^:].*`.
  if (namespace && namespace.startsWith(':')) problems.constraint(namespace, input.name('Namespace'), 'Member must satisfy regular expression pattern: [^:].*');
  return namespace;
}

function readMetricName(input: Input, problems: Problems, required: boolean): string | undefined {
  const name = input.string('MetricName');
  if (required) problems.require(name !== undefined, input.name('MetricName'));
  problems.length(name, input.name('MetricName'), 1, 255);
  return name;
}

/** "For metrics with regular resolution, a period can be as short as one minute (60 seconds) and must be a multiple of 60 … the period can be 1, 5, 10, 20, 30, 60, or any multiple of 60." */
const validPeriod = (period: number): boolean => [1, 5, 10, 20, 30].includes(period) || (period >= 60 && period % 60 === 0);

/**
 * StartTime rounding (GetMetricData / GetMetricStatistics): "Start time less than 15 days ago -
 * Round down to the nearest whole minute … between 15 and 63 days ago - … 5-minute clock
 * interval … greater than 63 days ago - … 1-hour clock interval. If you set Period to 5, 10,
 * 20, or 30, the start time … is rounded down to … even 5-, 10-, 20-, or 30-second divisions".
 */
function roundStart(start: number, period: number, now: number): number {
  const age = now - start;
  const unit = period < 60 ? period * 1000 : age > 63 * DAY_MS ? 60 * MINUTE_MS : age > 15 * DAY_MS ? 5 * MINUTE_MS : MINUTE_MS;
  return Math.floor(start / unit) * unit;
}

/**
 * One statistic of a metric over [start, end) in periods: the value of every period that has
 * data, oldest first, and the units the data had. Without `unit`, data of every unit is read
 * together ("If you omit Unit in your request, all data that was collected with any unit is
 * returned").
 */
function statisticSeries(world: World, region: string, metric: MetricRef, period: number, spec: StatSpec, unit: string | undefined, start: number, end: number): { points: [number, number][]; units: Set<string> } {
  const periodMs = period * 1000;
  const windows = new Map<number, PeriodAggregate>();
  const units = new Set<string>();
  for (const series of seriesIn(world, region)) {
    if (!isMetric(series, metric.namespace, metric.metricName, metric.dimensions) || (unit !== undefined && series.unit !== unit)) continue;
    const buckets = bucketsBetween(world, series, start, end);
    if (buckets.length) units.add(series.unit);
    for (const bucket of buckets) {
      const index = Math.floor((bucket.t - start) / periodMs);
      let aggregate = windows.get(index);
      if (!aggregate) windows.set(index, (aggregate = new PeriodAggregate()));
      aggregate.add(bucket);
    }
  }
  const points: [number, number][] = [];
  for (const index of [...windows.keys()].sort((a, b) => a - b)) {
    const value = windows.get(index)!.value(spec);
    if (value !== undefined) points.push([start + index * periodMs, value]);
  }
  return { points, units };
}

// ---- GetMetricData -------------------------------------------------------------------------

interface QuerySpec {
  id: string;
  label?: string;
  returnData: boolean;
  stat?: { metric: MetricRef; period: number; stat: string; spec: StatSpec; unit?: string };
  expression?: string;
}

const TOKEN_PREFIX = 'gmd1:';
const invalidNextToken = (): AwsError => new AwsError('InvalidNextToken', 400, 'The NextToken provided is invalid.');

function decodeOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const offset = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(offset) || offset <= 0) throw invalidNextToken();
  return offset;
}

const encodeOffset = (offset: number): string => Buffer.from(`${TOKEN_PREFIX}${offset}`).toString('base64url');

function readQueries(input: Input, problems: Problems): QuerySpec[] {
  const list = input.structs('MetricDataQueries');
  problems.require(list !== undefined, 'MetricDataQueries');
  return (list ?? []).map((q) => {
    const id = q.string('Id');
    problems.require(id !== undefined, q.name('Id'));
    problems.length(id, q.name('Id'), 1, 255);
    const expression = q.string('Expression');
    problems.length(expression, q.name('Expression'), 1, 2048);
    q.string('AccountId');
    q.integer('Period');
    const query: QuerySpec = { id: id ?? '', label: q.string('Label'), returnData: q.boolean('ReturnData') ?? true, expression };
    const ms = q.struct('MetricStat');
    if (ms) {
      const metric = ms.struct('Metric');
      const period = ms.integer('Period');
      const stat = ms.string('Stat');
      const unit = ms.string('Unit');
      problems.require(metric !== undefined, ms.name('Metric'));
      problems.require(period !== undefined, ms.name('Period'));
      problems.require(stat !== undefined, ms.name('Stat'));
      problems.atLeast(period, ms.name('Period'), 1);
      problems.oneOf(unit, ms.name('Unit'), UNITS);
      const namespace = metric ? readNamespace(metric, problems, true) : undefined;
      const metricName = metric ? readMetricName(metric, problems, true) : undefined;
      const dimensions = metric ? readDimensions(metric, 'Dimensions', problems) : [];
      query.stat = { metric: { namespace: namespace ?? '', metricName: metricName ?? '', dimensions }, period: period ?? 60, stat: stat ?? '', spec: { kind: 'basic', name: 'Sum' }, unit };
    }
    return query;
  });
}

/** The checks CloudWatch makes past the model's constraints, each line as CloudWatch words it. */
function checkQueries(queries: QuerySpec[], name: (i: number) => string): void {
  const lines: string[] = [];
  queries.forEach((q, i) => {
    const at = name(i);
    // Observed: "The value 5xx_error_FooBar_average for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$."
    if (!ID_PATTERN.test(q.id)) lines.push(`The value ${q.id} for parameter ${at}.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`);
    if (q.stat && q.expression !== undefined) {
      // Observed (PutMetricAlarm, the same structure): "The parameters MetricDataQuery Expression and MetricStat are mutually exclusive and you have specified both."
      lines.push('The parameters MetricDataQuery Expression and MetricStat are mutually exclusive and you have specified both.');
    } else if (!q.stat && q.expression === undefined) {
      // "Within each MetricDataQuery object, you must specify either Expression or MetricStat but not both." (sandbox wording)
      lines.push(`The parameter ${at} must specify either Expression or MetricStat.`);
    }
    if (q.stat) {
      const spec = parseStat(q.stat.stat);
      // Observed: "The value None for parameter MetricDataQueries.member.223.MetricStat.Stat is not a valid statistic."
      if (!spec) lines.push(`The value ${q.stat.stat} for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
      else q.stat.spec = spec;
      // (sandbox wording)
      if (!validPeriod(q.stat.period)) lines.push(`The value ${q.stat.period} for parameter ${at}.MetricStat.Period is not valid: the period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
    }
  });
  if (lines.length) throw validationError(lines.join('\n'));
  // Observed: "The values for parameter id in MetricDataQueries are not unique."
  if (new Set(queries.map((q) => q.id)).size !== queries.length) throw validationError('The values for parameter id in MetricDataQueries are not unique.');
}

/** Default labels, as AWS makes them (recorded): the metric name, plus the stat and/or the period when queries of that metric differ in them. */
function defaultLabel(query: QuerySpec, all: QuerySpec[]): string {
  if (!query.stat) return query.id;
  const key = metricKey({ region: '', ...query.stat.metric });
  const same = all.filter((q) => q.stat && metricKey({ region: '', ...q.stat.metric }) === key);
  let label = query.stat.metric.metricName;
  if (new Set(same.map((q) => q.stat!.stat)).size > 1) label += ` ${query.stat.stat}`;
  if (new Set(same.map((q) => q.stat!.period)).size > 1) label += ` ${query.stat.period}`;
  return label;
}

const getMetricData: Handler = (input, req, world) => {
  const problems = new Problems();
  const queries = readQueries(input, problems);
  const startTime = input.timestamp('StartTime');
  const endTime = input.timestamp('EndTime');
  problems.require(startTime !== undefined, 'StartTime');
  problems.require(endTime !== undefined, 'EndTime');
  const nextToken = input.string('NextToken');
  const scanBy = input.string('ScanBy') ?? 'TimestampDescending';
  problems.oneOf(scanBy, 'ScanBy', SCAN_BY);
  const maxDatapoints = input.integer('MaxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
  input.struct('LabelOptions')?.string('Timezone');
  problems.done();

  const messages: { Code: string; Value: string }[] = [];
  // "Maximum number of allowed metrics exceeded" is the example GetMetricData gives of a request-wide message.
  const used = queries.length > MAX_QUERIES ? queries.slice(0, MAX_QUERIES) : queries;
  if (used !== queries) messages.push({ Code: 'MaxMetricsExceeded', Value: 'Maximum number of allowed metrics exceeded' });
  checkQueries(used, (i) => `MetricDataQueries.member.${i + 1}`);
  // Observed: "The parameter StartTime must not equal parameter EndTime."
  if (startTime! === endTime!) throw validationError('The parameter StartTime must not equal parameter EndTime.');
  if (startTime! > endTime!) throw validationError('The parameter StartTime must be less than the parameter EndTime.');
  if (maxDatapoints < 1) throw invalidParameterValue('The parameter MaxDatapoints must be greater than 0.');
  const offset = decodeOffset(nextToken);

  const now = world.now();
  const byId = new Map(used.map((q) => [q.id, q]));
  const values = new Map<string, { value: MathValue; units: Set<string> }>();
  const evaluating = new Set<string>();
  const valueOf = (id: string): { value: MathValue; units: Set<string> } => {
    const known = values.get(id);
    if (known) return known;
    const query = byId.get(id);
    if (!query) throw new ExpressionError(`Unrecognized metric id ${id}.`);
    if (evaluating.has(id)) throw new ExpressionError(`Circular reference to ${id}.`);
    evaluating.add(id);
    let result: { value: MathValue; units: Set<string> };
    if (query.stat) {
      const s = query.stat;
      const start = roundStart(startTime!, s.period, now);
      const { points, units } = statisticSeries(world, req.region, s.metric, s.period, s.spec, s.unit, start, endTime!);
      result = { value: { kind: 'series', points: new Map(points), grid: { start, end: endTime!, periodMs: s.period * 1000 } }, units };
    } else {
      try {
        const tree = parseExpression(query.expression!);
        const units = new Set<string>();
        const value = evaluate(tree, (ref) => {
          const v = valueOf(ref);
          for (const u of v.units) units.add(u);
          return v.value;
        });
        result = { value, units };
      } catch (error) {
        if (!(error instanceof ExpressionError) || error.message.startsWith('Error in expression')) throw error;
        throw new ExpressionError(`Error in expression ${id}: ${error.message}`);
      }
    }
    evaluating.delete(id);
    values.set(id, result);
    return result;
  };

  const descending = scanBy === 'TimestampDescending';
  const computed: { query: QuerySpec; points: [number, number][]; units: Set<string> }[] = [];
  try {
    for (const query of used) {
      // Every expression is checked, returned or not.
      if (query.expression !== undefined) valueOf(query.id);
      if (!query.returnData) continue;
      const { value, units } = valueOf(query.id);
      if (typeof value === 'number') throw new ExpressionError(`Error in expression ${query.id}: the expression must return a time series.`);
      const points = [...value.points].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
      computed.push({ query, points, units });
    }
  } catch (error) {
    if (error instanceof ExpressionError) throw validationError(error.message.startsWith('Error in expression') ? error.message : `Error in expression: ${error.message}`);
    throw error;
  }

  // Pagination: MaxDatapoints across all results, in order. "NextToken is not returned if you are
  // performing a math expression": with an expression each result gets what fits, PartialData past that.
  const paginate = !used.some((q) => q.expression !== undefined);
  const total = computed.reduce((n, c) => n + c.points.length, 0);
  if (paginate && offset > 0 && offset >= total) throw invalidNextToken();
  let position = 0;
  let budget = maxDatapoints;
  const pageStart = paginate ? offset : 0;
  const results = computed.map(({ query, points, units }) => {
    const from = Math.max(0, pageStart - position);
    const take = Math.max(0, Math.min(points.length - from, budget));
    const page = points.slice(from, from + take);
    position += points.length;
    budget -= take;
    const result: Reply = {
      Id: query.id,
      Label: query.label ?? defaultLabel(query, used),
      Timestamps: page.map(([t]) => new Date(t)),
      Values: page.map(([, v]) => v),
      StatusCode: from + take < points.length ? 'PartialData' : 'Complete',
    };
    // Recorded from AWS: {"Code": "MultipleUnits", "Value": "Multiple units returned: '[Milliseconds, Seconds]'"}.
    if (units.size > 1) result.Messages = [{ Code: 'MultipleUnits', Value: `Multiple units returned: '[${[...units].sort().join(', ')}]'` }];
    return result;
  });
  const next = paginate && pageStart + maxDatapoints < total ? encodeOffset(pageStart + maxDatapoints) : undefined;
  return { MetricDataResults: results, NextToken: next, Messages: messages };
};

// ---- GetMetricStatistics -------------------------------------------------------------------

const getMetricStatistics: Handler = (input, req, world) => {
  const problems = new Problems();
  const namespace = readNamespace(input, problems, true);
  const metricName = readMetricName(input, problems, true);
  const dimensions = readDimensions(input, 'Dimensions', problems);
  const startTime = input.timestamp('StartTime');
  const endTime = input.timestamp('EndTime');
  const period = input.integer('Period');
  problems.require(startTime !== undefined, 'StartTime');
  problems.require(endTime !== undefined, 'EndTime');
  problems.require(period !== undefined, 'Period');
  problems.atLeast(period, 'Period', 1);
  const statistics = input.strings('Statistics');
  const extended = input.strings('ExtendedStatistics');
  problems.length(statistics, 'Statistics', 1, 5);
  problems.length(extended, 'ExtendedStatistics', 1, 10);
  const unit = input.string('Unit');
  problems.oneOf(unit, 'Unit', UNITS);
  problems.done();

  // "When calling GetMetricStatistics, you must specify either Statistics or ExtendedStatistics, but not both." (sandbox wording)
  if (!statistics?.length === !extended?.length) throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
  statistics?.forEach((s, i) => {
    // Observed: "The parameter Statistics.member.1 must be a value in the set [ Minimum, Maximum, Average, SampleCount, Sum ]."
    if (parseStat(s)?.kind !== 'basic') throw invalidParameterValue(`The parameter Statistics.member.${i + 1} must be a value in the set [ Minimum, Maximum, Average, SampleCount, Sum ].`);
  });
  const extendedSpecs = (extended ?? []).map((s, i) => {
    const spec = parseStat(s);
    // ExtendedStatistics: "Specify values between p0.0 and p100." (sandbox wording)
    if (!spec || spec.kind === 'basic') throw invalidParameterValue(`The value ${s} for parameter ExtendedStatistics.member.${i + 1} is not supported.`);
    return { name: s, spec };
  });
  // (sandbox wording)
  if (!validPeriod(period!)) throw invalidParameterValue('The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.');
  if (startTime! >= endTime!) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  const start = roundStart(startTime!, period!, world.now());
  const requested = Math.ceil((endTime! - start) / (period! * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    // Observed: "You have requested up to 86400 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range."
    throw invalidParameterCombination(`You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }

  const metric = { namespace: namespace!, metricName: metricName!, dimensions };
  // One datapoint per period and unit (recorded from AWS: data of three units gives three datapoints).
  const units = [...new Set(seriesIn(world, req.region).filter((s) => isMetric(s, metric.namespace, metric.metricName, dimensions)).map((s) => s.unit))]
    .filter((u) => unit === undefined || u === unit)
    .sort();
  const datapoints: Reply[] = [];
  for (const u of units) {
    const byTime = new Map<number, Reply>();
    const point = (t: number): Reply => {
      let p = byTime.get(t);
      if (!p) byTime.set(t, (p = { Timestamp: new Date(t) }));
      return p;
    };
    // Datapoint members in the model's order: Timestamp, SampleCount, Average, Sum, Minimum, Maximum, Unit, ExtendedStatistics.
    for (const name of ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']) {
      if (!statistics?.includes(name)) continue;
      for (const [t, v] of statisticSeries(world, req.region, metric, period!, parseStat(name)!, u, start, endTime!).points) point(t)[name] = v;
    }
    const extendedValues = new Map<number, ReplyMap>();
    for (const { name, spec } of extendedSpecs) {
      for (const [t, v] of statisticSeries(world, req.region, metric, period!, spec, u, start, endTime!).points) {
        point(t);
        if (!extendedValues.has(t)) extendedValues.set(t, new ReplyMap());
        extendedValues.get(t)!.set(name, v);
      }
    }
    for (const [t, p] of [...byTime].sort((a, b) => a[0] - b[0])) {
      p.Unit = u;
      if (extendedValues.has(t)) p.ExtendedStatistics = extendedValues.get(t);
      datapoints.push(p);
    }
  }
  return { Label: metricName, Datapoints: datapoints };
};

// ---- ListMetrics -----------------------------------------------------------------------------

/**
 * ListMetrics' order (the sandbox's: AWS documents none) and its NextToken cursor: namespace,
 * name, then the dimensions by name, fields joined by characters below any printable one so a
 * metric sorts before the same metric with more dimensions.
 */
function listKey(series: MetricSeriesRecord): string {
  const dims = [...series.dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((d) => `${d.name}\u0001${d.value}`);
  return [series.namespace, series.metricName, ...dims].join('\u0000');
}

const listMetrics: Handler = (input, req, world) => {
  const problems = new Problems();
  const namespace = readNamespace(input, problems, false);
  const metricName = readMetricName(input, problems, false);
  const filters = (input.structs('Dimensions') ?? []).map((f) => {
    const name = f.string('Name');
    const value = f.string('Value');
    problems.require(name !== undefined, f.name('Name'));
    problems.length(name, f.name('Name'), 1, 255);
    problems.length(value, f.name('Value'), 1, 1024);
    return { name: name ?? '', value };
  });
  problems.length(filters, 'Dimensions', undefined, 10);
  const nextToken = input.string('NextToken');
  const recentlyActive = input.string('RecentlyActive');
  problems.oneOf(recentlyActive, 'RecentlyActive', ['PT3H']);
  const includeLinked = input.boolean('IncludeLinkedAccounts') ?? false;
  input.string('OwningAccount');
  problems.done();

  const now = world.now();
  const since = recentlyActive ? now - RECENT_MS : now - LIST_WINDOW_MS;
  const metrics = new Map<string, MetricSeriesRecord>();
  for (const series of seriesIn(world, req.region)) {
    if (namespace !== undefined && series.namespace !== namespace) continue;
    if (metricName !== undefined && series.metricName !== metricName) continue;
    // "If you specify one dimension name and a metric has that dimension and also other dimensions, it will be returned."
    if (!filters.every((f) => series.dimensions.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value)))) continue;
    if (series.buckets.at(-1)!.t + MINUTE_MS <= since) continue;
    const key = listKey(series);
    if (!metrics.has(key)) metrics.set(key, series);
  }
  const sorted = [...metrics].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let start = 0;
  if (nextToken !== undefined) {
    let after: string;
    try {
      after = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as string;
    } catch {
      after = '';
    }
    if (typeof after !== 'string' || !after) throw invalidParameterValue('The value for parameter NextToken is invalid.');
    start = sorted.findIndex(([key]) => key > after);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + LIST_PAGE);
  const more = start + LIST_PAGE < sorted.length;
  return {
    Metrics: page.map(([, s]) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions.map((d) => ({ Name: d.name, Value: d.value })) })),
    NextToken: more ? Buffer.from(JSON.stringify(page.at(-1)![0])).toString('base64url') : undefined,
    // "If you are using this operation in a monitoring account, this array contains the account IDs of the source accounts where the metrics in the returned data are from."
    OwningAccounts: includeLinked ? page.map(() => world.accountId) : undefined,
  };
};

const HANDLERS: Record<string, Handler> = {
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
};

// ---- wire formats ------------------------------------------------------------------------------

/** JSON 1.0: timestamps as epoch seconds (the protocol's default). */
function toJson(reply: Reply): string {
  return JSON.stringify(reply, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (raw instanceof ReplyMap) return Object.fromEntries(raw);
    return value;
  });
}

/** ISO 8601 as CloudWatch writes it (2024-01-31T12:00:00Z; milliseconds only when there are some). */
const iso = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

/** query/XML: lists as `<member>`, maps as `<entry><key/><value/></entry>`, undefined members left out. */
function toXml(name: string, value: unknown): XmlNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return el(name, iso(value));
  if (value instanceof ReplyMap) return el(name, ...[...value].map(([k, v]) => el('entry', el('key', k), el('value', String(v)))));
  if (Array.isArray(value)) return value.length ? el(name, ...value.map((item) => toXml('member', item))) : el(name);
  if (typeof value === 'object') return el(name, ...Object.entries(value).map(([k, v]) => toXml(k, v)));
  return el(name, String(value));
}

/** Which protocol each request in flight spoke, by request id (renderError receives only the id). */
const protocols = new Map<string, Protocol>();
const PROTOCOL_MEMORY = 10_000;

function remember(requestId: string, protocol: Protocol): void {
  protocols.set(requestId, protocol);
  if (protocols.size > PROTOCOL_MEMORY) protocols.delete(protocols.keys().next().value!);
}

function operation(name: string, protocol: Protocol, read: (req: SandboxRequest) => Record<string, unknown>): Operation {
  const handler = HANDLERS[name]!;
  return {
    name,
    handle: (req, world) => {
      const reply = handler(new Input(read(req), protocol), req, world);
      protocols.delete(req.requestId);
      if (protocol === 'json') return { status: 200, headers: { 'content-type': JSON_10 }, body: toJson(reply) };
      const root = el(`${name}Response`, toXml(`${name}Result`, reply), el('ResponseMetadata', el('RequestId', req.requestId)));
      root.attrs = { xmlns: XML_NAMESPACE };
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: serializeXml(root) };
    },
  };
}

function resolve(req: SandboxRequest): Operation {
  const target = req.headers['x-amz-target'];
  if (target !== undefined) {
    remember(req.requestId, 'json');
    if (req.method !== 'POST') throw new AwsError('UnknownOperationException', 405, `The method ${req.method} is not allowed.`);
    const [prefix, name = ''] = String(target).split('.');
    if (prefix !== TARGET_PREFIX || !Object.hasOwn(HANDLERS, name)) throw new AwsError('UnknownOperationException', 400, `Unknown operation ${String(target)}.`);
    return operation(name, 'json', (r) => {
      if (r.body.length === 0) return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(r.body.toString('utf8'));
      } catch {
        throw new AwsError('SerializationException', 400, 'Start of structure or map found where not expected.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AwsError('SerializationException', 400, 'Start of structure or map found where not expected.');
      return parsed as Record<string, unknown>;
    });
  }
  remember(req.requestId, 'query');
  if (req.method !== 'POST' && req.method !== 'GET') throw new AwsError('UnknownOperationException', 405, `The method ${req.method} is not allowed.`);
  const params = queryParams(req);
  const action = params.get('Action');
  if (!action) throw new AwsError('MissingAction', 400, 'Missing Action parameter.');
  if (!Object.hasOwn(HANDLERS, action)) throw new AwsError('InvalidAction', 400, `Could not find operation ${action} for version ${params.get('Version') ?? API_VERSION}`);
  return operation(action, 'query', () => unflatten(params));
}

/**
 * The JSON error shapes of CloudWatch's query error codes (the model's `awsQueryError` traits:
 * InvalidParameterValueException ↔ InvalidParameterValue, MissingRequiredParameterException ↔
 * MissingParameter, …). Other codes (injected faults, throttling) keep their name.
 */
const JSON_ERROR_SHAPES: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  ValidationError: 'ValidationException',
  InvalidNextToken: 'InvalidNextToken',
  InternalServiceError: 'InternalServiceFault',
  ResourceNotFound: 'ResourceNotFound',
  LimitExceeded: 'LimitExceededFault',
  InvalidFormat: 'InvalidFormatFault',
};
/** Error shapes whose message member is `Message` (InternalServiceFault, LimitExceededException); the others have `message`. */
const CAPITAL_MESSAGE = new Set(['InternalServiceFault', 'LimitExceededException']);

const renderXmlError = renderQueryError(XML_NAMESPACE);

function renderError(error: AwsError, requestId: string): SandboxReply {
  const protocol = protocols.get(requestId) ?? 'json';
  protocols.delete(requestId);
  if (protocol === 'query') return renderXmlError(error, requestId);
  const shape = JSON_ERROR_SHAPES[error.code] ?? error.code;
  return {
    status: error.status,
    headers: { 'content-type': JSON_10, 'x-amzn-requestid': requestId, 'x-amzn-query-error': `${error.code};${error.fault}` },
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${shape}`, [CAPITAL_MESSAGE.has(shape) ? 'Message' : 'message']: error.message }),
  };
}

export const monitoring: Service = {
  name: 'monitoring',
  // A GetMetricData of 500 queries with 30 dimensions each stays well under this (a sandbox bound).
  maxBodyBytes: 4 << 20,
  resolve,
  renderError,
  // CloudWatch throttles with the query code `Throttling` ("Rate exceeded"); both SDKs retry it.
  throttleError: () => new AwsError('Throttling', 400, 'Rate exceeded'),
};
