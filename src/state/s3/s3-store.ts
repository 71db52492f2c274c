/**
 * The state store in S3 (`--state s3://bucket/prefix`, or the manifest's `state.s3`): the same
 * records as the state dir, under `<prefix>/<integration>/`, shared by every machine that
 * points at it — CI jobs, laptops — so that they agree on the history and take turns:
 *
 * - `lock.json` is created with `If-None-Match: *` (S3 answers 412 when another run holds it:
 *   its holder is read and named) and deleted on release with `If-Match: <its ETag>`, so a run
 *   never removes a lock that is no longer its own. A lock is never taken over: not even a
 *   dead process on this host proves anything about a shared prefix (`force-unlock <id>`).
 * - `revisions/<seq>-<distribution>.json` are created with `If-None-Match: *`, numbered after
 *   the names listed, under the lock: a record is never replaced, and a run that finds its
 *   number's name taken (412) takes the next. Two records with one number (runs that did not
 *   share the lock) are refused when read, naming both.
 * - `journal.json` is replaced with `If-Match: <ETag>` (created with `If-None-Match: *`, and
 *   deleted, `If-Match`, once empty), so an update made from a stale read is refused and redone.
 *
 * The records and their checks are the state dir's (records.ts); S3's own clock (Last-Modified)
 * dates a lock. Nothing secret is stored: revisions hold digests and version ids.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError, describeAwsError } from '../../aws/errors.js';
import { settleWithLimit, oneAtATime } from '../../concurrency.js';
import { RuntimeError, UsageError } from '../../errors.js';
import { inOrder, numbered, type PendingWrite, type Revision, type RevisionDraft } from '../../plan/revision.js';
import { journalError, pendingEntry, withPending } from '../journal.js';
import { describeHolder, lockedError, newLockHolder, type LockSettings } from '../lock-holder.js';
import type { HeldLock } from '../lock.js';
import { checkJournalRecord, checkLockRecord, checkRevisionRecord, journalText, numberOfRecord, revisionText, withoutSharedNumbers, type StateProblem } from '../records.js';
import { StateFileError } from '../revisions.js';
import type { StateStore, StoredRevisions } from '../store.js';
import { formatS3Url, stateKey, type S3Location } from './location.js';
import { S3Objects } from './objects.js';

/** Revision objects read at once: a long history still reads in a few round trips. */
const READ_CONCURRENCY = 16;

export interface S3StoreOptions {
  /** The S3 client for the bucket's Region (made on first use). */
  client: () => Promise<S3Client>;
  /** How the location was chosen (`--state`, `the manifest's state.s3`), for the fix in errors. */
  chosenBy: string;
  lock: LockSettings;
  /** Calls go to an endpoint override (the sandbox, a rehearsal): errors say where the bucket must be. */
  endpoint?: boolean;
}

export function s3Store(location: S3Location, options: S3StoreOptions): StateStore {
  const objects = new S3Objects(options.client, location, options.chosenBy, options.endpoint);
  const url = formatS3Url(location);
  const key = (integration: string, name: string) => stateKey(location, integration, name);
  const shown = (k: string) => `s3://${location.bucket}/${k}`;
  const inTurn = oneAtATime();

  async function listRevisionKeys(integration: string) {
    const folder = key(integration, 'revisions/');
    return (await objects.list(folder)).map((o) => ({ ...o, name: o.key.slice(folder.length) })).filter((o) => o.name.endsWith('.json') && !o.name.includes('/'));
  }

  async function readRevisions(integration: string): Promise<StoredRevisions> {
    const listed = await listRevisionKeys(integration);
    const read: { revision: Revision; file: string }[] = [];
    const problems: StateProblem[] = [];
    const reads = await settleWithLimit(listed, READ_CONCURRENCY, async (o) => {
      const stored = await objects.get(o.key);
      if (!stored) return; // deleted since the listing: not a revision any more
      const checked = checkRevisionRecord(o.name, shown(o.key), stored.text, integration);
      if ('problem' in checked) problems.push(checked.problem);
      else read.push({ revision: checked.revision, file: shown(o.key) });
    });
    const failed = reads.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const { revisions, problems: shared } = withoutSharedNumbers(read);
    problems.push(...shared);
    problems.sort((a, b) => a.file.localeCompare(b.file));
    return { revisions: inOrder(revisions), problems };
  }

  /** Numbers by the names listed (no object is read): the next free number, taken with If-None-Match. */
  function appendRevision(draft: RevisionDraft): Promise<Revision> {
    return inTurn(`revisions:${draft.integration}`, async () => {
      const numbers = (await listRevisionKeys(draft.integration)).map((o) => numberOfRecord(o.name) ?? 0);
      for (let seq = Math.max(0, ...numbers) + 1; ; seq++) {
        const revision = numbered(draft, seq);
        const k = key(draft.integration, `revisions/${revision.revision}.json`);
        if ((await objects.create(k, revisionText(revision))) !== undefined) return revision;
        // 412: the name is taken — by this very record when S3 made the write and its answer was
        // lost (the SDK's retry then meets it), else by another writer: the next number.
        if ((await objects.get(k))?.text === revisionText(revision)) return revision;
      }
    });
  }

  async function readJournalObject(integration: string): Promise<{ pending: PendingWrite[]; etag?: string }> {
    const k = key(integration, 'journal.json');
    const stored = await objects.get(k);
    if (!stored) return { pending: [] };
    const checked = checkJournalRecord(shown(k), stored.text, integration);
    if ('problem' in checked) throw new StateFileError([checked.problem]);
    return { pending: checked.pending, etag: stored.etag };
  }

  /** Read, change, write back only if unchanged since the read (If-Match); a lost race is redone on a fresh read. */
  function updateJournal(integration: string, change: (pending: PendingWrite[]) => PendingWrite[]): Promise<void> {
    const k = key(integration, 'journal.json');
    return inTurn(`journal:${integration}`, async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const { pending, etag } = await readJournalObject(integration);
        const next = change(pending);
        let done: boolean;
        if (next.length === 0) done = etag === undefined || (await objects.remove(k, etag));
        else done = (await (etag === undefined ? objects.create(k, journalText(next)) : objects.replace(k, journalText(next), etag))) !== undefined;
        if (done) return;
      }
      throw new RuntimeError(`${shown(k)} kept changing while it was being updated: is another machine writing ${integration} without its lock?`);
    });
  }

  return {
    location: url,
    readRevisions,
    appendRevision,
    copyRevision: async (revision) => (await objects.create(key(revision.integration, `revisions/${revision.revision}.json`), revisionText(revision))) !== undefined,
    readJournal: async (integration) => (await readJournalObject(integration)).pending,
    async putPending(entry) {
      const pending = pendingEntry(entry);
      try {
        await updateJournal(entry.draft.integration, (all) => withPending(all, pending));
      } catch (error) {
        // Mid-run (a distribution may be written already): exit 1 naming what was not written, even for a bucket gone meanwhile.
        throw journalError(pending, shown(key(entry.draft.integration, 'journal.json')), error as Error);
      }
      return pending.id;
    },
    async clearPending(integration, ids) {
      if (ids.length) await updateJournal(integration, (all) => all.filter((p) => !ids.includes(p.id)));
    },

    async acquireLock(integration, command): Promise<HeldLock> {
      const k = key(integration, 'lock.json');
      const holder = newLockHolder(command, options.lock);
      const ownLock = (etag: string): HeldLock => ({
        holder,
        async release() {
          try {
            await objects.remove(k, etag); // false: not ours any more (force-unlocked), left alone
            return undefined;
          } catch (error) {
            return `could not remove the lock ${holder.id} (${shown(k)}: ${(error as Error).message}); remove it with: edge-install force-unlock ${holder.id}`;
          }
        },
      });
      for (let attempt = 0; attempt < 3; attempt++) {
        let etag: string | undefined;
        try {
          etag = await objects.create(k, `${JSON.stringify(holder, null, 2)}\n`);
        } catch (error) {
          if (error instanceof UsageError) throw error;
          // S3 may have made the write before the failure: a lock of this run left behind is taken off.
          const left = await objects.get(k).catch(() => undefined);
          const stays = left !== undefined && checkLockRecord(left.text).id === holder.id && !(await objects.remove(k, left.etag).catch(() => false));
          // No credentials, or no answer at all: said as every command says it (issue 18), with its fix.
          const kind = classifyAwsError(error);
          if (!stays && (kind === 'network' || kind?.startsWith('credentials'))) throw error;
          throw new RuntimeError(
            `cannot take the lock of ${integration} in ${shown(k)} (${describeAwsError(error)?.what.replace(/\.$/, '') ?? (error as Error).message}); nothing was written` +
              (stays ? `, but S3 may hold this run's lock ${holder.id}: if the next run names it, remove it with edge-install force-unlock ${holder.id}.` : '.'),
          );
        }
        if (etag !== undefined) return ownLock(etag);
        const current = await objects.get(k);
        if (!current) continue; // released between the two calls: try again
        const held = checkLockRecord(current.text);
        // This run's own lock: S3 made the write, its answer was lost, and the SDK's retry met it.
        if (held.id === holder.id) return ownLock(current.etag);
        // Its age by S3's clock alone (Last-Modified, and S3's now): a machine's wrong clock never makes a lock look stale.
        throw lockedError(integration, held, { location: url, heldSince: current.lastModified, now: await objects.now(), sameHost: false, settings: options.lock });
      }
      throw new RuntimeError(`the lock of ${integration} (${shown(k)}) was taken and released three times while this run tried to take it; run again.`);
    },

    async forceUnlock(integration, id) {
      const k = key(integration, 'lock.json');
      const current = await objects.get(k);
      if (!current) throw new UsageError(`${integration} is not locked (no ${shown(k)}): nothing to unlock.`);
      const holder = checkLockRecord(current.text);
      if (holder.id !== id) throw new UsageError(`the lock of ${integration} is ${holder.id}, held by ${describeHolder(holder)}, not ${id}: check the id the lock error printed.`);
      // false: changed or gone. Gone is done (a removal whose answer was lost, the SDK's retry then finding nothing).
      if (!(await objects.remove(k, current.etag)) && (await objects.get(k)) !== undefined) throw new RuntimeError(`the lock of ${integration} changed while it was being removed (${shown(k)}); nothing was removed. Run edge-install force-unlock again with the id the next lock error prints.`);
      return holder;
    },
  };
}
