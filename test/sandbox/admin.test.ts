/**
 * The sandbox as a whole: the admin API (calls, faults, throttling, clock, state, reset),
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

  it('a 500 fault is retried by the SDK; a modeled 4xx fault arrives as its class', async () => {
    await sb.admin('POST', 'faults', { operation: 'GetDistribution', error: 'InternalFailure' });
    await sb.cloudfront.send(new GetDistributionCommand({ Id: ID }));
    expect((await sb.calls()).map((c) => c.status)).toEqual([500, 200]);
    await sb.admin('POST', 'faults', { operation: 'GetDistribution', error: 'AccessDenied', status: 403, times: 5 });
    await expectAwsError(sb.cloudfront.send(new GetDistributionCommand({ Id: ID })), AccessDenied, 403);
  });

  it('throttling at rate 0.3 is absorbed by the SDK retry, for XML and JSON services', async () => {
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
    const response = await fetch(`${sb.endpoint}/`, { headers: signed('s3') });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("does not emulate the service 's3'");
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

  it.skipIf(!awsCli)('the AWS CLI works with --endpoint-url', { timeout: 60_000 }, async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDSANDBOX', AWS_SECRET_ACCESS_KEY: 'x', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const aws = async (...args: string[]) => JSON.parse((await run('aws', ['--endpoint-url', sb.endpoint, '--output', 'json', ...args], { env })).stdout) as Record<string, any>;
    const config = await aws('cloudfront', 'get-distribution-config', '--id', ID);
    expect(config.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(config.DistributionConfig.Origins.Items.map((o: { Id: string }) => o.Id)).toEqual(['site-s3', 'api']);
    const identity = await aws('sts', 'get-caller-identity');
    expect(identity.Account).toBe('123456789012');
    const functions = await aws('lambda', 'list-functions');
    expect(functions.Functions).toEqual([]);
  });
});
