/**
 * Steps 1–5 against the sandbox: created from empty, a re-run writes nothing, and each kind of
 * change makes exactly the calls it needs — never exposing a secret value.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyResources, type ResourceOutputs } from '../../src/apply/resources.js';
import { timingFor } from '../../src/aws/polling.js';
import { desiredSecretValues, digestValues } from '../../src/plan/secret-values.js';
import { createClients, type AwsClients } from '../../src/aws/clients.js';
import { observeResources } from '../../src/aws/observe/index.js';
import { newSecretDigest } from '../../src/aws/observe/secret.js';
import { ManifestSchema, type Manifest, type ManifestInput } from '../../src/manifest/schema.js';
import { planResources, resourceChanges } from '../../src/plan/resources.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

const SECRET = 'pre-shared-7c1f9a2e-never-print-me';
let sb: TestSandbox;
let clients: AwsClients;
const logLines: string[] = [];

function manifest(change: (m: ManifestInput) => void = () => {}): Manifest {
  const input: ManifestInput = {
    name: 'fp-proxy',
    secret: {
      name: 'edge-install/fp-proxy',
      keys: { FPJS_PRE_SHARED_SECRET: { sensitive: true }, FPJS_BEHAVIOR_PATH: { value: 'fpjs' } },
    },
    functions: { proxy: { handler: 'builtin:first-party-proxy', timeout: 10 } },
    origins: { vendor: { domainName: 'fpcdn.io' } },
    cachePolicies: { proxy: { minTtl: 0, defaultTtl: 180, maxTtl: 180, queryStrings: ['version', 'loaderVersion'] } },
    behaviors: [{ pathPattern: '/fpjs/*', origin: 'vendor', triggers: { 'origin-request': { function: 'proxy', includeBody: true } } }],
  };
  change(input);
  return ManifestSchema.parse(input);
}

const bundleOf = (zip: Buffer) => ({ codeSha256: createHash('sha256').update(zip).digest('base64'), codeSize: zip.length });

/** One pipeline run: observe → plan (pure) → apply. */
async function run(m: Manifest, given: Record<string, string> = {}, zip = zipOf('v1')) {
  const digest = newSecretDigest();
  const values = desiredSecretValues(m, given);
  const observed = await observeResources(clients, m, digest);
  const plan = planResources({ manifest: m, observed, bundles: { proxy: bundleOf(zip) }, desiredSecretDigests: digestValues(values, digest) });
  const outputs: ResourceOutputs = await applyResources(clients, plan, {
    observed,
    secretValues: values,
    zips: { proxy: zip },
    // AWS's own pacing (1 s, doubling) on the sandbox clock: the retries are the ones AWS would see.
    functionOptions: { timing: timingFor(undefined), sleep: (ms) => sb.advance(ms) },
  });
  return { plan, outputs };
}

async function mutatingCallsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const before = (await sb.calls()).length;
  await work();
  return (await sb.calls()).slice(before).filter((c) => c.mutating).map((c) => `${c.operation}${c.error ? ` ${c.error}` : ''}`);
}

beforeEach(async () => {
  if (!sb) {
    sb = await startTestSandbox({ seed: 'empty', delays: { lambdaStateMs: 0, iamPropagationMs: 800 } });
    clients = createClients({ endpointUrl: sb.endpoint, log: (line) => logLines.push(line) });
  } else {
    await sb.admin('POST', 'reset');
  }
});
afterAll(async () => {
  clients?.destroy();
  await sb?.close();
});

describe('resource steps', () => {
  it('create everything from empty, retrying while the new role propagates', async () => {
    const calls = await mutatingCallsDuring(() => run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET }));
    expect(calls).toEqual([
      'CreateSecret',
      'CreateRole',
      'PutRolePolicy',
      'CreateFunction InvalidParameterValueException',
      'CreateFunction',
      'PublishVersion',
      'CreateCachePolicy',
    ]);
    const stored = await sb.secrets.send(new GetSecretValueCommand({ SecretId: 'edge-install/fp-proxy' }));
    expect(JSON.parse(stored.SecretString!)).toEqual({ FPJS_PRE_SHARED_SECRET: SECRET, FPJS_BEHAVIOR_PATH: 'fpjs' });
    const fn = await sb.lambda.send(new GetFunctionCommand({ FunctionName: 'fp-proxy-proxy' }));
    expect(fn.Configuration).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 128, Timeout: 10, Handler: 'index.handler' });
    expect(fn.Configuration!.Environment).toBeUndefined();
    expect(fn.Tags).toEqual({ 'edge-install:integration': 'fp-proxy' });
  });

  it('a second run with nothing changed makes zero write calls and reuses the version', async () => {
    const first = await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    let second: Awaited<ReturnType<typeof run>> | undefined;
    expect(await mutatingCallsDuring(async () => (second = await run(manifest())))).toEqual([]);
    expect(resourceChanges(second!.plan).map((c) => c.action)).toEqual(['none', 'none', 'none', 'none', 'none']);
    expect(second!.outputs.functions.proxy).toEqual(first.outputs.functions.proxy);
    expect(second!.outputs.functions.proxy!.arn).toMatch(/:function:fp-proxy-proxy:1$/);
  });

  it('a changed handler produces exactly one new version', async () => {
    await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    let outputs: ResourceOutputs | undefined;
    const calls = await mutatingCallsDuring(async () => ({ outputs } = await run(manifest(), {}, zipOf('v2'))));
    expect(calls).toEqual(['UpdateFunctionCode', 'PublishVersion']);
    expect(outputs!.functions.proxy!.version).toBe('2');
    expect(await mutatingCallsDuring(() => run(manifest(), {}, zipOf('v2')))).toEqual([]);
  });

  it('changed settings update the configuration and publish', async () => {
    await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    const calls = await mutatingCallsDuring(() => run(manifest((m) => (m.functions.proxy!.memorySize = 256))));
    expect(calls).toEqual(['UpdateFunctionConfiguration', 'PublishVersion']);
  });

  it('a changed secret value is one PutSecretValue, and the value is never in the plan or the call log', async () => {
    await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    const rotated = `${SECRET}-rotated`;
    let plan: unknown;
    const calls = await mutatingCallsDuring(async () => ({ plan } = await run(manifest(), { FPJS_PRE_SHARED_SECRET: rotated })));
    expect(calls).toEqual(['PutSecretValue']);
    const stored = await sb.secrets.send(new GetSecretValueCommand({ SecretId: 'edge-install/fp-proxy' }));
    expect(JSON.parse(stored.SecretString!).FPJS_PRE_SHARED_SECRET).toBe(rotated);
    for (const text of [JSON.stringify(plan), logLines.join('\n'), JSON.stringify(await sb.calls())]) {
      expect(text).not.toContain(SECRET);
    }
    expect(logLines.some((line) => line.startsWith('aws secretsmanager.PutSecretValue ok'))).toBe(true);
  });

  it('a changed non-sensitive value keeps the stored sensitive one', async () => {
    await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    const calls = await mutatingCallsDuring(() => run(manifest((m) => (m.secret!.keys.FPJS_BEHAVIOR_PATH = { value: 'moved' }))));
    expect(calls).toEqual(['PutSecretValue']);
    const stored = await sb.secrets.send(new GetSecretValueCommand({ SecretId: 'edge-install/fp-proxy' }));
    expect(JSON.parse(stored.SecretString!)).toEqual({ FPJS_PRE_SHARED_SECRET: SECRET, FPJS_BEHAVIOR_PATH: 'moved' });
  });

  it('a missing sensitive value on first install is refused before any write, naming the region looked in', async () => {
    const calls = await mutatingCallsDuring(() =>
      expect(run(manifest())).rejects.toThrow(/The secret edge-install\/fp-proxy was not found in us-east-1, and no value is given for its key FPJS_PRE_SHARED_SECRET.*set secret.region/s),
    );
    expect(calls).toEqual([]);
  });

  it('a stored secret missing a sensitive value is refused before any write, saying how to store it', async () => {
    await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    const withNew = manifest((m) => (m.secret!.keys.NEW_TOKEN = { sensitive: true }));
    const calls = await mutatingCallsDuring(() => expect(run(withNew)).rejects.toThrow(/No value is stored or given for secret key NEW_TOKEN.*Store it with edge-install init .*--secrets-file/s));
    expect(calls).toEqual([]);
  });

  it('a changed cache policy is updated in place with If-Match', async () => {
    const { outputs } = await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    const calls = await mutatingCallsDuring(async () => {
      const { outputs: after } = await run(manifest((m) => (m.cachePolicies!.proxy!.defaultTtl = 120)));
      expect(after.cachePolicyIds).toEqual(outputs.cachePolicyIds);
    });
    expect(calls).toEqual(['UpdateCachePolicy']);
  });

  it('the role policy follows the functions: a new function updates it', async () => {
    await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    const withTwo = manifest((m) => {
      m.functions.extra = { handler: 'builtin:first-party-proxy' };
      m.behaviors[0]!.triggers = { ...m.behaviors[0]!.triggers, 'origin-response': { function: 'extra' } };
    });
    const digest = newSecretDigest();
    const observed = await observeResources(clients, withTwo, digest);
    const zip = zipOf('v1');
    const plan = planResources({ manifest: withTwo, observed, bundles: { proxy: bundleOf(zip), extra: bundleOf(zip) }, desiredSecretDigests: digestValues(desiredSecretValues(withTwo), digest) });
    expect(plan.role).toMatchObject({ action: 'update', createRole: false, updateTrust: false, putExecutionPolicy: true });
    expect(JSON.stringify(plan.role.executionPolicy)).toContain('/aws/lambda/us-east-1.fp-proxy-extra*');
  });
});

describe('waiting for Lambda', () => {
  it('creation waits until the function is Active before publishing', async () => {
    const slow = await startTestSandbox({ seed: 'empty', delays: { lambdaStateMs: 400, iamPropagationMs: 0 } });
    const slowClients = createClients({ endpointUrl: slow.endpoint });
    try {
      const m = manifest();
      const digest = newSecretDigest();
      const values = desiredSecretValues(m, { FPJS_PRE_SHARED_SECRET: SECRET });
      const observed = await observeResources(slowClients, m, digest);
      const zip = zipOf('v1');
      const plan = planResources({ manifest: m, observed, bundles: { proxy: bundleOf(zip) }, desiredSecretDigests: digestValues(values, digest) });
      const outputs = await applyResources(slowClients, plan, { observed, secretValues: values, zips: { proxy: zip }, functionOptions: { timing: timingFor(slow.endpoint) } });
      expect(outputs.functions.proxy!.version).toBe('1');
      const polls = (await slow.calls()).filter((c) => c.operation === 'GetFunction' || c.operation === 'GetFunctionConfiguration');
      expect(polls.length).toBeGreaterThanOrEqual(2);
    } finally {
      slowClients.destroy();
      await slow.close();
    }
  });
});

describe('a secret changed between the plan and the write', () => {
  it('to something that is not a JSON object: refused without quoting it, nothing written over it', async () => {
    await run(manifest(), { FPJS_PRE_SHARED_SECRET: SECRET });
    const m = manifest((i) => (i.secret!.keys.FPJS_BEHAVIOR_PATH = { value: 'fpjs-2' }));
    const values = desiredSecretValues(m, {});
    const digest = newSecretDigest();
    const observed = await observeResources(clients, m, digest);
    const plan = planResources({ manifest: m, observed, bundles: { proxy: bundleOf(zipOf('v1')) }, desiredSecretDigests: digestValues(values, digest) });
    expect(plan.secret?.keysToWrite).toEqual(['FPJS_BEHAVIOR_PATH']);
    for (const changed of [`${SECRET} as plain text`, JSON.stringify(SECRET), JSON.stringify([SECRET])]) {
      await sb.secrets.send(new PutSecretValueCommand({ SecretId: 'edge-install/fp-proxy', SecretString: changed }));
      const error = (await applyResources(clients, plan, { observed, secretValues: values, zips: { proxy: zipOf('v1') }, functionOptions: { timing: timingFor(sb.endpoint), sleep: (ms) => sb.advance(ms) } }).catch((e: unknown) => e)) as Error;
      expect(error.message).toContain('the secret edge-install/fp-proxy no longer holds a JSON object of keys (it changed after it was read); nothing was written to it');
      expect(error.message).not.toContain(SECRET.slice(0, 6));
      expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: 'edge-install/fp-proxy' }))).SecretString).toBe(changed);
    }
  });
});
