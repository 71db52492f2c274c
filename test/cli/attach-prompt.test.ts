/**
 * The confirmation prompt, driven in a real pseudo-terminal (util-linux `script`): the plan is
 * shown, "y" applies, "n" (the default) changes nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { BIN, type Project, recipeProject } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [DEMO_DISTRIBUTION_ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
});
afterEach(() => project.remove());

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs attach in a pty, answers the prompt with `keys` once it appears; returns the screen text and exit code. */
function attachInTerminal(keys: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, 'attach', '--no-wait', '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint].map(quote).join(' ');
  const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } as Record<string, string>;
  delete env.CI;
  const child = spawn('script', ['-qefc', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let answered = false;
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!answered && screen.includes('Apply these changes?')) {
        answered = true;
        child.stdin.write(keys);
      }
    });
    child.on('exit', (code) => resolve({ code, screen }));
  });
}

const updates = async () => (await sb.calls()).filter((c) => c.operation === 'UpdateDistribution').length;

describe.skipIf(!hasScript)('attach asks before changing the distribution', () => {
  it('shows the plan, and "y" applies it', async () => {
    const { code, screen } = await attachInTerminal('y\r');
    expect(screen).toContain('Distribution E1DEMO0EXAMPLE');
    expect(screen).toContain('viewer-request');
    expect(code).toBe(0);
    expect(await updates()).toBe(1);
  });

  it('"n" changes nothing', async () => {
    const { code, screen } = await attachInTerminal('n\r');
    expect(screen).toContain('Nothing was changed.');
    expect(code).toBe(0);
    expect(await updates()).toBe(0);
  });

  it('Ctrl-C at the prompt exits 130 and changes nothing', async () => {
    const { code, screen } = await attachInTerminal('\u0003');
    expect(screen).toContain('interrupted; nothing was changed');
    expect(code).toBe(130);
    expect(await updates()).toBe(0);
  });
});
