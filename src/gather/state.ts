/**
 * GATHER, for every command that reads revisions: the integration's revisions and the
 * write-ahead journal from the state store, checked (src/state/records.ts), and — once the
 * distributions are read — the journal resolved against what is live (src/plan/reconcile.ts).
 */
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { Manifest } from '../manifest/schema.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import { reconcile, type Recovery } from '../plan/reconcile.js';
import type { PendingWrite, Revision } from '../plan/revision.js';
import { StateFileError, type StateProblem } from '../state/revisions.js';
import type { StateStore } from '../state/store.js';

export interface StoredState {
  revisions: Revision[];
  pending: PendingWrite[];
  /** Files that could not be used (only when read `tolerant`ly; otherwise they stop the command). */
  problems: StateProblem[];
}

/**
 * `tolerant` (detach): damaged or foreign files are reported and left out, so the integration
 * can still be taken off by its ownership markers. Otherwise they are exit 2.
 */
export async function gatherStoredState(store: StateStore, integration: string, options: { tolerant?: boolean } = {}): Promise<StoredState> {
  const { revisions, problems } = await store.readRevisions(integration);
  let pending: PendingWrite[] = [];
  try {
    pending = await store.readJournal(integration);
  } catch (error) {
    if (!(error instanceof StateFileError) || !options.tolerant) throw error;
    problems.push(...error.problems);
  }
  if (problems.length && !options.tolerant) throw new StateFileError(problems);
  return { revisions, pending, problems };
}

/** The journal resolved against the distributions read: the revisions as they really are, and what to store. */
export function recover(manifest: Manifest, state: StoredState, distributions: readonly ObservedDistribution[]): Recovery {
  const owner = { integration: manifest.name, functionNames: ownedFunctionNames(manifest, state.revisions), originKeys: Object.keys(manifest.origins) };
  return reconcile(state.pending, state.revisions, distributions, owner);
}
