/**
 * CloudFront distribution rules of EMULATOR.md, through the real SDK: one test per rule,
 * asserting the SDK's error class and HTTP status, plus the round trip that the whole
 * product relies on (nothing in a config is ever lost).
 */
import {
  CNAMEAlreadyExists,
  CreateDistributionCommand,
  DistributionAlreadyExists,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  IllegalUpdate,
  InconsistentQuantities,
  InvalidArgument,
  InvalidIfMatchVersion,
  InvalidOriginKeepaliveTimeout,
  InvalidOriginReadTimeout,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  NoSuchCachePolicy,
  NoSuchDistribution,
  NoSuchOrigin,
  NoSuchOriginRequestPolicy,
  PreconditionFailed,
  TooManyCacheBehaviors,
  TooManyLambdaFunctionAssociations,
  TooManyOriginCustomHeaders,
  TooManyOrigins,
  UpdateDistributionCommand,
  waitUntilDistributionDeployed,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { expectAwsError } from '../helpers/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
const ID = DEMO_DISTRIBUTION_ID;

beforeEach(async () => {
  if (!sb) sb = await startTestSandbox({ quotas: { cacheBehaviorsPerDistribution: 4, originsPerDistribution: 3, customHeadersPerOrigin: 2, lambdaAssociationsPerDistribution: 1 } });
  else await sb.admin('POST', 'reset');
});
afterAll(() => sb?.close());

async function read(): Promise<{ config: DistributionConfig; etag: string }> {
  const out = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  return { config: out.DistributionConfig!, etag: out.ETag! };
}

/** Reads the demo config, lets `change` edit it, writes it back with the right ETag. */
async function update(change: (config: DistributionConfig) => void) {
  const { config, etag } = await read();
  change(config);
  return sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: config }));
}

async function rawConfigXml(): Promise<string> {
  const response = await fetch(`${sb.endpoint}/2020-05-31/distribution/${ID}/config`);
  return response.text();
}

const behaviors = (config: DistributionConfig) => config.CacheBehaviors!.Items!;

describe('round trip', () => {
  it('GetDistributionConfig → unchanged UpdateDistribution → GetDistributionConfig returns the identical config', async () => {
    const before = await read();
    const updated = await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: before.etag, DistributionConfig: before.config }));
    const after = await read();
    expect(after.config).toEqual(before.config);
    expect(updated.Distribution!.DistributionConfig).toEqual(before.config);
    // The SDK writes members in its model's order; from then on the stored XML is a fixed point.
    const xmlAfterFirst = await rawConfigXml();
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: after.etag, DistributionConfig: after.config }));
    expect(await rawConfigXml()).toBe(xmlAfterFirst);
    // The members the sandbox has no rule about are really there, not just equal by absence.
    expect(after.config.OriginGroups!.Items![0]!.Members!.Quantity).toBe(2);
    expect(after.config.CacheBehaviors!.Items![1]!.FunctionAssociations!.Items![0]!.EventType).toBe('viewer-request');
    expect(after.config.CustomErrorResponses!.Quantity).toBe(2);
    expect(after.config.Logging!.Bucket).toBe('example-cf-logs.s3.amazonaws.com');
    expect(after.config.ViewerCertificate!.ACMCertificateArn).toMatch(/^arn:aws:acm:/);
    expect(after.config.Restrictions!.GeoRestriction!.Items).toEqual(['KP', 'IR']);
    expect(after.config.ContinuousDeploymentPolicyId).toBe('');
    expect(after.config.Staging).toBe(false);
  });

  it('keeps members it has never heard of (a future API member, nested too)', async () => {
    const { etag } = await read();
    const xml = (await rawConfigXml())
      .replace('<Staging>false</Staging>', '<Staging>false</Staging><FutureMember><Setting>on</Setting></FutureMember>')
      .replace('<Id>api</Id>', '<Id>api</Id><FutureOriginSetting>42</FutureOriginSetting>');
    const response = await fetch(`${sb.endpoint}/2020-05-31/distribution/${ID}/config`, { method: 'PUT', headers: { 'if-match': etag }, body: xml });
    expect(response.status).toBe(200);
    const stored = await rawConfigXml();
    expect(stored).toContain('<FutureMember><Setting>on</Setting></FutureMember>');
    expect(stored).toContain('<FutureOriginSetting>42</FutureOriginSetting>');
  });

  it('speaks CloudFront XML: namespace, list member names, no Items when Quantity is 0', async () => {
    const xml = await rawConfigXml();
    expect(xml).toContain('<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">');
    for (const member of ['<Origin>', '<CacheBehavior>', '<Method>', '<CNAME>', '<OriginGroupMember>', '<CustomErrorResponse>']) expect(xml).toContain(member);
    expect(xml).toContain('<LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>');
    await update((c) => {
      c.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 0, Items: [] };
    });
    expect(await rawConfigXml()).not.toMatch(/<Quantity>0<\/Quantity><Items/);
  });
});

describe('text survives the round trip', () => {
  it('carriage returns, tabs, Unicode and markup characters come back as they were sent', async () => {
    const comment = 'line1\r\nline2\ttab <b>&amp;</b> "q" \'a\' ✓ — ü';
    await update((c) => (c.Comment = comment));
    expect((await read()).config.Comment).toBe(comment);
  });
});

describe('ETag and If-Match', () => {
  it('every write returns a new ETag, and the status is InProgress until the deployment delay passes', async () => {
    const first = await update(() => {});
    const second = await update(() => {});
    expect(first.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(second.ETag).not.toBe(first.ETag);
    expect(first.Distribution!.Status).toBe('InProgress');
    await sb.advance(sb.world.delays.deployMs);
    const got = await sb.cloudfront.send(new GetDistributionCommand({ Id: ID }));
    expect(got.Distribution!.Status).toBe('Deployed');
    expect(got.ETag).toBe(second.ETag);
    const waited = await waitUntilDistributionDeployed({ client: sb.cloudfront, maxWaitTime: 5, minDelay: 1 }, { Id: ID });
    expect(waited.state).toBe('SUCCESS');
  });

  it('a stale If-Match is 412 PreconditionFailed and changes nothing', async () => {
    const { config, etag } = await read();
    await update(() => {});
    const xml = await rawConfigXml();
    config.Comment = 'a change from a stale read';
    await expectAwsError(sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: config })), PreconditionFailed, 412);
    expect(await rawConfigXml()).toBe(xml);
  });

  it('a missing If-Match is 400 InvalidIfMatchVersion', async () => {
    const { config } = await read();
    await expectAwsError(sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: undefined, DistributionConfig: config })), InvalidIfMatchVersion, 400);
  });

  it('changing CallerReference is IllegalUpdate', async () => {
    await expectAwsError(update((c) => (c.CallerReference = 'another')), IllegalUpdate, 400);
  });

  it('an unknown distribution is 404 NoSuchDistribution', async () => {
    await expectAwsError(sb.cloudfront.send(new GetDistributionConfigCommand({ Id: 'E000000000000X' })), NoSuchDistribution, 404);
  });
});

describe('config rules', () => {
  it('Quantity must equal the number of Items: InconsistentQuantities', async () => {
    await expectAwsError(update((c) => (c.Aliases!.Quantity = 3)), InconsistentQuantities, 400);
  });

  it('TargetOriginId must name an origin or origin group: NoSuchOrigin', async () => {
    await expectAwsError(update((c) => (behaviors(c)[0]!.TargetOriginId = 'nowhere')), NoSuchOrigin, 404);
    await update((c) => (behaviors(c)[0]!.TargetOriginId = 'site-failover'));
  });

  it('CachePolicyId and OriginRequestPolicyId must exist', async () => {
    await expectAwsError(update((c) => (c.DefaultCacheBehavior!.CachePolicyId = '00000000-0000-0000-0000-000000000000')), NoSuchCachePolicy, 404);
    await expectAwsError(update((c) => (behaviors(c)[0]!.OriginRequestPolicyId = '00000000-0000-0000-0000-000000000000')), NoSuchOriginRequestPolicy, 404);
  });

  it('a behavior has a cache policy or legacy ForwardedValues, not both', async () => {
    await expectAwsError(
      update((c) => {
        c.DefaultCacheBehavior!.ForwardedValues = { QueryString: false, Cookies: { Forward: 'none' } };
        c.DefaultCacheBehavior!.MinTTL = 0;
      }),
      InvalidArgument,
      400,
      /ForwardedValues/,
    );
    await update((c) => {
      delete c.DefaultCacheBehavior!.CachePolicyId;
      c.DefaultCacheBehavior!.ForwardedValues = { QueryString: false, Cookies: { Forward: 'none' } };
      c.DefaultCacheBehavior!.MinTTL = 0;
    });
  });

  it('PathPattern: allowed characters, at most 255, unique', async () => {
    await expectAwsError(update((c) => (behaviors(c)[0]!.PathPattern = '/api/<script>')), InvalidArgument, 400, /PathPattern/);
    await expectAwsError(update((c) => (behaviors(c)[0]!.PathPattern = '/' + 'a'.repeat(255))), InvalidArgument, 400, /PathPattern/);
    await expectAwsError(update((c) => (behaviors(c)[0]!.PathPattern = '/static/*')), InvalidArgument, 400, /unique/);
    await update((c) => (behaviors(c)[0]!.PathPattern = "/api/v1.0/~user/$x@y:z+&'\"-_*"));
    await update((c) => (behaviors(c)[0]!.PathPattern = '/a?c/*.jp?g')); // `?`: exactly one character
  });

  it('quotas: cache behaviors, origins, custom headers per origin', async () => {
    await expectAwsError(
      update((c) => {
        const template = behaviors(c)[1]!;
        for (const path of ['/a/*', '/b/*', '/c/*']) behaviors(c).push({ ...template, PathPattern: path, FunctionAssociations: { Quantity: 0 } });
        c.CacheBehaviors!.Quantity = behaviors(c).length;
      }),
      TooManyCacheBehaviors,
      400,
    );
    await expectAwsError(
      update((c) => {
        const template = c.Origins!.Items![1]!;
        for (const id of ['o3', 'o4']) c.Origins!.Items!.push({ ...template, Id: id });
        c.Origins!.Quantity = c.Origins!.Items!.length;
      }),
      TooManyOrigins,
      400,
    );
    await expectAwsError(
      update((c) => {
        c.Origins!.Items![1]!.CustomHeaders = { Quantity: 3, Items: ['A', 'B', 'C'].map((n) => ({ HeaderName: `X-${n}`, HeaderValue: n })) };
      }),
      TooManyOriginCustomHeaders,
      400,
    );
    const arn = (n: number) => `arn:aws:lambda:us-east-1:123456789012:function:f${n}:1`;
    const tooMany = await expectAwsError(
      update((c) => {
        c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 2, Items: [1, 2].map((n) => ({ EventType: n === 1 ? 'viewer-request' : 'origin-request', LambdaFunctionARN: arn(n) })) };
      }),
      TooManyLambdaFunctionAssociations,
      400,
    );
    expect(tooMany.message).toBe('Your request contains more Lambda@Edge function associations than are allowed per distribution.');
  });

  it('forbidden origin custom header names are InvalidArgument', async () => {
    for (const name of ['Host', 'Cookie', 'Content-Length', 'X-Amz-Date', 'X-Edge-Location', 'Via']) {
      await expectAwsError(
        update((c) => (c.Origins!.Items![1]!.CustomHeaders = { Quantity: 1, Items: [{ HeaderName: name, HeaderValue: 'v' }] })),
        InvalidArgument,
        400,
        new RegExp(name),
      );
    }
  });

  it('CustomOriginConfig: ports, protocol policy, read and keepalive timeouts', async () => {
    const custom = (c: DistributionConfig) => c.Origins!.Items![1]!.CustomOriginConfig!;
    await expectAwsError(update((c) => (custom(c).HTTPPort = 81)), InvalidArgument, 400, /HTTPPort/);
    await expectAwsError(update((c) => (custom(c).HTTPSPort = 70000)), InvalidArgument, 400, /HTTPSPort/);
    await expectAwsError(update((c) => (custom(c).OriginProtocolPolicy = 'https-first' as never)), InvalidArgument, 400, /OriginProtocolPolicy/);
    await expectAwsError(update((c) => (custom(c).OriginReadTimeout = 121)), InvalidOriginReadTimeout, 400);
    await expectAwsError(update((c) => (custom(c).OriginKeepaliveTimeout = 0)), InvalidOriginKeepaliveTimeout, 400);
    await update((c) => {
      custom(c).HTTPSPort = 8443;
      custom(c).OriginReadTimeout = 120;
    });
  });

  it('an alias belongs to one distribution: CNAMEAlreadyExists', async () => {
    const { config } = await read();
    config.CallerReference = 'second-distribution';
    await expectAwsError(sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config })), CNAMEAlreadyExists, 409);
  });
});

describe('create, list, tags', () => {
  it('CreateDistribution is idempotent per CallerReference and refuses a different config under it', async () => {
    const { config } = await read();
    config.CallerReference = 'create-test';
    config.Aliases = { Quantity: 0 };
    const first = await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config }));
    expect(first.Distribution!.Id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(first.Location).toContain(`/2020-05-31/distribution/${first.Distribution!.Id}`);
    const again = await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config }));
    expect(again.Distribution!.Id).toBe(first.Distribution!.Id);
    config.Comment = 'different';
    await expectAwsError(sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config })), DistributionAlreadyExists, 409);
    const listed = await sb.cloudfront.send(new ListDistributionsCommand({}));
    expect(listed.DistributionList!.Items!.map((d) => d.Id).sort()).toEqual([ID, first.Distribution!.Id].sort());
    const demo = listed.DistributionList!.Items!.find((d) => d.Id === ID)!;
    expect(demo.Aliases!.Items).toEqual(['www.example.com', 'example.com']);
    expect(demo.CacheBehaviors!.Quantity).toBe(2);
  });

  it("a minimal config is stored as CloudFront stores it: every optional member left out gets CloudFront's default, what was sent is kept", async () => {
    const minimal: DistributionConfig = {
      CallerReference: 'minimal',
      Comment: '',
      Enabled: true,
      Origins: { Quantity: 1, Items: [{ Id: 'o', DomainName: 'origin.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
      DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', Compress: true },
    };
    const created = await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: minimal }));
    const id = created.Distribution!.Id!;
    const { DistributionConfig: got } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    expect(got).toMatchObject({
      Aliases: { Quantity: 0 },
      DefaultRootObject: '',
      OriginGroups: { Quantity: 0 },
      CacheBehaviors: { Quantity: 0 },
      CustomErrorResponses: { Quantity: 0 },
      Logging: { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
      PriceClass: 'PriceClass_All',
      ViewerCertificate: { CloudFrontDefaultCertificate: true, SSLSupportMethod: 'vip', MinimumProtocolVersion: 'TLSv1', CertificateSource: 'cloudfront' },
      Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
      WebACLId: '',
      HttpVersion: 'http2',
      IsIPV6Enabled: false,
      Staging: false,
    });
    expect(got!.Origins!.Items![0]).toMatchObject({
      OriginPath: '',
      ConnectionAttempts: 3,
      ConnectionTimeout: 10,
      OriginShield: { Enabled: false },
      OriginAccessControlId: '',
      CustomOriginConfig: { OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
    });
    // Sent members are kept (Compress: true), the rest defaulted.
    expect(got!.DefaultCacheBehavior).toMatchObject({ Compress: true, SmoothStreaming: false, FieldLevelEncryptionId: '', TrustedSigners: { Enabled: false, Quantity: 0 }, LambdaFunctionAssociations: { Quantity: 0 } });
    // The summary has every member AWS's model requires.
    const summary = (await sb.cloudfront.send(new ListDistributionsCommand({}))).DistributionList!.Items!.find((d) => d.Id === id)!;
    for (const member of ['Aliases', 'CacheBehaviors', 'CustomErrorResponses', 'PriceClass', 'ViewerCertificate', 'Restrictions', 'WebACLId', 'HttpVersion', 'IsIPV6Enabled', 'Staging'] as const) {
      expect(summary[member], member).toBeDefined();
    }
    // A retried create of the same minimal config is the same distribution (compared as stored).
    expect((await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: minimal }))).Distribution!.Id).toBe(id);
  });

  it('the demo distribution has tags', async () => {
    const tags = await sb.cloudfront.send(new ListTagsForResourceCommand({ Resource: `arn:aws:cloudfront::123456789012:distribution/${ID}` }));
    expect(tags.Tags!.Items).toContainEqual({ Key: 'Environment', Value: 'production' });
  });
});
