/**
 * CloudFront continuous deployment in the sandbox's control plane, through the real SDK:
 * staging distributions (CopyDistribution), continuous deployment policies, attaching a policy
 * to a primary distribution, what may change while it is attached, promotion
 * (UpdateDistributionWithStagingConfig), in-use errors and quotas — each rule asserted by the
 * SDK's error class and HTTP status.
 */
import {
  ContinuousDeploymentPolicyInUse,
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  DeleteContinuousDeploymentPolicyCommand,
  DeleteDistributionCommand,
  DistributionAlreadyExists,
  GetContinuousDeploymentPolicyCommand,
  GetContinuousDeploymentPolicyConfigCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  IllegalUpdate,
  InconsistentQuantities,
  InvalidArgument,
  InvalidIfMatchVersion,
  ListContinuousDeploymentPoliciesCommand,
  ListDistributionsCommand,
  NoSuchContinuousDeploymentPolicy,
  NoSuchDistribution,
  PreconditionFailed,
  ResourceInUse,
  StagingDistributionInUse,
  TooManyContinuousDeploymentPolicies,
  TooManyDistributions,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
  UpdateDistributionWithStagingConfigCommand,
  type CacheBehavior,
  type ContinuousDeploymentPolicyConfig,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, DeleteFunctionCommand, InvalidParameterValueException, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { expectAwsError } from '../helpers/errors.js';
import { useSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

const ID = DEMO_DISTRIBUTION_ID;
const DEPLOY_MS = 60_000;
const box = useSandbox({
  delays: { deployMs: DEPLOY_MS, lambdaStateMs: 0, iamPropagationMs: 0 },
  quotas: { stagingDistributionsPerAccount: 4, continuousDeploymentPoliciesPerAccount: 3 },
});
const cf = () => box.sb.cloudfront;

// ---- helpers ------------------------------------------------------------------------------

async function read(id = ID): Promise<{ config: DistributionConfig; etag: string }> {
  const out = await cf().send(new GetDistributionConfigCommand({ Id: id }));
  return { config: out.DistributionConfig!, etag: out.ETag! };
}

/** Reads a distribution's config, lets `change` edit it, writes it back with the right ETag. */
async function update(id: string, change: (config: DistributionConfig) => void) {
  const { config, etag } = await read(id);
  change(config);
  return cf().send(new UpdateDistributionCommand({ Id: id, IfMatch: etag, DistributionConfig: config }));
}

/** The demo distribution supports HTTP/3 (http2and3); continuous deployment needs it off. */
const withoutHttp3 = () => update(ID, (c) => (c.HttpVersion = 'http2'));

async function copy(options: { from?: string; reference?: string; enabled?: boolean } = {}) {
  const from = options.from ?? ID;
  const { etag } = await read(from);
  return cf().send(
    new CopyDistributionCommand({ PrimaryDistributionId: from, Staging: true, IfMatch: etag, CallerReference: options.reference ?? 'staging-1', Enabled: options.enabled }),
  );
}

function weighted(domainName: string, weight = 0.1): ContinuousDeploymentPolicyConfig {
  return {
    StagingDistributionDnsNames: { Quantity: 1, Items: [domainName] },
    Enabled: true,
    TrafficConfig: { Type: 'SingleWeight', SingleWeightConfig: { Weight: weight, SessionStickinessConfig: { IdleTTL: 300, MaximumTTL: 600 } } },
  };
}

function headerBased(domainName: string, header = 'aws-cf-cd-canary'): ContinuousDeploymentPolicyConfig {
  return {
    StagingDistributionDnsNames: { Quantity: 1, Items: [domainName] },
    Enabled: true,
    TrafficConfig: { Type: 'SingleHeader', SingleHeaderConfig: { Header: header, Value: 'on' } },
  };
}

const createPolicy = (config: ContinuousDeploymentPolicyConfig) => cf().send(new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: config }));

/** A primary without HTTP/3, its staging copy, a weighted policy naming it, attached to the primary. */
async function attachedSetup(): Promise<{ stagingId: string; stagingDomain: string; policyId: string }> {
  await withoutHttp3();
  const staging = (await copy()).Distribution!;
  const policy = (await createPolicy(weighted(staging.DomainName!))).ContinuousDeploymentPolicy!;
  await update(ID, (c) => (c.ContinuousDeploymentPolicyId = policy.Id));
  return { stagingId: staging.Id!, stagingDomain: staging.DomainName!, policyId: policy.Id! };
}

const behaviors = (c: DistributionConfig): CacheBehavior[] => c.CacheBehaviors!.Items!;

/** Adds a behavior for `pattern`, a copy of the config's first one. */
function addBehavior(c: DistributionConfig, pattern: string): void {
  const extra = { ...structuredClone(behaviors(c)[0]!), PathPattern: pattern };
  c.CacheBehaviors = { Quantity: behaviors(c).length + 1, Items: [...behaviors(c), extra] };
}

function dropBehavior(c: DistributionConfig, pattern: string): void {
  const kept = behaviors(c).filter((b) => b.PathPattern !== pattern);
  c.CacheBehaviors = { Quantity: kept.length, Items: kept };
}

function minimalConfig(reference: string): DistributionConfig {
  return {
    CallerReference: reference,
    Comment: 'second primary',
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: 'o', DomainName: 'origin.example.net', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
    DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'https-only', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
  };
}

// ---- CopyDistribution ----------------------------------------------------------------------

describe('CopyDistribution', () => {
  it('creates a staging copy: Staging true, the new CallerReference, no Aliases, no policy, a new id and domain name', async () => {
    await withoutHttp3();
    const primary = await read();
    const out = await copy({ reference: 'copy-ref' });
    const staging = out.Distribution!;
    expect(out.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(out.Location).toBe(`${box.sb.endpoint}/2020-05-31/distribution/${staging.Id}`);
    expect(staging.Id).not.toBe(ID);
    expect(staging.DomainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    const config = staging.DistributionConfig!;
    expect(config.Staging).toBe(true);
    expect(config.CallerReference).toBe('copy-ref');
    expect(config.Aliases).toEqual({ Quantity: 0 });
    expect(config.ContinuousDeploymentPolicyId).toBe('');
    expect(config.Enabled).toBe(true);
    // Everything else is the primary's.
    const strip = (c: DistributionConfig) => ({ ...c, CallerReference: '', Aliases: undefined, ContinuousDeploymentPolicyId: '', Staging: false });
    expect(strip(config)).toEqual(strip(primary.config));
    expect(config.Origins).toEqual(primary.config.Origins);
    expect(config.CacheBehaviors).toEqual(primary.config.CacheBehaviors);
    // GetDistribution and ListDistributions carry the staging members.
    const got = await cf().send(new GetDistributionCommand({ Id: staging.Id }));
    expect(got.Distribution!.DistributionConfig!.Staging).toBe(true);
    expect(got.ETag).toBe(out.ETag);
    const list = await cf().send(new ListDistributionsCommand({}));
    const summaries = Object.fromEntries(list.DistributionList!.Items!.map((s) => [s.Id, s.Staging]));
    expect(summaries).toEqual({ [ID]: false, [staging.Id!]: true });
    // The primary is untouched.
    expect((await read()).etag).toBe(primary.etag);
  });

  it('honours Enabled false', async () => {
    await withoutHttp3();
    const out = await copy({ enabled: false });
    expect(out.Distribution!.DistributionConfig!.Enabled).toBe(false);
  });

  it('needs the primary ETag in If-Match: missing is InvalidIfMatchVersion, stale is PreconditionFailed', async () => {
    const { etag } = await withoutHttp3().then(() => read());
    const send = (IfMatch?: string) => cf().send(new CopyDistributionCommand({ PrimaryDistributionId: ID, Staging: true, IfMatch, CallerReference: 'r' }));
    await expectAwsError(send(undefined), InvalidIfMatchVersion, 400);
    await update(ID, (c) => (c.Comment = 'moved on'));
    await expectAwsError(send(etag), PreconditionFailed, 412);
  });

  it('only makes staging distributions: the Staging header must be true', async () => {
    const { etag } = await withoutHttp3().then(() => read());
    await expectAwsError(cf().send(new CopyDistributionCommand({ PrimaryDistributionId: ID, IfMatch: etag, CallerReference: 'r' })), InvalidArgument, 400, /Staging/);
    await expectAwsError(cf().send(new CopyDistributionCommand({ PrimaryDistributionId: ID, Staging: false, IfMatch: etag, CallerReference: 'r' })), InvalidArgument, 400);
  });

  it('refuses a primary that supports HTTP/3 (http2and3 or http3)', async () => {
    await expectAwsError(copy(), InvalidArgument, 400, /HTTP\/3/);
    await update(ID, (c) => (c.HttpVersion = 'http3'));
    await expectAwsError(copy(), InvalidArgument, 400, /HTTP\/3/);
  });

  it('does not copy a staging distribution', async () => {
    await withoutHttp3();
    const staging = (await copy()).Distribution!;
    await expectAwsError(copy({ from: staging.Id!, reference: 'staging-of-staging' }), InvalidArgument, 400, /staging distribution/);
  });

  it('answers NoSuchDistribution for an unknown primary', async () => {
    await expectAwsError(cf().send(new CopyDistributionCommand({ PrimaryDistributionId: 'ENOSUCHDIST0000', Staging: true, IfMatch: 'E1', CallerReference: 'r' })), NoSuchDistribution, 404);
  });

  it('is idempotent under one CallerReference, and refuses the reference for anything else', async () => {
    await withoutHttp3();
    const first = await copy({ reference: 'same' });
    const again = await copy({ reference: 'same' });
    expect(again.Distribution!.Id).toBe(first.Distribution!.Id);
    expect(again.ETag).toBe(first.ETag);
    await expectAwsError(copy({ reference: 'same', enabled: false }), DistributionAlreadyExists, 409);
    const primaryReference = (await read()).config.CallerReference!;
    await expectAwsError(copy({ reference: primaryReference }), DistributionAlreadyExists, 409);
  });

  it('stops at the staging distribution quota with TooManyDistributions (CreateDistribution with Staging true counts too)', async () => {
    await withoutHttp3();
    for (const n of [1, 2, 3]) await copy({ reference: `s-${n}` });
    await cf().send(new CreateDistributionCommand({ DistributionConfig: { ...minimalConfig('direct-staging'), Staging: true } }));
    await expectAwsError(copy({ reference: 's-5' }), TooManyDistributions, 400);
    await expectAwsError(cf().send(new CreateDistributionCommand({ DistributionConfig: { ...minimalConfig('direct-staging-2'), Staging: true } })), TooManyDistributions, 400);
    // Primaries are not staging distributions.
    await cf().send(new CreateDistributionCommand({ DistributionConfig: minimalConfig('another-primary') }));
  });
});

// ---- continuous deployment policies --------------------------------------------------------

describe('continuous deployment policies', () => {
  async function stagingDomain(reference = 'staging-1'): Promise<string> {
    if ((await read()).config.HttpVersion !== 'http2') await withoutHttp3();
    return (await copy({ reference })).Distribution!.DomainName!;
  }

  it('create (201, ETag, Location), get, get config and list round-trip the config', async () => {
    const domain = await stagingDomain();
    const created = await createPolicy(weighted(domain, 0.05));
    const policy = created.ContinuousDeploymentPolicy!;
    expect(policy.Id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(created.Location).toBe(`${box.sb.endpoint}/2020-05-31/continuous-deployment-policy/${policy.Id}`);
    expect(policy.ContinuousDeploymentPolicyConfig).toEqual(weighted(domain, 0.05));
    const got = await cf().send(new GetContinuousDeploymentPolicyCommand({ Id: policy.Id }));
    expect(got.ETag).toBe(created.ETag);
    expect(got.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig).toEqual(weighted(domain, 0.05));
    const config = await cf().send(new GetContinuousDeploymentPolicyConfigCommand({ Id: policy.Id }));
    expect(config.ContinuousDeploymentPolicyConfig).toEqual(weighted(domain, 0.05));
    expect(config.ETag).toBe(created.ETag);
    const list = await cf().send(new ListContinuousDeploymentPoliciesCommand({}));
    expect(list.ContinuousDeploymentPolicyList!.Items!.map((s) => s.ContinuousDeploymentPolicy!.Id)).toEqual([policy.Id]);
    await expectAwsError(cf().send(new GetContinuousDeploymentPolicyCommand({ Id: 'no-such-policy' })), NoSuchContinuousDeploymentPolicy, 404);
  });

  it('names exactly one existing staging distribution by its domain name', async () => {
    const domain = await stagingDomain();
    const withNames = (names: string[], quantity = names.length): ContinuousDeploymentPolicyConfig => ({ ...weighted(domain), StagingDistributionDnsNames: { Quantity: quantity, Items: names } });
    await expectAwsError(createPolicy(withNames([])), InvalidArgument, 400, /exactly one/);
    await expectAwsError(createPolicy(withNames([domain, domain])), InvalidArgument, 400, /exactly one/);
    await expectAwsError(createPolicy(withNames(['dnosuchdist0000.cloudfront.net'])), InvalidArgument, 400);
    // The primary's domain name is not a staging distribution's.
    const primaryDomain = (await cf().send(new GetDistributionCommand({ Id: ID }))).Distribution!.DomainName!;
    await expectAwsError(createPolicy(withNames([primaryDomain])), InvalidArgument, 400, /not a staging distribution/);
    await expectAwsError(createPolicy(withNames([domain], 2)), InconsistentQuantities, 400);
  });

  it('weights go from 0 to 0.15; session stickiness TTLs from 300 to 3600 seconds, idle at most the maximum', async () => {
    const domain = await stagingDomain();
    await expectAwsError(createPolicy(weighted(domain, 0.16)), InvalidArgument, 400, /Weight/);
    await expectAwsError(createPolicy(weighted(domain, -0.01)), InvalidArgument, 400, /Weight/);
    const sticky = (IdleTTL: number, MaximumTTL: number): ContinuousDeploymentPolicyConfig => ({
      ...weighted(domain),
      TrafficConfig: { Type: 'SingleWeight', SingleWeightConfig: { Weight: 0.1, SessionStickinessConfig: { IdleTTL, MaximumTTL } } },
    });
    await expectAwsError(createPolicy(sticky(299, 600)), InvalidArgument, 400, /IdleTTL/);
    await expectAwsError(createPolicy(sticky(300, 3601)), InvalidArgument, 400, /MaximumTTL/);
    await expectAwsError(createPolicy(sticky(900, 600)), InvalidArgument, 400, /less than or equal/);
    const edges = await createPolicy(sticky(3600, 3600));
    await cf().send(new DeleteContinuousDeploymentPolicyCommand({ Id: edges.ContinuousDeploymentPolicy!.Id, IfMatch: edges.ETag }));
    const zero = await createPolicy(weighted(domain, 0));
    await cf().send(new DeleteContinuousDeploymentPolicyCommand({ Id: zero.ContinuousDeploymentPolicy!.Id, IfMatch: zero.ETag }));
    await createPolicy(weighted(domain, 0.15));
  });

  it('a header-based policy needs a header with the aws-cf-cd- prefix (in any case) and a value', async () => {
    const domain = await stagingDomain();
    await expectAwsError(createPolicy(headerBased(domain, 'x-canary')), InvalidArgument, 400, /aws-cf-cd-/);
    await expectAwsError(createPolicy({ ...headerBased(domain), TrafficConfig: { Type: 'SingleHeader', SingleHeaderConfig: { Header: 'aws-cf-cd-canary', Value: '' } } }), InvalidArgument, 400, /Value/);
    const created = await createPolicy(headerBased(domain, 'AWS-CF-CD-Canary'));
    expect(created.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!.TrafficConfig!.SingleHeaderConfig!.Header).toBe('AWS-CF-CD-Canary');
  });

  it('the traffic Type must match the config given', async () => {
    const domain = await stagingDomain();
    const traffic = (t: ContinuousDeploymentPolicyConfig['TrafficConfig']): ContinuousDeploymentPolicyConfig => ({ ...weighted(domain), TrafficConfig: t });
    await expectAwsError(createPolicy(traffic({ Type: 'SingleWeight', SingleHeaderConfig: { Header: 'aws-cf-cd-x', Value: 'y' } })), InvalidArgument, 400, /SingleWeightConfig/);
    await expectAwsError(createPolicy(traffic({ Type: 'SingleHeader', SingleWeightConfig: { Weight: 0.1 } })), InvalidArgument, 400, /SingleHeaderConfig/);
    await expectAwsError(
      createPolicy(traffic({ Type: 'SingleWeight', SingleWeightConfig: { Weight: 0.1 }, SingleHeaderConfig: { Header: 'aws-cf-cd-x', Value: 'y' } })),
      InvalidArgument,
      400,
    );
  });

  it('one policy per staging distribution: StagingDistributionInUse on create and on update', async () => {
    const first = await stagingDomain('staging-1');
    const second = await stagingDomain('staging-2');
    await createPolicy(weighted(first));
    await expectAwsError(createPolicy(headerBased(first)), StagingDistributionInUse, 409);
    const other = await createPolicy(weighted(second));
    await expectAwsError(
      cf().send(new UpdateContinuousDeploymentPolicyCommand({ Id: other.ContinuousDeploymentPolicy!.Id, IfMatch: other.ETag, ContinuousDeploymentPolicyConfig: weighted(first) })),
      StagingDistributionInUse,
      409,
    );
  });

  it('stops at the policy quota with TooManyContinuousDeploymentPolicies', async () => {
    for (const n of [1, 2, 3]) await createPolicy(weighted(await stagingDomain(`s-${n}`)));
    await expectAwsError(createPolicy(weighted(await stagingDomain('s-4'))), TooManyContinuousDeploymentPolicies, 400);
  });

  it('update takes the whole config with If-Match and returns a new ETag', async () => {
    const domain = await stagingDomain();
    const created = await createPolicy(weighted(domain, 0.05));
    const id = created.ContinuousDeploymentPolicy!.Id!;
    const send = (IfMatch: string | undefined, config = headerBased(domain)) => cf().send(new UpdateContinuousDeploymentPolicyCommand({ Id: id, IfMatch, ContinuousDeploymentPolicyConfig: config }));
    await expectAwsError(send(undefined), InvalidIfMatchVersion, 400);
    await expectAwsError(send('ESTALEETAG00000'), PreconditionFailed, 412);
    const updated = await send(created.ETag);
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig).toEqual(headerBased(domain));
    await expectAwsError(send(updated.ETag, weighted(domain, 0.5)), InvalidArgument, 400);
    await expectAwsError(cf().send(new UpdateContinuousDeploymentPolicyCommand({ Id: 'no-such-policy', IfMatch: 'E1', ContinuousDeploymentPolicyConfig: weighted(domain) })), NoSuchContinuousDeploymentPolicy, 404);
  });

  it('delete needs If-Match and refuses a policy attached to a primary (ContinuousDeploymentPolicyInUse) until it is detached', async () => {
    const { policyId } = await attachedSetup();
    const { ETag } = await cf().send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
    await expectAwsError(cf().send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId })), InvalidIfMatchVersion, 400);
    await expectAwsError(cf().send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: 'ESTALEETAG00000' })), PreconditionFailed, 412);
    await expectAwsError(cf().send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: ETag })), ContinuousDeploymentPolicyInUse, 409);
    await update(ID, (c) => (c.ContinuousDeploymentPolicyId = ''));
    await cf().send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: ETag }));
    await expectAwsError(cf().send(new GetContinuousDeploymentPolicyCommand({ Id: policyId })), NoSuchContinuousDeploymentPolicy, 404);
  });

  it('lists with Marker and MaxItems; Quantity counts every policy', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await createPolicy(weighted(await stagingDomain(`s-${n}`)))).ContinuousDeploymentPolicy!.Id!);
    const first = (await cf().send(new ListContinuousDeploymentPoliciesCommand({ MaxItems: 2 }))).ContinuousDeploymentPolicyList!;
    expect(first.Items!.map((s) => s.ContinuousDeploymentPolicy!.Id)).toEqual(ids.slice(0, 2));
    expect(first.Quantity).toBe(3);
    expect(first.MaxItems).toBe(2);
    expect(first.NextMarker).toBe(ids[1]);
    const second = (await cf().send(new ListContinuousDeploymentPoliciesCommand({ MaxItems: 2, Marker: first.NextMarker }))).ContinuousDeploymentPolicyList!;
    expect(second.Items!.map((s) => s.ContinuousDeploymentPolicy!.Id)).toEqual(ids.slice(2));
    expect(second.NextMarker).toBeUndefined();
    await expectAwsError(cf().send(new ListContinuousDeploymentPoliciesCommand({ Marker: 'no-such-policy' })), NoSuchContinuousDeploymentPolicy, 404);
    await expectAwsError(cf().send(new ListContinuousDeploymentPoliciesCommand({ MaxItems: 0 })), InvalidArgument, 400);
  });
});

// ---- attaching a policy --------------------------------------------------------------------

describe('attaching a policy to a primary distribution (UpdateDistribution)', () => {
  async function stagingAndPolicy() {
    await withoutHttp3();
    const staging = (await copy()).Distribution!;
    const policy = (await createPolicy(weighted(staging.DomainName!))).ContinuousDeploymentPolicy!;
    return { stagingId: staging.Id!, policyId: policy.Id! };
  }

  it('attaches an existing policy; an unknown one is NoSuchContinuousDeploymentPolicy', async () => {
    const { policyId } = await stagingAndPolicy();
    await expectAwsError(update(ID, (c) => (c.ContinuousDeploymentPolicyId = 'no-such-policy')), NoSuchContinuousDeploymentPolicy, 404);
    const out = await update(ID, (c) => (c.ContinuousDeploymentPolicyId = policyId));
    expect(out.Distribution!.DistributionConfig!.ContinuousDeploymentPolicyId).toBe(policyId);
  });

  it('refuses a primary that supports HTTP/3', async () => {
    const { policyId } = await stagingAndPolicy();
    await expectAwsError(
      update(ID, (c) => {
        c.ContinuousDeploymentPolicyId = policyId;
        c.HttpVersion = 'http2and3';
      }),
      InvalidArgument,
      400,
      /HTTP\/3/,
    );
  });

  it("needs the staging distribution's path patterns to be the same as or a subset of the primary's", async () => {
    const { stagingId, policyId } = await stagingAndPolicy();
    await update(stagingId, (c) => addBehavior(c, '/beta/*'));
    await expectAwsError(update(ID, (c) => (c.ContinuousDeploymentPolicyId = policyId)), InvalidArgument, 400, /'\/beta\/\*'/);
    // A subset is fine.
    await update(stagingId, (c) => {
      dropBehavior(c, '/beta/*');
      dropBehavior(c, '/static/*');
    });
    await update(ID, (c) => (c.ContinuousDeploymentPolicyId = policyId));
  });

  it('one primary per policy: ContinuousDeploymentPolicyInUse for a second one', async () => {
    const { policyId } = await stagingAndPolicy();
    await update(ID, (c) => (c.ContinuousDeploymentPolicyId = policyId));
    const other = await cf().send(new CreateDistributionCommand({ DistributionConfig: minimalConfig('second-primary') }));
    await expectAwsError(update(other.Distribution!.Id!, (c) => (c.ContinuousDeploymentPolicyId = policyId)), ContinuousDeploymentPolicyInUse, 409);
  });

  it('a staging distribution has no policy and no Aliases, and Staging never changes (IllegalUpdate)', async () => {
    const { stagingId, policyId } = await stagingAndPolicy();
    await expectAwsError(update(stagingId, (c) => (c.ContinuousDeploymentPolicyId = policyId)), InvalidArgument, 400, /staging distribution cannot have a continuous deployment policy/);
    await expectAwsError(update(stagingId, (c) => (c.Aliases = { Quantity: 1, Items: ['beta.example.com'] })), InvalidArgument, 400, /Aliases/);
    await expectAwsError(update(stagingId, (c) => (c.Staging = false)), IllegalUpdate, 400, /Staging/);
    await expectAwsError(update(ID, (c) => (c.Staging = true)), IllegalUpdate, 400, /Staging/);
  });
});

// ---- while a policy is attached --------------------------------------------------------------

describe('while a policy is attached', () => {
  const NOT_SUPPORTED = /One or more fields updated are not supported for continuous deployment\./;

  it('both distributions may change behaviors, origins, origin groups, error responses, geo restrictions, default root object, logging and comment', async () => {
    const { stagingId } = await attachedSetup();
    for (const id of [ID, stagingId]) {
      await update(id, (c) => {
        c.Comment = `changed ${id}`;
        c.DefaultRootObject = 'home.html';
        c.DefaultCacheBehavior!.Compress = false;
        behaviors(c)[0]!.ViewerProtocolPolicy = 'redirect-to-https';
        c.Origins!.Items![1]!.OriginPath = '/v3';
        c.OriginGroups!.Items![0]!.FailoverCriteria!.StatusCodes = { Quantity: 1, Items: [502] };
        c.CustomErrorResponses = { Quantity: 0, Items: [] };
        c.Restrictions = { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } };
        c.Logging = { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' };
      });
    }
    expect((await read(stagingId)).config.Comment).toBe(`changed ${stagingId}`);
  });

  it('any other member change is IllegalUpdate, on the primary and on the staging distribution', async () => {
    const { stagingId } = await attachedSetup();
    const changes: ((c: DistributionConfig) => void)[] = [
      (c) => (c.PriceClass = 'PriceClass_All'),
      (c) => (c.Enabled = !c.Enabled),
      (c) => (c.HttpVersion = 'http1.1'),
      (c) => (c.IsIPV6Enabled = !c.IsIPV6Enabled),
      (c) => (c.WebACLId = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/11111111-2222-3333-4444-555555555555'),
      (c) => (c.ViewerCertificate = { CloudFrontDefaultCertificate: true }),
    ];
    for (const change of changes) await expectAwsError(update(ID, change), IllegalUpdate, 400, NOT_SUPPORTED);
    // Disabling the staging distribution is StagingDistributionInUse (below); its other members are IllegalUpdate.
    for (const change of changes.filter((_, i) => i !== 1)) await expectAwsError(update(stagingId, change), IllegalUpdate, 400, NOT_SUPPORTED);
  });

  it('detaching is allowed (an empty ContinuousDeploymentPolicyId); leaving the member out keeps the policy', async () => {
    const { policyId } = await attachedSetup();
    const kept = await update(ID, (c) => {
      delete c.ContinuousDeploymentPolicyId;
      c.Comment = 'no policy member sent';
    });
    expect(kept.Distribution!.DistributionConfig!.ContinuousDeploymentPolicyId).toBe(policyId);
    const detached = await update(ID, (c) => (c.ContinuousDeploymentPolicyId = ''));
    expect(detached.Distribution!.DistributionConfig!.ContinuousDeploymentPolicyId).toBe('');
    // Detached, every member may change again.
    await update(ID, (c) => (c.PriceClass = 'PriceClass_All'));
  });

  it('keeps the path patterns a subset: on the staging distribution, on the primary, and when the policy moves to another staging distribution', async () => {
    const { policyId } = await attachedSetup();
    const stagingId = (await cf().send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }))).ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!
      .StagingDistributionDnsNames!.Items![0]!;
    const staging = (await cf().send(new ListDistributionsCommand({}))).DistributionList!.Items!.find((s) => s.DomainName === stagingId)!.Id!;
    await expectAwsError(update(staging, (c) => addBehavior(c, '/beta/*')), InvalidArgument, 400, /subset/);
    await expectAwsError(update(ID, (c) => dropBehavior(c, '/static/*')), InvalidArgument, 400, /subset/);
    await update(ID, (c) => addBehavior(c, '/beta/*'));
    await update(staging, (c) => addBehavior(c, '/beta/*'));
    // Another staging distribution with a pattern the primary lacks cannot take over the attached policy.
    const other = (await copy({ reference: 'staging-2' })).Distribution!;
    await update(other.Id!, (c) => addBehavior(c, '/gamma/*'));
    const { ETag } = await cf().send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
    await expectAwsError(
      cf().send(new UpdateContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: ETag, ContinuousDeploymentPolicyConfig: weighted(other.DomainName!) })),
      InvalidArgument,
      400,
      /'\/gamma\/\*'/,
    );
  });

  it('disabling a staging distribution that a policy names is StagingDistributionInUse', async () => {
    const { stagingId } = await attachedSetup();
    await expectAwsError(update(stagingId, (c) => (c.Enabled = false)), StagingDistributionInUse, 409, /currently used by a continuous deployment policy/);
  });
});

// ---- promotion ---------------------------------------------------------------------------

describe('UpdateDistributionWithStagingConfig (promote)', () => {
  const promote = (IfMatch: string | undefined, StagingDistributionId: string, Id = ID) =>
    cf().send(new UpdateDistributionWithStagingConfigCommand({ Id, StagingDistributionId, IfMatch }));

  it("copies the staging config onto the primary, keeping the primary's Aliases, policy and CallerReference, and disables the policy", async () => {
    const { stagingId, policyId } = await attachedSetup();
    await update(stagingId, (c) => {
      c.Comment = 'tested on staging';
      c.DefaultRootObject = 'home.html';
      dropBehavior(c, '/static/*');
    });
    const primaryBefore = await read();
    const staging = await read(stagingId);
    const policyBefore = await cf().send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
    await box.sb.advance(DEPLOY_MS);

    const out = await promote(`${primaryBefore.etag}, ${staging.etag}`, stagingId);
    expect(out.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(out.ETag).not.toBe(primaryBefore.etag);
    expect(out.Distribution!.Id).toBe(ID);
    expect(out.Distribution!.Status).toBe('InProgress');
    const promoted = out.Distribution!.DistributionConfig!;
    expect(promoted).toEqual({
      ...staging.config,
      CallerReference: primaryBefore.config.CallerReference,
      Aliases: primaryBefore.config.Aliases,
      ContinuousDeploymentPolicyId: policyId,
      Staging: false,
    });
    expect(promoted.Aliases!.Items).toEqual(['www.example.com', 'example.com']);
    expect(promoted.Comment).toBe('tested on staging');
    expect(behaviors(promoted).map((b) => b.PathPattern)).toEqual(['/api/*']);
    expect((await read()).etag).toBe(out.ETag);
    // The staging distribution is unchanged; the policy is disabled, with a new ETag.
    expect((await read(stagingId)).etag).toBe(staging.etag);
    const policyAfter = await cf().send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
    expect(policyAfter.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!.Enabled).toBe(false);
    expect(policyAfter.ETag).not.toBe(policyBefore.ETag);
    expect(policyAfter.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!.TrafficConfig).toEqual(policyBefore.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!.TrafficConfig);
    await box.sb.advance(DEPLOY_MS);
    expect((await cf().send(new GetDistributionCommand({ Id: ID }))).Distribution!.Status).toBe('Deployed');
  });

  it('accepts the ETag pair without the space too', async () => {
    const { stagingId } = await attachedSetup();
    const out = await promote(`${(await read()).etag},${(await read(stagingId)).etag}`, stagingId);
    expect(out.Distribution!.DistributionConfig!.Staging).toBe(false);
  });

  it('checks both ETags of If-Match: missing or malformed is InvalidIfMatchVersion, either stale is PreconditionFailed', async () => {
    const { stagingId } = await attachedSetup();
    const primary = (await read()).etag;
    const staging = (await read(stagingId)).etag;
    await expectAwsError(promote(undefined, stagingId), InvalidIfMatchVersion, 400);
    await expectAwsError(promote(primary, stagingId), InvalidIfMatchVersion, 400);
    await expectAwsError(promote(`${primary}, ${staging}, ${staging}`, stagingId), InvalidIfMatchVersion, 400);
    await expectAwsError(promote(`ESTALEETAG00000, ${staging}`, stagingId), PreconditionFailed, 412);
    await expectAwsError(promote(`${primary}, ESTALEETAG00000`, stagingId), PreconditionFailed, 412);
    await expectAwsError(promote(`${staging}, ${primary}`, stagingId), PreconditionFailed, 412);
  });

  it("the staging distribution must be the one the primary's attached policy names", async () => {
    const { stagingId } = await attachedSetup();
    const other = (await copy({ reference: 'staging-2' })).Distribution!;
    const primary = (await read()).etag;
    await expectAwsError(promote(`${primary}, ${(await read(other.Id!)).etag}`, other.Id!), InvalidArgument, 400, /not the one named/);
    await expectAwsError(promote(`${primary}, E1`, 'ENOSUCHDIST0000'), NoSuchDistribution, 404);
    // A primary with no policy attached has nothing to promote.
    await update(ID, (c) => (c.ContinuousDeploymentPolicyId = ''));
    await expectAwsError(promote(`${(await read()).etag}, ${(await read(stagingId)).etag}`, stagingId), InvalidArgument, 400);
  });
});

// ---- in use ------------------------------------------------------------------------------

describe('DeleteDistribution and continuous deployment', () => {
  const remove = async (id: string) => {
    const { etag } = await read(id);
    return cf().send(new DeleteDistributionCommand({ Id: id, IfMatch: etag }));
  };

  it('a staging distribution that a policy names is ResourceInUse until the policy is gone', async () => {
    await withoutHttp3();
    const staging = (await copy({ enabled: false })).Distribution!;
    const policy = await createPolicy(weighted(staging.DomainName!));
    await box.sb.advance(DEPLOY_MS);
    await expectAwsError(remove(staging.Id!), ResourceInUse, 409);
    await cf().send(new DeleteContinuousDeploymentPolicyCommand({ Id: policy.ContinuousDeploymentPolicy!.Id, IfMatch: policy.ETag }));
    await remove(staging.Id!);
    await expectAwsError(read(staging.Id!), NoSuchDistribution, 404);
  });

  it('a primary that attaches a policy is ResourceInUse', async () => {
    await update(ID, (c) => {
      c.HttpVersion = 'http2';
      c.Enabled = false;
    });
    const staging = (await copy()).Distribution!;
    const policy = (await createPolicy(weighted(staging.DomainName!))).ContinuousDeploymentPolicy!;
    await update(ID, (c) => (c.ContinuousDeploymentPolicyId = policy.Id));
    await box.sb.advance(DEPLOY_MS);
    await expectAwsError(remove(ID), ResourceInUse, 409);
  });
});

// ---- Lambda@Edge replicas ------------------------------------------------------------------

describe('Lambda@Edge replicas', () => {
  it('a staging distribution keeps the versions it associates replicated, like any distribution', async () => {
    const sb = box.sb;
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });
    const role = (await sb.iam.send(new CreateRoleCommand({ RoleName: 'edge', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    await sb.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'edge-fn', Role: role, Runtime: 'nodejs22.x', Handler: 'index.handler', MemorySize: 128, Timeout: 5, Code: { ZipFile: zipOf('exports.handler = async (e) => e.Records[0].cf.request;') } }),
    );
    const arn = (await sb.lambda.send(new PublishVersionCommand({ FunctionName: 'edge-fn' }))).FunctionArn!;
    const association = { Quantity: 1, Items: [{ LambdaFunctionARN: arn, EventType: 'viewer-request' as const }] };
    await update(ID, (c) => {
      c.HttpVersion = 'http2';
      c.DefaultCacheBehavior!.LambdaFunctionAssociations = association;
    });
    const staging = (await copy()).Distribution!;
    expect(staging.DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations).toEqual(association);
    await update(ID, (c) => (c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 0 }));
    await sb.advance(sb.world.delays.replicaDeletionMs + 1);
    const deleteVersion = () => sb.lambda.send(new DeleteFunctionCommand({ FunctionName: 'edge-fn', Qualifier: '1' }));
    await expectAwsError(deleteVersion(), InvalidParameterValueException, 400, /replicated/);
    await update(staging.Id!, (c) => (c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 0 }));
    await sb.advance(sb.world.delays.replicaDeletionMs + 1);
    await deleteVersion();
  });
});
