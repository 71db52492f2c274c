/**
 * `--json`: every command prints exactly one JSON document on stdout (version 1), and nothing
 * else; human text goes to stderr. The shapes are CLI.md's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let dir: string;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
  dir = mkdtempSync(join(tmpdir(), 'ei-json-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sb.close();
});

const common = () => ['--json', '--config', join(dir, 'edge-install.json'), '--state-dir', join(dir, '.edge-install'), '--endpoint-url', sb.endpoint];

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const run = await runCli([...args, ...common()], { env: { EDGE_INSTALL_SECRET_PX_AUTH_TOKEN: 'token-value', EDGE_INSTALL_SECRET_PX_COOKIE_SECRET: 'cookie-value' } });
  expect([0, 3], `${args.join(' ')}: ${run.stderr}`).toContain(run.code);
  const document = JSON.parse(run.stdout) as Record<string, unknown>; // throws if anything but one JSON document
  expect(document.version).toBe(1);
  return document;
}

describe('--json on every command', () => {
  it('init, plan, attach, status, rollback, detach, gc', async () => {
    const init = await json('init', '--non-interactive', '--recipe', 'edge-enforcer', '--distribution', ID, '--set', 'appId=PX12345678', '--set', 'handlerSource=./edge', '--secrets-from-env');
    expect(init).toMatchObject({ recipe: 'edge-enforcer', name: 'edge-enforcer', distributions: [ID], secret: { name: 'edge-install/edge-enforcer', created: true } });

    // The wrappers around the vendor SDK are tested with it elsewhere; here a plain handler stands in.
    mkdirSync(join(dir, 'edge'), { recursive: true });
    for (const f of ['HumanEnforcer.ts', 'HumanActivities.ts', 'HumanFirstParty.ts']) writeFileSync(join(dir, 'edge', f), 'export const handler = async (e: any) => e.Records[0].cf.request;\n');

    const plan = await json('plan');
    expect(Object.keys(plan).sort()).toEqual(['distributions', 'integration', 'resources', 'summary', 'version']);
    expect((plan.distributions as { id: string; etag: string; changes: unknown[] }[])[0]).toMatchObject({ id: ID, etag: expect.any(String) });

    const attach = await json('attach', '--yes');
    expect(attach).toMatchObject({ revision: expect.any(String), distributions: [{ id: ID, etag: expect.any(String), status: 'Deployed' }], summary: expect.any(Object) });
    expect((attach.functions as { name: string; arn: string; version: string; codeSha256: string; codeSize: number }[])[0]).toMatchObject({ name: expect.stringMatching(/^edge-enforcer-/), version: '1' });

    const status = await json('status');
    expect(status).toMatchObject({ integration: 'edge-enforcer', secret: { name: 'edge-install/edge-enforcer', exists: true } });
    expect((status.distributions as { inSync: boolean; associations: { state: string }[] }[])[0]).toMatchObject({ inSync: true });

    const rollback = await json('rollback', '--yes');
    expect((rollback.distributions as { id: string }[])[0]!.id).toBe(ID);

    const detach = await json('detach', '--yes');
    expect(detach).toMatchObject({ distributions: [expect.objectContaining({ id: ID })] });

    const gc = await json('gc', '--yes');
    expect(gc).toHaveProperty('deleted');
  });
});

describe('--json when a command fails', () => {
  const failing = (...args: string[]) => runCli([...args, '--json', '--endpoint-url', sb.endpoint]);

  it('the error is one document on stdout ({version, error: {code, message, fix, exitCode}}) and the human text on stderr', async () => {
    const missing = await failing('status', '--config', join(dir, 'nowhere', 'edge-install.json'));
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({
      version: 1,
      error: { code: 'ManifestError', message: expect.stringContaining('not found'), fix: expect.stringContaining('edge-install init'), exitCode: 2 },
    });
    expect(missing.stderr).toContain('edge-install: ');

    const badState = await failing('plan', '--state', 's3://Bad_Bucket/x', '--config', join(dir, 'edge-install.json'));
    expect(badState.code).toBe(2);
    expect(JSON.parse(badState.stdout).error).toMatchObject({ code: 'UsageError', exitCode: 2, message: expect.stringContaining("the bucket name 'Bad_Bucket'") });
  });

  it('a bad command line too, without repeating an option value (a mistyped flag may carry a secret)', async () => {
    const run = await failing('attach', '--pre-shared-secret=hunter2');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ version: 1, error: { code: 'commander.unknownOption', message: "unknown option '--pre-shared-secret=…'", exitCode: 2 } });
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });
});
