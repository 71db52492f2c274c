/**
 * `edge-install logs`: read (src/aws/observe/logs.ts) → fold and merge (src/plan/logs.ts,
 * pure) → render (src/cli/render/logs-text.ts). Read-only. Bad input — a malformed
 * --since/--until, --until before --since, an unknown --function, an unknown Region, a
 * request id that is neither kind, --follow --json on a terminal — is exit 2 before any AWS
 * call; no credentials is exit 1 with the fix, as everywhere. A Region the account cannot read (AccessDenied)
 * or has not enabled is skipped and said once, in the summary on stderr; throttling is retried
 * by the SDK and never passes for "no logs".
 */
import { classifyAwsError, describeAwsError, isAwsError } from '../../aws/errors.js';
import { AWS_REGIONS, isAwsRegion, isOtherPartitionRegion, REGIONAL_EDGE_CACHE_REGIONS, regionGuess } from '../../aws/regions.js';
import type { LogRead, LogTarget, RegionSkip } from '../../aws/observe/logs.js';
import { UsageError } from '../../errors.js';
import { functionName } from '../../manifest/naming.js';
import { closest, listOf } from '../../manifest/suggest.js';
import {
  anyPhrase,
  ERRORS_FILTER_PATTERN,
  foldLogEvents,
  invocationsNamedBy,
  logGroupsFor,
  markCanarySides,
  newFoldState,
  parseTimeFlag,
  phrase,
  regionsOf,
  requestIdKind,
  selectEntries,
  sortEvents,
  uniqueEvents,
  type LogEntry,
  type RequestIdKind,
} from '../../plan/logs.js';
import { canarySides } from '../../plan/canary-state.js';
import { ownedFunctionNames } from '../../plan/owned-names.js';
import type { CommandContext } from '../context.js';
import { colors } from '../render/colors.js';
import { logEntryJson, logEntryText, logsLayout, searchSummary } from '../render/logs-text.js';

export interface LogsFlags {
  function: string[];
  since?: string;
  until?: string;
  follow?: boolean;
  filter?: string;
  requestId?: string;
  errors?: boolean;
  regions?: string;
  distribution: string[];
}

const TIME_EXAMPLES = '90s, 15m, 2h, 3d, or an ISO 8601 time such as 2026-06-23T14:00Z';

function timeFlag(flag: string, value: string, now: number): number {
  const time = parseTimeFlag(value, now);
  if (time === undefined) throw new UsageError(`${flag} '${value}' is neither a duration nor an ISO 8601 date or time. Fix: ${flag} ${TIME_EXAMPLES}.`);
  return time;
}

const isoOf = (time: number): string => new Date(time).toISOString();

/** --regions: the 13 regional edge cache Regions by default; `all`, every Region of the aws partition; else each checked, the likely one named. */
export function parseRegions(value: string | undefined): string[] {
  if (value === undefined) return [...REGIONAL_EDGE_CACHE_REGIONS];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && items[0]!.toLowerCase() === 'all') return [...AWS_REGIONS];
  if (!items.length) throw new UsageError(`--regions '${value}' names no Region. Fix: --regions eu-west-1,us-east-1, or --regions all.`);
  for (const region of items) {
    if (region.toLowerCase() === 'all') throw new UsageError(`--regions: 'all' stands alone. Fix: --regions all, or a list such as eu-west-1,us-east-1.`);
    if (isAwsRegion(region)) continue;
    if (isOtherPartitionRegion(region)) throw new UsageError(`--regions: '${region}' is in another AWS partition, and Lambda@Edge runs in the aws partition only. Fix: leave it out.`);
    const guess = regionGuess(region);
    throw new UsageError(`--regions: '${region}' is not an AWS region${guess ? ` (did you mean ${guess}?)` : ''}. Fix: --regions ${guess ?? 'eu-west-1'}${items.length > 1 ? ',…' : ''}, a comma-separated list of Region codes, or --regions all.`);
  }
  return [...new Set(items)];
}

/** The checks that need no manifest and no AWS. */
function checkFlags(ctx: CommandContext<LogsFlags>): { kind?: RequestIdKind; since: number; until?: number; regions: string[] } {
  const { flags } = ctx;
  if (flags.follow && ctx.global.json && ctx.io.stdout.isTTY) {
    throw new UsageError('--follow --json prints NDJSON without end, and stdout is a terminal. Fix: pipe it into what reads it (edge-install logs --follow --json | jq .), or leave out --json to read the lines here.');
  }
  if (flags.follow && flags.until !== undefined) throw new UsageError('--follow prints lines as they arrive, with no end; --until gives one. Fix: leave out --until, or --follow.');
  if (flags.follow && flags.requestId !== undefined) throw new UsageError('--request-id looks for the lines a request left; --follow waits for new ones. Fix: leave out --follow.');
  if (flags.requestId !== undefined && flags.filter !== undefined) throw new UsageError('--request-id is itself the filter (its id, in any Region). Fix: leave out --filter.');
  let kind: RequestIdKind | undefined;
  if (flags.requestId !== undefined) {
    kind = requestIdKind(flags.requestId.trim());
    if (!kind) {
      throw new UsageError(
        `--request-id '${flags.requestId}' is neither a CloudFront request id (the X-Amz-Cf-Id response header: 56 characters such as 6oW-aWn_-pKbCMG3O_Nb1DB5lqTOFNeiRp2ZwA1kOzm3GdFuO1z7fQ==) nor a Lambda request id (a UUID, as in "START RequestId: …"). Fix: copy one of those.`,
      );
    }
  }
  const now = Date.now();
  const since = timeFlag('--since', flags.since ?? (kind ? '1d' : '15m'), now);
  const until = flags.until === undefined ? undefined : timeFlag('--until', flags.until, now);
  if (until !== undefined && until < since) {
    throw new UsageError(`--until ${flags.until} (${isoOf(until)}) is before --since ${flags.since ?? '15m'} (${isoOf(since)}). Fix: give --since the earlier time.`);
  }
  return { kind, since, until, regions: parseRegions(flags.regions) };
}

/**
 * A bad --filter is bad input (exit 2). No credentials is exit 1 with the one taxonomy's words,
 * as on every other command (issue 18: the same on every command as in init).
 */
function asUsage(error: unknown, filter: string | undefined): unknown {
  if (filter !== undefined && isAwsError(error, 'InvalidParameterException')) {
    const message = (error as Error).message.split('\n')[0]!;
    return new UsageError(
      `--filter '${filter}': CloudWatch Logs refused the pattern (InvalidParameterException: ${message}). Fix: terms with characters other than letters, digits and _ go in double quotes ('"user 42"'); see "Filter pattern syntax" in the CloudWatch Logs User Guide.`,
    );
  }
  return error;
}

/** Every Region refused: that is the answer (AccessDenied with its fix; credentials AWS does not accept), not "no logs". */
function throwIfNothingSearched(regions: readonly string[], skipped: readonly RegionSkip[]): void {
  if (skipped.length && new Set(skipped.map((s) => s.region)).size >= regions.length) throw skipped[0]!.error;
}

const skipsOf = (skipped: readonly RegionSkip[]) => {
  const seen = new Map<string, { region: string; reason: RegionSkip['reason']; code: string }>();
  for (const s of skipped) if (!seen.has(s.region)) seen.set(s.region, { region: s.region, reason: s.reason, code: s.error.name });
  return [...seen.values()];
};

export async function logs(ctx: CommandContext<LogsFlags>): Promise<number> {
  const { flags } = ctx;
  const { kind, since, until, regions } = checkFlags(ctx);
  const { manifest } = await ctx.loadManifest();
  const known = Object.keys(manifest.functions);
  for (const key of flags.function) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new UsageError(`--function ${key}: ${ctx.global.config ?? 'edge-install.json'} has no function '${key}'${guess ? ` (did you mean ${guess}?)` : ''}; its functions are ${listOf(known)}. Fix: --function ${guess ?? known[0] ?? '<key>'}, or leave out --function for all of them.`);
  }
  const keys = flags.function.length ? [...new Set(flags.function)] : known;
  const names = keys.map((key) => functionName(manifest.name, key));
  const clients = await ctx.clients();
  // A running canary (attach --canary): its lines are marked staging or primary, and its staging copy's CloudFront records read too.
  const { gatherCanaryState } = await import('../../gather/canary.js');
  const { distributions: primaries, canaries, unread } = await gatherCanaryState(clients, manifest, flags.distribution.length ? flags.distribution : manifest.distributions);
  const sides = canarySides(canaries, primaries, { integration: manifest.name, functionNames: ownedFunctionNames(manifest, []), originKeys: Object.keys(manifest.origins) });
  // No credentials, or no endpoint to reach, is said once, by the logs read itself.
  if (unread && !['credentials-missing', 'credentials-rejected', 'credentials-expired', 'network'].includes(classifyAwsError(unread) ?? '')) {
    ctx.err(`edge-install: note: could not read the distributions (${describeAwsError(unread)?.what ?? unread.message}); a running canary's lines are not marked staging or primary.`);
  }
  // CloudFront's validation records are errors by nature: read with --errors, and with --request-id (they name X-Amz-Cf-Id).
  const distributionIds = flags.errors || kind ? [...(flags.distribution.length ? flags.distribution : manifest.distributions), ...(sides?.stagingDistributions ?? [])] : [];
  const groups = logGroupsFor(manifest.name, keys, distributionIds, Object.fromEntries(keys.map((key) => [key, manifest.functions[key]?.logGroup])));
  const selection = { errors: !!flags.errors, ...(flags.function.length ? { functions: names } : {}) };
  const patternFor = (target: LogTarget): string | undefined => flags.filter ?? (flags.errors && target.source.kind === 'function' ? ERRORS_FILTER_PATTERN : undefined);

  const layout = logsLayout(names, !!sides);
  const c = colors(ctx.color);
  const print = (entries: LogEntry[]) => {
    for (const entry of sides ? markCanarySides(entries, sides) : entries) {
      if (ctx.global.json) ctx.io.stdout.write(`${JSON.stringify(logEntryJson(entry))}\n`);
      else ctx.out(logEntryText(entry, layout, c));
    }
  };

  // Loaded here: the CloudWatch Logs client and its commands load only for this command.
  const observe = await import('../../aws/observe/logs.js');
  try {
    if (flags.follow) {
      const state = newFoldState();
      const found = new Set<string>();
      const skipped: RegionSkip[] = [];
      const noted = new Set<string>();
      await ctx.guard(
        (signal) =>
          observe.followLogEvents(clients, {
            regions,
            groups,
            filterPattern: patternFor,
            startTime: since,
            // The pacing of a Lambda wait (src/aws/polling.ts): 1 s backing off to 5 s against
            // AWS, 50 ms to 500 ms against an emulator (--endpoint-url); EDGE_INSTALL_POLL_MS
            // sets the first interval.
            intervalMs: ctx.timing.lambda.intervalMs,
            maxIntervalMs: ctx.timing.lambda.maxIntervalMs,
            // CloudWatch ingests each log stream on its own: an event may arrive a few seconds
            // after a later one of another stream. An emulator writes at once.
            // Lambda@Edge logs arrive best-effort and late across streams: re-read the last minute (the event ids dedupe it).
            overlapMs: ctx.endpointUrl ? 0 : 60_000,
            rediscoverEvery: 10,
            signal,
            onEvents: (events) => {
              const entries = selectEntries(foldLogEvents(events, state, false), selection);
              for (const region of regionsOf(entries, regions)) found.add(region);
              print(entries);
            },
            onSkip: (skip) => {
              skipped.push(skip);
              throwIfNothingSearched(regions, skipped);
            },
            onTransient: (error, target) => {
              if (noted.has(target.region)) return;
              noted.add(target.region);
              ctx.err(`edge-install: note: reading ${target.logGroup} in ${target.region} failed for now (${error.name}); trying again at the next poll.`);
            },
          }),
        'stopping',
      );
      ctx.err(searchSummary({ regions, found: regionsOf([...found].map((region) => ({ region })), regions), skipped: skipsOf(skipped) }));
      return 0;
    }

    const window = { startTime: since, endTime: until };
    const discovered = await observe.findLogGroups(clients, regions, groups);
    throwIfNothingSearched(regions, discovered.skipped);
    const first: LogRead[] = discovered.targets.map((target) => ({ target, filterPattern: kind ? phrase(flags.requestId!.trim()) : patternFor(target) }));
    const read = await observe.readLogEvents(clients, first, window);
    let events = read.events;
    const skipped = [...discovered.skipped, ...read.skipped];
    throwIfNothingSearched(regions, skipped);
    if (kind === 'cloudfront') {
      // Lambda's lines do not carry CloudFront's request id unless the function logged it;
      // CloudFront's validation record does, with the Lambda request id. Each invocation found
      // is read whole (START…REPORT) in the group and Region it ran in.
      const blocks: LogRead[] = invocationsNamedBy(events).flatMap((block) => {
        const target = discovered.targets.find((t) => t.region === block.region && t.logGroup === block.logGroup);
        return target ? [{ target, filterPattern: anyPhrase(block.requestIds.slice(0, 32)) }] : [];
      });
      if (blocks.length) {
        const more = await observe.readLogEvents(clients, blocks, window);
        events = uniqueEvents(sortEvents([...events, ...more.events]));
        skipped.push(...more.skipped);
      }
    }
    const entries = selectEntries(foldLogEvents(events, newFoldState(), true), selection);
    print(entries);
    const found = regionsOf(entries, regions);
    if (kind) {
      const id = flags.requestId!.trim();
      if (found.length) {
        const functions = [...new Set(entries.map((e) => e.function).filter((f): f is string => !!f))];
        ctx.err(`request ${id} ran in ${found.join(', ')}${functions.length ? ` (${functions.join(', ')})` : ''}.`);
      } else {
        const hint =
          kind === 'cloudfront'
            ? " Lambda's own lines name a CloudFront request id only where the function logged it (event.Records[0].cf.config.requestId), and CloudFront's validation records name it; search by the Lambda request id (START RequestId: …), or --since further back."
            : ' Fix: --since further back, or --regions all.';
        ctx.err(`request ${id}: no line names it in ${regions.length} Regions since ${isoOf(since)}.${hint}`);
      }
    }
    ctx.err(searchSummary({ regions, found, skipped: skipsOf(skipped) }));
    return 0;
  } catch (error) {
    throw asUsage(error, flags.filter);
  }
}
