/** terraform's apply-time rule: what is written is what was approved, unknown values aside. */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/plan/changes.js';
import { incompatibilities } from '../../src/plan/compatible.js';
import { unknownCachePolicyId, unknownVersion } from '../../src/plan/unknown.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:acme-edge';
const trigger = (arn: unknown, action: Change['action'] = 'create', before?: unknown): Change => ({
  action,
  address: { kind: 'association', pattern: '*', event: 'viewer-request' },
  ...(before ? { before } : {}),
  after: { EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false },
});
const behavior = (position: number, cachePolicyId: unknown = 'p-1'): Change => ({ action: 'create', address: { kind: 'behavior', pattern: '/x/*' }, position, after: { PathPattern: '/x/*', CachePolicyId: cachePolicyId } });

describe('incompatibilities', () => {
  it('none when the unknown values are now known and everything else is the same', () => {
    expect(incompatibilities([trigger(unknownVersion('acme-edge', FN)), behavior(2, unknownCachePolicyId('acme-x'))], [trigger(`${FN}:3`), behavior(2, 'new-id')])).toEqual([]);
  });

  it('a known value that changed, another action, a change that appeared or vanished: each named', () => {
    expect(incompatibilities([trigger(`${FN}:2`)], [trigger(`${FN}:3`)])).toEqual(['behaviors.*.viewer-request would be set to something other than was approved']);
    expect(incompatibilities([trigger(`${FN}:2`)], [trigger(`${FN}:2`, 'update', { EventType: 'viewer-request', LambdaFunctionARN: 'x' })])).toEqual(['behaviors.*.viewer-request would be a update, not the approved create']);
    expect(incompatibilities([], [behavior(0)])).toEqual(['create behaviors./x/* was not in the approved plan']);
    expect(incompatibilities([behavior(0)], [])).toEqual(['create behaviors./x/* is no longer part of the change']);
  });

  it('an unknown must become known: still unknown, or gone, is not what was approved', () => {
    expect(incompatibilities([trigger(unknownVersion('acme-edge', FN))], [trigger(unknownVersion('acme-edge', FN))])).toHaveLength(1);
    expect(incompatibilities([trigger(unknownVersion('acme-edge', FN))], [trigger(undefined)])).toHaveLength(1);
  });

  it('an update to an unknown that resolved to the value already there has nothing left to write: fine', () => {
    expect(incompatibilities([trigger(unknownVersion('acme-edge', FN), 'update', { EventType: 'viewer-request', LambdaFunctionARN: `${FN}:2` })], [])).toEqual([]);
  });

  it('positions count, except after re-merging a concurrent writer’s change', () => {
    expect(incompatibilities([behavior(2)], [behavior(3)])).toEqual(['behaviors./x/* would go at position 3, not 2']);
    expect(incompatibilities([behavior(2)], [behavior(3)], { ignorePositions: true })).toEqual([]);
  });
});
