import { describe, expect, it } from 'vitest';
import {
  MANAGED_CACHE_POLICIES,
  MANAGED_ORIGIN_REQUEST_POLICIES,
  managedCachePolicyId,
  managedOriginRequestPolicyId,
  managedPolicyName,
  resolveCachePolicy,
  resolveOriginRequestPolicy,
} from '../../src/manifest/index.js';

describe('managed policies', () => {
  it('know the real ids', () => {
    expect(MANAGED_CACHE_POLICIES).toEqual({
      CachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      CachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      CachingOptimizedForUncompressedObjects: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
      'Elemental-MediaPackage': '08627262-05a9-4f76-9ded-b50ca2e3a84f',
      Amplify: '2e54312d-136d-493c-8eb9-b001f22f67d2',
    });
    expect(MANAGED_ORIGIN_REQUEST_POLICIES).toEqual({
      AllViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
      AllViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      'CORS-S3Origin': '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
      'CORS-CustomOrigin': '59781a5b-3903-41f3-afcb-af62929ccde1',
      'AllViewerAndCloudFrontHeaders-2022-06': '33f36d7e-f396-46d9-90e0-52428a34d9dc',
      UserAgentRefererHeaders: 'acba4595-bd28-49b8-b9fe-13317c0390fa',
    });
  });

  it('accept names with and without Managed-, and map ids back to names', () => {
    expect(managedCachePolicyId('CachingDisabled')).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(managedCachePolicyId('Managed-CachingDisabled')).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(managedOriginRequestPolicyId('Managed-AllViewerExceptHostHeader')).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    expect(managedCachePolicyId('AllViewer')).toBeUndefined();
    expect(managedCachePolicyId('toString')).toBeUndefined();
    expect(managedPolicyName('216ADEF6-5c7f-47e4-b989-5492eafa07d3')).toBe('AllViewer');
    expect(managedPolicyName('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('resolve a cache policy reference: owned key, managed name, or id', () => {
    expect(resolveCachePolicy('proxy', ['proxy'])).toEqual({ kind: 'owned', key: 'proxy' });
    expect(resolveCachePolicy('proxy', { proxy: {} })).toEqual({ kind: 'owned', key: 'proxy' });
    expect(resolveCachePolicy('CachingOptimized', [])).toEqual({ kind: 'managed', name: 'CachingOptimized', id: '658327ea-f89d-4fab-a63d-7e88639e58f6' });
    expect(resolveCachePolicy('Managed-Amplify', [])).toEqual({ kind: 'managed', name: 'Amplify', id: '2e54312d-136d-493c-8eb9-b001f22f67d2' });
    expect(resolveCachePolicy('A1B2C3D4-1111-2222-3333-444455556666', [])).toEqual({ kind: 'id', id: 'a1b2c3d4-1111-2222-3333-444455556666' });
    expect(resolveCachePolicy('cachingoptimized', [])).toBeUndefined();
    expect(resolveCachePolicy('AllViewer', [])).toBeUndefined();
  });

  it('resolve an origin request policy reference: managed name or id only', () => {
    expect(resolveOriginRequestPolicy('AllViewer')).toEqual({ kind: 'managed', name: 'AllViewer', id: '216adef6-5c7f-47e4-b989-5492eafa07d3' });
    expect(resolveOriginRequestPolicy('Managed-UserAgentRefererHeaders')).toEqual({ kind: 'managed', name: 'UserAgentRefererHeaders', id: 'acba4595-bd28-49b8-b9fe-13317c0390fa' });
    expect(resolveOriginRequestPolicy('59781a5b-3903-41f3-afcb-af62929ccde1')).toEqual({ kind: 'id', id: '59781a5b-3903-41f3-afcb-af62929ccde1' });
    expect(resolveOriginRequestPolicy('proxy')).toBeUndefined();
    expect(resolveOriginRequestPolicy('CachingOptimized')).toBeUndefined();
  });
});
