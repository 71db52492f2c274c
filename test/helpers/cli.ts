/**
 * Runs the CLI as a user would and builds throwaway projects: a directory with an
 * edge-install.json expanded from a recipe and a handler file.
 *
 * `runCli` runs it in this process — `main(argv, io)` with its own stdout, stderr, stdin,
 * environment, working directory and signals — so a test pays for the command, not for
 * starting Node and loading the SDK again. `runCliProcess` runs the built binary as a child
 * process, for the few tests where the process itself is the subject (exit of the real
 * binary, environment the SDK reads itself, signals, packaging).
 */
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/program.js';
import { loadRecipe } from '../../src/manifest/recipe-files.js';
import { expandRecipe, resolveAnswers, type Answers } from '../../src/manifest/recipes.js';
import type { ManifestInput } from '../../src/manifest/schema.js';

export const BIN = fileURLToPath(new URL('../../bin/edge-install.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  /** Emit 'SIGINT' / 'SIGTERM' on this to interrupt the run as a signal would. */
  signals?: EventEmitter;
}

/** The CLI in this process, as `edge-install <args>` would run in a pipe (no TTY). */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    stdin: Object.assign(Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]), { isTTY: false }),
    env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
    cwd: options.cwd ?? process.cwd(),
    signals: options.signals ?? new EventEmitter(),
  };
  const code = await main(['node', 'edge-install', ...args], io);
  return { code, stdout, stderr };
}

/** The built binary as a child process. */
export function runCliProcess(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env }, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** A pass-through origin-request / viewer-request handler: small, valid, exports `handler`. */
export const PASS_THROUGH_HANDLER = `
declare const __EDGE_INSTALL_CONFIG__: Record<string, unknown>;
export const handler = async (event: { Records: { cf: { request: unknown } }[] }) => {
  void __EDGE_INSTALL_CONFIG__;
  return event.Records[0]!.cf.request;
};
`;

export interface Project {
  dir: string;
  manifestPath: string;
  stateDir: string;
  manifest: ManifestInput;
  /** Every file the run left in the project (state dir included), for secret greps. */
  allFiles(): string;
  remove(): void;
}

/**
 * A project for a recipe whose functions use a local pass-through handler (the built-in
 * handlers are tested on their own), with any manifest edits applied.
 */
/** The first-party-proxy answers most tests use. */
export const FP_ANSWERS: Answers = { behaviorPath: 'fpjs-abc', agentDownloadPath: 'agent', getResultPath: 'result' };

/** A first-party-proxy project (integration fp-proxy) on `distributions`. */
export const fpProxyProject = (distributions: string[], edit?: (m: ManifestInput) => void): Project => recipeProject('first-party-proxy', FP_ANSWERS, distributions, edit);

export function recipeProject(recipe: string, answers: Answers, distributions: string[], edit: (m: ManifestInput) => void = () => {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'ei-project-'));
  const r = loadRecipe(recipe);
  const resolved = resolveAnswers(r, answers, (n) => Buffer.alloc(n, 7));
  const manifest = expandRecipe(r, resolved.answers, distributions);
  for (const fn of Object.values(manifest.functions)) fn.handler = './handler.ts';
  edit(manifest);
  writeFileSync(join(dir, 'handler.ts'), PASS_THROUGH_HANDLER);
  const manifestPath = join(dir, 'edge-install.json');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const stateDir = join(dir, '.edge-install');
  return {
    dir,
    manifestPath,
    stateDir,
    manifest,
    allFiles() {
      const out: string[] = [];
      const walk = (path: string) => {
        for (const name of readdirSync(path)) {
          const full = join(path, name);
          if (statSync(full).isDirectory()) walk(full);
          else out.push(readFileSync(full, 'latin1'));
        }
      };
      walk(dir);
      return out.join('\n');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
