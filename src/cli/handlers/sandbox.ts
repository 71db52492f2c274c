/**
 * `edge-install sandbox`: run the emulator until SIGINT/SIGTERM; one JSON ready line on stdout.
 *
 * `--from-distribution E…` (repeatable) makes it a rehearsal: before the server starts, the
 * distributions are read from the account the AWS clients reach (--profile; --endpoint-url
 * for another endpoint), read-only, and the sandbox starts with exact copies of them
 * (src/sandbox/seeds/copy.ts). Bad input — an id that is not an id, one that does not exist,
 * no credentials, a refused read of the config — is exit 2 before any server starts.
 */
import { existsSync } from 'node:fs';
import type { CopyGap, DistributionCopyRead } from '../../aws/observe/distribution-copy.js';
import { RuntimeError, UsageError } from '../../errors.js';
import type { SandboxData } from '../../sandbox/world.js';
import type { CommandContext } from '../context.js';
import { wholeNumber } from '../define-command.js';
import { readCopy } from '../distribution-copy.js';
import { servedLine } from '../render/served.js';

export interface SandboxFlags {
  port: string;
  host: string;
  /** Undefined: 'demo' (so a --seed given together with --from-distribution can be told apart). */
  seed?: string;
  deployDelay?: string;
  stateFile?: string;
  fromDistribution: string[];
  origin: string[];
  s3Dir: string[];
  edgeRegion?: string;
  edgeSeed?: string;
}

/** `key=value` flags (already checked by their parsers) as a map. */
const mapping = (values: string[], transform = (v: string) => v): Record<string, string> =>
  Object.fromEntries(values.map((v) => [v.slice(0, v.indexOf('=')), transform(v.slice(v.indexOf('=') + 1))]));

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

interface Rehearsal {
  accountId: string;
  read: DistributionCopyRead;
  data: SandboxData;
  /** Copied configs the sandbox would not accept back unchanged. */
  problems: string[];
}

/** Reads the distributions (read-only) and builds the sandbox state from the copies. */
async function copyDistributions(ctx: CommandContext<SandboxFlags>, ids: string[]): Promise<Rehearsal> {
  const { accountId, read } = await readCopy(ctx, ids);
  const { copyData, rehearsalProblems } = await import('../../sandbox/seeds/copy.js');
  const data = copyData(read.copy);
  return { accountId, read, data, problems: rehearsalProblems(data) };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listed = (values: string[]) => (values.length ? ` (${values.join(', ')})` : '');

const GAP_CONSEQUENCE: Record<CopyGap['what'], string> = {
  tags: 'the copy has no tags',
  'lambda-configuration': 'its stub has Lambda@Edge-safe defaults instead (nodejs24.x, 128 MB, 5 s, role edge-install-rehearsal-stub)',
  'lambda-tags': 'its stub has no tags, so edge-install may not take it for one of its own',
  'cloudfront-function': 'the copy is a pass-through stub',
  'cloudfront-function-configuration': 'the copy runs as cloudfront-js-2.0 with no key value stores',
};

/** One line per copied distribution (and one per thing that could not be copied), on stderr. */
function reportCopy(ctx: CommandContext<SandboxFlags>, rehearsal: Rehearsal, endpoint: string): void {
  const { accountId, read } = rehearsal;
  const from = ctx.endpointUrl ? `account ${accountId} at ${ctx.endpointUrl}` : `account ${accountId}`;
  for (const d of read.distributions) {
    const functions = d.cloudFrontFunctions;
    const copiedCode = functions.filter((f) => f.copied).map((f) => f.name);
    const stubbedCode = functions.filter((f) => !f.copied).map((f) => f.name);
    const parts = [
      plural(d.behaviors, 'behavior'),
      plural(d.origins, 'origin'),
      `${plural(d.cachePolicies.length, 'custom cache policy', 'custom cache policies')}${listed(d.cachePolicies)}`,
      `${plural(d.originRequestPolicies.length, 'custom origin request policy', 'custom origin request policies')}${listed(d.originRequestPolicies)}`,
      `${plural(d.lambdaStubs.length, 'Lambda@Edge function')} stubbed to pass requests through${listed(d.lambdaStubs)}`,
      ...(copiedCode.length ? [`${plural(copiedCode.length, 'CloudFront Function')} copied${listed(copiedCode)}`] : []),
      ...(stubbedCode.length ? [`${plural(stubbedCode.length, 'CloudFront Function')} stubbed to pass requests through${listed(stubbedCode)}`] : []),
    ];
    ctx.err(`edge-install: copied ${d.id} (${d.domainName}) from ${from}: ${parts.join(', ')}; read only: nothing was written to account ${accountId}.`);
    for (const policy of d.responseHeadersPolicies) {
      ctx.err(`edge-install: note: ${d.id} uses response headers policy ${policy}: kept in the config, but the sandbox has no response headers policies, so it is neither copied nor checked.`);
    }
  }
  for (const gap of read.gaps) {
    ctx.err(`edge-install: note: could not read ${gap.resource} (${gap.action}: ${gap.reason}): ${GAP_CONSEQUENCE[gap.what]}.`);
  }
  for (const problem of rehearsal.problems) {
    ctx.err(`edge-install: warning: the sandbox would refuse to write back a copied config unchanged (${problem}); an attach in this rehearsal fails on that, not on its own change.`);
  }
  const ids = read.distributions.map((d) => `--distribution ${d.id}`).join(' ');
  ctx.err(`edge-install: rehearse against the copy: pass --endpoint-url ${endpoint} to init, plan and attach, e.g. edge-install plan --endpoint-url ${endpoint} ${ids}`);
}

export async function sandbox(ctx: CommandContext<SandboxFlags>): Promise<void> {
  const { flags } = ctx;
  const port = wholeNumber(flags.port, '--port', 0, 65535);
  const deployMs = flags.deployDelay === undefined ? undefined : wholeNumber(flags.deployDelay, '--deploy-delay', 0, 3_600_000);
  const copyIds = [...new Set(flags.fromDistribution ?? [])];
  if (copyIds.length && flags.seed !== undefined) {
    throw new UsageError(`--seed and --from-distribution both choose what the sandbox starts with. Fix: leave out --seed to rehearse on copies of ${copyIds.join(', ')}, or leave out --from-distribution to start from the seed.`);
  }
  const seedFlag = flags.seed ?? 'demo';
  const seed = ['demo', 'empty'].includes(seedFlag) ? seedFlag : ctx.path(seedFlag);
  if (!['demo', 'empty'].includes(seedFlag) && !existsSync(seed)) {
    throw new UsageError(`--seed must be 'demo', 'empty' or an existing JSON file; '${seedFlag}' does not exist.`);
  }
  const stateFile = flags.stateFile === undefined ? undefined : ctx.path(flags.stateFile);
  if (copyIds.length && stateFile && existsSync(stateFile)) {
    // The sandbox starts from a state file that exists: a new copy would be silently ignored.
    throw new UsageError(
      `--state-file ${flags.stateFile} already holds a sandbox's state, which would be used instead of the new copy. ` +
        'Fix: leave out --from-distribution to resume that rehearsal, or remove the file (or name another) to copy again.',
    );
  }
  const s3Dirs = mapping(flags.s3Dir ?? [], (dir) => ctx.path(dir));
  for (const [bucket, dir] of Object.entries(s3Dirs)) {
    if (!existsSync(dir)) throw new UsageError(`--s3-dir ${bucket}=${dir}: the directory does not exist. Fix: name a directory holding the bucket's objects.`);
  }
  const { isEdgeRegion, REGIONAL_EDGE_CACHE_REGIONS } = await import('../../sandbox/edge/regions.js');
  if (flags.edgeRegion !== undefined && !isEdgeRegion(flags.edgeRegion)) {
    throw new UsageError(`--edge-region ${flags.edgeRegion} is not a Region with a regional edge cache. Fix: one of ${REGIONAL_EDGE_CACHE_REGIONS.join(', ')}.`);
  }
  const edgeSeed = flags.edgeSeed === undefined ? undefined : wholeNumber(flags.edgeSeed, '--edge-seed', 0, 4_294_967_295);
  if (!LOOPBACK.test(flags.host)) {
    ctx.err(`edge-install: warning: the sandbox accepts any credentials; binding ${flags.host} exposes it beyond this machine.`);
  }
  // Read before anything listens: bad input ends here with exit 2 and no server.
  const rehearsal = copyIds.length ? await copyDistributions(ctx, copyIds) : undefined;
  // The real account's clients are not needed any more; the sandbox may run for hours.
  ctx.close();
  let running;
  try {
    // Loaded here, not at the top: every other command (and --help) starts without it.
    const { startSandbox } = await import('../../sandbox/index.js');
    running = await startSandbox({
      port,
      host: flags.host,
      seed,
      ...(rehearsal ? { initialData: rehearsal.data } : {}),
      stateFile,
      delays: deployMs === undefined ? {} : { deployMs },
      log: ctx.global.verbose ? (line) => ctx.err(line) : undefined,
      edge: { origins: mapping(flags.origin ?? []), s3Dirs, region: flags.edgeRegion, seed: edgeSeed, onServed: ctx.global.verbose ? (served) => ctx.err(servedLine(served)) : undefined },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new RuntimeError(`port ${port} on ${flags.host} is already in use; choose another --port, or 0 for a free one.`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${flags.host} is not an address of this machine.`);
    throw error;
  }
  const server = running;
  // Listen for signals before announcing readiness: a script may stop us right after the line.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      ctx.io.signals.off('SIGINT', stop);
      ctx.io.signals.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    ctx.io.signals.on('SIGINT', stop);
    ctx.io.signals.on('SIGTERM', stop);
  });
  if (rehearsal) reportCopy(ctx, rehearsal, server.endpoint);
  ctx.io.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, distributionIds: server.distributionIds, edge: server.edgeUrls() })}\n`);
  await stopped;
}
