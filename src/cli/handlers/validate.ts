/**
 * `edge-install validate` and `edge-install bundle`: the manifest loaded and checked, and every
 * function bundled exactly as attach bundles it (src/bundle/manifest.ts) — all of them, so one
 * run names every problem, not the first. Neither makes AWS clients: no credentials are read.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Bundle } from '../../bundle/index.js';
import { codeSizeLimit, formatBytes } from '../../bundle/limits.js';
import { bundleManifestFunction } from '../../bundle/manifest.js';
import { UsageError } from '../../errors.js';
import type { LoadedManifest } from '../../manifest/load.js';
import { functionName } from '../../manifest/naming.js';
import { attachmentsOf } from '../../manifest/validate.js';
import type { CommandContext } from '../context.js';

export interface ValidateFlags {
  out?: string;
}

interface Built {
  key: string;
  name: string;
  bundle: Bundle;
  limitBytes: number;
}

/** Every function bundled; all failures together (exit 2), each naming its function and file. */
async function buildAll(loaded: LoadedManifest): Promise<Built[]> {
  const { manifest } = loaded;
  const keys = Object.keys(manifest.functions);
  const settled = await Promise.allSettled(keys.map((key) => bundleManifestFunction(manifest, key, loaded.baseDir)));
  const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  if (failed.length === 1) throw failed[0];
  if (failed.length) throw new UsageError(`${failed.length} functions cannot be built:\n${failed.map((e) => `- ${e.message}`).join('\n')}`);
  return keys.map((key, i) => {
    const events = (attachmentsOf(manifest).get(key) ?? []).map((a) => a.event);
    return { key, name: functionName(manifest.name, key), bundle: (settled[i] as PromiseFulfilledResult<Bundle>).value, limitBytes: codeSizeLimit(events).bytes };
  });
}

const sizeText = (b: Built) => `${formatBytes(b.bundle.codeSize)} bytes zipped (limit ${formatBytes(b.limitBytes)})`;

export async function validate(ctx: CommandContext<ValidateFlags>): Promise<void> {
  const loaded = await ctx.loadManifest();
  const built = await buildAll(loaded);
  const shown = relative(ctx.io.cwd, loaded.path) || loaded.path;
  ctx.out(`✓ ${shown} is valid: ${loaded.manifest.name}, ${built.length} function${built.length === 1 ? '' : 's'} built.`);
  for (const b of built) ctx.out(`  ${b.key} (${b.name}): ${sizeText(b)}`);
  if (ctx.global.json) ctx.json({ version: 1, valid: true, manifest: loaded.path, integration: loaded.manifest.name, functions: built.map(functionDocument) });
}

export async function bundle(ctx: CommandContext<ValidateFlags>): Promise<void> {
  const loaded = await ctx.loadManifest();
  const built = await buildAll(loaded);
  const dir = ctx.path(ctx.flags.out ?? 'edge-install-bundles');
  await mkdir(dir, { recursive: true });
  const written = await Promise.all(
    built.map(async (b) => {
      const file = join(dir, `${b.name}.zip`);
      await writeFile(file, b.bundle.zip);
      return { ...b, file };
    }),
  );
  for (const w of written) ctx.out(`${relative(ctx.io.cwd, w.file) || w.file}  CodeSha256 ${w.bundle.codeSha256}  ${sizeText(w)}`);
  if (ctx.global.json) ctx.json({ version: 1, integration: loaded.manifest.name, functions: written.map((w) => ({ ...functionDocument(w), file: w.file })) });
}

function functionDocument(b: Built) {
  return { key: b.key, functionName: b.name, codeSha256: b.bundle.codeSha256, codeSize: b.bundle.codeSize, limitBytes: b.limitBytes };
}
