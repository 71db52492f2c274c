/**
 * `attach --watch` and `status --metrics` against the sandbox's local edge: real requests make
 * the metrics (AWS/CloudFront, AWS/Lambda per Region), read back with GetMetricData; an
 * upgrade whose new version fails is rolled back by the watch itself.
 */
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fpProxyProject, runCli, type Project } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startOrigin, type TestOrigin } from '../sandbox/edge/helpers.js';

const ID = 'E1DEMO0EXAMPLE';
let sb: TestSandbox;
let vendor: TestOrigin;
let project: Project;

const handler = (tag: string) => `export const handler = async (event: any) => { const cf = event.Records[0].cf; if (cf.response) return cf.response; cf.request.headers['x-build'] = [{ key: 'X-Build', value: '${tag}' }]; return cf.request; };`;

beforeAll(async () => {
  vendor = await startOrigin();
  sb = await startTestSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 }, edge: { origins: { 'fpcdn.io': vendor.url } } });
});
afterAll(async () => {
  await sb.close();
  await vendor.close();
});
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  await sb.admin('DELETE', 'edge-failures');
  project = fpProxyProject([ID]);
  writeFileSync(join(project.dir, 'handler.ts'), handler('one'));
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'watch-secret' }) }));
});
afterEach(() => project.remove());

const args = (...more: string[]) => [...more, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint];
const edge = () => sb.edgeUrls()[ID]!;
// A new apiKey each time: it is in the cache key, so every request runs the functions (no cache hit).
let sent = 0;
const send = (region = 'us-east-1') => fetch(`${edge()}/fpjs-abc/agent?apiKey=k${++sent}`, { headers: { 'x-sandbox-edge-region': region } }).then((r) => r.status);
const liveArn = async () => (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.CacheBehaviors!.Items!.find((b) => b.PathPattern === 'fpjs-abc/*')?.LambdaFunctionAssociations?.Items?.[0]?.LambdaFunctionARN;

/** Sends requests until `work` settles (the requests are what it watches): no clock, no count guessed. */
async function trafficUntil<T>(work: Promise<T>): Promise<T> {
  let settled = false;
  const done = work.finally(() => (settled = true));
  while (!settled) await send('eu-west-1');
  return done;
}

describe('attach --watch', () => {
  it('rolls back an upgrade whose new version fails, by itself, saying why with the numbers', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    for (let i = 0; i < 5; i++) expect(await send()).toBe(200);
    const before = await liveArn();
    // The upgrade: a new version (2), every invocation of which fails at the edge.
    writeFileSync(join(project.dir, 'handler.ts'), handler('two'));
    await sb.admin('POST', 'edge-failures', { function: 'fp-proxy-proxy', version: '2', rate: 1 });
    const run = await trafficUntil(runCli(args('attach', '--yes', '--watch', '10m', '--max-error-rate', '5%')));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('watching its Lambda@Edge errors for 10m (limit 5%)');
    expect(run.stderr).toMatch(/the change failed its watch: [\d.]+% Lambda@Edge errors \(\d+ of \d+ requests, \d+ of \d+ invocations\) against 0\.00% before the change, over the limit of 5\.00%/);
    expect(run.stderr).toContain('edge-install logs --errors --since');
    expect(run.stderr).toMatch(/rolled back/);
    expect(await liveArn()).toBe(before);
    expect(await send()).toBe(200);
  });

  it('keeps a healthy change and says what it saw', async () => {
    // The window is wall time by design (the shortest: 1s); nothing here depends on its length,
    // since the traffic runs until the attach returns, whatever the machine's speed.
    const run = await trafficUntil(runCli(args('attach', '--yes', '--watch', '1s')));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/watched: 0\.00% Lambda@Edge errors \(0 of [1-9]\d* requests, 0 of [1-9]\d* invocations\)/);
    expect(await liveArn()).toMatch(/:fp-proxy-proxy:1$/);
  });

  it('keeps the change when it cannot read the metrics, and says it judged nothing (exit 1, no rollback)', async () => {
    await sb.admin('POST', 'faults', { service: 'monitoring', operation: 'GetMetricData', error: 'AccessDenied', status: 403, times: 1000 });
    try {
      const run = await trafficUntil(runCli(args('attach', '--yes', '--watch', '10m', '--rollback-on-failure')));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/could not watch E1DEMO0EXAMPLE: its metrics could not be read in any Region \(AccessDenied\), so nothing was judged; allow cloudwatch:GetMetricData/);
      expect(run.stderr).toMatch(/the change to E1DEMO0EXAMPLE is written and recorded/);
      expect(run.stderr).not.toMatch(/rolled back/);
      expect(await liveArn()).toMatch(/:fp-proxy-proxy:1$/);
    } finally {
      await sb.admin('DELETE', 'faults');
    }
  });

  it.each([
    [['--watch', '10x'], '--watch 10x is not a window'],
    [['--watch', '5m', '--max-error-rate', '150%'], '--max-error-rate 150% is not a percentage'],
    [['--watch', '5m', '--no-wait'], 'cannot go with --no-wait'],
  ])('refuses %j with exit 2 before anything is written', async (flags, message) => {
    await sb.admin('DELETE', 'calls');
    const run = await runCli(args('attach', '--yes', ...flags));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect((await sb.calls()).filter((c) => c.mutating)).toEqual([]);
  });
});

describe('status --metrics', () => {
  it('sums the functions over the Regions that ran them, with the distribution’s requests and errors', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    for (const region of ['eu-west-1', 'eu-west-1', 'ap-south-1']) expect(await send(region)).toBe(200);
    await sb.admin('POST', 'edge-failures', { function: 'fp-proxy-proxy', rate: 1 });
    expect(await send('sa-east-1')).toBe(503);
    const run = await runCli(args('status', '--metrics', '--json'));
    const doc = JSON.parse(run.stdout) as { metrics: { distributions: { requests: number; errors: number; executionErrors: number }[]; functions: { name: string; invocations: number; errors: number; regions: string[] }[] } };
    expect(doc.metrics.distributions[0]).toMatchObject({ requests: 4, errors: 1, executionErrors: 1 });
    // Each request ran origin-request and origin-response (the failed one only origin-request).
    expect(doc.metrics.functions[0]).toMatchObject({ name: 'fp-proxy-proxy', invocations: 7, errors: 1, regions: ['ap-south-1', 'eu-west-1', 'sa-east-1'] });
    const text = await runCli(args('status', '--metrics'));
    expect(text.stdout).toMatch(/E1DEMO0EXAMPLE {2}4 requests {2}Lambda@Edge errors 1 \(25\.00%\)/);
    expect(text.stdout).toMatch(/fp-proxy-proxy {2}7 invocations {2}1 errors .* ~p50 [\d.]+ ms {2}p99 ≤ [\d.]+ ms/);
  });

  it('refuses a window it cannot read with exit 2', async () => {
    const run = await runCli(args('status', '--metrics', '--since', '5'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--since 5 is not a window');
  });
});
