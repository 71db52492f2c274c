/**
 * GATHER for `promote`, `abort` and the canary part of `status`: the primaries as they are,
 * the integration's revisions, and each primary's continuous deployment state (its policy, the
 * integration's staging copy). Only reads.
 */
import type { AwsClients } from '../aws/clients.js';
import { observeCanaries, observeCanariesWhereAttached } from '../aws/observe/canary.js';
import { canarySides } from '../plan/canary-state.js';
import type { CanarySides } from '../plan/logs.js';
import { observeDistributions } from '../aws/observe/distribution.js';
import type { Manifest } from '../manifest/schema.js';
import type { CanaryInputs } from '../plan/canary-end.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import { gatherStoredState, recover } from './state.js';
import type { StateStore } from '../state/store.js';

export async function gatherCanary(clients: AwsClients, manifest: Manifest, options: { distributionIds: string[]; state: StateStore }): Promise<CanaryInputs> {
  const [state, distributions] = await Promise.all([gatherStoredState(options.state, manifest.name), observeDistributions(clients, options.distributionIds)]);
  const recovery = recover(manifest, state, distributions);
  const canaries = await observeCanaries(clients, manifest.name, distributions);
  return { manifest, distributions, revisions: recovery.revisions, ownedFunctionNames: ownedFunctionNames(manifest, recovery.revisions), canaries, recovery };
}

/**
 * For `logs`: which side of a running canary each line comes from. Reading CloudFront is
 * best-effort here — a role that may read the logs but not the distributions still gets its
 * logs, unmarked — so a failure is returned as the reason, never thrown.
 */
export async function gatherCanarySides(clients: AwsClients, manifest: Manifest, distributionIds: string[]): Promise<{ sides?: CanarySides; unread?: Error }> {
  if (!distributionIds.length) return {};
  try {
    const distributions = await observeDistributions(clients, distributionIds);
    const canaries = await observeCanariesWhereAttached(clients, manifest.name, distributions);
    const names = ownedFunctionNames(manifest, []);
    const sides = canarySides(canaries, distributions, { integration: manifest.name, functionNames: names, originKeys: Object.keys(manifest.origins) });
    return sides ? { sides } : {};
  } catch (error) {
    return { unread: error as Error };
  }
}
