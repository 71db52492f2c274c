/** Restore planning (rollback, attach --rollback-on-failure) on plain objects. */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import type { ObservedDistribution } from '../../src/aws/observe/distribution.js';
import { formatAddress } from '../../src/plan/addresses.js';
import type { OwnedParts } from '../../src/plan/owned-parts.js';
import { planRestore, type RestoreRequest } from '../../src/plan/restore.js';

const ARN = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`;
const parts = (arn?: string): OwnedParts =>
  arn ? { origins: [], behaviors: [{ pathPattern: '*', index: -1, created: false }], associations: [{ pathPattern: '*', eventType: 'viewer-request', arn, includeBody: false }] } : { origins: [], behaviors: [], associations: [] };

function observed(arn?: string, comment = 'site'): ObservedDistribution {
  const config: DistributionConfig = {
    CallerReference: 'r',
    Comment: comment,
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'site.example.com' }] },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'allow-all', LambdaFunctionAssociations: arn ? { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false }] } : { Quantity: 0 } },
    CacheBehaviors: { Quantity: 0 },
  };
  return { id: 'E1', etag: 'e', status: 'Deployed', domainName: 'd', config, unknownMembers: [] };
}

const request = (overrides: Partial<RestoreRequest>): RestoreRequest => ({
  id: 'E1',
  integration: 'acme',
  ownedFunctionNames: ['acme-edge'],
  originKeys: [],
  expected: parts(ARN('acme-edge', 2)),
  target: parts(ARN('acme-edge', 1)),
  restoreForeign: [],
  ...overrides,
});

const changes = (plan: ReturnType<typeof planRestore>) => plan.changes.map((c) => `${c.action} ${formatAddress(c.address)}`);

describe('planRestore', () => {
  it('puts the recorded version back, keeping what is not owned (an edit made since)', () => {
    const plan = planRestore(request({}), observed(ARN('acme-edge', 2), 'edited since'));
    expect(changes(plan)).toEqual(['update behaviors.*.viewer-request']);
    expect(plan.conflicts).toEqual([]);
    expect(plan.config.Comment).toBe('edited since');
    expect(plan.config.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN).toBe(ARN('acme-edge', 1));
    expect(plan.ownedAfter).toEqual(parts(ARN('acme-edge', 1)));
  });

  it('owned parts changed by hand since the last revision are a conflict, unless forced', () => {
    const drifted = observed(ARN('acme-edge', 3));
    expect(planRestore(request({}), drifted).conflicts.join('\n')).toMatch(/owned parts changed since the last revision \(trigger \* viewer-request was changed\); pass --force/);
    expect(planRestore(request({ force: true }), drifted).conflicts).toEqual([]);
  });

  it('a foreign function the integration replaced goes back to its slot', () => {
    const plan = planRestore(request({ target: parts(), restoreForeign: [{ pathPattern: '*', eventType: 'viewer-request', arn: ARN('their-auth', 4), includeBody: false }] }), observed(ARN('acme-edge', 2)));
    expect(changes(plan)).toEqual(['update behaviors.*.viewer-request']);
    expect(plan.config.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN).toBe(ARN('their-auth', 4));
    expect(plan.warnings.join('\n')).toContain(`puts back ${ARN('their-auth', 4)} on * viewer-request`);
  });

  it('a config the SDK could not fully read is never written', () => {
    const unreadable = { ...observed(ARN('acme-edge', 2)), unknownMembers: ['FutureFeature'] };
    expect(planRestore(request({}), unreadable).conflicts.join('\n')).toMatch(/cannot read \(FutureFeature\)/);
  });
});
