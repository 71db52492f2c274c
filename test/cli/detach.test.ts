/**
 * `detach` end to end: the real CLI against a sandbox. What matters: exactly one
 * UpdateDistribution, the config back to what it was before attach (foreign triggers that were
 * replaced included), resources deleted only when nothing in the account uses the integration,
 * replicated functions reported as waiting (and finished by `gc`), nothing written without
 * approval.
 */
import {
  CreateCachePolicyCommand,
  CreateDistributionCommand,
  GetDistributionConfigCommand,
  ListCachePoliciesCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand, GetRoleCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionCommand, ListFunctionsCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { listRevisions } from '../../src/state/revisions.js';
import { fpProxyProject, type Project, recipeProject, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

const ID = DEMO_DISTRIBUTION_ID;
const SECRET = 'fpjs-pre-shared-0d9c2b41-never-shown';

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

interface DetachDoc {
  version: number;
  distributions: { id: string; etag: string | null; status: string | null; revision?: string }[];
  deleted: string[];
  waiting: { resource: string; reason: string }[];
  kept: { resource: string; reason: string }[];
  failed: { resource: string; reason: string }[];
  secret: { name: string; region: string; deletionDate?: string; restore: string } | null;
}

const cliArgs = (p: Project, ...args: string[]) => [...args, '--config', p.manifestPath, '--state-dir', p.stateDir, '--endpoint-url', sb.endpoint];
const writes = async () => (await sb.calls()).filter((c) => c.mutating);
const count = (calls: { operation: string }[], operation: string) => calls.filter((c) => c.operation === operation).length;

async function config(id = ID): Promise<{ config: DistributionConfig; etag: string }> {
  const out = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
  return { config: out.DistributionConfig!, etag: out.ETag! };
}

/** The project and its secret as init makes it (tagged as the integration's); `adopted`: made by hand, as the seed procedures have users do. */
async function fpProxy(distributions = [ID], options: { adopted?: boolean } = {}) {
  project = fpProxyProject(distributions);
  const tags = options.adopted ? undefined : [{ Key: 'edge-install:integration', Value: 'fp-proxy' }];
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }), Tags: tags }));
  return project;
}

async function attach(p: Project, ...extra: string[]) {
  const run = await runCli(cliArgs(p, 'attach', '--yes', ...extra));
  expect(run.code, run.stderr).toBe(0);
}

async function detach(p: Project, ...extra: string[]) {
  const run = await runCli(cliArgs(p, 'detach', '--json', ...extra));
  return { ...run, doc: run.code === 0 || run.stdout.trim().startsWith('{') ? (JSON.parse(run.stdout) as DetachDoc) : undefined };
}

/** Someone else's Lambda@Edge function, published and ready to associate. */
async function foreignFunction(): Promise<string> {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });
  const role = await sb.iam.send(new CreateRoleCommand({ RoleName: 'their-role', AssumeRolePolicyDocument: trust }));
  await sb.lambda.send(new CreateFunctionCommand({ FunctionName: 'their-auth', Role: role.Role!.Arn, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: zipOf('zip') } }));
  return (await sb.lambda.send(new PublishVersionCommand({ FunctionName: 'their-auth' }))).FunctionArn!;
}

async function ownedLeft(integration: string) {
  const functions = ((await sb.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName!).filter((n) => n.startsWith(`${integration}-`));
  const role = await sb.iam.send(new GetRoleCommand({ RoleName: `${integration}-edge` })).then(
    () => true,
    (error: Error) => (error.name === 'NoSuchEntityException' ? false : Promise.reject(error)),
  );
  const policies = ((await sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' }))).CachePolicyList?.Items ?? [])
    .map((p) => p.CachePolicy!.CachePolicyConfig!.Name!)
    .filter((n) => n.startsWith(`${integration}-`));
  return { functions, role, policies };
}

describe('detach', () => {
  it('puts the whole config back as it was before attach, in exactly one UpdateDistribution; replicated functions wait', async () => {
    const p = await fpProxy();
    const before = await config();
    await attach(p);
    expect((await config()).config).not.toEqual(before.config);
    const updatesBefore = count(await writes(), 'UpdateDistribution');

    const run = await detach(p, '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(count(await writes(), 'UpdateDistribution') - updatesBefore).toBe(1);
    const after = await config();
    expect(after.config).toEqual(before.config);
    expect(after.etag).not.toBe(before.etag);

    const doc = run.doc!;
    expect(doc.version).toBe(1);
    expect(doc.distributions).toEqual([{ id: ID, etag: after.etag, status: 'Deployed', revision: expect.stringMatching(/-E1DEMO0EXAMPLE$/) }]);
    expect(doc.deleted).toEqual(['cache-policy:fp-proxy-proxy', 'role:fp-proxy-edge', 'secret:edge-install/fp-proxy']);
    expect(doc.waiting).toEqual([{ resource: 'function:fp-proxy-proxy', reason: expect.stringMatching(/waiting for replica removal \(typically a few hours\); run `edge-install gc` later/) }]);
    expect(doc.kept).toEqual([]);
    expect(doc.secret).toMatchObject({ name: 'edge-install/fp-proxy', restore: 'aws secretsmanager restore-secret --secret-id edge-install/fp-proxy --region us-east-1' });
    expect(run.stderr).toMatch(/function fp-proxy-proxy: waiting for replica removal/);
    expect(run.stderr).toContain('aws secretsmanager restore-secret --secret-id edge-install/fp-proxy');

    // The revision says nothing is owned any more; the secret value is nowhere.
    const revisions = await listRevisions(p.stateDir, 'fp-proxy', ID);
    expect(revisions).toHaveLength(2);
    expect(revisions[1]!.ownedAfter).toEqual({ origins: [], behaviors: [], associations: [] });
    expect(revisions[1]!.ownedBefore.associations.map((a) => a.eventType)).toEqual(['origin-request', 'origin-response']);
    for (const text of [run.stdout, run.stderr, p.allFiles()]) expect(text).not.toContain(SECRET);

    // Re-running is safe: nothing to write, nothing to delete but the waiting function.
    const writesBefore = count(await writes(), 'UpdateDistribution');
    const again = await detach(p, '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(count(await writes(), 'UpdateDistribution')).toBe(writesBefore);
    expect(again.doc!.waiting.map((w) => w.resource)).toEqual(['function:fp-proxy-proxy']);
    expect(again.doc!.deleted).toEqual([]);
  });

  it('puts back a foreign trigger that attach --replace-foreign replaced', async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
    const arn = await foreignFunction();
    const { config: c, etag } = await config();
    c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false }] };
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: c }));
    const before = await config();

    // plan shows the replacement only with --replace-foreign, and a plan saved with it is applied as such.
    const refused = await runCli(cliArgs(project, 'plan'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--replace-foreign');
    const planFile = join(project.dir, 'replace.plan.json');
    const planned = await runCli(cliArgs(project, 'plan', '--replace-foreign', '--out', planFile));
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/~ trigger \* viewer-request .*their-auth:1 → .*edge-enforcer-enforcer:\(new version\)/);
    const applied = await runCli(cliArgs(project, 'attach', '--plan', planFile));
    expect(applied.code, applied.stderr).toBe(0);
    const attached = (await config()).config.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items!;
    expect(attached.map((a) => a.LambdaFunctionARN)).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:edge-enforcer-enforcer:1']);

    const run = await runCli(cliArgs(project, 'detach', '--yes'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/~ trigger \* viewer-request .*edge-enforcer-enforcer:1 → arn:aws:lambda:us-east-1:123456789012:function:their-auth:1/);
    expect(run.stdout).toContain(`puts back ${arn} on * viewer-request`);
    const after = await config();
    expect(after.config.DefaultCacheBehavior!.LambdaFunctionAssociations).toEqual({ Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false }] });
    expect(after.config).toEqual(before.config);
    // Their function is not ours to delete.
    expect((await sb.lambda.send(new GetFunctionCommand({ FunctionName: 'their-auth' }))).Configuration).toBeDefined();
  });

  it('then gc, once the replicas are gone, leaves nothing owned in the account', async () => {
    const p = await fpProxy();
    await attach(p);
    const run = await detach(p, '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect((await ownedLeft('fp-proxy')).functions).toEqual(['fp-proxy-proxy']);

    await sb.advance(sb.world.delays.replicaDeletionMs);
    const gc = await runCli(cliArgs(p, 'gc', '--json', '--yes'));
    expect(gc.code, gc.stderr).toBe(0);
    expect(JSON.parse(gc.stdout)).toMatchObject({ version: 1, deleted: ['function:fp-proxy-proxy'], waiting: [] });

    expect(await ownedLeft('fp-proxy')).toEqual({ functions: [], role: false, policies: [] });
    const secret = await sb.secrets.send(new DescribeSecretCommand({ SecretId: 'edge-install/fp-proxy' }));
    expect(secret.DeletedDate).toBeInstanceOf(Date);
    // The minimum recovery window: 7 days from now (sandbox clock), give or take the test's run time.
    const days = (secret.DeletedDate!.getTime() - Date.now() - sb.world.delays.replicaDeletionMs) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
  });

  it('keeps every resource while another distribution still uses the integration', async () => {
    const { config: demo } = await config();
    const other = (await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...demo, CallerReference: 'second', Aliases: { Quantity: 0 } } }))).Distribution!.Id!;
    await sb.advance(sb.world.delays.deployMs);
    const p = await fpProxy([ID, other]);
    await attach(p);
    const otherBefore = await config(other);

    const run = await detach(p, '--yes', '--distribution', ID);
    expect(run.code, run.stderr).toBe(0);
    expect(run.doc!.deleted).toEqual([]);
    expect(run.doc!.waiting).toEqual([]);
    expect(run.doc!.kept.map((k) => k.resource)).toEqual(['cache-policy:fp-proxy-proxy', 'role:fp-proxy-edge', 'function:fp-proxy-proxy', 'secret:edge-install/fp-proxy']);
    for (const k of run.doc!.kept) expect(k.reason).toContain(`still attached to ${other}`);
    expect(run.stdout + run.stderr).toContain(other);
    // The other distribution is untouched and everything still exists.
    expect(await config(other)).toEqual(otherBefore);
    expect(await ownedLeft('fp-proxy')).toEqual({ functions: ['fp-proxy-proxy'], role: true, policies: ['fp-proxy-proxy'] });
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: 'edge-install/fp-proxy' }))).DeletedDate).toBeUndefined();
    // The demo distribution itself was detached.
    expect(JSON.stringify((await config()).config)).not.toContain('fp-proxy');
  });

  it('--keep-functions keeps the functions and their role, deletes the rest', async () => {
    const p = await fpProxy();
    await attach(p);
    const run = await detach(p, '--yes', '--keep-functions');
    expect(run.code, run.stderr).toBe(0);
    expect(run.doc!.deleted).toEqual(['cache-policy:fp-proxy-proxy', 'secret:edge-install/fp-proxy']);
    expect(run.doc!.waiting).toEqual([]);
    expect(run.doc!.kept.map((k) => k.resource)).toEqual(['role:fp-proxy-edge', 'function:fp-proxy-proxy']);
    expect(await ownedLeft('fp-proxy')).toEqual({ functions: ['fp-proxy-proxy'], role: true, policies: [] });
  });

  it('removes the replicas of a replicated secret first, then schedules its deletion', async () => {
    project = fpProxyProject([ID], (m) => {
      m.secret!.replicaRegions = ['eu-west-1'];
    });
    await sb.secrets.send(
      new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }), Tags: [{ Key: 'edge-install:integration', Value: 'fp-proxy' }] }),
    );
    await attach(project);
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: 'edge-install/fp-proxy' }))).ReplicationStatus?.map((r) => r.Region)).toEqual(['eu-west-1']);
    const run = await detach(project, '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.doc!.deleted).toContain('secret:edge-install/fp-proxy');
    expect(run.doc!.secret).toMatchObject({ removedReplicaRegions: ['eu-west-1'] });
    expect(run.stderr).toMatch(/replicas in eu-west-1 were removed/);
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: 'edge-install/fp-proxy' }))).DeletedDate).toBeInstanceOf(Date);
  });
});

describe('what edge-install adopted is left in place', () => {
  it('a secret made by hand (as the seed procedures do) is shown as adopted by attach, and detach untags it instead of deleting it', async () => {
    const p = await fpProxy([ID], { adopted: true });
    const planned = await runCli(cliArgs(p, 'plan'));
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/~ secret \(edge-install\/fp-proxy\)\n\s+~ adopted: it exists and edge-install did not create it; tags edge-install:integration=fp-proxy, edge-install:adopted=true are added/);
    const json = JSON.parse((await runCli(cliArgs(p, 'plan', '--json'))).stdout) as { resources: { address: string; action: string; reasons?: string[] }[] };
    expect(json.resources.find((r) => r.address === 'secret')).toMatchObject({ action: 'update', reasons: [expect.stringContaining('adopted')] });
    await attach(p);
    const tagged = await sb.secrets.send(new DescribeSecretCommand({ SecretId: 'edge-install/fp-proxy' }));
    expect(Object.fromEntries(tagged.Tags!.map((t) => [t.Key, t.Value]))).toEqual({ 'edge-install:integration': 'fp-proxy', 'edge-install:adopted': 'true' });
    expect((await listRevisions(p.stateDir, 'fp-proxy', ID)).at(-1)!.adopted).toEqual(['secret:edge-install/fp-proxy']);

    const dry = await runCli(cliArgs(p, 'detach', '--dry-run'));
    expect(dry.stdout).toMatch(/~ secret \(edge-install\/fp-proxy\)\n\s+~ adopted: it existed before edge-install, so it is not deleted; its edge-install tags are removed and it stays/);
    const run = await detach(p, '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.doc!.deleted).not.toContain('secret:edge-install/fp-proxy');
    expect(run.doc!.untagged).toEqual(['secret:edge-install/fp-proxy']);
    expect(run.stderr).toContain('Left in place (adopted: edge-install did not create it; its tags removed): secret edge-install/fp-proxy');
    const after = await sb.secrets.send(new DescribeSecretCommand({ SecretId: 'edge-install/fp-proxy' }));
    expect(after.DeletedDate).toBeUndefined();
    expect(after.Tags ?? []).toEqual([]);
    const value = await sb.secrets.send(new GetSecretValueCommand({ SecretId: 'edge-install/fp-proxy' }));
    expect(JSON.parse(value.SecretString!)).toMatchObject({ FPJS_PRE_SHARED_SECRET: SECRET });
  });

  it('a role and a cache policy that existed are adopted, recorded, and left in place by detach', async () => {
    const p = await fpProxy();
    await sb.iam.send(new CreateRoleCommand({ RoleName: 'fp-proxy-edge', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const policy = await sb.cloudfront.send(
      new CreateCachePolicyCommand({
        CachePolicyConfig: {
          Name: 'fp-proxy-proxy',
          MinTTL: 0,
          ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: false, HeadersConfig: { HeaderBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' }, QueryStringsConfig: { QueryStringBehavior: 'none' } },
        },
      }),
    );
    const planned = await runCli(cliArgs(p, 'plan'));
    expect(planned.stdout).toMatch(/~ role \(fp-proxy-edge\)\n\s+~ adopted: it exists and edge-install did not create it/);
    // What adopting it replaces is said, not only that it is adopted.
    expect(planned.stdout).toContain('~ trust policy replaced by the Lambda@Edge trust shown below');
    expect(planned.stdout).toContain('~ inline policy edge-install-execution added as shown below');
    expect(planned.stdout).toMatch(/~ cache-policy cachePolicies.proxy \(fp-proxy-proxy\)\n\s+~ adopted: it exists and no revision records edge-install creating it; recorded as adopted/);
    await attach(p);
    const run = await detach(p, '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.doc!.untagged).toEqual(['role:fp-proxy-edge']);
    expect(run.doc!.kept).toContainEqual({ resource: 'cache-policy:fp-proxy-proxy', reason: expect.stringContaining('adopted') });
    // (The function waits for its replicas to go, as in any detach.)
    expect(await ownedLeft('fp-proxy')).toMatchObject({ role: true, policies: ['fp-proxy-proxy'] });
    expect(policy.CachePolicy!.Id).toBeTruthy();
    const role = await sb.iam.send(new GetRoleCommand({ RoleName: 'fp-proxy-edge' }));
    expect(role.Role!.Tags ?? []).toEqual([]);
    // Its own inline policy goes with the tags; the trust policy stays as attach set it (the plan said so).
    expect((await sb.iam.send(new ListRolePoliciesCommand({ RoleName: 'fp-proxy-edge' }))).PolicyNames).toEqual([]);
    expect(run.stdout + run.stderr).toContain('its trust policy stays as edge-install set it');
  });
});

describe('detach refusals: nothing is written', () => {
  it('without --yes in a non-interactive run is exit 2', async () => {
    const p = await fpProxy();
    await attach(p);
    const writesBefore = (await writes()).length;
    const run = await runCli(cliArgs(p, 'detach'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--yes');
    expect(run.stdout).toContain('- origin ei-fp-proxy-vendor');
    expect((await writes()).length).toBe(writesBefore);
  });

  it('--dry-run shows the changes and the resources to delete, and writes nothing', async () => {
    const p = await fpProxy();
    await attach(p);
    const writesBefore = (await writes()).length;
    const run = await runCli(cliArgs(p, 'detach', '--dry-run'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/- function functions\.proxy \(fp-proxy-proxy\)/);
    expect(run.stdout).toMatch(/- role/);
    expect(run.stdout).toMatch(/- behavior fpjs-abc\/\*/);
    expect(run.stdout).toMatch(/- trigger fpjs-abc\/\* origin-request/);
    expect(run.stdout).toMatch(/Plan: 0 to create, 0 to update, 8 to delete\./);
    const json = await runCli(cliArgs(p, 'detach', '--dry-run', '--json'));
    const doc = JSON.parse(json.stdout) as { resources: { action: string; kind: string }[]; distributions: { changes: { action: string; kind: string }[] }[] };
    expect(doc.resources.map((r) => `${r.action} ${r.kind}`)).toEqual(['delete cache-policy', 'delete role', 'delete function', 'delete secret']);
    expect(doc.distributions[0]!.changes.map((c) => `${c.action} ${c.kind}`).sort()).toEqual(['delete association', 'delete association', 'delete behavior', 'delete origin']);
    expect((await writes()).length).toBe(writesBefore);
  });
});
