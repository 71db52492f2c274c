/** `status` assembled on plain objects: each trigger's state, drift, and the verdict. */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import type { ObservedDistribution } from '../../src/aws/observe/distribution.js';
import type { ObservedFunction } from '../../src/aws/observe/functions.js';
import { parseManifest } from '../../src/manifest/parse.js';
import type { Revision } from '../../src/plan/revision.js';
import { assembleStatus, type StatusInputs } from '../../src/plan/status.js';

const ARN = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`;
const manifest = parseManifest({ name: 'acme', functions: { edge: { handler: './h.ts' } }, behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'edge' } } }] });

function distribution(arn?: string, status = 'Deployed'): ObservedDistribution {
  const config: DistributionConfig = {
    CallerReference: 'r',
    Comment: '',
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'site.example.com' }] },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'allow-all', LambdaFunctionAssociations: arn ? { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false }] } : { Quantity: 0 } },
    CacheBehaviors: { Quantity: 0 },
  };
  return { id: 'E1', etag: 'e', status, domainName: 'd1.cloudfront.net', config, unknownMembers: [] };
}

function fn(...versions: number[]): ObservedFunction {
  const v = (n: number) => ({ version: String(n), arn: ARN('acme-edge', n), codeSha256: 'x', codeSize: 1, settings: { environmentVariables: 0, layers: 0, architectures: ['x86_64'] } });
  return { key: 'edge', name: 'acme-edge', exists: versions.length > 0, versions: versions.map(v), tags: {} };
}

const inputs = (overrides: Partial<StatusInputs>): StatusInputs => ({
  manifest,
  distributions: [distribution(ARN('acme-edge', 1))],
  revisions: [],
  ownedFunctionNames: ['acme-edge'],
  functions: [fn(1)],
  cachePolicyIds: {},
  secret: null,
  recovery: { finalize: [], drop: [], unresolved: [], untouched: [], revisions: [], notes: [] },
  ...overrides,
});

const states = (i: StatusInputs) => assembleStatus(i).distributions[0]!.associations.map((a) => `${a.state} ${a.version ?? '-'}/${a.latestVersion ?? '-'}`);

describe('assembleStatus', () => {
  it('ok when the newest version is attached and deployed: in sync', () => {
    const report = assembleStatus(inputs({}));
    expect(states(inputs({}))).toEqual(['ok 1/1']);
    expect(report.inSync).toBe(true);
    expect(report.distributions[0]!.drift).toEqual([]);
  });

  it('stale, missing, foreign', () => {
    expect(states(inputs({ functions: [fn(1, 2)] }))).toEqual(['stale 1/2']);
    expect(states(inputs({ distributions: [distribution()] }))).toEqual(['missing -/1']);
    expect(states(inputs({ distributions: [distribution(ARN('their-auth', 7))] }))).toEqual(['foreign -/1']);
    expect(assembleStatus(inputs({ functions: [fn(1, 2)] })).inSync).toBe(false);
  });

  it('not deployed, or the secret missing, is not in sync', () => {
    expect(assembleStatus(inputs({ distributions: [distribution(ARN('acme-edge', 1), 'InProgress')] })).inSync).toBe(false);
    expect(assembleStatus(inputs({ secret: { name: 'edge-install/acme', exists: false } })).inSync).toBe(false);
  });

  it('drift: an owned part changed since the last revision, and what the manifest would change now', () => {
    const revision: Revision = {
      version: 1,
      revision: 'r1-E1',
      integration: 'acme',
      distributionId: 'E1',
      createdAt: '',
      etagBefore: 'a',
      etagAfter: 'b',
      ownedBefore: { origins: [], behaviors: [], associations: [] },
      ownedAfter: { origins: [], behaviors: [{ pathPattern: '*', index: -1, created: false }], associations: [{ pathPattern: '*', eventType: 'viewer-request', arn: ARN('acme-edge', 1), includeBody: false }] },
      replacedForeign: [],
      functions: [],
      cachePolicies: {},
    };
    const report = assembleStatus(inputs({ distributions: [distribution()], revisions: [revision] }));
    expect(report.distributions[0]!.lastRevision).toBe('r1-E1');
    expect(report.distributions[0]!.drift).toEqual([
      'since revision r1-E1: behavior * was removed',
      'since revision r1-E1: trigger * viewer-request was removed',
      'the manifest would create behaviors.*.viewer-request',
    ]);
  });

  it('a trigger the manifest cannot put in place says why: a CloudFront Function on a viewer event of the behavior', () => {
    const d = distribution();
    d.config.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 1, Items: [{ EventType: 'viewer-request', FunctionARN: 'arn:aws:cloudfront::123456789012:function/spa-rewrite' }] };
    const drift = assembleStatus(inputs({ distributions: [d] })).distributions[0]!.drift;
    expect(drift).toContainEqual(expect.stringMatching(/^blocked: .*spa-rewrite/));
  });

  it('a deprecated runtime is said once per version, with every place it runs', () => {
    const two = { ...distribution(ARN('acme-edge', 1)), id: 'E2' };
    const old = fn(1);
    old.versions[0]!.settings = { ...old.versions[0]!.settings, runtime: 'nodejs20.x' } as never;
    const report = assembleStatus({ ...inputs({ distributions: [distribution(ARN('acme-edge', 1)), two], functions: [old] }), now: new Date('2026-12-02T00:00:00Z') });
    const notes = report.notes.filter((n) => n.includes('deprecated'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^acme-edge:1 on E1 \(\* viewer-request\), E2 \(\* viewer-request\): runtime nodejs20\.x was deprecated/);
  });
});
