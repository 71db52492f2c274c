/**
 * The secret's desired values for a run: the manifest's non-sensitive values plus the
 * sensitive ones given for this run (prompt, file, env or stdin). They stay in memory; the
 * planner only ever sees their keyed digests.
 */
import type { SecretDigest } from '../aws/observe/secret.js';
import type { Manifest } from '../manifest/schema.js';
import type { SecretValues } from './steps/secret.js';

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
