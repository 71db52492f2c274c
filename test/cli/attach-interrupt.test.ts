/**
 * An interrupt during attach, rollback and detach: the step in flight finishes, nothing new
 * starts; before the distribution write everything is undone, after it the revision is already
 * recorded. Either way the exit code is 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP) and a plain re-run
 * converges.
 *
 * Deterministic: the sandbox holds the call that is "in flight" (a hold fault) until the test
 * has sent the signal, then releases it — no real delays, no racing a timer. In this process
 * the signal is an event on the run's own signal source; one test sends a real SIGTERM to the
 * built binary, where the process itself is the subject.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { BIN, type CliRun, type Project, recipeProject, runCli } from '../helpers/cli.js';
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
  project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
});
afterEach(() => project.remove());

const args = (command = 'attach', ...extra: string[]) => [command, '--yes', ...extra, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint];
const revisions = () => readdirSync(join(project.stateDir, 'edge-enforcer', 'revisions'));

/**
 * Runs the command in this process with `operation` held: once the call is held, the signal is
 * sent and the call released (it then completes, as a step in flight does).
 */
async function interruptDuring(operation: string, argv: string[], options: { after?: number; signal?: 'SIGINT' | 'SIGTERM' | 'SIGHUP' } = {}): Promise<CliRun> {
  await sb.hold({ operation, after: options.after ?? 0 });
  const signals = new EventEmitter();
  const run = runCli(argv, { signals });
  await sb.waitUntilHeld(operation);
  signals.emit(options.signal ?? 'SIGINT');
  await sb.release();
  const done = await run;
  await sb.admin('DELETE', 'faults');
  return done;
}

describe('an interrupt during attach', () => {
  it('during a resource step: the step finishes, the run is undone, exit 130; a re-run converges', async () => {
    const before = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const { code, stderr } = await interruptDuring('CreateFunction', args());
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Interrupted: finishing the current step');
    expect(stderr).toMatch(/interrupted; undone: .*delete function edge-enforcer-enforcer/);
    const after = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    expect(after.ETag).toBe(before.ETag);
    expect((await sb.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    // No step was left half-done: the function was created (the held call completed) and then deleted.
    const ops = (await sb.calls()).filter((c) => c.mutating && c.status < 300).map((c) => c.operation);
    expect(ops).toEqual(expect.arrayContaining(['CreateFunction', 'DeleteFunction']));
    expect(ops).not.toContain('UpdateDistribution');
    const rerun = await runCli(args());
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations!.Quantity).toBe(1);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s is an interrupt too: the same undo, exit %i', async (signal, exitCode) => {
    const { code, stderr } = await interruptDuring('CreateFunction', args(), { signal });
    expect(code, stderr).toBe(exitCode);
    expect(stderr).toMatch(/interrupted; undone: .*delete function edge-enforcer-enforcer/);
    expect((await sb.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });

  it('during the distribution write: the write finishes and is recorded, nothing is undone, exit 130', async () => {
    const { code, stderr } = await interruptDuring('UpdateDistribution', args());
    expect(code, stderr).toBe(130);
    expect(revisions()).toHaveLength(1);
    expect(stderr).not.toContain('undone');
    const writesBefore = (await sb.calls()).filter((c) => c.mutating).length;
    const rerun = await runCli(args());
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await sb.calls()).filter((c) => c.mutating).length).toBe(writesBefore);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while waiting for Deployed: the wait stops, the change stays, its revision is recorded, and the message says so and how to check (exit %i)', async (signal, exitCode) => {
    // Deploying takes an hour here: only the interrupt can end this wait.
    sb.world.delays.deployMs = 3_600_000;
    let run: CliRun;
    try {
      // GetDistribution: the plan reads it once; the next one is the wait's first poll.
      run = await interruptDuring('GetDistribution', args(), { after: 1, signal });
    } finally {
      sb.world.delays.deployMs = 0;
    }
    const { code, stderr } = run;
    expect(code, stderr).toBe(exitCode);
    expect(stderr).toContain('waiting until Deployed');
    expect(stderr).not.toMatch(/: Deployed( after|\.)/);
    expect(revisions()).toHaveLength(1);
    const [revision] = revisions();
    // As rollback says it: live, recorded (which revision), CloudFront goes on, where to look.
    expect(stderr).toMatch(/waiting until Deployed, stopped after \d+s\./);
    expect(stderr).toContain(`edge-install: interrupted while CloudFront deploys: the change is live and recorded on ${ID} (revision ${revision!.replace(/\.json$/, '')}); CloudFront finishes deploying it by itself; check it with edge-install status`);
    expect(stderr).not.toContain('undone');
    await sb.advance(3_600_000);
    const writesBefore = (await sb.calls()).filter((c) => c.mutating).length;
    const rerun = await runCli(args());
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await sb.calls()).filter((c) => c.mutating).length).toBe(writesBefore);
  });

  it('--no-wait, interrupted during the write: live and recorded, and how to check', async () => {
    const { code, stderr } = await interruptDuring('UpdateDistribution', args('attach', '--no-wait'));
    expect(code, stderr).toBe(130);
    // Whether CloudFront still deploys it depends on the write's answer (the instant sandbox's is Deployed).
    expect(stderr).toMatch(
      new RegExp(`edge-install: interrupted(?: while CloudFront deploys)?: the change is live and recorded on ${ID} \\(revision \\S+\\)(?:; CloudFront finishes deploying it by itself)?; check it with edge-install status`),
    );
  });
});

describe('an interrupt during rollback and detach', () => {
  for (const command of ['rollback', 'detach']) {
    it(`${command}: the write in flight is finished and recorded, exit 130, and status agrees`, async () => {
      expect((await runCli(args())).code).toBe(0);
      // Interrupted while its own write is in flight.
      const { code, stderr } = await interruptDuring('UpdateDistribution', args(command));
      expect(code, stderr).toBe(130);
      expect(stderr).toContain('Interrupted: finishing the current step');
      expect(stderr).not.toContain('✗'); // an interrupt is not reported as a failure
      expect(stderr).toMatch(/written and recorded|what was written is recorded/);
      expect(revisions()).toHaveLength(2);
      // The record matches what is live: a rollback from here needs no --force.
      const next = await runCli(['rollback', '--dry-run', '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout + next.stderr).not.toContain('changed since the last revision');
    });
  }
});

describe('the real binary', () => {
  it('a SIGTERM sent to the process undoes the run and exits 143', async () => {
    await sb.hold({ operation: 'CreateFunction' });
    const child = spawn(process.execPath, [BIN, ...args()], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await sb.waitUntilHeld('CreateFunction');
    const handled = new Promise<void>((resolve) => child.stderr.on('data', () => stderr.includes('Interrupted') && resolve()));
    child.kill('SIGTERM');
    // Released only once the process has taken the signal: it then finishes the step in flight, and stops.
    await handled;
    await sb.release();
    expect(await exited, stderr).toBe(143);
    expect(stderr).toMatch(/interrupted; undone: .*delete function edge-enforcer-enforcer/);
    expect((await sb.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    await sb.admin('DELETE', 'faults');
  });
});
