/**
 * Where an integration's state is kept — its revisions, the write-ahead journal and the lock
 * (ARCHITECTURE.md, "State") — as the one interface every command reaches it through. Two
 * stores offer it: a directory (local-store.ts: `--state-dir`, by default .edge-install next
 * to the manifest) and an S3 prefix (s3/s3-store.ts: `--state s3://bucket/prefix`, or the
 * manifest's `state.s3`), with the same guarantees:
 *
 * - a revision is numbered with the integration's next number, under the lock, and created only
 *   if its name is free (taken: the next number); records sharing a number — runs that did not
 *   share the lock — are refused when read, naming both;
 * - a journal entry is durable before `putPending` returns;
 * - the lock is created only if there is none, and names its holder.
 *
 * Damaged or foreign records are refused with StateFileError, naming each one and the fix.
 */
import type { PendingWrite, Revision, RevisionDraft } from '../plan/revision.js';
import type { HeldLock, LockHolder } from './lock.js';
import type { StoredRevisions } from './revisions.js';

export type { HeldLock, LockHolder, StoredRevisions };

export interface StateStore {
  /** Where the state is, as messages say it: the directory's path, or `s3://bucket/prefix`. */
  readonly location: string;
  /** The integration's usable revisions in the order they were made, and the records that cannot be used. */
  readRevisions(integration: string): Promise<StoredRevisions>;
  /** Numbers the draft (the integration's next number, created exclusively) and stores it whole. */
  appendRevision(draft: RevisionDraft): Promise<Revision>;
  /**
   * Stores a revision made elsewhere under its own number and name (`state push` / `state pull`),
   * only if that name is free: false when it is taken.
   */
  copyRevision(revision: Revision): Promise<boolean>;
  /** The integration's pending writes (StateFileError when the journal cannot be used). */
  readJournal(integration: string): Promise<PendingWrite[]>;
  /** Records (or, on a retry of the same write, replaces) a pending write; its id. JournalError when it cannot. */
  putPending(entry: { id?: string; draft: RevisionDraft }): Promise<string>;
  clearPending(integration: string, ids: string[]): Promise<void>;
  /** Takes the integration's lock for `command`; LockedError naming the holder when another run has it. */
  acquireLock(integration: string, command: string): Promise<HeldLock>;
  /** Removes the lock `id` (one a dead run left); the holder it named. */
  forceUnlock(integration: string, id: string): Promise<LockHolder>;
}
