/**
 * Issue 17, S3 failing on every state write of an attach (`--state s3://…`). A clean attach
 * makes five S3 writes, in this order (each named by what it does to the prefix, seen while
 * its answer is held):
 *
 *   1. PutObject    lock.json     (If-None-Match: *) — the lock, before anything is read
 *   2. PutObject    journal.json  (If-None-Match: *) — the pending write, before UpdateDistribution
 *   3. PutObject    revisions/000001-<dist>.json (If-None-Match: *) — after UpdateDistribution
 *   4. DeleteObject journal.json  (If-Match) — the emptied journal
 *   5. DeleteObject lock.json     (If-Match) — the lock's release
 *
 * For each, from a fresh sandbox, the write fails for good (500 InternalError, and 503
 * SlowDown throttling, both outlasting AWS_MAX_ATTEMPTS=2): the distribution is either exactly
 * as before with no revision, or fully applied and recorded — recorded meaning that once S3
 * works again, status is in sync and a second attach is a no-op (no UpdateDistribution) with
 * the revision in S3 (a journal entry resolved into one counts). A lock a failed release left
 * is named by that run's output with the force-unlock command, and force-unlock clears it.
 * Faults that fail each write once are absorbed by the SDK's retry: the attach is untouched.
 */
import { GetDistributionConfigCommand, ListCachePoliciesCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/sandbox/calls.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { type CliRun, fpProxyProject, type Project, runCli } from '../helpers/cli.js';
import { createStateBucket, STATE_URL, stateObjects } from '../helpers/s3.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
/** Two attempts: the SDK's retry really runs, and a fault of 50 outlasts it quickly. */
const ATTEMPTS = '2';
const LOCK = 'fp-proxy/lock.json';
const JOURNAL = 'fp-proxy/journal.json';
const REVISION_1 = `fp-proxy/revisions/000001-${ID}.json`;

type Outcome = 'untouched' | 'applied';

interface StateWrite {
  label: string;
  operation: 'PutObject' | 'DeleteObject';
  /** Earlier calls of the same operation in a clean attach: the fault's `after`. */
  k: number;
  /** The keys under the prefix once this write is made (its answer held). */
  keysAfter: string[];
  /** What a persistent fault on it leaves, and the failed run's exit (a release that failed is a warning: the change was made and recorded). */
  outcome: Outcome;
  code: number;
  /** What the failed run says. */
  says: string[];
}

const WRITES: StateWrite[] = [
  { label: 'PutObject lock.json', operation: 'PutObject', k: 0, keysAfter: [LOCK], outcome: 'untouched', code: 1, says: [`cannot take the lock of fp-proxy in ${STATE_URL}/fp-proxy/lock.json`, 'nothing was written'] },
  {
    label: 'PutObject journal.json',
    operation: 'PutObject',
    k: 1,
    keysAfter: [JOURNAL, LOCK],
    outcome: 'untouched',
    code: 1,
    says: [`cannot record the change to ${ID} before making it, in ${STATE_URL}/fp-proxy/journal.json`, `nothing was written to ${ID}`, 'The distribution was not changed'],
  },
  {
    label: 'PutObject revisions/000001',
    operation: 'PutObject',
    k: 2,
    keysAfter: [JOURNAL, LOCK, REVISION_1],
    outcome: 'applied',
    code: 1,
    says: [`the change to ${ID} is live`, `its revision could not be recorded in ${STATE_URL}`, 'the next command records it from the journal'],
  },
  { label: 'DeleteObject journal.json', operation: 'DeleteObject', k: 0, keysAfter: [LOCK, REVISION_1], outcome: 'applied', code: 0, says: [`applied, revision 000001-${ID}`] },
  { label: 'DeleteObject lock.json', operation: 'DeleteObject', k: 1, keysAfter: [REVISION_1], outcome: 'applied', code: 0, says: [`applied, revision 000001-${ID}`] },
];

const KINDS = [
  { name: '500 InternalError', error: 'InternalError', status: 500 },
  { name: '503 SlowDown (throttling)', error: 'SlowDown', status: 503 },
];

let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
  project = fpProxyProject([ID]);
});
afterAll(async () => {
  await sb?.close();
  project?.remove();
});

/** A fresh account: the seed, no faults (reset drops them), the secret, an empty state bucket. The distribution as it starts. */
async function fresh(): Promise<DistributionConfig> {
  await sb.admin('POST', 'reset');
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
  await createStateBucket(sb);
  return config();
}

const cli = (args: string[], env?: Record<string, string>): Promise<CliRun> => runCli([...args, '--config', project.manifestPath, '--state', STATE_URL, '--endpoint-url', sb.endpoint], { env });
const config = async (): Promise<DistributionConfig> => (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
const callCount = async () => (await sb.calls()).length;
const callsSince = async (from: number): Promise<CallRecord[]> => (await sb.calls()).slice(from);
const s3Writes = (calls: CallRecord[]) => calls.filter((c) => c.service === 's3' && c.mutating);
const keys = async () => Object.keys(await stateObjects(sb)).sort();

/** Cache policy ids are random per creation: the config with them named instead. */
async function comparable(c: DistributionConfig): Promise<DistributionConfig> {
  const out = await sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' }));
  let text = JSON.stringify(c);
  for (const p of out.CachePolicyList?.Items ?? []) text = text.split(p.CachePolicy!.Id!).join(`<${p.CachePolicy!.CachePolicyConfig!.Name!}>`);
  return JSON.parse(text) as DistributionConfig;
}

/** What a clean attach leaves, cache policies by name. */
let applied: DistributionConfig;

describe('S3 state writes of an attach', () => {
  beforeAll(async () => {
    await fresh();
    const run = await cli(['attach', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    applied = await comparable(await config());
  });

  it('a clean attach makes five S3 writes, in order: lock, journal, revision, journal deleted, lock deleted', async () => {
    await fresh();
    const start = await callCount();
    // Each write's answer is held in turn, and the prefix read while it is: what that write did.
    await sb.hold({ service: 's3', operation: WRITES[0]!.operation, when: 'after' });
    const run = cli(['attach', '--yes']);
    const seen: string[][] = [];
    for (let i = 0; i < WRITES.length; i++) {
      const held = await Promise.race([
        sb.waitUntilHeld(WRITES[i]!.operation),
        run.then((r) => {
          throw new Error(`attach ended (${r.code}) before S3 write ${i + 1}:\n${r.stderr}`);
        }),
      ]);
      expect(held).toHaveLength(1);
      seen.push(await keys());
      // The next write's hold is in place before this one goes on (counted from now: after 0).
      if (i + 1 < WRITES.length) await sb.hold({ service: 's3', operation: WRITES[i + 1]!.operation, when: 'after' });
      expect(await sb.release({ id: held[0]!.id })).toBe(1);
    }
    const done = await run;
    expect(done.code, done.stderr).toBe(0);
    expect(seen).toEqual(WRITES.map((w) => w.keysAfter));
    const writes = s3Writes(await callsSince(start));
    expect(writes.map((c) => `${c.operation} ${c.status}`)).toEqual(['PutObject 200', 'PutObject 200', 'PutObject 200', 'DeleteObject 204', 'DeleteObject 204']);
    expect(await sb.held()).toEqual([]);
    expect(await keys()).toEqual([REVISION_1]);
    expect(await comparable(await config())).toEqual(applied);
  });

  describe.each(KINDS)('a $name on one S3 write, outlasting the SDK retries', (kind) => {
    it.each(WRITES)('$label: the distribution is untouched or applied and recorded, and the next commands converge', async (w) => {
      const before = await fresh();
      await sb.admin('POST', 'faults', { operation: w.operation, service: 's3', error: kind.error, status: kind.status, after: w.k, times: 50 });
      const start = await callCount();
      const run = await cli(['attach', '--yes'], { AWS_MAX_ATTEMPTS: ATTEMPTS });
      const made = await callsSince(start);
      const output = `${run.stdout}\n${run.stderr}`;
      // The fault was met: that write was tried and refused as often as the SDK tries.
      const refused = s3Writes(made).filter((c) => c.operation === w.operation && c.error === kind.error);
      expect(refused.length, output).toBeGreaterThanOrEqual(Number(ATTEMPTS));
      for (const text of w.says) expect(output).toContain(text);
      expect(run.code, output).toBe(w.code);

      const live = await config();
      const left = await stateObjects(sb);
      const revisions = Object.keys(left).filter((k) => k.includes('/revisions/'));
      if (w.outcome === 'untouched') {
        expect(live).toEqual(before);
        // The lock is the run's first write: refused, nothing at all was written.
        if (w.label === 'PutObject lock.json') expect(made.filter((c) => c.mutating && c.status < 300)).toEqual([]);
        expect(revisions).toEqual([]);
        expect(made.filter((c) => c.operation === 'UpdateDistribution')).toEqual([]);
      } else {
        expect(await comparable(live)).toEqual(applied);
        expect(made.filter((c) => c.operation === 'UpdateDistribution' && c.status < 300)).toHaveLength(1);
      }
      // A lock left behind (a failed release) is named by the run, with the command that clears it.
      const lockId = left[LOCK] === undefined ? undefined : (JSON.parse(left[LOCK]) as { id: string }).id;
      if (lockId) expect(output).toContain(`remove it with: edge-install force-unlock ${lockId}`);
      expect(lockId !== undefined, `lock left: ${Object.keys(left).join(', ')}`).toBe(w.operation === 'DeleteObject');
      const pendingIds = left[JOURNAL] === undefined ? [] : (JSON.parse(left[JOURNAL]) as { pending: { id: string }[] }).pending.map((p) => p.id);

      // S3 works again.
      await sb.admin('DELETE', 'faults');
      const status = await cli(['status', '--json', '--detailed-exitcode']);
      expect(status.code, status.stderr).toBe(w.outcome === 'applied' ? 0 : 3);
      if (w.outcome === 'applied') {
        // In sync, and its last revision is the run's: recorded, or pending in the journal.
        expect(JSON.parse(status.stdout).distributions[0].lastRevision).toMatch(new RegExp(`^(000001|pending-[0-9a-f]+)-${ID}$`));
      }
      if (lockId) {
        const locked = await cli(['attach', '--yes']);
        expect(locked.code).toBe(1);
        expect(locked.stderr).toContain(`edge-install force-unlock ${lockId}`);
        const unlocked = await cli(['force-unlock', lockId]);
        expect(unlocked.code, unlocked.stderr).toBe(0);
      }
      const from = await callCount();
      const again = await cli(['attach', '--yes']);
      expect(again.code, again.stderr).toBe(0);
      const updates = (await callsSince(from)).filter((c) => c.operation === 'UpdateDistribution');
      // Applied: nothing left to write (a no-op). Untouched: the attach is made now, once.
      expect(updates).toHaveLength(w.outcome === 'applied' ? 0 : 1);
      expect(await comparable(await config())).toEqual(applied);
      // One revision, no journal entry, no lock: a pending entry was resolved into the revision.
      const settled = await stateObjects(sb);
      expect(Object.keys(settled)).toEqual([REVISION_1]);
      const revision = JSON.parse(settled[REVISION_1]!) as { kind: string; seq: number; writeId: string; recovered?: boolean };
      expect(revision).toMatchObject({ kind: 'attach', seq: 1, distributionId: ID });
      if (w.label.startsWith('PutObject revisions')) {
        // Recorded from the failed run's journal entry, not made again.
        expect(pendingIds).toEqual([revision.writeId]);
        expect(revision.recovered).toBe(true);
      }
      const final = await cli(['status', '--json', '--detailed-exitcode']);
      expect(final.code, final.stderr).toBe(0);
      expect(JSON.parse(final.stdout).distributions[0].lastRevision).toBe(`000001-${ID}`);
    });
  });

  it.each(KINDS)('a $name once on every S3 write: the SDK retries each, and the attach is untouched by it', async (kind) => {
    await fresh();
    // The j-th call of an operation in the run is its (j/2)-th write's first try: each failed try is followed by its retry.
    for (const w of WRITES) await sb.admin('POST', 'faults', { operation: w.operation, service: 's3', error: kind.error, status: kind.status, after: 2 * w.k, times: 1 });
    const start = await callCount();
    const run = await cli(['attach', '--yes'], { AWS_MAX_ATTEMPTS: ATTEMPTS });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('!');
    expect(run.stderr).toContain(`applied, revision 000001-${ID}`);
    expect(s3Writes(await callsSince(start)).map((c) => `${c.operation} ${c.error ?? c.status}`)).toEqual([
      ...['PutObject', 'PutObject', 'PutObject'].flatMap((op) => [`${op} ${kind.error}`, `${op} 200`]),
      ...['DeleteObject', 'DeleteObject'].flatMap((op) => [`${op} ${kind.error}`, `${op} 204`]),
    ]);
    expect(await sb.admin('GET', 'faults')).toEqual([]); // every fault was met
    expect(await keys()).toEqual([REVISION_1]);
    expect(await comparable(await config())).toEqual(applied);
  });
});
