/**
 * CloudWatch Logs storage: log groups (per region) and their streams and events, kept in the
 * World, and the API the sandbox's own writers use (`appendLogEvents`: the local edge logs its
 * functions' output as Lambda does, creating the group and stream on first write).
 *
 * Events of a stream are kept in event-id order, which is (timestamp, ingestion time,
 * ingestion sequence): the order GetLogEvents reads a stream in and FilterLogEvents returns
 * ("sorted by event timestamp, the timestamp when the event was ingested by CloudWatch Logs,
 * and the ID of the PutLogEvents request" — FilterLogEvents, CloudWatch Logs API Reference).
 * An event id is 56 decimal digits, as AWS's look: the timestamp (16 digits), the ingestion
 * time (16) and the group's ingestion sequence (24), so comparing ids compares events.
 *
 * Retention: events older than the group's retention (relative to the sandbox clock) are left
 * out of every read and of storedBytes. AWS deletes them "up to 72 hours" after they expire and
 * leaves events "marked for deletion" out of storedBytes (PutRetentionPolicy); the sandbox
 * takes the earliest moment.
 *
 * Sandbox limit — events per stream: a stream keeps at most its newest MAX_EVENTS_PER_STREAM
 * events (in id order); writing more drops the oldest. AWS keeps every event for the group's
 * retention (forever without one); the sandbox holds them in memory and in its state file, so a
 * long-running sandbox under traffic must not keep them all.
 */
import { AwsError } from '../errors.js';
import type { LogEventRecord, LogGroupRecord, LogStreamRecord, World } from '../world.js';
import { LOG_GROUP_NAME, LOG_STREAM_NAME } from './input.js';

export const DAY_MS = 86_400_000;
const ID_DIGITS = { timestamp: 16, ingestion: 16, sequence: 24 } as const;
/** The largest timestamp an event id can hold (16 digits, about year 318,000). */
export const MAX_TIMESTAMP = 10 ** ID_DIGITS.timestamp - 1;
/**
 * Sandbox limit, not AWS's: the events a log stream keeps, newest first; older ones are dropped
 * as new ones arrive (AWS keeps them for the group's retention). Bounds the memory and the state
 * file of a long-running sandbox.
 */
export const MAX_EVENTS_PER_STREAM = 10_000;

export const groupNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 400, 'The specified log group does not exist.');
export const streamNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 400, 'The specified log stream does not exist.');

/** The partition of a region's ARNs. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (the model's `logGroupArn`, without the trailing `:*`). */
export function logGroupArn(world: World, group: LogGroupRecord): string {
  return `arn:${partitionOf(group.region)}:logs:${group.region}:${world.accountId}:log-group:${group.name}`;
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:log-stream:STREAM`. */
export function logStreamArn(world: World, group: LogGroupRecord, stream: LogStreamRecord): string {
  return `${logGroupArn(world, group)}:log-stream:${stream.name}`;
}

export function groupsIn(world: World, region: string): LogGroupRecord[] {
  return world.logGroups.filter((g) => g.region === region);
}

export function findLogGroup(world: World, region: string, name: string): LogGroupRecord | undefined {
  return world.logGroups.find((g) => g.region === region && g.name === name);
}

export function requireLogGroup(world: World, region: string, name: string): LogGroupRecord {
  const group = findLogGroup(world, region, name);
  if (!group) throw groupNotFound();
  return group;
}

export function findLogStream(group: LogGroupRecord, name: string): LogStreamRecord | undefined {
  return group.streams.find((s) => s.name === name);
}

export function requireLogStream(group: LogGroupRecord, name: string): LogStreamRecord {
  const stream = findLogStream(group, name);
  if (!stream) throw streamNotFound();
  return stream;
}

export function newLogGroup(world: World, region: string, name: string, options: Pick<LogGroupRecord, 'logGroupClass' | 'kmsKeyId' | 'tags' | 'retentionInDays'> = {}): LogGroupRecord {
  const group: LogGroupRecord = { region, name, created: world.now(), streams: [], eventSequence: 0 };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (group as unknown as Record<string, unknown>)[key] = value;
  world.logGroups.push(group);
  return group;
}

export function newLogStream(world: World, group: LogGroupRecord, name: string): LogStreamRecord {
  const stream: LogStreamRecord = { name, created: world.now(), events: [] };
  group.streams.push(stream);
  return stream;
}

export function removeLogGroup(world: World, group: LogGroupRecord): void {
  const index = world.logGroups.indexOf(group);
  if (index >= 0) world.logGroups.splice(index, 1);
}

// ---- events ----------------------------------------------------------------------------

const pad = (n: number, digits: number): string => String(n).padStart(digits, '0');

/** The next ingestion sequence of a group (counted from its events for state files without it). */
function nextSequence(group: LogGroupRecord): number {
  if (group.eventSequence === undefined) {
    group.eventSequence = group.streams.reduce((max, s) => s.events.reduce((m, e) => Math.max(m, Number(e.eventId.slice(-ID_DIGITS.sequence)) || 0), max), 0);
  }
  group.eventSequence += 1;
  return group.eventSequence;
}

/** First index in `events` (sorted by id) whose id is greater than `id` (or ≥ with `inclusive`). */
export function indexAfter(events: readonly LogEventRecord[], id: string, inclusive = false): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const eventId = events[mid]!.eventId;
    if (eventId < id || (!inclusive && eventId === id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Stores events (already checked) in a stream, each stamped with the ingestion time and the
 * next id of its group; keeps the stream in id order whatever order they come in, and at most
 * MAX_EVENTS_PER_STREAM events (the oldest, first in id order, are dropped: a sandbox limit).
 */
export function ingest(world: World, group: LogGroupRecord, stream: LogStreamRecord, events: readonly { timestamp: number; message: string }[]): LogEventRecord[] {
  const ingestionTime = world.now();
  const stored = events.map((event) => {
    const record: LogEventRecord = {
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime,
      eventId: pad(event.timestamp, ID_DIGITS.timestamp) + pad(ingestionTime, ID_DIGITS.ingestion) + pad(nextSequence(group), ID_DIGITS.sequence),
    };
    const last = stream.events.at(-1);
    if (!last || last.eventId < record.eventId) stream.events.push(record);
    else stream.events.splice(indexAfter(stream.events, record.eventId), 0, record);
    return record;
  });
  const excess = stream.events.length - MAX_EVENTS_PER_STREAM;
  if (excess > 0) stream.events.splice(0, excess);
  return stored;
}

/** The oldest timestamp a group still keeps (its retention, on the sandbox clock); 0 without retention. */
export function retentionCutoff(world: World, group: LogGroupRecord): number {
  return group.retentionInDays === undefined ? 0 : world.now() - group.retentionInDays * DAY_MS;
}

/** A stream's events that have not expired under the group's retention, in id order. */
export function liveEvents(world: World, group: LogGroupRecord, stream: LogStreamRecord): readonly LogEventRecord[] {
  const cutoff = retentionCutoff(world, group);
  if (cutoff <= 0 || stream.events.length === 0 || stream.events[0]!.timestamp >= cutoff) return stream.events;
  // Ids start with the zero-padded timestamp: the first live event is the first id ≥ the cutoff's.
  return stream.events.slice(indexAfter(stream.events, pad(cutoff, ID_DIGITS.timestamp), true));
}

/** UTF-8 bytes of the group's live messages (AWS counts stored, compressed bytes; the sandbox the raw ones). */
export function storedBytes(world: World, group: LogGroupRecord): number {
  let total = 0;
  for (const stream of group.streams) for (const event of liveEvents(world, group, stream)) total += Buffer.byteLength(event.message, 'utf8');
  return total;
}

/** The deprecated upload sequence token of a stream: a 56-digit count of its events (absent before the first). */
export function uploadSequenceToken(stream: LogStreamRecord): string | undefined {
  return stream.events.length ? pad(stream.events.length, 56) : undefined;
}

// ---- the writers' API ------------------------------------------------------------------

export interface AppendLogEvents {
  region: string;
  /** The log group, e.g. `/aws/lambda/us-east-1.my-function` (created when missing). */
  group: string;
  /** The log stream, e.g. `2025/01/31/[1]0123abcd…` (created when missing). */
  stream: string;
  /** Milliseconds since the epoch, and the text; any order. */
  events: readonly { timestamp: number; message: string }[];
}

function checkName(kind: string, name: string, rule: typeof LOG_GROUP_NAME): void {
  if (name.length < (rule.min ?? 0) || name.length > (rule.max ?? Infinity) || (rule.pattern && !rule.pattern.re.test(name))) {
    throw new TypeError(`appendLogEvents: invalid log ${kind} name ${JSON.stringify(name)} (1–512 characters matching ${rule.pattern?.text})`);
  }
}

/**
 * Writes events as a service's own logging does (Lambda writing a function's output): the log
 * group and the stream are created when missing, with no retention; events are ingested now
 * (sandbox clock) without PutLogEvents' batch rules. Empty messages are dropped (an event's
 * message is at least one character). Throws a TypeError for a name CloudWatch Logs would
 * refuse or a timestamp that is not a millisecond count.
 *
 * Sandbox limit: the stream keeps only its newest MAX_EVENTS_PER_STREAM (10,000) events; older
 * ones are dropped (AWS would keep them for the group's retention).
 */
export function appendLogEvents(world: World, write: AppendLogEvents): void {
  checkName('group', write.group, LOG_GROUP_NAME);
  checkName('stream', write.stream, LOG_STREAM_NAME);
  for (const event of write.events) {
    if (!Number.isSafeInteger(event.timestamp) || event.timestamp < 0 || event.timestamp > MAX_TIMESTAMP) throw new TypeError(`appendLogEvents: invalid timestamp ${event.timestamp}`);
  }
  const group = findLogGroup(world, write.region, write.group) ?? newLogGroup(world, write.region, write.group);
  const stream = findLogStream(group, write.stream) ?? newLogStream(world, group, write.stream);
  ingest(world, group, stream, write.events.filter((e) => e.message.length > 0));
}
