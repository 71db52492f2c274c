/**
 * Issue 17, the lock in S3 between real processes: two machines (two project dirs, two
 * processes of the built binary) sharing one S3 prefix.
 *
 * - While A holds the lock (one of its AWS calls is held by the sandbox, so nothing races),
 *   B is refused: exit 1, naming A (user@host, A's pid, its command), the lock id and
 *   `edge-install force-unlock`, and B changes nothing — its one mutating call is the lock's
 *   create, which S3 refuses (412). Released, A finishes, and one revision is recorded.
 * - A SIGKILLed holder (killed once CloudFront took its write, before it heard so) leaves its
 *   lock and its journal entry: B is refused naming the lock id found in lock.json;
 *   `force-unlock <id>` clears it; B again converges, recording A's write from the journal.
 *
 * The binary is run from dist/: `npm run build` first.
 */
import { GetDistributionConfigCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { hostname, userInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/sandbox/calls.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, type Project, runCli, runCliProcess } from '../helpers/cli.js';
import { createStateBucket, STATE_URL, stateObjects } from '../helpers/s3.js';
import { killAfterCallS3, s3StateArgs, startCliProcess } from '../helpers/s3-process.js';
import { useSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const REVISION_1 = `fp-proxy/revisions/000001-${ID}.json`;
const LOCK = 'fp-proxy/lock.json';
const JOURNAL = 'fp-proxy/journal.json';
const box = useSandbox();

/** Machine A and machine B: each its own checkout (manifest, handler, state dir), one S3 prefix. */
let machineA: Project;
let machineB: Project;

beforeEach(async () => {
  machineA = fpProxyProject([ID]);
  machineB = fpProxyProject([ID]);
  await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
  await createStateBucket(box.sb);
});
afterEach(async () => {
  await box.sb.admin('DELETE', 'faults'); // nothing left held, whatever the test did
  machineA.remove();
  machineB.remove();
});

const argsOf = (p: Project) => s3StateArgs(box.sb, p, STATE_URL);
const config = async (): Promise<DistributionConfig> => (await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
const callsSince = async (from: number): Promise<CallRecord[]> => (await box.sb.calls()).slice(from);
const callCount = async () => (await box.sb.calls()).length;
const mutating = (calls: CallRecord[]) => calls.filter((c) => c.mutating).map(({ service, operation, status, error }) => ({ service, operation, status, error }));
/** The one mutating call a refused run makes: creating lock.json, which S3 refuses (If-None-Match: * on a key that exists). */
const REFUSED_LOCK_CREATE = { service: 's3', operation: 'PutObject', status: 412, error: 'PreconditionFailed' };
const holderOf = (pid: number) => `${userInfo().username}@${hostname()} (pid ${pid}) running \`edge-install attach\``;

describe('two machines, one S3 prefix: the lock between real processes', () => {
  it('B while A holds the lock: exit 1 naming A, its lock id and force-unlock, with no write; A then finishes and records one revision', async () => {
    const original = await config();
    // A takes the lock, then waits at its first read of the distribution (held before it runs).
    await box.sb.hold({ service: 'cloudfront', operation: 'GetDistributionConfig', when: 'before' });
    const a = startCliProcess(['attach', '--yes', ...argsOf(machineA)]);
    await Promise.race([
      box.sb.waitUntilHeld('GetDistributionConfig'),
      a.exited.then((r) => {
        throw new Error(`A exited ${r.code} before it read the distribution:\n${r.stderr}`);
      }),
    ]);

    // A's lock, as S3 has it: A's pid, this host, its command.
    const lock = JSON.parse((await stateObjects(box.sb))[LOCK]!) as { id: string; pid: number; host: string; user: string; command: string };
    expect(lock).toMatchObject({ pid: a.pid, host: hostname(), user: userInfo().username, command: 'edge-install attach' });
    expect(lock.id).toMatch(/^[0-9a-f]{12}$/);

    // While A is parked its calls need the distribution's config: no write of A's can be made
    // now, so every mutating call from here to B's exit is B's.
    const beforeB = await callCount();
    const b = await runCliProcess(['attach', '--yes', ...argsOf(machineB)]);
    expect(b.code, b.stderr).toBe(1);
    expect(b.stderr).toContain(`fp-proxy is locked by ${holderOf(a.pid)}`);
    expect(b.stderr).toContain(`(lock ${lock.id}) in ${STATE_URL}`);
    expect(b.stderr).toContain(`edge-install force-unlock ${lock.id}`);
    const duringB = await callsSince(beforeB);
    // B changed nothing: its only mutating call is the lock's create, refused by S3 (412), and
    // no mutating call of anyone succeeded while A was held.
    expect(mutating(duringB)).toEqual([REFUSED_LOCK_CREATE]);
    expect(duringB.filter((c) => c.mutating && c.status < 300)).toEqual([]);
    expect(await config()).toEqual(original);
    // A's lock is untouched by B's refusal, and A is still parked.
    expect(JSON.parse((await stateObjects(box.sb))[LOCK]!)).toEqual(lock);
    expect(await box.sb.held()).toMatchObject([{ operation: 'GetDistributionConfig' }]);

    // A goes on: it applies, records, and releases its lock.
    expect(await box.sb.release()).toBe(1);
    const doneA = await a.exited;
    expect(doneA.code, doneA.stderr).toBe(0);
    expect(doneA.stderr).toContain(`applied, revision 000001-${ID}`);
    const objects = await stateObjects(box.sb);
    expect(Object.keys(objects)).toEqual([REVISION_1]);
    expect(JSON.parse(objects[REVISION_1]!)).toMatchObject({ kind: 'attach', integration: 'fp-proxy', distributionId: ID, seq: 1 });
    expect(await config()).not.toEqual(original);

    // B again, now that the lock is free: nothing left to do, nothing written, nothing recorded.
    const afterA = await callCount();
    const again = await runCliProcess(['attach', '--yes', ...argsOf(machineB)]);
    expect(again.code, again.stderr).toBe(0);
    expect((await callsSince(afterA)).filter((c) => c.operation === 'UpdateDistribution')).toEqual([]);
    expect(Object.keys(await stateObjects(box.sb))).toEqual([REVISION_1]);
  });

  it('a SIGKILLed holder: B is refused naming the lock id in lock.json; force-unlock <id> clears it; B again records A’s write from the journal', async () => {
    const original = await config();
    // A dies once CloudFront took its write, before it heard so: its lock and journal entry stay.
    const a = await killAfterCallS3(box.sb, machineA, STATE_URL, ['attach', '--yes'], { service: 'cloudfront', operation: 'UpdateDistribution' }, 0);
    const applied = await config();
    expect(applied).not.toEqual(original);
    const left = await stateObjects(box.sb);
    expect(Object.keys(left).sort()).toEqual([JOURNAL, LOCK]);
    const lock = JSON.parse(left[LOCK]!) as { id: string; pid: number };
    expect(lock.pid).toBe(a.pid);
    const journal = JSON.parse(left[JOURNAL]!) as { pending: { id: string; draft: { distributionId: string; kind: string } }[] };
    expect(journal.pending).toHaveLength(1);
    expect(journal.pending[0]!.draft).toMatchObject({ distributionId: ID, kind: 'attach' });
    const pendingId = journal.pending[0]!.id;

    // B: refused, naming the dead run's lock id; nothing written.
    const beforeB = await callCount();
    const refused = await runCliProcess(['attach', '--yes', ...argsOf(machineB)]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(`fp-proxy is locked by ${holderOf(a.pid)}`);
    expect(refused.stderr).toContain(`(lock ${lock.id})`);
    expect(refused.stderr).toContain(`remove the lock with: edge-install force-unlock ${lock.id}`);
    expect(mutating(await callsSince(beforeB))).toEqual([REFUSED_LOCK_CREATE]);
    expect(Object.keys(await stateObjects(box.sb)).sort()).toEqual([JOURNAL, LOCK]);

    // force-unlock <id> on machine B (in this process) removes exactly that lock.
    const unlocked = await runCli(['force-unlock', lock.id, ...argsOf(machineB)]);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stderr).toContain(`Removed the lock ${lock.id} of fp-proxy in ${STATE_URL}`);
    expect(Object.keys(await stateObjects(box.sb))).toEqual([JOURNAL]);

    // B again converges: A's write is live, so it is recorded from the journal, not made again.
    const beforeAgain = await callCount();
    const again = await runCliProcess(['attach', '--yes', ...argsOf(machineB)]);
    expect(again.code, again.stderr).toBe(0);
    expect((await callsSince(beforeAgain)).filter((c) => c.operation === 'UpdateDistribution')).toEqual([]);
    expect(await config()).toEqual(applied);
    const objects = await stateObjects(box.sb);
    // The journal entry is resolved (journal.json deleted once empty) and the lock released.
    expect(Object.keys(objects)).toEqual([REVISION_1]);
    expect(JSON.parse(objects[REVISION_1]!)).toMatchObject({ kind: 'attach', distributionId: ID, seq: 1, writeId: pendingId, recovered: true });

    // And status agrees: in sync, the last revision A's.
    const status = await runCli(['status', '--json', ...argsOf(machineB)]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).distributions[0]).toMatchObject({ lastRevision: `000001-${ID}` });
  });
});
