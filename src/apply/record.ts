/**
 * Recording a distribution write: the revision is built by the one builder
 * (src/plan/revision.ts) and stored at once, before waiting for anything, so it says what was
 * applied whatever happens next.
 */
import { buildRevision, type Revision, type RevisionInput } from '../plan/revision.js';
import { writeRevision } from '../state/revisions.js';

export async function recordRevision(stateDir: string, input: RevisionInput): Promise<Revision> {
  const revision = buildRevision(input);
  await writeRevision(stateDir, revision);
  return revision;
}
