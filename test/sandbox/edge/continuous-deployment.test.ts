/**
 * Continuous deployment on the local edge, through real HTTP requests: a primary distribution
 * (the demo's) with a continuous deployment policy routes each request to itself or to its
 * staging distribution (header-based, weight-based with a seeded draw, sticky sessions on the
 * sandbox clock), the chosen config serves it with its own functions, cache and metrics, and
 * the staging distribution is not served at its own domain name.
 */
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  UpdateDistributionWithStagingConfigCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServedRequest } from '../../../src/sandbox/edge/data-plane.js';
import { SANDBOX_CD_COOKIE } from '../../../src/sandbox/edge/continuous-deployment.js';
import type { DistributionRecord } from '../../../src/sandbox/world.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { associate, publishFunction, rawRequest, startOrigin, type TestOrigin } from './helpers.js';
import { addStaging, attachPolicy, policyConfig, requestsOf, retargetOrigin } from './staging-helpers.js';

const ID = 'E1DEMO0EXAMPLE';
const DOMAIN = 'd111111abcdef8.cloudfront.net';
const POLICY = 'cd-policy-1';

let api: TestOrigin;
let other: TestOrigin;
let site: string;

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'edge-cd-site-'));
  writeFileSync(join(site, 'index.html'), '<h1>home</h1>');
  mkdirSync(join(site, 'static'));
  writeFileSync(join(site, 'static', 'app.js'), 'console.log(1)');
  api = await startOrigin();
  other = await startOrigin();
});

afterAll(async () => {
  await api.close();
  await other.close();
  rmSync(site, { recursive: true, force: true });
});

beforeEach(() => {
  api.seen.length = 0;
  other.seen.length = 0;
});

/** A sandbox serving the demo distribution, with every request's trace kept. */
async function sandbox(seed?: number): Promise<{ sb: TestSandbox; served: ServedRequest[]; edge: string }> {
  const served: ServedRequest[] = [];
  const sb = await startTestSandbox({
    ...INSTANT,
    edge: { origins: { 'api.example.com': api.url, 'other.example.com': other.url }, s3Dirs: { 'example-site-prod': site }, seed, onServed: (s) => served.push(s) },
  });
  return { sb, served, edge: sb.edgeUrls()[ID]! };
}

/** `name=value` of the stickiness cookie a response set. */
const stickyCookie = (response: Response): string | undefined => response.headers.get('set-cookie')?.split(';')[0];

describe('header-based routing', () => {
  let sb: TestSandbox;
  let served: ServedRequest[];
  let edge: string;
  let staging: DistributionRecord;

  beforeAll(async () => {
    ({ sb, served, edge } = await sandbox());
    staging = addStaging(sb.world, ID);
    attachPolicy(sb.world, ID, POLICY, policyConfig(staging.domainName, { header: 'aws-cf-cd-test', value: 'blue' }));
    // Only the staging's /api/* has a viewer-request function: it answers with what it saw.
    const arn = await publishFunction(sb, 'staging-echo', `
      exports.handler = async (event) => {
        const cf = event.Records[0].cf;
        const h = cf.request.headers;
        const body = JSON.stringify({ side: 'staging', config: cf.config, host: h.host[0].value, cd: h['aws-cf-cd-test'] ? h['aws-cf-cd-test'][0].value : null });
        return { status: '200', headers: { 'content-type': [{ key: 'Content-Type', value: 'application/json' }] }, body };
      };`);
    await associate(sb, staging.id, '/api/*', 'viewer-request', arn);
  });

  afterAll(async () => {
    await sb.close();
  });

  beforeEach(() => {
    served.length = 0;
    attachPolicy(sb.world, ID, POLICY, policyConfig(staging.domainName, { header: 'aws-cf-cd-test', value: 'blue' }));
  });

  it('runs the staging config only for requests carrying the header with the exact value, and tells its functions the staging distribution', async () => {
    const plain = await fetch(`${edge}/api/x`);
    expect(await plain.text()).toBe('origin says hi');
    const wrongValue = await fetch(`${edge}/api/x`, { headers: { 'aws-cf-cd-test': 'Blue' } });
    expect(await wrongValue.text()).toBe('origin says hi');
    expect(api.seen).toHaveLength(2);
    // The header name is HTTP's (any case); the value is compared exactly.
    const staged = await fetch(`${edge}/api/x`, { headers: { 'AWS-CF-CD-TEST': 'blue' } });
    expect(staged.status).toBe(200);
    expect(staged.headers.get('x-cache')).toBe('LambdaGeneratedResponse from cloudfront');
    const seen = (await staged.json()) as { side: string; config: { distributionId: string; distributionDomainName: string; eventType: string }; host: string; cd: string };
    expect(seen).toMatchObject({ side: 'staging', host: DOMAIN, cd: 'blue' });
    expect(seen.config).toMatchObject({ distributionId: staging.id, distributionDomainName: staging.domainName, eventType: 'viewer-request' });
    expect(api.seen).toHaveLength(2);
    expect(staged.headers.get('set-cookie')).toBeNull();

    expect(served.map((s) => [s.distributionId, s.servedBy, s.stagingDistributionId])).toEqual([
      [ID, 'primary', undefined],
      [ID, 'primary', undefined],
      [ID, 'staging', staging.id],
    ]);
    expect(served[0]!.steps[0]).toEqual({ stage: 'routing', detail: `primary ${ID} (no header aws-cf-cd-test: blue)` });
    expect(served[2]!.steps[0]).toEqual({ stage: 'routing', detail: `staging ${staging.id} (header aws-cf-cd-test: blue)` });
  });

  it('counts each request under the distribution that served it', async () => {
    const primaryBefore = requestsOf(sb.world, ID);
    const stagingBefore = requestsOf(sb.world, staging.id);
    await fetch(`${edge}/api/a`);
    await fetch(`${edge}/api/b`, { headers: { 'aws-cf-cd-test': 'blue' } });
    await fetch(`${edge}/api/c`, { headers: { 'aws-cf-cd-test': 'blue' } });
    expect(requestsOf(sb.world, ID) - primaryBefore).toBe(1);
    expect(requestsOf(sb.world, staging.id) - stagingBefore).toBe(2);
  });

  it('gives the staging distribution a cache of its own, cold at first', async () => {
    const get = (headers: Record<string, string> = {}) => fetch(`${edge}/static/app.js`, { headers });
    expect((await get()).headers.get('x-cache')).toBe('Miss from cloudfront');
    expect((await get()).headers.get('x-cache')).toBe('Hit from cloudfront');
    const stagedFirst = await get({ 'aws-cf-cd-test': 'blue' });
    expect(stagedFirst.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(await stagedFirst.text()).toBe('console.log(1)');
    expect((await get({ 'aws-cf-cd-test': 'blue' })).headers.get('x-cache')).toBe('Hit from cloudfront');
    expect((await get()).headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(served.map((s) => s.servedBy)).toEqual(['primary', 'primary', 'staging', 'staging', 'primary']);
  });

  it('sends everything to the primary while the policy is disabled', async () => {
    attachPolicy(sb.world, ID, POLICY, policyConfig(staging.domainName, { header: 'aws-cf-cd-test', value: 'blue' }, false));
    const response = await fetch(`${edge}/api/x`, { headers: { 'aws-cf-cd-test': 'blue' } });
    expect(await response.text()).toBe('origin says hi');
    expect(api.seen[0]!.headers['aws-cf-cd-test']).toBe('blue');
    expect(served[0]!.servedBy).toBe('primary');
    expect(served[0]!.steps[0]!.detail).toBe(`primary ${ID} (continuous deployment policy ${POLICY} is disabled)`);
  });

  it('does not serve the staging distribution at its own domain name or edge port', async () => {
    const before = requestsOf(sb.world, staging.id);
    const byHost = await rawRequest(`${edge}/api/x`, { headers: { host: staging.domainName, 'aws-cf-cd-test': 'blue' } });
    expect(byHost.status).toBe(403);
    expect(byHost.body).toContain('Bad request.');
    expect(byHost.headers['x-cache']).toBe('Error from cloudfront');
    // The staging got a listener when its config was written; it refuses the same way.
    const byPort = await fetch(`${sb.edgeUrls()[staging.id]}/api/x`);
    expect(byPort.status).toBe(403);
    expect(api.seen).toHaveLength(0);
    expect(requestsOf(sb.world, staging.id)).toBe(before);
    expect(served.map((s) => [s.distributionId, s.servedBy, s.status])).toEqual([
      [staging.id, 'staging', 403],
      [staging.id, 'staging', 403],
    ]);
    expect(served[0]!.steps[0]!.detail).toMatch(/is a staging distribution, which viewers cannot reach directly/);
  });
});

describe('weight-based routing', () => {
  /** The staging's api origin is other.example.com: where a request landed tells which config served it. */
  async function sides(seed: number, requests: number): Promise<{ sides: string[]; primaryCount: number; stagingCount: number; served: ServedRequest[] }> {
    const { sb, served, edge } = await sandbox(seed);
    try {
      const staging = addStaging(sb.world, ID, (config) => retargetOrigin(config, 'api', 'other.example.com'));
      attachPolicy(sb.world, ID, POLICY, policyConfig(staging.domainName, { weight: 0.15 }));
      const result: string[] = [];
      for (let i = 0; i < requests; i++) {
        const response = await fetch(`${edge}/api/r${i}`);
        expect(response.headers.get('set-cookie')).toBeNull();
        result.push(served.at(-1)!.servedBy);
      }
      return { sides: result, primaryCount: requestsOf(sb.world, ID), stagingCount: requestsOf(sb.world, staging.id), served };
    } finally {
      await sb.close();
    }
  }

  it('sends the weight’s share of requests to the staging distribution, the same requests for the same seed', async () => {
    const first = await sides(4, 200);
    const staged = first.sides.filter((s) => s === 'staging').length;
    // Seed 4: 29 of 200 (14.5%, for a weight of 15%): one draw per request, in arrival order.
    expect(staged).toBe(29);
    expect(other.seen).toHaveLength(29);
    expect(api.seen).toHaveLength(171);
    expect(first.stagingCount).toBe(29);
    expect(first.primaryCount).toBe(171);
    expect(first.served.filter((s) => s.servedBy === 'staging').every((s) => s.steps[0]!.detail.endsWith('(weight 15%)'))).toBe(true);
    const again = await sides(4, 200);
    expect(again.sides).toEqual(first.sides);
    const otherSeed = await sides(5, 200);
    expect(otherSeed.sides).not.toEqual(first.sides);
  });
});

describe('session stickiness', () => {
  let sb: TestSandbox;
  let served: ServedRequest[];
  let edge: string;
  let staging: DistributionRecord;
  const sticky = () => policyConfig(staging.domainName, { weight: 0.15, idleTtl: 300, maximumTtl: 900 });

  beforeAll(async () => {
    ({ sb, served, edge } = await sandbox(11));
    staging = addStaging(sb.world, ID, (config) => retargetOrigin(config, 'api', 'other.example.com'));
    attachPolicy(sb.world, ID, POLICY, sticky());
  });

  afterAll(async () => {
    await sb.close();
  });

  beforeEach(() => {
    served.length = 0;
  });

  /** New sessions until one lands on `side`: its cookie. */
  async function sessionOn(side: 'primary' | 'staging'): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const response = await fetch(`${edge}/api/new`);
      if (served.at(-1)!.servedBy === side) return stickyCookie(response)!;
    }
    throw new Error(`no ${side} session in 100 tries`);
  }

  const withCookie = (cookie: string, path = '/api/again') => fetch(`${edge}${path}`, { headers: { cookie: `theme=dark; ${cookie}` } });

  it('sets a cookie for each new session and keeps a viewer presenting it on the same side', async () => {
    const first = await fetch(`${edge}/api/first`);
    expect(first.headers.get('set-cookie')).toMatch(new RegExp(`^${SANDBOX_CD_COOKIE}=[0-9a-f]{32}; Max-Age=300; Path=/; HttpOnly$`));
    const toStaging = await sessionOn('staging');
    const toPrimary = await sessionOn('primary');
    api.seen.length = 0;
    other.seen.length = 0;
    served.length = 0;
    for (let i = 0; i < 10; i++) {
      const response = await withCookie(toStaging);
      expect(stickyCookie(response)).toBe(toStaging);
      expect(await response.text()).toBe('origin says hi');
    }
    for (let i = 0; i < 10; i++) expect(stickyCookie(await withCookie(toPrimary))).toBe(toPrimary);
    expect(other.seen).toHaveLength(10);
    expect(api.seen).toHaveLength(10);
    expect(served.slice(0, 10).every((s) => s.servedBy === 'staging' && s.steps[0]!.detail === `staging ${staging.id} (weight 15%, session continued)`)).toBe(true);
    expect(served.slice(10).every((s) => s.servedBy === 'primary')).toBe(true);
  });

  it('ends a session idle for IdleTTL on the sandbox clock', async () => {
    const cookie = await sessionOn('staging');
    await sb.advance(299_000);
    expect(stickyCookie(await withCookie(cookie))).toBe(cookie);
    expect(served.at(-1)!.servedBy).toBe('staging');
    await sb.advance(300_000);
    const renewed = await withCookie(cookie);
    expect(stickyCookie(renewed)).not.toBe(cookie);
    expect(served.at(-1)!.steps[0]!.detail).toMatch(/session idle past IdleTTL, new session\)$/);
  });

  it('ends a session at MaximumTTL even while it is active, and shortens the cookie to it', async () => {
    const cookie = await sessionOn('staging');
    // Seconds into the session on the sandbox clock (advanced by the test, never wall time).
    for (const sessionAge of [250, 500, 750]) {
      await sb.advance(250_000);
      const response = await withCookie(cookie);
      expect(stickyCookie(response)).toBe(cookie);
      expect(response.headers.get('set-cookie')).toContain(`Max-Age=${Math.min(300, 900 - sessionAge)}`);
    }
    await sb.advance(250_000);
    expect(stickyCookie(await withCookie(cookie))).not.toBe(cookie);
    expect(served.at(-1)!.steps[0]!.detail).toMatch(/session past MaximumTTL, new session\)$/);
  });

  it('resets every session when the policy is disabled and enabled again, sending all to the primary meanwhile', async () => {
    const cookie = await sessionOn('staging');
    attachPolicy(sb.world, ID, POLICY, policyConfig(staging.domainName, { weight: 0.15, idleTtl: 300, maximumTtl: 900 }, false));
    const disabled = await withCookie(cookie);
    expect(disabled.headers.get('set-cookie')).toBeNull();
    expect(served.at(-1)!.servedBy).toBe('primary');
    attachPolicy(sb.world, ID, POLICY, sticky());
    expect(stickyCookie(await withCookie(cookie))).not.toBe(cookie);
    expect(served.at(-1)!.steps[0]!.detail).toMatch(/new session\)$/);
  });
});

describe('with the control plane’s continuous deployment API', () => {
  it('routes per a policy made through the API, and after promotion serves everything from the primary, now with the staging’s config', async () => {
    const { sb, served, edge } = await sandbox();
    const cf = sb.cloudfront;
    const change = async (id: string, edit: (config: DistributionConfig) => void): Promise<void> => {
      const got = await cf.send(new GetDistributionConfigCommand({ Id: id }));
      edit(got.DistributionConfig!);
      await cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: got.ETag, DistributionConfig: got.DistributionConfig }));
    };
    try {
      // "You cannot use continuous deployment with a distribution that supports HTTP/3": the demo's does.
      await change(ID, (config) => (config.HttpVersion = 'http2'));
      const primaryEtag = (await cf.send(new GetDistributionConfigCommand({ Id: ID }))).ETag;
      const copy = await cf.send(new CopyDistributionCommand({ PrimaryDistributionId: ID, IfMatch: primaryEtag, Staging: true, CallerReference: 'cd-e2e' }));
      const stagingId = copy.Distribution!.Id!;
      await change(stagingId, (config) => (config.Origins!.Items!.find((o) => o.Id === 'api')!.DomainName = 'other.example.com'));
      const policy = await cf.send(
        new CreateContinuousDeploymentPolicyCommand({
          ContinuousDeploymentPolicyConfig: {
            StagingDistributionDnsNames: { Quantity: 1, Items: [copy.Distribution!.DomainName!] },
            Enabled: true,
            TrafficConfig: { Type: 'SingleHeader', SingleHeaderConfig: { Header: 'aws-cf-cd-e2e', Value: 'on' } },
          },
        }),
      );
      await change(ID, (config) => (config.ContinuousDeploymentPolicyId = policy.ContinuousDeploymentPolicy!.Id));

      await fetch(`${edge}/api/x`);
      await fetch(`${edge}/api/x`, { headers: { 'aws-cf-cd-e2e': 'on' } });
      expect([api.seen.length, other.seen.length]).toEqual([1, 1]);

      const primary = await cf.send(new GetDistributionConfigCommand({ Id: ID }));
      const staging = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
      await cf.send(new UpdateDistributionWithStagingConfigCommand({ Id: ID, StagingDistributionId: stagingId, IfMatch: `${primary.ETag}, ${staging.ETag}` }));
      // Promotion disables the policy: the header no longer matters, and the primary's config is the staging's.
      await fetch(`${edge}/api/x`, { headers: { 'aws-cf-cd-e2e': 'on' } });
      expect([api.seen.length, other.seen.length]).toEqual([1, 2]);
      expect(served.map((s) => [s.servedBy, s.stagingDistributionId])).toEqual([
        ['primary', undefined],
        ['staging', stagingId],
        ['primary', undefined],
      ]);
    } finally {
      await sb.close();
    }
  });
});
