/** Every way a handler cannot be bundled: a BundleError naming the function, the file and the fix. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleError, bundleFunction, type BundleRequest } from '../../src/bundle/index.js';
import { fixtureWorkspace, removeTempDirs, tempDir } from './helpers.js';

let workspace: ReturnType<typeof fixtureWorkspace>;
beforeAll(() => {
  workspace = fixtureWorkspace();
});
afterAll(removeTempDirs);

function request(overrides: Partial<BundleRequest>): BundleRequest {
  return { functionKey: 'enforcer', handler: './echo.ts', runtime: 'nodejs20.x', config: {}, eventTypes: ['viewer-request'], baseDir: workspace.baseDir, ...overrides };
}

async function bundleError(overrides: Partial<BundleRequest>): Promise<BundleError> {
  const error = await bundleFunction(request(overrides)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'bundleFunction should have failed').toBeInstanceOf(BundleError);
  const bundleError = error as BundleError;
  expect(bundleError.functionKey).toBe(overrides.functionKey ?? 'enforcer');
  expect(bundleError.message).toMatch(new RegExp(`^functions\\.${bundleError.functionKey}: `));
  expect(bundleError.message).toContain(`\nFix: ${bundleError.fix}`);
  return bundleError;
}

describe('bundleFunction errors', () => {
  it('a handler path that does not exist', async () => {
    const error = await bundleError({ handler: './edge/enforcer.ts' });
    expect(error.file).toBe(join(workspace.baseDir, 'edge', 'enforcer.ts'));
    expect(error.message).toContain(`handler file ${join(workspace.baseDir, 'edge', 'enforcer.ts')} does not exist`);
    expect(error.message).toContain(`resolved against ${workspace.baseDir}, the directory of the manifest`);
    expect(error.fix).toMatch(/create edge\/enforcer\.ts exporting `handler`, or correct functions\.enforcer\.handler in the manifest/);
  });

  it('an unknown builtin handler, listing the ones there are', async () => {
    const error = await bundleError({ handler: 'builtin:first-party-prox', packageRoot: workspace.packageRoot });
    expect(error.file).toBe(join(workspace.packageRoot, 'handlers', 'first-party-prox', 'index.ts'));
    expect(error.message).toContain('"builtin:first-party-prox" is not a built-in handler of edge-install');
    expect(error.fix).toContain('use one of "builtin:greeter"');
  });

  it('a builtin name that tries to leave handlers/', async () => {
    const error = await bundleError({ handler: 'builtin:../greeter', packageRoot: workspace.packageRoot });
    expect(error.message).toContain('is not a built-in handler');
  });

  it('a module without a `handler` export, saying what it does export', async () => {
    const error = await bundleError({ handler: './no-handler.ts' });
    expect(error.file).toBe(join(workspace.baseDir, 'no-handler.ts'));
    expect(error.message).toContain('no-handler.ts does not export `handler` (it exports `VERSION`, `handle`); Lambda calls index.handler.');
    expect(error.fix).toContain('add `export const handler = async (event) => { … }` to no-handler.ts');
  });

  it('a module with only a default export', async () => {
    const error = await bundleError({ handler: './default-export.ts' });
    expect(error.message).toContain('default-export.ts has a default export but no export named `handler`');
    expect(error.fix).toContain('`export async function handler(event) { … }` instead of `export default`');
  });

  it('a CommonJS module without exports.handler (a commented-out one does not count)', async () => {
    const error = await bundleError({ handler: './cjs-no-handler.js' });
    expect(error.file).toBe(join(workspace.baseDir, 'cjs-no-handler.js'));
    expect(error.message).toContain('cjs-no-handler.js (CommonJS) does not export `handler`');
    expect(error.fix).toContain('add `exports.handler = async (event) => { … }`');
  });

  it("a syntax error, with esbuild's message at file:line:column", async () => {
    const error = await bundleError({ handler: './syntax-error.ts' });
    expect(error.file).toBe(join(workspace.baseDir, 'syntax-error.ts'));
    expect(error.message).toMatch(/syntax-error\.ts does not compile \(1 error\):\n {2}syntax-error\.ts:2:18: Unexpected ";"\n {6}const status = ;/);
    expect(error.fix).toBe('fix the error above in syntax-error.ts, then run edge-install again.');
  });

  it('an import of a package that is not installed: which npm install to run, and where', async () => {
    const error = await bundleError({ handler: './missing-package.ts' });
    expect(error.file).toBe(join(workspace.baseDir, 'missing-package.ts'));
    expect(error.message).toContain(`missing-package.ts imports "@acme/edge-sdk", which is not installed in your project (${workspace.baseDir})`);
    expect(error.message).toContain('missing-package.ts:1:25: Could not resolve "@acme/edge-sdk/enforce"');
    expect(error.fix).toBe(`run \`npm install @acme/edge-sdk\` in ${workspace.baseDir} (the directory of the manifest), then run edge-install again.`);
  });

  it("a builtin handler whose vendor SDK is in neither the project nor edge-install's package", async () => {
    const bareRoot = tempDir('ei-bare-package-');
    const { cpSync } = await import('node:fs');
    cpSync(join(workspace.packageRoot, 'handlers'), join(bareRoot, 'handlers'), { recursive: true });
    const emptyProject = tempDir('ei-empty-project-');
    const error = await bundleError({ handler: 'builtin:greeter', packageRoot: bareRoot, baseDir: emptyProject });
    expect(error.file).toBe(join(bareRoot, 'handlers', 'greeter', 'index.ts'));
    expect(error.fix).toBe(`run \`npm install fake-edge-sdk\` in ${emptyProject} (the directory of the manifest), then run edge-install again.`);
  });

  it('a relative import of a file that does not exist', async () => {
    const error = await bundleError({ handler: './missing-relative.ts' });
    expect(error.message).toContain('missing-relative.ts:1:24: Could not resolve "./not-there.js"');
    expect(error.fix).toBe('correct the import path at missing-relative.ts:1 (the file it names does not exist).');
  });

  it('a use of import.meta that CommonJS cannot provide (import.meta.resolve), at file:line:column', async () => {
    const error = await bundleError({ handler: './import-meta-resolve.ts' });
    expect(error.file).toBe(join(workspace.baseDir, 'import-meta-resolve.ts'));
    expect(error.message).toContain('import-meta-resolve.ts:3:10: "import.meta" is not available with the "cjs" output format and will be empty');
    expect(error.message).toContain('Lambda@Edge runs the bundle as CommonJS');
    expect(error.fix).toContain('require.resolve instead of import.meta.resolve');
  });

  it('a config key that collides with a setting edge-install provides', async () => {
    const error = await bundleError({ config: { secretArn: 'mine' }, settings: { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x' } });
    expect(error.message).toContain('config key "secretArn" is also a setting edge-install provides');
    expect(error.fix).toBe('rename config.secretArn in the manifest.');
  });

  it('a config value that is not JSON', async () => {
    const error = await bundleError({ config: { ttl: Number.NaN } });
    expect(error.message).toContain('config.ttl is NaN, which JSON cannot represent');
  });
});
