/**
 * PURE: the manifest `init` writes — a recipe and its answers expanded, keys in reading order,
 * and checked by every rule of parseManifest before anything is written. `$schema` is what the
 * caller found (src/gather/schema-pointer.ts): a file inside the installed package.
 */
import { parseManifest } from './parse.js';
import { expandRecipe, type Answers, type Recipe } from './recipes.js';
import type { Manifest, ManifestInput } from './schema.js';
import type { S3Location } from '../state/s3/location.js';

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
export function buildInitManifest(
  recipe: Recipe,
  answers: Answers,
  distributions: string[],
  options: { secretRegion?: string; source?: string; state?: S3Location; schema?: string } = {},
): InitManifest {
  const expanded = expandRecipe(recipe, answers, distributions, options.schema) as ManifestInput & Record<string, unknown>;
  const { $schema, name, recipe: recipeName, values, ...rest } = expanded;
  // Reading order: who it is, where it goes, the values a user edits, then what it owns. No
  // empty `values` (the custom recipe refers to none): nothing there to edit.
  const editable = values && Object.keys(values).length ? { values } : {};
  const raw = { $schema, name, recipe: recipeName, distributions, ...editable, ...rest } as ManifestInput & Record<string, unknown>;
  if (options.secretRegion && raw.secret) raw.secret = { ...raw.secret, region: options.secretRegion };
  // `init --state s3://…` (as terraform init's backend settings): the team's state place is written
  // down, so every later command and every teammate uses it without the flag.
  if (options.state) raw.state = { s3: { bucket: options.state.bucket, prefix: options.state.prefix, ...(options.state.region ? { region: options.state.region } : {}) } };
  const manifest = parseManifest(structuredClone(raw), options.source, { recipe });
  return { raw, manifest };
}

export function manifestText(raw: ManifestInput): string {
  return `${JSON.stringify(raw, null, 2)}\n`;
}
