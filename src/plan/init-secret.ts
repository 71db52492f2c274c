/**
 * PURE: `init`'s secret step — planned exactly as `attach` plans it (planSecret, on keyed
 * digests only): create the secret, or write only the keys whose values differ.
 */
import type { ObservedSecret } from '../aws/observe/secret.js';
import type { Manifest } from '../manifest/schema.js';
import { planSecret, type SecretChange } from './resources.js';
import { desiredSecretValues, digestValues, type SecretDigest, type SecretValues } from './secret-values.js';

/** Keys the existing secret holds a value for (none when it does not exist). */
export function storedKeys(observed: ObservedSecret | undefined): string[] {
  return observed?.exists ? Object.keys(observed.keyDigests ?? {}) : [];
}

/**
 * The secret rules that do not depend on values (scheduled for deletion, not a JSON object),
 * checked before any value is asked for: planSecret itself, with every key pretending to be given.
 */
export function checkSecretUsable(manifest: Manifest, observed: ObservedSecret | undefined): void {
  const placeholders = Object.fromEntries(Object.keys(manifest.secret?.keys ?? {}).map((key) => [key, '']));
  planSecret(manifest, observed, placeholders);
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
  const change = planSecret(manifest, observed, digestValues(values, digest));
  return { change, values, observed };
}
