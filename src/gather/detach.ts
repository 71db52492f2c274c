/**
 * GATHER for `detach`: the distributions, the integration's revisions, every Lambda@Edge
 * association in the account (is it still attached elsewhere?), and which of its resources
 * exist now.
 */
import type { AwsClients } from '../aws/clients.js';
import { listAccountAssociations } from '../aws/observe/account-associations.js';
import { callerArn } from '../aws/observe/caller.js';
import { observeDistributions } from '../aws/observe/distribution.js';
import { observeOwnedResources } from '../aws/observe/owned-resources.js';
import type { Manifest } from '../manifest/schema.js';
import type { DetachInputs } from '../plan/detach.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import { gatherStoredState, recover } from './state.js';
import { observeCanariesWhereAttached } from '../aws/observe/canary.js';
import type { StateStore } from '../state/store.js';

export async function gatherDetach(clients: AwsClients, manifest: Manifest, options: { distributionIds: string[]; state: StateStore }): Promise<DetachInputs> {
  // Damaged or foreign state files are left out and reported: detach still works from the markers.
  const [state, distributions, associations] = await Promise.all([
    gatherStoredState(options.state, manifest.name, { tolerant: true }),
    observeDistributions(clients, options.distributionIds),
    listAccountAssociations(clients),
    // Who runs this (the revision's `by`): asked beside the reads, so the write finds it ready (caller.ts).
    callerArn(clients),
  ]);
  const recovery = recover(manifest, state, distributions);
  const revisions = recovery.revisions;
  const names = ownedFunctionNames(manifest, revisions);
  const policyKeys = [...new Set([...Object.keys(manifest.cachePolicies), ...revisions.flatMap((r) => Object.keys(r.cachePolicies ?? {}))])];
  const resources = await observeOwnedResources(clients, manifest, policyKeys, names);
  const canaries = await observeCanariesWhereAttached(clients, manifest.name, distributions);
  return { manifest, distributions, revisions, ownedFunctionNames: names, associations, resources, recovery, stateProblems: state.problems, canaries };
}
