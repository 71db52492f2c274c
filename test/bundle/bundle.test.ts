/** bundleFunction end to end: fixture handlers → zip → index.js run as Lambda would. */
import { execFile } from 'node:child_process';
import { cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, codeSha256, defaultPackageRoot, esbuildOptions, esbuildTarget, LAMBDA_HANDLER, type BundleRequest } from '../../src/bundle/index.js';
import { RUNTIMES } from '../../src/manifest/schema.js';
import { cloudFrontEvent, fixtureWorkspace, indexJs, loadHandler, readZip, removeTempDirs, REPO_ROOT, tempDir } from './helpers.js';

let workspace: ReturnType<typeof fixtureWorkspace>;
beforeAll(() => {
  workspace = fixtureWorkspace();
});
afterAll(removeTempDirs);

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:edge-install/fp-proxy-AbCdEf';

function request(overrides: Partial<BundleRequest> = {}): BundleRequest {
  return {
    functionKey: 'proxy',
    handler: './echo.ts',
    runtime: 'nodejs20.x',
    config: { behaviorPath: '/fp', ttl: 180, hosts: { agent: 'fpcdn.io', ingress: 'api.fpjs.io' } },
    eventTypes: ['origin-request'],
    baseDir: workspace.baseDir,
    settings: { secretArn: SECRET_ARN, secretRegion: 'us-east-1' },
    ...overrides,
  };
}

describe('bundleFunction: output', () => {
  it('returns the zip with its CodeSha256, CodeSize and the size of index.js', async () => {
    const bundle = await bundleFunction(request());
    expect(bundle.codeSize).toBe(bundle.zip.length);
    expect(bundle.codeSha256).toBe(codeSha256(bundle.zip));
    const { entries } = readZip(bundle.zip);
    expect(entries.map((e) => e.name)).toEqual(['index.js']);
    expect(entries[0]!.unixMode).toBe(0o100644);
    expect(bundle.scriptBytes).toBe(entries[0]!.size);
    expect(LAMBDA_HANDLER).toBe('index.handler');
  });

  it('is minified CommonJS with no source map, no comments and no path of this machine', async () => {
    const bundle = await bundleFunction(request({ handler: './vendor.ts', config: { appId: 'PX12345678' }, settings: {} }));
    const script = indexJs(bundle.zip);
    expect(script).toContain('module.exports');
    expect(script).not.toMatch(/^\s*export\s/m);
    expect(script).not.toContain('sourceMappingURL');
    expect(script).not.toMatch(/\/\*|\/\/ /); // no comments: the vendor's legal banner is gone too
    for (const leak of [workspace.root, workspace.baseDir, workspace.packageRoot, REPO_ROOT, tmpdir(), '/home/', 'node_modules', 'vendor.ts', '2024-05-01']) {
      expect(script, `bundle contains ${leak}`).not.toContain(leak);
    }
    expect(script.split('\n').filter((line) => line !== '').length).toBeLessThanOrEqual(2); // minified
  });
});

describe('bundleFunction: import.meta in the CommonJS bundle', () => {
  it('import.meta.url, .filename and .dirname name the index.js Lambda runs', async () => {
    const bundle = await bundleFunction(request({ handler: './import-meta.ts', config: {}, settings: {} }));
    const result = (await loadHandler(bundle.zip)()) as { here: string; filename: string; dirname: string };
    expect(result.here).toMatch(/[\\/]ei-lambda-task-[^\\/]+[\\/]index\.js$/);
    expect(result.filename).toBe(result.here);
    expect(result.dirname).toBe(join(result.here, '..'));
  });

  it('a handler that never reads import.meta carries no shim for it', async () => {
    const script = indexJs((await bundleFunction(request())).zip);
    expect(script).not.toContain('pathToFileURL');
  });
});

describe('bundleFunction: determinism', () => {
  it('gives the same bytes twice, and for the same project in another directory', async () => {
    const first = await bundleFunction(request());
    const second = await bundleFunction(request());
    expect(second.codeSha256).toBe(first.codeSha256);
    expect(second.zip.equals(first.zip)).toBe(true);

    const elsewhere = join(tempDir('ei-other-checkout-'), 'deeper', 'site');
    cpSync(workspace.baseDir, elsewhere, { recursive: true });
    const moved = await bundleFunction(request({ baseDir: elsewhere }));
    expect(moved.codeSha256).toBe(first.codeSha256);
  });

  it('ignores the order of config keys, and changes when a value changes', async () => {
    const a = await bundleFunction(request({ config: { behaviorPath: '/fp', ttl: 180, hosts: { agent: 'fpcdn.io', ingress: 'api.fpjs.io' } } }));
    const b = await bundleFunction(request({ config: { hosts: { ingress: 'api.fpjs.io', agent: 'fpcdn.io' }, ttl: 180, behaviorPath: '/fp' } }));
    const c = await bundleFunction(request({ config: { behaviorPath: '/fp', ttl: 181, hosts: { agent: 'fpcdn.io', ingress: 'api.fpjs.io' } } }));
    expect(b.codeSha256).toBe(a.codeSha256);
    expect(c.codeSha256).not.toBe(a.codeSha256);
  });

  it('gives the same CodeSha256 in other processes under TZ=UTC and TZ=Asia/Kolkata', async () => {
    // src/bundle bundled for plain Node (esbuild stays external, found through NODE_PATH), run in
    // child processes that differ only in TZ.
    const dir = tempDir('ei-tz-');
    const moduleFile = join(dir, 'bundle-module.cjs');
    await build({ entryPoints: [join(REPO_ROOT, 'src/bundle/index.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['esbuild'], outfile: moduleFile, logLevel: 'silent' });
    const child = `require(process.argv[1]).bundleFunction(JSON.parse(process.argv[2])).then((b) => process.stdout.write(b.codeSha256 + ' ' + new Date(0).getTimezoneOffset()))`;
    const runIn = async (tz: string) => {
      const env = { ...process.env, TZ: tz, NODE_PATH: join(REPO_ROOT, 'node_modules') };
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', child, moduleFile, JSON.stringify(request())], { env, cwd: dir });
      return stdout.split(' ');
    };
    const [utc, kolkata, here] = await Promise.all([runIn('UTC'), runIn('Asia/Kolkata'), bundleFunction(request())]);
    expect(utc).toEqual([here.codeSha256, '0']);
    expect(kolkata).toEqual([here.codeSha256, '-330']);
  });
});

describe('bundleFunction: config injection', () => {
  it('bakes config plus the settings into __EDGE_INSTALL_CONFIG__, which the handler reads at run time', async () => {
    const bundle = await bundleFunction(request());
    const handler = loadHandler(bundle.zip);
    const response = (await handler(cloudFrontEvent('/fp/agent', 'origin-request'))) as { status: string; body: string };
    expect(response.status).toBe('200');
    expect(JSON.parse(response.body)).toEqual({
      config: { behaviorPath: '/fp', ttl: 180, hosts: { agent: 'fpcdn.io', ingress: 'api.fpjs.io' }, secretArn: SECRET_ARN, secretRegion: 'us-east-1' },
      eventType: 'origin-request',
      uri: '/fp/agent',
      underBehavior: true,
    });
    expect(indexJs(bundle.zip)).not.toContain('__EDGE_INSTALL_CONFIG__'); // replaced, not a global lookup
  });

  it('bundles CommonJS handlers and injects config there too', async () => {
    const bundle = await bundleFunction(request({ handler: './plain.js', config: { name: 'Ada' }, settings: {} }));
    const response = (await loadHandler(bundle.zip)(cloudFrontEvent('/hi'))) as { body: string };
    expect(response.body).toBe('hello Ada from /hi');
  });

  it("bundles a vendor SDK from the user's project node_modules", async () => {
    const bundle = await bundleFunction(request({ functionKey: 'enforcer', handler: './vendor.ts', config: { appId: 'PX12345678' }, settings: {}, eventTypes: ['viewer-request'] }));
    const result = (await loadHandler(bundle.zip)(cloudFrontEvent('/'))) as { headers: Record<string, unknown>; sdkVersion: string };
    expect(result.headers['x-enforced-by']).toEqual([{ key: 'X-Enforced-By', value: 'PX12345678' }]);
    expect(result.sdkVersion).toBe('project');
  });
});

describe('bundleFunction: handler resolution', () => {
  it('resolves builtin:<name> to <packageRoot>/handlers/<name>/index.ts, with packages from the project first', async () => {
    const bundle = await bundleFunction(request({ handler: 'builtin:greeter', packageRoot: workspace.packageRoot, config: { name: 'Ada' }, settings: {} }));
    const response = (await loadHandler(bundle.zip)(cloudFrontEvent())) as { body: string };
    // packageRoot has its own copy of fake-edge-sdk; the one in the user's project wins.
    expect(JSON.parse(response.body)).toEqual({ text: 'greetings, Ada', sdk: 'project' });
    expect(indexJs(bundle.zip)).not.toContain(workspace.packageRoot);
  });

  it('prefers the project’s copy also when edge-install is installed inside the project', async () => {
    const project = join(tempDir('ei-local-install-'), 'site');
    cpSync(workspace.baseDir, project, { recursive: true }); // has node_modules/fake-edge-sdk ("project")
    const localInstall = join(project, 'node_modules', 'edge-install'); // with its own node_modules/fake-edge-sdk ("package-root")
    cpSync(workspace.packageRoot, localInstall, { recursive: true });
    const bundle = await bundleFunction(request({ handler: 'builtin:greeter', baseDir: project, packageRoot: localInstall, config: { name: 'Ada' }, settings: {} }));
    const response = (await loadHandler(bundle.zip)(cloudFrontEvent())) as { body: string };
    expect(JSON.parse(response.body)).toEqual({ text: 'greetings, Ada', sdk: 'project' });
  });

  it('falls back to the package’s own copy when the project does not have the package', async () => {
    const emptyProject = tempDir('ei-empty-project-');
    const bundle = await bundleFunction(request({ handler: 'builtin:greeter', packageRoot: workspace.packageRoot, baseDir: emptyProject, config: { name: 'Ada' }, settings: {} }));
    const response = (await loadHandler(bundle.zip)(cloudFrontEvent())) as { body: string };
    expect(JSON.parse(response.body)).toEqual({ text: 'greetings, Ada', sdk: 'package-root' });
  });

  it('finds edge-install’s own handlers/ two levels above the bundle module by default', () => {
    expect(defaultPackageRoot()).toBe(REPO_ROOT);
  });

  it('accepts a handler path without its extension', async () => {
    const withExt = await bundleFunction(request());
    const without = await bundleFunction(request({ handler: 'echo' }));
    expect(without.codeSha256).toBe(withExt.codeSha256);
  });
});

describe('bundleFunction: runtime → esbuild target', () => {
  it('maps nodejs18.x → node18 … nodejs24.x → node24', () => {
    expect(RUNTIMES.map(esbuildTarget)).toEqual(['node18', 'node20', 'node22', 'node24']);
    for (const runtime of RUNTIMES) expect(esbuildTarget(runtime)).toBe(`node${runtime.slice('nodejs'.length, -2)}`);
    expect(() => esbuildTarget('nodejs16.x' as never)).toThrow(/no esbuild target for runtime "nodejs16.x"/);
  });

  it('builds for that target: minified CommonJS for Node, no source map, no legal comments', () => {
    for (const runtime of RUNTIMES) {
      const options = esbuildOptions({ functionKey: 'proxy', entry: join(workspace.baseDir, 'echo.ts'), baseDir: workspace.baseDir, runtime, configJson: '{}' }, 'final');
      expect(options).toMatchObject({ target: esbuildTarget(runtime), platform: 'node', format: 'cjs', bundle: true, minify: true, sourcemap: false, legalComments: 'none', define: { __EDGE_INSTALL_CONFIG__: '{}' } });
    }
  });
});
