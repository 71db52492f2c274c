/**
 * `npx edge-install` must work from the published package, not only from this repo: pack it,
 * install the tarball into an empty directory, and run the demo from there.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import ts from 'typescript';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ei-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('installs into an empty directory and runs edge-install demo', { timeout: 600_000 }, async () => {
    const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', npm_config_loglevel: 'error' };
    // --ignore-scripts: pack the dist `npm test` built; `prepare` would rebuild it in place while other test files run the binary.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    const project = join(work, 'project');
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'someone-elses-site', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)], { cwd: project, env, maxBuffer: 64 * 1024 * 1024 });
    const demo = await run('npx', ['--no-install', 'edge-install', 'demo'], { cwd: project, env, maxBuffer: 64 * 1024 * 1024 });
    expect(demo.stdout).toContain('config restored');
    const contents = readdirSync(join(project, 'node_modules', 'edge-install')).sort();
    expect(contents).toEqual(expect.arrayContaining(['bin', 'dist', 'edge-install.schema.json', 'handlers', 'package.json', 'templates']));
    expect(contents).not.toContain('test');
    expect(contents).not.toContain('src');

    // A custom handler importing edge-install/runtime: its types resolve through the package's
    // "exports", it bundles (validate) and runs (invoke) from the installed package, and the
    // manifest's $schema names a file the package ships.
    const installed = join(project, 'node_modules', 'edge-install');
    mkdirSync(join(project, 'edge'));
    writeFileSync(
      join(project, 'edge', 'handler.ts'),
      `import { secret } from 'edge-install/runtime';
import { createHash } from 'node:crypto';
export const handler = async (event: { Records: { cf: { request: unknown } }[] }) => ({
  status: '200',
  headers: { 'x-digest': [{ key: 'X-Digest', value: createHash('sha256').update(await secret('API_KEY')).digest('hex') }] },
});
`,
    );
    const manifest = {
      $schema: './node_modules/edge-install/edge-install.schema.json',
      name: 'packed',
      recipe: 'custom',
      distributions: ['E1DEMO0EXAMPLE'],
      secret: { name: 'edge-install/packed', region: 'us-east-1', keys: { API_KEY: { sensitive: true } } },
      functions: { main: { handler: './edge/handler.ts' } },
      behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'main' } } }],
    };
    writeFileSync(join(project, 'edge-install.json'), JSON.stringify(manifest, null, 2));
    expect(existsSync(join(project, manifest.$schema))).toBe(true);
    writeFileSync(join(work, 'secrets.json'), JSON.stringify({ API_KEY: 'packed-value' }));
    const resolved = ts.resolveModuleName('edge-install/runtime', join(project, 'edge', 'handler.ts'), { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, ts.sys);
    expect(resolved.resolvedModule?.resolvedFileName).toBe(join(installed, 'runtime.d.ts'));
    const validate = await run('npx', ['--no-install', 'edge-install', 'validate'], { cwd: project, env, maxBuffer: 64 * 1024 * 1024 });
    expect(validate.stdout + validate.stderr).toContain('valid');
    const invoked = await run('npx', ['--no-install', 'edge-install', 'invoke', 'main', '--secrets-file', join(work, 'secrets.json'), '--json'], { cwd: project, env, maxBuffer: 64 * 1024 * 1024 });
    const doc = JSON.parse(invoked.stdout) as { cloudFront: { response: { headers: [string, string][] } } };
    expect(doc.cloudFront.response.headers).toContainEqual(['X-Digest', createHash('sha256').update('packed-value').digest('hex')]);
    // Outside the bundler (the user's own unit tests), Node loads the runtime from "exports" too.
    const loaded = await run('node', ['--input-type=module', '-e', "const m = await import('edge-install/runtime'); console.log(typeof m.secret, typeof m.config, typeof m.SecretReadError)"], { cwd: project, env });
    expect(loaded.stdout.trim()).toBe('function function function');
    // What the recipes' comments name is in the package too.
    expect(readFileSync(join(installed, 'handlers', 'README.md'), 'utf8')).toContain('edge-install/runtime');
  });
});
