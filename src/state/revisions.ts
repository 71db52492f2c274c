/**
 * The revision store on disk: one JSON file per distribution write, under
 * `<state dir>/<integration>/revisions/` (ARCHITECTURE.md, "State"). What a revision holds, and
 * how one is built, is src/plan/revision.ts; this module only writes and reads the files.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Revision } from '../plan/revision.js';

export type { Revision };

export const DEFAULT_STATE_DIR = '.edge-install';

const revisionsDir = (stateDir: string, integration: string) => join(stateDir, integration, 'revisions');

/** Written whole or not at all: a temporary file renamed into place. */
export async function writeRevision(stateDir: string, revision: Revision): Promise<string> {
  const dir = revisionsDir(stateDir, revision.integration);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${revision.revision}.json`);
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(revision, null, 2)}\n`);
  await rename(temporary, file);
  return file;
}

/** Every revision of an integration (optionally for one distribution), oldest first. */
export async function listRevisions(stateDir: string, integration: string, distributionId?: string): Promise<Revision[]> {
  const dir = revisionsDir(stateDir, integration);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter((n) => n.endsWith('.json') && (!distributionId || n.endsWith(`-${distributionId}.json`))).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as Revision));
}

export async function latestRevision(stateDir: string, integration: string, distributionId: string): Promise<Revision | undefined> {
  return (await listRevisions(stateDir, integration, distributionId)).at(-1);
}
