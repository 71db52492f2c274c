/**
 * PURE: `init`'s secret step — planned exactly as `attach` plans it (planSecret, on keyed
 * digests only): create the secret, or write only the keys whose values differ.
 */
import type { AccountAssociation } from '../aws/observe/account-associations.js';
import type { ObservedSecret } from '../aws/observe/secret.js';
import { OWNER_TAG } from '../manifest/naming.js';
import type { Manifest } from '../manifest/schema.js';
import { distributionsUsing } from './detach.js';
import { ownedFunctionNames } from './owned-names.js';
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

/** The step writes values into a secret that exists (not only tags or replica regions). */
export function writesStoredValues(step: InitSecretStep): boolean {
  return step.change?.action === 'update' && step.change.keysToWrite.length > 0;
}

/**
 * Where the secret is in use now: distribution → the functions there that read it — the
 * manifest's functions, and those of the integration the secret is tagged for (another
 * checkout may have chosen another name; its functions are named `<name>-<key>`). Empty when
 * nothing live reads it. From every association in the account, not the state dir: a teammate's
 * install leaves no revision here.
 */
export function liveSecretUse(manifest: Manifest, observed: ObservedSecret | undefined, associations: readonly AccountAssociation[]): Map<string, string[]> {
  const names = new Set(ownedFunctionNames(manifest, []));
  const taggedFor = observed?.tags[OWNER_TAG];
  const users = taggedFor ? associations.filter((a) => a.functionName.startsWith(`${taggedFor}-`)).map((a) => a.functionName) : [];
  return distributionsUsing(associations, [...names, ...users]);
}

export interface InitSecretResult {
  name: string;
  region: string;
  created: boolean;
  keysWritten: string[];
  /** It existed without edge-install's tag: adopted (tagged; detach leaves it in place). */
  adopted?: boolean;
  /** When values were written over stored ones: the version that was AWSCURRENT (now AWSPREVIOUS), and the new one. */
  previousVersionId?: string;
  versionId?: string;
}

/** What init did to the secret (or, for --dry-run, would do: no version ids). */
export function initSecretResult(change: SecretChange, keysWritten: string[], previousVersionId?: string, versionId?: string): InitSecretResult {
  const replaced = change.action === 'update' && keysWritten.length > 0;
  return {
    name: change.name,
    region: change.region,
    created: change.action === 'create',
    keysWritten,
    ...(change.adopt ? { adopted: true } : {}),
    ...(replaced && previousVersionId ? { previousVersionId } : {}),
    ...(versionId ? { versionId } : {}),
  };
}
