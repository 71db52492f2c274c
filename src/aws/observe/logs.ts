/**
 * Read-only: Lambda@Edge's logs where they are, in CloudWatch Logs of every Region its
 * functions ran in (src/plan/logs.ts says which groups and why). Per Region, one
 * DescribeLogGroups (by prefix, paginated) finds which of the integration's groups exist there;
 * then FilterLogEvents reads each group found (paginated to the end), with bounded concurrency
 * across Regions and groups. Throttling is the clients' business: the SDK's standard retry
 * (8 attempts, backoff; clients.ts) retries ThrottlingException, and one that outlasts it is an
 * error — never "no logs".
 *
 * A Region where the account has no access (AccessDenied) or that it has not enabled (an
 * opt-in Region answers with the credentials refused) is skipped and reported as such, never
 * confused with one that has no logs; a group that does not exist there is simply not read.
 */
import { DescribeLogGroupsCommand, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { settleWithLimit } from '../../concurrency.js';
import { groupPrefixes, sortEvents, type LogGroupSpec, type LogSource, type RawLogEvent } from '../../plan/logs.js';
import type { AwsClients } from '../clients.js';
import { classifyAwsError, isAwsError, isTransient } from '../errors.js';

/** Calls in flight at once: one round of 13 Regions in parallel, and no more than the SDK's sockets like. */
export const LOGS_CONCURRENCY = 16;

/** A log group that exists in a Region. */
export interface LogTarget {
  region: string;
  logGroup: string;
  source: LogSource;
}

/** A Region left out, and why (said once, at the end). */
export interface RegionSkip {
  region: string;
  /** access-denied: the credentials may not read there; not-enabled: an opt-in Region the account has not enabled. */
  reason: 'access-denied' | 'not-enabled';
  /** AWS's error, for the summary and for when every Region was skipped. */
  error: Error;
}

export interface FoundLogGroups {
  targets: LogTarget[];
  skipped: RegionSkip[];
}

/** Skipped (a Region's matter) rather than failed (the whole command's): see the module comment. */
function skipReason(error: unknown): RegionSkip['reason'] | undefined {
  const kind = classifyAwsError(error);
  if (kind === 'access-denied') return 'access-denied';
  // An opt-in Region the account has not enabled refuses every request as if the credentials
  // were unknown (UnrecognizedClientException / InvalidClientTokenId). When every Region
  // refuses them, it is the credentials: the caller reports the error itself.
  if (kind === 'credentials-rejected') return 'not-enabled';
  return undefined;
}

const isAbort = (error: unknown, signal: AbortSignal | undefined): boolean => !!signal?.aborted || (error instanceof Error && error.name === 'AbortError');

/** The first error that is not a skip, in order: the command's failure. */
function firstFailure(results: PromiseSettledResult<unknown>[], signal?: AbortSignal): unknown {
  for (const result of results) {
    if (result.status === 'rejected' && !skipReason(result.reason) && !isAbort(result.reason, signal)) return result.reason;
  }
  return undefined;
}

/**
 * Which of `groups` exist in each of `regions`: one DescribeLogGroups per name prefix and
 * Region (src/plan/logs.ts groupPrefixes), all pages.
 */
export async function findLogGroups(clients: AwsClients, regions: readonly string[], groups: readonly LogGroupSpec[], options: { signal?: AbortSignal; concurrency?: number } = {}): Promise<FoundLogGroups> {
  const wanted = new Map(groups.map((g) => [g.name, g.source]));
  const prefixes = groupPrefixes(groups.map((g) => g.name));
  const results = await settleWithLimit([...regions], options.concurrency ?? LOGS_CONCURRENCY, async (region) => {
    const client = await clients.logs(region);
    const found: LogTarget[] = [];
    for (const prefix of prefixes) {
      let nextToken: string | undefined;
      do {
        const page = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken }), { abortSignal: options.signal });
        for (const group of page.logGroups ?? []) {
          const source = group.logGroupName === undefined ? undefined : wanted.get(group.logGroupName);
          if (source) found.push({ region, logGroup: group.logGroupName!, source });
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
    return found;
  });
  const failure = firstFailure(results, options.signal);
  if (failure) throw failure;
  const targets: LogTarget[] = [];
  const skipped: RegionSkip[] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') targets.push(...result.value);
    else if (!isAbort(result.reason, options.signal)) skipped.push({ region: regions[i]!, reason: skipReason(result.reason)!, error: result.reason as Error });
  });
  return { targets, skipped };
}

/** A read of one group: the window and, when it has one, the filter pattern. */
export interface LogRead {
  target: LogTarget;
  filterPattern?: string;
}

export interface LogWindow {
  /** Epoch ms, inclusive (FilterLogEvents: "Events with a timestamp before this time are not returned"). */
  startTime?: number;
  /** Epoch ms, inclusive. */
  endTime?: number;
}

const toRaw = (target: LogTarget, event: FilteredLogEvent): RawLogEvent => ({
  region: target.region,
  logGroup: target.logGroup,
  logStream: event.logStreamName ?? '',
  eventId: event.eventId ?? `${event.timestamp ?? 0}:${event.logStreamName ?? ''}:${event.message ?? ''}`,
  timestamp: event.timestamp ?? 0,
  message: event.message ?? '',
  source: target.source,
});

/** Every event of one group in the window, all pages (a page may be empty and still have a next one). */
async function readGroup(clients: AwsClients, read: LogRead, window: LogWindow, signal: AbortSignal | undefined): Promise<RawLogEvent[]> {
  const client = await clients.logs(read.target.region);
  const events: RawLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    let page;
    try {
      page = await client.send(
        new FilterLogEventsCommand({ logGroupName: read.target.logGroup, startTime: window.startTime, endTime: window.endTime, filterPattern: read.filterPattern || undefined, nextToken }),
        { abortSignal: signal },
      );
    } catch (error) {
      // Deleted since DescribeLogGroups found it (a retention or a cleanup): nothing to read.
      if (isAwsError(error, 'ResourceNotFoundException')) return events;
      throw error;
    }
    for (const event of page.events ?? []) events.push(toRaw(read.target, event));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export interface ReadLogEvents {
  /** In stream order across every group read (src/plan/logs.ts sortEvents). */
  events: RawLogEvent[];
  skipped: RegionSkip[];
}

/** Reads every group of `reads` in the window, at most `concurrency` at once. */
export async function readLogEvents(clients: AwsClients, reads: readonly LogRead[], window: LogWindow, options: { signal?: AbortSignal; concurrency?: number } = {}): Promise<ReadLogEvents> {
  const results = await settleWithLimit([...reads], options.concurrency ?? LOGS_CONCURRENCY, (read) => readGroup(clients, read, window, options.signal));
  const failure = firstFailure(results, options.signal);
  if (failure) throw failure;
  const events: RawLogEvent[] = [];
  const skipped = new Map<string, RegionSkip>();
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') events.push(...result.value);
    else if (!isAbort(result.reason, options.signal)) {
      const region = reads[i]!.target.region;
      if (!skipped.has(region)) skipped.set(region, { region, reason: skipReason(result.reason)!, error: result.reason as Error });
    }
  });
  return { events: sortEvents(events), skipped: [...skipped.values()] };
}

// ---- --follow ---------------------------------------------------------------------------

export interface FollowOptions {
  regions: readonly string[];
  groups: readonly LogGroupSpec[];
  /** Per group: its filter pattern (function groups and distribution groups may differ). */
  filterPattern(target: LogTarget): string | undefined;
  /** The window's start (--since). */
  startTime: number;
  /** First delay between polls; it doubles while nothing new comes, up to `maxIntervalMs`, and is back to the first after news. */
  intervalMs: number;
  maxIntervalMs: number;
  /** Events timestamped up to this long before the newest seen are read again (late ingestion), deduplicated by event id. */
  overlapMs: number;
  /** Look for groups that appeared (a Region serving the functions for the first time) every this many polls. */
  rediscoverEvery: number;
  signal: AbortSignal;
  concurrency?: number;
  /** New events of one poll, in stream order. */
  onEvents(events: RawLogEvent[]): void;
  /** A Region left out (once per Region). */
  onSkip(skip: RegionSkip): void;
  /** A read that failed in a way the next poll may not (throttling past the SDK's retries, AWS's side, the network). */
  onTransient(error: Error, target: LogTarget): void;
}

interface Cursor {
  /** Newest timestamp seen. */
  newest: number;
  /** Event ids seen, with their timestamps, for those that may be read again. */
  seen: Map<string, number>;
}

/**
 * Polls until `signal` aborts: each poll reads every group found with FilterLogEvents from
 * the newest timestamp it saw (less `overlapMs`, for events CloudWatch ingests late), and
 * passes on the events it has not seen (by event id).
 *
 * Polling and not CloudWatch Logs Live Tail (StartLiveTail): a Live Tail session covers at
 * most 10 log groups of one Region, and Lambda@Edge logs are spread over 13 Regions (more
 * with --regions all), one group per function and Region; Live Tail is also a streaming
 * (HTTP/2 event stream) API that proxies and older SDK transports do not carry everywhere.
 * FilterLogEvents over every Region is the portable choice, at the cost of a poll interval.
 */
export async function followLogEvents(clients: AwsClients, options: FollowOptions): Promise<void> {
  const { signal } = options;
  // Every call in flight listens on the one signal (to stop at once on Ctrl-C): more than Node's default 10.
  setMaxListeners(4 * (options.concurrency ?? LOGS_CONCURRENCY), signal);
  const cursors = new Map<string, Cursor>();
  const targets = new Map<string, LogTarget>();
  const skippedRegions = new Set<string>();
  const keyOf = (t: LogTarget) => `${t.region}\u0000${t.logGroup}`;
  const discover = async () => {
    const regions = options.regions.filter((r) => !skippedRegions.has(r));
    const found = await findLogGroups(clients, regions, options.groups, { signal, concurrency: options.concurrency });
    for (const target of found.targets) if (!targets.has(keyOf(target))) targets.set(keyOf(target), target);
    for (const skip of found.skipped) {
      skippedRegions.add(skip.region);
      options.onSkip(skip);
    }
  };
  let delay = options.intervalMs;
  for (let poll = 0; !signal.aborted; poll++) {
    try {
      if (poll % Math.max(1, options.rediscoverEvery) === 0) await discover();
    } catch (error) {
      if (isAbort(error, signal)) return;
      if (!isTransient(error) || poll === 0) throw error;
    }
    const fresh: RawLogEvent[] = [];
    const list = [...targets.values()].filter((t) => !skippedRegions.has(t.region));
    const results = await settleWithLimit(list, options.concurrency ?? LOGS_CONCURRENCY, async (target) => {
      const cursor = cursors.get(keyOf(target)) ?? { newest: options.startTime, seen: new Map<string, number>() };
      cursors.set(keyOf(target), cursor);
      const from = Math.max(options.startTime, cursor.newest - options.overlapMs);
      const events = await readGroup(clients, { target, filterPattern: options.filterPattern(target) }, { startTime: from }, signal);
      for (const event of events) {
        if (cursor.seen.has(event.eventId)) continue;
        cursor.seen.set(event.eventId, event.timestamp);
        cursor.newest = Math.max(cursor.newest, event.timestamp);
        fresh.push(event);
      }
      // What the next poll cannot read again need not be remembered.
      const next = Math.max(options.startTime, cursor.newest - options.overlapMs);
      for (const [id, timestamp] of cursor.seen) if (timestamp < next) cursor.seen.delete(id);
    });
    if (signal.aborted) return;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const target = list[i]!;
      const reason = skipReason(result.reason);
      if (reason) {
        if (!skippedRegions.has(target.region)) {
          skippedRegions.add(target.region);
          options.onSkip({ region: target.region, reason, error: result.reason as Error });
        }
      } else if (isTransient(result.reason)) {
        options.onTransient(result.reason as Error, target);
      } else {
        throw result.reason;
      }
    });
    if (fresh.length) {
      options.onEvents(sortEvents(fresh));
      delay = options.intervalMs;
    } else {
      delay = Math.min(delay * 2, Math.max(options.maxIntervalMs, options.intervalMs));
    }
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return;
    }
  }
}

