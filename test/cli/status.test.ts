/** `status`: versions against the newest published, drift, secret, works without a state dir. */
import { GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { GetFunctionConfigurationCommand, PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { type Project, recipeProject, runCli } from '../helpers/cli.js';
import { stubNoCredentials } from '../helpers/no-credentials.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
});
afterEach(() => project.remove());

const args = (...rest: string[]) => [...rest, '--config', project.manifestPath, '--endpoint-url', sb.endpoint, ...(rest.includes('--state-dir') ? [] : ['--state-dir', project.stateDir])];

interface StatusDoc {
  secret: { name: string; exists: boolean };
  distributions: { id: string; status: string; inSync: boolean; lastRevision: string | null; associations: { pathPattern: string; eventType: string; version: string | null; latestVersion: string | null; state: string }[]; drift: string[] }[];
}

/** status --json --detailed-exitcode: 3 when not in sync (plain status exits 0 when it could report). */
async function status(...extra: string[]): Promise<{ code: number; doc: StatusDoc }> {
  const run = await runCli(args('status', '--json', '--detailed-exitcode', ...extra));
  return { code: run.code, doc: JSON.parse(run.stdout) as StatusDoc };
}

describe('status', () => {
  it('before attach: the trigger is missing, exit 3 with --detailed-exitcode', async () => {
    const { code, doc } = await status();
    expect(code).toBe(3);
    expect(doc.distributions[0]!.associations).toEqual([{ pathPattern: '*', eventType: 'viewer-request', function: 'edge-enforcer-enforcer', version: null, latestVersion: null, state: 'missing' }]);
  });

  it('after attach: in sync; a newer published version makes it stale', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const synced = await status();
    expect(synced.code).toBe(0);
    expect(synced.doc.distributions[0]).toMatchObject({ status: 'Deployed', inSync: true, drift: [] });
    expect(synced.doc.distributions[0]!.lastRevision).toMatch(/-E1DEMO0EXAMPLE$/);
    await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'edge-enforcer-enforcer', ZipFile: zipOf('other code') }));
    await sb.lambda.send(new PublishVersionCommand({ FunctionName: 'edge-enforcer-enforcer' }));
    const stale = await status();
    expect(stale.code).toBe(3);
    expect(stale.doc.distributions[0]!.associations[0]).toMatchObject({ version: '1', latestVersion: '2', state: 'stale' });
  });

  it('an owned part changed by hand is drift; without a state dir it is still seen from the markers', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const { DistributionConfig: c, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    c!.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 0 };
    await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: c }));
    const { code, doc } = await status();
    expect(code).toBe(3);
    expect(doc.distributions[0]!.drift).toEqual(expect.arrayContaining([expect.stringMatching(/since revision .*: trigger \* viewer-request was removed/), 'the manifest would create behaviors.*.viewer-request']));
    const fresh = await status('--state-dir', join(project.dir, 'no-state-here'));
    expect(fresh.doc.distributions[0]).toMatchObject({ lastRevision: null, inSync: false });
    expect(fresh.doc.distributions[0]!.associations[0]!.state).toBe('missing');
  });
});

describe('exit codes (issue 18: like plan)', () => {
  it('plain status exits 0 whenever it could report, in sync or not; --detailed-exitcode tells them apart', async () => {
    // Not in sync: nothing attached yet.
    const plain = await runCli(args('status'));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/missing/);
    expect((await runCli(args('status', '--json'))).code).toBe(0);
    expect((await runCli(args('status', '--detailed-exitcode'))).code).toBe(3);
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    expect((await runCli(args('status', '--detailed-exitcode'))).code).toBe(0);
    expect((await runCli(args('status'))).code).toBe(0);
  });

  it('a status that could not report is still 1, with or without --detailed-exitcode', async () => {
    // A profile that does not exist: every read fails before it is sent, so nothing is left in flight for the next test.
    const stub = stubNoCredentials();
    try {
      for (const extra of [[], ['--detailed-exitcode']]) {
        const run = await runCli(args('status', '--profile', 'status-nowhere', ...extra), { env: stub.files });
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toContain('profile status-nowhere not found');
      }
    } finally {
      stub.restore();
    }
  });
});

describe('a failure while waiting, after the write', () => {
  it('AccessDenied on GetDistribution ends the wait at once, keeps the change and says it is live', async () => {
    // The plan's read goes through; the waits after the write are refused.
    await sb.admin('POST', 'faults', { operation: 'GetDistribution', error: 'AccessDenied', status: 403, after: 1, times: 100 });
    const run = await runCli(args('attach', '--yes'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cloudfront GetDistribution E1DEMO0EXAMPLE: AccessDenied');
    expect(run.stderr).toMatch(/the change to E1DEMO0EXAMPLE is written and recorded/);
    expect(run.stderr).toContain('Fix: allow cloudfront:GetDistribution');
    const calls = (await sb.calls()).filter((c) => c.operation === 'GetDistribution' && c.error);
    expect(calls.length).toBeLessThan(20); // not polled until --wait-timeout
    await sb.admin('DELETE', 'faults');
    expect((await runCli(args('status'))).code).toBe(0);
  });
});

describe('a revision that cannot be recorded, after the write', () => {
  it('undoes nothing the live change uses, and says the change is live', async () => {
    // The distribution write is held; meanwhile the state dir stops taking revisions.
    await sb.hold({ operation: 'UpdateDistribution' });
    const run = runCli(args('attach', '--yes'));
    await sb.waitUntilHeld('UpdateDistribution');
    mkdirSync(join(project.stateDir, 'edge-enforcer'), { recursive: true });
    writeFileSync(join(project.stateDir, 'edge-enforcer', 'revisions'), 'not a directory');
    await sb.release();
    const { code, stderr } = await run;
    await sb.admin('DELETE', 'faults');
    expect(code).toBe(1);
    expect(stderr).toMatch(/the change to E1DEMO0EXAMPLE is live \(ETag [A-Z0-9]+\), but its revision could not be recorded in .*nothing was undone/);
    expect(stderr).not.toMatch(/undone:|was not changed/);
    // What the live trigger runs is still there.
    const live = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN!;
    expect(live).toMatch(/:edge-enforcer-enforcer:1$/);
    expect((await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: live }))).State).toBe('Active');
    expect((await sb.iam.send(new GetRoleCommand({ RoleName: 'edge-enforcer-edge' }))).Role).toBeDefined();
  });
});

describe('attach --verify-url', () => {
  it('fails with exit 1 when the URL answers 5xx, and passes on 2xx', async () => {
    let answer = 200;
    const server = createServer((_req, res) => res.writeHead(answer).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const passed = await runCli(args('attach', '--yes', '--verify-url', url));
      expect(passed.code).toBe(0);
      expect(passed.stderr).toContain(`${url} answered 200`);
      // A change worth deploying (a new version), and a site that now answers 502.
      const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8')) as { functions: { enforcer: { timeout: number } } };
      manifest.functions.enforcer.timeout = 4;
      writeFileSync(project.manifestPath, JSON.stringify(manifest));
      answer = 502;
      const failed = await runCli(args('attach', '--yes', '--verify-url', url));
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`verification failed: GET ${url} answered 502`);
      // The change is live: what it uses stays (the new version, the role), and the message says so.
      expect(failed.stderr).toMatch(/the change to E1DEMO0EXAMPLE is written and recorded \(revision [^)]+\): check it with edge-install status/);
      expect(failed.stderr).not.toContain('was not changed');
      expect(failed.stderr).not.toContain('undone');
      const live = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN!;
      expect(live).toMatch(/:edge-enforcer-enforcer:2$/);
      expect((await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: live }))).Timeout).toBe(4);
      expect((await runCli(args('status'))).code).toBe(0);
    } finally {
      server.close();
    }
  });
});
