/**
 * The sandbox as a whole: the admin API (calls, faults and holds, throttling, clock, state, reset),
 * persistence across restarts, bad input on every protocol, and other AWS clients
 * (AWS_ENDPOINT_URL, the AWS CLI).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AccessDenied,
  CloudFrontClient,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { expectAwsError } from '../helpers/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterEach(() => sb.admin('POST', 'reset'));
afterAll(() => sb.close());

async function touchDistribution(client: CloudFrontClient = sb.cloudfront, comment = 'touched') {
  const { DistributionConfig, ETag } = await client.send(new GetDistributionConfigCommand({ Id: ID }));
  DistributionConfig!.Comment = comment;
  return client.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig }));
}

describe('admin API', () => {
  it('health answers 200', async () => {
    expect(await sb.admin('GET', 'health')).toEqual({ status: 'ok' });
  });

  it('records every call, marking the mutating ones', async () => {
    await touchDistribution();
    expect(await sb.calls()).toEqual([
      { seq: 1, service: 'cloudfront', operation: 'GetDistributionConfig', status: 200, error: null, mutating: false },
      { seq: 2, service: 'cloudfront', operation: 'UpdateDistribution', status: 200, error: null, mutating: true },
    ]);
  });

  it('a fault fails the (after+1)-th next call of an operation with the AWS error', async () => {
    await sb.admin('POST', 'faults', { operation: 'UpdateDistribution', error: 'InternalFailure', after: 1 });
    const noRetry = new CloudFrontClient({ ...sb.clientConfig(), maxAttempts: 1 });
    await touchDistribution(noRetry, 'first');
    const error = await touchDistribution(noRetry, 'second').catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
    expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    await touchDistribution(noRetry, 'third');
    const updates = (await sb.calls()).filter((c) => c.operation === 'UpdateDistribution');
    expect(updates.map((c) => [c.status, c.error])).toEqual([
      [200, null],
      [500, 'InternalFailure'],
      [200, null],
    ]);
    const config = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    expect(config.DistributionConfig!.Comment).toBe('third');
    noRetry.destroy();
  });

  it('"afterRunning" fails a call after it ran: the change is made and the client hears the error (a lost answer)', async () => {
    await sb.admin('POST', 'faults', { operation: 'UpdateDistribution', error: 'InternalFailure', afterRunning: true });
    const noRetry = new CloudFrontClient({ ...sb.clientConfig(), maxAttempts: 1 });
    const error = await touchDistribution(noRetry, 'made, answer lost').catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
    expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.Comment).toBe('made, answer lost');
    expect((await sb.calls()).filter((c) => c.operation === 'UpdateDistribution').map((c) => [c.status, c.error, c.mutating])).toEqual([[500, 'InternalFailure', true]]);
    noRetry.destroy();
    const post = await fetch(`${sb.endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ operation: 'GetDistribution', hold: true, afterRunning: true }) });
    expect(post.status).toBe(400);
  });

  it('a 500 fault is retried by the SDK; a modeled 4xx fault arrives as its class', async () => {
    await sb.admin('POST', 'faults', { operation: 'GetDistribution', error: 'InternalFailure' });
    await sb.cloudfront.send(new GetDistributionCommand({ Id: ID }));
    expect((await sb.calls()).map((c) => c.status)).toEqual([500, 200]);
    await sb.admin('POST', 'faults', { operation: 'GetDistribution', error: 'AccessDenied', status: 403, times: 5 });
    await expectAwsError(sb.cloudfront.send(new GetDistributionCommand({ Id: ID })), AccessDenied, 403);
  });

  describe('holds', () => {
    const getConfig = (client: CloudFrontClient = sb.cloudfront, options?: { abortSignal: AbortSignal }) =>
      client.send(new GetDistributionConfigCommand({ Id: ID }), options);

    it('a held call stays open until released, then runs normally and is logged', async () => {
      await sb.hold({ operation: 'UpdateDistribution' });
      const { DistributionConfig, ETag } = await getConfig();
      DistributionConfig!.Comment = 'held';
      const update = sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig }));
      const [held] = await sb.waitUntilHeld('UpdateDistribution');
      expect(await sb.held()).toEqual([{ id: held!.id, service: 'cloudfront', operation: 'UpdateDistribution' }]);
      // Not run yet: no call record, and the config is unchanged. Other calls go through.
      expect((await sb.calls()).map((c) => c.operation)).toEqual(['GetDistributionConfig']);
      expect((await getConfig()).DistributionConfig!.Comment).toBe('example.com production site');

      expect(await sb.release()).toBe(1);
      // release answers once the call is back on its way: it has already run.
      expect((await sb.calls()).map((c) => [c.operation, c.status])).toEqual([
        ['GetDistributionConfig', 200],
        ['GetDistributionConfig', 200],
        ['UpdateDistribution', 200],
      ]);
      const out = await update;
      expect(out.Distribution!.DistributionConfig!.Comment).toBe('held');
      expect(await sb.held()).toEqual([]);
      expect(await sb.admin('GET', 'faults')).toEqual([]);
    });

    it('"hold": "after" runs the call, records it and holds only its answer (a client killed now never hears of the change)', async () => {
      await sb.admin('POST', 'faults', { operation: 'UpdateDistribution', hold: 'after' });
      const { DistributionConfig: config, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
      config!.Comment = 'changed while its answer is held';
      const pending = sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: config }));
      await sb.waitUntilHeld('UpdateDistribution');
      // The change is made and logged already; only the answer waits.
      expect((await sb.calls()).at(-1)).toMatchObject({ operation: 'UpdateDistribution', status: 200, mutating: true });
      const other = new CloudFrontClient(sb.clientConfig());
      expect((await other.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.Comment).toBe('changed while its answer is held');
      other.destroy();
      expect(await sb.release()).toBe(1);
      expect((await pending).ETag).toBeDefined();
    });

    it('after and times: lets `after` calls through, then holds `times` calls', async () => {
      await sb.hold({ operation: 'GetDistributionConfig', after: 1, times: 2 });
      await getConfig();
      const second = getConfig();
      const [first] = await sb.waitUntilHeld('GetDistributionConfig');
      expect(await sb.release({ id: first!.id })).toBe(1);
      await second;
      const third = getConfig();
      const [next] = await sb.waitUntilHeld('GetDistributionConfig');
      expect(next!.id).toBeGreaterThan(first!.id);
      expect(await sb.release({ operation: 'GetDistributionConfig' })).toBe(1);
      await third;
      await getConfig(); // the hold is used up: this one is not held
      expect((await sb.calls()).map((c) => c.status)).toEqual([200, 200, 200, 200]);
      expect(await sb.held()).toEqual([]);
    });

    it('lists held calls oldest first and releases by operation or id', async () => {
      await sb.hold({ operation: 'GetDistributionConfig' });
      await sb.hold({ operation: 'GetDistribution', service: 'cloudfront' });
      const config = getConfig();
      await sb.waitUntilHeld('GetDistributionConfig');
      const distribution = sb.cloudfront.send(new GetDistributionCommand({ Id: ID }));
      await sb.waitUntilHeld('GetDistribution');
      const held = await sb.held();
      expect(held.map((h) => h.operation)).toEqual(['GetDistributionConfig', 'GetDistribution']);
      expect(await sb.release({ id: 999 })).toBe(0);
      expect(await sb.release({ operation: 'GetDistribution' })).toBe(1);
      expect((await distribution).Distribution!.Id).toBe(ID);
      expect(await sb.held()).toEqual([held[0]]);
      expect(await sb.release({ id: held[0]!.id })).toBe(1);
      expect((await config).ETag).toBeTruthy();
      expect((await sb.calls()).map((c) => c.operation)).toEqual(['GetDistribution', 'GetDistributionConfig']);
    });

    it('a released call still meets the error fault it was counted against', async () => {
      const noRetry = new CloudFrontClient({ ...sb.clientConfig(), maxAttempts: 1 });
      await sb.hold({ operation: 'GetDistributionConfig' });
      await sb.admin('POST', 'faults', { operation: 'GetDistributionConfig', error: 'AccessDenied', status: 403 });
      const failed = expectAwsError(getConfig(noRetry), AccessDenied, 403);
      await sb.waitUntilHeld('GetDistributionConfig');
      expect(await sb.calls()).toEqual([]);
      expect(await sb.release()).toBe(1);
      await failed;
      expect((await sb.calls()).map((c) => [c.status, c.error])).toEqual([[403, 'AccessDenied']]);
      noRetry.destroy();
    });

    it('DELETE faults and reset release every held call', async () => {
      await sb.hold({ operation: 'GetDistributionConfig', times: 5 });
      const first = getConfig();
      await sb.waitUntilHeld('GetDistributionConfig');
      expect(await sb.admin('DELETE', 'faults')).toEqual({ cleared: true, released: 1 });
      expect((await first).ETag).toBeTruthy();
      expect(await sb.admin('GET', 'faults')).toEqual([]);
      await getConfig(); // no hold left

      await sb.hold({ operation: 'GetDistributionConfig', times: 5 });
      const second = getConfig();
      await sb.waitUntilHeld('GetDistributionConfig');
      await sb.admin('POST', 'reset');
      expect((await second).ETag).toBeTruthy();
      // The released call ran before the reset, so the fresh call log is empty.
      expect(await sb.calls()).toEqual([]);
      expect(await sb.held()).toEqual([]);
    });

    it('closing the sandbox releases held calls', async () => {
      const other = await startTestSandbox();
      await other.hold({ operation: 'GetDistributionConfig' });
      const client = new CloudFrontClient(other.clientConfig());
      const call = client.send(new GetDistributionConfigCommand({ Id: ID }));
      await other.waitUntilHeld('GetDistributionConfig');
      await other.close();
      // Released and answered before the connections closed.
      expect((await call).ETag).toBeTruthy();
      client.destroy();
    });

    it('a held call whose client goes away is dropped from the held list', async () => {
      await sb.hold({ operation: 'GetDistributionConfig' });
      const controller = new AbortController();
      const call = getConfig(sb.cloudfront, { abortSignal: controller.signal });
      await sb.waitUntilHeld('GetDistributionConfig');
      controller.abort();
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
      // The server learns of the disconnect asynchronously: wait for the hold to be gone.
      await sb.waitUntilNoneHeld();
      await getConfig(); // the hold was used by the dropped call
      expect((await sb.calls()).map((c) => c.operation)).toEqual(['GetDistributionConfig']);
    });

    it('GET held?wait= answers on the event: once a call of the operation is held, or once none is', async () => {
      await sb.hold({ operation: 'GetDistributionConfig' });
      // Asked before the call arrives: the answer waits for it.
      const waited = sb.waitUntilHeld('GetDistributionConfig');
      const call = getConfig();
      const [held] = await waited;
      expect(held).toMatchObject({ service: 'cloudfront', operation: 'GetDistributionConfig' });
      const none = sb.waitUntilNoneHeld();
      expect(await sb.release()).toBe(1);
      await none;
      expect((await call).ETag).toBeTruthy();
      // Already so: at once.
      expect(await sb.admin('GET', 'held?wait=none')).toEqual([]);
      const empty = await fetch(`${sb.endpoint}/_sandbox/held?wait=`);
      expect(empty.status).toBe(400);
    });

    it('a fault needs an operation and exactly one of error or hold: true; release checks its filter', async () => {
      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${sb.endpoint}/_sandbox/${path}`, { method: 'POST', body: JSON.stringify(body) });
        return { status: response.status, message: ((await response.json()) as { message?: string }).message };
      };
      expect(await post('faults', { operation: 'GetDistribution' })).toEqual({
        status: 400,
        message: 'a fault needs exactly one of "error" (an AWS error code) or "hold": true',
      });
      expect((await post('faults', { operation: 'GetDistribution', error: 'AccessDenied', hold: true })).status).toBe(400);
      expect(await post('faults', { operation: 'GetDistribution', hold: 'yes' })).toEqual({ status: 400, message: '"hold" must be true, "before" or "after"' });
      expect(await post('faults', { hold: true })).toEqual({ status: 400, message: 'a fault needs an "operation" string' });
      expect((await post('release', { id: 'one' })).status).toBe(400);
      expect((await post('release', { operation: 7 })).status).toBe(400);
      expect(await sb.admin('GET', 'faults')).toEqual([]);
    });
  });

  it('throttling at rate 0.3 is absorbed by the SDK retry, for XML and JSON services', { timeout: 300_000 }, async () => {
    await sb.admin('POST', 'throttle', { rate: 0.3, seed: 1 });
    const cloudfront = new CloudFrontClient({ ...sb.clientConfig(), maxAttempts: 8 });
    const lambda = new LambdaClient({ ...sb.clientConfig(), maxAttempts: 8 });
    for (let i = 0; i < 8; i++) {
      await cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
      await lambda.send(new ListFunctionsCommand({}));
    }
    const calls = await sb.calls();
    const throttled = calls.filter((c) => c.error);
    expect(new Set(throttled.map((c) => `${c.service} ${c.status} ${c.error}`))).toEqual(
      new Set(['cloudfront 400 Throttling', 'lambda 429 TooManyRequestsException']),
    );
    expect(calls.filter((c) => !c.error)).toHaveLength(16);
    expect(throttled.length / calls.length).toBeGreaterThan(0.15);
    expect(throttled.length / calls.length).toBeLessThan(0.45);
    cloudfront.destroy();
    lambda.destroy();
  });

  it('advance moves the clock: a deployment completes', async () => {
    await touchDistribution();
    const before = await sb.cloudfront.send(new GetDistributionCommand({ Id: ID }));
    expect(before.Distribution!.Status).toBe('InProgress');
    await sb.advance(sb.world.delays.deployMs);
    const after = await sb.cloudfront.send(new GetDistributionCommand({ Id: ID }));
    expect(after.Distribution!.Status).toBe('Deployed');
  });

  it('state dumps everything; reset restores the seed and clears the call log', async () => {
    await touchDistribution();
    const state = await sb.admin<{ cloudfront: { distributions: { id: string }[] } }>('GET', 'state');
    expect(state.cloudfront.distributions.map((d) => d.id)).toEqual([ID]);
    expect(await sb.admin('POST', 'reset')).toEqual({ distributionIds: [ID] });
    expect(await sb.calls()).toEqual([]);
    const config = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    expect(config.DistributionConfig!.Comment).toBe('example.com production site');
  });

  it('admin input errors are 400 and unknown routes 404', async () => {
    const bad = await fetch(`${sb.endpoint}/_sandbox/faults`, { method: 'POST', body: '{"operation":' });
    expect(bad.status).toBe(400);
    expect((await fetch(`${sb.endpoint}/_sandbox/throttle`, { method: 'POST', body: '{"rate":2}' })).status).toBe(400);
    expect((await fetch(`${sb.endpoint}/_sandbox/nothing`)).status).toBe(404);
    expect((await fetch(`${sb.endpoint}/_sandbox/health`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('state file', () => {
  it('survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestSandbox({ stateFile });
      await touchDistribution(first.cloudfront, 'persisted');
      const etag = (await first.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag;
      await first.close();
      const second = await startTestSandbox({ stateFile, seed: 'empty' });
      const config = await second.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
      expect(config.DistributionConfig!.Comment).toBe('persisted');
      expect(config.ETag).toBe(etag);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bad input gets the protocol error, never a crash or a hang', () => {
  const signed = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` });

  it('CloudFront: malformed XML is 400 MalformedXML in an ErrorResponse', async () => {
    const { ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const response = await fetch(`${sb.endpoint}/2020-05-31/distribution/${ID}/config`, {
      method: 'PUT',
      headers: { ...signed('cloudfront'), 'if-match': ETag! },
      body: '<DistributionConfig><Comment>unclosed</DistributionConfig>',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">');
    expect(body).toContain('<Code>MalformedXML</Code>');
  });

  it('CloudFront: unknown path 404, wrong method 405', async () => {
    const unknown = await fetch(`${sb.endpoint}/2020-05-31/nothing-here`, { headers: signed('cloudfront') });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('<Code>UnknownOperationException</Code>');
    const wrong = await fetch(`${sb.endpoint}/2020-05-31/distribution/${ID}/config`, { method: 'DELETE', headers: signed('cloudfront') });
    expect(wrong.status).toBe(405);
  });

  it('a request larger than the service accepts is refused with 413', async () => {
    const response = await fetch(`${sb.endpoint}/2020-05-31/distribution`, {
      method: 'POST',
      headers: signed('cloudfront'),
      body: Buffer.alloc(2 * 1024 * 1024, 'a'),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('<Code>RequestEntityTooLarge</Code>');
    expect(await sb.admin('GET', 'health')).toEqual({ status: 'ok' });
  });

  it('an unknown service in the credential scope is a 400', async () => {
    const response = await fetch(`${sb.endpoint}/`, { headers: signed('dynamodb') });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("does not emulate the service 'dynamodb'");
  });
});

describe('other AWS clients', () => {
  it('the SDK finds the sandbox through AWS_ENDPOINT_URL', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = sb.endpoint;
    try {
      const { endpoint: _endpoint, ...config } = sb.clientConfig();
      const client = new CloudFrontClient(config);
      const out = await client.send(new GetDistributionCommand({ Id: ID }));
      expect(out.Distribution!.Id).toBe(ID);
      client.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  const run = promisify(execFile);
  const awsCli = spawnSync('aws', ['--version']).status === 0;

  it.skipIf(!awsCli)('the AWS CLI works with --endpoint-url', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDSANDBOX', AWS_SECRET_ACCESS_KEY: 'x', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const aws = async (...args: string[]) => JSON.parse((await run('aws', ['--endpoint-url', sb.endpoint, '--output', 'json', ...args], { env })).stdout) as Record<string, any>;
    const config = await aws('cloudfront', 'get-distribution-config', '--id', ID);
    expect(config.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(config.DistributionConfig.Origins.Items.map((o: { Id: string }) => o.Id)).toEqual(['site-s3', 'api']);
    const identity = await aws('sts', 'get-caller-identity');
    expect(identity.Account).toBe('123456789012');
    const functions = await aws('lambda', 'list-functions');
    expect(functions.Functions).toEqual([]);
    // The operations added for adoption, secret rollback and quotas, through a second client.
    const quota = await aws('service-quotas', 'get-service-quota', '--service-code', 'cloudfront', '--quota-code', 'L-F432D044');
    expect(quota.Quota).toMatchObject({ QuotaName: 'Cache behaviors per distribution', Value: 75, GlobalQuota: true });
    const v1 = (await aws('secretsmanager', 'create-secret', '--name', 'cli/s', '--secret-string', 'one')).VersionId as string;
    const v2 = (await aws('secretsmanager', 'put-secret-value', '--secret-id', 'cli/s', '--secret-string', 'two')).VersionId as string;
    await aws('secretsmanager', 'update-secret-version-stage', '--secret-id', 'cli/s', '--version-stage', 'AWSCURRENT', '--move-to-version-id', v1, '--remove-from-version-id', v2);
    expect((await aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/s')).SecretString).toBe('one');
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await aws('iam', 'create-role', '--role-name', 'cli-role', '--assume-role-policy-document', trust);
    await run('aws', ['--endpoint-url', sb.endpoint, 'iam', 'tag-role', '--role-name', 'cli-role', '--tags', 'Key=a,Value=1'], { env });
    expect((await aws('iam', 'get-role', '--role-name', 'cli-role')).Role.Tags).toEqual([{ Key: 'a', Value: '1' }]);
    // A minimal distribution, created and listed by the CLI: CloudFront's defaults are in the summary.
    const minimal = {
      CallerReference: 'cli-minimal', Comment: '', Enabled: true,
      Origins: { Quantity: 1, Items: [{ Id: 'o', DomainName: 'origin.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
      DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'allow-all', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
    };
    const created = await aws('cloudfront', 'create-distribution', '--distribution-config', JSON.stringify(minimal));
    const listed = (await aws('cloudfront', 'list-distributions')).DistributionList.Items.find((d: { Id: string }) => d.Id === created.Distribution.Id);
    expect(listed).toMatchObject({ PriceClass: 'PriceClass_All', HttpVersion: 'http2', IsIPV6Enabled: false, Staging: false, WebACLId: '', Aliases: { Quantity: 0 } });
  });
});
