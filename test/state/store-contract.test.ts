/**
 * Issue 17: the StateStore contract (src/state/store.ts), checked the same way against both
 * stores — a state dir (local-store.ts) and an S3 prefix on the sandbox (s3/s3-store.ts) — and
 * then what only S3 has to prove: its keys, conditional writes (If-None-Match / If-Match) and
 * how it says a bucket that is missing or refused.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RuntimeError, UsageError } from '../../src/errors.js';
import type { RevisionDraft } from '../../src/plan/revision.js';
import { localStore } from '../../src/state/local-store.js';
import { defaultLockSettings, LockedError } from '../../src/state/lock-holder.js';
import { StateFileError } from '../../src/state/revisions.js';
import { s3Store } from '../../src/state/s3/s3-store.js';
import type { StateStore } from '../../src/state/store.js';
import { createStateBucket, s3Client, STATE_BUCKET, STATE_PREFIX, STATE_URL, stateObjects } from '../helpers/s3.js';
import { useSandbox } from '../helpers/sandbox.js';

const box = useSandbox();
const INTEGRATION = 'fp-proxy';
const NONE = { origins: [], behaviors: [], associations: [] };
const draft = (distributionId: string, integration = INTEGRATION): RevisionDraft => ({
  version: 1,
  kind: 'attach',
  integration,
  distributionId,
  createdAt: new Date().toISOString(),
  etagBefore: 'E1',
  etagAfter: 'E2',
  ownedBefore: NONE,
  ownedAfter: NONE,
  replacedForeign: [],
  functions: [],
  cachePolicies: {},
});

/** The S3 client every S3 store of this file uses (the SDK against the sandbox, path-style on loopback). */
let client: S3Client;
beforeAll(() => {
  client = s3Client(box.sb);
});
afterAll(() => client.destroy());

const s3StoreAt = (bucket = STATE_BUCKET, prefix = STATE_PREFIX) => s3Store({ bucket, prefix }, { client: async () => client, chosenBy: '--state', lock: defaultLockSettings() });

/** Writes an object as another machine would: not through the store. */
const putObject = async (key: string, text: string) => {
  const other = s3Client(box.sb);
  try {
    await other.send(new PutObjectCommand({ Bucket: STATE_BUCKET, Key: key, Body: text }));
  } finally {
    other.destroy();
  }
};

/** One store under test, and how to reach its records behind its back. */
interface Harness {
  store: StateStore;
  /** Where a record is, as the store names it in problems (`revisions/…`, `journal.json`, `lock.json` of the integration). */
  shown(relative: string): string;
  /** Writes a record behind the store's back (another machine, a damaged file). */
  write(relative: string, text: string): Promise<void>;
  cleanup(): void;
}

const harnesses: Record<'local' | 's3', () => Promise<Harness>> = {
  async local() {
    const base = mkdtempSync(join(tmpdir(), 'ei-contract-'));
    const dir = join(base, 'state');
    return {
      store: localStore(dir),
      shown: (relative) => join(dir, INTEGRATION, relative),
      async write(relative, text) {
        const file = join(dir, INTEGRATION, relative);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      },
      cleanup: () => rmSync(base, { recursive: true, force: true }),
    };
  },
  async s3() {
    await createStateBucket(box.sb);
    return {
      store: s3StoreAt(),
      shown: (relative) => `${STATE_URL}/${INTEGRATION}/${relative}`,
      write: (relative, text) => putObject(`${STATE_PREFIX}/${INTEGRATION}/${relative}`, text),
      cleanup: () => {},
    };
  },
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'it should have been refused').toBeInstanceOf(Error);
  return error as Error;
}

describe.each(['local', 's3'] as const)('the state store contract: %s', (kind) => {
  let h: Harness;
  beforeEach(async () => {
    h = await harnesses[kind]();
  });
  afterEach(() => h.cleanup());

  it('a whole run: lock, journal, two revisions at once numbered 1 and 2, journal cleared, lock released', async () => {
    const lock = await h.store.acquireLock(INTEGRATION, 'edge-install attach');
    expect(lock.holder).toMatchObject({ command: 'edge-install attach', host: hostname(), pid: process.pid });

    const id = await h.store.putPending({ draft: draft('EDFDVBD6EXAMPLE') });
    expect((await h.store.readJournal(INTEGRATION)).map((p) => [p.id, p.draft.writeId, p.draft.distributionId])).toEqual([[id, id, 'EDFDVBD6EXAMPLE']]);
    // A retry of the same write replaces its entry, it does not add one.
    expect(await h.store.putPending({ id, draft: draft('EDFDVBD6EXAMPLE') })).toBe(id);
    expect(await h.store.readJournal(INTEGRATION)).toHaveLength(1);

    const [first, second] = await Promise.all([h.store.appendRevision({ ...draft('EDFDVBD6EXAMPLE'), writeId: id }), h.store.appendRevision(draft('E2OTHER'))]);
    expect([first.revision, first.seq, second.revision, second.seq]).toEqual(['000001-EDFDVBD6EXAMPLE', 1, '000002-E2OTHER', 2]);
    await h.store.clearPending(INTEGRATION, [id]);

    expect(await h.store.readJournal(INTEGRATION)).toEqual([]);
    expect(await h.store.readRevisions(INTEGRATION)).toEqual({ revisions: [first, second], problems: [] });
    expect(await lock.release()).toBeUndefined();
    // Released: the next run takes it at once.
    const next = await h.store.acquireLock(INTEGRATION, 'edge-install detach');
    expect(next.holder.id).not.toBe(lock.holder.id);
    await next.release();
  });

  it('a second run while the lock is held is refused naming the holder, its id and the location', async () => {
    const held = await h.store.acquireLock(INTEGRATION, 'edge-install attach');
    const refused = await rejection(h.store.acquireLock(INTEGRATION, 'edge-install rollback'));
    expect(refused).toBeInstanceOf(LockedError);
    expect((refused as LockedError).holder).toEqual(held.holder);
    expect(refused.message).toContain(`${INTEGRATION} is locked by ${held.holder.user}@${hostname()} (pid ${process.pid}) running \`edge-install attach\` since ${held.holder.startedAt}`);
    expect(refused.message).toContain(`(lock ${held.holder.id}) in ${h.store.location}`);
    await held.release();
  });

  it('force-unlock checks the id: a wrong one is a UsageError naming the right one; the right one removes the lock', async () => {
    const held = await h.store.acquireLock(INTEGRATION, 'edge-install attach');
    const wrong = await rejection(h.store.forceUnlock(INTEGRATION, 'ffffffffffff'));
    expect(wrong).toBeInstanceOf(UsageError);
    expect(wrong.message).toContain(`the lock of ${INTEGRATION} is ${held.holder.id}`);
    expect(wrong.message).toContain('not ffffffffffff');
    // Still held: the wrong id removed nothing.
    expect(await rejection(h.store.acquireLock(INTEGRATION, 'edge-install attach'))).toBeInstanceOf(LockedError);

    expect(await h.store.forceUnlock(INTEGRATION, held.holder.id)).toEqual(held.holder);
    const after = await h.store.acquireLock(INTEGRATION, 'edge-install attach');
    await after.release();
    // Nothing left to unlock.
    expect(await rejection(h.store.forceUnlock(INTEGRATION, after.holder.id))).toBeInstanceOf(UsageError);
  });

  it('a lock another run took after a force-unlock is not removed by the first holder’s release', async () => {
    const first = await h.store.acquireLock(INTEGRATION, 'edge-install attach');
    await h.store.forceUnlock(INTEGRATION, first.holder.id);
    const second = await h.store.acquireLock(INTEGRATION, 'edge-install attach');
    expect(await first.release()).toBeUndefined(); // not its lock any more: left alone, quietly
    const refused = await rejection(h.store.acquireLock(INTEGRATION, 'edge-install attach'));
    expect((refused as LockedError).holder.id).toBe(second.holder.id);
    await second.release();
  });

  it('copyRevision stores a revision under its own name only when that name is free', async () => {
    const made = await h.store.appendRevision(draft('EDFDVBD6EXAMPLE'));
    expect(await h.store.copyRevision({ ...made, etagAfter: 'E-CHANGED' })).toBe(false);
    const copied = { ...made, seq: 7, revision: '000007-EDFDVBD6EXAMPLE' };
    expect(await h.store.copyRevision(copied)).toBe(true);
    expect((await h.store.readRevisions(INTEGRATION)).revisions).toEqual([made, copied]);
    // The copy is not replaced either, and the next number follows it.
    expect(await h.store.copyRevision({ ...copied, etagAfter: 'E-CHANGED' })).toBe(false);
    expect((await h.store.appendRevision(draft('EDFDVBD6EXAMPLE'))).seq).toBe(8);
  });

  it('a damaged revision is reported with its location and never used; its number is not taken again', async () => {
    const good = await h.store.appendRevision(draft('EDFDVBD6EXAMPLE'));
    const damagedText = JSON.stringify({ ...good, seq: 2, revision: '000002-EDFDVBD6EXAMPLE' }).slice(0, 120);
    await h.write('revisions/000002-EDFDVBD6EXAMPLE.json', damagedText);
    await h.write('revisions/000003-EDFDVBD6EXAMPLE.json', `${JSON.stringify({ ...good, integration: 'someone-else', seq: 3, revision: '000003-EDFDVBD6EXAMPLE' })}\n`);
    const read = await h.store.readRevisions(INTEGRATION);
    expect(read.revisions).toEqual([good]);
    expect(read.problems).toEqual([
      { file: h.shown('revisions/000002-EDFDVBD6EXAMPLE.json'), reason: 'not valid JSON: truncated or damaged' },
      { file: h.shown('revisions/000003-EDFDVBD6EXAMPLE.json'), reason: `a revision of integration someone-else, not ${INTEGRATION}` },
    ]);
    expect((await h.store.appendRevision(draft('EDFDVBD6EXAMPLE'))).revision).toBe('000004-EDFDVBD6EXAMPLE');
  });

  it('a revision of a kind a newer release wrote is refused with "upgrade" as the fix, never read as another kind', async () => {
    const good = await h.store.appendRevision(draft('EDFDVBD6EXAMPLE'));
    await h.write('revisions/000002-EDFDVBD6EXAMPLE.json', `${JSON.stringify({ ...good, kind: 'teleport', seq: 2, revision: '000002-EDFDVBD6EXAMPLE' })}\n`);
    const read = await h.store.readRevisions(INTEGRATION);
    expect(read.revisions).toEqual([good]);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]!.file).toBe(h.shown('revisions/000002-EDFDVBD6EXAMPLE.json'));
    expect(read.problems[0]!.reason).toContain('a revision of kind "teleport", which this edge-install does not know: a newer release wrote it. Upgrade edge-install');
  });

  it('two records with one number (runs that did not share the lock) are both refused, each naming the other', async () => {
    const first = await h.store.appendRevision(draft('EDFDVBD6EXAMPLE'));
    const theirs = { ...first, distributionId: 'E2OTHER', revision: '000001-E2OTHER' };
    await h.write('revisions/000001-E2OTHER.json', `${JSON.stringify(theirs)}\n`);
    const read = await h.store.readRevisions(INTEGRATION);
    expect(read.revisions).toEqual([]);
    expect(read.problems.map((p) => p.file)).toEqual([h.shown('revisions/000001-E2OTHER.json'), h.shown('revisions/000001-EDFDVBD6EXAMPLE.json')]);
    expect(read.problems[0]!.reason).toContain('revision 1 is also 000001-EDFDVBD6EXAMPLE: runs that did not share the lock each took the number');
    expect(read.problems[1]!.reason).toContain('revision 1 is also 000001-E2OTHER');
  });

  it('a journal holding a write of another integration is a StateFileError naming it', async () => {
    const foreign = { version: 1, pending: [{ version: 1, id: 'abc', createdAt: new Date().toISOString(), draft: { ...draft('EDFDVBD6EXAMPLE', 'someone-else'), writeId: 'abc' } }] };
    await h.write('journal.json', JSON.stringify(foreign));
    const refused = await rejection(h.store.readJournal(INTEGRATION));
    expect(refused).toBeInstanceOf(StateFileError);
    expect((refused as StateFileError).problems).toEqual([{ file: h.shown('journal.json'), reason: `holds a write of integration someone-else, not ${INTEGRATION}` }]);
    // Nor is a new entry written over it (either store says which file stops it).
    const put = await rejection(h.store.putPending({ draft: draft('EDFDVBD6EXAMPLE') }));
    expect(put.message).toContain(h.shown('journal.json'));
    expect(put.message).toContain('someone-else');
  });
});

describe('the S3 store', () => {
  const sb = () => box.sb;
  const s3Calls = async () => (await sb().calls()).filter((c) => c.service === 's3');
  beforeEach(() => createStateBucket(sb()));

  it('is located at s3://bucket/prefix and keeps exact keys under the prefix; release and an empty journal leave nothing behind', async () => {
    const store = s3StoreAt();
    expect(store.location).toBe(STATE_URL);
    const lock = await store.acquireLock(INTEGRATION, 'edge-install attach');
    const id = await store.putPending({ draft: draft('EDFDVBD6EXAMPLE') });
    expect(Object.keys(await stateObjects(sb())).sort()).toEqual([`${INTEGRATION}/journal.json`, `${INTEGRATION}/lock.json`]);
    expect(JSON.parse((await stateObjects(sb()))[`${INTEGRATION}/lock.json`]!)).toEqual(lock.holder);
    await store.appendRevision({ ...draft('EDFDVBD6EXAMPLE'), writeId: id });
    await store.appendRevision(draft('E2OTHER'));
    await store.clearPending(INTEGRATION, [id]);
    expect(await lock.release()).toBeUndefined();
    expect(Object.keys(await stateObjects(sb())).sort()).toEqual([`${INTEGRATION}/revisions/000001-EDFDVBD6EXAMPLE.json`, `${INTEGRATION}/revisions/000002-E2OTHER.json`]);
    // The conditions the store wrote with (the sandbox enforces them; the calls show them taken).
    const ops = (await s3Calls()).map((c) => `${c.operation} ${c.status}`);
    expect(ops).toContain('DeleteObject 204');
    expect(ops.filter((o) => o.startsWith('PutObject')).every((o) => o === 'PutObject 200')).toBe(true);
  });

  it('the prefix may be empty: the integration folder is at the bucket root', async () => {
    const store = s3StoreAt(STATE_BUCKET, '');
    expect(store.location).toBe(`s3://${STATE_BUCKET}`);
    await store.appendRevision(draft('EDFDVBD6EXAMPLE'));
    expect(Object.keys(await stateObjects(sb(), INTEGRATION))).toEqual(['revisions/000001-EDFDVBD6EXAMPLE.json']);
  });

  it('a missing bucket is a UsageError (exit 2) naming it and the fix, before anything is written', async () => {
    const store = s3StoreAt('no-such-state-bucket');
    const before = (await sb().calls()).length;
    for (const attempt of [() => store.acquireLock(INTEGRATION, 'edge-install attach'), () => store.readRevisions(INTEGRATION), () => store.readJournal(INTEGRATION)]) {
      const refused = await rejection(attempt());
      expect(refused).toBeInstanceOf(UsageError);
      expect((refused as UsageError).exitCode).toBe(2);
      expect(refused.message).toContain('the state bucket no-such-state-bucket does not exist (state s3://no-such-state-bucket/edge-install/prod, from --state); nothing was written. Fix: create the bucket');
    }
    const calls = (await sb().calls()).slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.service === 's3' && c.error === 'NoSuchBucket')).toBe(true);
  });

  it('access denied is a RuntimeError naming the call, the object and the README’s IAM section', async () => {
    const store = s3StoreAt();
    await sb().admin('POST', 'faults', { service: 's3', operation: 'PutObject', error: 'AccessDenied', status: 403, times: 2 });
    const lock = await rejection(store.acquireLock(INTEGRATION, 'edge-install attach'));
    expect(lock).toBeInstanceOf(RuntimeError);
    expect(lock).not.toBeInstanceOf(UsageError);
    expect(lock.message).toContain(`cannot take the lock of ${INTEGRATION} in ${STATE_URL}/${INTEGRATION}/lock.json (access denied: s3:PutObject on ${STATE_URL}/${INTEGRATION}/lock.json (state ${STATE_URL}, from --state)`);
    expect(lock.message).toContain('Fix: grant the S3 permissions of the README\'s IAM policy ("State in S3") on this prefix.');
    expect(lock.message).toContain('nothing was written');
    const revision = await rejection(store.appendRevision(draft('EDFDVBD6EXAMPLE')));
    expect(revision).toBeInstanceOf(RuntimeError);
    expect(revision.message).toContain(`access denied: s3:PutObject on ${STATE_URL}/${INTEGRATION}/revisions/000001-EDFDVBD6EXAMPLE.json`);
    expect(await stateObjects(sb())).toEqual({});
  });

  it('a missing key answered 403 (s3:ListBucket granted only under an s3:prefix condition) is told apart by a listing', async () => {
    const store = s3StoreAt();
    // AWS answers a GetObject of a missing key with 403 when the caller's s3:ListBucket does not cover it.
    await sb().admin('POST', 'faults', { service: 's3', operation: 'GetObject', error: 'AccessDenied', status: 403, times: 1 });
    expect(await store.readJournal(INTEGRATION)).toEqual([]);
    // A key that is there and still refused is access denied, said as such.
    const id = await store.putPending({ draft: draft('EDFDVBD6EXAMPLE') });
    await sb().admin('POST', 'faults', { service: 's3', operation: 'GetObject', error: 'AccessDenied', status: 403, times: 1 });
    const refused = await rejection(store.readJournal(INTEGRATION));
    expect(refused.message).toContain(`access denied: s3:GetObject on ${STATE_URL}/${INTEGRATION}/journal.json`);
    expect((await store.readJournal(INTEGRATION)).map((p) => p.id)).toEqual([id]);
  });

  it('a write S3 made whose answer was lost: the SDK retry meets it (412), and the store knows its own lock and revision', async () => {
    const store = s3StoreAt();
    const lost = (operation: string) => sb().admin('POST', 'faults', { service: 's3', operation, error: 'InternalError', status: 500, afterRunning: true });
    await lost('PutObject');
    const lock = await store.acquireLock(INTEGRATION, 'edge-install attach'); // not "locked by" itself
    await lost('PutObject');
    const id = await store.putPending({ draft: draft('EDFDVBD6EXAMPLE') });
    await lost('PutObject');
    const revision = await store.appendRevision({ ...draft('EDFDVBD6EXAMPLE'), writeId: id });
    expect(revision.revision).toBe('000001-EDFDVBD6EXAMPLE'); // one write, one revision: not a second under 000002
    expect((await store.readJournal(INTEGRATION)).map((p) => p.id)).toEqual([id]);
    await store.clearPending(INTEGRATION, [id]);
    expect(await lock.release()).toBeUndefined();
    expect(Object.keys(await stateObjects(sb()))).toEqual([`${INTEGRATION}/revisions/000001-EDFDVBD6EXAMPLE.json`]);
    const puts = (await sb().calls()).filter((c) => c.operation === 'PutObject').map((c) => c.status);
    expect(puts).toEqual([500, 412, 500, 412, 200, 500, 412]); // the journal's retry re-reads and writes again
  });

  it('force-unlock whose removal was made but its answer lost (the retry finds nothing) reports the lock removed', async () => {
    const store = s3StoreAt();
    const held = await store.acquireLock(INTEGRATION, 'edge-install attach');
    await sb().admin('POST', 'faults', { service: 's3', operation: 'DeleteObject', error: 'InternalError', status: 500, afterRunning: true });
    expect(await store.forceUnlock(INTEGRATION, held.holder.id)).toEqual(held.holder);
    expect(await stateObjects(sb())).toEqual({});
  });

  it('a 403 that is not AccessDenied (a bad signature) is not called a missing permission', async () => {
    const store = s3StoreAt();
    await sb().admin('POST', 'faults', { service: 's3', operation: 'GetObject', error: 'SignatureDoesNotMatch', status: 403, times: 3 });
    const refused = await rejection(store.readJournal(INTEGRATION));
    expect(refused.name).toBe('SignatureDoesNotMatch');
    expect(refused.message).not.toContain('IAM policy');
  });

  it('a lock put that fails for good takes off a lock of this run that S3 may have made', async () => {
    const store = s3StoreAt();
    // The first try is made and its answer lost; every retry fails before it runs.
    await sb().admin('POST', 'faults', { service: 's3', operation: 'PutObject', error: 'InternalError', status: 500, afterRunning: true });
    await sb().admin('POST', 'faults', { service: 's3', operation: 'PutObject', error: 'InternalError', status: 500, times: 10 });
    const refused = await rejection(store.acquireLock(INTEGRATION, 'edge-install attach'));
    expect(refused.message).toContain(`cannot take the lock of ${INTEGRATION}`);
    expect(refused.message).not.toContain('force-unlock');
    expect(await stateObjects(sb())).toEqual({});
    expect((await sb().calls()).filter((c) => c.mutating && c.operation !== 'CreateBucket').map((c) => `${c.operation} ${c.status}`)).toEqual(['PutObject 500', 'PutObject 500', 'PutObject 500', 'DeleteObject 204']);
  });

  it('a 409 ConditionalRequestConflict is sent again, and the write succeeds', async () => {
    const store = s3StoreAt();
    await sb().admin('POST', 'faults', { service: 's3', operation: 'PutObject', error: 'ConditionalRequestConflict', status: 409, times: 1 });
    const lock = await store.acquireLock(INTEGRATION, 'edge-install attach');
    expect((await s3Calls()).filter((c) => c.operation === 'PutObject').map((c) => c.status)).toEqual([409, 200]);
    expect(JSON.parse((await stateObjects(sb()))[`${INTEGRATION}/lock.json`]!)).toEqual(lock.holder);
    await lock.release();
  });

  it('appendRevision racing another writer that takes its number (412 on If-None-Match): it takes the next one', async () => {
    const store = s3StoreAt();
    await store.appendRevision(draft('EDFDVBD6EXAMPLE')); // 000001
    // The store has listed (next is 2) and sent its PutObject; another machine creates 2 first.
    await sb().hold({ service: 's3', operation: 'PutObject' });
    const appending = store.appendRevision(draft('EDFDVBD6EXAMPLE'));
    await sb().waitUntilHeld('PutObject');
    const theirs = JSON.stringify({ ...draft('EDFDVBD6EXAMPLE'), etagAfter: 'THEIRS', seq: 2, revision: '000002-EDFDVBD6EXAMPLE' });
    await putObject(`${STATE_PREFIX}/${INTEGRATION}/revisions/000002-EDFDVBD6EXAMPLE.json`, theirs);
    await sb().release();
    const ours = await appending;
    expect(ours.revision).toBe('000003-EDFDVBD6EXAMPLE');
    expect((await s3Calls()).filter((c) => c.operation === 'PutObject').map((c) => c.status)).toEqual([200, 200, 412, 200]);
    // Theirs is kept as they wrote it; ours is whole under the next number.
    const objects = await stateObjects(sb());
    expect(objects[`${INTEGRATION}/revisions/000002-EDFDVBD6EXAMPLE.json`]).toBe(theirs);
    expect(JSON.parse(objects[`${INTEGRATION}/revisions/000003-EDFDVBD6EXAMPLE.json`]!)).toEqual(ours);
    expect((await store.readRevisions(INTEGRATION)).revisions.map((r) => r.revision)).toEqual(['000001-EDFDVBD6EXAMPLE', '000002-EDFDVBD6EXAMPLE', '000003-EDFDVBD6EXAMPLE']);
  });

  it('a journal changed by another machine between read and write (If-Match) is read again: no entry is lost', async () => {
    const store = s3StoreAt();
    const first = await store.putPending({ draft: draft('EDFDVBD6EXAMPLE') });
    // Our update has read the journal and sent its PutObject (If-Match); another machine rewrites it meanwhile.
    await sb().hold({ service: 's3', operation: 'PutObject' });
    const adding = store.putPending({ draft: draft('E2OTHER') });
    await sb().waitUntilHeld('PutObject');
    const theirs = await s3StoreAt().putPending({ draft: draft('E3THIRD') });
    await sb().release();
    const ours = await adding;
    // 409 (it changed during the request) is sent again, 412 (not the ETag read), then redone on a fresh read.
    expect((await s3Calls()).filter((c) => c.operation === 'PutObject').map((c) => c.status)).toEqual([200, 200, 409, 412, 200]);
    expect((await store.readJournal(INTEGRATION)).map((p) => p.id).sort()).toEqual([first, ours, theirs].sort());
  });
});
