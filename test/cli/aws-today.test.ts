/**
 * AWS as it is today (issue 12), through the CLI against the sandbox: runtime dates in plan and
 * status.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, type Project, runCli } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const box = useSandbox();
let project: Project;

beforeEach(async () => {
  await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }), Tags: [{ Key: 'edge-install:integration', Value: 'fp-proxy' }] }));
});
afterEach(() => project.remove());

const cli = (...args: string[]) => runCli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', box.sb.endpoint]);

describe('runtimes', () => {
  it('the recipes deploy nodejs24.x', async () => {
    project = fpProxyProject([ID]);
    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/runtime:\s+nodejs24\.x/);
    expect(plan.stdout).not.toContain('deprecated');
  });

  it('a deprecated runtime is planned with a note naming the dates and the replacement; status says so of the live function', async () => {
    project = fpProxyProject([ID], (m) => (m.functions.proxy!.runtime = 'nodejs20.x'));
    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('functions.proxy: runtime nodejs20.x was deprecated by AWS on 2026-04-30: creating functions on it is blocked from 2027-02-01, updating them from 2027-03-03. Move to nodejs24.x');
    expect((await cli('attach', '--yes')).code).toBe(0);
    const status = await cli('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { notes: string[]; distributions: { associations: { runtime?: string }[] }[] };
    expect(doc.distributions[0]!.associations[0]!.runtime).toBe('nodejs20.x');
    expect(doc.notes).toContainEqual(expect.stringMatching(/^fp-proxy-proxy:1 on E1DEMO0EXAMPLE \(fpjs-abc\/\* origin-request\): runtime nodejs20\.x was deprecated by AWS on 2026-04-30/));
  });
});
