/**
 * Revisions: one JSON file per successful apply per distribution, under
 * `<state dir>/<integration>/revisions/` (ARCHITECTURE.md, "State"). A revision holds what
 * rollback needs — ETags, owned parts before and after (with any foreign trigger that was
 * replaced), function versions, policy ids, the secret's version id — and never a secret value.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OwnedParts } from '../plan/owned-parts.js';

export const DEFAULT_STATE_DIR = '.edge-install';

export interface ReplacedForeign {
  pathPattern: string;
  eventType: string;
  arn: string;
  includeBody?: boolean;
}

export interface Revision {
  version: 1;
  /** What made it: an attach, a rollback (or --rollback-on-failure), a detach. */
  kind?: 'attach' | 'rollback' | 'detach';
  revision: string;
  integration: string;
  distributionId: string;
  createdAt: string;
  etagBefore: string;
  etagAfter: string;
  ownedBefore: OwnedParts;
  ownedAfter: OwnedParts;
  replacedForeign: ReplacedForeign[];
  functions: { key: string; name: string; version: string; arn: string; codeSha256: string }[];
  cachePolicies: Record<string, string>;
  secret?: { name: string; region: string; arn?: string; versionId?: string };
}

const revisionsDir = (stateDir: string, integration: string) => join(stateDir, integration, 'revisions');

/** Sortable and unique enough: UTC time to the millisecond, then the distribution. */
export function revisionId(at: Date, distributionId: string): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace('.', '')}-${distributionId}`;
}

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
