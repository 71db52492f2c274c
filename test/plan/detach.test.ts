/** Pure parts of detach and gc: which foreign triggers go back, the detach plan, gc's choices, durations. */
import type { CacheBehavior, DistributionConfig, LambdaFunctionAssociation } from '@aws-sdk/client-cloudfront';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import type { AccountAssociation } from '../../src/aws/observe/account-associations.js';
import type { ObservedOwnedFunction } from '../../src/aws/observe/owned-functions.js';
import { NOTHING_OWNED, planDetachDistribution as planDetach, type DetachPlanInput } from '../../src/plan/detach.js';
import { changeDocument } from '../../src/plan/document.js';
import { formatDuration, parseDuration } from '../../src/plan/duration.js';
import { decideGc } from '../../src/plan/gc.js';
import type { OwnedParts } from '../../src/plan/owned-parts.js';
import { restoreOwnedParts as restore } from '../../src/plan/restore.js';
import { replacedForeignToRestore, type ReplacedForeign, type Revision } from '../../src/plan/revision.js';

/** The plans with their changes as the plan document shows them (kind and address as text). */
const planDetachDistribution = (input: DetachPlanInput) => {
  const plan = planDetach(input);
  return { ...plan, changes: plan.changes.map(changeDocument) };
};
const restoreOwnedParts = (...args: Parameters<typeof restore>) => {
  const restored = restore(...args);
  return { ...restored, changes: restored.changes.map(changeDocument) };
};

const ARN = (name: string, version: string | number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`;

function revision(id: string, ownedAfter: OwnedParts, replacedForeign: ReplacedForeign[] = []): Revision {
  return { version: 1, revision: id, integration: 'acme', distributionId: 'E1', createdAt: '', etagBefore: 'a', etagAfter: 'b', ownedBefore: NOTHING_OWNED, ownedAfter, replacedForeign, functions: [], cachePolicies: {} };
}

const attachedParts: OwnedParts = { origins: [], behaviors: [{ pathPattern: '*', index: -1, created: false }], associations: [{ pathPattern: '*', eventType: 'viewer-request', arn: ARN('acme-edge', 1), includeBody: false }] };

describe('replacedForeignToRestore', () => {
  it('one per slot, the earliest replaced; nothing from before the last detach', () => {
    const first = { pathPattern: '*', eventType: 'viewer-request', arn: ARN('theirs', 1), includeBody: false };
    const later = { pathPattern: '*', eventType: 'viewer-request', arn: ARN('theirs', 2) };
    const other = { pathPattern: '/a/*', eventType: 'origin-request', arn: ARN('other', 3) };
    expect(replacedForeignToRestore([revision('1', attachedParts, [first]), revision('2', attachedParts, [later, other])])).toEqual([first, other]);
    expect(replacedForeignToRestore([revision('1', attachedParts, [first]), revision('2', NOTHING_OWNED), revision('3', attachedParts, [later])])).toEqual([later]);
    expect(replacedForeignToRestore([revision('1', attachedParts, [first]), revision('2', NOTHING_OWNED)])).toEqual([]);
  });
});

describe('planDetachDistribution', () => {
  const config = (associations: { EventType: 'viewer-request'; LambdaFunctionARN: string; IncludeBody: boolean }[]): DistributionConfig => ({
    CallerReference: 'r',
    Comment: '',
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'site.example.com' }] },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'allow-all', LambdaFunctionAssociations: associations.length ? { Quantity: associations.length, Items: associations } : { Quantity: 0 } },
    CacheBehaviors: { Quantity: 0 },
  });
  const input = (c: DistributionConfig, replacedForeign: ReplacedForeign[] = []) => ({ integration: 'acme', id: 'E1', etag: 'e', config: c, ownedFunctionNames: ['acme-edge'], replacedForeign });

  it('takes the owned trigger off and puts the replaced foreign one back, as an update', () => {
    const plan = planDetachDistribution(input(config([{ EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 1), IncludeBody: false }]), [{ pathPattern: '*', eventType: 'viewer-request', arn: ARN('theirs', 1), includeBody: false }]));
    expect(plan.config.DefaultCacheBehavior!.LambdaFunctionAssociations).toEqual({ Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: ARN('theirs', 1), IncludeBody: false }] });
    expect(plan.changes).toEqual([
      {
        action: 'update',
        kind: 'association',
        address: 'behaviors.*.viewer-request',
        before: { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 1), IncludeBody: false },
        after: { EventType: 'viewer-request', LambdaFunctionARN: ARN('theirs', 1), IncludeBody: false },
      },
    ]);
    expect(plan.warnings.join('\n')).toMatch(/puts back .*theirs:1 on \* viewer-request/);
    expect(plan.ownedAfter).toEqual(NOTHING_OWNED);
  });

  it('has nothing to do when nothing is owned, and refuses a config the SDK could not read', () => {
    expect(planDetachDistribution(input(config([]))).changes).toEqual([]);
    const unknown = planDetachDistribution({ ...input(config([])), unknownMembers: ['FutureFeature'] });
    expect(unknown.conflicts.join('\n')).toMatch(/cannot read \(FutureFeature\)/);
  });
});

describe('decideGc', () => {
  const NOW = Date.parse('2025-06-01T12:00:00Z');
  const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString().replace('Z', '+0000');
  const version = (name: string, v: number, minutesAgo: number): FunctionConfiguration => ({ FunctionName: name, Version: String(v), FunctionArn: ARN(name, v), LastModified: at(minutesAgo) });
  const fn = (name: string, ages: number[]): ObservedOwnedFunction => ({ name, latest: { FunctionName: name, Version: '$LATEST', LastModified: at(Math.min(...ages)) }, versions: ages.map((age, i) => version(name, i + 1, age)) });
  const on = (arn: string, distributionId = 'E1'): AccountAssociation => ({ distributionId, pathPattern: '*', eventType: 'viewer-request', arn, functionName: arn.split(':')[6]! });

  it('keeps attached versions, deletes the others; a function attached nowhere goes whole', () => {
    const decided = decideGc([fn('acme-a', [300, 200, 100]), fn('acme-b', [300])], [on(ARN('acme-a', 2)), on(ARN('acme-a', 2), 'E2')], 0, NOW);
    expect(decided.targets.map((t) => t.resource)).toEqual(['version:acme-a:1', 'version:acme-a:3', 'function:acme-b']);
    expect(decided.kept).toEqual([{ resource: 'version:acme-a:2', reason: 'attached to E1, E2' }]);
  });

  it('--min-age keeps what changed recently', () => {
    const decided = decideGc([fn('acme-a', [300, 20, 10]), fn('acme-b', [300, 5])], [on(ARN('acme-a', 3))], 30 * 60_000, NOW);
    expect(decided.targets.map((t) => t.resource)).toEqual(['version:acme-a:1']);
    expect(decided.kept).toEqual([
      { resource: 'version:acme-a:2', reason: 'changed less than 30m ago (--min-age)' },
      { resource: 'version:acme-a:3', reason: 'attached to E1' },
      { resource: 'function:acme-b', reason: 'changed less than 30m ago (--min-age)' },
    ]);
  });
});

describe('durations', () => {
  it('parses one number and one unit, or 0', () => {
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1w')).toBe(604_800_000);
    for (const bad of ['', '5', '1.5h', '-1d', '1h30m', 'soon', '2H']) expect(parseDuration(bad)).toBeUndefined();
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(90_000)).toBe('90s');
  });
});

describe('restoreOwnedParts: places', () => {
  const fn = (name: string, eventType: string) => ({ EventType: eventType, LambdaFunctionARN: ARN(name, 1), IncludeBody: false }) as LambdaFunctionAssociation;
  const cb = (pattern: string, associations: LambdaFunctionAssociation[] = []): CacheBehavior => ({
    PathPattern: pattern,
    TargetOriginId: 'site',
    ViewerProtocolPolicy: 'allow-all',
    LambdaFunctionAssociations: associations.length ? { Quantity: associations.length, Items: associations } : { Quantity: 0 },
  });
  const base = (behaviors: CacheBehavior[], defaults: LambdaFunctionAssociation[] = []): DistributionConfig => ({
    CallerReference: 'r',
    Comment: '',
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'site.example.com' }] },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'allow-all', LambdaFunctionAssociations: defaults.length ? { Quantity: defaults.length, Items: defaults } : { Quantity: 0 } },
    CacheBehaviors: { Quantity: behaviors.length, Items: behaviors },
  });

  it('a replaced foreign trigger goes back to the place it had in the list', () => {
    const c = base([], [fn('acme-edge', 'origin-response'), fn('headers', 'viewer-response')]);
    const current: OwnedParts = { origins: [], behaviors: [{ pathPattern: '*', index: -1, created: false }], associations: [{ pathPattern: '*', eventType: 'origin-response', arn: ARN('acme-edge', 1), includeBody: false }] };
    const restored = restoreOwnedParts(c, current, NOTHING_OWNED, [{ pathPattern: '*', eventType: 'origin-response', arn: ARN('theirs', 1), includeBody: false }]);
    expect(restored.config.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items!.map((a) => a.LambdaFunctionARN)).toEqual([ARN('theirs', 1), ARN('headers', 1)]);
  });

  it('several of our triggers on one behavior keep their order through a restore', () => {
    const c = base([], [fn('acme-a', 'viewer-request'), fn('acme-b', 'origin-response'), fn('headers', 'viewer-response')]);
    const ours = (v: number): OwnedParts => ({
      origins: [],
      behaviors: [{ pathPattern: '*', index: -1, created: false }],
      associations: [
        { pathPattern: '*', eventType: 'viewer-request', arn: ARN('acme-a', v), includeBody: false },
        { pathPattern: '*', eventType: 'origin-response', arn: ARN('acme-b', v), includeBody: false },
      ],
    });
    const restored = restoreOwnedParts(c, ours(1), ours(2));
    expect(restored.config.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items!.map((a) => a.LambdaFunctionARN)).toEqual([ARN('acme-a', 2), ARN('acme-b', 2), ARN('headers', 1)]);
  });

  it('a created behavior goes back at its recorded index when that is still right', () => {
    const target: OwnedParts = { origins: [], behaviors: [{ pathPattern: '/api/v1/ei/*', index: 0, created: true, behavior: cb('/api/v1/ei/*') }], associations: [] };
    const restored = restoreOwnedParts(base([cb('/api/*'), cb('/img/*')]), NOTHING_OWNED, target);
    expect(restored.config.CacheBehaviors!.Items!.map((b) => b.PathPattern)).toEqual(['/api/v1/ei/*', '/api/*', '/img/*']);
    expect(restored.warnings).toEqual([]);
    expect(restored.changes).toEqual([expect.objectContaining({ action: 'create', kind: 'behavior', address: 'behaviors./api/v1/ei/*', position: 0 })]);
  });

  it('…and is placed anew when a behavior added since would be shadowed there', () => {
    // Since the revision, someone added /api/v1/ei/special/* first; the old place would hide it.
    const target: OwnedParts = { origins: [], behaviors: [{ pathPattern: '/api/v1/ei/*', index: 0, created: true, behavior: cb('/api/v1/ei/*') }], associations: [] };
    const restored = restoreOwnedParts(base([cb('/api/v1/ei/special/*'), cb('/api/*')]), NOTHING_OWNED, target);
    expect(restored.config.CacheBehaviors!.Items!.map((b) => b.PathPattern)).toEqual(['/api/v1/ei/special/*', '/api/v1/ei/*', '/api/*']);
    expect(restored.warnings.join('\n')).toContain('the behavior /api/v1/ei/* goes back at index 1, not 0');
    expect(restored.changes).toEqual([expect.objectContaining({ address: 'behaviors./api/v1/ei/*', position: 1 })]);
  });

  it('…and is not put back when a behavior with the same paths exists now', () => {
    const target: OwnedParts = { origins: [], behaviors: [{ pathPattern: '/api/v1/ei/*', index: 0, created: true, behavior: cb('/api/v1/ei/*') }], associations: [] };
    const restored = restoreOwnedParts(base([cb('api/v1/ei/*'), cb('/api/*')]), NOTHING_OWNED, target);
    expect(restored.config.CacheBehaviors!.Items!.map((b) => b.PathPattern)).toEqual(['api/v1/ei/*', '/api/*']);
    expect(restored.problems.join('\n')).toContain('the behavior /api/v1/ei/* cannot be put back: api/v1/ei/* now matches the same paths');
  });
});
