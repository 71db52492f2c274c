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
import { RuntimeError } from '../errors.js';
import type { RevisionDraft } from '../plan/revision.js';
import { writeDurably } from './files.js';
import { firstProblem, JournalSchema, type PendingWrite } from './records.js';
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StateFileError([{ file, reason: 'not valid JSON: truncated or damaged' }]);
  }
  const parsed = JournalSchema.safeParse(value);
  if (!parsed.success) throw new StateFileError([{ file, reason: `not a journal: ${firstProblem(parsed.error)}` }]);
  const foreign = parsed.data.pending.find((p) => p.draft.integration !== integration);
  if (foreign) throw new StateFileError([{ file, reason: `holds a write of integration ${foreign.draft.integration}, not ${integration}` }]);
  return parsed.data.pending as unknown as PendingWrite[];
}

/** The journal could not be written: the distribution write it guards does not happen. */
export class JournalError extends RuntimeError {}

/** One journal change at a time within this process (several distributions are written at once). */
const writing = new Map<string, Promise<unknown>>();

async function update(stateDir: string, integration: string, change: (pending: PendingWrite[]) => PendingWrite[]): Promise<void> {
  const file = journalFile(stateDir, integration);
  const next = (writing.get(file) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const pending = change(await readJournal(stateDir, integration));
      await writeDurably(file, `${JSON.stringify({ version: 1, pending }, null, 2)}\n`);
    });
  writing.set(file, next);
  await next;
}

/** Records (or, on a retry of the same write, replaces) a pending write; durable before it returns. */
export async function putPending(stateDir: string, entry: { id?: string; draft: RevisionDraft }): Promise<string> {
  const id = entry.id ?? randomBytes(8).toString('hex');
  const pending: PendingWrite = { version: 1, id, createdAt: new Date().toISOString(), draft: { ...entry.draft, writeId: id } };
  try {
    await update(stateDir, entry.draft.integration, (all) => [...all.filter((p) => p.id !== id), pending]);
  } catch (error) {
    throw new JournalError(`cannot record the change to ${entry.draft.distributionId} before making it, in ${journalFile(stateDir, entry.draft.integration)} (${(error as Error).message}); nothing was written to ${entry.draft.distributionId}`);
  }
  return id;
}

export async function clearPending(stateDir: string, integration: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await update(stateDir, integration, (all) => all.filter((p) => !ids.includes(p.id)));
}
