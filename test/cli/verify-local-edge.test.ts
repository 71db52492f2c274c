/**
 * `attach --verify-url` against the local edge: after Deployed, the request goes through the
 * sandbox's data plane and the function just attached — a good one passes, one that throws
 * is CloudFront's 503 and fails the attach (rolled back with --rollback-on-failure).
 */
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fpProxyProject, runCli, type Project } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startOrigin, type TestOrigin } from '../sandbox/edge/helpers.js';

const ID = 'E1DEMO0EXAMPLE';
let sb: TestSandbox;
let vendor: TestOrigin;
let site: string;
let project: Project | undefined;

beforeAll(async () => {
  vendor = await startOrigin();
  site = mkdtempSync(join(tmpdir(), 'verify-site-'));
  writeFileSync(join(site, '404.html'), 'site 404');
  sb = await startTestSandbox({ delays: { deployMs: 200, lambdaStateMs: 0, iamPropagationMs: 0 }, edge: { origins: { 'fpcdn.io': vendor.url }, s3Dirs: { 'example-site-prod': site } } });
});
afterAll(async () => {
  await sb.close();
  await vendor.close();
  rmSync(site, { recursive: true, force: true });
});
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  project = fpProxyProject([ID]);
  // Passes requests and responses through (the project's own handler answers only request events).
  writeFileSync(join(project.dir, 'handler.ts'), 'export const handler = async (event: any) => event.Records[0].cf.response ?? event.Records[0].cf.request;');
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'verify-secret' }) }));
});
afterEach(() => project?.remove());

const args = (...more: string[]) => [...more, '--config', project!.manifestPath, '--state-dir', project!.stateDir, '--endpoint-url', sb.endpoint];
const config = async () => (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig;

describe('attach --verify-url on the local edge', () => {
  it('passes when the request through the new behavior and its function answers 2xx', async () => {
    const url = `${sb.edgeUrls()[ID]}/fpjs-abc/agent?apiKey=k`;
    const run = await runCli(args('attach', '--yes', '--verify-url', url));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stderr).toContain(`${url} answered 200`);
    // It went through the data plane: the vendor's host (mapped) got it from CloudFront.
    expect(vendor.seen.at(-1)!.headers.via).toMatch(/cloudfront\.net \(CloudFront\)/);
    const logged = sb.world.logGroups.filter((g) => g.name === '/aws/lambda/us-east-1.fp-proxy-proxy');
    expect(logged.flatMap((g) => g.streams.flatMap((s) => s.events)).some((e) => e.message.startsWith('START RequestId:'))).toBe(true);
  });

  it('fails on the 503 a throwing function gets, and --rollback-on-failure takes the change back', async () => {
    writeFileSync(join(project!.dir, 'handler.ts'), 'export const handler = async () => { throw new Error("broken build"); };');
    const original = await config();
    const url = `${sb.edgeUrls()[ID]}/fpjs-abc/agent?apiKey=k`;
    const run = await runCli(args('attach', '--yes', '--verify-url', url, '--rollback-on-failure'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered 503; the owned parts of E1DEMO0EXAMPLE were rolled back/);
    expect(await config()).toEqual(original);
    // The proxy path is gone: the site's default behavior answers with its 404 page.
    const after = await fetch(url);
    expect(after.status).toBe(404);
    expect(await after.text()).toBe('site 404');
  });
});
