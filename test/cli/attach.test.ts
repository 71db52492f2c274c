/**
 * plan / attach / status end to end: the real CLI against a sandbox with the demo
 * distribution. The checks that matter most: exactly one UpdateDistribution, every
 * non-owned byte of the config unchanged, zero writes on a re-run, nothing written on a
 * conflict, and the secret value nowhere in what the run printed or wrote.
 */
import {
  CreateDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type CacheBehavior,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, type Project, recipeProject, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const SECRET = 'fpjs-pre-shared-0d9c2b41-never-shown';
const PX_TOKEN = 'px-server-token-7f31a0-never-shown';

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

async function createSecret(name: string, values: Record<string, string>) {
  await sb.secrets.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(values) }));
}

async function config(id = ID): Promise<{ config: DistributionConfig; etag: string }> {
  const out = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
  return { config: out.DistributionConfig!, etag: out.ETag! };
}

/** The config with an integration's owned parts taken out: what must equal the config before. */
function withoutOwned(c: DistributionConfig, integration: string, createdPatterns: string[]): DistributionConfig {
  const copy = structuredClone(c);
  const list = <T>(items: T[]) => (items.length ? { Quantity: items.length, Items: items } : { Quantity: 0 });
  copy.Origins = list((copy.Origins!.Items ?? []).filter((o) => !o.Id!.startsWith(`ei-${integration}-`))) as never;
  copy.CacheBehaviors = list((copy.CacheBehaviors!.Items ?? []).filter((b) => !createdPatterns.includes(b.PathPattern!))) as never;
  for (const b of [copy.DefaultCacheBehavior!, ...((copy.CacheBehaviors!.Items ?? []) as CacheBehavior[])]) {
    b.LambdaFunctionAssociations = list((b.LambdaFunctionAssociations!.Items ?? []).filter((a) => !a.LambdaFunctionARN!.includes(`:function:${integration}-`))) as never;
  }
  return copy;
}

const cliArgs = (p: Project, ...args: string[]) => [...args, '--config', p.manifestPath, '--state-dir', p.stateDir, '--endpoint-url', sb.endpoint];
const writes = async () => (await sb.calls()).filter((c) => c.mutating);
const count = (calls: { operation: string }[], operation: string) => calls.filter((c) => c.operation === operation).length;

describe('attach first-party-proxy to the demo distribution', () => {
  it('makes exactly one UpdateDistribution, adds exactly the recipe, and leaves every other byte alone', async () => {
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const before = await config();
    const run = await runCli(cliArgs(project, 'attach', '--yes'));
    expect(run.stderr).toContain('Deployed');
    expect(run.code).toBe(0);
    expect(count(await writes(), 'UpdateDistribution')).toBe(1);

    const after = (await config()).config;
    expect(withoutOwned(after, 'fp-proxy', ['fpjs-abc/*'])).toEqual(before.config);
    const origin = after.Origins!.Items!.find((o) => o.Id === 'ei-fp-proxy-vendor')!;
    expect(origin).toMatchObject({
      DomainName: 'fpcdn.io',
      CustomHeaders: { Quantity: 2, Items: [{ HeaderName: 'FPJS_SECRET_NAME', HeaderValue: 'edge-install/fp-proxy' }, { HeaderName: 'FPJS_SECRET_REGION', HeaderValue: 'us-east-1' }] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] } },
    });
    const behaviors = after.CacheBehaviors!.Items!;
    expect(behaviors.map((b) => b.PathPattern)).toEqual(['/api/*', '/static/*', 'fpjs-abc/*']);
    const added = behaviors[2]!;
    expect(added).toMatchObject({
      TargetOriginId: 'ei-fp-proxy-vendor',
      ViewerProtocolPolicy: 'redirect-to-https',
      OriginRequestPolicyId: '216adef6-5c7f-47e4-b989-5492eafa07d3',
      // The proxy on both sides: the request rewritten, the response cleaned (issue 13).
      LambdaFunctionAssociations: {
        Quantity: 2,
        Items: [
          { EventType: 'origin-request', IncludeBody: true, LambdaFunctionARN: 'arn:aws:lambda:us-east-1:123456789012:function:fp-proxy-proxy:1' },
          { EventType: 'origin-response', IncludeBody: false, LambdaFunctionARN: 'arn:aws:lambda:us-east-1:123456789012:function:fp-proxy-proxy:1' },
        ],
      },
    });
    expect(new Set(added.AllowedMethods!.Items)).toEqual(new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE']));

    // A revision was recorded, and the secret value is in nothing the run printed or wrote.
    expect(readdirSync(join(project.stateDir, 'fp-proxy', 'revisions'))).toHaveLength(1);
    for (const text of [run.stdout, run.stderr, project.allFiles()]) expect(text).not.toContain(SECRET);
  });

  it('a re-run makes zero writes of any kind, plan --detailed-exitcode exits 0, status is in sync', async () => {
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const pending = await runCli(cliArgs(project, 'plan', '--detailed-exitcode'));
    expect(pending.code).toBe(3);
    expect(pending.stdout).toContain('fpjs-abc/*');
    expect((await runCli(cliArgs(project, 'attach', '--yes'))).code).toBe(0);
    const writesBefore = (await writes()).length;
    const again = await runCli(cliArgs(project, 'attach', '--yes'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
    expect((await runCli(cliArgs(project, 'plan', '--detailed-exitcode'))).code).toBe(0);
    expect((await writes()).length).toBe(writesBefore);

    const status = await runCli(cliArgs(project, 'status', '--json'));
    expect(status.code).toBe(0);
    const doc = JSON.parse(status.stdout) as { secret: { exists: boolean }; distributions: { inSync: boolean; associations: { state: string; version: string }[]; drift: string[] }[] };
    expect(doc.secret.exists).toBe(true);
    expect(doc.distributions[0]).toMatchObject({ inSync: true, drift: [], associations: [{ eventType: 'origin-request', state: 'ok', version: '1' }, { eventType: 'origin-response', state: 'ok', version: '1' }] });
  });

  it('plan --json is the CLI.md document, with sensitive values as (sensitive)', async () => {
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const run = await runCli(cliArgs(project, 'plan', '--json'));
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { version: number; integration: string; resources: { kind: string; action: string; after: { keys?: Record<string, unknown> } }[]; distributions: { id: string; changes: { kind: string; address: string; position?: number }[] }[]; summary: Record<string, number> };
    expect(doc.version).toBe(1);
    expect(doc.integration).toBe('fp-proxy');
    expect(doc.resources.find((r) => r.kind === 'secret')!.after.keys!.FPJS_PRE_SHARED_SECRET).toBe('(sensitive)');
    expect(doc.distributions[0]!.changes.map((c) => `${c.kind} ${c.address}`)).toEqual([
      'origin origins.ei-fp-proxy-vendor',
      'association behaviors.fpjs-abc/*.origin-request',
      'association behaviors.fpjs-abc/*.origin-response',
      'behavior behaviors.fpjs-abc/*',
    ]);
    expect(doc.distributions[0]!.changes.find((c) => c.kind === 'behavior')!.position).toBe(2);
    expect(doc.summary.create).toBeGreaterThanOrEqual(7);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});

describe('attach edge-enforcer to the demo distribution', () => {
  it('sets triggers on the default behavior and adds the first-party behavior on the default origin', async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', activities: true }, [ID]);
    await createSecret('edge-install/edge-enforcer', { PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: 'cookie-secret-value' });
    const before = await config();
    const run = await runCli(cliArgs(project, 'attach', '--yes'));
    expect(run.stderr).toContain('Deployed');
    expect(run.code).toBe(0);
    expect(count(await writes(), 'UpdateDistribution')).toBe(1);
    const after = (await config()).config;
    expect(withoutOwned(after, 'edge-enforcer', ['/12345678/*'])).toEqual(before.config);
    expect(after.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items!.map((a) => [a.EventType, a.LambdaFunctionARN!.split(':function:')[1]])).toEqual([
      ['viewer-request', 'edge-enforcer-enforcer:1'],
      ['origin-response', 'edge-enforcer-activities:1'],
    ]);
    const firstParty = after.CacheBehaviors!.Items!.find((b) => b.PathPattern === '/12345678/*')!;
    expect(firstParty).toMatchObject({ TargetOriginId: 'site-s3', ViewerProtocolPolicy: 'allow-all', OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' });
    for (const text of [run.stdout, run.stderr, project.allFiles()]) expect(text).not.toContain(PX_TOKEN);
  });
});

describe('refusals: nothing is written', () => {
  it('a saved plan is refused once the distribution changed', async () => {
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const planFile = join(project.dir, 'reviewed.plan.json');
    expect((await runCli(cliArgs(project, 'plan', '--out', planFile))).code).toBe(0);
    const { config: c, etag } = await config();
    c.Comment = 'someone else was here';
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: c }));
    const writesBefore = (await writes()).length;
    const run = await runCli(cliArgs(project, 'attach', '--plan', planFile));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stale.*ETag/);
    expect((await writes()).length).toBe(writesBefore);
  });

  it('plan --out to a directory that does not exist is exit 2 naming --out, before any AWS call', async () => {
    project = fpProxyProject([ID]);
    const callsBefore = (await sb.calls()).length;
    const run = await runCli(cliArgs(project, 'plan', '--out', join(project.dir, 'no', 'such', 'dir', 'p.json')));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out ${join(project.dir, 'no', 'such', 'dir', 'p.json')}: the directory ${join(project.dir, 'no', 'such', 'dir')} does not exist`);
    expect((await sb.calls()).length).toBe(callsBefore);
  });

  it('a saved plan made from another manifest says so when it is refused', async () => {
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const planFile = join(project.dir, 'reviewed.plan.json');
    expect((await runCli(cliArgs(project, 'plan', '--out', planFile))).code).toBe(0);
    const other = join(project.dir, 'other.json');
    const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8')) as { functions: { proxy: { memorySize?: number } } };
    manifest.functions.proxy.memorySize = 256;
    writeFileSync(other, JSON.stringify(manifest));
    const run = await runCli(['attach', '--plan', planFile, '--config', other, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`it was made from the manifest ${project.manifestPath}, and this run reads ${other} (--config)`);
  });

  it('an unchanged saved plan is applied without asking again', async () => {
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const planFile = join(project.dir, 'reviewed.plan.json');
    await runCli(cliArgs(project, 'plan', '--out', planFile));
    const run = await runCli(cliArgs(project, 'attach', '--plan', planFile, '--no-wait'));
    expect(run.code).toBe(0);
    expect(count(await writes(), 'UpdateDistribution')).toBe(1);
  });

  it('a Lambda@Edge viewer trigger next to a CloudFront Function on a viewer event is refused (exit 2), with the choices', async () => {
    // The seed's /static/* behavior runs a CloudFront Function on viewer-request; the trigger asked for is viewer-response.
    project = recipeProject('custom', { pathPattern: '/static/*', eventType: 'viewer-response' }, [ID], (m) => {
      m.behaviors = [{ pathPattern: '/static/*', adopt: true, triggers: { 'viewer-response': { function: 'main' } } }];
    });
    const run = await runCli(cliArgs(project, 'attach', '--yes'));
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/behavior \/static\/\*: the Lambda@Edge viewer-response trigger \(functions\.main\) cannot share the behavior with the CloudFront Function \S+ on viewer-request/);
    expect(run.stdout).toContain('Move the trigger to an origin event (origin-request or origin-response) if the handler allows it, or remove the CloudFront Function from this behavior');
    expect(count(await writes(), 'UpdateDistribution')).toBe(0);
  });

  it('an existing behavior that is not owned is a conflict unless adopted', async () => {
    project = recipeProject('custom', { pathPattern: '/api/*', eventType: 'origin-request' }, [ID]);
    const run = await runCli(cliArgs(project, 'attach', '--yes'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/behavior \/api\/\* already exists and is not owned/);
    expect(count(await writes(), 'UpdateDistribution')).toBe(0);
  });

  it("the cache behavior quota (AWS's default, 75) is a clear error before any write", async () => {
    const { config: c, etag } = await config();
    const template = c.CacheBehaviors!.Items![0]!;
    while (c.CacheBehaviors!.Items!.length < 75) c.CacheBehaviors!.Items!.push({ ...template, PathPattern: `/filler-${c.CacheBehaviors!.Items!.length}/*` });
    c.CacheBehaviors!.Quantity = 75;
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: c }));
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const writesBefore = (await writes()).length;
    const run = await runCli(cliArgs(project, 'attach', '--yes'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/would have 76 cache behaviors \(it has 75\); the account's CloudFront quota is 75 per distribution/);
    expect((await writes()).length).toBe(writesBefore);
  });

  it('attach without --yes in a non-interactive run is exit 2 and writes nothing', async () => {
    project = fpProxyProject([ID]);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    const writesBefore = (await writes()).length;
    const run = await runCli(cliArgs(project, 'attach'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--yes');
    expect((await writes()).length).toBe(writesBefore);
  });
});

describe('several distributions', () => {
  it('10 distributions at concurrency 4 with 30% throttling all succeed', { timeout: 300_000 }, async () => {
    const { config: demo } = await config();
    const ids = [ID];
    for (let i = 1; i < 10; i++) {
      const created = await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...demo, CallerReference: `copy-${i}`, Aliases: { Quantity: 0 } } }));
      ids.push(created.Distribution!.Id!);
    }
    await sb.advance(sb.world.delays.deployMs);
    project = fpProxyProject(ids);
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: SECRET });
    await sb.admin('POST', 'throttle', { rate: 0.3, seed: 7 });
    const run = await runCli([...cliArgs(project, 'attach', '--yes', '--concurrency', '4', '--json')]);
    await sb.admin('POST', 'throttle', { rate: 0 });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { distributions: { id: string; status: string }[] };
    expect(doc.distributions.map((d) => d.id).sort()).toEqual([...ids].sort());
    expect(doc.distributions.every((d) => d.status === 'Deployed')).toBe(true);
    const calls = await sb.calls();
    expect(calls.some((c) => c.error === 'Throttling')).toBe(true);
    expect(calls.filter((c) => c.operation === 'UpdateDistribution' && c.status === 200)).toHaveLength(10);
  });
});
