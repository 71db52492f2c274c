/**
 * CloudWatch Logs through the real SDK (and the AWS CLI when installed): groups and streams the
 * local edge writes (appendLogEvents), regions, pagination (by hand and with the SDK's
 * paginators), FilterLogEvents' time range, stream filters and filter patterns, GetLogEvents'
 * forward/backward tokens, PutLogEvents' batch rules, and AWS's errors.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  GetLogEventsCommand,
  InvalidParameterException,
  paginateDescribeLogGroups,
  paginateDescribeLogStreams,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendLogEvents, MAX_EVENTS_PER_STREAM } from '../../src/sandbox/logs/groups.js';
import { expectAwsError } from '../helpers/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const GROUP = '/aws/lambda/us-east-1.fpjs-proxy';
const ACCOUNT = '123456789012';

let sb: TestSandbox;
let ireland: CloudWatchLogsClient;
let virginia: CloudWatchLogsClient;
beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty' });
  ireland = new CloudWatchLogsClient(sb.clientConfig('eu-west-1'));
  virginia = new CloudWatchLogsClient(sb.clientConfig('us-east-1'));
});
afterAll(async () => {
  ireland.destroy();
  virginia.destroy();
  await sb.close();
});
beforeEach(() => sb.admin('POST', 'reset'));

/** Sandbox time now (the events' clock). */
const now = (): number => sb.world.now();

function write(region: string, group: string, stream: string, events: { timestamp: number; message: string }[]): void {
  appendLogEvents(sb.world, { region, group, stream, events });
}

async function allFiltered(input: FilterLogEventsCommandInput, client = ireland) {
  const events = [];
  for await (const page of paginateFilterLogEvents({ client }, input)) events.push(...(page.events ?? []));
  return events;
}

describe('log groups and streams written by the edge', () => {
  it('appendLogEvents creates the group and stream; both are visible in their region only', async () => {
    const t = now();
    write('eu-west-1', GROUP, '2025/01/31/[1]abc', [
      { timestamp: t - 2000, message: 'START RequestId: 1' },
      { timestamp: t - 1000, message: 'héllo' },
    ]);
    write('eu-west-1', GROUP, '2025/01/31/[1]abc', [{ timestamp: t, message: 'END RequestId: 1' }]);

    const { logGroups } = await ireland.send(new DescribeLogGroupsCommand({}));
    expect(logGroups).toEqual([
      {
        logGroupName: GROUP,
        creationTime: expect.any(Number),
        metricFilterCount: 0,
        arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${GROUP}:*`,
        logGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${GROUP}`,
        storedBytes: Buffer.byteLength('START RequestId: 1héllo' + 'END RequestId: 1'),
        logGroupClass: 'STANDARD',
      },
    ]);
    const { logStreams } = await ireland.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    expect(logStreams).toEqual([
      {
        logStreamName: '2025/01/31/[1]abc',
        creationTime: expect.any(Number),
        firstEventTimestamp: t - 2000,
        lastEventTimestamp: t,
        lastIngestionTime: expect.any(Number),
        uploadSequenceToken: expect.stringMatching(/^\d{56}$/),
        arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${GROUP}:log-stream:2025/01/31/[1]abc`,
        storedBytes: 0,
      },
    ]);

    expect((await virginia.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    await expectAwsError(virginia.send(new DescribeLogStreamsCommand({ logGroupName: GROUP })), ResourceNotFoundException, 400, /^The specified log group does not exist\.$/);
  });

  it('reads a group by logGroupIdentifier, a name or an ARN (the logGroupArn, without :*), of this region only', async () => {
    write('eu-west-1', GROUP, 's', [{ timestamp: now(), message: 'x' }]);
    const arn = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${GROUP}`;
    for (const logGroupIdentifier of [GROUP, arn]) {
      const { logStreams } = await ireland.send(new DescribeLogStreamsCommand({ logGroupIdentifier }));
      expect(logStreams!.map((s) => s.logStreamName)).toEqual(['s']);
    }
    // The model's LogGroupIdentifier pattern [\w#+=/:,.@-]* has no '*'.
    await expectAwsError(ireland.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `${arn}:*` })), InvalidParameterException, 400, /at 'logGroupIdentifier' failed to satisfy constraint/);
    await expectAwsError(virginia.send(new DescribeLogStreamsCommand({ logGroupIdentifier: arn })), ResourceNotFoundException, 400);
    await expectAwsError(ireland.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logGroupIdentifier: arn })), InvalidParameterException, 400);
  });

  it('DescribeLogGroups: ASCII order, prefix, pattern (only arn, creationTime, logGroupName), pages with every group once', async () => {
    const names = ['/aws/lambda/b', '/aws/lambda/a', '/aws/lambda/C', 'app/web', 'app/api', 'other', '/aws/lambda/a2'];
    for (const logGroupName of names) await ireland.send(new CreateLogGroupCommand({ logGroupName }));
    const sorted = [...names].sort();

    const seen: string[] = [];
    const tokens: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ireland.send(new DescribeLogGroupsCommand({ limit: 2, nextToken }));
      expect(page.logGroups!.length).toBeLessThanOrEqual(2);
      seen.push(...page.logGroups!.map((g) => g.logGroupName!));
      nextToken = page.nextToken;
      if (nextToken) tokens.push(nextToken);
    } while (nextToken);
    expect(seen).toEqual(sorted);
    // Tokens are stable: the same page gives the same token.
    expect((await ireland.send(new DescribeLogGroupsCommand({ limit: 2 }))).nextToken).toBe(tokens[0]);

    const paged: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: ireland, pageSize: 3 }, {})) paged.push(...page.logGroups!.map((g) => g.logGroupName!));
    expect(paged).toEqual(sorted);

    const prefixed = await ireland.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/a' }));
    expect(prefixed.logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/lambda/a', '/aws/lambda/a2']);
    const pattern = await ireland.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'app' }));
    expect(pattern.logGroups).toEqual([
      { logGroupName: 'app/api', creationTime: expect.any(Number), arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/api:*` },
      { logGroupName: 'app/web', creationTime: expect.any(Number), arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/web:*` },
    ]);
    await expectAwsError(ireland.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'a' })), InvalidParameterException, 400);
    await expectAwsError(ireland.send(new DescribeLogGroupsCommand({ limit: 51 })), InvalidParameterException, 400, /Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50/);
    await expectAwsError(ireland.send(new DescribeLogGroupsCommand({ nextToken: 'not-a-token' })), InvalidParameterException, 400);

    await ireland.send(new DeleteLogGroupCommand({ logGroupName: 'other' }));
    expect((await ireland.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'o' }))).logGroups).toEqual([]);
  });

  it('DescribeLogStreams: by name or by last event time, descending, paged', async () => {
    const t = now();
    write('eu-west-1', GROUP, 'b', [{ timestamp: t - 3000, message: 'b' }]);
    write('eu-west-1', GROUP, 'a', [{ timestamp: t - 1000, message: 'a' }]);
    write('eu-west-1', GROUP, 'c', [{ timestamp: t - 2000, message: 'c' }]);
    const names = async (input: object) => {
      const out: string[] = [];
      for await (const page of paginateDescribeLogStreams({ client: ireland, pageSize: 1 }, { logGroupName: GROUP, ...input })) out.push(...page.logStreams!.map((s) => s.logStreamName!));
      return out;
    };
    expect(await names({})).toEqual(['a', 'b', 'c']);
    expect(await names({ descending: true })).toEqual(['c', 'b', 'a']);
    expect(await names({ orderBy: 'LastEventTime' })).toEqual(['b', 'c', 'a']);
    expect(await names({ orderBy: 'LastEventTime', descending: true })).toEqual(['a', 'c', 'b']);
    expect(await names({ logStreamNamePrefix: 'b' })).toEqual(['b']);
    await expectAwsError(
      ireland.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })),
      InvalidParameterException,
      400,
      /^Cannot order by LastEventTime with a logStreamNamePrefix\.$/,
    );
  });
});

describe('FilterLogEvents', () => {
  let t: number;
  beforeEach(() => {
    t = now() - 60_000;
    write('eu-west-1', GROUP, 'web-1', [
      { timestamp: t + 0, message: '[ERROR] A fatal exception has occurred' },
      { timestamp: t + 10, message: 'Exiting with ERRORCODE: -1' },
      { timestamp: t + 20, message: 'WARN disk almost full' },
      { timestamp: t + 30, message: '{"level":"error","latency":812,"path":"/api/v1","user":{"id":7}}' },
    ]);
    write('eu-west-1', GROUP, 'web-2', [
      { timestamp: t + 5, message: 'ERROR WARN message' },
      { timestamp: t + 15, message: 'INTERNAL SERVER ERROR while proxying' },
      { timestamp: t + 25, message: '{"level":"info","latency":12,"path":"/"}' },
    ]);
    write('eu-west-1', GROUP, 'api-1', [{ timestamp: t + 12, message: 'ERROR from api' }]);
  });

  const messages = async (input: Omit<FilterLogEventsCommandInput, 'logGroupName'>) =>
    (await allFiltered({ logGroupName: GROUP, ...input })).map((e) => e.message);

  it('returns events of every stream in timestamp order, with their stream and id', async () => {
    const { events, searchedLogStreams, nextToken } = await ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    expect(events!.map((e) => [e.logStreamName, e.timestamp! - t])).toEqual([
      ['web-1', 0],
      ['web-2', 5],
      ['web-1', 10],
      ['api-1', 12],
      ['web-2', 15],
      ['web-1', 20],
      ['web-2', 25],
      ['web-1', 30],
    ]);
    expect(events![0]).toEqual({ logStreamName: 'web-1', timestamp: t, message: '[ERROR] A fatal exception has occurred', ingestionTime: expect.any(Number), eventId: expect.stringMatching(/^\d{56}$/) });
    expect(new Set(events!.map((e) => e.eventId)).size).toBe(8);
    expect(searchedLogStreams).toEqual([]);
    expect(nextToken).toBeUndefined();
  });

  it('startTime and endTime are both inclusive', async () => {
    const times = async (startTime?: number, endTime?: number) => (await allFiltered({ logGroupName: GROUP, startTime, endTime })).map((e) => e.timestamp! - t);
    expect(await times(t + 10, t + 20)).toEqual([10, 12, 15, 20]);
    expect(await times(t + 11, t + 19)).toEqual([12, 15]);
    expect(await times(t + 30)).toEqual([30]);
    expect(await times(undefined, t)).toEqual([0]);
  });

  it('logStreamNames or logStreamNamePrefix, not both', async () => {
    expect((await allFiltered({ logGroupName: GROUP, logStreamNames: ['api-1', 'web-2'] })).map((e) => e.logStreamName)).toEqual(['web-2', 'api-1', 'web-2', 'web-2']);
    expect(new Set((await allFiltered({ logGroupName: GROUP, logStreamNamePrefix: 'web' })).map((e) => e.logStreamName))).toEqual(new Set(['web-1', 'web-2']));
    await expectAwsError(
      ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['web-1'], logStreamNamePrefix: 'web' })),
      InvalidParameterException,
      400,
    );
  });

  it('filter patterns: terms (all, case sensitive, substring), exact phrases, ?OR, -exclusion', async () => {
    expect(await messages({ filterPattern: 'ERROR' })).toEqual([
      '[ERROR] A fatal exception has occurred',
      'ERROR WARN message',
      'Exiting with ERRORCODE: -1',
      'ERROR from api',
      'INTERNAL SERVER ERROR while proxying',
    ]);
    expect(await messages({ filterPattern: 'Fatal' })).toEqual([]);
    expect(await messages({ filterPattern: 'ERROR WARN' })).toEqual(['ERROR WARN message']);
    expect(await messages({ filterPattern: '"INTERNAL SERVER ERROR"' })).toEqual(['INTERNAL SERVER ERROR while proxying']);
    expect(await messages({ filterPattern: '"SERVER INTERNAL"' })).toEqual([]);
    expect(await messages({ filterPattern: '?fatal ?disk' })).toEqual(['[ERROR] A fatal exception has occurred', 'WARN disk almost full']);
    expect(await messages({ filterPattern: 'ERROR -WARN -"Exiting"' })).toEqual(['[ERROR] A fatal exception has occurred', 'ERROR from api', 'INTERNAL SERVER ERROR while proxying']);
    expect(await messages({ filterPattern: '" "' })).toHaveLength(8);
    await expectAwsError(ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'ERRORCODE:' })), InvalidParameterException, 400, /^Invalid character\(s\) in term 'ERRORCODE:'$/);
  });

  it('filter patterns: JSON and space-delimited', async () => {
    expect(await messages({ filterPattern: '{ $.level = "error" }' })).toHaveLength(1);
    expect(await messages({ filterPattern: '{ $.latency > 100 }' })).toEqual(['{"level":"error","latency":812,"path":"/api/v1","user":{"id":7}}']);
    expect(await messages({ filterPattern: '{ $.path = "/api*" || $.user.id = 8 }' })).toHaveLength(1);
    expect(await messages({ filterPattern: '{ ($.latency < 100) && $.user NOT EXISTS }' })).toEqual(['{"level":"info","latency":12,"path":"/"}']);
    expect(await messages({ filterPattern: '[level, ..., word = full]' })).toEqual(['WARN disk almost full']);
    expect(await messages({ filterPattern: '%ERROR[A-Z]+%' })).toEqual(['Exiting with ERRORCODE: -1']);
    await expectAwsError(ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.level = "error"' })), InvalidParameterException, 400, /must end with '}'/);
  });

  it('pages with small limits, by hand and with paginateFilterLogEvents, yield every event once', async () => {
    const all = (await ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).events!.map((e) => e.eventId);
    const byHand: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3, nextToken }));
      expect(page.events!.length).toBeLessThanOrEqual(3);
      byHand.push(...page.events!.map((e) => e.eventId!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(byHand).toEqual(all);
    const paged: string[] = [];
    for await (const page of paginateFilterLogEvents({ client: ireland, pageSize: 2 }, { logGroupName: GROUP })) paged.push(...page.events!.map((e) => e.eventId!));
    expect(paged).toEqual(all);
    // A token survives events written meanwhile: later events come after it, earlier ones are not repeated.
    const first = await ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 4 }));
    write('eu-west-1', GROUP, 'web-3', [{ timestamp: t + 40, message: 'late' }]);
    const rest = await ireland.send(new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: first.nextToken }));
    expect([...first.events!, ...rest.events!].map((e) => e.message)).toHaveLength(9);
    expect(rest.events!.at(-1)!.message).toBe('late');
  });
});

describe('the sandbox\'s per-stream limit', () => {
  it(`a stream keeps its newest ${MAX_EVENTS_PER_STREAM} events: the oldest are dropped`, async () => {
    expect(MAX_EVENTS_PER_STREAM).toBe(10_000);
    const t = now() - 3_600_000;
    const total = MAX_EVENTS_PER_STREAM + 5;
    const events = Array.from({ length: total }, (_, i) => ({ timestamp: t + i, message: `event ${i}` }));
    // In several writes, as the edge appends an invocation's lines at a time.
    write('eu-west-1', GROUP, 'busy', events.slice(0, 6000));
    write('eu-west-1', GROUP, 'busy', events.slice(6000, total - 1));
    write('eu-west-1', GROUP, 'busy', [events[total - 1]!]);
    write('eu-west-1', GROUP, 'quiet', [{ timestamp: t, message: 'other stream' }]);

    const seen = await allFiltered({ logGroupName: GROUP, logStreamNames: ['busy'] });
    expect(seen).toHaveLength(MAX_EVENTS_PER_STREAM);
    expect(seen[0]!.message).toBe('event 5');
    expect(seen.at(-1)!.message).toBe(`event ${total - 1}`);
    expect(seen.map((e) => e.timestamp! - t)).toEqual(Array.from({ length: MAX_EVENTS_PER_STREAM }, (_, i) => i + 5));
    // Other streams are untouched; an event older than the newest 10,000 is not kept.
    expect((await allFiltered({ logGroupName: GROUP, logStreamNames: ['quiet'] })).map((e) => e.message)).toEqual(['other stream']);
    write('eu-west-1', GROUP, 'busy', [{ timestamp: t, message: 'late and old' }]);
    const after = await allFiltered({ logGroupName: GROUP, logStreamNames: ['busy'] });
    expect(after).toHaveLength(MAX_EVENTS_PER_STREAM);
    expect(after.some((e) => e.message === 'late and old')).toBe(false);
  });
});

describe('GetLogEvents', () => {
  let t: number;
  beforeEach(() => {
    t = now() - 60_000;
    write('eu-west-1', GROUP, 's', Array.from({ length: 7 }, (_, i) => ({ timestamp: t + i * 10, message: `event ${i}` })));
  });
  const get = (input: object) => ireland.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 's', ...input }));
  const texts = (events: { message?: string }[] | undefined): string[] => events!.map((e) => e.message!);

  it('without a token: the latest events, or the earliest with startFromHead', async () => {
    expect(texts((await get({ limit: 2 })).events)).toEqual(['event 5', 'event 6']);
    expect(texts((await get({ limit: 2, startFromHead: true })).events)).toEqual(['event 0', 'event 1']);
    const all = await get({});
    expect(all.events![0]).toEqual({ timestamp: t, message: 'event 0', ingestionTime: expect.any(Number) });
    expect(all.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(all.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
  });

  it('forward tokens walk to the end, where the token passed comes back', async () => {
    const seen: string[] = [];
    let page = await get({ limit: 3, startFromHead: true });
    seen.push(...texts(page.events));
    for (;;) {
      const token = page.nextForwardToken!;
      page = await get({ limit: 3, startFromHead: true, nextToken: token });
      seen.push(...texts(page.events));
      if (page.nextForwardToken === token) break;
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `event ${i}`));
    expect(page.events).toEqual([]);
    // New events are read from the last forward token on.
    write('eu-west-1', GROUP, 's', [{ timestamp: t + 100, message: 'event 7' }]);
    expect(texts((await get({ startFromHead: true, nextToken: page.nextForwardToken })).events)).toEqual(['event 7']);
    // The SDK's paginator, told to stop on the same token.
    const paged: string[] = [];
    for await (const p of paginateGetLogEvents({ client: ireland, pageSize: 2, stopOnSameToken: true }, { logGroupName: GROUP, logStreamName: 's', startFromHead: true })) paged.push(...texts(p.events));
    expect(paged).toHaveLength(8);
  });

  it('backward tokens walk to the start', async () => {
    const seen: string[] = [];
    let page = await get({ limit: 3 });
    seen.unshift(...texts(page.events));
    for (;;) {
      const token = page.nextBackwardToken!;
      page = await get({ limit: 3, nextToken: token });
      if (page.nextBackwardToken === token) break;
      seen.unshift(...texts(page.events));
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `event ${i}`));
    // From the start, forward again.
    expect(texts((await get({ limit: 2, startFromHead: true, nextToken: page.nextForwardToken })).events)).toEqual(['event 0', 'event 1']);
  });

  it('startTime is inclusive, endTime exclusive', async () => {
    expect(texts((await get({ startTime: t + 10, endTime: t + 40 })).events)).toEqual(['event 1', 'event 2', 'event 3']);
  });

  it('unknown stream or group, bad token', async () => {
    await expectAwsError(ireland.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'nope' })), ResourceNotFoundException, 400, /^The specified log stream does not exist\.$/);
    await expectAwsError(ireland.send(new GetLogEventsCommand({ logGroupName: '/nope', logStreamName: 's' })), ResourceNotFoundException, 400, /^The specified log group does not exist\.$/);
    await expectAwsError(get({ nextToken: 'x/1/s' }), InvalidParameterException, 400);
  });
});

describe('PutLogEvents', () => {
  beforeEach(async () => {
    await ireland.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
    await ireland.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'main' }));
  });

  it('round trip: what PutLogEvents stores, FilterLogEvents finds', async () => {
    const t = now();
    const put = await ireland.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'main', logEvents: [
      { timestamp: t - 2, message: 'hello world' },
      { timestamp: t - 1, message: 'goodbye world' },
    ] }));
    expect(put.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    const found = await ireland.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: 'goodbye' }));
    expect(found.events).toEqual([{ logStreamName: 'main', timestamp: t - 1, message: 'goodbye world', ingestionTime: expect.any(Number), eventId: expect.any(String) }]);
  });

  it('events must be in chronological order; a batch may not span more than 24 hours', async () => {
    const t = now();
    await expectAwsError(
      ireland.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'main', logEvents: [{ timestamp: t, message: 'b' }, { timestamp: t - 1, message: 'a' }] })),
      InvalidParameterException,
      400,
      /^Log events in a single PutLogEvents request must be in chronological order\.$/,
    );
    await expectAwsError(
      ireland.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'main', logEvents: [{ timestamp: t - 25 * HOUR, message: 'a' }, { timestamp: t, message: 'b' }] })),
      InvalidParameterException,
      400,
    );
  });

  it('too old, expired and too new events are rejected, the rest stored', async () => {
    await ireland.send(new PutRetentionPolicyCommand({ logGroupName: 'app', retentionInDays: 1 }));
    const t = now();
    const put = await ireland.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'main', logEvents: [
      { timestamp: t - 15 * DAY, message: 'too old' },
      { timestamp: t - 2 * DAY, message: 'expired' },
      { timestamp: t - 1000, message: 'kept' },
      { timestamp: t + 3 * HOUR, message: 'too new' },
    ] }));
    expect(put.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 2, tooNewLogEventStartIndex: 3 });
    expect((await allFiltered({ logGroupName: 'app' })).map((e) => e.message)).toEqual(['kept']);
  });

  it('events older than the retention are no longer read', async () => {
    const t = now();
    write('eu-west-1', 'app', 'main', [{ timestamp: t - 3 * DAY, message: 'old' }, { timestamp: t, message: 'new' }]);
    expect((await allFiltered({ logGroupName: 'app' })).map((e) => e.message)).toEqual(['old', 'new']);
    await ireland.send(new PutRetentionPolicyCommand({ logGroupName: 'app', retentionInDays: 1 }));
    expect((await allFiltered({ logGroupName: 'app' })).map((e) => e.message)).toEqual(['new']);
    expect((await ireland.send(new DescribeLogGroupsCommand({}))).logGroups![0]!.retentionInDays).toBe(1);
  });

  it('the batch size limits, with AWS messages', async () => {
    const t = now();
    const big = 'x'.repeat(600_000);
    await expectAwsError(
      ireland.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'main', logEvents: [{ timestamp: t, message: big }, { timestamp: t, message: big }] })),
      InvalidParameterException,
      400,
      /^Upload too large: 1200052 bytes exceeds limit of 1048576$/,
    );
  });
});

describe('errors', () => {
  it('existing and missing groups and streams', async () => {
    await ireland.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
    await expectAwsError(ireland.send(new CreateLogGroupCommand({ logGroupName: 'app' })), ResourceAlreadyExistsException, 400, /^The specified log group already exists$/);
    // Another region is another namespace.
    await virginia.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
    await ireland.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 's' }));
    await expectAwsError(ireland.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 's' })), ResourceAlreadyExistsException, 400);
    await expectAwsError(ireland.send(new CreateLogStreamCommand({ logGroupName: 'missing', logStreamName: 's' })), ResourceNotFoundException, 400);
    await expectAwsError(ireland.send(new FilterLogEventsCommand({ logGroupName: 'missing' })), ResourceNotFoundException, 400, /^The specified log group does not exist\.$/);
    await expectAwsError(ireland.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'nope', logEvents: [{ timestamp: now(), message: 'x' }] })), ResourceNotFoundException, 400, /^The specified log stream does not exist\.$/);
    await expectAwsError(ireland.send(new DeleteLogGroupCommand({ logGroupName: 'missing' })), ResourceNotFoundException, 400);
  });

  it('invalid names and values, in the Coral wording', async () => {
    await expectAwsError(
      ireland.send(new CreateLogGroupCommand({ logGroupName: 'bad:name' })),
      InvalidParameterException,
      400,
      /^1 validation error detected: Value 'bad:name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\\.\\-_\/#A-Za-z0-9\]\+$/,
    );
    await expectAwsError(ireland.send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(513) })), InvalidParameterException, 400, /Member must have length less than or equal to 512/);
    await ireland.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
    await expectAwsError(
      ireland.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'a:b*' })),
      InvalidParameterException,
      400,
      /^1 validation error detected: Value 'a:b\*' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\^:\*\]\*$/,
    );
    await expectAwsError(ireland.send(new PutRetentionPolicyCommand({ logGroupName: 'app', retentionInDays: 2 })), InvalidParameterException, 400, /Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30/);
    await expectAwsError(ireland.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 's', logEvents: [] })), InvalidParameterException, 400, /at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  });

  it('an unsigned request is recognised by its X-Amz-Target; FilterLogEvents is a read', async () => {
    write('us-east-1', 'g', 's', [{ timestamp: now(), message: 'm' }]);
    const response = await fetch(sb.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.FilterLogEvents' },
      body: JSON.stringify({ logGroupName: 'g' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { events: unknown[] }).events).toHaveLength(1);
    const missing = await fetch(sb.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DescribeLogStreams' },
      body: JSON.stringify({ logGroupName: 'missing' }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    expect((await sb.calls()).map((c) => [c.service, c.operation, c.mutating])).toEqual([
      ['logs', 'FilterLogEvents', false],
      ['logs', 'DescribeLogStreams', false],
    ]);
  });
});

// ---- the AWS CLI (skipped where it is not installed) ----------------------------------------

const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const run = promisify(execFile);

describe.skipIf(!hasAwsCli)('the AWS CLI', () => {
  // Asynchronous: the sandbox answers from this very process.
  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', ['--endpoint-url', sb.endpoint, '--output', 'json', ...args], {
      env: {
        // The caller's environment without its AWS settings (a profile or token would get in the way).
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
        AWS_ACCESS_KEY_ID: 'sandbox',
        AWS_SECRET_ACCESS_KEY: 'sandbox',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  it('describe-log-groups, describe-log-streams, filter-log-events, get-log-events', async () => {
    const t = now();
    write('eu-west-1', GROUP, 'cli', [
      { timestamp: t - 3, message: 'START RequestId: 1' },
      { timestamp: t - 2, message: 'ERROR boom' },
      { timestamp: t - 1, message: 'END RequestId: 1' },
    ]);
    write('us-east-1', '/elsewhere', 'cli', [{ timestamp: t, message: 'not in eu-west-1' }]);
    const groups = await aws('logs', 'describe-log-groups');
    expect((groups.logGroups as { logGroupName: string }[]).map((g) => g.logGroupName)).toEqual([GROUP]);
    const streams = await aws('logs', 'describe-log-streams', '--log-group-name', GROUP);
    expect((streams.logStreams as { logStreamName: string }[]).map((s) => s.logStreamName)).toEqual(['cli']);
    const filtered = await aws('logs', 'filter-log-events', '--log-group-name', GROUP, '--filter-pattern', '?ERROR ?END');
    expect((filtered.events as { message: string }[]).map((e) => e.message)).toEqual(['ERROR boom', 'END RequestId: 1']);
    // The CLI pages on its own (--page-size is the limit of each call).
    const paged = await aws('logs', 'filter-log-events', '--log-group-name', GROUP, '--page-size', '1');
    expect(paged.events as unknown[]).toHaveLength(3);
    const got = await aws('logs', 'get-log-events', '--log-group-name', GROUP, '--log-stream-name', 'cli', '--start-from-head');
    expect((got.events as { message: string }[]).map((e) => e.message)).toEqual(['START RequestId: 1', 'ERROR boom', 'END RequestId: 1']);
    await expect(aws('logs', 'filter-log-events', '--log-group-name', '/missing')).rejects.toThrow(/ResourceNotFoundException.*The specified log group does not exist\./s);
  });
});
