/**
 * Issue 18, item 9: `rollback` and `detach` name the integration's cache policies by name, not
 * by the id CloudFront gave them — in their plan lines and field diffs — from the revisions,
 * and (detach) from the account when there is no revision to read. A policy import adopted is
 * shown by the user's name (or its id), never as one edge-install made.
 */
import { ListCachePoliciesCommand } from '@aws-sdk/client-cloudfront';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../src/cli/render/plan-text.js';
import { ownedPolicyNames } from '../../src/cli/render/policy-names.js';
import type { PlanDocument } from '../../src/plan/document.js';
import { runCli } from '../helpers/cli.js';
import { useFpProxyProject } from '../helpers/fp-proxy-sandbox.js';

const box = useFpProxyProject({ secret: { FPJS_PRE_SHARED_SECRET: 'policy-names-secret' } });

const cli = (...args: string[]) => runCli([...args, '--config', box.project.manifestPath, '--endpoint-url', box.sb.endpoint, ...(args.includes('--state-dir') ? [] : ['--state-dir', box.project.stateDir])]);

async function ownedPolicyId(): Promise<string> {
  const listed = await box.sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' }));
  return listed.CachePolicyList!.Items!.map((i) => i.CachePolicy!).find((p) => p.CachePolicyConfig!.Name === 'fp-proxy-proxy')!.Id!;
}

/** Every mention of the id is as `fp-proxy-proxy (<id>)` or `"<id>" (fp-proxy-proxy)`: never the id alone. */
function expectNamed(text: string, id: string): void {
  const mentions = text.split(id).length - 1;
  expect(mentions, text).toBeGreaterThan(0);
  const named = text.split(`fp-proxy-proxy (${id})`).length - 1 + (text.split(`"${id}" (fp-proxy-proxy)`).length - 1);
  expect(named, text).toBe(mentions);
}

describe('rollback and detach name the cache policy', () => {
  it('rollback: the behavior it removes names its cache policy', async () => {
    expect((await cli('attach', '--yes')).code).toBe(0);
    const id = await ownedPolicyId();
    const run = await cli('rollback', '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`cache policy fp-proxy-proxy (${id})`);
    expectNamed(run.stdout, id);
  });

  it('detach: from the revisions, and from the account without any', async () => {
    expect((await cli('attach', '--yes')).code).toBe(0);
    const id = await ownedPolicyId();
    const run = await cli('detach', '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expectNamed(run.stdout, id);
    const stateless = await cli('detach', '--dry-run', '--state-dir', join(box.project.dir, 'no-state'));
    expect(stateless.code, stateless.stderr).toBe(0);
    expect(stateless.stdout).toContain(`cache policy fp-proxy-proxy (${id})`);
    // The other mention is the command that deletes the kept policy, on a line that names it first.
    expect(stateless.stdout).toContain(`cache-policy fp-proxy-proxy: no revision records edge-install creating it`);
  });
});

/** A plan document of one behavior update on distribution E1: what the field diffs below render. */
const oneUpdate = (change: Record<string, unknown>): PlanDocument =>
  ({
    version: 1,
    integration: 'fp-proxy',
    resources: [],
    distributions: [{ id: 'E1', etag: 'ETAG', changes: [change], order: ['fpjs/*'], warnings: [], conflicts: [], errors: [] }],
    summary: { create: 0, update: 1, delete: 0 },
  }) as unknown as PlanDocument;

describe('the names in field diffs (pure)', () => {
  it('an update from one of the integration\'s policies to a managed one names both', () => {
    const document = oneUpdate({ action: 'update', kind: 'behavior', address: 'behaviors.fpjs/*', before: { PathPattern: 'fpjs/*', CachePolicyId: 'abc-123' }, after: { PathPattern: 'fpjs/*', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' } });
    const text = renderPlanText(document, { color: false, policyNames: ownedPolicyNames('fp-proxy', [{ cachePolicies: { proxy: 'abc-123' } }]) });
    expect(text).toContain('~ CachePolicyId: "abc-123" (fp-proxy-proxy) → "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" (CachingDisabled)');
  });

  it("a policy import adopted keeps the user's name: never the integration's, which would say edge-install made it", () => {
    const imported = { kind: 'import', cachePolicies: { proxy: 'adopted-1' }, adopted: ['function:fingerprint-lambda', 'secret:fp-settings', 'cache-policy:FingerprintProCDNCachePolicy-X'] };
    // The attach after it creates nothing for the adopted key (the manifest names the policy by id); promote-style carry-over keeps the id.
    const attached = { kind: 'attach', cachePolicies: { other: 'own-2' }, adopted: ['cache-policy:FingerprintProCDNCachePolicy-X'] };
    const carried = { kind: 'promote', cachePolicies: { proxy: 'adopted-1', other: 'own-2' } };
    const names = ownedPolicyNames('fp-proxy', [imported, attached, carried]);
    expect(names).toEqual({ 'adopted-1': 'FingerprintProCDNCachePolicy-X', 'own-2': 'fp-proxy-other' });
    const document = oneUpdate({ action: 'update', kind: 'behavior', address: 'behaviors.fpjs/*', before: { PathPattern: 'fpjs/*', CachePolicyId: 'own-2' }, after: { PathPattern: 'fpjs/*', CachePolicyId: 'adopted-1' } });
    const text = renderPlanText(document, { color: false, policyNames: names });
    expect(text).toContain('~ CachePolicyId: "own-2" (fp-proxy-other) → "adopted-1" (FingerprintProCDNCachePolicy-X)');
    expect(text).not.toContain('fp-proxy-proxy');
  });

  it('an adopted policy whose name the revision does not pair is shown by its id alone', () => {
    const names = ownedPolicyNames('fp-proxy', [{ kind: 'import', cachePolicies: { proxy: 'adopted-1', 'first-party': 'adopted-2' }, adopted: ['cache-policy:only-one'] }]);
    expect(names).toEqual({});
    // The account's name, when read, is the real one.
    expect(ownedPolicyNames('fp-proxy', [{ kind: 'import', cachePolicies: { proxy: 'adopted-1' } }], [{ kind: 'cache-policy', name: 'HandMade', id: 'adopted-1' }])).toEqual({ 'adopted-1': 'HandMade' });
  });

  it('what the account says wins over a name derived from an old revision', () => {
    expect(ownedPolicyNames('fp', [{ cachePolicies: { proxy: 'id1' } }], [{ kind: 'cache-policy', name: 'fp-renamed', id: 'id1' }, { kind: 'role', name: 'fp-edge' }])).toEqual({ id1: 'fp-renamed' });
  });
});
