/**
 * PURE: what `edge-install logs` reads and how it makes one stream of it — which log groups
 * and Regions, the time window of `--since`/`--until`, the filter patterns it sends, and the
 * fold of Lambda's START/END/REPORT lines into one line per invocation. No I/O and no clock:
 * "now" is an argument; the reads are src/aws/observe/logs.ts, the text src/cli/render/logs-text.ts.
 *
 * Where Lambda@Edge logs are (CloudFront Developer Guide, "Edge function logs",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html):
 * in CloudWatch Logs of the Region where the function ran — the Region of the regional edge
 * cache nearest the viewer — in the group `/aws/lambda/us-east-1.<function>` (the us-east-1
 * prefix stays in every Region); CloudFront's own record of a function result it refused
 * (a validation error) is in `/aws/cloudfront/LambdaEdge/<DistributionId>` of that Region.
 * Which Regions those are (the regional edge cache Regions, which AWS does not publish as a
 * list) is src/aws/regions.ts's REGIONAL_EDGE_CACHE_REGIONS.
 */
import { edgeLogGroup, functionName } from '../manifest/naming.js';
import { parseDuration } from './duration.js';

// ---- which groups ------------------------------------------------------------------------

/** Where an event came from: a function's log group, or a distribution's CloudFront Lambda@Edge group. */
export type LogSource = { kind: 'function'; key: string; name: string } | { kind: 'distribution'; distributionId: string };

export interface LogGroupSpec {
  name: string;
  source: LogSource;
}

/** A Lambda@Edge function's log group in every Region it runs in, by default (see naming.ts's edgeLogGroup). */
export const edgeFunctionLogGroup = (name: string): string => edgeLogGroup(name);

/** Where CloudFront logs a Lambda@Edge result it refused, in the Region the function ran in. */
export const validationLogGroup = (distributionId: string): string => `/aws/cloudfront/LambdaEdge/${distributionId}`;

/** The groups to read: the functions' (by key), and with `distributions` the distributions' CloudFront groups. */
export function logGroupsFor(integration: string, keys: string[], distributionIds: string[], customGroups: Record<string, string | undefined> = {}): LogGroupSpec[] {
  return [
    ...keys.map((key): LogGroupSpec => {
      const name = functionName(integration, key);
      // A function the manifest gives its own group (LoggingConfig.LogGroup) logs there, in every Region.
      return { name: edgeLogGroup(name, customGroups[key]), source: { kind: 'function', key, name } };
    }),
    ...[...new Set(distributionIds)].map((id): LogGroupSpec => ({ name: validationLogGroup(id), source: { kind: 'distribution', distributionId: id } })),
  ];
}

/**
 * The DescribeLogGroups prefixes that find `names`: one per folder (`/aws/lambda/`,
 * `/aws/cloudfront/LambdaEdge/`), the longest prefix its names share, so one call (a page or
 * two) per Region finds every group of the integration.
 */
export function groupPrefixes(names: readonly string[]): string[] {
  const byFolder = new Map<string, string[]>();
  for (const name of names) {
    const folder = name.slice(0, name.lastIndexOf('/') + 1);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), name]);
  }
  return [...byFolder.values()].map((group) => group.reduce((prefix, name) => {
    let i = 0;
    while (i < prefix.length && i < name.length && prefix[i] === name[i]) i++;
    return prefix.slice(0, i);
  }));
}

// ---- the time window ---------------------------------------------------------------------

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A `--since`/`--until` value in epoch ms: a duration before `now` (`90s`, `15m`, `2h`, `3d`,
 * `1w`; src/plan/duration.ts) or an ISO 8601 date or date-time (`2026-06-23`,
 * `2026-06-23T14:08`, `2026-06-23T14:08:22.417Z`, `…+02:00`; without a zone, UTC, as the
 * output prints times). Undefined when it is neither.
 */
export function parseTimeFlag(text: string, now: number): number | undefined {
  const trimmed = text.trim();
  const duration = parseDuration(trimmed);
  if (duration !== undefined) return now - duration;
  const m = ISO.exec(trimmed);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const daysInMonth = (Date.UTC(year!, month!, 1) - Date.UTC(year!, month! - 1, 1)) / 86_400_000;
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return Date.UTC(year!, month! - 1, day!, hour, minute, second, millis) - offsetMinutes * 60_000;
}

// ---- request ids -------------------------------------------------------------------------

/** A Lambda invocation's request id (START/REPORT, console lines): a UUID. */
export const LAMBDA_REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** CloudFront's request id, the X-Amz-Cf-Id response header: 56 characters of URL-safe base64. */
export const CLOUDFRONT_REQUEST_ID = /^[A-Za-z0-9_=-]{56}$/;

export type RequestIdKind = 'lambda' | 'cloudfront';

export function requestIdKind(text: string): RequestIdKind | undefined {
  if (LAMBDA_REQUEST_ID.test(text)) return 'lambda';
  if (CLOUDFRONT_REQUEST_ID.test(text)) return 'cloudfront';
  return undefined;
}

// ---- filter patterns ---------------------------------------------------------------------

/** A filter-pattern term matching `text` exactly (a quoted phrase). */
export const phrase = (text: string): string => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** Events containing any of `texts`. */
export const anyPhrase = (texts: readonly string[]): string => texts.map((t) => `?${phrase(t)}`).join(' ');

/**
 * What `--errors` asks CloudWatch Logs for in a function's group (the server filters, so a busy
 * function's good invocations never cross the network): ERROR console lines (a thrown error is
 * "Invoke Error" at ERROR), Lambda's timeout line, REPORT lines with a Status (timeout, a
 * runtime crash), the runtime's `Runtime.*` error types, and their JSON log format forms. The
 * fold then keeps only what is an error (isErrorEntry).
 */
export const ERRORS_FILTER_PATTERN = anyPhrase(['ERROR', 'Task timed out', 'Status: ', 'Runtime.', 'Invoke Error', '"status":"error"', '"status":"timeout"', '"level":"FATAL"']);

// ---- events and the fold ------------------------------------------------------------------

/** One CloudWatch Logs event as FilterLogEvents returns it, with where it was read. */
export interface RawLogEvent {
  region: string;
  logGroup: string;
  logStream: string;
  eventId: string;
  timestamp: number;
  message: string;
  source: LogSource;
}

export interface InvocationFacts {
  durationMs?: number;
  billedDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  /** On a cold start only. */
  initDurationMs?: number;
  /** REPORT's Status (timeout, error), when Lambda wrote one. */
  status?: string;
  errorType?: string;
  failed: boolean;
  /** False for a START whose REPORT is not in the window (running, or after --until). */
  complete: boolean;
}

export interface ValidationFacts {
  /** CloudFront's request id (X-Amz-Cf-Id). */
  cloudFrontRequestId?: string;
  distributionId?: string;
  eventType?: string;
  functionArn?: string;
  errorType?: string;
  errors?: string[];
}

export type LogEntryKind = 'log' | 'invocation' | 'platform' | 'validation';

/** One line of the merged stream. */
export interface LogEntry {
  time: number;
  region: string;
  logGroup: string;
  logStream: string;
  /** The (last) event it was made of. */
  eventId: string;
  kind: LogEntryKind;
  /** The function's name (`<integration>-<key>`), and its manifest key when it is the integration's. */
  function?: string;
  functionKey?: string;
  version?: string;
  /** Lambda's request id. */
  requestId?: string;
  /** INFO, WARN, ERROR, DEBUG, TRACE, FATAL for console lines; REPORT (or START, unfinished) for an invocation. */
  level: string;
  /** The text: a console line without its time/request id/level prefix, or the platform line. */
  message: string;
  /** Whether the entry says something failed (--errors keeps these and ERROR lines). */
  failed: boolean;
  invocation?: InvocationFacts;
  validation?: ValidationFacts;
  /** A thrown error's type and message, from the runtime's "Invoke Error" JSON. */
  error?: { type: string; message: string; at?: string };
  /** While a canary runs (attach --canary): which side ran it — told by the version, or the staging copy's id. */
  side?: 'staging' | 'primary';
}

/** What tells a running canary's two sides apart in the logs: the versions each runs (`name:version`), and the staging copies. */
export interface CanarySides {
  staging: ReadonlySet<string>;
  primary: ReadonlySet<string>;
  stagingDistributions: ReadonlySet<string>;
}

/**
 * Marks each entry with the side of the canary that ran it. A function's lines carry the
 * version (its log stream names it): a version only the staging copy runs is the staging
 * side's, one only the primary runs the primary's; a version both run tells nothing, and the
 * entry stays unmarked. CloudFront's validation records name the distribution that served.
 */
export function markCanarySides(entries: readonly LogEntry[], sides: CanarySides): LogEntry[] {
  return entries.map((entry) => {
    const key = entry.function && entry.version ? `${entry.function}:${entry.version}` : undefined;
    const side = key
      ? sides.staging.has(key) && !sides.primary.has(key)
        ? 'staging'
        : sides.primary.has(key) && !sides.staging.has(key)
          ? 'primary'
          : undefined
      : entry.validation?.distributionId && sides.stagingDistributions.has(entry.validation.distributionId)
        ? 'staging'
        : undefined;
    return side ? { ...entry, side } : entry;
  });
}

interface OpenInvocation {
  version?: string;
  start: RawLogEvent;
  failed: boolean;
  errorType?: string;
}

/** What the fold carries between batches (--follow: a START in one poll, its REPORT in the next). */
export interface FoldState {
  open: Map<string, OpenInvocation>;
}

export const newFoldState = (): FoldState => ({ open: new Map() });

/** Lambda's stream names carry the version: `2026/06/23/[3]0123abcd…` (`[$LATEST]` unpublished). */
export function streamVersion(stream: string): string | undefined {
  return /\[([^\]]+)\]/.exec(stream)?.[1];
}

const CONSOLE = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\t([^\t]*)\t(INFO|WARN|ERROR|DEBUG|TRACE|FATAL)\t([\s\S]*)$/;
const START = /^START RequestId: (\S+)(?: Version: (\S+))?/;
const END = /^END RequestId: (\S+)/;
const REPORT = /^REPORT RequestId: (\S+)/;
const TIMEOUT = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z (\S+) Task timed out after/;
const RUNTIME_EXIT = /^RequestId: (\S+) Error: /;
const THROWN = /^(Invoke Error|Uncaught Exception|Unhandled Promise Rejection)\s*\t?([\s\S]*)$/;

const field = (text: string, name: string): string | undefined => new RegExp(`(?:^|\\t)${name}: ([^\\t\\n]+)`).exec(text)?.[1]?.trim();
const msField = (text: string, name: string): number | undefined => {
  const value = field(text, name);
  const n = value === undefined ? NaN : Number.parseFloat(value);
  return Number.isFinite(n) ? n : undefined;
};

function reportFacts(text: string): Omit<InvocationFacts, 'failed' | 'complete'> {
  return {
    durationMs: msField(text, 'Duration'),
    billedDurationMs: msField(text, 'Billed Duration'),
    memorySizeMb: msField(text, 'Memory Size'),
    maxMemoryUsedMb: msField(text, 'Max Memory Used'),
    initDurationMs: msField(text, 'Init Duration'),
    status: field(text, 'Status'),
    errorType: field(text, 'Error Type'),
  };
}

/** The runtime's JSON after "Invoke Error": errorType, errorMessage and the stack. */
function thrownError(json: string): { type: string; message: string; at?: string } | undefined {
  try {
    const parsed = JSON.parse(json.trim()) as { errorType?: unknown; errorMessage?: unknown; stack?: unknown; trace?: unknown };
    const lines = Array.isArray(parsed.stack) ? parsed.stack : Array.isArray(parsed.trace) ? parsed.trace : [];
    const at = lines.map(String).find((line) => /^\s*at /.test(line))?.trim();
    return { type: String(parsed.errorType ?? 'Error'), message: String(parsed.errorMessage ?? ''), ...(at ? { at } : {}) };
  } catch {
    return undefined;
  }
}

/** `arn:aws:lambda:us-east-1:123456789012:function:NAME:VERSION` → name and version. */
function functionOfArn(arn: string | undefined): { name?: string; version?: string } {
  const m = arn === undefined ? null : /:function:([^:]+)(?::([^:]+))?$/.exec(arn);
  return m ? { name: m[1], version: m[2] } : {};
}

const trimEnd = (text: string): string => text.replace(/\s+$/, '');

function base(event: RawLogEvent): Pick<LogEntry, 'time' | 'region' | 'logGroup' | 'logStream' | 'eventId' | 'function' | 'functionKey' | 'version'> {
  const source = event.source;
  return {
    time: event.timestamp,
    region: event.region,
    logGroup: event.logGroup,
    logStream: event.logStream,
    eventId: event.eventId,
    ...(source.kind === 'function' ? { function: source.name, functionKey: source.key, version: streamVersion(event.logStream) } : {}),
  };
}

/** CloudFront's record of a refused result (JSON; AWS documents its content, not its format). */
function validationEntry(event: RawLogEvent): LogEntry {
  const text = trimEnd(event.message);
  let record: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) record = parsed as Record<string, unknown>;
  } catch {
    record = undefined;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const fn = functionOfArn(str(record?.functionArn));
  const validation: ValidationFacts | undefined = record && {
    cloudFrontRequestId: str(record.requestId),
    distributionId: str(record.distributionId) ?? (event.source.kind === 'distribution' ? event.source.distributionId : undefined),
    eventType: str(record.eventType),
    functionArn: str(record.functionArn),
    errorType: str(record.errorType),
    errors: Array.isArray(record.errors) ? record.errors.map(String) : undefined,
  };
  return {
    ...base(event),
    kind: 'validation',
    ...(fn.name ? { function: fn.name, version: fn.version } : {}),
    ...(str(record?.lambdaRequestId) ? { requestId: str(record?.lambdaRequestId) } : {}),
    level: 'ERROR',
    message: str(record?.message) ?? text,
    failed: true,
    ...(validation ? { validation } : {}),
  };
}

/**
 * Lambda's JSON log format (LoggingConfig.LogFormat JSON, which Lambda@Edge supports too):
 * `{"timestamp","level","requestId","message"}` console records and `platform.*` events.
 * Undefined for anything else.
 */
function jsonRecord(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Folds events (in stream order: sortEvents) into the lines of the merged stream: START and
 * END vanish, REPORT becomes one `invocation` line (duration, billed duration, memory, init
 * duration on a cold start) with the version START named, console lines keep their level,
 * CloudFront's validation records become readable. `state` carries unfinished invocations
 * from one batch to the next; with `final`, those left (a START whose REPORT is after the
 * window) become START lines. Entries come back in time order.
 */
export function foldLogEvents(events: readonly RawLogEvent[], state: FoldState, final: boolean): LogEntry[] {
  const out: LogEntry[] = [];
  const key = (event: RawLogEvent, requestId: string) => `${event.region}\u0000${event.logGroup}\u0000${requestId}`;
  const markFailed = (event: RawLogEvent, requestId: string, errorType?: string) => {
    const open = state.open.get(key(event, requestId));
    if (open) {
      open.failed = true;
      open.errorType ??= errorType;
    }
  };
  const versionOf = (event: RawLogEvent, requestId: string | undefined) => (requestId ? state.open.get(key(event, requestId))?.version : undefined) ?? streamVersion(event.logStream);
  const report = (event: RawLogEvent, requestId: string, facts: Omit<InvocationFacts, 'failed' | 'complete'>, message: string) => {
    const open = state.open.get(key(event, requestId));
    state.open.delete(key(event, requestId));
    const failed = !!open?.failed || !!facts.status || !!facts.errorType;
    out.push({
      ...base(event),
      kind: 'invocation',
      version: open?.version ?? streamVersion(event.logStream),
      requestId,
      level: 'REPORT',
      message,
      failed,
      invocation: { ...facts, errorType: facts.errorType ?? open?.errorType, failed, complete: true },
    });
  };

  for (const event of events) {
    if (event.source.kind === 'distribution') {
      out.push(validationEntry(event));
      continue;
    }
    const text = trimEnd(event.message);
    let m: RegExpExecArray | null;
    if ((m = START.exec(text))) {
      state.open.set(key(event, m[1]!), { version: m[2] ?? streamVersion(event.logStream), start: event, failed: false });
    } else if (END.test(text) || text.startsWith('INIT_START')) {
      // Nothing the REPORT line does not say.
    } else if ((m = REPORT.exec(text))) {
      report(event, m[1]!, reportFacts(text), text);
    } else if ((m = CONSOLE.exec(text))) {
      const requestId = m[2] && m[2] !== 'undefined' ? m[2] : undefined;
      const level = m[3]!;
      const message = m[4]!;
      const thrown = THROWN.exec(message);
      const error = thrown ? thrownError(thrown[2]!) : undefined;
      if (thrown && requestId) markFailed(event, requestId, error?.type);
      out.push({ ...base(event), version: versionOf(event, requestId), ...(requestId ? { requestId } : {}), kind: 'log', level, message, failed: !!thrown || level === 'FATAL', ...(error ? { error } : {}) });
    } else if ((m = TIMEOUT.exec(text)) || (m = RUNTIME_EXIT.exec(text))) {
      const requestId = m[1]!;
      const errorType = TIMEOUT.test(text) ? undefined : text.split('\n')[1]?.trim();
      markFailed(event, requestId, errorType);
      out.push({ ...base(event), version: versionOf(event, requestId), requestId, kind: 'platform', level: 'ERROR', message: text, failed: true });
    } else if (text.startsWith('INIT_REPORT')) {
      const status = field(text, 'Status');
      out.push({ ...base(event), kind: 'platform', level: status ? 'ERROR' : 'INFO', message: text, failed: !!status });
    } else {
      const record = jsonRecord(text);
      const type = typeof record?.type === 'string' ? record.type : undefined;
      const inner = record?.record && typeof record.record === 'object' ? (record.record as Record<string, unknown>) : undefined;
      const requestId = typeof inner?.requestId === 'string' ? inner.requestId : typeof record?.requestId === 'string' ? record.requestId : undefined;
      if (type === 'platform.start' && requestId) {
        state.open.set(key(event, requestId), { version: typeof inner?.version === 'string' ? inner.version : streamVersion(event.logStream), start: event, failed: false });
      } else if (type === 'platform.report' && requestId) {
        const metrics = (inner?.metrics ?? {}) as Record<string, unknown>;
        const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
        const status = typeof inner?.status === 'string' && inner.status !== 'success' ? inner.status : undefined;
        report(event, requestId, {
          durationMs: num(metrics.durationMs),
          billedDurationMs: num(metrics.billedDurationMs),
          memorySizeMb: num(metrics.memorySizeMB),
          maxMemoryUsedMb: num(metrics.maxMemoryUsedMB),
          initDurationMs: num(metrics.initDurationMs),
          status,
          errorType: typeof inner?.errorType === 'string' ? inner.errorType : undefined,
        }, text);
      } else if (type?.startsWith('platform.')) {
        // platform.initStart, platform.runtimeDone, …: what REPORT says.
      } else if (record && typeof record.level === 'string') {
        const level = record.level.toUpperCase();
        const message = typeof record.message === 'string' ? record.message : JSON.stringify(record.message ?? record);
        const thrown = typeof record.errorType === 'string';
        if (thrown && requestId) markFailed(event, requestId, record.errorType as string);
        out.push({ ...base(event), version: versionOf(event, requestId), ...(requestId ? { requestId } : {}), kind: 'log', level, message, failed: level === 'FATAL' });
      } else {
        // Text the function wrote to stdout itself, or a format this does not know: as it is.
        out.push({ ...base(event), kind: 'log', level: '', message: text, failed: false });
      }
    }
  }
  if (final) {
    for (const open of state.open.values()) {
      const event = open.start;
      const requestId = START.exec(trimEnd(event.message))?.[1] ?? '';
      out.push({ ...base(event), version: open.version, requestId, kind: 'invocation', level: 'START', message: trimEnd(event.message), failed: open.failed, invocation: { failed: open.failed, complete: false, ...(open.errorType ? { errorType: open.errorType } : {}) } });
    }
    state.open.clear();
  }
  return sortEntries(out);
}

/** Stream order across Regions and groups: time, then Region, group and event id (AWS's order within a group). */
export function sortEvents<T extends RawLogEvent>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => a.timestamp - b.timestamp || cmp(a.region, b.region) || cmp(a.logGroup, b.logGroup) || cmp(a.eventId, b.eventId));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** By time; entries of the same time keep their order (stable sort). */
export function sortEntries(entries: LogEntry[]): LogEntry[] {
  return entries.map((entry, i) => ({ entry, i })).sort((a, b) => a.entry.time - b.entry.time || a.i - b.i).map(({ entry }) => entry);
}

/** Keeps each event once (two reads of the same window, --request-id's second pass). */
export function uniqueEvents<T extends RawLogEvent>(events: readonly T[]): T[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const id = `${event.region}\u0000${event.logGroup}\u0000${event.eventId}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** What `--errors` keeps: ERROR/FATAL lines, failed invocations and platform failures, CloudFront's validation records. */
export const isErrorEntry = (entry: LogEntry): boolean => entry.failed || entry.level === 'ERROR' || entry.level === 'FATAL' || entry.kind === 'validation';

export interface EntrySelection {
  errors: boolean;
  /** With --function: only these functions' lines (a distribution's group names other functions too). */
  functions?: readonly string[];
}

export function selectEntries(entries: readonly LogEntry[], selection: EntrySelection): LogEntry[] {
  return entries.filter((entry) => (!selection.errors || isErrorEntry(entry)) && (!selection.functions || entry.function === undefined || selection.functions.includes(entry.function)));
}

// ---- --request-id -------------------------------------------------------------------------

/**
 * For a CloudFront request id (X-Amz-Cf-Id): the Lambda invocations the events that name it
 * belong to — the request id of a console line that logged it, or the `lambdaRequestId` of
 * CloudFront's validation record — per Region and function log group, so a second read can
 * fetch each invocation's START…REPORT block.
 */
export function invocationsNamedBy(events: readonly RawLogEvent[]): { region: string; logGroup: string; requestIds: string[] }[] {
  const found = new Map<string, { region: string; logGroup: string; requestIds: Set<string> }>();
  const add = (region: string, logGroup: string, requestId: string | undefined) => {
    if (!requestId || !LAMBDA_REQUEST_ID.test(requestId)) return;
    const k = `${region}\u0000${logGroup}`;
    const entry = found.get(k) ?? { region, logGroup, requestIds: new Set<string>() };
    entry.requestIds.add(requestId);
    found.set(k, entry);
  };
  for (const entry of foldLogEvents(events, newFoldState(), true)) {
    if (entry.kind === 'validation') {
      if (entry.function) add(entry.region, edgeFunctionLogGroup(entry.function), entry.requestId);
    } else {
      add(entry.region, entry.logGroup, entry.requestId);
    }
  }
  return [...found.values()].map((f) => ({ region: f.region, logGroup: f.logGroup, requestIds: [...f.requestIds] }));
}

/** The Regions the entries are from, in `order` (the Regions searched), then by name. */
export function regionsOf(entries: readonly { region: string }[], order: readonly string[]): string[] {
  const rank = (r: string) => (order.includes(r) ? order.indexOf(r) : order.length);
  return [...new Set(entries.map((e) => e.region))].sort((a, b) => rank(a) - rank(b) || cmp(a, b));
}
