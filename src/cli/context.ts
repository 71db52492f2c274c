/**
 * What every command gets (wrangler's handler context): its flags, the global options of
 * CLI.md and what follows from them — where output goes (stdout normally; with --json stdout
 * holds exactly one JSON document and everything human goes to stderr), colour, whether to
 * prompt, where the manifest and state are, polling, the AWS clients (made on first use,
 * closed when the command ends), approvals and interrupts. Made once per run by
 * define-command.ts; handlers never set any of this up themselves.
 *
 * Light on purpose: the AWS SDK, zod and esbuild load only when a handler asks for them, so
 * `--help`, `--version` and `sandbox` start fast.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AwsClients } from '../aws/clients.js';
import { timingFor, type Timing } from '../aws/polling.js';
import { EDGE_REGION, regionProblem } from '../aws/regions.js';
import { UsageError } from '../errors.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { Manifest } from '../manifest/schema.js';
import type { StateStore } from '../state/store.js';
import type { CliIo } from './io.js';
import type { StateChoice } from './state-choice.js';

/** Kept here, not imported: this module loads on every start, the state modules only when used. */
export const DEFAULT_STATE_DIR = '.edge-install';
export const DEFAULT_MANIFEST = 'edge-install.json';

export interface GlobalFlags {
  config?: string;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  json?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  color?: boolean;
  state?: string;
  stateDir?: string;
  verbose?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--config <path>', 'manifest', DEFAULT_MANIFEST)
    .option('--profile <name>', 'AWS profile')
    .option('--region <region>', "the secret's region (Lambda@Edge and CloudFront are always us-east-1)")
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint, e.g. the sandbox (also EDGE_INSTALL_ENDPOINT_URL)')
    .option('--json', 'one JSON document on stdout; human text goes to stderr')
    .option('-y, --yes', 'approve without asking')
    .option('--non-interactive', 'never prompt (automatic when CI is set or stdin is not a TTY)')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--state <s3-url>', "keep revisions, the journal and the lock in S3, shared by every machine: s3://bucket/prefix (default: the manifest's state.s3, else the state dir)")
    .option('--state-dir <dir>', `where revisions, the journal and the lock are kept (default: ${DEFAULT_STATE_DIR} next to the manifest; with --endpoint-url, ${DEFAULT_STATE_DIR}/endpoints/<host>_<port>)`)
    .option('--verbose', 'show AWS calls as they happen, and stack traces on errors');
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  return !!env.CI && env.CI !== 'false' && env.CI !== '0';
}

export interface CommandContext<F = unknown> {
  flags: F;
  global: GlobalFlags;
  io: CliIo;
  /** Human output: stdout normally, stderr with --json. */
  out(text: string): void;
  /** Progress and warnings: always stderr. */
  err(text: string): void;
  /** The one JSON document of --json, on stdout. */
  json(document: unknown): void;
  color: boolean;
  interactive: boolean;
  /** A path the user gave, resolved against the working directory. */
  path(path: string): string;
  /** Absolute. */
  manifestPath: string;
  /** Revisions, the journal and the lock: the store --state, --state-dir or the manifest's state chose (state-choice.ts). */
  state(manifest: Manifest): Promise<StateStore>;
  /** The store and why it was chosen (status shows it). */
  stateChoice(manifest: Manifest): Promise<StateChoice>;
  endpointUrl?: string;
  timing: Timing;
  loadManifest(): Promise<LoadedManifest>;
  clients(): Promise<AwsClients>;
  /** --distribution, else the manifest's; none at all is exit 2. */
  distributionIds(manifest: Manifest, given: string[]): string[];
  /** Runs writes under the interrupt guard (interrupt.ts). */
  guard<T>(work: (signal: AbortSignal) => Promise<T>, what?: string): Promise<T>;
  /** Runs another command line in this same run (the demo's steps). */
  run(argv: string[]): Promise<number>;
  close(): void;
}

/**
 * --region names the secret's region. A manifest keeps its secret in one region
 * (secret.region, read by the functions it builds), so for every command but init — which
 * writes it into the manifest — --region is a check, not an override: it must agree, or the
 * command would read (and write) a secret in a region the functions never look in.
 */
function checkRegionAgrees(region: string | undefined, manifest: Manifest, shown: string): void {
  if (region === undefined) return;
  if (!manifest.secret) throw new UsageError(`--region ${region}: ${shown} has no secret, and --region names the secret's region (Lambda@Edge and CloudFront are always ${EDGE_REGION}). Fix: leave out --region.`);
  if (manifest.secret.region !== region) {
    throw new UsageError(`--region ${region} disagrees with ${shown}, which keeps the secret ${manifest.secret.name} in ${manifest.secret.region} (secret.region). Fix: leave out --region, or change secret.region in ${shown} (and run attach, so the functions read it there).`);
  }
}

/** `http://127.0.0.1:4580` → `127.0.0.1_4580`: one state directory per endpoint. */
export function endpointDirName(endpointUrl: string): string {
  const url = new URL(endpointUrl);
  return `${url.hostname}_${url.port || (url.protocol === 'https:' ? '443' : '80')}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function createContext<F>(command: Command, flags: F, io: CliIo, run: (argv: string[]) => Promise<number>): CommandContext<F> {
  const global = command.optsWithGlobals<GlobalFlags>();
  const { env } = io;
  const line = (stream: { write(text: string): unknown }) => (text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  const stdout = line(io.stdout);
  const stderr = line(io.stderr);
  const human = global.json ? io.stderr : io.stdout;
  const endpointUrl = global.endpointUrl ?? (env.EDGE_INSTALL_ENDPOINT_URL || undefined);
  if (endpointUrl && !/^https?:\/\/[^\s/]+/.test(endpointUrl)) throw new UsageError(`--endpoint-url must be an http(s) URL, not '${endpointUrl}'.`);
  const regionWrong = global.region === undefined ? undefined : regionProblem(global.region);
  if (regionWrong) throw new UsageError(`--region: ${regionWrong}. Fix: give the region code of the secret, such as us-east-1.`);
  const path = (p: string) => resolve(io.cwd, p);
  const manifestPath = path(global.config ?? DEFAULT_MANIFEST);
  let clients: AwsClients | undefined;
  // Chosen once per run, from the manifest the command works with (init's is not on disk yet).
  let choice: { manifest: Manifest; chosen: Promise<StateChoice> } | undefined;
  const loadManifest = async () => {
    // Issues are reported under the path as the user gave it.
    const loaded = await (await import('../manifest/load.js')).loadManifest(global.config ?? DEFAULT_MANIFEST, io.cwd);
    checkRegionAgrees(global.region, loaded.manifest, global.config ?? DEFAULT_MANIFEST);
    return loaded;
  };
  const getClients = async () => {
    const { createClients } = await import('../aws/clients.js');
    clients ??= createClients({ endpointUrl, profile: global.profile, env, log: global.verbose ? stderr : undefined });
    return clients;
  };
  const stateChoice = (manifest: Manifest) => {
    if (choice?.manifest !== manifest) {
      const chosen = import('./state-choice.js').then(({ chooseState }) =>
        chooseState({ state: global.state, stateDir: global.stateDir, endpointDirName: endpointUrl ? endpointDirName(endpointUrl) : undefined, manifestPath, manifest, env, path, clients: getClients }),
      );
      choice = { manifest, chosen };
    }
    return choice.chosen;
  };
  return {
    flags,
    global,
    io,
    out: global.json ? stderr : stdout,
    err: stderr,
    json: (document) => stdout(JSON.stringify(document, null, 2)),
    color: global.color !== false && !env.NO_COLOR && !!human.isTTY,
    interactive: !global.nonInteractive && !isCi(env) && !!io.stdin.isTTY,
    path,
    manifestPath,
    // By default next to the manifest, wherever the command is run from: the revisions belong to it.
    state: async (manifest) => (await stateChoice(manifest)).store,
    stateChoice,
    endpointUrl,
    timing: timingFor(endpointUrl, env),
    loadManifest,
    clients: getClients,
    distributionIds(manifest, given) {
      const ids = given.length ? given : manifest.distributions;
      if (!ids.length) throw new UsageError('No distribution to work on: pass --distribution <id>, or list it under "distributions" in the manifest.');
      return [...new Set(ids)];
    },
    guard: async (work, what) => (await import('./interrupt.js')).guardInterrupts(io, stderr, work, what),
    run,
    close() {
      clients?.destroy();
      clients = undefined;
    },
  };
}
