/**
 * What a state file must hold to be used (PURE: schemas, no I/O). A revision, a journal entry,
 * a lock or a saved plan read from disk is checked against these before anything trusts it:
 * a truncated file, a file of another integration or another distribution filed here, or a
 * document that is not ours is refused with its path and the fix — never half-used.
 */
import { z } from 'zod';
import { REVISION_KINDS, type PendingWrite, type Revision } from '../plan/revision.js';

export type { PendingWrite };

const OwnedAssociation = z.object({ pathPattern: z.string(), eventType: z.string(), arn: z.string(), includeBody: z.boolean() });
const OwnedBehavior = z.object({ pathPattern: z.string(), index: z.number().int(), created: z.boolean(), behavior: z.record(z.string(), z.unknown()).optional() });
const OwnedParts = z.object({ origins: z.array(z.looseObject({ Id: z.string() })), behaviors: z.array(OwnedBehavior), associations: z.array(OwnedAssociation) });

const RevisionFields = {
  version: z.literal(1),
  kind: z.enum(REVISION_KINDS).optional(),
  by: z.string().optional(),
  integration: z.string().min(1),
  distributionId: z.string().min(1),
  createdAt: z.string(),
  etagBefore: z.string(),
  etagAfter: z.string(),
  ownedBefore: OwnedParts,
  ownedAfter: OwnedParts,
  replacedForeign: z.array(z.object({ pathPattern: z.string(), eventType: z.string(), arn: z.string(), includeBody: z.boolean().optional() })),
  functions: z.array(z.object({ key: z.string().optional(), name: z.string(), version: z.string(), arn: z.string(), codeSha256: z.string().optional() })),
  cachePolicies: z.record(z.string(), z.string()),
  secret: z.object({ name: z.string(), region: z.string(), arn: z.string().optional(), versionId: z.string().optional(), versionBefore: z.string().optional(), changedKeys: z.array(z.string()).optional() }).optional(),
  adopted: z.array(z.string()).optional(),
  recovered: z.boolean().optional(),
  writeId: z.string().optional(),
  canaryPhaseOne: z.boolean().optional(),
};

export const RevisionDraftSchema = z.looseObject(RevisionFields);

export const RevisionSchema = z.looseObject({
  ...RevisionFields,
  revision: z.string().min(1),
  seq: z.number().int().positive().optional(),
});

export const PendingWriteSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  createdAt: z.string(),
  draft: RevisionDraftSchema,
});

export const JournalSchema = z.object({ version: z.literal(1), pending: z.array(PendingWriteSchema) });

/** Who holds an integration's lock, said in every message about it. */
export interface LockHolder {
  id: string;
  pid: number;
  host: string;
  user: string;
  command: string;
  startedAt: string;
  /** The CI run holding it, when there is one (its URL): where to look whether it still runs. */
  ci?: string;
}

export const LockSchema = z.object({ id: z.string().min(1), pid: z.number().int(), host: z.string(), user: z.string(), command: z.string(), startedAt: z.string(), ci: z.string().optional() });

export const SavedPlanSchema = z.object({
  kind: z.literal('edge-install-plan'),
  version: z.literal(1),
  createdAt: z.string(),
  manifestPath: z.string(),
  replaceForeign: z.boolean().optional(),
  allowContinuousDeployment: z.boolean().optional(),
  document: z.looseObject({
    version: z.literal(1),
    integration: z.string(),
    resources: z.array(z.looseObject({ action: z.string(), kind: z.string(), address: z.string() })),
    distributions: z.array(z.looseObject({ id: z.string(), etag: z.string(), changes: z.array(z.looseObject({ action: z.string(), kind: z.string(), address: z.string() })) })),
    summary: z.object({ create: z.number(), update: z.number(), delete: z.number() }),
  }),
});

/** The first problem zod found, in words: where in the file, and what. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length ? issue.path.join('.') : '(the whole file)'}: ${issue.message}`;
}

/**
 * A revision as stored, checked; the cast is what the schema proved. The record is kept as it
 * was read — its key order and any field a newer edge-install added — so that a copy
 * (`state push`/`pull`) is the same record byte for byte, not zod's rewrite of it.
 */
export function asRevision(value: unknown): { ok: true; revision: Revision } | { ok: false; problem: string } {
  const parsed = RevisionSchema.safeParse(value);
  return parsed.success ? { ok: true, revision: value as Revision } : { ok: false, problem: firstProblem(parsed.error) };
}

/** A state file that cannot be used, and why. */
export interface StateProblem {
  file: string;
  reason: string;
}

const REVISION_NAME = /^(?:(\d+)-)?(.+)\.json$/;

/**
 * A revision record as read from a store (a file or an object named `name`, shown as `file`):
 * the revision, or why it cannot be used — damaged, of another integration, or filed under a
 * name that is not its own (a copy renamed by hand would be read as another revision).
 */
export function checkRevisionRecord(name: string, file: string, text: string, integration: string): { revision: Revision } | { problem: StateProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: { file, reason: 'not valid JSON: truncated or damaged' } };
  }
  // A kind this release does not know was written by a newer one: what rolling it back means is
  // not known here, so it is refused with "upgrade" as the fix rather than read as something else.
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string' && !(REVISION_KINDS as readonly string[]).includes(kind)) {
    return { problem: { file, reason: `a revision of kind "${kind}", which this edge-install does not know: a newer release wrote it. Upgrade edge-install (everyone sharing this state needs that release or a newer one)` } };
  }
  const checked = asRevision(value);
  if (!checked.ok) return { problem: { file, reason: `not a revision: ${checked.problem}` } };
  const r = checked.revision;
  if (r.integration !== integration) return { problem: { file, reason: `a revision of integration ${r.integration}, not ${integration}` } };
  if (!name.endsWith(`-${r.distributionId}.json`) || `${r.revision}.json` !== name) return { problem: { file, reason: `its name does not match its revision ${r.revision} of ${r.distributionId}` } };
  const numbered = REVISION_NAME.exec(name)?.[1];
  if (r.seq !== undefined && numbered !== undefined && Number(numbered) !== r.seq) return { problem: { file, reason: `its name does not match its number ${r.seq}` } };
  return { revision: r };
}

/** The number a revision record's name gives it (`000004-E1….json` → 4), if any. */
export function numberOfRecord(name: string): number | undefined {
  const numbered = REVISION_NAME.exec(name)?.[1];
  return numbered === undefined ? undefined : Number(numbered);
}

/** A journal as read from a store: its pending writes, or why it cannot be used. */
export function checkJournalRecord(file: string, text: string, integration: string): { pending: PendingWrite[] } | { problem: StateProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: { file, reason: 'not valid JSON: truncated or damaged' } };
  }
  const parsed = JournalSchema.safeParse(value);
  if (!parsed.success) return { problem: { file, reason: `not a journal: ${firstProblem(parsed.error)}` } };
  const foreign = parsed.data.pending.find((p) => p.draft.integration !== integration);
  if (foreign) return { problem: { file, reason: `holds a write of integration ${foreign.draft.integration}, not ${integration}` } };
  return { pending: parsed.data.pending as unknown as PendingWrite[] };
}

/** The journal's text: what both stores write. */
export const journalText = (pending: readonly PendingWrite[]) => `${JSON.stringify({ version: 1, pending }, null, 2)}\n`;

/** A revision's text: what both stores write. */
export const revisionText = (revision: Revision) => `${JSON.stringify(revision, null, 2)}\n`;

/** A lock record as read: its holder, or a stand-in naming it damaged (never taken for free). */
export function checkLockRecord(text: string): LockHolder {
  try {
    const parsed = LockSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // damaged: below
  }
  return { id: 'damaged', pid: 0, host: '?', user: '?', command: '?', startedAt: '?' };
}

/**
 * Revisions read from a store, with the records that share a number taken out as problems:
 * a number is taken under the integration's lock, so two records with one number were written
 * by runs that did not share it (a state dir copied between machines, a writer that ignored
 * the lock). Which of them is the history cannot be told from the records: both are refused.
 */
export function withoutSharedNumbers(read: readonly { revision: Revision; file: string }[]): { revisions: Revision[]; problems: StateProblem[] } {
  const byNumber = new Map<number, { revision: Revision; file: string }[]>();
  for (const r of read) if (r.revision.seq !== undefined) byNumber.set(r.revision.seq, [...(byNumber.get(r.revision.seq) ?? []), r]);
  const shared = new Set([...byNumber.values()].filter((group) => group.length > 1).flat());
  const problems = [...shared].map(({ file, revision }) => {
    const others = byNumber.get(revision.seq!)!.filter((o) => o.revision !== revision).map((o) => o.revision.revision);
    return { file, reason: `revision ${revision.seq} is also ${others.join(', ')}: runs that did not share the lock each took the number; keep the one that matches what is live (edge-install status) and move the other aside` };
  });
  return { revisions: read.filter((r) => !shared.has(r)).map((r) => r.revision), problems };
}
