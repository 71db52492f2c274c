/**
 * Issue 10's user-visible disagreements, each reproduced as a user would meet it: the commands
 * now share one rule for which functions are the integration's, one plan document that never
 * shows a config member the integration does not own, and one way of waiting that ends at
 * once, in the CLI's error format, on an error waiting cannot fix.
 */
import { GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, PASS_THROUGH_HANDLER, type Project, runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(() => sb.admin('POST', 'reset'));
afterEach(() => project?.remove());

const cli = (...args: string[]) => runCli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);

async function fpProxy() {
  project = fpProxyProject([ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
}

async function ok(...args: string[]) {
  const run = await cli(...args);
  expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
}

describe('which functions are ours: one rule for every command', () => {
  it('after attach → attach → rollback → renaming the function key, plan and detach both see the old function as ours', async () => {
    await fpProxy();
    await ok('attach', '--yes');
    writeFileSync(join(project.dir, 'handler.ts'), `${PASS_THROUGH_HANDLER}\nexport const version = 2;\n`);
    await ok('attach', '--yes');
    await ok('rollback', '--yes');
    // The key `proxy` becomes `edge`: the live trigger runs fp-proxy-proxy:1, which only the revisions name now.
    const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8')) as { functions: Record<string, unknown>; behaviors: { triggers: Record<string, { function: string }> }[] };
    manifest.functions = { edge: manifest.functions.proxy };
    for (const b of manifest.behaviors) for (const t of Object.values(b.triggers)) t.function = 'edge';
    writeFileSync(project.manifestPath, JSON.stringify(manifest));

    const plan = await cli('plan', '--json');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).not.toContain('--replace-foreign');
    const doc = JSON.parse(plan.stdout) as { distributions: { conflicts: string[]; changes: { action: string; address: string; replacedForeign?: string; before?: { LambdaFunctionARN?: string } }[] }[] };
    expect(doc.distributions[0]!.conflicts).toEqual([]);
    const trigger = doc.distributions[0]!.changes.find((c) => c.address === 'behaviors.fpjs-abc/*.origin-request')!;
    expect(trigger).toMatchObject({ action: 'update', before: { LambdaFunctionARN: expect.stringMatching(/:function:fp-proxy-proxy:1$/) } });
    expect(trigger.replacedForeign).toBeUndefined();

    const detach = await cli('detach', '--dry-run', '--json');
    expect(detach.code, detach.stderr).toBe(0);
    const detachDoc = JSON.parse(detach.stdout) as { distributions: { changes: { action: string; address: string }[] }[] };
    expect(detachDoc.distributions[0]!.changes).toContainEqual(expect.objectContaining({ action: 'delete', address: 'behaviors.fpjs-abc/*.origin-request' }));

    // And attaching it is one ordinary update, replacing nothing foreign.
    await ok('attach', '--yes');
    const live = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
    expect(live.CacheBehaviors!.Items!.find((b) => b.PathPattern === 'fpjs-abc/*')!.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN).toMatch(/:function:fp-proxy-edge:1$/);
  });
});

describe('each command reads what it needs, and no more', () => {
  it('rollback from revisions reads nothing of Lambda (so a role that may not read functions can still roll back)', async () => {
    await fpProxy();
    await ok('attach', '--yes');
    await sb.admin('POST', 'faults', { operation: '*', service: 'lambda', error: 'AccessDeniedException', status: 403, times: 1000 });
    const before = (await sb.calls()).length;
    await ok('rollback', '--yes');
    expect((await sb.calls()).slice(before).filter((c) => c.service === 'lambda')).toEqual([]);
  });
});

describe('one plan document: no command shows a config member the integration does not own', () => {
  it('the site’s own origin-verify token appears in no plan, dry run or status, text or --json', async () => {
    const TOKEN = 'origin-verify-7d2b9e41-not-ours';
    const { DistributionConfig: c, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const api = c!.Origins!.Items!.find((o) => o.Id === 'api')!;
    api.CustomHeaders = { Quantity: 1, Items: [{ HeaderName: 'X-Origin-Verify', HeaderValue: TOKEN }] };
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: c }));
    await fpProxy();

    const outputs: string[] = [];
    const look = async (...args: string[]) => {
      const run = await cli(...args);
      expect([0, 3], `${args.join(' ')}: ${run.stderr}`).toContain(run.code);
      outputs.push(run.stdout, run.stderr);
      return run;
    };
    await look('plan');
    await look('plan', '--json');
    await look('attach', '--dry-run', '--json');
    await look('attach', '--yes', '--json');
    await look('status', '--json');
    const rollback = await look('rollback', '--dry-run', '--json');
    await look('rollback', '--dry-run');
    await look('detach', '--dry-run', '--json');
    await look('detach', '--dry-run');
    await look('gc', '--dry-run', '--json');
    for (const text of outputs) expect(text).not.toContain(TOKEN);
    // The rollback document is the plan document: owned changes only, no whole config.
    const doc = JSON.parse(rollback.stdout) as Record<string, unknown> & { distributions: Record<string, unknown>[] };
    expect(Object.keys(doc).sort()).toEqual(['distributions', 'integration', 'resources', 'summary', 'version']);
    expect(Object.keys(doc.distributions[0]!).sort()).toEqual(['changes', 'conflicts', 'errors', 'etag', 'id', 'notes', 'order', 'status', 'warnings']);
  });
});

describe('one way of waiting', () => {
  it('Lambda denying the reads after CreateFunction ends attach at once, in the CLI’s error format, and undoes the run', async () => {
    await fpProxy();
    // The plan reads the function once (it does not exist yet); every read after the create is denied.
    await sb.admin('POST', 'faults', { operation: 'GetFunction', error: 'AccessDeniedException', status: 403, after: 1, times: 1000 });
    await sb.admin('POST', 'faults', { operation: 'GetFunctionConfiguration', error: 'AccessDeniedException', status: 403, times: 1000 });
    const run = await cli('attach', '--yes');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/step "function fp-proxy-proxy" failed: lambda GetFunction(Configuration)? fp-proxy-proxy: AccessDeniedException: /);
    expect(run.stderr).toMatch(/Fix: allow lambda:GetFunction(Configuration)? for these credentials/);
    expect(run.stderr).toMatch(/undone: .*delete function fp-proxy-proxy/);
    expect(run.stderr).not.toContain('TimeoutError');
    expect(run.stderr).not.toContain('"state"'); // not the SDK waiter's raw JSON
    // Denied once, not polled: waiting cannot fix a permission.
    const denied = (await sb.calls()).filter((c) => c.error === 'AccessDeniedException');
    expect(denied).toHaveLength(1);
  });
});
