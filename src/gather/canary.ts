/**
 * GATHER for `promote`, `abort` and the canary part of `status`: the primaries as they are,
 * the integration's revisions, and each primary's continuous deployment state (its policy, the
 * integration's staging copy). Only reads.
 */
import type { AwsClients } from '../aws/clients.js';
import { observeCanaries, observeCanariesWhereAttached, type ObservedCanary } from '../aws/observe/canary.js';
import { callerArn } from '../aws/observe/caller.js';
import { observeDistributions, type ObservedDistribution } from '../aws/observe/distribution.js';
import type { Manifest } from '../manifest/schema.js';
import type { CanaryInputs } from '../plan/canary-end.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import { gatherStoredState, recover } from './state.js';
import type { StateStore } from '../state/store.js';

export async function gatherCanary(clients: AwsClients, manifest: Manifest, options: { distributionIds: string[]; state: StateStore }): Promise<CanaryInputs> {
  // Who runs this (promote's or abort's revision `by`): asked beside the reads, so the write finds it ready (caller.ts).
  const [state, distributions] = await Promise.all([gatherStoredState(options.state, manifest.name), observeDistributions(clients, options.distributionIds), callerArn(clients)]);
  const recovery = recover(manifest, state, distributions);
  const canaries = await observeCanaries(clients, manifest.name, distributions);
  return { manifest, distributions, revisions: recovery.revisions, ownedFunctionNames: ownedFunctionNames(manifest, recovery.revisions), canaries, recovery };
}

/**
 * For `logs`: the primaries and their continuous deployment state, from which the plan tells
 * a running canary's two sides apart (canary-state.ts, canarySides). Reading CloudFront is
 * best-effort here — a role that may read the logs but not the distributions still gets its
 * logs, unmarked — so a failure is returned as the reason, never thrown.
 */
export async function gatherCanaryState(
  clients: AwsClients,
  manifest: Manifest,
  distributionIds: string[],
): Promise<{ distributions: ObservedDistribution[]; canaries: Record<string, ObservedCanary>; unread?: Error }> {
  if (!distributionIds.length) return { distributions: [], canaries: {} };
  try {
    const distributions = await observeDistributions(clients, distributionIds);
    return { distributions, canaries: await observeCanariesWhereAttached(clients, manifest.name, distributions) };
  } catch (error) {
    return { distributions: [], canaries: {}, unread: error as Error };
  }
}
