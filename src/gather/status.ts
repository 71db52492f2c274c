/**
 * GATHER for `status`: the distributions, the manifest's functions and their published
 * versions, the integration's cache policies, whether the secret exists (never its value),
 * and the revisions.
 */
import type { AwsClients } from '../aws/clients.js';
import { listCustomCachePolicies } from '../aws/observe/cache-policies.js';
import { observeDistributions } from '../aws/observe/distribution.js';
import { observeFunction } from '../aws/observe/functions.js';
import { secretExists } from '../aws/observe/secret-exists.js';
import { cachePolicyName } from '../manifest/naming.js';
import type { Manifest } from '../manifest/schema.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import type { StatusInputs } from '../plan/status.js';
import { unknownCachePolicyId } from '../plan/unknown.js';
import { gatherStoredState, recover } from './state.js';
import { observeCanariesWhereAttached } from '../aws/observe/canary.js';
import type { StateStore } from '../state/store.js';

export async function gatherStatus(clients: AwsClients, manifest: Manifest, options: { distributionIds: string[]; state: StateStore }): Promise<StatusInputs> {
  const [functions, policies, exists, distributions, state] = await Promise.all([
    Promise.all(Object.keys(manifest.functions).map((key) => observeFunction(clients, manifest.name, key))),
    Object.keys(manifest.cachePolicies).length ? listCustomCachePolicies(clients) : Promise.resolve(new Map<string, string>()),
    manifest.secret ? secretExists(clients, manifest.secret) : Promise.resolve(true),
    observeDistributions(clients, options.distributionIds),
    gatherStoredState(options.state, manifest.name),
  ]);
  const recovery = recover(manifest, state, distributions);
  const revisions = recovery.revisions;
  const cachePolicyIds = Object.fromEntries(
    Object.keys(manifest.cachePolicies).map((key) => {
      const name = cachePolicyName(manifest.name, key);
      return [key, policies.get(name) ?? unknownCachePolicyId(name)];
    }),
  );
  const canaries = await observeCanariesWhereAttached(clients, manifest.name, distributions);
  return {
    canaries,
    manifest,
    distributions,
    revisions,
    ownedFunctionNames: ownedFunctionNames(manifest, revisions),
    functions,
    cachePolicyIds,
    secret: manifest.secret ? { name: manifest.secret.name, exists } : null,
    recovery,
    now: new Date(),
  };
}
