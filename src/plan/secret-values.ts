/**
 * PURE: the secret's desired values for a run — the manifest's non-sensitive values plus the
 * sensitive ones given for this run (prompt, file, env or stdin). They stay in memory; the
 * planner only ever sees their keyed digests (the digest function is made per run, with a
 * random key, by src/aws/observe/secret.ts).
 */
import type { Manifest } from '../manifest/schema.js';

export type SecretValues = Record<string, string>;

export type SecretDigest = (value: string) => string;

export function desiredSecretValues(manifest: Manifest, given: SecretValues = {}): SecretValues {
  const values: SecretValues = {};
  for (const [key, spec] of Object.entries(manifest.secret?.keys ?? {})) {
    if (spec.sensitive) {
      if (given[key] !== undefined) values[key] = given[key];
    } else if (spec.value !== undefined) {
      values[key] = spec.value;
    }
  }
  return values;
}

export function digestValues(values: SecretValues, digest: SecretDigest): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, digest(value)]));
}

/** Keys of the manifest's secret whose values are sensitive (given to init, never in the manifest). */
export function sensitiveKeys(manifest: Manifest): string[] {
  return Object.entries(manifest.secret?.keys ?? {})
    .filter(([, spec]) => spec.sensitive)
    .map(([key]) => key);
}
