/**
 * PURE: the revision record — what one distribution write changed, kept so that `rollback` can
 * go back, `status` can tell drift, and every command can tell which functions are the
 * integration's (owned-names.ts). One builder for every writer (attach, rollback, detach,
 * attach --rollback-on-failure); src/state stores and reads the records. A revision holds
 * ETags, owned parts before and after (with any foreign trigger that was replaced), the
 * function versions attached, policy ids, the secret's name and version id — never a value.
 */
import { functionNameOfArn } from './cloudfront-values.js';
import type { Change } from './changes.js';
import type { OwnedParts } from './owned-parts.js';
import { normalizePattern } from './path-patterns.js';

export interface ReplacedForeign {
  pathPattern: string;
  eventType: string;
  arn: string;
  includeBody?: boolean;
}

/** A function version the distribution runs after the change. */
export interface RevisionFunction {
  /** The manifest key, when known. */
  key?: string;
  name: string;
  version: string;
  arn: string;
  codeSha256?: string;
}

/** What made a revision: `secret` (a new secret version written by `secret set`/`rotate`), `import` (a manual install taken over). */
/** The kinds of revision this release writes and understands (the list only grows; src/state/records.ts refuses others). */
export const REVISION_KINDS = ['attach', 'rollback', 'detach', 'promote', 'secret', 'import'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

export interface Revision {
  version: 1;
  /** What made it: an attach, a rollback (or --rollback-on-failure), a detach, a promote of a canary, a secret change, an import. */
  kind?: RevisionKind;
  /** Who made it: the caller identity ARN (STS GetCallerIdentity) of the run. Absent in revisions older edge-install wrote. */
  by?: string;
  /** `<seq>-<distribution>`: the name `rollback --to` takes. */
  revision: string;
  /** The order of the integration's revisions (1, 2, …): never a clock, which machines disagree on. Absent in revisions older edge-install wrote. */
  seq?: number;
  integration: string;
  distributionId: string;
  createdAt: string;
  etagBefore: string;
  etagAfter: string;
  ownedBefore: OwnedParts;
  ownedAfter: OwnedParts;
  replacedForeign: ReplacedForeign[];
  functions: RevisionFunction[];
  cachePolicies: Record<string, string>;
  /**
   * The secret. When this change wrote values over stored ones: `versionBefore`, the version
   * that was AWSCURRENT before, and `versionId`, the one it wrote (a rollback of this change
   * moves AWSCURRENT back).
   */
  secret?: {
    name: string;
    region: string;
    arn?: string;
    versionId?: string;
    versionBefore?: string;
    /** The keys whose values this change wrote (names only, never a value): what `edge-install revisions` says changed. */
    changedKeys?: string[];
  };
  /**
   * Resources this change adopted (`cache-policy:<name>`, `secret:<name>`, …): they existed
   * before edge-install, which works with them but never deletes them. The secret, role and
   * functions also carry the adoption tag; cache policies take no tags, so this is their record.
   */
  adopted?: string[];
  /**
   * Recorded by a later command from the write-ahead journal: the process that made the
   * change stopped (killed, crashed) before recording it; `etagAfter` is the ETag seen then.
   */
  recovered?: boolean;
  /** The write-ahead journal entry of the write (src/state/journal.ts): how a recovery knows it is recorded. */
  writeId?: string;
  /** Phase 1 of `attach --canary` (new behaviors without triggers): `abort` takes it back with the policy. */
  canaryPhaseOne?: boolean;
}

/** A revision before the state store numbers it. */
export type RevisionDraft = Omit<Revision, 'revision' | 'seq'>;

/** A distribution write about to be sent (the write-ahead journal): resolved by the next command (reconcile.ts). */
export interface PendingWrite {
  version: 1;
  /** Random; the same across the retries of one write; the revision keeps it as `writeId`. */
  id: string;
  createdAt: string;
  /** The revision the write records once CloudFront has taken it (`etagAfter` not known yet). */
  draft: RevisionDraft;
}

/** `7`, `E1…` → `000007-E1…`: sorts by number, names its distribution. */
export function revisionId(seq: number, distributionId: string): string {
  return `${String(seq).padStart(6, '0')}-${distributionId}`;
}

/** The draft as the integration's revision number `seq` (what a state store records under that number). */
export function numbered(draft: RevisionDraft, seq: number): Revision {
  return { ...draft, seq, revision: revisionId(seq, draft.distributionId) };
}

/** Revisions in the order they were made: by sequence number, older unnumbered ones first (by name). */
export function inOrder<T extends Pick<Revision, 'seq' | 'revision'>>(revisions: readonly T[]): T[] {
  return [...revisions].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || (a.seq === undefined && b.seq === undefined ? a.revision.localeCompare(b.revision) : 0));
}

export interface RevisionInput {
  kind: RevisionKind;
  /**
   * The caller identity ARN of the run (src/aws/observe/caller.ts). A writer that goes through
   * src/apply/record.ts need not set it: writeAndRecord (and recordUnwritten, given the
   * clients) fill it in from the run's clients.
   */
  by?: string;
  integration: string;
  distributionId: string;
  at: Date;
  etagBefore: string;
  etagAfter: string;
  /** The plan that was written (re-planned at write time: real values, no unknowns). */
  written: { ownedBefore: OwnedParts; ownedAfter: OwnedParts; changes: readonly Change[] };
  /**
   * Function versions with their keys and code digests (attach's outputs, earlier revisions):
   * the versions the written parts run are looked up here; unknown ones are recorded by ARN.
   */
  known?: readonly RevisionFunction[];
  /** Every function this run published or reused (attach), whether or not a trigger names it. */
  functions?: readonly RevisionFunction[];
  cachePolicies?: Record<string, string>;
  secret?: Revision['secret'];
  adopted?: string[];
  canaryPhaseOne?: boolean;
}

/** The foreign triggers the written changes replaced, with their slots (for rollback and detach). */
function replacedBy(changes: readonly Change[]): ReplacedForeign[] {
  return changes
    .filter((c) => c.replacedForeign && c.address.kind === 'association')
    .map((c) => {
      const address = c.address as { pattern: string; event: string };
      return { pathPattern: address.pattern, eventType: address.event, arn: c.replacedForeign!, includeBody: (c.before as { IncludeBody?: boolean } | undefined)?.IncludeBody ?? false };
    });
}

/** The function versions the owned triggers run after the change. */
function attachedFunctions(parts: OwnedParts, known: readonly RevisionFunction[]): RevisionFunction[] {
  const out = new Map<string, RevisionFunction>();
  for (const a of parts.associations) {
    if (out.has(a.arn)) continue;
    const found = known.find((f) => f.arn === a.arn);
    out.set(a.arn, found ?? { name: functionNameOfArn(a.arn) ?? a.arn, version: a.arn.split(':').at(-1) ?? '', arn: a.arn });
  }
  return [...out.values()];
}

export function buildRevision(input: RevisionInput): RevisionDraft {
  return {
    version: 1,
    kind: input.kind,
    ...(input.by ? { by: input.by } : {}),
    integration: input.integration,
    distributionId: input.distributionId,
    createdAt: input.at.toISOString(),
    etagBefore: input.etagBefore,
    etagAfter: input.etagAfter,
    ownedBefore: input.written.ownedBefore,
    ownedAfter: input.written.ownedAfter,
    replacedForeign: replacedBy(input.written.changes),
    functions: input.functions ? [...input.functions] : attachedFunctions(input.written.ownedAfter, input.known ?? []),
    cachePolicies: input.cachePolicies ?? {},
    ...(input.secret ? { secret: input.secret } : {}),
    ...(input.adopted?.length ? { adopted: [...input.adopted] } : {}),
    ...(input.canaryPhaseOne ? { canaryPhaseOne: true } : {}),
  };
}

/** Every resource a revision of the integration records as adopted. */
export function adoptedResources(revisions: readonly Revision[]): Set<string> {
  return new Set(revisions.flatMap((r) => r.adopted ?? []));
}

/** Cache policy ids some revision records (created by edge-install, unless adoptedResources names them). */
export function recordedCachePolicyIds(revisions: readonly Revision[]): Set<string> {
  return new Set(revisions.flatMap((r) => Object.values(r.cachePolicies ?? {})));
}
/** Every function version the revisions name with its key or digest (for the lookups above). */
export function knownFunctions(revisions: readonly Revision[]): RevisionFunction[] {
  return revisions.flatMap((r) => r.functions ?? []);
}

export function isDetached(parts: OwnedParts | undefined): boolean {
  return !!parts && parts.origins.length === 0 && parts.behaviors.length === 0 && parts.associations.length === 0;
}

/**
 * The foreign triggers an integration replaced on a distribution and never gave back: from the
 * revisions since the last detach (a revision that left nothing owned), one per slot — the
 * earliest, which is the function that was there before edge-install came.
 */
export function replacedForeignToRestore(revisions: readonly Revision[]): ReplacedForeign[] {
  const sorted = inOrder(revisions);
  let start = 0;
  sorted.forEach((r, i) => {
    if (isDetached(r.ownedAfter)) start = i + 1;
  });
  const bySlot = new Map<string, ReplacedForeign>();
  for (const r of sorted.slice(start)) {
    for (const f of r.replacedForeign ?? []) {
      const slot = `${f.pathPattern === '*' ? '*' : normalizePattern(f.pathPattern)} ${f.eventType}`;
      if (!bySlot.has(slot)) bySlot.set(slot, f);
    }
  }
  return [...bySlot.values()];
}
