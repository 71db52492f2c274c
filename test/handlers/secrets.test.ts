/**
 * GetSecretValue without the SDK, against the sandbox's Secrets Manager (json 1.1, SigV4
 * scope routing): values, the region a replica is read in, the endpoint variables, and errors
 * that say what failed without ever quoting the value.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretSource } from '../../handlers/shared/secret-source.js';
import { parseSecretJson, readSecretValues, SecretReadError, secretReadRegion, secretsManagerEndpoint, secretValue, getSecretString } from '../../handlers/shared/secrets.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { captureConsole } from './helpers.js';

const VALUE = 'sm-value-0b7c9e-never-in-an-error';
let sb: TestSandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: sb.endpoint, AWS_ACCESS_KEY_ID: 'ASIAEDGEFUNCTION', AWS_SECRET_ACCESS_KEY: 'edge-secret-key', AWS_SESSION_TOKEN: 'edge-session-token', AWS_REGION: 'us-east-1' };
});

/** A fetch that records the region of each call's SigV4 scope, then sends it. */
function recordingFetch() {
  const regions: string[] = [];
  const recording: typeof fetch = (input, init) => {
    const auth = (init?.headers as Record<string, string>).authorization!;
    regions.push(/Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)![1]!);
    return fetch(input, init);
  };
  return { fetch: recording, regions };
}

describe('reading the secret', () => {
  it('returns the key/value pairs, keys case-insensitive', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: VALUE, Fpjs_Behavior_Path: 'fpjs', N: 3 }) }));
    const values = await readSecretValues({ secretName: 'edge-install/fp-proxy', secretRegion: 'us-east-1' }, { env });
    expect(secretValue(values, 'fpjs_pre_shared_secret')).toBe(VALUE);
    expect(secretValue(values, 'FPJS_BEHAVIOR_PATH')).toBe('fpjs');
    expect(secretValue(values, 'n')).toBe('3');
    expect(secretValue(values, 'missing')).toBeUndefined();
  });

  it('reads SecretBinary too', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'bin', SecretBinary: Buffer.from(JSON.stringify({ K: VALUE })) }));
    expect(secretValue(await readSecretValues({ secretName: 'bin', secretRegion: 'us-east-1' }, { env }), 'k')).toBe(VALUE);
  });

  it('reads the replica in the function’s own region when the manifest lists one, else the home region', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'replicated', SecretString: JSON.stringify({ K: VALUE }), AddReplicaRegions: [{ Region: 'eu-central-1' }] }));
    const settings = { secretName: 'replicated', secretRegion: 'us-east-1', secretReplicaRegions: ['eu-central-1'] };
    for (const [here, expected] of [
      ['eu-central-1', 'eu-central-1'],
      ['ap-south-1', 'us-east-1'],
      ['us-east-1', 'us-east-1'],
    ] as const) {
      const recorder = recordingFetch();
      const values = await readSecretValues(settings, { env: { ...env, AWS_REGION: here }, fetch: recorder.fetch });
      expect(secretValue(values, 'K')).toBe(VALUE);
      expect(recorder.regions, here).toEqual([expected]);
    }
  });

  it('region choice: the replica here, else home; AWS_DEFAULT_REGION when AWS_REGION is unset', () => {
    const settings = { secretName: 's', secretRegion: 'us-east-1', secretReplicaRegions: ['eu-west-1', 'ap-northeast-1'] };
    expect(secretReadRegion(settings, { AWS_REGION: 'eu-west-1' })).toBe('eu-west-1');
    expect(secretReadRegion(settings, { AWS_REGION: 'ap-northeast-1' })).toBe('ap-northeast-1');
    expect(secretReadRegion(settings, { AWS_REGION: 'sa-east-1' })).toBe('us-east-1');
    expect(secretReadRegion(settings, {})).toBe('us-east-1');
    expect(secretReadRegion(settings, { AWS_DEFAULT_REGION: 'eu-west-1' })).toBe('eu-west-1');
    expect(secretReadRegion({ secretName: 's', secretRegion: 'eu-west-2' }, { AWS_REGION: 'eu-west-2' })).toBe('eu-west-2');
  });

  it('endpoint: AWS_ENDPOINT_URL_SECRETS_MANAGER, then AWS_ENDPOINT_URL, else the regional AWS endpoint', () => {
    expect(secretsManagerEndpoint('eu-west-1', {}).href).toBe('https://secretsmanager.eu-west-1.amazonaws.com/');
    expect(secretsManagerEndpoint('eu-west-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }).href).toBe('http://127.0.0.1:1/');
    expect(secretsManagerEndpoint('eu-west-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:2' }).href).toBe('http://127.0.0.1:2/');
  });
});

describe('secretSource: the cache a handler builds from its baked settings', () => {
  it('reads the named secret once per secretTtlSeconds', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/x', SecretString: JSON.stringify({ K: VALUE }) }));
    let t = 0;
    const cache = secretSource({ secretName: 'edge-install/x', secretRegion: 'us-east-1', secretReplicaRegions: [], secretTtlSeconds: 60 }, { env, now: () => t });
    expect(secretValue(await cache.get(), 'k')).toBe(VALUE);
    t += 59_999;
    await cache.get();
    expect(cache.reads).toBe(1);
    t += 1;
    await cache.get();
    expect(cache.reads).toBe(2);
  });
});

describe('errors say what failed, never the value', () => {
  it('a missing secret: the AWS error code and message', async () => {
    const error = await getSecretString({ secretName: 'nope', secretRegion: 'us-east-1' }, { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretReadError);
    expect((error as SecretReadError).code).toBe('ResourceNotFoundException');
    expect((error as Error).message).toMatch(/^GetSecretValue nope in us-east-1: 400 ResourceNotFoundException/);
  });

  it('a value that is not JSON (JSON.parse would quote it)', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'plain', SecretString: `${VALUE} is not json` }));
    const { output, result } = await captureConsole(() => readSecretValues({ secretName: 'plain', secretRegion: 'us-east-1' }, { env }).catch((e: unknown) => e));
    expect((result as SecretReadError).code).toBe('InvalidSecret');
    expect(String((result as Error).message) + String((result as Error).stack)).not.toContain(VALUE);
    expect(output).not.toContain(VALUE);
    expect(() => parseSecretJson(`["${VALUE}"]`)).toThrow('not a JSON object');
  });

  it('no credentials in the environment', async () => {
    const error = await getSecretString({ secretName: 's', secretRegion: 'us-east-1' }, { env: { AWS_ENDPOINT_URL: sb.endpoint } }).catch((e: unknown) => e);
    expect((error as SecretReadError).code).toBe('NoCredentials');
  });

  it('no secret configured in the bundle', async () => {
    const error = await getSecretString({}, { env }).catch((e: unknown) => e);
    expect((error as SecretReadError).code).toBe('NotConfigured');
  });

  it('a timeout and a refused connection', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer(() => {}).on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const timeout = await getSecretString({ secretName: 's', secretRegion: 'us-east-1' }, { env: { ...env, AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}` }, timeoutMs: 100 }).catch((e: unknown) => e);
    expect((timeout as SecretReadError).code).toBe('Timeout');
    expect((timeout as Error).message).toContain('no answer within 100 ms');
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
    const refused = await getSecretString({ secretName: 's', secretRegion: 'us-east-1' }, { env: { ...env, AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}` } }).catch((e: unknown) => e);
    expect((refused as SecretReadError).code).toBe('NetworkError');
    expect((refused as Error).message).toContain('ECONNREFUSED');
  });
});
