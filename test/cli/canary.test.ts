/**
 * Canary changes through CloudFront continuous deployment, end to end through the CLI, the
 * real SDK, the sandbox's continuous deployment APIs and its local edge: attach --canary, the
 * header routing only header-carrying requests to the new version, promote (one revision),
 * rollback (one write), abort (the primary byte for byte as before), the two phases of a
 * canary that adds a behavior, and the refusals (HTTP/3, undeclared new behaviors, edits a
 * promote would overwrite, other commands while a canary runs).
 */
import { CopyDistributionCommand, GetDistributionConfigCommand, ListContinuousDeploymentPoliciesCommand, ListDistributionsCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fpProxyProject, runCli, type Project } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startOrigin, type TestOrigin } from '../sandbox/edge/helpers.js';

const ID = 'E1DEMO0EXAMPLE';
const HEADER = 'aws-cf-cd-fp-proxy';
let sb: TestSandbox;
let vendor: TestOrigin;
let site: string;
let project: Project;

/** A proxy handler that answers its own version at origin-request, never cached. */
const handlerAnswering = (body: string) =>
  `export const handler = async (event: any) => { const cf = event.Records[0].cf; if (cf.response) return cf.response; ` +
  `return { status: '200', body: '${body}', headers: { 'cache-control': [{ key: 'Cache-Control', value: 'no-store' }] } }; };`;

beforeAll(async () => {
  vendor = await startOrigin();
  site = mkdtempSync(join(tmpdir(), 'canary-site-'));
  writeFileSync(join(site, '404.html'), 'site 404');
  sb = await startTestSandbox({ ...INSTANT, edge: { origins: { 'fpcdn.io': vendor.url }, s3Dirs: { 'example-site-prod': site } } });
});
afterAll(async () => {
  await sb.close();
  await vendor.close();
  rmSync(site, { recursive: true, force: true });
});

const config = async () => (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID })));

/** The demo distribution supports HTTP/3, which continuous deployment does not: HTTP/2 for these tests. */
async function withoutHttp3(): Promise<void> {
  const current = await config();
  await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, HttpVersion: 'http2' } }));
}

beforeEach(async () => {
  await sb.admin('POST', 'reset');
  project = fpProxyProject([ID]);
  writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v1'));
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'canary-secret' }) }));
});
afterEach(() => project.remove());

const args = (...more: string[]) => [...more, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint];
let n = 0;
/** One request through the primary's edge (a fresh path each time), with or without the canary header. */
async function served(header?: string): Promise<string> {
  const response = await fetch(`${sb.edgeUrls()[ID]}/fpjs-abc/agent-${++n}`, { headers: header ? { [HEADER]: header } : {} });
  return response.text();
}
const revisionFiles = () => {
  try {
    return readdirSync(join(project.stateDir, 'fp-proxy', 'revisions')).sort();
  } catch {
    return [];
  }
};
const callsOf = async (operation: string) => (await sb.calls()).filter((c) => c.operation === operation).length;
const withoutPolicy = (c: Awaited<ReturnType<typeof config>>['DistributionConfig']) => ({ ...c, ContinuousDeploymentPolicyId: '' });

describe('an upgrade canaried by header', () => {
  it('attach --canary header → only header requests run the new version → promote → rollback in one write', async () => {
    await withoutHttp3();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    expect(await served()).toBe('v1');
    const before = await config();

    writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v2'));
    const canary = await runCli(args('attach', '--yes', '--canary', 'header=letmein'));
    expect(canary.code, canary.stderr + canary.stdout).toBe(0);
    expect(canary.stdout).toContain('goes to a new staging copy of the primary');
    // The demo's S3 site origin uses origin access control: its bucket policy must allow the copy too.
    expect(canary.stdout).toMatch(/origin \S+ uses origin access control: its S3 bucket policy must also allow the staging copy's ARN in its AWS:SourceArn condition/);
    expect(canary.stderr).toMatch(/staging copy of E1DEMO0EXAMPLE made \(arn:aws:cloudfront::123456789012:distribution\/E\w+\)/);
    expect(canary.stderr).toContain(`curl -H '${HEADER}: letmein'`);
    expect(canary.stderr).toContain('edge-install promote --distribution E1DEMO0EXAMPLE');

    // Only requests with the header run the new version.
    expect(await served('letmein')).toBe('v2');
    expect(await served()).toBe('v1');
    expect(await served('wrong')).toBe('v1');
    // The primary changed in one member only: the policy attached.
    const during = await config();
    expect(during.DistributionConfig!.ContinuousDeploymentPolicyId).toMatch(/\S/);
    expect(withoutPolicy(during.DistributionConfig)).toEqual(withoutPolicy(before.DistributionConfig));

    // logs tells the two sides apart by the version each runs.
    const logs = await runCli(args('logs', '--since', '1h'));
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/fp-proxy-proxy:2 staging/);
    expect(logs.stdout).toMatch(/fp-proxy-proxy:1 primary/);

    // status --metrics compares the staging copy's Lambda@Edge error rate with the primary's.
    const metrics = await runCli(args('status', '--metrics'));
    expect(metrics.stdout).toMatch(/canary on E1DEMO0EXAMPLE: staging 0\.00% Lambda@Edge errors of 1 requests, primary 0\.00% of \d+/);
    expect(metrics.stdout).toMatch(/\(staging copy of E1DEMO0EXAMPLE\)/);

    const status = await runCli(args('status'));
    expect(status.stdout).toMatch(/canary running/);
    expect(status.stdout).toContain(`${HEADER}: letmein`);

    const revisions = revisionFiles().length;
    const promote = await runCli(args('promote', '--yes'));
    expect(promote.code, promote.stderr + promote.stdout).toBe(0);
    expect(await served()).toBe('v2');
    expect(revisionFiles()).toHaveLength(revisions + 1);
    const promoted = JSON.parse(readFileSync(join(project.stateDir, 'fp-proxy', 'revisions', revisionFiles().at(-1)!), 'utf8'));
    expect(promoted.kind).toBe('promote');
    // The policy is left disabled for the next canary, and off the primary.
    const after = await config();
    expect(after.DistributionConfig!.ContinuousDeploymentPolicyId ?? '').toBe('');
    expect(after.DistributionConfig!.Aliases).toEqual(before.DistributionConfig!.Aliases);
    const policies = (await sb.cloudfront.send(new ListContinuousDeploymentPoliciesCommand({}))).ContinuousDeploymentPolicyList!.Items!;
    expect(policies.map((p) => p.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!.Enabled)).toEqual([false]);

    const writes = await callsOf('UpdateDistribution');
    const rollback = await runCli(args('rollback', '--yes'));
    expect(rollback.code, rollback.stderr + rollback.stdout).toBe(0);
    expect(await callsOf('UpdateDistribution')).toBe(writes + 1);
    expect(await served()).toBe('v1');

    // The next canary reuses the staging copy and the policy.
    writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v3'));
    const again = await runCli(args('attach', '--yes', '--canary', 'header=second'));
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toMatch(/goes to the staging copy E\w+/);
    expect(await served('second')).toBe('v3');
    expect(await served()).toBe('v1');
    const stagings = (await sb.cloudfront.send(new ListDistributionsCommand({}))).DistributionList!.Items!.filter((d) => d.Staging);
    expect(stagings).toHaveLength(1);
  });

  it('abort leaves the primary byte-identical to before the canary; --delete-staging removes the copy and its policy', async () => {
    await withoutHttp3();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const before = await config();
    writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v2'));
    expect((await runCli(args('attach', '--yes', '--canary', 'weight=10%,sticky'))).code).toBe(0);
    const policy = (await sb.cloudfront.send(new ListContinuousDeploymentPoliciesCommand({}))).ContinuousDeploymentPolicyList!.Items![0]!.ContinuousDeploymentPolicy!;
    expect(policy.ContinuousDeploymentPolicyConfig!.TrafficConfig).toEqual({ Type: 'SingleWeight', SingleWeightConfig: { Weight: 0.1, SessionStickinessConfig: { IdleTTL: 1800, MaximumTTL: 3600 } } });

    const abort = await runCli(args('abort', '--yes', '--delete-staging'));
    expect(abort.code, abort.stderr + abort.stdout).toBe(0);
    expect((await config()).DistributionConfig).toEqual(before.DistributionConfig);
    expect(await served()).toBe('v1');
    const stagings = (await sb.cloudfront.send(new ListDistributionsCommand({}))).DistributionList!.Items!.filter((d) => d.Staging);
    expect(stagings).toEqual([]);
    expect((await sb.cloudfront.send(new ListContinuousDeploymentPoliciesCommand({}))).ContinuousDeploymentPolicyList!.Quantity).toBe(0);
  });
});

describe('a canary that adds a behavior', () => {
  it('runs in two phases: the behavior on the primary without triggers, the triggers on staging; abort takes phase 1 back', async () => {
    await withoutHttp3();
    const before = await config();
    const run = await runCli(args('attach', '--yes', '--canary', 'header=two'));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('canary phase 1');
    expect(run.stdout).toContain('canary phase 2');
    // Phase 1: the behavior is on the primary, without a trigger.
    const primary = (await config()).DistributionConfig!;
    const behavior = primary.CacheBehaviors!.Items!.find((b) => b.PathPattern === 'fpjs-abc/*')!;
    expect(behavior.LambdaFunctionAssociations!.Quantity).toBe(0);
    // With the header the function answers; without, the request reaches the vendor's origin directly.
    expect(await served('two')).toBe('v1');
    const direct = vendor.seen.length;
    await served();
    expect(vendor.seen.length).toBe(direct + 1);

    const abort = await runCli(args('abort', '--yes'));
    expect(abort.code, abort.stderr + abort.stdout).toBe(0);
    expect(abort.stderr).toContain('phase 1 taken back');
    expect((await config()).DistributionConfig).toEqual(before.DistributionConfig);
  });

  it('abort takes back every phase 1 of the canary, when a re-run added a second behavior', async () => {
    await withoutHttp3();
    const before = await config();
    expect((await runCli(args('attach', '--yes', '--canary', 'header=one'))).code).toBe(0);
    const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8'));
    manifest.behaviors.push({ ...manifest.behaviors[0], pathPattern: 'fpjs-two/*' });
    writeFileSync(project.manifestPath, JSON.stringify(manifest));
    const again = await runCli(args('attach', '--yes', '--canary', 'header=one'));
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect((await config()).DistributionConfig!.CacheBehaviors!.Items!.map((b) => b.PathPattern)).toEqual(expect.arrayContaining(['fpjs-abc/*', 'fpjs-two/*']));
    const abort = await runCli(args('abort', '--yes'));
    expect(abort.code, abort.stderr + abort.stdout).toBe(0);
    expect((await config()).DistributionConfig).toEqual(before.DistributionConfig);
  });

  it('a machine without the phase-1 revision says what it cannot take back, instead of claiming the primary is as before', async () => {
    await withoutHttp3();
    expect((await runCli(args('attach', '--yes', '--canary', 'header=one'))).code).toBe(0);
    rmSync(project.stateDir, { recursive: true, force: true });
    const abort = await runCli(args('abort', '--yes'));
    expect(abort.code, abort.stderr + abort.stdout).toBe(0);
    expect(abort.stdout).toContain('this state has no revision of it');
    expect(abort.stderr).toContain('except fpjs-abc/*');
    expect((await config()).DistributionConfig!.ContinuousDeploymentPolicyId ?? '').toBe('');
  });

  it('is refused when the manifest does not declare the new behavior safe to add first', async () => {
    await withoutHttp3();
    project.remove();
    project = fpProxyProject([ID], (m) => {
      m.behaviors[0]!.addBeforeCanary = false;
    });
    const before = await config();
    const run = await runCli(args('attach', '--yes', '--canary', 'header'));
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('cannot be canaried directly');
    expect(run.stdout + run.stderr).toContain('"addBeforeCanary": true');
    expect((await config()).ETag).toBe(before.ETag);
  });
});

describe('a canary that stops half-way', () => {
  it('abort takes phase 1 back even when the policy was never attached', async () => {
    await withoutHttp3();
    const before = await config();
    await sb.admin('POST', 'faults', { operation: 'CreateContinuousDeploymentPolicy', error: 'AccessDenied', status: 403 });
    const failed = await runCli(args('attach', '--yes', '--canary', 'header=x'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('staging copy');
    // Phase 1 is on the primary; no policy, so no canary traffic.
    expect((await config()).DistributionConfig!.CacheBehaviors!.Items!.some((b) => b.PathPattern === 'fpjs-abc/*')).toBe(true);
    expect((await config()).DistributionConfig!.ContinuousDeploymentPolicyId ?? '').toBe('');

    const abort = await runCli(args('abort', '--yes', '--delete-staging'));
    expect(abort.code, abort.stderr + abort.stdout).toBe(0);
    expect(abort.stderr).toContain('phase 1 taken back');
    expect((await config()).DistributionConfig).toEqual(before.DistributionConfig);
    const stagings = (await sb.cloudfront.send(new ListDistributionsCommand({}))).DistributionList!.Items!.filter((d) => d.Staging);
    expect(stagings).toEqual([]);
  });
});

describe('what a canary refuses', () => {
  it('a change to something the primary uses at once (a cache policy\'s settings), and --replace-foreign', async () => {
    await withoutHttp3();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v2'));
    const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8'));
    const key = Object.keys(manifest.cachePolicies)[0]!;
    manifest.cachePolicies[key].defaultTtl = 7;
    writeFileSync(project.manifestPath, JSON.stringify(manifest));
    const before = await config();
    const run = await runCli(args('attach', '--yes', '--canary', 'header'));
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toContain(`cache-policy ${key}`);
    expect(run.stderr + run.stdout).toContain('which the primary\'s traffic uses at once');
    expect((await config()).ETag).toBe(before.ETag);
    const foreign = await runCli(args('attach', '--yes', '--canary', 'header', '--replace-foreign'));
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('--canary cannot go with --replace-foreign');
  });

  it('an HTTP/3 primary, at plan time, with the fix', async () => {
    const run = await runCli(args('attach', '--yes', '--canary', 'header'));
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('supports HTTP/3');
    expect(run.stdout).toContain('HttpVersion http2');
  });

  it("the account's 20 staging distributions, at plan time", async () => {
    await withoutHttp3();
    for (let i = 0; i < 20; i++) {
      const { ETag } = await config();
      await sb.cloudfront.send(new CopyDistributionCommand({ PrimaryDistributionId: ID, IfMatch: ETag, Staging: true, CallerReference: `someone-else-${i}` }));
    }
    const run = await runCli(args('attach', '--yes', '--canary', 'header'));
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("the account has 20 staging distributions, CloudFront's limit (20)");
  });

  it('bad --canary values, before anything is read', async () => {
    for (const [value, message] of [
      ['weight=20%', 'at most 15%'],
      ['half', 'is not a traffic split'],
      ['header=has space', 'visible ASCII'],
    ] as const) {
      const run = await runCli(args('attach', '--canary', value));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it('a promote that would overwrite an edit made to the primary since the canary began', async () => {
    await withoutHttp3();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v2'));
    expect((await runCli(args('attach', '--yes', '--canary', 'header'))).code).toBe(0);
    const current = await config();
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, Comment: 'edited by hand' } }));

    const promote = await runCli(args('promote', '--yes'));
    expect(promote.code).toBe(1);
    expect(promote.stdout).toContain('Comment');
    expect(promote.stdout).toContain('attach --canary again');
    expect((await config()).DistributionConfig!.Comment).toBe('edited by hand');

    // attach --canary again carries the edit into the staging copy; then the promote goes through.
    expect((await runCli(args('attach', '--yes', '--canary', 'header'))).code).toBe(0);
    const again = await runCli(args('promote', '--yes'));
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect((await config()).DistributionConfig!.Comment).toBe('edited by hand');
    expect(await served()).toBe('v2');
  });

  it('attach, rollback and detach on a primary whose canary runs', async () => {
    await withoutHttp3();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v2'));
    expect((await runCli(args('attach', '--yes', '--canary', 'header'))).code).toBe(0);
    const during = await config();
    for (const command of [['attach', '--yes'], ['rollback', '--yes'], ['detach', '--yes']]) {
      const run = await runCli(args(...command));
      expect(run.code, command.join(' ')).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/a canary of fp-proxy is running on E1DEMO0EXAMPLE/);
    }
    expect((await config()).ETag).toBe(during.ETag);
    // promote with nothing running says so.
    expect((await runCli(args('abort', '--yes'))).code).toBe(0);
    const none = await runCli(args('promote', '--yes'));
    expect(none.code).toBe(2);
    expect(none.stdout + none.stderr).toContain('no canary of fp-proxy is running');
  });
});

describe('plan --canary', () => {
  it('shows the canary plan, reads only, and is not saved', async () => {
    await withoutHttp3();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    writeFileSync(join(project.dir, 'handler.ts'), handlerAnswering('v2'));
    const writes = (await sb.calls()).filter((c) => /^(Update|Create|Copy|Delete|Tag)/.test(c.operation) && c.service === 'cloudfront').length;
    const run = await runCli(args('plan', '--canary', 'weight=5%'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('5% of requests go to it');
    expect(run.stdout).toContain('the primary gets the continuous deployment policy attached');
    expect((await sb.calls()).filter((c) => /^(Update|Create|Copy|Delete|Tag)/.test(c.operation) && c.service === 'cloudfront').length).toBe(writes);
    const saved = await runCli(args('plan', '--canary', 'header', '--out', join(project.dir, 'p.json')));
    expect(saved.code).toBe(2);
    expect(saved.stderr).toContain('--canary cannot go with --out');
  });
});
