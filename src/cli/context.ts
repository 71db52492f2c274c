/**
 * The global options of CLI.md and what every command derives from them: where the manifest
 * and state are, the AWS clients, whether to prompt, colour and JSON output. Human text goes
 * to stdout unless --json is given, in which case stdout holds exactly one JSON document and
 * everything else goes to stderr.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { AwsClients } from '../aws/clients.js';
import { DISTRIBUTION_ID, DISTRIBUTION_ID_EXAMPLE } from '../manifest/distribution-id.js';
import type { LoadedManifest } from '../manifest/load.js';
import { UsageError } from './errors.js';

/** Kept here, not imported: this module loads on every start, the state modules only when used. */
const DEFAULT_STATE_DIR = '.edge-install';

export interface GlobalFlags {
  config?: string;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  json?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  color?: boolean;
  stateDir?: string;
  verbose?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--config <path>', 'manifest', 'edge-install.json')
    .option('--profile <name>', 'AWS profile')
    .option('--region <region>', "the secret's region (Lambda@Edge and CloudFront are always us-east-1)")
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint, e.g. the sandbox (also EDGE_INSTALL_ENDPOINT_URL)')
    .option('--json', 'one JSON document on stdout; human text goes to stderr')
    .option('-y, --yes', 'approve without asking')
    .option('--non-interactive', 'never prompt (automatic when CI is set or stdin is not a TTY)')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--state-dir <dir>', 'where revisions are kept', DEFAULT_STATE_DIR)
    .option('--verbose', 'show AWS calls as they happen, and stack traces on errors');
}

export interface CliContext {
  flags: GlobalFlags;
  /** Human output: stdout normally, stderr with --json. */
  out: (text: string) => void;
  /** Progress and warnings: always stderr. */
  err: (text: string) => void;
  json: (document: unknown) => void;
  color: boolean;
  interactive: boolean;
  stateDir: string;
  endpointUrl?: string;
  loadManifest(): Promise<LoadedManifest>;
  clients(): Promise<AwsClients>;
  close(): void;
}

export function isCi(env = process.env): boolean {
  return !!env.CI && env.CI !== 'false' && env.CI !== '0';
}

export function contextFor(command: Command, env = process.env): CliContext {
  const flags = command.optsWithGlobals<GlobalFlags>();
  const stdout = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const stderr = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const stream = flags.json ? process.stderr : process.stdout;
  const color = flags.color !== false && !env.NO_COLOR && !!stream.isTTY;
  const interactive = !flags.nonInteractive && !isCi(env) && !!process.stdin.isTTY;
  const endpointUrl = flags.endpointUrl ?? (env.EDGE_INSTALL_ENDPOINT_URL || undefined);
  if (endpointUrl && !/^https?:\/\/[^\s/]+/.test(endpointUrl)) throw new UsageError(`--endpoint-url must be an http(s) URL, not '${endpointUrl}'.`);
  let clients: AwsClients | undefined;
  return {
    flags,
    out: flags.json ? stderr : stdout,
    err: stderr,
    json: (document) => stdout(JSON.stringify(document, null, 2)),
    color,
    interactive,
    stateDir: flags.stateDir ?? DEFAULT_STATE_DIR,
    endpointUrl,
    // The AWS SDK, zod and esbuild are loaded only by the commands that use them, so that
    // `--help`, `--version` and `sandbox` start fast.
    loadManifest: async () => (await import('../manifest/load.js')).loadManifest(flags.config ?? 'edge-install.json'),
    async clients() {
      const { createClients } = await import('../aws/clients.js');
      clients ??= createClients({ endpointUrl, profile: flags.profile, log: flags.verbose ? stderr : undefined });
      return clients;
    },
    close() {
      clients?.destroy();
    },
  };
}

/** For repeatable flags such as --set. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Repeatable --distribution: a malformed id is a usage error (exit 2) before any AWS call. */
export function collectDistribution(value: string, previous: string[]): string[] {
  if (!DISTRIBUTION_ID.test(value)) throw new InvalidArgumentError(`not a CloudFront distribution id; copy it from the CloudFront console (e.g. ${DISTRIBUTION_ID_EXAMPLE}).`);
  return [...previous, value];
}

/** Parses a whole number flag or says which flag is wrong (exit 2). */
export function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${value}'.`);
  return n;
}
