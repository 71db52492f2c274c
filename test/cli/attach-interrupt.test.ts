/**
 * SIGINT during attach: the step in flight finishes, nothing new starts; before the
 * distribution write everything is undone, after it the revision is already recorded.
 * Either way the exit code is 130 and a plain re-run converges. The same for rollback and
 * detach: the write in flight is finished and recorded before the command stops.
 */
import { spawn } from 'node:child_process';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { BIN, recipeProject, runCli, type Project } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  // Slow enough that there is a step in flight to interrupt.
  sb = await startTestSandbox({ delays: { deployMs: 4_000, lambdaStateMs: 1_500, iamPropagationMs: 0 } });
});
afterAll(() => sb.close());
afterEach(() => project?.remove());

async function setUp() {
  await sb.admin('POST', 'reset');
  project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
}

const args = (command = 'attach') => [command, '--yes', '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint];

/** Starts attach, sends SIGINT once `ready()` holds, resolves with the exit code and stderr. */
function interruptWhen(ready: (stderr: string) => Promise<boolean>, argv = args()): Promise<{ code: number | null; stderr: string }> {
  const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const child = spawn(process.execPath, [BIN, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  let sent = false;
  const poll = setInterval(async () => {
    if (!sent && (await ready(stderr))) {
      sent = true;
      child.kill('SIGINT');
    }
  }, 50);
  return new Promise((resolve) => child.on('exit', (code) => (clearInterval(poll), resolve({ code, stderr }))));
}

describe('SIGINT during attach', () => {
  it('during a resource step: the step finishes, the run is undone, exit 130; a re-run converges', { timeout: 60_000 }, async () => {
    await setUp();
    const before = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const { code, stderr } = await interruptWhen(async () => (await sb.calls()).some((c) => c.operation === 'CreateFunction' && c.status < 300));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted; undone: .*delete function edge-enforcer-enforcer/);
    const after = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    expect(after.ETag).toBe(before.ETag);
    expect((await sb.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    // No step was left half-done: the function was created and then deleted, not abandoned mid-way.
    const ops = (await sb.calls()).filter((c) => c.mutating).map((c) => c.operation);
    expect(ops).toContain('DeleteFunction');
    const rerun = await runCli(args());
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations!.Quantity).toBe(1);
  });

  it('while waiting for Deployed: the change stays, its revision is recorded, exit 130', { timeout: 60_000 }, async () => {
    await setUp();
    const { code, stderr } = await interruptWhen(async (text) => text.includes('waiting until Deployed'));
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted');
    expect(readdirSync(join(project.stateDir, 'edge-enforcer', 'revisions'))).toHaveLength(1);
    const writesBefore = (await sb.calls()).filter((c) => c.mutating).length;
    const rerun = await runCli(args());
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await sb.calls()).filter((c) => c.mutating).length).toBe(writesBefore);
  });
});

describe('SIGINT during rollback and detach', () => {
  const updates = async () => (await sb.calls()).filter((c) => c.operation === 'UpdateDistribution' && c.status < 300).length;

  for (const command of ['rollback', 'detach']) {
    it(`${command}: the write in flight is finished and recorded, exit 130, and status agrees`, { timeout: 60_000 }, async () => {
      await setUp();
      expect((await runCli(args())).code).toBe(0);
      const before = await updates();
      // Interrupted once its own write is made: while it waits for Deployed.
      const { code, stderr } = await interruptWhen(async () => (await updates()) > before, args(command));
      expect(code, stderr).toBe(130);
      expect(stderr).toContain('Interrupted: finishing the current step');
      expect(stderr).not.toContain('✗'); // an interrupt is not reported as a failure
      expect(stderr).toMatch(/written and recorded|what was written is recorded/);
      expect(readdirSync(join(project.stateDir, 'edge-enforcer', 'revisions'))).toHaveLength(2);
      // The record matches what is live: a rollback from here needs no --force.
      const next = await runCli(['rollback', '--dry-run', '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain('changed since the last revision');
    });
  }
});
