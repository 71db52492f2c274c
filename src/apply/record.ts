/**
 * Writing a distribution and recording it, the step attach, rollback and detach share: the
 * approved change is written (write-distribution.ts) and its revision — built by the one
 * builder, src/plan/revision.ts — stored at once, before waiting for anything, so it says what
 * was applied whatever happens next.
 */
import type { AwsClients } from '../aws/clients.js';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import { RuntimeError } from '../errors.js';
import type { DistributionPlan } from '../plan/distribution.js';
import { buildRevision, type Revision, type RevisionInput } from '../plan/revision.js';
import { writeRevision } from '../state/revisions.js';
import type { ApplyRuntime } from './events.js';
import { writeDistribution, type WrittenDistribution } from './write-distribution.js';

export async function recordRevision(stateDir: string, input: RevisionInput): Promise<Revision> {
  const revision = buildRevision(input);
  await writeRevision(stateDir, revision);
  return revision;
}

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
 * nothing it uses may be undone, and the message says so.
 */
export class UnrecordedWriteError extends RuntimeError {
  constructor(
    readonly written: WrittenDistribution,
    readonly stateDir: string,
    override readonly cause: Error,
  ) {
    super(
      `the change to ${written.plan.id} is live (ETag ${written.etagAfter}), but its revision could not be recorded in ${stateDir} (${cause.message}); nothing was undone. ` +
        'Make the state dir writable, then check with edge-install status (rollback works in its limited mode without the revision)',
    );
  }
}

/** Writes the approved change and records it; undefined when nothing was left to write. */
export async function writeAndRecord(clients: AwsClients, step: WriteStep, runtime: Pick<ApplyRuntime, 'stateDir' | 'onEvent'>): Promise<{ written: WrittenDistribution; revision: Revision } | undefined> {
  const written = await writeDistribution(clients, step.approved, step.observed, step.replan);
  if (!written) return undefined;
  runtime.onEvent?.({ type: 'written', id: step.observed.id, etag: written.etagAfter });
  try {
    const revision = await recordRevision(runtime.stateDir, {
      ...step.revision,
      distributionId: step.observed.id,
      at: new Date(),
      etagBefore: written.etagBefore,
      etagAfter: written.etagAfter,
      written: written.plan,
    });
    return { written, revision };
  } catch (error) {
    throw new UnrecordedWriteError(written, runtime.stateDir, error as Error);
  }
}
