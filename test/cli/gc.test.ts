/**
 * `gc` end to end: versions attached anywhere are kept, unattached ones deleted once their
 * replicas are gone (before that: reported as waiting, exit 0), --dry-run, --min-age and a
 * run without --yes delete nothing, functions without the integration's tag are never touched, re-runs are no-ops.
 */
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionCommand, ListVersionsByFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, PASS_THROUGH_HANDLER, type Project, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

const ID = DEMO_DISTRIBUTION_ID;
const FN = 'fp-proxy-proxy';

let sb: TestSandbox;
let project: Project | undefined;

beforeAll(async () => {
  sb = await startTestSandbox({ delays: { deployMs: 300, lambdaStateMs: 0, iamPropagationMs: 0 } });
});
afterAll(() => sb.close());
beforeEach(() => sb.admin('POST', 'reset'));
afterEach(() => {
  project?.remove();
  project = undefined;
});

interface GcDoc {
  version: number;
  dryRun: boolean;
  deleted: string[];
  waiting: { resource: string; reason: string }[];
  kept: { resource: string; reason: string }[];
  failed: { resource: string; reason: string }[];
}

const cliArgs = (p: Project, ...args: string[]) => [...args, '--config', p.manifestPath, '--state-dir', p.stateDir, '--endpoint-url', sb.endpoint];
const mutating = async () => (await sb.calls()).filter((c) => c.mutating).length;

async function fpProxy() {
  project = fpProxyProject([ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'never-shown' }) }));
  return project;
}

async function attach(p: Project) {
  const run = await runCli(cliArgs(p, 'attach', '--yes'));
  expect(run.code, run.stderr).toBe(0);
}

async function gc(p: Project, ...extra: string[]): Promise<{ code: number; stderr: string; stdout: string; doc: GcDoc }> {
  const run = await runCli(cliArgs(p, 'gc', '--json', '--yes', ...extra));
  expect(run.code, run.stderr).toBe(0);
  return { ...run, doc: JSON.parse(run.stdout) as GcDoc };
}

async function versions(name = FN): Promise<string[]> {
  const out = await sb.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return (out.Versions ?? []).map((v) => v.Version!).filter((v) => v !== '$LATEST');
}

/** A function made outside edge-install (no owner tag), with one published version. */
async function untaggedFunction(name: string): Promise<void> {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });
  const role = await sb.iam.send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: trust }));
  await sb.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: role.Role!.Arn, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: zipOf('zip') } }));
  await sb.lambda.send(new PublishVersionCommand({ FunctionName: name }));
}

describe('gc', () => {
  it('keeps the attached version and deletes the unattached one once its replicas are gone', async () => {
    const p = await fpProxy();
    await attach(p);
    // New handler code: attach publishes version 2 and moves the trigger to it.
    writeFileSync(join(p.dir, 'handler.ts'), PASS_THROUGH_HANDLER.replace('return event', "console.log('v2');\n  return event"));
    await attach(p);
    const trigger = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.CacheBehaviors!.Items!.find((b) => b.PathPattern === 'fpjs-abc/*')!;
    expect(trigger.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${FN}:2`);
    expect(await versions()).toEqual(['1', '2']);

    // Version 1 was detached just now: Lambda refuses while CloudFront has replicas. Not a failure.
    const early = await gc(p);
    expect(early.doc).toMatchObject({ version: 1, dryRun: false, deleted: [], failed: [] });
    expect(early.doc.waiting).toEqual([{ resource: `version:${FN}:1`, reason: expect.stringMatching(/replicas.*run `edge-install gc` later/) }]);
    expect(early.doc.kept).toContainEqual({ resource: `version:${FN}:2`, reason: `attached to ${ID}` });
    expect(early.stderr).toMatch(/Waiting: version fp-proxy-proxy:1/);
    expect(await versions()).toEqual(['1', '2']);

    await sb.advance(sb.world.delays.replicaDeletionMs);

    // --dry-run: the plan document, the same one plan and detach print; deletes nothing (no write of any kind).
    const writesBefore = await mutating();
    const dry = await runCli(cliArgs(p, 'gc', '--json', '--dry-run'));
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout) as { resources: { action: string; kind: string; address: string }[]; summary: Record<string, number>; kept: { resource: string }[] };
    expect(planned.resources).toEqual([{ action: 'delete', kind: 'version', address: `functions.${FN}.versions.1`, before: { function: FN, version: '1' } }]);
    expect(planned.summary).toEqual({ create: 0, update: 0, delete: 1 });
    expect(planned.kept).toContainEqual({ resource: `version:${FN}:2`, reason: `attached to ${ID}` });
    expect(dry.stdout).toBe(`${JSON.stringify(planned, null, 2)}\n`);
    expect(await mutating()).toBe(writesBefore);

    // --min-age keeps what changed recently.
    const young = await gc(p, '--min-age', '1h');
    expect(young.doc.deleted).toEqual([]);
    expect(young.doc.kept).toContainEqual({ resource: `version:${FN}:1`, reason: 'changed less than 1h ago (--min-age)' });
    expect(await mutating()).toBe(writesBefore);
    expect(await versions()).toEqual(['1', '2']);

    // Deleting asks first, as detach does: without --yes a non-interactive run deletes nothing.
    const unapproved = await runCli(cliArgs(p, 'gc'));
    expect(unapproved.code).toBe(2);
    expect(unapproved.stdout).toContain(`- version ${FN}:1`);
    expect(unapproved.stderr).toContain('gc needs approval: review the changes above and pass --yes (or --dry-run to only list)');
    expect(await mutating()).toBe(writesBefore);

    const done = await gc(p);
    expect(done.doc).toMatchObject({ deleted: [`version:${FN}:1`], waiting: [], failed: [] });
    expect(await versions()).toEqual(['2']);

    // Again: nothing left to do, and nothing written.
    const writesAfter = await mutating();
    const again = await gc(p);
    expect(again.doc).toMatchObject({ deleted: [], waiting: [], failed: [] });
    expect(await mutating()).toBe(writesAfter);
  });

  it('never touches a function without the integration tag, even one with an owned name', async () => {
    const p = await fpProxy();
    await untaggedFunction(FN); // named like the manifest's function, but not made by edge-install
    await untaggedFunction('fp-proxy-stray'); // the integration's prefix, not its tag
    const run = await gc(p);
    expect(run.doc.deleted).toEqual([]);
    expect(run.doc.kept).toEqual([{ resource: `function:${FN}`, reason: expect.stringMatching(/not tagged edge-install:integration=fp-proxy/) }]);
    for (const name of [FN, 'fp-proxy-stray']) expect((await sb.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration).toBeDefined();
  });

  it('a bad --min-age is exit 2 naming the flag, before any AWS call', async () => {
    const p = await fpProxy();
    const callsBefore = (await sb.calls()).length;
    for (const bad of ['5x', '1.5h', '-1d', 'soon']) {
      const run = await runCli(cliArgs(p, 'gc', '--min-age', bad));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--min-age');
      expect(run.stderr).toContain(`'${bad}'`);
    }
    expect((await sb.calls()).length).toBe(callsBefore);
  });
});
