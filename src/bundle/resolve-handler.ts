/**
 * Where a manifest's `handler` lives: `builtin:<name>` is `<packageRoot>/handlers/<name>/index.ts`
 * (shipped with edge-install); anything else is a path relative to the manifest's directory.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleError } from './errors.js';

export const BUILTIN_PREFIX = 'builtin:';
/** `first-party-proxy`, or nested: `edge-enforcer/enforcer` (the manifest allows the same names). */
const BUILTIN_NAME = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;
const BUILTIN_SEGMENT = /^[a-z0-9][a-z0-9-]*$/;
const MAX_BUILTIN_DEPTH = 3;
/** Tried, in order, when a handler path names no file: `./edge/enforcer` → `./edge/enforcer.ts`. */
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/**
 * The edge-install package directory: this module is `<root>/dist/bundle/*.js` when built and
 * `<root>/src/bundle/*.ts` in tests, two levels down either way.
 */
export function defaultPackageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** `file` relative to `baseDir` when it is inside it (as the manifest would name it), else absolute. */
export function displayPath(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** Every `<name>` (nested ones too) with a `handlers/<name>/index.ts`, sorted. */
function builtinNames(packageRoot: string): string[] {
  const names: string[] = [];
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > MAX_BUILTIN_DEPTH || !existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      if (!BUILTIN_SEGMENT.test(entry) || !statSync(join(dir, entry)).isDirectory()) continue;
      const name = prefix + entry;
      if (isFile(join(dir, entry, 'index.ts'))) names.push(name);
      walk(join(dir, entry), `${name}/`, depth + 1);
    }
  };
  walk(join(packageRoot, 'handlers'), '', 1);
  return names.sort();
}

export interface ResolvedHandler {
  /** Absolute path of the entry file. */
  file: string;
  /** `<packageRoot>/handlers` for a built-in handler (whose imports resolve from the project first). */
  handlersDir?: string;
}

export function resolveHandlerFile(options: { functionKey: string; handler: string; baseDir: string; packageRoot?: string }): ResolvedHandler {
  const { functionKey, handler } = options;
  const baseDir = resolve(options.baseDir);

  if (handler.startsWith(BUILTIN_PREFIX)) {
    const packageRoot = resolve(options.packageRoot ?? defaultPackageRoot());
    const name = handler.slice(BUILTIN_PREFIX.length);
    const file = join(packageRoot, 'handlers', name, 'index.ts');
    if (BUILTIN_NAME.test(name) && isFile(file)) return { file, handlersDir: join(packageRoot, 'handlers') };
    const available = builtinNames(packageRoot);
    throw new BundleError({
      functionKey,
      file,
      problem: `handler "${handler}" is not a built-in handler of edge-install (${file} does not exist).`,
      fix:
        available.length > 0
          ? `use one of ${available.map((n) => `"${BUILTIN_PREFIX}${n}"`).join(', ')}, or a path to your own handler file relative to the manifest.`
          : 'use a path to your own handler file relative to the manifest.',
    });
  }

  const file = resolve(baseDir, handler);
  if (isFile(file)) return { file };
  for (const candidate of [...EXTENSIONS.map((ext) => file + ext), ...EXTENSIONS.map((ext) => join(file, `index${ext}`))]) {
    if (isFile(candidate)) return { file: candidate };
  }
  throw new BundleError({
    functionKey,
    file,
    problem: `handler file ${file} does not exist ("${handler}" is resolved against ${baseDir}, the directory of the manifest).`,
    fix: `create ${displayPath(file, baseDir)} exporting \`handler\`, or correct functions.${functionKey}.handler in the manifest (a path relative to the manifest, or "${BUILTIN_PREFIX}<name>").`,
  });
}
