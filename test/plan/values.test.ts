/**
 * The one notion of "equal" (src/plan/values.ts): the planner's sameValue and the renderer's
 * diffFields agree on every pair — a change whose fields all normalise away cannot exist.
 */
import { describe, expect, it } from 'vitest';
import { unknownVersion } from '../../src/plan/unknown.js';
import { diffFields, normalizeValue, sameValue } from '../../src/plan/values.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:acme-edge';

/** Pairs of CloudFront (and IAM) values, equal and not, in the shapes the SDK and the planner produce. */
const PAIRS: [string, unknown, unknown][] = [
  ['an empty member and none (issue 10: {OriginShield:{}} vs {})', { OriginShield: {} }, {}],
  ['{Quantity: 0} and no list', { Headers: { Quantity: 0 } }, {}],
  ['{Quantity: 0, Items: []} and {Quantity: 0}', { Headers: { Quantity: 0, Items: [] } }, { Headers: { Quantity: 0 } }],
  ['a list with other members, empty either way', { TrustedSigners: { Enabled: false, Quantity: 0, Items: [] } }, { TrustedSigners: { Enabled: false, Quantity: 0 } }],
  ['method lists as sets', { AllowedMethods: { Quantity: 2, Items: ['GET', 'HEAD'], CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } } }, { AllowedMethods: { Quantity: 2, Items: ['HEAD', 'GET'], CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } } }],
  ['member order', { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }],
  ['undefined and null members', { a: 1, b: undefined, c: null }, { a: 1 }],
  ['an empty list and none', { a: [], Items: [] }, {}],
  ['IAM documents, key order aside', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'x' }] }, { Statement: [{ Action: 'x', Effect: 'Allow' }], Version: '2012-10-17' }],
  ['a changed value', { DomainName: 'a.example.com' }, { DomainName: 'b.example.com' }],
  ['false is not absent', { Enabled: false }, {}],
  ['an empty string is not absent', { OriginPath: '' }, {}],
  ['a list item added', { CustomHeaders: { Quantity: 0 } }, { CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'X', HeaderValue: 'v' }] } }],
  ['ordered list items in another order', { LambdaFunctionAssociations: { Quantity: 2, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: 'a' }, { EventType: 'origin-response', LambdaFunctionARN: 'b' }] } }, { LambdaFunctionAssociations: { Quantity: 2, Items: [{ EventType: 'origin-response', LambdaFunctionARN: 'b' }, { EventType: 'viewer-request', LambdaFunctionARN: 'a' }] } }],
  ['a version not known until apply, and a known one', { LambdaFunctionARN: `${ARN}:1` }, { LambdaFunctionARN: unknownVersion('acme-edge', ARN) }],
  ['a version not known until apply where there was none', {}, { LambdaFunctionARN: unknownVersion('acme-edge', ARN) }],
  ['a default CloudFront fills in for a config that left it out (GrpcConfig off), and none', { PathPattern: '/a/*', GrpcConfig: { Enabled: false } }, { PathPattern: '/a/*' }],
  ['a member CloudFront fills, set to something else (GrpcConfig on)', { PathPattern: '/a/*', GrpcConfig: { Enabled: true } }, { PathPattern: '/a/*' }],
  ['two unknowns of the same version', { LambdaFunctionARN: unknownVersion('acme-edge', ARN) }, { LambdaFunctionARN: unknownVersion('acme-edge', ARN) }],
];

describe('sameValue and diffFields', () => {
  it.each(PAIRS)('agree: %s', (_name, a, b) => {
    expect(diffFields(a, b).length === 0).toBe(sameValue(a, b));
    expect(diffFields(b, a).length === 0).toBe(sameValue(b, a));
    expect(sameValue(a, b)).toBe(sameValue(b, a));
  });

  it('say what CloudFront means', () => {
    const equal = (name: string) => sameValue(...(PAIRS.find((p) => p[0].startsWith(name))!.slice(1) as [unknown, unknown]));
    expect(equal('an empty member and none')).toBe(true);
    expect(equal('{Quantity: 0} and no list')).toBe(true);
    expect(equal('a list with other members')).toBe(true);
    expect(equal('method lists as sets')).toBe(true);
    expect(equal('false is not absent')).toBe(false);
    expect(equal('an empty string is not absent')).toBe(false);
    expect(equal('ordered list items in another order')).toBe(false);
    expect(equal('a version not known until apply, and a known one')).toBe(false);
    expect(equal('two unknowns')).toBe(true);
    expect(equal('a default CloudFront fills in')).toBe(true);
    expect(equal('a member CloudFront fills, set')).toBe(false);
  });

  it('name the fields that differ: list items by identity, a reordering as such, an unknown value whole', () => {
    const reordered = PAIRS.find((p) => p[0].startsWith('ordered list'))!;
    expect(diffFields(reordered[1], reordered[2])).toEqual([{ path: 'LambdaFunctionAssociations (order)', before: ['viewer-request', 'origin-response'], after: ['origin-response', 'viewer-request'] }]);
    expect(diffFields({ LambdaFunctionARN: `${ARN}:1` }, { LambdaFunctionARN: unknownVersion('acme-edge', ARN) })).toEqual([
      { path: 'LambdaFunctionARN', before: `${ARN}:1`, after: unknownVersion('acme-edge', ARN) },
    ]);
  });

  it('normalise absent things away entirely', () => {
    expect(normalizeValue({ OriginShield: {}, Headers: { Quantity: 0 }, x: undefined })).toBeUndefined();
  });
});
