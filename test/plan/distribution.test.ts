/** The distribution planner on plain objects: every rule of issue 4, no I/O. */
import type { CacheBehavior, DistributionConfig } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse.js';
import type { ManifestInput } from '../../src/manifest/schema.js';
import { planDistribution, type DistributionPlanInput } from '../../src/plan/distribution.js';
import { changeDocument } from '../../src/plan/document.js';
import { unknownVersion } from '../../src/plan/unknown.js';

const ARN = (name: string, version: string | number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`;

function behavior(pattern: string, target = 'site', extra: Partial<CacheBehavior> = {}): CacheBehavior {
  return {
    PathPattern: pattern,
    TargetOriginId: target,
    ViewerProtocolPolicy: 'allow-all',
    CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    LambdaFunctionAssociations: { Quantity: 0 },
    FunctionAssociations: { Quantity: 0 },
    ...extra,
  };
}

function config(behaviors: CacheBehavior[] = [behavior('/api/*'), behavior('/static/*')]): DistributionConfig {
  return {
    CallerReference: 'ref',
    Comment: 'site',
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'site.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', LambdaFunctionAssociations: { Quantity: 0 } },
    CacheBehaviors: { Quantity: behaviors.length, Items: behaviors },
    ContinuousDeploymentPolicyId: '',
    Staging: false,
    Logging: { Enabled: true, IncludeCookies: false, Bucket: 'logs.s3.amazonaws.com', Prefix: 'cf/' },
  };
}

const manifest = (m: Partial<ManifestInput>) =>
  parseManifest({ name: 'acme', functions: { edge: { handler: './h.ts' } }, behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'edge' } } }], ...m });

/** The plan, its changes as the plan document shows them (kind and address as text). */
function plan(m: ReturnType<typeof manifest>, c: DistributionConfig, extra: Partial<DistributionPlanInput> = {}) {
  const p = planDistribution({
    manifest: m,
    id: 'E1',
    etag: 'ETAG1',
    config: c,
    functionVersions: Object.fromEntries(Object.keys(m.functions).map((k) => [k, ARN(`acme-${k}`, 2)])),
    cachePolicyIds: Object.fromEntries(Object.keys(m.cachePolicies).map((k) => [k, `policy-${k}`])),
    ownedFunctionNames: Object.keys(m.functions).map((k) => `acme-${k}`),
    ...extra,
  });
  return { ...p, changes: p.changes.map(changeDocument) };
}

const onDefault = (c: DistributionConfig, ...items: { EventType: string; LambdaFunctionARN: string }[]) => {
  c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: items.length, Items: items.map((i) => ({ ...i, IncludeBody: false })) as never };
  return c;
};

describe('associations', () => {
  it('an empty slot is set; the rest of the config is carried over untouched', () => {
    const before = config();
    const p = plan(manifest({}), before);
    expect(p.changes).toEqual([{ action: 'create', kind: 'association', address: 'behaviors.*.viewer-request', after: { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 2), IncludeBody: false } }]);
    const { DefaultCacheBehavior: _a, ...restAfter } = p.config;
    const { DefaultCacheBehavior: _b, ...restBefore } = before;
    expect(restAfter).toEqual(restBefore);
    expect(before.DefaultCacheBehavior!.LambdaFunctionAssociations).toEqual({ Quantity: 0 }); // input not mutated
  });

  it('ours at another version is updated; at the same version nothing changes', () => {
    expect(plan(manifest({}), onDefault(config(), { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 1) })).changes.map((c) => c.action)).toEqual(['update']);
    expect(plan(manifest({}), onDefault(config(), { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 2) })).changes).toEqual([]);
  });

  it('a version not yet published always updates the association', () => {
    const m = manifest({});
    const p = plan(m, onDefault(config(), { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 2) }), { functionVersions: { edge: unknownVersion('acme-edge', 'arn:aws:lambda:us-east-1:123456789012:function:acme-edge') } });
    expect(p.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['update behaviors.*.viewer-request']);
  });

  it('a foreign Lambda@Edge function is a conflict, or replaced and recorded with --replace-foreign', () => {
    const c = onDefault(config(), { EventType: 'viewer-request', LambdaFunctionARN: ARN('auth', 9) });
    expect(plan(manifest({}), c).conflicts[0]).toMatch(/does not own: pass --replace-foreign/);
    const replaced = plan(manifest({}), c, { replaceForeign: true });
    expect(replaced.conflicts).toEqual([]);
    expect(replaced.changes[0]).toMatchObject({ action: 'update', replacedForeign: ARN('auth', 9) });
  });

  it('a CloudFront Function on the same viewer event is always refused, even with --replace-foreign', () => {
    const c = config([behavior('/static/*', 'site', { FunctionAssociations: { Quantity: 1, Items: [{ EventType: 'viewer-request', FunctionARN: 'arn:aws:cloudfront::1:function/x' }] } })]);
    const m = manifest({ behaviors: [{ pathPattern: '/static/*', adopt: true, triggers: { 'viewer-request': { function: 'edge' } } }] });
    expect(plan(m, c, { replaceForeign: true }).errors[0]).toMatch(/cannot share the behavior with the CloudFront Function x on viewer-request/);
  });

  it('our associations on events the manifest dropped are removed', () => {
    const c = onDefault(config(), { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 2) }, { EventType: 'origin-response', LambdaFunctionARN: ARN('acme-edge', 2) });
    expect(plan(manifest({}), c).changes.map((x) => `${x.action} ${x.address}`)).toEqual(['delete behaviors.*.origin-response']);
  });
});

describe('origins and behaviors', () => {
  const proxy = (pattern = '/fp/*') =>
    manifest({
      origins: { vendor: { domainName: 'fpcdn.io' } },
      behaviors: [{ pathPattern: pattern, origin: 'vendor', triggers: { 'origin-request': { function: 'edge' } } }],
    });

  it('creates the owned origin and a behavior targeting it', () => {
    const p = plan(proxy(), config());
    expect(p.changes.map((c) => `${c.action} ${c.kind} ${c.address}`)).toEqual([
      'create origin origins.ei-acme-vendor',
      'create association behaviors./fp/*.origin-request',
      'create behavior behaviors./fp/*',
    ]);
    expect(p.config.Origins!.Items!.map((o) => o.Id)).toEqual(['site', 'ei-acme-vendor']);
    expect(p.config.CacheBehaviors!.Items!.find((b) => b.PathPattern === '/fp/*')!.TargetOriginId).toBe('ei-acme-vendor');
    // Planning again on the result changes nothing.
    expect(plan(proxy(), p.config).changes).toEqual([]);
  });

  it('a foreign origin with our Id is a conflict', () => {
    const c = config();
    c.Origins!.Items!.push({ Id: 'ei-acme-vendor', DomainName: 'hand-made.example.com' });
    c.Origins!.Quantity = 2;
    expect(plan(proxy(), c).conflicts[0]).toMatch(/origin ei-acme-vendor already exists and was not created by edge-install/);
  });

  it('a new behavior goes before the existing ones that include it, after those it includes', () => {
    const p = plan(proxy('/api/v1/*'), config());
    expect(p.order).toEqual(['/api/v1/*', '/api/*', '/static/*']);
    expect(p.changes.find((c) => c.kind === 'behavior')!.position).toBe(0);
    const last = plan(proxy('/static/js/*'), config([behavior('/static/js/app-*'), behavior('/static/*')]));
    expect(last.order).toEqual(['/static/js/app-*', '/static/js/*', '/static/*']);
  });

  it('a partial overlap is shown as a warning', () => {
    const p = plan(proxy('/*.json'), config());
    expect(p.warnings.join('\n')).toMatch(/\/api\/\*/);
  });

  it('an existing behavior that is not ours is a conflict unless adopted; the default only gets triggers', () => {
    // A proxy (routed to an origin of its own) is never told to adopt the site's behavior: it would keep the site's origin.
    const proxied = plan(proxy('/api/*'), config()).conflicts[0]!;
    expect(proxied).toMatch(/behavior \/api\/\* already exists and is not owned.*choose another path/);
    expect(proxied).not.toContain('adopt');
    const onSitePaths = manifest({ behaviors: [{ pathPattern: '/api/*', origin: 'default', triggers: { 'origin-request': { function: 'edge' } } }] });
    expect(plan(onSitePaths, config()).conflicts[0]).toMatch(/behavior \/api\/\* already exists and is not owned.*adopt/);
    const adopted = manifest({ behaviors: [{ pathPattern: '/api/*', adopt: true, triggers: { 'origin-request': { function: 'edge' } } }] });
    const p = plan(adopted, config());
    expect(p.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create behaviors./api/*.origin-request']);
    expect(p.config.CacheBehaviors!.Items![0]).toEqual({ ...config().CacheBehaviors!.Items![0], LambdaFunctionAssociations: p.config.CacheBehaviors!.Items![0]!.LambdaFunctionAssociations });
  });

  it('owned behaviors and origins the manifest no longer has are removed', () => {
    const installed = plan(proxy(), config()).config;
    const p = plan(manifest({}), onDefault(installed, { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 2) }));
    expect(p.changes.map((c) => `${c.action} ${c.kind} ${c.address}`)).toEqual(['delete behavior behaviors./fp/*', 'delete origin origins.ei-acme-vendor']);
    expect(p.config.Origins!.Items!.map((o) => o.Id)).toEqual(['site']);
  });

  it("a distribution of 30+ behaviors and 30+ origins is planned under AWS's current defaults (75 and 100)", () => {
    const big = config(Array.from({ length: 40 }, (_, i) => behavior(`/b${i}/*`)));
    big.Origins = { Quantity: 35, Items: Array.from({ length: 35 }, (_, i) => ({ ...big.Origins!.Items![0]!, Id: `o${i}` })) };
    const p = plan(proxy(), big);
    expect(p.errors).toEqual([]);
    expect(p.config.CacheBehaviors!.Items!).toHaveLength(41);
    expect(p.config.Origins!.Items!).toHaveLength(36);
  });

  it("going over the account's quota is an error before any write; a distribution already over it is not", () => {
    const at75 = config(Array.from({ length: 75 }, (_, i) => behavior(`/b${i}/*`)));
    expect(plan(proxy(), at75).errors).toEqual([expect.stringMatching(/^the distribution would have 76 cache behaviors \(it has 75\); the account's CloudFront quota is 75 per distribution/)]);
    // An increase the account was granted (read from Service Quotas) is honoured.
    expect(plan(proxy(), at75, { quotas: { cacheBehaviors: 100, origins: 100, lambdaAssociations: 100 } }).errors).toEqual([]);
    // Already over (the quota lowered since, or unread): only what edge-install adds counts.
    const installed = plan(proxy(), at75, { quotas: { cacheBehaviors: 100, origins: 100, lambdaAssociations: 100 } }).config;
    expect(plan(proxy(), installed, { quotas: { cacheBehaviors: 50, origins: 100, lambdaAssociations: 100 } }).errors).toEqual([]);
    // Triggers per distribution count too.
    expect(plan(proxy(), config(), { quotas: { cacheBehaviors: 75, origins: 100, lambdaAssociations: 0 } }).errors).toEqual([expect.stringContaining('would have 1 Lambda@Edge triggers (it has 0)')]);
  });

  it('a Lambda@Edge viewer trigger cannot join a CloudFront Function on a viewer event of the same behavior (exit 2, with the choices); origin events can', () => {
    const withFunction = config();
    withFunction.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 1, Items: [{ EventType: 'viewer-response', FunctionARN: 'arn:aws:cloudfront::123456789012:function/security-headers' }] };
    // The manifest's trigger is viewer-request; the CloudFront Function is on viewer-response: still refused.
    const refused = plan(manifest({}), withFunction);
    expect(refused.errors).toEqual([
      'behavior *: the Lambda@Edge viewer-request trigger (functions.edge) cannot share the behavior with the CloudFront Function security-headers on viewer-response — CloudFront does not combine CloudFront Functions and Lambda@Edge in viewer events. Move the trigger to an origin event (origin-request or origin-response) if the handler allows it, or remove the CloudFront Function from this behavior',
    ]);
    expect(refused.changes).toEqual([]);
    const onOrigin = manifest({ behaviors: [{ pathPattern: '*', triggers: { 'origin-request': { function: 'edge' } } }] });
    expect(plan(onOrigin, withFunction).errors).toEqual([]);
  });

  it('members the SDK could not read block the write', () => {
    expect(plan(manifest({}), config(), { unknownMembers: ['FutureThing'] }).conflicts[0]).toMatch(/cannot read \(FutureThing\)/);
  });
});

describe('ownership of origins: the Id prefix alone is never enough', () => {
  // Integration "acme-two" is on the distribution too; its origin Id starts with "ei-acme-".
  const theirs = () => {
    const c = config([behavior('/two/*', 'ei-acme-two-up', { LambdaFunctionAssociations: { Quantity: 1, Items: [{ EventType: 'origin-request', LambdaFunctionARN: ARN('acme-two-main', 1), IncludeBody: false }] } })]);
    c.Origins!.Items!.push({ Id: 'ei-acme-two-up', DomainName: 'up.example.net' });
    c.Origins!.Quantity = 2;
    return c;
  };

  it("another integration whose name starts with ours keeps its origin, behavior and trigger", () => {
    const m = manifest({ behaviors: [{ pathPattern: '/e/*', origin: 'default', triggers: { 'origin-request': { function: 'edge' } } }] });
    const p = plan(m, theirs());
    expect(p.conflicts).toEqual([]);
    expect(p.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create behaviors./e/*.origin-request', 'create behaviors./e/*']);
    expect(p.config.Origins!.Items!.map((o) => o.Id)).toEqual(['site', 'ei-acme-two-up']);
    expect(p.ownedBefore).toEqual({ origins: [], behaviors: [], associations: [] });
    expect(p.ownedAfter.origins).toEqual([]);
    expect(p.ownedAfter.behaviors.map((b) => b.pathPattern)).toEqual(['/e/*']);
  });

  it("an origin a user named ei-<ours>-… is left alone; one a revision recorded, or our trigger's behavior used, goes when dropped", () => {
    const c = config([]);
    c.Origins = { Quantity: 2, Items: [...c.Origins!.Items!, { Id: 'ei-acme-thing', DomainName: 'thing.example.net' }] };
    const m = manifest({});
    expect(plan(m, c).changes.filter((x) => x.kind === 'origin')).toEqual([]);

    const recorded = { origins: [{ Id: 'ei-acme-thing', DomainName: 'thing.example.net' }], behaviors: [], associations: [] };
    expect(plan(m, c, { previous: recorded }).changes.filter((x) => x.kind === 'origin').map((x) => `${x.action} ${x.address}`)).toEqual(['delete origins.ei-acme-thing']);

    // No state dir: a behavior routed to ei-acme-old carries our function, so both were ours.
    const used = config([behavior('/old/*', 'ei-acme-old', { LambdaFunctionAssociations: { Quantity: 1, Items: [{ EventType: 'origin-request', LambdaFunctionARN: ARN('acme-edge', 1), IncludeBody: false }] } })]);
    used.Origins = { Quantity: 2, Items: [...used.Origins!.Items!, { Id: 'ei-acme-old', DomainName: 'old.example.net' }] };
    expect(plan(m, used).changes.map((x) => `${x.action} ${x.address}`)).toEqual(['create behaviors.*.viewer-request', 'delete behaviors./old/*', 'delete origins.ei-acme-old']);
  });

  it('no state dir, on a distribution it is on: an ei-<ours>-… origin no other integration could own is ours, even behind a behavior without triggers', () => {
    const c = onDefault(config([behavior('/v/*', 'ei-acme-up')]), { EventType: 'viewer-request', LambdaFunctionARN: ARN('acme-edge', 2) });
    c.Origins = { Quantity: 2, Items: [...c.Origins!.Items!, { Id: 'ei-acme-up', DomainName: 'vendor.example.net' }] };
    // The key left the manifest: behavior and origin go.
    expect(plan(manifest({}), c).changes.map((x) => `${x.action} ${x.address}`)).toEqual(['delete behaviors./v/*', 'delete origins.ei-acme-up']);
    // The key was renamed: the behavior is ours and moves to the new origin; no conflict.
    const renamed = plan(manifest({ origins: { up2: { domainName: 'vendor.example.net' } }, behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'edge' } } }, { pathPattern: '/v/*', origin: 'up2' }] }), c);
    expect(renamed.conflicts).toEqual([]);
    expect(renamed.changes.map((x) => `${x.action} ${x.address}`)).toEqual(['create origins.ei-acme-up2', 'update behaviors./v/*', 'delete origins.ei-acme-up']);
  });
});
