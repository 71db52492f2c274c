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
import { listRevisions } from '../state/revisions.js';

export async function gatherGc(clients: AwsClients, manifest: Manifest, options: { stateDir: string }): Promise<GcInputs> {
  const revisions = await listRevisions(options.stateDir, manifest.name);
  const [owned, associations] = await Promise.all([observeOwnedFunctions(clients, manifest.name, ownedFunctionNames(manifest, revisions)), listAccountAssociations(clients)]);
  return { integration: manifest.name, functions: owned.functions, untagged: owned.untagged, associations };
}
