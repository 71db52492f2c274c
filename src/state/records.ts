/**
 * What a state file must hold to be used (PURE: schemas, no I/O). A revision, a journal entry,
 * a lock or a saved plan read from disk is checked against these before anything trusts it:
 * a truncated file, a file of another integration or another distribution filed here, or a
 * document that is not ours is refused with its path and the fix — never half-used.
 */
import { z } from 'zod';
import type { PendingWrite, Revision } from '../plan/revision.js';

export type { PendingWrite };

const OwnedAssociation = z.object({ pathPattern: z.string(), eventType: z.string(), arn: z.string(), includeBody: z.boolean() });
const OwnedBehavior = z.object({ pathPattern: z.string(), index: z.number().int(), created: z.boolean(), behavior: z.record(z.string(), z.unknown()).optional() });
const OwnedParts = z.object({ origins: z.array(z.looseObject({ Id: z.string() })), behaviors: z.array(OwnedBehavior), associations: z.array(OwnedAssociation) });

const RevisionFields = {
  version: z.literal(1),
  kind: z.enum(['attach', 'rollback', 'detach', 'promote']).optional(),
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
  secret: z.object({ name: z.string(), region: z.string(), arn: z.string().optional(), versionId: z.string().optional(), versionBefore: z.string().optional() }).optional(),
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
}

export const LockSchema = z.object({ id: z.string().min(1), pid: z.number().int(), host: z.string(), user: z.string(), command: z.string(), startedAt: z.string() });

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

/** A revision as stored, checked; the cast is what the schema proved. */
export function asRevision(value: unknown): { ok: true; revision: Revision } | { ok: false; problem: string } {
  const parsed = RevisionSchema.safeParse(value);
  return parsed.success ? { ok: true, revision: parsed.data as unknown as Revision } : { ok: false, problem: firstProblem(parsed.error) };
}
