/**
 * Issue 17, the CLI with its state in S3 (in-process, on the sandbox): where the state is and
 * why (`--state`, the manifest's `state.s3`, `--state-dir`), refusals before any AWS write,
 * a rollback from a machine that never ran the attach, the lock shared by every machine, and
 * no secret value in any state object or output.
 */
import { GetDistributionConfigCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestInput } from '../../src/manifest/schema.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { type CliRun, fpProxyProject, type Project, runCli } from '../helpers/cli.js';
import { createStateBucket, s3Client, STATE_BUCKET, STATE_PREFIX, STATE_URL, stateObjects } from '../helpers/s3.js';
import { useSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const box = useSandbox();
/** The pre-shared secret as the vendor's dashboard would give it: it must never be written anywhere but Secrets Manager. */
const SECRET = 'psk-9f7QZr2Lw8XvT4kN-never-in-state';
const REVISION_1 = `fp-proxy/revisions/000001-${ID}.json`;
const REVISION_2 = `fp-proxy/revisions/000002-${ID}.json`;
const LOCK_KEY = `${STATE_PREFIX}/fp-proxy/lock.json`;

const cleanups: (() => void)[] = [];
let project: Project;

/** A project (edge-install.json + handler) on the demo distribution, removed after the test. */
function newProject(edit?: (m: ManifestInput) => void): Project {
  const made = fpProxyProject([ID], edit);
  cleanups.push(made.remove);
  return made;
}

beforeEach(async () => {
  project = newProject();
  await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }) }));
  await createStateBucket(box.sb);
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Every run of this file, for the secret grep. */
const runs: CliRun[] = [];
const cli = async (p: Project, ...args: string[]) => {
  const run = await runCli([...args, '--config', p.manifestPath, '--endpoint-url', box.sb.endpoint]);
  runs.push(run);
  return run;
};
const config = async (): Promise<DistributionConfig> => (await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
/** Calls that changed something (a refused conditional write changed nothing). */
const writes = async () => (await box.sb.calls()).filter((c) => c.mutating && c.status < 300);
const callCount = async () => (await box.sb.calls()).length;
const keys = async () => Object.keys(await stateObjects(box.sb)).sort();

async function putLock(holder: Record<string, unknown>): Promise<string> {
  const text = `${JSON.stringify(holder, null, 2)}\n`;
  const client = s3Client(box.sb);
  try {
    await client.send(new PutObjectCommand({ Bucket: STATE_BUCKET, Key: LOCK_KEY, Body: text, ContentType: 'application/json' }));
  } finally {
    client.destroy();
  }
  return text;
}

/** A lock written `agoMs` ago by S3's clock: written, then the sandbox clock moved on (S3's Date follows it). */
async function putLockWrittenAgo(agoMs: number, holder: Record<string, unknown>): Promise<string> {
  const text = await putLock(holder);
  await box.sb.advance(agoMs);
  return text;
}

const OTHER_HOLDER = { id: 'a1b2c3d4e5f6', pid: 4242, host: 'ci-runner-7', user: 'someone', command: 'edge-install attach' };

describe('where the state is', () => {
  it('attach --state records the revision in S3, not in the state dir; status says where the state is and why', async () => {
    const attach = await cli(project, 'attach', '--yes', '--state', STATE_URL);
    expect(attach.code, attach.stderr).toBe(0);
    // Only the revision: the lock is released and the emptied journal removed.
    expect(await keys()).toEqual([REVISION_1]);
    const revision = JSON.parse((await stateObjects(box.sb))[REVISION_1]!);
    expect(revision).toMatchObject({ kind: 'attach', integration: 'fp-proxy', distributionId: ID, seq: 1, revision: `000001-${ID}` });
    expect(existsSync(project.stateDir)).toBe(false);

    const status = await cli(project, 'status', '--state', STATE_URL);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`state: ${STATE_URL} (from --state)`);
    expect(status.stdout).not.toContain('the manifest names');
    const json = JSON.parse((await cli(project, 'status', '--json', '--state', STATE_URL)).stdout);
    expect(json.state).toEqual({ location: STATE_URL, chosenBy: '--state' });
    expect(json.distributions[0].lastRevision).toBe(`000001-${ID}`);
  });

  it('the manifest’s state.s3 is used with no flag; --state-dir wins over it, and status shows both', async () => {
    const shared = newProject((m) => {
      m.state = { s3: { bucket: STATE_BUCKET, prefix: STATE_PREFIX, region: 'us-east-1' } };
    });
    const attach = await cli(shared, 'attach', '--yes');
    expect(attach.code, attach.stderr).toBe(0);
    expect(await keys()).toEqual([REVISION_1]);
    expect(existsSync(shared.stateDir)).toBe(false);
    const status = await cli(shared, 'status');
    expect(status.stdout).toContain(`state: ${STATE_URL} (from the manifest's state.s3)`);

    const elsewhere = join(shared.dir, 'local-state');
    const overridden = await cli(shared, 'status', '--state-dir', elsewhere);
    expect(overridden.stdout).toContain(`state: ${elsewhere} (from --state-dir; the manifest names ${STATE_URL})`);
    const json = JSON.parse((await cli(shared, 'status', '--json', '--state-dir', elsewhere)).stdout);
    expect(json.state).toEqual({ location: elsewhere, chosenBy: '--state-dir', manifestNames: STATE_URL });
    // The overriding dir has no revision: status reads its own store, not the manifest's.
    expect(json.distributions[0].lastRevision).toBeFalsy();
    // A writing run that overrides the team's state says so: it neither takes that lock nor adds to that history.
    const detach = await cli(shared, 'detach', '--yes', '--state-dir', elsewhere);
    expect(detach.stderr).toContain(`! the manifest keeps the state in ${STATE_URL}; this run uses ${elsewhere} (--state-dir): it does not take that lock`);
  });

  it('--state and --state-dir together are exit 2, before any AWS call', async () => {
    const before = await callCount();
    const run = await cli(project, 'attach', '--yes', '--state', STATE_URL, '--state-dir', project.stateDir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--state ${STATE_URL} and --state-dir ${project.stateDir} name two places for the state`);
    expect(run.stderr).toContain('Fix: leave one out.');
    expect(await callCount()).toBe(before);
  });

  it('a bad bucket name in --state is exit 2 naming the fix, with zero AWS calls', async () => {
    const before = await callCount();
    for (const command of ['attach', 'status', 'rollback']) {
      const run = await cli(project, command, '--yes', '--state', 's3://Bad_Bucket/x');
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain("--state s3://Bad_Bucket/x: the bucket name 'Bad_Bucket' may hold only lowercase letters");
      expect(run.stderr).toContain('Fix: name the bucket as S3 shows it, e.g. s3://acme-edge-state/edge-install.');
    }
    expect(await callCount()).toBe(before);
  });

  it('a missing bucket is exit 2 naming it, and nothing is written to CloudFront, Lambda or IAM', async () => {
    const original = await config();
    const before = await callCount();
    const run = await cli(project, 'attach', '--yes', '--state', 's3://no-such-state-bucket/edge-install/prod');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the state bucket no-such-state-bucket does not exist (state s3://no-such-state-bucket/edge-install/prod, from --state); nothing was written. Fix: create the bucket');
    const calls = (await box.sb.calls()).slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.mutating && c.status < 300)).toEqual([]);
    expect(calls.filter((c) => c.mutating && ['cloudfront', 'lambda', 'iam', 'secretsmanager'].includes(c.service))).toEqual([]);
    expect(await config()).toEqual(original);
  });
});

describe('rollback from a fresh machine', () => {
  it('a second project dir with only the manifest and handler rolls back what the first attached, from S3', async () => {
    const original = await config();
    const a = await cli(project, 'attach', '--yes', '--state', STATE_URL);
    expect(a.code, a.stderr).toBe(0);
    expect(await config()).not.toEqual(original);

    // Machine B: a checkout of the repository (manifest + handler), no state dir at all.
    const dirB = mkdtempSync(join(tmpdir(), 'ei-machine-b-'));
    cleanups.push(() => rmSync(dirB, { recursive: true, force: true }));
    for (const name of ['edge-install.json', 'handler.ts']) copyFileSync(join(project.dir, name), join(dirB, name));
    const b = await runCli(['rollback', '--yes', '--state', STATE_URL, '--config', join(dirB, 'edge-install.json'), '--endpoint-url', box.sb.endpoint]);
    runs.push(b);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).not.toContain('limited mode');
    expect(await config()).toEqual(original);

    expect(await keys()).toEqual([REVISION_1, REVISION_2]);
    expect(JSON.parse((await stateObjects(box.sb))[REVISION_2]!)).toMatchObject({ kind: 'rollback', seq: 2, distributionId: ID });
    expect(existsSync(join(dirB, '.edge-install'))).toBe(false);
    expect(existsSync(project.stateDir)).toBe(false);
  });
});

describe('the lock in S3', () => {
  it('held by another run: attach is exit 1 naming the holder, the id and force-unlock, with no AWS write; force-unlock <id> clears it', async () => {
    const startedAt = new Date().toISOString();
    const lockText = await putLock({ ...OTHER_HOLDER, startedAt });
    const before = (await writes()).length;
    const callsBefore = await callCount();
    const refused = await cli(project, 'attach', '--yes', '--state', STATE_URL);
    expect(refused.code).toBe(1);
    // The lock is the run's first step: nothing but S3 was even asked.
    expect([...new Set((await box.sb.calls()).slice(callsBefore).map((c) => c.service))]).toEqual(['s3']);
    expect(refused.stderr).toContain(`fp-proxy is locked by someone@ci-runner-7 (pid 4242) running \`edge-install attach\` since ${startedAt} (lock a1b2c3d4e5f6) in ${STATE_URL}`);
    expect(refused.stderr).toContain('if that run died on ci-runner-7, remove the lock with: edge-install force-unlock a1b2c3d4e5f6');
    expect(refused.stderr).not.toContain('probably stale');
    expect((await writes()).length).toBe(before);
    expect((await stateObjects(box.sb))['fp-proxy/lock.json']).toBe(lockText); // not ours to remove

    const wrong = await cli(project, 'force-unlock', 'ffffffffffff', '--state', STATE_URL);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('the lock of fp-proxy is a1b2c3d4e5f6, held by someone@ci-runner-7');
    expect(await keys()).toEqual(['fp-proxy/lock.json']);

    const unlocked = await cli(project, 'force-unlock', 'a1b2c3d4e5f6', '--state', STATE_URL);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stderr).toContain('Removed the lock a1b2c3d4e5f6 of fp-proxy');
    expect(unlocked.stderr).toContain('someone@ci-runner-7 (pid 4242)');
    expect(await keys()).toEqual([]);

    const attach = await cli(project, 'attach', '--yes', '--state', STATE_URL);
    expect(attach.code, attach.stderr).toBe(0);
    expect(await keys()).toEqual([REVISION_1]);
  });

  it('is dated by S3’s clock: a holder whose startedAt is long ago but whose lock was just written is not called stale', async () => {
    await putLock({ ...OTHER_HOLDER, startedAt: '2026-01-01T00:00:00.000Z' });
    const refused = await cli(project, 'attach', '--yes', '--state', STATE_URL);
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toContain('probably stale');
    expect(refused.stderr).toContain('Wait for it to finish; if that run died on ci-runner-7');
  });

  it('a lock written three hours ago is called probably stale, and is still not taken over', async () => {
    const startedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const lockText = await putLockWrittenAgo(3 * 3600_000, { ...OTHER_HOLDER, startedAt });
    const before = (await writes()).length;
    const refused = await cli(project, 'attach', '--yes', '--state', STATE_URL);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/It has been held for 3 h \d+ min, longer than the 120 min after which a lock is probably stale \(state\.staleLockAfterMinutes\)/);
    expect(refused.stderr).toContain('if that run is gone, remove the lock with: edge-install force-unlock a1b2c3d4e5f6. It is never taken over without that.');
    expect((await writes()).length).toBe(before);
    expect((await stateObjects(box.sb))['fp-proxy/lock.json']).toBe(lockText);
  });

  it('state.staleLockAfterMinutes in the manifest sets the threshold', async () => {
    const startedAt = new Date(Date.now() - 10 * 60_000).toISOString();
    await putLockWrittenAgo(10 * 60_000, { ...OTHER_HOLDER, startedAt });
    // 10 minutes is not stale by the default (120 min)…
    const byDefault = await cli(project, 'attach', '--yes', '--state', STATE_URL);
    expect(byDefault.code).toBe(1);
    expect(byDefault.stderr).not.toContain('probably stale');
    // …and is with a 5-minute threshold.
    const impatient = newProject((m) => {
      m.state = { staleLockAfterMinutes: 5 };
    });
    const refused = await cli(impatient, 'attach', '--yes', '--state', STATE_URL);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/It has been held for 1\d min, longer than the 5 min after which a lock is probably stale/);
    expect(refused.stderr).toContain('edge-install force-unlock a1b2c3d4e5f6');
  });
});

describe('secrets', () => {
  it('the secret value is in no S3 state object and in no output, through attach, status and rollback', async () => {
    runs.length = 0;
    for (const args of [['attach', '--yes'], ['status'], ['status', '--json'], ['attach', '--yes', '--json'], ['rollback', '--yes'], ['rollback', '--yes', '--json']]) {
      const run = await cli(project, ...args, '--state', STATE_URL, '--verbose');
      expect([0, 3], `${args.join(' ')}: ${run.stderr}`).toContain(run.code);
    }
    // The value went through these runs (read to compare, merged when the other keys were written)…
    const secretCalls = (await box.sb.calls()).filter((c) => c.service === 'secretsmanager').map((c) => c.operation);
    expect(secretCalls).toContain('GetSecretValue');
    expect(secretCalls).toContain('PutSecretValue');
    // …and was stored nowhere else.
    const objects = await stateObjects(box.sb);
    expect(Object.keys(objects).length).toBeGreaterThanOrEqual(3);
    for (const [key, text] of Object.entries(objects)) expect(text, key).not.toContain(SECRET);
    for (const run of runs) {
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stderr).not.toContain(SECRET);
    }
    expect(project.allFiles()).not.toContain(SECRET);
  });
});
