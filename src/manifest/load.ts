/**
 * Reads `edge-install.json` and the recipe it names (recipe-files.ts), and checks it with
 * checkManifest (pure).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Manifest } from './schema.js';
import { ManifestError, formatPath, manifestIssue, type ManifestIssue } from './errors.js';
import { parseJson } from './json.js';
import { checkManifest } from './parse.js';
import { findRecipe } from './recipe-files.js';

export { checkManifest, parseManifest, type ManifestCheck } from './parse.js';

export const DEFAULT_MANIFEST_PATH = 'edge-install.json';

export interface LoadedManifest {
  manifest: Manifest;
  /** Absolute path of the file. */
  path: string;
  /** Its directory: handler paths in the manifest are relative to it. */
  baseDir: string;
}

/**
 * Reads, parses, interpolates and validates a manifest. Throws ManifestError (exit code 2)
 * listing every issue — including a missing file or a JSON syntax error (with its line and
 * column). Issues are reported under `path` as given, so messages name the file the user named.
 */
export async function loadManifest(path: string = DEFAULT_MANIFEST_PATH, cwd = process.cwd()): Promise<LoadedManifest> {
  const absolute = resolve(cwd, path);
  const text = await readManifestText(path, absolute);
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    throw new ManifestError(
      [{ ...manifestIssue('', `is not valid JSON: ${message} at line ${line}, column ${column}`, `correct the JSON at line ${line}, column ${column} (a trailing comma, a missing comma or quote, or a comment are the usual causes)`), line, column }],
      path,
    );
  }
  const duplicates: ManifestIssue[] = parsed.duplicates.map((d) => ({
    ...manifestIssue(d.path, `appears twice in the same object (again at line ${d.line}, column ${d.column}); JSON keeps only the last one`, `remove or rename one of the two ${formatPath(d.path)} entries`),
    line: d.line,
    column: d.column,
  }));
  const recipe = findRecipe((parsed.value as { recipe?: unknown } | null)?.recipe);
  const { manifest, issues } = checkManifest(parsed.value, { recipe });
  const all = [...duplicates, ...issues];
  if (!manifest || all.length) throw new ManifestError(all, path);
  return { manifest, path: absolute, baseDir: dirname(absolute) };
}

async function readManifestText(path: string, absolute: string): Promise<string> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ManifestError([manifestIssue('', `not found (looked for ${absolute})`, 'run `edge-install init` to create it, or pass --config <path> to use another manifest')], path);
    }
    if (code === 'EISDIR') {
      throw new ManifestError([manifestIssue('', `is a directory, not a manifest file`, 'pass --config <path> with the path of the JSON file')], path);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ManifestError([manifestIssue('', `cannot be read (${code})`, 'check the file permissions, or pass --config <path>')], path);
    }
    throw error;
  }
}
