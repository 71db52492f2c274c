/**
 * Writing a distribution and recording it, the step attach, rollback and detach share. The
 * revision it will record (built by the one builder, src/plan/revision.ts) goes into the
 * write-ahead journal before UpdateDistribution is sent; once CloudFront has taken the write it
 * is stored as a revision and the journal entry goes. If the process dies in between, the next
 * command finds the entry and resolves it against what is live (recovery below).
 *
 * Every revision says who made it (`by`, the caller identity ARN): filled in here, from the
 * run's clients (src/aws/observe/caller.ts), unless the writer already knows it — so a new
 * writer that goes through writeAndRecord or recordUnwritten records it without a thought. It
 * is in the draft, so the journal keeps it too: a write recorded later from the journal names
 * the run that made it, not the run that found it. When STS cannot say, the revision is
 * recorded without it (shown as "unknown"): who made a change never stops its record.
 */
import type { AwsClients } from '../aws/clients.js';
import { callerArn } from '../aws/observe/caller.js';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import { RuntimeError } from '../errors.js';
import type { DistributionPlan } from '../plan/distribution.js';
import type { Recovery } from '../plan/reconcile.js';
import { buildRevision, type Revision, type RevisionDraft, type RevisionInput } from '../plan/revision.js';
import type { StateStore } from '../state/store.js';
import type { ApplyRuntime } from './events.js';
import { writeDistribution, type WrittenDistribution } from './write-distribution.js';

/** What a revision says besides the write itself (kind, integration, the versions it knows). */
export type RevisionFacts = Omit<RevisionInput, 'distributionId' | 'at' | 'etagBefore' | 'etagAfter' | 'written'>;

export interface WriteStep {
  /** The plan the user approved, made from `observed`. */
  approved: DistributionPlan;
  observed: ObservedDistribution;
  /** Plans a (re-)read distribution again, with the real values. */
  replan: (observed: ObservedDistribution) => DistributionPlan;
  revision: RevisionFacts;
}

/**
 * The distribution was written but its revision could not be recorded. The change is live:
 * nothing it uses may be undone, and the message says so. The journal still holds it, so the
 * next command that can write the state records it.
 */
export class UnrecordedWriteError extends RuntimeError {
  constructor(
    readonly written: WrittenDistribution,
    readonly location: string,
    override readonly cause: Error,
  ) {
    super(
      `the change to ${written.plan.id} is live (ETag ${written.etagAfter}), but its revision could not be recorded in ${location} (${cause.message}); nothing was undone. ` +
        `Once ${location} can be written again, check with edge-install status (the next command records it from the journal)`,
    );
  }
}

/** Writes the approved change and records it; undefined when nothing was left to write. */
export async function writeAndRecord(clients: AwsClients, step: WriteStep, runtime: Pick<ApplyRuntime, 'state' | 'onEvent'>): Promise<{ written: WrittenDistribution; revision: Revision } | undefined> {
  let pendingId: string | undefined;
  let draft: RevisionDraft | undefined;
  // Asked of STS once per run, usually already by the gather: ready by now.
  const by = step.revision.by ?? (await callerArn(clients));
  const written = await writeDistribution(clients, step.approved, step.observed, step.replan, async (plan, current) => {
    draft = buildRevision({ ...step.revision, by, distributionId: current.id, at: new Date(), etagBefore: current.etag, etagAfter: '', written: plan });
    pendingId = await runtime.state.putPending({ id: pendingId, draft });
  });
  if (!written || !draft || !pendingId) return undefined;
  runtime.onEvent?.({ type: 'written', id: step.observed.id, etag: written.etagAfter });
  let revision: Revision;
  try {
    revision = await runtime.state.appendRevision({ ...draft, writeId: pendingId, createdAt: new Date().toISOString(), etagAfter: written.etagAfter });
  } catch (error) {
    throw new UnrecordedWriteError(written, runtime.state.location, error as Error);
  }
  // Recorded: the journal entry is done with. Should this fail, the next command sees the
  // revision already stored (its writeId) and drops the entry.
  await runtime.state.clearPending(draft.integration, [pendingId]).catch(() => undefined);
  return { written, revision };
}

/**
 * A change that wrote no distribution — only the secret's values — recorded all the same, on
 * the distribution as it is (ETag and owned parts unchanged), so that `rollback` can move the
 * secret back. No journal entry: there is no distribution write to reconcile. Given the run's
 * clients, `by` is filled in as writeAndRecord does (unless `facts` has it).
 */
export async function recordUnwritten(state: StateStore, observed: ObservedDistribution, approved: DistributionPlan, facts: RevisionFacts, clients?: AwsClients): Promise<Revision> {
  const by = facts.by ?? (clients ? await callerArn(clients) : undefined);
  const draft = buildRevision({ ...facts, by, distributionId: observed.id, at: new Date(), etagBefore: observed.etag, etagAfter: observed.etag, written: approved });
  return state.appendRevision(draft);
}

/**
 * Stores what a recovery found (src/plan/reconcile.ts): writes that are live are recorded,
 * writes that never took effect are dropped from the journal. Run under the integration's lock.
 */
export async function persistRecovery(state: StateStore, integration: string, recovery: Recovery): Promise<void> {
  for (const { pending, etag } of recovery.finalize) {
    await state.appendRevision({ ...pending.draft, writeId: pending.id, etagAfter: etag, recovered: true });
  }
  await state.clearPending(integration, [...recovery.finalize.map((f) => f.pending.id), ...recovery.drop.map((p) => p.id)]);
}
