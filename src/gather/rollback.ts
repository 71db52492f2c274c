/**
 * GATHER for `rollback`: the distributions as they are, the integration's revisions, and —
 * only for a distribution without revisions — its functions' published versions (what the
 * limited mode goes back to).
 */
import type { AwsClients } from '../aws/clients.js';
import { callerArn } from '../aws/observe/caller.js';
import { observeDistributions } from '../aws/observe/distribution.js';
import { observeFunctionNamed } from '../aws/observe/functions.js';
import { functionName } from '../manifest/naming.js';
import type { Manifest } from '../manifest/schema.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import { revisionsUndoneBy, undoneSecretWrites, type RollbackInputs } from '../plan/rollback.js';
import { observeSecretVersion } from '../aws/observe/secret.js';
import { gatherStoredState, recover } from './state.js';
import { observeCanariesWhereAttached } from '../aws/observe/canary.js';
import type { StateStore } from '../state/store.js';

export async function gatherRollback(clients: AwsClients, manifest: Manifest, options: { distributionIds: string[]; state: StateStore; to?: string }): Promise<RollbackInputs> {
  // Who runs this (the revision's `by`): asked beside the reads, so the write finds it ready (caller.ts).
  const [state, distributions] = await Promise.all([gatherStoredState(options.state, manifest.name), observeDistributions(clients, options.distributionIds), callerArn(clients)]);
  const recovery = recover(manifest, state, distributions);
  const revisions = recovery.revisions;
  const names = ownedFunctionNames(manifest, revisions);
  const keyOf = (name: string) => Object.keys(manifest.functions).find((k) => functionName(manifest.name, k) === name) ?? name;
  // The published versions are needed only where a distribution has no revision (limited
  // mode): a rollback from revisions reads nothing of Lambda.
  const limited = options.distributionIds.some((id) => !revisions.some((r) => r.distributionId === id));
  const functions = limited ? await Promise.all(names.map((name) => observeFunctionNamed(clients, name, keyOf(name)))) : [];
  // The secret's AWSCURRENT only when a revision being undone wrote values over stored ones.
  const writes = undoneSecretWrites(revisionsUndoneBy({ revisions }, options.distributionIds, options.to));
  const secret = writes.length ? await observeSecretVersion(clients, writes[0]!.name, writes[0]!.region) : undefined;
  const canaries = await observeCanariesWhereAttached(clients, manifest.name, distributions);
  return { manifest, distributions, revisions, ownedFunctionNames: names, functions, stateLocation: options.state.location, recovery, canaries, ...(secret ? { secret } : {}) };
}
