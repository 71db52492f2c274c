/**
 * A raw manifest (parsed JSON) → a checked Manifest, or every issue it has. PURE: no I/O —
 * the recipe the manifest names, if any, is read by the caller and passed in.
 *
 * Order: interpolate `${…}` on the raw JSON → zod (shape, formats, defaults) → validate.ts
 * (relations and AWS limits). All issues are collected: when zod fails, the values it
 * complained about are dropped (so defaults apply) and, if the rest then parses, the
 * validate.ts rules still run on it. A later step never reports a place an earlier one
 * already reported.
 */
import { ManifestSchema, type Manifest } from './schema.js';
import { DEFAULT_SOURCE, ManifestError, withoutEchoes, type ManifestIssue } from './errors.js';
import { interpolateManifest } from './interpolate.js';
import { validateManifest, type RuleContext } from './validate.js';
import { fromZodIssues } from './zod-issues.js';
import type { z } from 'zod';

export interface ManifestCheck {
  /** The manifest, when there are no issues. */
  manifest?: Manifest;
  issues: ManifestIssue[];
}

type Json = Record<string, unknown> | unknown[];

/**
 * The input with every value zod rejected removed, parsed again: enough for the other rules
 * to run. Undefined when that cannot work (the root or a whole list element is wrong, or a
 * required field was the bad one).
 */
function salvage(input: unknown, issues: readonly z.core.$ZodIssue[]): Manifest | undefined {
  const copy = structuredClone(input) as unknown;
  for (const issue of issues) {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    if (issue.code === 'unrecognized_keys') {
      const owner = walkTo(copy, path);
      if (!owner || Array.isArray(owner)) return undefined;
      for (const key of issue.keys) delete owner[key];
      continue;
    }
    // A bad list item: drop the whole list (if it has a default, the rest can still be checked).
    const keyAt = path.findLastIndex((segment) => typeof segment === 'string');
    if (keyAt === -1) return undefined;
    const owner = walkTo(copy, path.slice(0, keyAt));
    if (owner && !Array.isArray(owner)) delete owner[path[keyAt] as string];
  }
  const again = ManifestSchema.safeParse(copy);
  return again.success ? again.data : undefined;
}

function walkTo(value: unknown, path: readonly (string | number)[]): Json | undefined {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return typeof current === 'object' && current !== null ? (current as Json) : undefined;
}

/** Every issue of a raw manifest, and the manifest itself when there are none. Never throws. */
export function checkManifest(raw: unknown, context: RuleContext = {}): ManifestCheck {
  const interpolated = interpolateManifest(raw);
  const parsed = ManifestSchema.safeParse(interpolated.value);
  const shapeIssues = parsed.success ? [] : withoutEchoes(interpolated.issues, fromZodIssues(parsed.error.issues, interpolated.value));
  const earlier = [...interpolated.issues, ...shapeIssues];
  const manifest = parsed.success ? parsed.data : salvage(interpolated.value, parsed.error.issues);
  const ruleIssues = manifest ? withoutEchoes(earlier, validateManifest(manifest, context)) : [];
  const issues = [...earlier, ...ruleIssues];
  return issues.length === 0 && manifest ? { manifest, issues } : { issues };
}

/**
 * A manifest from memory (recipes, tests): interpolated, defaults filled, every rule checked.
 * Throws ManifestError with all issues; `source` is the name issues are reported under.
 */
export function parseManifest(raw: unknown, source: string = DEFAULT_SOURCE, context: RuleContext = {}): Manifest {
  const { manifest, issues } = checkManifest(raw, context);
  if (!manifest) throw new ManifestError(issues, source);
  return manifest;
}
