/**
 * `edge-install dev`: flags → a dev session (src/local-edge/dev.ts) → one line per request
 * and per rebuild until SIGINT/SIGTERM. With --json every line is a JSON event (ready,
 * request, installed, error), so scripts and tests can follow it.
 */
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Installed } from '../../local-edge/dev.js';
import type { ServedRequest } from '../../sandbox/edge/data-plane.js';
import type { DistributionCopy } from '../../sandbox/seeds/copy.js';
import type { CommandContext } from '../context.js';
import { wholeNumber } from '../define-command.js';
import { readCopy } from '../distribution-copy.js';
import { localSecret, type SecretFlags } from '../local-secret.js';
import { colors } from '../render/colors.js';
import { servedLine } from '../render/served.js';

export interface DevFlags extends SecretFlags {
  origin: string[];
  s3Dir: string[];
  distribution: string[];
  port: string;
  host: string;
  edgeRegion?: string;
  watch: boolean;
}

/** A sensitive key with no value in this run gets this, so the integration installs; the function sees it as the value. */
const placeholder = (key: string) => `edge-install-dev-placeholder-${key}`;

const pairs = (values: string[]): Record<string, string> => Object.fromEntries(values.map((v) => [v.slice(0, v.indexOf('=')).toLowerCase(), v.slice(v.indexOf('=') + 1)]));

export async function dev(ctx: CommandContext<DevFlags>): Promise<void> {
  const { flags } = ctx;
  const port = wholeNumber(flags.port, '--port', 0, 65535);
  const urls = flags.origin.filter((o) => /^https?:\/\//.test(o));
  if (urls.length > 1) throw new UsageError(`--origin: give one URL to serve in front of (got ${urls.join(', ')}); map the others as HOST=URL.`);
  if (flags.distribution.length > 1) throw new UsageError('--distribution: dev serves one distribution at a time.');
  const { isEdgeRegion, REGIONAL_EDGE_CACHE_REGIONS } = await import('../../sandbox/edge/regions.js');
  if (flags.edgeRegion !== undefined && !isEdgeRegion(flags.edgeRegion)) throw new UsageError(`--edge-region ${flags.edgeRegion} is not a Region with a regional edge cache. Fix: one of ${REGIONAL_EDGE_CACHE_REGIONS.join(', ')}.`);
  const loaded = await ctx.loadManifest();
  const manifest = loaded.manifest;
  const origins = pairs(flags.origin.filter((o) => !/^https?:\/\//.test(o)));
  const s3Dirs = Object.fromEntries(Object.entries(pairs(flags.s3Dir)).map(([bucket, dir]) => [bucket, ctx.path(dir)]));

  let id = flags.distribution[0] ?? manifest.distributions[0];
  let copy: DistributionCopy;
  if (urls.length) {
    const url = new URL(urls[0]!);
    id ??= 'E0EDGEINSTALLDEV';
    const { devDistribution } = await import('../../local-edge/dev-distribution.js');
    copy = { accountId: '123456789012', distributions: [devDistribution(id, url)], cachePolicies: [], originRequestPolicies: [], lambdaStubs: [], cloudFrontFunctions: [] };
    origins[url.hostname.toLowerCase()] ??= url.origin;
  } else {
    if (!id) throw new UsageError(`${loaded.path} names no distribution. Fix: --origin http://localhost:3000 to serve in front of a local origin, or --distribution E… to copy one.`);
    if (!ctx.endpointUrl && !ctx.global.profile && !ctx.io.env.AWS_PROFILE && !ctx.io.env.AWS_ACCESS_KEY_ID) {
      throw new UsageError(`dev copies ${id} (read-only) to serve on it, and no AWS credentials are set. Fix: --origin http://localhost:3000 to serve in front of a local origin without an account, --profile to copy the real distribution, or --endpoint-url for a rehearsal sandbox.`);
    }
    copy = (await readCopy(ctx, [id])).read.copy;
    ctx.close();
  }

  const secret = await localSecret(ctx, manifest);
  const notes: string[] = [];
  if (secret.secret && secret.missing.length) {
    for (const key of secret.missing) secret.secret.values[key] = placeholder(key);
    notes.push(`no value for the secret's ${secret.missing.join(', ')}: the functions read a placeholder (give values with --secrets-file or --secrets-from-env)`);
  }

  const c = colors(ctx.color);
  const event = (doc: Record<string, unknown>) => ctx.io.stdout.write(`${JSON.stringify(secret.redactDeep(doc))}\n`);
  const say = (text: string) => ctx.io.stdout.write(`${secret.redact(text)}\n`);
  let ready = false;
  const onServed = (served: ServedRequest) => (ctx.global.json ? event({ event: 'request', ...served }) : say(servedLine(served)));
  const onInstalled = (installed: Installed) => {
    if (!ready) return;
    if (ctx.global.json) event({ event: 'installed', ...installed });
    else say(c.green(`rebuilt${installed.trigger ? ` (${installed.trigger})` : ''}: ${installed.versions.join(', ')} in ${installed.ms.toFixed(0)} ms`));
  };
  const onError = (error: Error) => (ctx.global.json ? event({ event: 'error', message: error.message }) : ctx.err(c.red(`edge-install dev: ${secret.redact(error.message)} (still serving the last good build)`)));

  const { DevSession } = await import('../../local-edge/dev.js');
  const { timingFor } = await import('../../aws/polling.js');
  let first: Installed | undefined;
  const session = new DevSession({
    load: () => ctx.loadManifest(),
    distributionId: id,
    copy,
    secret: secret.secret,
    origins,
    s3Dirs,
    region: flags.edgeRegion,
    host: flags.host,
    port,
    timing: timingFor('http://127.0.0.1', {}),
    onServed,
    onInstalled: (installed) => {
      first ??= installed;
      onInstalled(installed);
    },
    onError,
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      ctx.io.signals.off('SIGINT', stop);
      ctx.io.signals.off('SIGTERM', stop);
      void session.close().then(resolve);
    };
    ctx.io.signals.on('SIGINT', stop);
    ctx.io.signals.on('SIGTERM', stop);
  });
  try {
    await session.start();
  } catch (error) {
    await session.close();
    throw error;
  }
  if (flags.watch) session.watch(dirname(loaded.path));
  ready = true;
  if (ctx.global.json) event({ event: 'ready', url: session.url, distributionId: id, endpoint: session.endpoint, versions: first?.versions ?? [], notes });
  else {
    say(c.bold(`edge-install dev: ${manifest.name} on ${id} at ${session.url}`));
    say(c.dim(`installed ${first?.versions.join(', ')} in ${first?.ms.toFixed(0)} ms; local AWS at ${session.endpoint}${flags.watch ? `; rebuilding on changes in ${dirname(loaded.path)}` : ''}`));
    for (const note of notes) say(c.yellow(`note: ${note}`));
  }
  await stopped;
}
