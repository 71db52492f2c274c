/** Cache policy rules and managed policies, through the real SDK. */
import {
  CachePolicyAlreadyExists,
  CachePolicyInUse,
  CreateCachePolicyCommand,
  DeleteCachePolicyCommand,
  GetCachePolicyCommand,
  GetCachePolicyConfigCommand,
  GetDistributionConfigCommand,
  GetOriginRequestPolicyCommand,
  IllegalDelete,
  InvalidArgument,
  InconsistentQuantities,
  ListCachePoliciesCommand,
  ListOriginRequestPoliciesCommand,
  NoSuchCachePolicy,
  PreconditionFailed,
  TooManyCachePolicies,
  TooManyHeadersInCachePolicy,
  TooManyQueryStringsInCachePolicy,
  UpdateCachePolicyCommand,
  UpdateDistributionCommand,
  type CachePolicyConfig,
} from '@aws-sdk/client-cloudfront';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { expectAwsError } from '../helpers/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
beforeEach(async () => {
  if (!sb) sb = await startTestSandbox({ quotas: { customCachePoliciesPerAccount: 3 } });
  else await sb.admin('POST', 'reset');
});
afterAll(() => sb?.close());

/** The first-party proxy recipe's policy: Min 0 / Default 180 / Max 180, two query strings, compression. */
function proxyPolicy(name = 'fp-proxy-proxy'): CachePolicyConfig {
  return {
    Name: name,
    Comment: 'edge-install',
    MinTTL: 0,
    DefaultTTL: 180,
    MaxTTL: 180,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 2, Items: ['version', 'loaderVersion'] } },
    },
  };
}

const create = (config: CachePolicyConfig) => sb.cloudfront.send(new CreateCachePolicyCommand({ CachePolicyConfig: config }));

describe('managed policies', () => {
  it('are listed by Type=managed with their real ids', async () => {
    const cache = await sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'managed' }));
    const ids = cache.CachePolicyList!.Items!.map((s) => [s.CachePolicy!.CachePolicyConfig!.Name, s.CachePolicy!.Id]);
    expect(ids).toContainEqual(['Managed-CachingOptimized', '658327ea-f89d-4fab-a63d-7e88639e58f6']);
    expect(ids).toContainEqual(['Managed-CachingDisabled', '4135ea2d-6df8-44a3-9df3-4b5a84be39ad']);
    const origin = await sb.cloudfront.send(new ListOriginRequestPoliciesCommand({ Type: 'managed' }));
    const originIds = origin.OriginRequestPolicyList!.Items!.map((s) => s.OriginRequestPolicy!.Id);
    for (const id of [
      '216adef6-5c7f-47e4-b989-5492eafa07d3',
      'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
      '59781a5b-3903-41f3-afcb-af62929ccde1',
      '33f36d7e-f396-46d9-90e0-52428a34d9dc',
    ]) {
      expect(originIds).toContain(id);
    }
    const allViewer = await sb.cloudfront.send(new GetOriginRequestPolicyCommand({ Id: '216adef6-5c7f-47e4-b989-5492eafa07d3' }));
    expect(allViewer.OriginRequestPolicy!.OriginRequestPolicyConfig!.HeadersConfig!.HeaderBehavior).toBe('allViewer');
  });

  it('cannot be deleted', async () => {
    const got = await sb.cloudfront.send(new GetCachePolicyCommand({ Id: '658327ea-f89d-4fab-a63d-7e88639e58f6' }));
    await expectAwsError(sb.cloudfront.send(new DeleteCachePolicyCommand({ Id: got.CachePolicy!.Id, IfMatch: got.ETag })), IllegalDelete, 400);
  });
});

describe('custom cache policies', () => {
  it('create, read, update with If-Match, delete', async () => {
    const created = await create(proxyPolicy());
    expect(created.ETag).toBeTruthy();
    const id = created.CachePolicy!.Id!;
    const config = await sb.cloudfront.send(new GetCachePolicyConfigCommand({ Id: id }));
    expect(config.CachePolicyConfig).toEqual(proxyPolicy());
    const listed = await sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' }));
    expect(listed.CachePolicyList!.Items!.map((s) => s.CachePolicy!.Id)).toEqual([id]);

    await expectAwsError(sb.cloudfront.send(new UpdateCachePolicyCommand({ Id: id, IfMatch: 'EWRONG', CachePolicyConfig: proxyPolicy() })), PreconditionFailed, 412);
    const changed = { ...proxyPolicy(), DefaultTTL: 120 };
    const updated = await sb.cloudfront.send(new UpdateCachePolicyCommand({ Id: id, IfMatch: config.ETag, CachePolicyConfig: changed }));
    expect(updated.ETag).not.toBe(config.ETag);
    expect(updated.CachePolicy!.CachePolicyConfig!.DefaultTTL).toBe(120);

    await sb.cloudfront.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: updated.ETag }));
    await expectAwsError(sb.cloudfront.send(new GetCachePolicyCommand({ Id: id })), NoSuchCachePolicy, 404);
  });

  it('a name is unique: CachePolicyAlreadyExists 409', async () => {
    await create(proxyPolicy());
    await expectAwsError(create(proxyPolicy()), CachePolicyAlreadyExists, 409);
  });

  it('caching disabled (MaxTTL 0) with anything in the cache key, or compression, is InvalidArgument', async () => {
    const disabled = { ...proxyPolicy(), DefaultTTL: 0, MaxTTL: 0 };
    await expectAwsError(create(disabled), InvalidArgument, 400, /invalid for policy with caching disabled/);
    const params = disabled.ParametersInCacheKeyAndForwardedToOrigin!;
    const noKeys = { ...disabled, ParametersInCacheKeyAndForwardedToOrigin: { ...params, QueryStringsConfig: { QueryStringBehavior: 'none' as const } } };
    await expectAwsError(create(noKeys), InvalidArgument, 400, /EnableAcceptEncodingGzip is invalid for policy with caching disabled/);
    const plain = { ...noKeys, ParametersInCacheKeyAndForwardedToOrigin: { ...noKeys.ParametersInCacheKeyAndForwardedToOrigin, EnableAcceptEncodingGzip: false, EnableAcceptEncodingBrotli: false } };
    await create(plain);
  });

  it('at most 10 headers, cookies and query strings', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `name${i}`);
    const base = proxyPolicy();
    const params = base.ParametersInCacheKeyAndForwardedToOrigin!;
    await expectAwsError(
      create({ ...base, ParametersInCacheKeyAndForwardedToOrigin: { ...params, HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 11, Items: names } } } }),
      TooManyHeadersInCachePolicy,
      400,
    );
    await expectAwsError(
      create({ ...base, ParametersInCacheKeyAndForwardedToOrigin: { ...params, QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 11, Items: names } } } }),
      TooManyQueryStringsInCachePolicy,
      400,
    );
    await expectAwsError(
      create({ ...base, ParametersInCacheKeyAndForwardedToOrigin: { ...params, QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 3, Items: names.slice(0, 2) } } } }),
      InconsistentQuantities,
      400,
    );
  });

  it('TTLs are ordered: MinTTL <= DefaultTTL <= MaxTTL', async () => {
    await expectAwsError(create({ ...proxyPolicy(), MinTTL: 200 }), InvalidArgument, 400, /MinTTL <= DefaultTTL <= MaxTTL/);
  });

  it('the custom policy quota per account: TooManyCachePolicies', async () => {
    for (const n of [1, 2, 3]) await create(proxyPolicy(`policy-${n}`));
    await expectAwsError(create(proxyPolicy('policy-4')), TooManyCachePolicies, 400);
  });

  it('a policy attached to a behavior cannot be deleted: CachePolicyInUse 409', async () => {
    const created = await create(proxyPolicy());
    const { DistributionConfig: config, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: DEMO_DISTRIBUTION_ID }));
    config!.CacheBehaviors!.Items![1]!.CachePolicyId = created.CachePolicy!.Id;
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: DEMO_DISTRIBUTION_ID, IfMatch: ETag, DistributionConfig: config }));
    await expectAwsError(sb.cloudfront.send(new DeleteCachePolicyCommand({ Id: created.CachePolicy!.Id, IfMatch: created.ETag })), CachePolicyInUse, 409);
  });
});
