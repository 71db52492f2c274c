/**
 * The write-ahead journal, `<state dir>/<integration>/journal.json`: before every distribution
 * write, the revision it will record is written here durably (pending); once CloudFront has
 * taken the write and the revision is stored, the entry goes. A process killed in between
 * (SIGKILL, OOM, a closed laptop) leaves the entry, and the next command resolves it against
 * what is live (src/plan/reconcile.ts): recorded after all, dropped, or kept for rollback.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneAtATime } from '../concurrency.js';
import { RuntimeError } from '../errors.js';
import type { RevisionDraft } from '../plan/revision.js';
import { writeDurably } from './files.js';
import { checkJournalRecord, journalText, type PendingWrite } from './records.js';
import { integrationDir, stateDirError, StateFileError } from './revisions.js';

export type { PendingWrite };

const journalFile = (stateDir: string, integration: string) => join(integrationDir(stateDir, integration), 'journal.json');

export async function readJournal(stateDir: string, integration: string): Promise<PendingWrite[]> {
  const file = journalFile(stateDir, integration);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    return stateDirError(stateDir, error as NodeJS.ErrnoException);
  }
  const checked = checkJournalRecord(file, text, integration);
  if ('problem' in checked) throw new StateFileError([checked.problem]);
  return checked.pending;
}

/** The journal could not be written: the distribution write it guards does not happen. */
export class JournalError extends RuntimeError {}

/** One journal change at a time within this process (several distributions are written at once). */
const inTurn = oneAtATime();

async function update(stateDir: string, integration: string, change: (pending: PendingWrite[]) => PendingWrite[]): Promise<void> {
  const file = journalFile(stateDir, integration);
  await inTurn(file, async () => {
    const pending = change(await readJournal(stateDir, integration));
    await writeDurably(file, journalText(pending));
  });
}

/** Records (or, on a retry of the same write, replaces) a pending write; durable before it returns. */
export async function putPending(stateDir: string, entry: { id?: string; draft: RevisionDraft }): Promise<string> {
  const pending = pendingEntry(entry);
  try {
    await update(stateDir, entry.draft.integration, (all) => withPending(all, pending));
  } catch (error) {
    throw journalError(pending, journalFile(stateDir, entry.draft.integration), error as Error);
  }
  return pending.id;
}

/** A journal entry for a write about to be made (a retry of the same write keeps its id). */
export function pendingEntry(entry: { id?: string; draft: RevisionDraft }): PendingWrite {
  const id = entry.id ?? randomBytes(8).toString('hex');
  return { version: 1, id, createdAt: new Date().toISOString(), draft: { ...entry.draft, writeId: id } };
}

/** The journal with `entry` in it (replacing an earlier record of the same write). */
export const withPending = (all: readonly PendingWrite[], entry: PendingWrite): PendingWrite[] => [...all.filter((p) => p.id !== entry.id), entry];

export function journalError(entry: PendingWrite, where: string, cause: Error): JournalError {
  const id = entry.draft.distributionId;
  return new JournalError(`cannot record the change to ${id} before making it, in ${where} (${cause.message}); nothing was written to ${id}`);
}

export async function clearPending(stateDir: string, integration: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await update(stateDir, integration, (all) => all.filter((p) => !ids.includes(p.id)));
}
