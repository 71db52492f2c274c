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
import { UsageError } from '../errors.js';
import { inOrder, revisionId, type Revision, type RevisionDraft } from '../plan/revision.js';
import { writeDurably, ExistsError } from './files.js';
import { asRevision } from './records.js';

export type { Revision };

export const DEFAULT_STATE_DIR = '.edge-install';

export const integrationDir = (stateDir: string, integration: string) => join(stateDir, integration);
const revisionsDir = (stateDir: string, integration: string) => join(integrationDir(stateDir, integration), 'revisions');

/** A state file that cannot be used, and why. */
export interface StateProblem {
  file: string;
  reason: string;
}

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

const FILE = /^(?:(\d+)-)?(.+)\.json$/;

export async function readRevisions(stateDir: string, integration: string): Promise<StoredRevisions> {
  const dir = revisionsDir(stateDir, integration);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { revisions: [], problems: [] };
    return stateDirError(stateDir, error as NodeJS.ErrnoException);
  }
  const revisions: Revision[] = [];
  const problems: StateProblem[] = [];
  await Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      let value: unknown;
      try {
        value = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        problems.push({ file, reason: error instanceof SyntaxError ? 'not valid JSON: truncated or damaged' : (error as Error).message });
        return;
      }
      const checked = asRevision(value);
      if (!checked.ok) return void problems.push({ file, reason: `not a revision: ${checked.problem}` });
      const r = checked.revision;
      if (r.integration !== integration) return void problems.push({ file, reason: `a revision of integration ${r.integration}, not ${integration}` });
      if (!name.endsWith(`-${r.distributionId}.json`) || `${r.revision}.json` !== name) {
        return void problems.push({ file, reason: `its name does not match its revision ${r.revision} of ${r.distributionId}` });
      }
      if (r.seq !== undefined && FILE.exec(name)?.[1] !== undefined && Number(FILE.exec(name)![1]) !== r.seq) {
        return void problems.push({ file, reason: `its name does not match its number ${r.seq}` });
      }
      revisions.push(r);
    }),
  );
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
const appending = new Map<string, Promise<unknown>>();

/** Numbers the draft (the next number of the integration) and writes it whole; returns the revision. */
export function appendRevision(stateDir: string, draft: RevisionDraft): Promise<Revision> {
  const key = integrationDir(stateDir, draft.integration);
  const next = (appending.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => append(stateDir, draft));
  appending.set(key, next);
  return next;
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
    const revision: Revision = { ...draft, seq, revision: revisionId(seq, draft.distributionId) };
    try {
      await writeDurably(join(revisionsDir(stateDir, draft.integration), `${revision.revision}.json`), `${JSON.stringify(revision, null, 2)}\n`, { exclusive: true });
      return revision;
    } catch (error) {
      // Someone else took this number meanwhile: the next one.
      if (!(error instanceof ExistsError)) throw error;
      seq += 1;
    }
  }
}
