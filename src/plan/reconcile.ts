/**
 * PURE: resolving the write-ahead journal. A pending write is one whose process stopped between
 * sending UpdateDistribution and recording it (killed, crashed, out of memory, a closed laptop).
 * What is live decides what it was:
 * - the owned parts are what the write would leave: it happened — record it (`finalize`);
 * - they are what it found: it never took effect — forget it (`drop`);
 * - neither (changed by hand since): `unresolved` — said, and kept as the latest revision, so
 *   `rollback` can go back to what was there before it (with --force, as for any drift).
 * A write whose revision is already stored (its writeId) is just forgotten.
 */
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import { functionNameOfArn } from './cloudfront-values.js';
import { ownedDifferences, ownedParts, type Owner } from './owned-parts.js';
import type { PendingWrite, Revision } from './revision.js';

export interface Recovery {
  finalize: { pending: PendingWrite; etag: string }[];
  drop: PendingWrite[];
  unresolved: { pending: PendingWrite; reason: string }[];
  /** Pending writes of distributions this run does not read: left for a run that does. */
  untouched: PendingWrite[];
  /** The revisions as they are once the journal is resolved (in memory; persistRecovery stores them). */
  revisions: Revision[];
  /** What to tell the user. */
  notes: string[];
}

/** A pending write as a revision, until the store numbers it. */
const provisional = (p: PendingWrite, etagAfter: string): Revision => ({ ...p.draft, etagAfter, writeId: p.id, revision: `pending-${p.id}-${p.draft.distributionId}`, seq: Number.MAX_SAFE_INTEGER });

export function reconcile(pending: readonly PendingWrite[], revisions: readonly Revision[], distributions: readonly ObservedDistribution[], owner: Owner): Recovery {
  const recovery: Recovery = { finalize: [], drop: [], unresolved: [], untouched: [], revisions: [...revisions], notes: [] };
  for (const p of [...pending].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const id = p.draft.distributionId;
    if (revisions.some((r) => r.writeId === p.id)) {
      recovery.drop.push(p);
      continue;
    }
    const observed = distributions.find((d) => d.id === id);
    if (!observed) {
      recovery.untouched.push(p);
      continue;
    }
    const names = new Set([...owner.functionNames, ...[...p.draft.ownedBefore.associations, ...p.draft.ownedAfter.associations].map((a) => functionNameOfArn(a.arn) ?? '')]);
    const who: Owner = { ...owner, functionNames: [...names].filter(Boolean) };
    const asAfter = ownedDifferences(p.draft.ownedAfter, ownedParts(observed.config, who, p.draft.ownedAfter));
    if (!asAfter.length) {
      recovery.finalize.push({ pending: p, etag: observed.etag });
      recovery.revisions.push(provisional(p, observed.etag));
      recovery.notes.push(`${id}: a ${p.draft.kind ?? 'change'} made at ${p.createdAt} was not recorded (the run stopped after CloudFront took it); it is live, and recorded now`);
      continue;
    }
    if (!ownedDifferences(p.draft.ownedBefore, ownedParts(observed.config, who, p.draft.ownedBefore)).length) {
      recovery.drop.push(p);
      recovery.notes.push(`${id}: a ${p.draft.kind ?? 'change'} started at ${p.createdAt} never took effect (the run stopped before CloudFront took it); forgotten`);
      continue;
    }
    const reason = `the owned parts are neither what it found nor what it wrote (${asAfter.join('; ')})`;
    recovery.unresolved.push({ pending: p, reason });
    recovery.revisions.push(provisional(p, ''));
    recovery.notes.push(`${id}: a ${p.draft.kind ?? 'change'} made at ${p.createdAt} was not recorded, and ${reason}: rollback --force goes back to what was there before it`);
  }
  return recovery;
}

