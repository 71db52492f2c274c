/**
 * The masked prompt in a real pseudo-terminal: `secret set` asks twice, and neither it nor
 * init's secret prompt shows anything of what is typed — no value, and no mask character per
 * keystroke either, which would tell the value's length.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { FP_PROXY_SECRET_NAME as NAME, useFpProxyProject } from '../helpers/fp-proxy-sandbox.js';
import { hasScript, KEY, runInTerminal, type PtyRun } from '../helpers/pty.js';

const OLD = 'old-value-2c7e41-never-on-screen';
const SHORT = 'short-9d1';
const LONG = 'a-much-longer-typed-value-4f0b77e2c1-never-on-screen';
const { enter } = KEY;

const box = useFpProxyProject({ secret: { FPJS_PRE_SHARED_SECRET: OLD } });

const stored = async () => (JSON.parse((await box.sb.secrets.send(new GetSecretValueCommand({ SecretId: NAME }))).SecretString!) as Record<string, string>).FPJS_PRE_SHARED_SECRET;

/** Every screen line that shows one of the prompts for `key`. */
const promptLines = (run: PtyRun, key: string) => run.screen.split(/\r?\n|\r/).filter((line) => line.includes(`[${key}]`) || line.includes(`Repeat ${key}`));

function expectNothingOfTheValue(run: PtyRun, key: string, ...values: string[]) {
  for (const value of values) {
    expect(run.raw).not.toContain(value);
    expect(run.screen).not.toContain(value);
  }
  const lines = promptLines(run, key);
  expect(lines.length, run.screen).toBeGreaterThan(0);
  // No mask characters: the prompt lines hold the question and the hint only.
  for (const line of lines) expect(line, line).not.toMatch(/\*|•|●/);
  expect(run.screen).toContain('[input is masked]');
}

describe.skipIf(!hasScript)('the masked prompt', () => {
  it('secret set: asked twice, a mismatch asks again, nothing of the value (not even its length) is shown', async () => {
    const run = await runInTerminal(
      ['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--config', box.project.manifestPath, '--endpoint-url', box.sb.endpoint, '--state-dir', box.project.stateDir],
      [
        { wait: '[FPJS_PRE_SHARED_SECRET]', keys: [SHORT, enter] },
        { wait: 'Repeat FPJS_PRE_SHARED_SECRET', keys: [LONG, enter] },
        { wait: 'entries differ' },
        { wait: '[FPJS_PRE_SHARED_SECRET]', keys: [LONG, enter] },
        { wait: 'Repeat FPJS_PRE_SHARED_SECRET', keys: [LONG, enter] },
        { wait: 'FPJS_PRE_SHARED_SECRET: (changed)' },
        { wait: 'Write a new version of the secret', keys: ['y', enter] },
        { wait: 'Wrote version' },
      ],
      { cwd: box.project.dir },
    );
    expect(run.pending, run.screen).toEqual([]);
    expect(run.code, run.screen).toBe(0);
    expect(await stored()).toBe(LONG);
    expectNothingOfTheValue(run, 'FPJS_PRE_SHARED_SECRET', SHORT, LONG, OLD);
    // A short and a long answer leave the same line behind: the screen tells nothing of the length.
    const answered = promptLines(run, 'FPJS_PRE_SHARED_SECRET').filter((l) => l.includes('Repeat')).map((l) => l.trim());
    expect(new Set(answered).size, answered.join('\n')).toBe(1);
  });

  it("init's secret prompt shows nothing of the value either", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ei-secret-prompt-'));
    try {
      const run = await runInTerminal(
        ['init', '--recipe', 'first-party-proxy', '--distribution', DEMO_DISTRIBUTION_ID, '--name', 'fp-other', '--set', 'behaviorPath=fpjs-x', '--set', 'agentDownloadPath=agent', '--set', 'getResultPath=result', '--set', 'agentHost=fpcdn.io', '--set', 'ingressHost=api.fpjs.io', '--endpoint-url', box.sb.endpoint],
        [
          { wait: '[FPJS_PRE_SHARED_SECRET]', keys: [LONG, enter] },
          { wait: 'Repeat FPJS_PRE_SHARED_SECRET', keys: [LONG, enter] },
          { wait: 'Write edge-install.json', keys: [enter] },
          { wait: 'Run plan now', keys: ['n', enter] },
        ],
        { cwd: dir },
      );
      expect(run.pending, run.screen).toEqual([]);
      expect(run.code, run.screen).toBe(0);
      expectNothingOfTheValue(run, 'FPJS_PRE_SHARED_SECRET', LONG);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
