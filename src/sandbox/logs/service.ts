/**
 * CloudWatch Logs over json 1.1: `POST /` with `X-Amz-Target: Logs_20140328.<Operation>` (the
 * service model's targetPrefix), so the AWS SDK's CloudWatchLogsClient and `aws logs …` work
 * against the sandbox. Storage and the writers' API are in groups.ts, filter patterns in
 * filter-pattern.ts, tokens in pagination.ts, parameter checks in input.ts.
 *
 * Sources: the CloudWatch Logs API Reference (operation pages) and the service model
 * (botocore / aws-sdk-js-v3 `logs` 2014-03-28: shapes, constraints, documentation).
 * - Errors are `{"__type": "<Code>", "message": "…"}` with a lower-case `message`, as AWS
 *   sends them (e.g. `{"__type":"ResourceNotFoundException","message":"The specified log
 *   group does not exist."}`); status 400 for client errors.
 * - Regions are separate: a log group lives in the region it was created in.
 * - Timestamps are epoch milliseconds (the model's `Timestamp` is a long).
 */
import { AwsError } from '../errors.js';
import { jsonTargetRouter, type JsonHandler } from '../protocols/json.js';
import type { Service, SandboxReply } from '../request.js';
import type { LogEventRecord, LogGroupRecord, LogStreamRecord, World } from '../world.js';
import { compileFilterPattern } from './filter-pattern.js';
import {
  DAY_MS,
  findLogGroup,
  findLogStream,
  groupNotFound,
  groupsIn,
  ingest,
  liveEvents,
  logGroupArn,
  logStreamArn,
  MAX_TIMESTAMP,
  newLogGroup,
  newLogStream,
  removeLogGroup,
  requireLogGroup,
  requireLogStream,
  storedBytes,
  uploadSequenceToken,
} from './groups.js';
import {
  EVENT_MESSAGE,
  FILTER_PATTERN,
  invalidParameter,
  KMS_KEY_ID,
  LOG_GROUP_CLASS,
  LOG_GROUP_IDENTIFIER,
  LOG_GROUP_NAME,
  LOG_GROUP_NAME_PATTERN,
  LOG_STREAM_NAME,
  NEXT_TOKEN,
  ORDER_BY,
  RequestReader,
  RETENTION_DAYS,
  type Input,
} from './input.js';
import { decodeToken, encodeToken, eventToken, invalidToken, pageOf, parseEventToken, shiftId, ZERO_ID } from './pagination.js';

/** DescribeLogGroups / DescribeLogStreams: `limit` 1–50, "the default is up to 50 items". */
const DESCRIBE_LIMIT = { min: 1, max: 50 };
/** GetLogEvents / FilterLogEvents: `limit` 1–10,000; a page holds up to 1 MB or 10,000 events. */
const EVENTS_LIMIT = { min: 1, max: 10_000 };
const PAGE_BYTES = 1_048_576;
/** PutLogEvents (API Reference): 1,048,576 bytes a batch, counting each message's UTF-8 bytes plus 26. */
const BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
/** "Each log event can be no larger than 1 MB." */
const EVENT_BYTES = 1_048_576;
/** "Events more than 2 hours in the future are rejected"; "older than 14 days … are rejected". */
const TOO_NEW_MS = 2 * 60 * 60 * 1000;
const TOO_OLD_MS = 14 * DAY_MS;
/** "the time span in a single batch cannot exceed 24 hours" (valid events). */
const BATCH_SPAN_MS = 24 * 60 * 60 * 1000;
const TIMESTAMP = { min: 0 };

const reader = (input: Input) => new RequestReader(input);

// ---- the log group a request names -------------------------------------------------------

/** `arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME`, with or without the trailing `:*`. */
const GROUP_ARN = /^arn:[a-z-]+:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/;

/**
 * The group named by `logGroupName` or `logGroupIdentifier` (a name or an ARN) — "You must
 * include one of these two parameters, but you can't include both" (GetLogEvents,
 * FilterLogEvents, DescribeLogStreams). An ARN of another region or account names no group
 * here. (AWS's exact message for both / neither is not documented; these say the rule.)
 */
function namedGroup(world: World, region: string, name: string | undefined, identifier: string | undefined): LogGroupRecord {
  if (name !== undefined && identifier !== undefined) throw invalidParameter('You must include either logGroupIdentifier or logGroupName, but not both.');
  if (name !== undefined) return requireLogGroup(world, region, name);
  if (identifier === undefined) throw invalidParameter('You must include either logGroupIdentifier or logGroupName.');
  const arn = GROUP_ARN.exec(identifier);
  if (arn) {
    const group = arn[1] === region && arn[2] === world.accountId ? findLogGroup(world, region, arn[3]!) : undefined;
    if (!group) throw groupNotFound();
    return group;
  }
  return requireLogGroup(world, region, identifier);
}

function readGroupReference(r: RequestReader): { name?: string; identifier?: string } {
  return { name: r.string('logGroupName', LOG_GROUP_NAME), identifier: r.string('logGroupIdentifier', LOG_GROUP_IDENTIFIER) };
}

// ---- shapes of replies ---------------------------------------------------------------------

function describeGroup(world: World, group: LogGroupRecord, brief: boolean): Record<string, unknown> {
  const arn = logGroupArn(world, group);
  if (brief) return { logGroupName: group.name, creationTime: group.created, arn: `${arn}:*` };
  return {
    logGroupName: group.name,
    creationTime: group.created,
    retentionInDays: group.retentionInDays,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: storedBytes(world, group),
    kmsKeyId: group.kmsKeyId,
    logGroupClass: group.logGroupClass ?? 'STANDARD',
    logGroupArn: arn,
  };
}

function streamFacts(world: World, group: LogGroupRecord, stream: LogStreamRecord) {
  const events = liveEvents(world, group, stream);
  return {
    first: events[0]?.timestamp,
    last: events.at(-1)?.timestamp,
    lastIngestion: events.length ? events.reduce((max, e) => Math.max(max, e.ingestionTime), 0) : undefined,
  };
}

function describeStream(world: World, group: LogGroupRecord, stream: LogStreamRecord): Record<string, unknown> {
  const facts = streamFacts(world, group, stream);
  return {
    logStreamName: stream.name,
    creationTime: stream.created,
    firstEventTimestamp: facts.first,
    lastEventTimestamp: facts.last,
    lastIngestionTime: facts.lastIngestion,
    uploadSequenceToken: uploadSequenceToken(stream),
    arn: logStreamArn(world, group, stream),
    // "As of June 17, 2019, this parameter is no longer supported for log streams, and is always reported as zero."
    storedBytes: 0,
  };
}

/** At most `limit` events and about 1 MB; `fromEnd` keeps the last ones (a backward page). */
function capPage<T extends { message: string }>(events: readonly T[], limit: number, fromEnd: boolean): T[] {
  const window = fromEnd ? events.slice(Math.max(0, events.length - limit)) : events.slice(0, limit);
  let bytes = 0;
  const ordered = fromEnd ? [...window].reverse() : window;
  let kept = 0;
  for (const event of ordered) {
    bytes += Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD;
    if (bytes > PAGE_BYTES && kept > 0) break;
    kept++;
  }
  return fromEnd ? window.slice(window.length - kept) : window.slice(0, kept);
}

// ---- operations ----------------------------------------------------------------------------

const handlers: Record<string, JsonHandler> = {
  CreateLogGroup: (input, req, world) => {
    const r = reader(input);
    const name = r.string('logGroupName', LOG_GROUP_NAME, true)!;
    const kmsKeyId = r.string('kmsKeyId', KMS_KEY_ID);
    const tags = r.tags('tags');
    const logGroupClass = r.string('logGroupClass', LOG_GROUP_CLASS);
    r.boolean('deletionProtectionEnabled');
    r.done();
    // CreateLogGroup: "Log group names can't start with the string aws/" (AWS's message is not documented).
    if (name.startsWith('aws/')) throw invalidParameter("Log group names can't start with the string aws/");
    if (findLogGroup(world, req.region, name)) throw new AwsError('ResourceAlreadyExistsException', 400, 'The specified log group already exists');
    newLogGroup(world, req.region, name, { kmsKeyId, tags, logGroupClass });
    return {};
  },

  DeleteLogGroup: (input, req, world) => {
    const r = reader(input);
    const name = r.string('logGroupName', LOG_GROUP_NAME, true)!;
    r.done();
    removeLogGroup(world, requireLogGroup(world, req.region, name));
    return {};
  },

  DescribeLogGroups: (input, req, world) => {
    const r = reader(input);
    const prefix = r.string('logGroupNamePrefix', LOG_GROUP_NAME);
    const pattern = r.string('logGroupNamePattern', LOG_GROUP_NAME_PATTERN);
    const nextToken = r.string('nextToken', NEXT_TOKEN);
    const limit = r.integer('limit', DESCRIBE_LIMIT) ?? DESCRIBE_LIMIT.max;
    const logGroupClass = r.string('logGroupClass', LOG_GROUP_CLASS);
    const identifiers = r.strings('logGroupIdentifiers', { min: 1, max: 50 }, LOG_GROUP_IDENTIFIER);
    r.boolean('includeLinkedAccounts');
    r.strings('accountIdentifiers', { min: 0, max: 20 }, {});
    r.done();
    // "logGroupNamePrefix and logGroupNamePattern are mutually exclusive"; with
    // logGroupIdentifiers "the only other filter that you can choose to specify is includeLinkedAccounts".
    if (prefix !== undefined && pattern !== undefined) throw invalidParameter('logGroupNamePrefix and logGroupNamePattern are mutually exclusive. Only one of these parameters can be passed.');
    if (identifiers && (prefix !== undefined || pattern !== undefined || logGroupClass !== undefined)) {
      throw invalidParameter('If you specify logGroupIdentifiers, the only other filter that you can choose to specify is includeLinkedAccounts.');
    }
    const wanted = identifiers?.map((id) => GROUP_ARN.exec(id) ?? id);
    const matches = (group: LogGroupRecord): boolean => {
      if (wanted) return wanted.some((w) => (typeof w === 'string' ? w === group.name : w[1] === group.region && w[2] === world.accountId && w[3] === group.name));
      if (prefix !== undefined && !group.name.startsWith(prefix)) return false;
      // "a case-sensitive substring search"
      if (pattern !== undefined && !group.name.includes(pattern)) return false;
      return logGroupClass === undefined || (group.logGroupClass ?? 'STANDARD') === logGroupClass;
    };
    // "The results are ASCII-sorted by log group name."
    const groups = groupsIn(world, req.region).filter(matches).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const { page, nextToken: next } = pageOf(groups, (g) => [g.name], 'log-groups', limit, nextToken);
    // "If you specify logGroupNamePattern in your request, then only arn, creationTime, and logGroupName are included in the response."
    return { logGroups: page.map((g) => describeGroup(world, g, pattern !== undefined)), nextToken: next };
  },

  PutRetentionPolicy: (input, req, world) => {
    const r = reader(input);
    const name = r.string('logGroupName', LOG_GROUP_NAME, true)!;
    const days = r.oneOf('retentionInDays', RETENTION_DAYS, true)!;
    r.done();
    requireLogGroup(world, req.region, name).retentionInDays = days;
    return {};
  },

  DeleteRetentionPolicy: (input, req, world) => {
    const r = reader(input);
    const name = r.string('logGroupName', LOG_GROUP_NAME, true)!;
    r.done();
    delete requireLogGroup(world, req.region, name).retentionInDays;
    return {};
  },

  CreateLogStream: (input, req, world) => {
    const r = reader(input);
    const groupName = r.string('logGroupName', LOG_GROUP_NAME, true)!;
    const name = r.string('logStreamName', LOG_STREAM_NAME, true)!;
    r.done();
    const group = requireLogGroup(world, req.region, groupName);
    if (findLogStream(group, name)) throw new AwsError('ResourceAlreadyExistsException', 400, 'The specified log stream already exists');
    newLogStream(world, group, name);
    return {};
  },

  DeleteLogStream: (input, req, world) => {
    const r = reader(input);
    const groupName = r.string('logGroupName', LOG_GROUP_NAME, true)!;
    const name = r.string('logStreamName', LOG_STREAM_NAME, true)!;
    r.done();
    const group = requireLogGroup(world, req.region, groupName);
    group.streams.splice(group.streams.indexOf(requireLogStream(group, name)), 1);
    return {};
  },

  DescribeLogStreams: (input, req, world) => {
    const r = reader(input);
    const ref = readGroupReference(r);
    const prefix = r.string('logStreamNamePrefix', LOG_STREAM_NAME);
    const orderBy = r.string('orderBy', ORDER_BY) ?? 'LogStreamName';
    const descending = r.boolean('descending') ?? false;
    const nextToken = r.string('nextToken', NEXT_TOKEN);
    const limit = r.integer('limit', DESCRIBE_LIMIT) ?? DESCRIBE_LIMIT.max;
    r.done();
    // "If orderBy is LastEventTime, you cannot specify this parameter." (AWS's message, as observed.)
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const group = namedGroup(world, req.region, ref.name, ref.identifier);
    const byTime = orderBy === 'LastEventTime';
    const key = (s: LogStreamRecord): (string | number)[] => (byTime ? [streamFacts(world, group, s).last ?? 0, s.name] : [s.name]);
    const streams = group.streams
      .filter((s) => prefix === undefined || s.name.startsWith(prefix))
      .map((s) => ({ stream: s, key: key(s) }))
      .sort((a, b) => {
        const order = byTime ? (a.key[0] as number) - (b.key[0] as number) || (a.stream.name < b.stream.name ? -1 : 1) : a.stream.name < b.stream.name ? -1 : a.stream.name > b.stream.name ? 1 : 0;
        return descending ? -order : order;
      });
    const { page, nextToken: next } = pageOf(streams, (s) => s.key, `log-streams:${orderBy}`, limit, nextToken, descending);
    return { logStreams: page.map((s) => describeStream(world, group, s.stream)), nextToken: next };
  },

  PutLogEvents: (input, req, world) => {
    const r = reader(input);
    const groupName = r.string('logGroupName', LOG_GROUP_NAME, true)!;
    const streamName = r.string('logStreamName', LOG_STREAM_NAME, true)!;
    const rawEvents = r.structures('logEvents', { min: 1, max: 10_000 }, true) ?? [];
    // The sequence token "is now ignored"; entity is accepted and ignored.
    r.string('sequenceToken', NEXT_TOKEN);
    const events = rawEvents.map((raw, index) => {
      const at = `logEvents.${index + 1}.member`;
      const timestamp = raw.timestamp;
      const message = raw.message;
      if (timestamp !== undefined && timestamp !== null && (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp))) throw new AwsError('SerializationException', 400, `Expected a long for member ${at}.timestamp.`);
      if (message !== undefined && message !== null && typeof message !== 'string') throw new AwsError('SerializationException', 400, `Expected a string for member ${at}.message.`);
      if (timestamp === undefined || timestamp === null) r.fail(null, `${at}.timestamp`, 'Member must not be null');
      else if (timestamp < 0) r.fail(timestamp, `${at}.timestamp`, 'Member must have value greater than or equal to 0');
      if (message === undefined || message === null) r.fail(null, `${at}.message`, 'Member must not be null');
      else r.checkString(message, `${at}.message`, EVENT_MESSAGE);
      return { timestamp: timestamp as number, message: message as string };
    });
    r.done();

    const group = requireLogGroup(world, req.region, groupName);
    const stream = requireLogStream(group, streamName);
    // Sizes: messages in UTF-8 plus 26 bytes each (AWS's messages, as observed).
    let batchBytes = 0;
    for (const event of events) {
      const size = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD;
      if (size > EVENT_BYTES) throw invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${EVENT_BYTES}`);
      batchBytes += size;
    }
    if (batchBytes > BATCH_BYTES) throw invalidParameter(`Upload too large: ${batchBytes} bytes exceeds limit of ${BATCH_BYTES}`);
    // "The log events in the batch must be in chronological order by their timestamp … Otherwise, the operation fails."
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.timestamp < events[i - 1]!.timestamp) throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
    // Rejected, while the rest are processed: too new (> 2 h ahead), too old (> 14 days), or
    // before the group's retention (expired). Being in order, the too old / expired ones are a
    // prefix and the too new ones a suffix: tooOldLogEventEndIndex and expiredLogEventEndIndex
    // are exclusive ends ("This field is exclusive"), tooNewLogEventStartIndex is inclusive.
    const now = world.now();
    const oldest = now - TOO_OLD_MS;
    const retained = group.retentionInDays === undefined ? -Infinity : now - group.retentionInDays * DAY_MS;
    const newest = now + TOO_NEW_MS;
    const tooOldEnd = events.findIndex((e) => e.timestamp >= oldest);
    const tooOld = tooOldEnd < 0 ? events.length : tooOldEnd;
    const expiredEnd = events.findIndex((e) => e.timestamp >= Math.max(oldest, retained));
    const expired = expiredEnd < 0 ? events.length : expiredEnd;
    const firstTooNew = events.findIndex((e) => e.timestamp > Math.min(newest, MAX_TIMESTAMP));
    const tooNew = firstTooNew < 0 ? events.length : Math.max(firstTooNew, expired);
    const valid = events.slice(expired, tooNew);
    if (valid.length > 1 && valid.at(-1)!.timestamp - valid[0]!.timestamp > BATCH_SPAN_MS) {
      throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    ingest(world, group, stream, valid);
    const rejected: Record<string, number> = {};
    if (tooNew < events.length) rejected.tooNewLogEventStartIndex = tooNew;
    if (tooOld > 0) rejected.tooOldLogEventEndIndex = tooOld;
    if (expired > tooOld) rejected.expiredLogEventEndIndex = expired;
    return { nextSequenceToken: uploadSequenceToken(stream), rejectedLogEventsInfo: Object.keys(rejected).length ? rejected : undefined };
  },

  GetLogEvents: (input, req, world) => {
    const r = reader(input);
    const ref = readGroupReference(r);
    const streamName = r.string('logStreamName', LOG_STREAM_NAME, true)!;
    const startTime = r.integer('startTime', TIMESTAMP);
    const endTime = r.integer('endTime', TIMESTAMP);
    const nextToken = r.string('nextToken', NEXT_TOKEN);
    const limit = r.integer('limit', EVENTS_LIMIT) ?? EVENTS_LIMIT.max;
    const startFromHead = r.boolean('startFromHead') ?? false;
    r.boolean('unmask');
    r.done();
    // A token reads in its own direction (f: the events after its id, b: those before), whatever
    // startFromHead says ("If you are using a previous nextForwardToken value as the nextToken in
    // this operation, you must specify true for startFromHead").
    const token = nextToken === undefined ? undefined : parseEventToken(nextToken);
    const group = namedGroup(world, req.region, ref.name, ref.identifier);
    const stream = requireLogStream(group, streamName);
    // startTime: "Events with a timestamp equal to this time or later than this time are included";
    // endTime: "Events with a timestamp equal to or later than this time are not included".
    const inRange = liveEvents(world, group, stream).filter((e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime));
    let page: LogEventRecord[];
    if (token?.direction === 'f') page = capPage(inRange.filter((e) => e.eventId > token.id), limit, false);
    else if (token?.direction === 'b') page = capPage(inRange.filter((e) => e.eventId < token.id), limit, true);
    else page = capPage(inRange, limit, !startFromHead);
    // Tokens are never null; at either end the token passed comes back ("As long as the
    // nextBackwardToken or nextForwardToken returned is NOT equal to the nextToken that you
    // passed into the API call, there might be more log events available").
    let forward: string;
    let backward: string;
    if (page.length) {
      forward = eventToken('f', page.at(-1)!.eventId);
      backward = eventToken('b', page[0]!.eventId);
    } else if (token?.direction === 'f') {
      forward = nextToken!;
      backward = eventToken('b', shiftId(token.id, 1));
    } else if (token?.direction === 'b') {
      backward = nextToken!;
      forward = eventToken('f', shiftId(token.id, -1));
    } else {
      forward = eventToken('f', ZERO_ID);
      backward = eventToken('b', ZERO_ID);
    }
    return {
      events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: forward,
      nextBackwardToken: backward,
    };
  },

  FilterLogEvents: (input, req, world) => {
    const r = reader(input);
    const ref = readGroupReference(r);
    const streamNames = r.strings('logStreamNames', { min: 1, max: 100 }, LOG_STREAM_NAME);
    const streamPrefix = r.string('logStreamNamePrefix', LOG_STREAM_NAME);
    const startTime = r.integer('startTime', TIMESTAMP);
    const endTime = r.integer('endTime', TIMESTAMP);
    const filterPattern = r.string('filterPattern', FILTER_PATTERN);
    const nextToken = r.string('nextToken', NEXT_TOKEN);
    const limit = r.integer('limit', EVENTS_LIMIT) ?? EVENTS_LIMIT.max;
    // interleaved: "As of June 17, 2019, this parameter is ignored and the value is assumed to be true."
    r.boolean('interleaved');
    r.boolean('unmask');
    r.done();
    // "If you specify a value for both logStreamNames and logStreamNamePrefix, the action
    // returns an InvalidParameterException error." (AWS's message text is not documented.)
    if (streamNames !== undefined && streamPrefix !== undefined) throw invalidParameter('logStreamNames and logStreamNamePrefix cannot both be specified.');
    const group = namedGroup(world, req.region, ref.name, ref.identifier);
    const matches = compileFilterPattern(filterPattern);
    const afterId = nextToken === undefined ? undefined : decodeToken(nextToken, 'filter-log-events')[0];
    if (nextToken !== undefined && (typeof afterId !== 'string' || !/^\d{56}$/.test(afterId))) throw invalidToken();
    const streams = group.streams.filter((s) => (streamNames === undefined || streamNames.includes(s.name)) && (streamPrefix === undefined || s.name.startsWith(streamPrefix)));
    const found: { stream: LogStreamRecord; event: LogEventRecord; message: string }[] = [];
    for (const stream of streams) {
      for (const event of liveEvents(world, group, stream)) {
        // startTime: "Events with a timestamp before this time are not returned"; endTime:
        // "Events with a timestamp later than this time are not returned" (both inclusive).
        if (startTime !== undefined && event.timestamp < startTime) continue;
        if (endTime !== undefined && event.timestamp > endTime) continue;
        if (afterId !== undefined && event.eventId <= afterId) continue;
        if (matches(event.message)) found.push({ stream, event, message: event.message });
      }
    }
    // "sorted by event timestamp, the timestamp when the event was ingested …, and the ID of the
    // PutLogEvents request": the event ids' order.
    found.sort((a, b) => (a.event.eventId < b.event.eventId ? -1 : 1));
    const page = capPage(found, limit, false);
    const more = page.length < found.length;
    return {
      events: page.map(({ stream, event }) => ({ logStreamName: stream.name, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId: event.eventId })),
      // "As of May 15, 2020, this parameter is no longer supported. This parameter returns an empty list."
      searchedLogStreams: [],
      nextToken: more ? encodeToken('filter-log-events', [page.at(-1)!.event.eventId]) : undefined,
    };
  },
};

/** json 1.1 errors as CloudWatch Logs sends them: `__type` and a lower-case `message`. */
function renderError(error: AwsError, requestId: string): SandboxReply {
  return {
    status: error.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

export const logs: Service = {
  name: 'logs',
  // A PutLogEvents batch is up to 1 MB of messages (refused with AWS's own error above it);
  // JSON escaping can make its body several times larger.
  maxBodyBytes: 16 << 20,
  resolve: jsonTargetRouter('Logs_20140328', handlers),
  renderError,
  throttleError: () => new AwsError('ThrottlingException', 400, 'Rate exceeded'),
};
