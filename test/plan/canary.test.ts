/**
 * The pure parts of a canary: the traffic flag and the policy's TrafficConfig, what may change
 * while a policy is attached, and the promote's check of what it would overwrite.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import { foreignDifferences, stagingConfig, unsupportedWhileAttached } from '../../src/plan/canary.js';
import { parseCanary, trafficConfig, trafficOf } from '../../src/plan/canary-traffic.js';

const token = () => 'tok';
const ARN = (name: string, v: number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${v}`;
const owner = { integration: 'fp', functionNames: ['fp-proxy'], originKeys: ['vendor'] };

function config(over: Partial<DistributionConfig> = {}, proxyVersion = 1): DistributionConfig {
  return {
    CallerReference: 'ref',
    Comment: 'site',
    Enabled: true,
    PriceClass: 'PriceClass_All',
    Aliases: { Quantity: 1, Items: ['www.example.com'] },
    Origins: { Quantity: 2, Items: [{ Id: 'site', DomainName: 'site.example.com' }, { Id: 'ei-fp-vendor', DomainName: 'fpcdn.io' }] },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'allow-all', LambdaFunctionAssociations: { Quantity: 0 } },
    CacheBehaviors: {
      Quantity: 1,
      Items: [
        {
          PathPattern: 'fpjs/*',
          TargetOriginId: 'ei-fp-vendor',
          ViewerProtocolPolicy: 'https-only',
          LambdaFunctionAssociations: { Quantity: 1, Items: [{ EventType: 'origin-request', LambdaFunctionARN: ARN('fp-proxy', proxyVersion) }] },
        },
      ],
    },
    ...over,
  } as DistributionConfig;
}

describe('--canary', () => {
  it('parses the traffic splits, and writes CloudFront its decimal weight exactly', () => {
    expect(parseCanary('header', 'fp', token)).toEqual({ type: 'header', header: 'aws-cf-cd-fp', value: 'tok' });
    expect(parseCanary('header=letmein', 'fp', token)).toEqual({ type: 'header', header: 'aws-cf-cd-fp', value: 'letmein' });
    expect(trafficConfig(parseCanary('weight=7%', 'fp', token))).toEqual({ Type: 'SingleWeight', SingleWeightConfig: { Weight: 0.07 } });
    expect(trafficConfig(parseCanary('weight=15,sticky', 'fp', token)).SingleWeightConfig!.SessionStickinessConfig).toEqual({ IdleTTL: 1800, MaximumTTL: 3600 });
    expect(trafficOf(trafficConfig(parseCanary('weight=2.5%', 'fp', token)))).toEqual({ type: 'weight', percent: 2.5, sticky: false });
    for (const bad of ['weight=0%', 'weight=16%', 'weight=5%,stickyy', 'header=', 'both']) expect(() => parseCanary(bad, 'fp', token), bad).toThrow();
  });
});

describe('while a policy is attached', () => {
  it('only the supported members may change (IllegalUpdate otherwise)', () => {
    expect(unsupportedWhileAttached(config(), config({ Comment: 'x', DefaultRootObject: 'index.html' }))).toEqual([]);
    expect(unsupportedWhileAttached(config(), config({ PriceClass: 'PriceClass_100', HttpVersion: 'http2' }))).toEqual(['HttpVersion', 'PriceClass']);
  });

  it('a staging copy has its own reference, no aliases and no policy', () => {
    expect(stagingConfig(config({ ContinuousDeploymentPolicyId: 'p' }), 'copy-ref')).toMatchObject({ CallerReference: 'copy-ref', Staging: true, Aliases: { Quantity: 0 }, ContinuousDeploymentPolicyId: '' });
  });
});

describe("the promote's check", () => {
  const staging = (over: Partial<DistributionConfig> = {}) => stagingConfig(config(over, 2), 'copy-ref');

  it('finds nothing when the two differ only in the integration’s parts and the copy’s own members', () => {
    expect(foreignDifferences(config({ ContinuousDeploymentPolicyId: 'p' }), staging(), owner)).toEqual([]);
  });

  it('names each edit made to the primary (or the copy) outside the integration', () => {
    expect(foreignDifferences(config({ Comment: 'edited' }), staging(), owner)).toEqual(['Comment']);
    const primary = config();
    primary.Origins = { Quantity: 3, Items: [...primary.Origins!.Items!, { Id: 'api', DomainName: 'api.example.com' }] };
    expect(foreignDifferences(primary, staging(), owner)).toEqual(['origin api']);
    expect(foreignDifferences(config({ DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https' } }), staging(), owner)).toEqual(['the default behavior']);
  });
});
