/**
 * Runs the built CLI as a user would (a child process) and builds throwaway projects:
 * a directory with an edge-install.json expanded from a recipe and a handler file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandRecipe, loadRecipe, resolveAnswers, type Answers } from '../../src/manifest/recipes.js';
import type { ManifestInput } from '../../src/manifest/schema.js';

export const BIN = fileURLToPath(new URL('../../bin/edge-install.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
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
