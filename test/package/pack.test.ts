/**
 * `npx edge-install` must work from the published package, not only from this repo: pack it,
 * install the tarball into an empty directory, and run the demo from there.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  });
});
