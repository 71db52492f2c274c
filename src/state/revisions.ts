/**
 * The revision store on disk: one JSON file per distribution write, under
 * `<state dir>/<integration>/revisions/<seq>-<distribution>.json` (ARCHITECTURE.md, "State").
 * Revisions are numbered 1, 2, … per integration, never named by a clock (machines that share
 * revisions can disagree on the time); a file is created exclusively, so no two writers can
 * take the same number. What a revision holds, and how one is built, is src/plan/revision.ts.
 *
 * Every file is checked when read (records.ts): a damaged one, or one of another integration
 * or distribution filed here, is reported with its path and never used.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneAtATime } from '../concurrency.js';
import { UsageError } from '../errors.js';
import { inOrder, numbered, type Revision, type RevisionDraft } from '../plan/revision.js';
import { writeDurably, ExistsError } from './files.js';
import { checkRevisionRecord, revisionText, withoutSharedNumbers, type StateProblem } from './records.js';

export type { Revision };

export const DEFAULT_STATE_DIR = '.edge-install';

export const integrationDir = (stateDir: string, integration: string) => join(stateDir, integration);
const revisionsDir = (stateDir: string, integration: string) => join(integrationDir(stateDir, integration), 'revisions');

export type { StateProblem };

/** State files that cannot be used: exit 2, naming each and the fix; nothing is written. */
export class StateFileError extends UsageError {
  constructor(readonly problems: StateProblem[]) {
    super(
      `${problems.length === 1 ? 'a state file cannot be used' : `${problems.length} state files cannot be used`}: ${problems.map((p) => `${p.file} (${p.reason})`).join('; ')}. ` +
        'Nothing was written. Fix: restore it from version control or the CI artifact it came from, or move it out of the state dir ' +
        '(without it, edge-install works from the ownership markers, and rollback in its limited mode).',
    );
  }
}

export interface StoredRevisions {
  /** The usable revisions of the integration, in the order they were made. */
  revisions: Revision[];
  problems: StateProblem[];
}

/** A state dir that is not a directory (or cannot be read) is bad input: say where, and what to do. */
export function stateDirError(stateDir: string, error: NodeJS.ErrnoException): never {
  if (error.code === 'ENOTDIR' || error.code === 'EISDIR') {
    throw new UsageError(`the state dir ${stateDir} cannot be used: a file stands where a directory should, or a directory where a file should (${error.code}). Fix: pass --state-dir with a directory (by default .edge-install next to the manifest).`);
  }
  if (error.code === 'EACCES' || error.code === 'EPERM') throw new UsageError(`the state dir ${stateDir} cannot be read (${error.code}): check its permissions, or pass --state-dir.`);
  throw error;
}

export async function readRevisions(stateDir: string, integration: string): Promise<StoredRevisions> {
  const dir = revisionsDir(stateDir, integration);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { revisions: [], problems: [] };
    return stateDirError(stateDir, error as NodeJS.ErrnoException);
  }
  const read: { revision: Revision; file: string }[] = [];
  const problems: StateProblem[] = [];
  await Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        return void problems.push({ file, reason: (error as Error).message });
      }
      const checked = checkRevisionRecord(name, file, text, integration);
      if ('problem' in checked) problems.push(checked.problem);
      else read.push({ revision: checked.revision, file });
    }),
  );
  const { revisions, problems: shared } = withoutSharedNumbers(read);
  problems.push(...shared);
  problems.sort((a, b) => a.file.localeCompare(b.file));
  return { revisions: inOrder(revisions), problems };
}

/** The usable revisions, or exit 2 naming the unusable files. */
export async function listRevisions(stateDir: string, integration: string, distributionId?: string): Promise<Revision[]> {
  const { revisions, problems } = await readRevisions(stateDir, integration);
  if (problems.length) throw new StateFileError(problems);
  return distributionId ? revisions.filter((r) => r.distributionId === distributionId) : revisions;
}

/**
 * Appends within this process one at a time (attach writes several distributions at once); the
 * integration's lock keeps other processes out, and the exclusive create catches the rest.
 */
const inTurn = oneAtATime();

/** Numbers the draft (the next number of the integration) and writes it whole; returns the revision. */
export function appendRevision(stateDir: string, draft: RevisionDraft): Promise<Revision> {
  return inTurn(integrationDir(stateDir, draft.integration), () => append(stateDir, draft));
}

async function append(stateDir: string, draft: RevisionDraft): Promise<Revision> {
  const { revisions, problems } = await readRevisions(stateDir, draft.integration);
  const taken = (n: number) => revisions.some((r) => r.seq === n) || problems.some((p) => p.file.includes(`${String(n).padStart(6, '0')}-`));
  let seq = Math.max(0, ...revisions.map((r) => r.seq ?? 0)) + 1;
  for (;;) {
    if (taken(seq)) {
      seq += 1;
      continue;
    }
    const revision = numbered(draft, seq);
    try {
      await writeDurably(join(revisionsDir(stateDir, draft.integration), `${revision.revision}.json`), revisionText(revision), { exclusive: true });
      return revision;
    } catch (error) {
      // Someone else took this number meanwhile: the next one.
      if (!(error instanceof ExistsError)) throw error;
      seq += 1;
    }
  }
}

/** Stores a revision made elsewhere under its own name, only if that name is free. */
export async function copyRevision(stateDir: string, revision: Revision): Promise<boolean> {
  try {
    await writeDurably(join(revisionsDir(stateDir, revision.integration), `${revision.revision}.json`), revisionText(revision), { exclusive: true });
    return true;
  } catch (error) {
    if (error instanceof ExistsError) return false;
    throw error;
  }
}
