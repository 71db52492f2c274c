/** `rollback`: back to exactly what was there, keeping unrelated edits; limited mode without state. */
import { GetDistributionConfigCommand, UpdateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, PASS_THROUGH_HANDLER, type Project, runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  project = fpProxyProject([ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
});
afterEach(() => project.remove());

const args = (...rest: string[]) => [...rest, '--config', project.manifestPath, '--endpoint-url', sb.endpoint, ...(rest.includes('--state-dir') ? [] : ['--state-dir', project.stateDir])];
const config = async (): Promise<DistributionConfig> => (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
const proxyTrigger = async () => (await config()).CacheBehaviors!.Items!.find((b) => b.PathPattern === 'fpjs-abc/*')?.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN;
const updatesDuring = async (work: () => Promise<unknown>) => {
  const before = (await sb.calls()).length;
  await work();
  return (await sb.calls()).slice(before).filter((c) => c.operation === 'UpdateDistribution' && c.status === 200).length;
};
const newHandlerCode = () => writeFileSync(join(project.dir, 'handler.ts'), `${PASS_THROUGH_HANDLER}\nexport const version = 2;\n`);

describe('rollback', () => {
  it('after one attach restores the original config exactly, in one UpdateDistribution', async () => {
    const original = await config();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    let run = { code: -1, stdout: '', stderr: '' };
    expect(await updatesDuring(async () => (run = await runCli(args('rollback', '--yes'))))).toBe(1);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('fpjs-abc/*');
    expect(await config()).toEqual(original);
  });

  it('attach, attach with new handler code, rollback: the first version is attached again', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:1$/);
    newHandlerCode();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:2$/);
    expect((await runCli(args('rollback', '--yes'))).code).toBe(0);
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:1$/);
  });

  it('keeps unrelated edits made since', async () => {
    const original = await config();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const { DistributionConfig: c, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    c!.Comment = 'edited after the attach';
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: c }));
    expect((await runCli(args('rollback', '--yes'))).code).toBe(0);
    expect(await config()).toEqual({ ...original, Comment: 'edited after the attach' });
  });

  it('stops when the owned parts drifted since the last revision, unless --force', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const { DistributionConfig: c, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    c!.Origins!.Items!.find((o) => o.Id === 'ei-fp-proxy-vendor')!.DomainName = 'changed-by-hand.example.com';
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: c }));
    const refused = await runCli(args('rollback', '--yes'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/origin ei-fp-proxy-vendor was changed.*--force/);
    expect((await runCli(args('rollback', '--yes', '--force'))).code).toBe(0);
    expect((await config()).Origins!.Items!.map((o) => o.Id)).toEqual(['site-s3', 'api']);
  });

  it('without a state dir: limited mode, each trigger back to the previous published version', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    newHandlerCode();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const run = await runCli(args('rollback', '--yes', '--state-dir', join(project.dir, 'fresh-machine')));
    expect(run.code, run.stderr).toBe(0);
    // The plan says which mode it is in and what each trigger goes back to.
    expect(run.stdout).toContain('limited mode');
    expect(run.stdout).toContain('version 2 → 1');
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:1$/);
  });

  it('--to a named revision; an unknown one is exit 2', async () => {
    expect((await runCli(args('attach', '--yes', '--json'))).code).toBe(0);
    const first = JSON.parse((await runCli(args('status', '--json'))).stdout).distributions[0].lastRevision as string;
    newHandlerCode();
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    expect((await runCli(args('rollback', '--yes', '--to', first))).code).toBe(0);
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:1$/);
    const unknown = await runCli(args('rollback', '--yes', '--to', 'no-such-revision'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no such revision');
  });

  it('attach --rollback-on-failure puts the owned parts back when --verify-url fails', async () => {
    const original = await config();
    const server = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const run = await runCli(args('attach', '--yes', '--verify-url', url, '--rollback-on-failure'));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/answered 503; the owned parts of E1DEMO0EXAMPLE were rolled back to how they were before this attach; (undone|could not undo)/);
      expect(run.stderr).not.toContain('was not changed');
      expect(run.stderr).not.toContain('step "resources"');
      expect(await config()).toEqual(original);
    } finally {
      server.close();
    }
  });
});
