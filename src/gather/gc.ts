/**
 * GATHER for `gc`: the integration's tagged functions with every published version, and every
 * Lambda@Edge association in the account.
 */
import type { AwsClients } from '../aws/clients.js';
import { listAccountAssociations } from '../aws/observe/account-associations.js';
import { observeOwnedFunctions } from '../aws/observe/owned-functions.js';
import type { Manifest } from '../manifest/schema.js';
import type { GcInputs } from '../plan/gc.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import { gatherStoredState } from './state.js';
import type { StateStore } from '../state/store.js';

export async function gatherGc(clients: AwsClients, manifest: Manifest, options: { state: StateStore }): Promise<GcInputs> {
  const state = await gatherStoredState(options.state, manifest.name);
  // A write still in the journal is the integration's too: its functions are never garbage.
  const drafts = state.pending.map((p) => ({ ...p.draft, revision: p.id }));
  const names = ownedFunctionNames(manifest, [...state.revisions, ...drafts]);
  const [owned, associations] = await Promise.all([observeOwnedFunctions(clients, manifest.name, names), listAccountAssociations(clients)]);
  return { integration: manifest.name, functions: owned.functions, untagged: owned.untagged, adopted: owned.adopted, associations };
}
