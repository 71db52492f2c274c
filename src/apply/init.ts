/**
 * The non-CLI half of `edge-install init`: a recipe and its answers become a checked manifest;
 * the secret step is planned exactly as `attach` plans it (planSecret, on keyed digests only)
 * and carried out by the same step (create, or write only the keys whose values differ); then
 * the manifest is written atomically (a temporary file renamed into place), so an interrupted
 * init never leaves a partial file. The secret is written first: if the manifest cannot be
 * written after it, the secret write is undone and init leaves nothing behind.
 *
 * Secret values stay in memory: they are never rendered, logged or written anywhere but
 * Secrets Manager.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AwsClients } from '../aws/clients.js';
import type { ObservedResources } from '../aws/observe/index.js';
import { newSecretDigest, observeSecret, type ObservedSecret, type SecretDigest } from '../aws/observe/secret.js';
import { BUILTIN_PREFIX } from '../bundle/resolve-handler.js';
import { parseManifest } from '../manifest/parse.js';
import { expandRecipe, type Answers, type Recipe } from '../manifest/recipes.js';
import type { Manifest, ManifestInput } from '../manifest/schema.js';
import { planSecret, type SecretChange } from '../plan/resources.js';
import { desiredSecretValues, digestValues } from './secret-values.js';
import { applySecret, type SecretValues } from './steps/secret.js';
import { InterruptedError, StepError, UndoLog } from './undo.js';

export { newSecretDigest, type SecretDigest };

/** A manifest file exists where init would write one (exit 2: pass --force to replace it). */
export class ManifestExistsError extends Error {
  readonly exitCode = 2;

  constructor(readonly path: string) {
    super(`${path} already exists; init does not overwrite it. Pass --force to replace it, or --config <path> to write another file.`);
  }
}

// ---- the manifest ---------------------------------------------------------------------------

export interface InitManifest {
  /** What is written: `${values.*}` and `${secret.*}` kept, keys in reading order. */
  raw: ManifestInput;
  /** The same, interpolated and checked (every rule of parseManifest). */
  manifest: Manifest;
}

/**
 * The manifest a recipe's answers expand to, checked before anything is written.
 * `secretRegion` (--region) moves the secret; Lambda@Edge and CloudFront stay in us-east-1.
 */
export function buildInitManifest(recipe: Recipe, answers: Answers, distributions: string[], options: { secretRegion?: string; source?: string } = {}): InitManifest {
  const expanded = expandRecipe(recipe, answers, distributions) as ManifestInput & Record<string, unknown>;
  const { $schema, name, recipe: recipeName, values, ...rest } = expanded;
  // Reading order: who it is, where it goes, the values a user edits, then what it owns.
  const raw = { $schema, name, recipe: recipeName, distributions, values, ...rest } as ManifestInput & Record<string, unknown>;
  if (options.secretRegion && raw.secret) raw.secret = { ...raw.secret, region: options.secretRegion };
  const manifest = parseManifest(structuredClone(raw), options.source);
  return { raw, manifest };
}

export function manifestText(raw: ManifestInput): string {
  return `${JSON.stringify(raw, null, 2)}\n`;
}

// ---- the secret -----------------------------------------------------------------------------

/** Keys of the manifest's secret whose values are sensitive (given to init, never in the manifest). */
export function sensitiveKeys(manifest: Manifest): string[] {
  return Object.entries(manifest.secret?.keys ?? {})
    .filter(([, spec]) => spec.sensitive)
    .map(([key]) => key);
}

/** Keys the existing secret holds a value for (none when it does not exist). */
export function storedKeys(observed: ObservedSecret | undefined): string[] {
  return observed?.exists ? Object.keys(observed.keyDigests ?? {}) : [];
}

/** What exists of the manifest's secret, its values reduced to `digest`s; undefined without a secret. */
export async function observeInitSecret(clients: AwsClients, manifest: Manifest, digest: SecretDigest): Promise<ObservedSecret | undefined> {
  return manifest.secret ? observeSecret(clients, manifest.secret, digest) : undefined;
}

function secretPlanInput(manifest: Manifest, observed: ObservedSecret | undefined, desiredSecretDigests: Record<string, string>) {
  // planSecret reads only the manifest and the observed secret; the rest of the observation
  // (role, functions, policies) is attach's business, not init's.
  const resources = { secret: observed } as ObservedResources;
  return { manifest, observed: resources, bundles: {}, desiredSecretDigests };
}

/**
 * The secret rules that do not depend on values (scheduled for deletion, not a JSON object),
 * checked before any value is asked for: planSecret itself, with every key pretending to be given.
 */
export function checkSecretUsable(manifest: Manifest, observed: ObservedSecret | undefined): void {
  const placeholders = Object.fromEntries(Object.keys(manifest.secret?.keys ?? {}).map((key) => [key, '']));
  planSecret(secretPlanInput(manifest, observed, placeholders));
}

export interface InitSecretStep {
  change?: SecretChange;
  /** In memory only. */
  values: SecretValues;
  observed?: ObservedSecret;
}

/**
 * What the secret step will do: the manifest's non-sensitive values plus the sensitive values
 * given, compared by digest with what is stored. Throws PlanError (exit 2) for a sensitive key
 * with no value given or stored.
 */
export function planInitSecret(manifest: Manifest, observed: ObservedSecret | undefined, given: SecretValues, digest: SecretDigest): InitSecretStep {
  const values = desiredSecretValues(manifest, given);
  const change = planSecret(secretPlanInput(manifest, observed, digestValues(values, digest)));
  return { change, values, observed };
}

// ---- files ----------------------------------------------------------------------------------

/**
 * Writes `text` to `path` atomically: a temporary file next to it, flushed, then renamed
 * (or, without `overwrite`, hard-linked, which fails if `path` appeared meanwhile). A reader
 * sees the old file or the whole new one, never a part.
 */
export async function writeFileAtomically(path: string, text: string, options: { overwrite: boolean }): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite) {
      await rename(temporary, path);
    } else {
      try {
        await link(temporary, path);
        await unlink(temporary);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new ManifestExistsError(path);
        // File systems without hard links: check, then rename (still never a partial file).
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
        if (existsSync(path)) throw new ManifestExistsError(path);
        await rename(temporary, path);
      }
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

export interface ScaffoldFile {
  /** Absolute path. */
  path: string;
  text: string;
}

const STARTER_HANDLER = new URL('../../templates/starters/custom-handler.ts', import.meta.url);

/**
 * The `custom` recipe's starter: a typed handler at the path the user named, when no file is
 * there yet. A file that exists is the user's and is left alone.
 */
export async function scaffoldFiles(manifest: Manifest, baseDir: string): Promise<ScaffoldFile[]> {
  if (manifest.recipe !== 'custom') return [];
  const out: ScaffoldFile[] = [];
  for (const fn of Object.values(manifest.functions)) {
    if (fn.handler.startsWith(BUILTIN_PREFIX)) continue;
    const path = resolve(baseDir, fn.handler);
    if (existsSync(path) || out.some((f) => f.path === path)) continue;
    out.push({ path, text: await readFile(STARTER_HANDLER, 'utf8') });
  }
  return out;
}

/** Handler files the manifest names that do not exist and init does not create (a warning, not an error). */
export function missingHandlerFiles(manifest: Manifest, baseDir: string, scaffolded: ScaffoldFile[]): string[] {
  return Object.values(manifest.functions)
    .map((fn) => fn.handler)
    .filter((handler) => !handler.startsWith(BUILTIN_PREFIX))
    .filter((handler) => !existsSync(resolve(baseDir, handler)) && !scaffolded.some((f) => f.path === resolve(baseDir, handler)));
}

// ---- writing --------------------------------------------------------------------------------

export interface InitWrite {
  manifestPath: string;
  manifestText: string;
  /** Replace an existing manifest (--force). */
  force: boolean;
  secret: InitSecretStep;
  scaffold: ScaffoldFile[];
  /** Aborted on SIGINT: the write in flight finishes, the secret write is undone, nothing else is written. */
  signal?: AbortSignal;
}

export interface InitResult {
  secret?: { name: string; region: string; created: boolean; keysWritten: string[] };
  scaffolded: string[];
}

/** The only writes of init: the secret (if it differs), then starter files, then the manifest. */
export async function applyInit(clients: AwsClients, write: InitWrite): Promise<InitResult> {
  const undo = new UndoLog();
  const { change, values, observed } = write.secret;
  const stopIfInterrupted = async () => {
    if (write.signal?.aborted) throw new InterruptedError(undo.size ? await undo.undoAll() : undefined);
  };
  await stopIfInterrupted();
  if (!write.force && existsSync(write.manifestPath)) throw new ManifestExistsError(write.manifestPath);
  const secretWrites = !!change && change.action !== 'none';
  if (change && secretWrites) {
    try {
      await applySecret(clients, change, values, undo, observed?.arn);
    } catch (error) {
      throw new StepError(`secret ${change.name}`, error as Error, await undo.undoAll());
    }
  }
  const written: string[] = [];
  try {
    await stopIfInterrupted();
    for (const file of write.scaffold) {
      await writeFileAtomically(file.path, file.text, { overwrite: false });
      written.push(file.path);
    }
    await stopIfInterrupted();
    await writeFileAtomically(write.manifestPath, write.manifestText, { overwrite: write.force });
  } catch (error) {
    for (const path of written) await unlink(path).catch(() => undefined);
    if (error instanceof InterruptedError) throw error;
    const report = undo.size ? await undo.undoAll() : undefined;
    if (report && (report.undone.length || report.failed.length)) {
      const e = error as Error & { exitCode?: number };
      const wrapped = new StepError('write the manifest', e, report);
      // Keep the original exit code (e.g. 2 for an existing manifest).
      throw Object.assign(wrapped, { exitCode: e.exitCode ?? 1 });
    }
    throw error;
  }
  return {
    secret: change ? { name: change.name, region: change.region, created: change.action === 'create', keysWritten: secretWrites ? change.keysToWrite : [] } : undefined,
    scaffolded: written,
  };
}
