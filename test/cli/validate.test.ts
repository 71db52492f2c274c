/**
 * `edge-install validate` and `edge-install bundle` (issue 18, item 6): every manifest check
 * that needs no AWS, with no credentials and no network; and the exact zips attach uploads,
 * whose CodeSha256 is the one Lambda then reports.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, recipeProject, runCli, type Project } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const box = useSandbox();
let project: Project;
afterEach(() => project.remove());

/** Nothing to reach AWS with: no profile that exists, no keys, an endpoint nobody answers. */
const OFFLINE = { AWS_PROFILE: 'no-such-profile-anywhere', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', EDGE_INSTALL_ENDPOINT_URL: 'http://127.0.0.1:9' };
const offline = (...args: string[]) => runCli([...args, '--config', project.manifestPath], { cwd: project.dir, env: OFFLINE });

describe('validate', () => {
  it('a valid manifest: exit 0, each function built with its size and limit, with no credentials and no AWS call', async () => {
    project = fpProxyProject([DEMO_DISTRIBUTION_ID]);
    const before = (await box.sb.calls()).length;
    const run = await offline('validate');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ edge-install\.json is valid: fp-proxy, 1 function built\./);
    expect(run.stdout).toMatch(/ {2}proxy \(fp-proxy-proxy\): [\d,]+ bytes zipped \(limit 52,428,800\)/);
    const json = JSON.parse((await offline('validate', '--json')).stdout);
    expect(json).toMatchObject({ version: 1, valid: true, integration: 'fp-proxy', functions: [{ key: 'proxy', functionName: 'fp-proxy-proxy', limitBytes: 52_428_800 }] });
    expect((await box.sb.calls()).length).toBe(before);
  });

  it('a manifest that breaks a rule is exit 2 naming the place', async () => {
    project = fpProxyProject([DEMO_DISTRIBUTION_ID], (m) => {
      (m.functions.proxy as { memorySize?: number }).memorySize = 99;
    });
    const run = await offline('validate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('functions.proxy.memorySize');
  });

  it('every function that cannot be built is named, not only the first', async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', activities: true, firstParty: true }, [DEMO_DISTRIBUTION_ID]);
    const keys = Object.keys(project.manifest.functions);
    expect(keys.length).toBeGreaterThan(1);
    writeFileSync(join(project.dir, 'handler.ts'), 'export const notTheHandler = 1;\n');
    const run = await offline('validate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${keys.length} functions cannot be built`);
    for (const key of keys) expect(run.stderr).toContain(`functions.${key}:`);
  });
});

describe('bundle', () => {
  it('writes the zips attach uploads: their CodeSha256 is the one Lambda reports after attach', async () => {
    project = fpProxyProject([DEMO_DISTRIBUTION_ID]);
    const run = await offline('bundle', '--out', 'out', '--json');
    expect(run.code, run.stderr).toBe(0);
    const [fn] = JSON.parse(run.stdout).functions as { file: string; codeSha256: string; functionName: string }[];
    expect(fn!.file).toBe(join(project.dir, 'out', 'fp-proxy-proxy.zip'));
    expect(createHash('sha256').update(readFileSync(fn!.file)).digest('base64')).toBe(fn!.codeSha256);
    expect(run.stderr).toContain(`out/fp-proxy-proxy.zip  CodeSha256 ${fn!.codeSha256}`);

    await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
    const attach = await runCli(['attach', '--yes', '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', box.sb.endpoint]);
    expect(attach.code, attach.stderr).toBe(0);
    const live = await box.sb.lambda.send(new GetFunctionCommand({ FunctionName: 'fp-proxy-proxy' }));
    expect(live.Configuration!.CodeSha256).toBe(fn!.codeSha256);
    expect(existsSync(join(project.dir, 'edge-install-bundles'))).toBe(false); // --out was used
  });
});
