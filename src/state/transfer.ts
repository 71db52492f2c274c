/**
 * Moves an integration's history from one state store to another (`state push`: the state dir
 * → S3; `state pull`: S3 → the state dir). Copying only adds: a revision is created under its
 * own name only if that name is free (StateStore.copyRevision), and nothing in the target is
 * ever changed or deleted — so a transfer is safe to run again, and a target whose history
 * diverges from the source's is refused, naming the first difference (src/plan/state-history.ts).
 *
 * Both stores' locks are held while it runs (the target's first: that is the one being
 * written), so no command adds a revision to either side half-way through. The source's
 * pending journal entries go along under their own ids (a retry replaces, never doubles), so a
 * distribution write that was cut short is still resolved by the next command on the target.
 */
import { RuntimeError } from '../errors.js';
import { compareHistories, divergenceText, type Divergence, type HistorySides } from '../plan/state-history.js';
import type { PendingWrite, Revision } from '../plan/revision.js';
import { StateFileError } from './revisions.js';
import type { HeldLock, StateStore } from './store.js';

export interface TransferSide {
  store: StateStore;
  /** How messages name it: `the state dir /x`, `s3://bucket/prefix`. */
  name: string;
  /** The global option a command uses to work on it (`--state-dir /x`, `--state s3://…`): the fix names it. */
  option: string;
}

export interface TransferOptions {
  integration: string;
  from: TransferSide;
  to: TransferSide;
  /** Said in the locks, e.g. `edge-install state push`. */
  command: string;
  /** Read and compare only: no lock, nothing written. */
  dryRun?: boolean;
  /** Lock notices, and locks that could not be released. */
  warn(text: string): void;
}

export interface TransferOutcome {
  /** The revisions copied (with dryRun: that would be), in order. */
  copied: Revision[];
  /** The source's pending journal entries carried to the target (with dryRun: that would be). */
  pending: number;
  /** The target's revisions past the source's end: it is ahead, and nothing was copied. */
  ahead: Revision[];
}

/** The two histories disagree: exit 1, naming the first difference and the fix; nothing was copied. */
export class HistoryDivergedError extends RuntimeError {
  constructor(
    message: string,
    readonly divergence: Divergence,
  ) {
    super(message);
  }
}

/** How often the target is read again when a name was taken under the lock (a writer without it). */
const RACE_ROUNDS = 3;

async function usableRevisions(store: StateStore, integration: string): Promise<Revision[]> {
  const { revisions, problems } = await store.readRevisions(integration);
  // A history with records that cannot be read cannot be compared: it could hide the difference.
  if (problems.length) throw new StateFileError(problems);
  return revisions;
}

function diverged(d: Divergence, o: TransferOptions, copied: Revision[]): HistoryDivergedError {
  const sides: HistorySides = { source: o.from.name, target: o.to.name };
  const done = copied.length ? `Copied before the difference appeared: ${copied.map((r) => r.revision).join(', ')}; nothing else was written` : 'Nothing was copied';
  return new HistoryDivergedError(
    `${divergenceText(d, sides)}. ${done}. ` +
      `Fix: the two histories were written apart (runs that did not share their state). Find the one that matches what is live — \`edge-install status ${o.from.option}\` and \`edge-install status ${o.to.option}\` — ` +
      'then move the other out of the way (rename the directory, or use another S3 prefix) and run this again; a transfer never overwrites a revision.',
    d,
  );
}

/**
 * The source's pending writes the target has neither pending nor resolved: an entry the target
 * already recorded as a revision (its writeId) is not carried back on the next transfer.
 */
async function pendingToCarry(o: TransferOptions): Promise<PendingWrite[]> {
  const [source, target, recorded] = await Promise.all([o.from.store.readJournal(o.integration), o.to.store.readJournal(o.integration), usableRevisions(o.to.store, o.integration)]);
  const known = new Set([...target.map((p) => p.id), ...recorded.flatMap((r) => (r.writeId ? [r.writeId] : []))]);
  return source.filter((p) => !known.has(p.id));
}

async function compareAndCopy(o: TransferOptions): Promise<TransferOutcome> {
  const source = await usableRevisions(o.from.store, o.integration);
  const copied: Revision[] = [];
  let ahead: Revision[] = [];
  for (let round = 0; ; round++) {
    const compared = compareHistories(source, await usableRevisions(o.to.store, o.integration));
    if (!compared.agree) throw diverged(compared.divergence, o, copied);
    ahead = compared.ahead;
    if (o.dryRun) {
      copied.push(...compared.toCopy);
      break;
    }
    let raced: Revision | undefined;
    for (const revision of compared.toCopy) {
      // In order: a transfer cut short leaves the target a beginning of the source.
      if (!(await o.to.store.copyRevision(revision))) {
        raced = revision;
        break;
      }
      copied.push(revision);
    }
    if (!raced) break;
    // The name was taken since the target was read, though its lock is held: someone wrote
    // without it. Read the target again — the same record is fine, another is a divergence.
    if (round + 1 >= RACE_ROUNDS) {
      throw new RuntimeError(`${raced.revision} kept being written in ${o.to.name} by another writer while this copied it, though its lock was held; nothing of it was overwritten. Stop the other writer, then run this again.`);
    }
  }
  const pending = await pendingToCarry(o);
  if (!o.dryRun) {
    for (const p of pending) await o.to.store.putPending({ id: p.id, draft: p.draft });
  }
  return { copied, pending: pending.length, ahead };
}

async function takeLock(side: TransferSide, o: TransferOptions): Promise<HeldLock> {
  const lock = await side.store.acquireLock(o.integration, o.command);
  if (lock.notice) o.warn(lock.notice);
  return lock;
}

export async function transferHistory(o: TransferOptions): Promise<TransferOutcome> {
  // A dry run reads only: read-only commands take no lock.
  if (o.dryRun) return compareAndCopy(o);
  const held: HeldLock[] = [];
  try {
    held.push(await takeLock(o.to, o));
    held.push(await takeLock(o.from, o));
    return await compareAndCopy(o);
  } finally {
    // The source's first (taken last); each release says, rather than throws, what it left.
    for (const lock of held.reverse()) {
      const left = await lock.release();
      if (left) o.warn(left);
    }
  }
}
