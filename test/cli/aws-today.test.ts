/**
 * AWS as it is today (issue 12), through the CLI against the sandbox: runtime dates in plan and
 * status.
 */
import { CopyDistributionCommand, CreateCachePolicyCommand, CreateContinuousDeploymentPolicyCommand, CreateDistributionCommand, DeleteCachePolicyCommand, GetCachePolicyConfigCommand, GetDistributionConfigCommand, ListCachePoliciesCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, type Project, runCli } from '../helpers/cli.js';
import { INSTANT, useSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
// An account granted 80 cache behaviors per distribution (Service Quotas serves it).
const box = useSandbox({ ...INSTANT, quotas: { cacheBehaviorsPerDistribution: 80 } });
let project: Project;

beforeEach(async () => {
  await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }), Tags: [{ Key: 'edge-install:integration', Value: 'fp-proxy' }] }));
});
afterEach(() => project.remove());

const cli = (...args: string[]) => runCli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', box.sb.endpoint]);

describe('runtimes', () => {
  it('the recipes deploy nodejs24.x', async () => {
    project = fpProxyProject([ID]);
    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/runtime:\s+nodejs24\.x/);
    expect(plan.stdout).not.toContain('deprecated');
  });

  it('a deprecated runtime is planned with a note naming the dates and the replacement; status says so of the live function', async () => {
    project = fpProxyProject([ID], (m) => (m.functions.proxy!.runtime = 'nodejs20.x'));
    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('functions.proxy: runtime nodejs20.x was deprecated by AWS on 2026-04-30: creating functions on it is blocked from 2027-02-01, updating them from 2027-03-03. Move to nodejs24.x');
    expect((await cli('attach', '--yes')).code).toBe(0);
    const status = await cli('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { notes: string[]; distributions: { associations: { runtime?: string }[] }[] };
    expect(doc.distributions[0]!.associations[0]!.runtime).toBe('nodejs20.x');
    expect(doc.notes).toContainEqual(expect.stringMatching(/^fp-proxy-proxy:1 on E1DEMO0EXAMPLE \(fpjs-abc\/\* origin-request\), E1DEMO0EXAMPLE \(fpjs-abc\/\* origin-response\): runtime nodejs20\.x was deprecated by AWS on 2026-04-30/));
  });
});

describe('quotas from the account', () => {
  /** The demo distribution grown to `count` cache behaviors. */
  async function growTo(count: number) {
    const { DistributionConfig: c, ETag } = await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const template = c!.CacheBehaviors!.Items![0]!;
    while (c!.CacheBehaviors!.Items!.length < count) c!.CacheBehaviors!.Items!.push({ ...template, PathPattern: `/grown-${c!.CacheBehaviors!.Items!.length}/*` });
    c!.CacheBehaviors!.Quantity = count;
    await box.sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: c }));
  }

  it('an increase the account was granted is honoured (read from Service Quotas): 79 behaviors + 1 is fine, 80 + 1 is not', async () => {
    project = fpProxyProject([ID]);
    await growTo(79);
    const fits = await cli('plan');
    expect(fits.code, fits.stderr).toBe(0);
    expect(fits.stdout).not.toContain('quotas could not be read');
    await growTo(80);
    const over = await cli('plan');
    expect(over.code).toBe(2);
    expect(over.stderr).toContain("the distribution would have 81 cache behaviors (it has 80); the account's CloudFront quota is 80 per distribution");
  });

  it("a denied Service Quotas call is not fatal: AWS's defaults are assumed, the plan says so once with the permission to add, and passing one is a warning that leaves CloudFront the last word", async () => {
    project = fpProxyProject([ID]);
    for (const operation of ['GetServiceQuota', 'GetAWSDefaultServiceQuota']) {
      await box.sb.admin('POST', 'faults', { service: 'servicequotas', operation, error: 'AccessDeniedException', status: 400, times: 50 });
    }
    const run = await cli('plan');
    expect(run.code, run.stderr).toBe(0);
    const notes = run.stdout.split('\n').filter((line) => line.includes('quotas could not be read'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("AWS's defaults are assumed, and a change past one is warned about rather than refused. Allow servicequotas:GetServiceQuota");
    // 76 behaviors + 1 passes AWS's default (75): a warning, since the account may have an increase (this one has 80)...
    await growTo(76);
    const warned = await cli('plan');
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stdout).toContain("the distribution would have 77 cache behaviors (it has 76); AWS's default quota is 75 per distribution and the account's own could not be read");
    // ...and CloudFront, which knows the account's quota, takes it.
    expect((await cli('attach', '--yes')).code).toBe(0);
    // Past the account's real quota (80), CloudFront's TooManyCacheBehaviors has the last word, and the run is undone.
    expect((await cli('rollback', '--yes')).code).toBe(0);
    await growTo(80);
    const before = await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const refused = await cli('attach', '--yes');
    expect(refused.code, refused.stderr + refused.stdout).toBe(1);
    expect(refused.stderr).toContain('TooManyCacheBehaviors');
    expect((await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag).toBe(before.ETag);
  });

  it('a quota Service Quotas does not have (Lambda@Edge triggers per distribution) is assumed to be AWS\'s default, without a note', async () => {
    project = fpProxyProject([ID]);
    const run = await cli('plan', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { notes?: string[] }).notes ?? []).not.toContainEqual(expect.stringContaining('quota'));
  });
});

describe('the account-wide quota on custom cache policies', () => {
  async function fillAccountTo(count: number) {
    const { CachePolicyList } = await box.sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' }));
    for (let i = CachePolicyList?.Quantity ?? 0; i < count; i++) {
      await box.sb.cloudfront.send(
        new CreateCachePolicyCommand({ CachePolicyConfig: { Name: `site-${i}`, MinTTL: 0, ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: true, HeadersConfig: { HeaderBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' }, QueryStringsConfig: { QueryStringBehavior: 'none' } } } }),
      );
    }
  }

  it('a plan that would create one past the quota is refused before any write (exit 2); once it exists, the full account is not a reason to refuse', async () => {
    project = fpProxyProject([ID]);
    await fillAccountTo(20);
    const over = await cli('attach', '--yes');
    expect(over.code).toBe(2);
    expect(over.stderr).toContain("cachePolicies (proxy): this plan creates 1 custom cache policy and the account has 20; the account's CloudFront quota is 20 custom cache policies");
    expect(over.stderr).toContain('L-7D134442');
    expect(await box.sb.calls()).not.toContainEqual(expect.objectContaining({ operation: 'CreateFunction' }));
    // One policy of the site's deleted: it fits, and a later plan of the full account is fine.
    const { CachePolicyList } = await box.sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' }));
    const site0 = CachePolicyList!.Items!.find((i) => i.CachePolicy!.CachePolicyConfig!.Name === 'site-0')!.CachePolicy!;
    const { ETag } = await box.sb.cloudfront.send(new GetCachePolicyConfigCommand({ Id: site0.Id! }));
    await box.sb.cloudfront.send(new DeleteCachePolicyCommand({ Id: site0.Id!, IfMatch: ETag }));
    expect((await cli('attach', '--yes')).code).toBe(0);
    const again = await cli('plan');
    expect(again.code, again.stderr).toBe(0);
  });
});

describe('continuous deployment: staging distributions and primaries with a policy', () => {
  async function demoConfig() {
    return box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  }

  it('a primary with a continuous deployment policy needs --allow-continuous-deployment, and the plan says what a promote does', async () => {
    project = fpProxyProject([ID]);
    // Someone else's continuous deployment: their staging copy and policy (CloudFront has none for HTTP/3 distributions).
    const { DistributionConfig: c, ETag } = await demoConfig();
    const http2 = await box.sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: { ...c!, HttpVersion: 'http2' } }));
    const copy = await box.sb.cloudfront.send(new CopyDistributionCommand({ PrimaryDistributionId: ID, IfMatch: http2.ETag, Staging: true, CallerReference: 'their-staging' }));
    const created = await box.sb.cloudfront.send(
      new CreateContinuousDeploymentPolicyCommand({
        ContinuousDeploymentPolicyConfig: { StagingDistributionDnsNames: { Quantity: 1, Items: [copy.Distribution!.DomainName!] }, Enabled: false, TrafficConfig: { Type: 'SingleWeight', SingleWeightConfig: { Weight: 0.05 } } },
      }),
    );
    const policyId = created.ContinuousDeploymentPolicy!.Id!;
    const current = await demoConfig();
    await box.sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, ContinuousDeploymentPolicyId: policyId } }));
    const refused = await cli('attach', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${ID} has a continuous deployment policy (${policyId}): promoting its staging distribution copies the staging config over this one, which removes the integration unless the staging distribution carries it too`);
    expect(refused.stderr).toContain('Pass --allow-continuous-deployment');
    const planned = await cli('plan', '--allow-continuous-deployment');
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('run attach again after each promote, or remove the policy');
    // An identity without the continuous deployment permissions attaches as before canaries existed.
    await box.sb.admin('POST', 'faults', { operation: 'ListContinuousDeploymentPolicies', error: 'AccessDenied', status: 403, times: 10 });
    const attached = await cli('attach', '--yes', '--allow-continuous-deployment');
    expect(attached.code, attached.stderr).toBe(0);
    await box.sb.admin('DELETE', 'faults');
    const status = await cli('status');
    expect(status.stdout + status.stderr).toContain(`${ID} has a continuous deployment policy (${policyId})`);
    // Nothing to change: no flag needed, and the plan still says it.
    const again = await cli('plan');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${ID} has a continuous deployment policy (${policyId})`);
    // Rollback changes the primary only, and says what a staging copy made since would do.
    const rollback = await cli('rollback', '--yes');
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout + rollback.stderr).toContain('this changes the primary only; if its staging distribution was copied from it since attach, it still carries the integration and a promote brings it back');
  });

  it('a staging distribution is refused by plan, attach and init', async () => {
    const { DistributionConfig: c } = await demoConfig();
    const staging = (await box.sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...c!, CallerReference: 'staging-copy', Aliases: { Quantity: 0 }, Staging: true, HttpVersion: 'http2' } }))).Distribution!.Id!;
    project = fpProxyProject([staging]);
    for (const command of ['plan', 'attach']) {
      const run = await cli(command, '--yes');
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`${staging} is a staging distribution (continuous deployment): edge-install installs on primary distributions only`);
    }
    const init = await runCli(['init', '--config', 'other.json', '--recipe', 'first-party-proxy', '--distribution', staging, '--endpoint-url', box.sb.endpoint, '--generate-paths', '--secrets-from-env', '--dry-run'], {
      cwd: project.dir,
      env: { EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: 'x' },
    });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain(`${staging} is a staging distribution`);
  });
});
