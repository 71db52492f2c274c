/**
 * Issue 11, crashes and concurrent runs: the lock, the state dir next to the manifest, state
 * files checked before they are trusted, and an undo that never deletes what something live
 * uses. (The write-ahead journal's proof is test/faults/kill-matrix.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, type Project, runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  project = fpProxyProject([ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
});
afterEach(() => project.remove());

const cli = (...args: string[]) => runCli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);
const writes = async () => (await sb.calls()).filter((c) => c.mutating).length;
const lockFile = () => join(project.stateDir, 'fp-proxy', 'lock.json');
const revisionsDir = () => join(project.stateDir, 'fp-proxy', 'revisions');

const JUST_NOW = new Date().toISOString();

function placeLock(holder: { pid: number; host: string; startedAt?: string }) {
  mkdirSync(dirname(lockFile()), { recursive: true });
  writeFileSync(lockFile(), JSON.stringify({ id: 'a1b2c3d4e5f6', user: 'someone', command: 'edge-install attach', startedAt: JUST_NOW, ...holder }));
}

describe('the lock: one run per integration at a time', () => {
  it('a run while another holds the lock is refused, naming the holder; nothing is written', async () => {
    placeLock({ pid: process.pid, host: hostname() }); // a live process on this host
    const before = await writes();
    const run = await cli('attach', '--yes');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`fp-proxy is locked by someone@${hostname()} (pid ${process.pid}) running \`edge-install attach\` since ${JUST_NOW} (lock a1b2c3d4e5f6) in ${project.stateDir}`);
    expect(await writes()).toBe(before);
    expect(existsSync(lockFile())).toBe(true); // not ours to remove
  });

  it('a lock left by a process that is gone on this host is taken over, with a notice', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid; // exited by now
    placeLock({ pid: dead, host: hostname() });
    const run = await cli('attach', '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`took over the lock of someone@${hostname()} (pid ${dead})`);
    expect(existsSync(lockFile())).toBe(false); // released at the end
  });

  it('a lock from another host is never taken over: force-unlock <id> removes it, checking the id', async () => {
    placeLock({ pid: 1, host: 'ci-runner-7' });
    const refused = await cli('attach', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('if that run died on ci-runner-7, remove the lock with: edge-install force-unlock a1b2c3d4e5f6');
    const wrong = await cli('force-unlock', 'ffffffffffff');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('the lock of fp-proxy is a1b2c3d4e5f6');
    const unlocked = await cli('force-unlock', 'a1b2c3d4e5f6');
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect((await cli('attach', '--yes')).code).toBe(0);
  });

  it('a lock held longer than state.staleLockAfterMinutes is called probably stale, and still not taken over', async () => {
    placeLock({ pid: 1, host: 'ci-runner-7', startedAt: '2026-01-01T00:00:00.000Z' });
    const written = new Date(Date.now() - 3 * 3600_000); // the file's age is the lock's: three hours
    utimesSync(lockFile(), written, written);
    const refused = await cli('attach', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('longer than the 120 min after which a lock is probably stale (state.staleLockAfterMinutes): if that run is gone, remove the lock with: edge-install force-unlock a1b2c3d4e5f6. It is never taken over without that.');
    expect(existsSync(lockFile())).toBe(true);
  });

  it('read-only commands take no lock', async () => {
    placeLock({ pid: process.pid, host: hostname() });
    for (const args of [['plan'], ['status'], ['attach', '--dry-run'], ['rollback', '--dry-run'], ['detach', '--dry-run'], ['gc', '--dry-run']]) {
      const run = await cli(...args);
      expect([0, 3], `${args.join(' ')}: ${run.stderr}`).toContain(run.code);
    }
  });
});

describe('the state dir', () => {
  it('defaults to .edge-install next to the manifest, wherever the command runs from — one of the endpoint’s own under --endpoint-url', async () => {
    const parent = dirname(project.dir);
    const config = join(project.dir.split('/').at(-1)!, 'edge-install.json');
    const attach = await runCli(['attach', '--yes', '--config', config, '--endpoint-url', sb.endpoint], { cwd: parent });
    expect(attach.code, attach.stderr).toBe(0);
    // A sandbox (or a rehearsal copy with the real ids) never writes where the real account's revisions are.
    const own = join(project.dir, '.edge-install', 'endpoints', `127.0.0.1_${new URL(sb.endpoint).port}`);
    expect(readdirSync(join(own, 'fp-proxy', 'revisions'))).toHaveLength(1);
    expect(readdirSync(join(project.dir, '.edge-install'))).toEqual(['endpoints']);
    const status = await runCli(['status', '--json', '--config', config, '--endpoint-url', sb.endpoint], { cwd: parent });
    expect(JSON.parse(status.stdout).distributions[0].lastRevision).toMatch(/^000001-E1DEMO0EXAMPLE$/);
    const rollback = await runCli(['rollback', '--dry-run', '--config', config, '--endpoint-url', sb.endpoint], { cwd: parent });
    expect(rollback.stdout).not.toContain('limited mode');
  });

  it('a --state-dir that is a file is exit 2 naming it, before any AWS call', async () => {
    const file = join(project.dir, 'state-file');
    writeFileSync(file, '');
    const before = await writes();
    for (const command of ['attach', 'plan', 'status', 'rollback']) {
      const run = await runCli([command, '--yes', '--config', project.manifestPath, '--state-dir', file, '--endpoint-url', sb.endpoint]);
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`the state dir ${file} cannot be used`);
    }
    expect(await writes()).toBe(before);
  });

  it('revisions are numbered in order, not named by a clock', async () => {
    expect((await cli('attach', '--yes')).code).toBe(0);
    expect((await cli('rollback', '--yes')).code).toBe(0);
    expect(readdirSync(revisionsDir()).sort()).toEqual(['000001-E1DEMO0EXAMPLE.json', '000002-E1DEMO0EXAMPLE.json']);
  });
});

describe('state files are checked before they are trusted', () => {
  it('a truncated revision is exit 2 naming it, and never used; detach still works from the markers', async () => {
    expect((await cli('attach', '--yes')).code).toBe(0);
    const file = join(revisionsDir(), '000001-E1DEMO0EXAMPLE.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
    for (const command of ['plan', 'status', 'rollback', 'attach']) {
      const run = await cli(command, '--yes');
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`${file} (not valid JSON: truncated or damaged)`);
      expect(run.stderr).toContain('Fix: restore it from version control');
    }
    const detach = await cli('detach', '--yes');
    expect(detach.code, detach.stderr).toBe(0);
    expect(detach.stdout).toContain(`${file} is left out (not valid JSON: truncated or damaged)`);
    expect(JSON.stringify((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig)).not.toContain('fp-proxy');
  });

  it('a revision of another integration filed here is refused: rollback --force never uses it', async () => {
    expect((await cli('attach', '--yes')).code).toBe(0);
    const file = join(revisionsDir(), '000001-E1DEMO0EXAMPLE.json');
    const revision = JSON.parse(readFileSync(file, 'utf8')) as { integration: string };
    revision.integration = 'someone-else';
    writeFileSync(file, JSON.stringify(revision));
    const before = await writes();
    const run = await cli('rollback', '--yes', '--force');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a revision of integration someone-else, not fp-proxy');
    expect(await writes()).toBe(before);
  });

  it('a saved plan that is not whole is exit 2 naming it', async () => {
    const planFile = join(project.dir, 'p.json');
    expect((await cli('plan', '--out', planFile)).code).toBe(0);
    writeFileSync(planFile, JSON.stringify({ ...JSON.parse(readFileSync(planFile, 'utf8')), document: null }));
    const before = await writes();
    const run = await cli('attach', '--plan', planFile);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--plan ${planFile}: a saved plan, but damaged (document:`);
    expect(await writes()).toBe(before);
  });
});

describe('an undo never deletes what something live uses', () => {
  it('two machines attach at once: the loser’s undo keeps the role, function and version the winner’s live distribution runs', async () => {
    const other = join(project.dir, 'other-machine-state');
    // Machine A's distribution write waits; machine B (another state dir, so another lock)
    // attaches meanwhile, reusing what A created; then A's write goes on, and is refused.
    await sb.hold({ operation: 'UpdateDistribution' });
    const a = cli('attach', '--yes');
    await sb.waitUntilHeld('UpdateDistribution');
    const b = await runCli(['attach', '--yes', '--config', project.manifestPath, '--state-dir', other, '--endpoint-url', sb.endpoint]);
    expect(b.code, b.stderr).toBe(0);
    await sb.release();
    const { code, stderr } = await a;
    await sb.admin('DELETE', 'faults');
    expect(code).toBe(1);
    expect(stderr).toMatch(/changed by someone else since the plan was made/);
    // Everything B's live distribution runs is still there, and A says why it kept it.
    const live = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.CacheBehaviors!.Items!.find((x) => x.PathPattern === 'fpjs-abc/*')!.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN!;
    expect((await sb.lambda.send(new GetFunctionCommand({ FunctionName: live }))).Configuration).toBeDefined();
    expect((await sb.iam.send(new GetRoleCommand({ RoleName: 'fp-proxy-edge' }))).Role).toBeDefined();
    expect(stderr).toMatch(/delete role fp-proxy-edge \(not done: in use: the integration is attached to E1DEMO0EXAMPLE\)/);
    expect(stderr).toMatch(/delete function fp-proxy-proxy \(not done: in use: it is attached to E1DEMO0EXAMPLE\)/);
    expect((await cli('status')).code).toBe(0);
  });
});
