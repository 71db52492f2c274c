/**
 * `edge-install/runtime`, the helper custom handlers read their secret through — the built-in
 * handlers' own cache, published:
 * - against the sandbox's Secrets Manager (real signed GetSecretValue calls, counted by the
 *   emulator): single-flight, TTL on an injected clock, the last good value when a refresh
 *   fails, errors that name the key and never a value;
 * - bundled into a custom handler in a project that has no edge-install in node_modules (as
 *   with npx), then run by `edge-install invoke` against a local Secrets Manager;
 * - its published types (runtime.d.ts) type-check the starter init writes, without @types/node.
 */
import { CreateSecretCommand, DeleteSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../src/bundle/index.js';
import { renderStarter } from '../../src/manifest/starter.js';
import type { EventType } from '../../src/manifest/schema.js';
import { createRuntime, type RuntimeOptions } from '../../handlers/shared/runtime.js';
import { indexJs } from '../bundle/helpers.js';
import { runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { REPO_ROOT } from './helpers.js';

const VALUE = 'runtime-value-3c9e1f-never-logged';
const NEWER = 'runtime-newer-77ab02-never-logged';
const NAME = 'edge-install/my-edge';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());

function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const getSecretValueCalls = async () => (await sb.calls()).filter((c) => c.operation === 'GetSecretValue').length;

/** A runtime reading the sandbox, as the bundle would read AWS: the same code, another endpoint. */
function sandboxRuntime(options: RuntimeOptions = {}) {
  const errors: { error: unknown; stale: boolean }[] = [];
  const runtime = createRuntime({
    config: { secretName: NAME, secretRegion: 'us-east-1', ...options.config },
    env: { AWS_ENDPOINT_URL: sb.endpoint, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_REGION: 'us-east-1' },
    onError: (error, stale) => errors.push({ error, stale }),
    ...options,
  });
  return { runtime, errors };
}

describe('secret(): the built-in cache, published', () => {
  beforeEach(async () => {
    await sb.admin('POST', 'reset');
  });

  it('two concurrent calls make one GetSecretValue; then served from the cache until the TTL, then read anew', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: NAME, SecretString: JSON.stringify({ API_KEY: VALUE, OTHER: 'x' }) }));
    await sb.admin('DELETE', 'calls');
    const clock = fakeClock();
    const { runtime } = sandboxRuntime({ now: clock.now });

    expect(await Promise.all([runtime.secret('API_KEY'), runtime.secret('OTHER'), runtime.secrets()])).toEqual([VALUE, 'x', { api_key: VALUE, other: 'x' }]);
    expect(await getSecretValueCalls()).toBe(1);

    await sb.secrets.send(new PutSecretValueCommand({ SecretId: NAME, SecretString: JSON.stringify({ API_KEY: NEWER }) }));
    clock.advance(5 * 60_000 - 1);
    expect(await runtime.secret('api_key')).toBe(VALUE); // keys match without case; still the cached value
    expect(await getSecretValueCalls()).toBe(1);
    clock.advance(1);
    expect(await runtime.secret('API_KEY')).toBe(NEWER);
    expect(await getSecretValueCalls()).toBe(2);
  });

  it("the function's secretTtlSeconds sets the TTL", async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: NAME, SecretString: JSON.stringify({ API_KEY: VALUE }) }));
    const clock = fakeClock();
    const { runtime } = sandboxRuntime({ now: clock.now, config: { secretName: NAME, secretRegion: 'us-east-1', secretTtlSeconds: 30 } });
    await runtime.secret('API_KEY');
    clock.advance(29_999);
    await runtime.secret('API_KEY');
    await sb.admin('DELETE', 'calls');
    clock.advance(1);
    await runtime.secret('API_KEY');
    expect(await getSecretValueCalls()).toBe(1);
  });

  it('when a refresh fails, the last good value is served, the failure reported (never the value), and no read is retried for 10 s', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: NAME, SecretString: JSON.stringify({ API_KEY: VALUE }) }));
    const clock = fakeClock();
    const { runtime, errors } = sandboxRuntime({ now: clock.now });
    expect(await runtime.secret('API_KEY')).toBe(VALUE);

    await sb.secrets.send(new DeleteSecretCommand({ SecretId: NAME, ForceDeleteWithoutRecovery: true }));
    clock.advance(5 * 60_000);
    await sb.admin('DELETE', 'calls');
    expect(await runtime.secret('API_KEY')).toBe(VALUE);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.stale).toBe(true);
    expect((errors[0]!.error as { code: string }).code).toBe('ResourceNotFoundException');
    expect(String((errors[0]!.error as Error).message)).not.toContain(VALUE);

    clock.advance(9_999);
    expect(await runtime.secret('API_KEY')).toBe(VALUE);
    expect(await getSecretValueCalls()).toBe(1); // the failed one only
    clock.advance(1);
    expect(await runtime.secret('API_KEY')).toBe(VALUE);
    expect(await getSecretValueCalls()).toBe(2);
  });

  it('with nothing read before, a failure rejects with AWS error code; a missing key names the key, never a value', async () => {
    const { runtime } = sandboxRuntime();
    await expect(runtime.secret('API_KEY')).rejects.toMatchObject({ name: 'SecretReadError', code: 'ResourceNotFoundException' });

    await sb.secrets.send(new CreateSecretCommand({ Name: NAME, SecretString: JSON.stringify({ API_KEY: VALUE, EMPTY: '' }) }));
    const fresh = sandboxRuntime().runtime;
    const missing = await fresh.secret('NOPE').catch((error: unknown) => error as Error & { code: string });
    expect(missing).toMatchObject({ code: 'MissingKey' });
    expect(missing.message).toContain(`the secret ${NAME} has no value for NOPE`);
    expect(missing.message).not.toContain(VALUE);
    await expect(fresh.secret('EMPTY')).rejects.toMatchObject({ code: 'MissingKey' });
  });

  it('a bundle that names no secret says so', async () => {
    const runtime = createRuntime({ config: {} });
    await expect(runtime.secret('API_KEY')).rejects.toMatchObject({ code: 'NotConfigured' });
  });

  it('is the module the built-in handlers read their secret through (published, not copied)', () => {
    const entries = ['first-party-proxy/index.ts', 'edge-enforcer/enforcer/index.ts', 'edge-enforcer/activities/index.ts', 'edge-enforcer/first-party/index.ts'];
    for (const entry of entries) {
      const source = readFileSync(join(REPO_ROOT, 'handlers', entry), 'utf8');
      expect(source, entry).toMatch(/import \{[^}]*secretCache[^}]*\} from '(\.\.\/)+shared\/runtime\.js'/);
      expect(source, entry).not.toContain('secretSource(');
    }
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }>; files: string[] };
    // Node loads the same module compiled (scripts/build-runtime.js); bundles use the source.
    expect(pkg.exports['./runtime']).toEqual({ types: './runtime.d.ts', default: './dist/runtime.js' });
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/', 'handlers/', 'runtime.d.ts']));
  });
});

describe('a custom handler importing edge-install/runtime', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const project = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ei-runtime-'));
    dirs.push(dir);
    return dir;
  };

  /** Puts sha256(value of API_KEY) in a response header: proof it read the value, without printing it. */
  const DIGEST_HANDLER = `
import { config, secret } from 'edge-install/runtime';
import { createHash } from 'node:crypto';
export const handler = async (event: any) => {
  const { request } = event.Records[0].cf;
  const digest = createHash('sha256').update(await secret('API_KEY')).digest('hex');
  return { status: '200', headers: { 'x-digest': [{ key: 'X-Digest', value: digest }], 'x-secret-name': [{ key: 'X-Secret-Name', value: String(config().secretName) }] }, body: request.uri };
};
`;

  it('bundles in a project without edge-install in node_modules (as with npx)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'handler.ts'), DIGEST_HANDLER);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    const bundle = await bundleFunction({
      functionKey: 'main',
      handler: './handler.ts',
      runtime: 'nodejs24.x',
      config: {},
      eventTypes: ['viewer-request'],
      baseDir: dir,
      settings: { secretName: NAME, secretRegion: 'us-east-1', secretReplicaRegions: [] },
    });
    expect(bundle.codeSize).toBeLessThan(64 * 1024);
    const script = indexJs(bundle.zip);
    expect(script).toContain('GetSecretValue');
    expect(script).not.toContain(REPO_ROOT);
  });

  it("uses the runtime of the edge-install that bundles, not another copy in the project's node_modules", async () => {
    const dir = project();
    writeFileSync(join(dir, 'handler.ts'), DIGEST_HANDLER);
    const other = join(dir, 'node_modules', 'edge-install');
    mkdirSync(join(other, 'handlers', 'shared'), { recursive: true });
    writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'edge-install', version: '0.0.1', exports: { './runtime': './handlers/shared/runtime.ts' } }));
    writeFileSync(join(other, 'handlers', 'shared', 'runtime.ts'), `export const secret = async () => 'OTHER-COPY-OF-THE-RUNTIME'; export const config = () => ({});`);
    const bundle = await bundleFunction({ functionKey: 'main', handler: './handler.ts', runtime: 'nodejs24.x', config: {}, eventTypes: ['viewer-request'], baseDir: dir, settings: { secretName: NAME, secretRegion: 'us-east-1' } });
    expect(indexJs(bundle.zip)).not.toContain('OTHER-COPY-OF-THE-RUNTIME');
    expect(indexJs(bundle.zip)).toContain('GetSecretValue');
  });

  it('is run by `edge-install invoke` against a local Secrets Manager and reads the value', async () => {
    const dir = project();
    mkdirSync(join(dir, 'edge'));
    writeFileSync(join(dir, 'edge', 'handler.ts'), DIGEST_HANDLER);
    const manifest = {
      name: 'my-edge',
      recipe: 'custom',
      distributions: ['E1DEMO0EXAMPLE'],
      secret: { name: NAME, region: 'us-east-1', keys: { API_KEY: { sensitive: true } } },
      functions: { main: { handler: './edge/handler.ts' } },
      behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'main' } } }],
    };
    writeFileSync(join(dir, 'edge-install.json'), JSON.stringify(manifest, null, 2));
    const secrets = mkdtempSync(join(tmpdir(), 'ei-runtime-secrets-'));
    dirs.push(secrets);
    writeFileSync(join(secrets, 'secrets.json'), JSON.stringify({ API_KEY: VALUE }));

    const validate = await runCli(['validate'], { cwd: dir, env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } });
    expect(validate.code, validate.stderr).toBe(0);
    const run = await runCli(['invoke', 'main', '--path', '/hello', '--secrets-file', join(secrets, 'secrets.json'), '--json'], { cwd: dir, env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', EDGE_INSTALL_ENDPOINT_URL: '' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(VALUE);
    const doc = JSON.parse(run.stdout) as { cloudFront: { action: string; response: { headers: [string, string][] } } };
    expect(doc.cloudFront.action, run.stdout).toBe('generated-response');
    const headers = Object.fromEntries(doc.cloudFront.response.headers.map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['x-digest']).toBe(createHash('sha256').update(VALUE).digest('hex'));
    expect(headers['x-secret-name']).toBe(NAME);
    expect(readdirSync(dir).sort()).toEqual(['edge', 'edge-install.json']); // invoke writes nothing into the project
  });
});

describe('the published types', () => {
  const template = readFileSync(join(REPO_ROOT, 'templates', 'starters', 'custom-handler.ts'), 'utf8');

  it('type-check the starter of every event, with and without secret keys, strictly, in a project without @types/node', () => {
    const cases: [EventType, string[]][] = [
      ['viewer-request', ['API_KEY', 'signing_key']],
      ['viewer-response', []],
      ['origin-request', ['DELETE', 'request']],
      ['origin-response', ['A']],
    ];
    const dir = mkdtempSync(join(tmpdir(), 'ei-runtime-types-'));
    try {
      const files = cases.map(([eventType, secretKeys]) => {
        const file = join(dir, `${eventType}-${secretKeys.length}.ts`);
        writeFileSync(file, renderStarter(template, { eventType, secretKeys }));
        return file;
      });
      // One program for all: each file is a module of its own.
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        noUncheckedIndexedAccess: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts'],
        types: [],
        // As `npm install -D edge-install` resolves it: package.json "exports" → runtime.d.ts.
        paths: { 'edge-install/runtime': [join(REPO_ROOT, 'runtime.d.ts')] },
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
