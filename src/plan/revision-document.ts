/**
 * PURE: a recorded revision as the documents `edge-install revisions` prints — the list (one
 * entry per revision, with its summary) and one revision as a plan document (`revisions show`):
 * the changes from its owned parts before to after, in the vocabulary and the document that
 * `plan` uses (changes.ts, document.ts), so that the same renderer shows it and a script reads
 * it as it reads a plan. Made from the record alone: no AWS, no lock.
 *
 * What a revision cannot say is left out rather than guessed: it records the owned parts, not
 * the whole config, so the document gives no behavior order (each created behavior carries
 * its position instead), and a foreign trigger that a rollback or detach put back shows as the
 * removal of the integration's trigger from that slot.
 */
import type { Change, Summary } from './changes.js';
import { summarize } from './changes.js';
import { changeDocument, type DistributionDocument, type PlanDocument } from './document.js';
import { ownedChanges } from './restore.js';
import type { PendingWrite, Revision } from './revision.js';
import { summarizeRevision } from './revision-summary.js';
import { sameValue } from './values.js';

/** Who made a revision, what and when: the head of `revisions show`. */
export interface RevisionHead {
  id: string;
  seq?: number;
  /** attach, rollback, detach, promote, secret, import; `change` for revisions older edge-install wrote without one. */
  kind: string;
  /** The caller identity ARN; absent in revisions older edge-install wrote (shown as "unknown"). */
  by?: string;
  createdAt: string;
  distributionId: string;
  etagBefore: string;
  etagAfter: string;
  summary: string;
  recovered?: boolean;
  canaryPhaseOne?: boolean;
}

/** `revisions show --json`: the plan document of what the revision changed, with the revision's facts. */
export interface RevisionDocument extends PlanDocument {
  revision: RevisionHead;
}

export function revisionHead(r: Revision): RevisionHead {
  return {
    id: r.revision,
    ...(r.seq !== undefined ? { seq: r.seq } : {}),
    kind: r.kind ?? 'change',
    ...(r.by ? { by: r.by } : {}),
    createdAt: r.createdAt,
    distributionId: r.distributionId,
    etagBefore: r.etagBefore,
    etagAfter: r.etagAfter,
    summary: summarizeRevision(r),
    ...(r.recovered ? { recovered: true } : {}),
    ...(r.canaryPhaseOne ? { canaryPhaseOne: true } : {}),
  };
}

/**
 * The distribution changes a revision made, as a plan's changes: origins, created behaviors
 * and triggers from `ownedBefore` to `ownedAfter` (restore.ts's diff, the one rollback shows),
 * a trigger that replaced a foreign one shown as attach showed it (an update of that slot,
 * naming the foreign function), and each created behavior at the position it took.
 */
export function revisionChangeList(r: Revision): Change[] {
  const changes = ownedChanges(r.ownedBefore, r.ownedAfter, [], []).filter(
    // A created behavior whose only difference is its index was moved by another edit, not changed by this one.
    (c) => !(c.action === 'update' && c.address.kind === 'behavior' && sameValue(c.before, c.after)),
  );
  for (const foreign of r.replacedForeign ?? []) {
    const i = changes.findIndex((c) => c.action === 'create' && c.address.kind === 'association' && c.address.pattern === foreign.pathPattern && c.address.event === foreign.eventType);
    if (i < 0) continue;
    const before = { EventType: foreign.eventType, LambdaFunctionARN: foreign.arn, IncludeBody: foreign.includeBody ?? false };
    changes[i] = { ...changes[i]!, action: 'update', before, replacedForeign: foreign.arn };
  }
  const index = new Map(r.ownedAfter.behaviors.map((b) => [b.pathPattern, b.index]));
  for (const c of changes) {
    if (c.address.kind === 'behavior' && c.action !== 'delete' && (index.get(c.address.pattern) ?? -1) >= 0) c.position = index.get(c.address.pattern)!;
  }
  return changes;
}

/** The secret's move, when the revision wrote values over stored ones (version ids only, never a value). */
export function revisionResourceChanges(r: Revision): Change[] {
  const s = r.secret;
  if (!s?.versionId || !s.versionBefore || s.versionId === s.versionBefore) return [];
  const keys = s.changedKeys?.length ? `: ${s.changedKeys.join(', ')}` : '';
  // Key names only (the plan renderer lists them as keysToWrite); a value is never in a revision.
  const written = s.changedKeys?.length ? { keysToWrite: [...s.changedKeys] } : {};
  return [
    {
      action: 'update',
      address: { kind: 'secret' },
      before: { name: s.name, region: s.region, AWSCURRENT: s.versionBefore },
      after: { name: s.name, region: s.region, AWSCURRENT: s.versionId, ...written },
      reasons: [r.kind === 'rollback' ? `its values went back: AWSCURRENT moved to version ${s.versionId}` : `new values${keys}: AWSCURRENT moved to version ${s.versionId}, version ${s.versionBefore} became AWSPREVIOUS`],
    },
  ];
}

/** What the distribution part of the document says beyond the changes: the ETags, the function versions, the policies. */
function distributionNotes(r: Revision): string[] {
  const notes = [r.etagBefore === r.etagAfter ? `no distribution write (ETag ${r.etagAfter})` : `written over ETag ${r.etagBefore}, leaving ETag ${r.etagAfter}`];
  if (r.recovered) notes.push('recorded later by another command, from the write-ahead journal: the run that made the change stopped before recording it');
  if (r.canaryPhaseOne) notes.push('phase 1 of attach --canary: the new behaviors went to the primary without triggers; the triggers came with the promote');
  const functions = (r.functions ?? []).map((f) => `${f.name}:${f.version}${f.key ? ` (functions.${f.key})` : ''}`);
  if (functions.length) notes.push(`function versions: ${functions.join(', ')}`);
  const policies = Object.entries(r.cachePolicies ?? {}).map(([key, id]) => `cachePolicies.${key} ${id}`);
  if (policies.length) notes.push(`cache policies: ${policies.join(', ')}`);
  return notes;
}

export function revisionDocument(r: Revision): RevisionDocument {
  const changes = revisionChangeList(r);
  const resources = revisionResourceChanges(r);
  const distribution: DistributionDocument = {
    id: r.distributionId,
    etag: r.etagBefore,
    changes: changes.map(changeDocument),
    order: [],
    warnings: [],
    conflicts: [],
    errors: [],
    notes: distributionNotes(r),
  };
  const notes = r.adopted?.length ? [`adopted (they existed before edge-install, which never deletes them): ${r.adopted.join(', ')}`] : [];
  const summary: Summary = summarize([...resources, ...changes]);
  return {
    version: 1,
    integration: r.integration,
    revision: revisionHead(r),
    resources: resources.map(changeDocument),
    distributions: [distribution],
    summary,
    ...(notes.length ? { notes } : {}),
  };
}

/** One entry of `revisions --json`: the whole record, with its id and summary first. */
export type RevisionEntry = { id: string; summary: string } & Revision;

/** A write the journal holds and no revision records yet (its process stopped between the write and the record). */
export interface PendingEntry {
  writeId: string;
  createdAt: string;
  kind: string;
  by?: string;
  distributionId: string;
}

/** A state record that could not be used, and why (src/state/records.ts). */
export interface UnreadRecord {
  file: string;
  reason: string;
}

/** `revisions --json`. */
export interface RevisionsDocument {
  version: 1;
  integration: string;
  /** Where the revisions were read: the state dir's path or `s3://bucket/prefix`. */
  state: string;
  /** Oldest first, as they were made (the last is the newest). */
  revisions: RevisionEntry[];
  pending: PendingEntry[];
  /** Records that could not be read, left out of the list. */
  problems: UnreadRecord[];
}

export function revisionsDocument(input: { integration: string; state: string; revisions: readonly Revision[]; pending: readonly PendingWrite[]; problems: readonly UnreadRecord[] }): RevisionsDocument {
  return {
    version: 1,
    integration: input.integration,
    state: input.state,
    revisions: input.revisions.map((r) => ({ id: r.revision, summary: summarizeRevision(r), ...r })),
    pending: input.pending.map((p) => ({ writeId: p.id, createdAt: p.createdAt, kind: p.draft.kind ?? 'change', ...(p.draft.by ? { by: p.draft.by } : {}), distributionId: p.draft.distributionId })),
    problems: input.problems.map((p) => ({ file: p.file, reason: p.reason })),
  };
}
