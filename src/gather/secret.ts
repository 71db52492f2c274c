/**
 * GATHER for `secret set|rotate|keys`: whose credentials these are (the revisions say who),
 * the secret as stored (values only as keyed digests, made with a key for this run), the
 * manifest's distributions (what each runs now, for the revisions and for who reads the new
 * value), the integration's revisions with the journal resolved, and where the recipe says
 * each sensitive key's value comes from.
 */
import type { AwsClients } from '../aws/clients.js';
import { observeAccount } from '../aws/observe/account.js';
import { observeDistributions, type ObservedDistribution } from '../aws/observe/distribution.js';
import { newSecretDigest, observeSecret, type ObservedSecret } from '../aws/observe/secret.js';
import { observeSecretHistory, type ObservedSecretHistory } from '../aws/observe/secret-history.js';
import { findRecipe } from '../manifest/recipe-files.js';
import { secretQuestions } from '../manifest/recipes.js';
import type { Manifest } from '../manifest/schema.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import type { Recovery } from '../plan/reconcile.js';
import type { Revision } from '../plan/revision.js';
import type { SecretKeyOrigins } from '../plan/secret-change.js';
import type { SecretDigest } from '../plan/secret-values.js';
import type { StateStore } from '../state/store.js';
import { gatherStoredState, recover } from './state.js';

/**
 * Where the manifest's sensitive keys come from, by its recipe (templates/recipes/*.json):
 * - vendor-issued: the keys a built-in recipe asks for as secrets (its `secret` questions): the
 *   vendor issues them (its dashboard or portal), so edge-install can store them but never make
 *   one up;
 * - generated: the sensitive keys the manifest marks `"generated": true` — values nobody else
 *   issues (the user's handler's own signing key), which `secret rotate` may replace with a
 *   random one. No recipe marks one: first-party-proxy and edge-enforcer ask only for
 *   vendor-issued values, and the custom recipe's keys (its `secretKeys` answer) may be a third
 *   party's, so only the user can say so;
 * - every other sensitive key (a custom recipe's, or one added to a manifest by hand) is the
 *   user's own: plan/secret-change.ts originOf.
 */
export function secretKeyOrigins(manifest: Manifest): SecretKeyOrigins {
  const recipe = manifest.recipe === 'custom' ? undefined : findRecipe(manifest.recipe);
  return {
    vendorIssued: recipe ? secretQuestions(recipe).map((q) => ({ key: q.key, where: q.message })) : [],
    // Only what the manifest marks `"generated": true`: no recipe's key is edge-install's to make up.
    generated: Object.entries(manifest.secret?.keys ?? {}).filter(([, spec]) => spec.sensitive && spec.generated === true).map(([key]) => key),
  };
}

export interface SecretChangeInputs {
  callerArn: string;
  observed: ObservedSecret;
  digest: SecretDigest;
  distributions: ObservedDistribution[];
  recovery: Recovery;
  revisions: Revision[];
  ownedFunctionNames: string[];
}

export async function gatherSecretChange(clients: AwsClients, manifest: Manifest, state: StateStore): Promise<SecretChangeInputs> {
  const digest = newSecretDigest();
  // Credentials first: a bad profile is said before anything else is read.
  const account = await observeAccount(clients);
  const [observed, distributions, stored] = await Promise.all([
    observeSecret(clients, manifest.secret!, digest),
    observeDistributions(clients, [...new Set(manifest.distributions)]),
    gatherStoredState(state, manifest.name),
  ]);
  const recovery = recover(manifest, stored, distributions);
  return { callerArn: account.callerArn, observed, digest, distributions, recovery, revisions: recovery.revisions, ownedFunctionNames: ownedFunctionNames(manifest, recovery.revisions) };
}

/**
 * The secret as it is now, read before the value is asked for at a prompt and before the lock
 * is taken, so that a secret that cannot take one (binary, another integration's, being
 * deleted) is said before anyone types. The run reads it again under the lock to plan.
 */
export async function gatherSecretBeforePrompt(clients: AwsClients, manifest: Manifest): Promise<ObservedSecret> {
  // Credentials first, as gatherSecretChange does: a bad profile is said before anything else.
  await observeAccount(clients);
  return observeSecret(clients, manifest.secret!, newSecretDigest());
}

export interface SecretKeysInputs {
  history: ObservedSecretHistory;
  /** The integration's revisions (they date the moves of AWSCURRENT a rollback made); empty if the state cannot be read. */
  revisions: Revision[];
  /** Why the revisions could not be read, if they could not. */
  stateProblem?: string;
}

/** What `secret keys` reports from: the secret's versions and their keys' digests, and the revisions. Reads nothing else. */
export async function gatherSecretKeys(clients: AwsClients, manifest: Manifest, state: () => Promise<StateStore>): Promise<SecretKeysInputs> {
  const secret = manifest.secret!;
  const history = await observeSecretHistory(clients, secret.name, secret.region, newSecretDigest());
  try {
    const stored = await gatherStoredState(await state(), manifest.name, { tolerant: true });
    return { history, revisions: stored.revisions };
  } catch (error) {
    // A listing must not fail for want of a state dir: the dates then come from the versions alone.
    return { history, revisions: [], stateProblem: (error as Error).message };
  }
}
