/**
 * Issue 18, item 9: `plan` ends with the next command — `edge-install attach --plan <file>`
 * after --out, else `edge-install attach` with the choices and places the plan was made with —
 * or "Nothing to do." when there are no changes; in the human text only, never in --json. The
 * command it prints is run as printed, and does what the plan showed.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLine, shellWord } from '../../src/cli/render/plan-text.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, runCli } from '../helpers/cli.js';
import { useFpProxyProject } from '../helpers/fp-proxy-sandbox.js';

const box = useFpProxyProject({ secret: { FPJS_PRE_SHARED_SECRET: 'plan-next-secret' } });

const places = () => ['--config', box.project.manifestPath, '--state-dir', box.project.stateDir, '--endpoint-url', box.sb.endpoint];
const lastLines = (text: string, n: number) => text.trimEnd().split('\n').slice(-n);

/** The words of the `Next:` line (the test's paths need no quoting). */
function nextArgs(stdout: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith('Next: '));
  expect(line, stdout).toBeDefined();
  const words = line!.slice('Next: '.length).split(' ');
  expect(words[0]).toBe('edge-install');
  return words.slice(1);
}

describe('plan ends with the next command', () => {
  it('without --out: `edge-install attach` with the flags that say where, and that command applies it', async () => {
    const run = await runCli(['plan', ...places()], { cwd: box.project.dir });
    expect(run.code, run.stderr).toBe(0);
    const [summary, blank, next] = lastLines(run.stdout, 3);
    expect(summary).toMatch(/^Plan: \d+ to create, \d+ to update, 0 to delete\.$/);
    expect([blank, next]).toEqual(['', `Next: edge-install attach --config ${box.project.manifestPath} --state-dir ${box.project.stateDir} --endpoint-url ${box.sb.endpoint}`]);
    const attach = await runCli([...nextArgs(run.stdout), '--yes'], { cwd: box.project.dir });
    expect(attach.code, attach.stderr).toBe(0);
    // Applied: the plan now has nothing to do, and says so instead of a next command.
    const again = await runCli(['plan', ...places()], { cwd: box.project.dir });
    expect(lastLines(again.stdout, 2)).toEqual(['No changes. The infrastructure matches the manifest.', 'Nothing to do.']);
    expect(again.stdout).not.toContain('Next:');
  });

  it('with --out: saved, then `edge-install attach --plan <file>`, which applies it without a second yes', async () => {
    const file = join(box.project.dir, 'plan.json');
    const run = await runCli(['plan', '--out', 'plan.json', ...places()], { cwd: box.project.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(lastLines(run.stdout, 3)).toEqual(['Saved the plan to plan.json.', '', `Next: edge-install attach --plan plan.json --config ${box.project.manifestPath} --state-dir ${box.project.stateDir} --endpoint-url ${box.sb.endpoint}`]);
    expect(run.stderr).not.toContain('apply it with');
    const attach = await runCli(nextArgs(run.stdout), { cwd: box.project.dir });
    expect(attach.code, attach.stderr).toBe(0);
    expect(attach.stderr).toContain('Deployed');
    void file;
  });

  it('the default manifest is not repeated; --distribution and --replace-foreign are', async () => {
    const run = await runCli(['plan', '--distribution', DEMO_DISTRIBUTION_ID, '--replace-foreign', '--state-dir', box.project.stateDir, '--endpoint-url', box.sb.endpoint], { cwd: box.project.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(lastLines(run.stdout, 1)).toEqual([`Next: edge-install attach --distribution ${DEMO_DISTRIBUTION_ID} --replace-foreign --state-dir ${box.project.stateDir} --endpoint-url ${box.sb.endpoint}`]);
  });

  it('--json: the document only, no next command anywhere on stdout', async () => {
    const run = await runCli(['plan', '--json', ...places()], { cwd: box.project.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stdout + run.stderr).not.toContain('Next:');
  });

  it('--json --out: where it was saved and how to apply it, on stderr', async () => {
    const run = await runCli(['plan', '--json', '--out', 'plan.json', ...places()], { cwd: box.project.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Saved the plan to plan.json; apply it with: edge-install attach --plan plan.json --config ${box.project.manifestPath}`);
  });

  it('a plan that cannot be applied ends with what to do instead, not with attach', async () => {
    // Another integration's behavior already on the recipe's path: a conflict.
    const taken = await runCli(['plan', ...places()], { cwd: box.project.dir });
    expect(taken.code).toBe(0);
    const blocked = fpProxyProject([DEMO_DISTRIBUTION_ID], (m) => {
      m.name = 'fp-other';
      m.secret!.name = 'edge-install/fp-other';
    });
    await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-other', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'plan-next-other' }) }));
    try {
      await runCli(['attach', '--yes', ...places()], { cwd: box.project.dir });
      const run = await runCli(['plan', '--config', blocked.manifestPath, '--state-dir', blocked.stateDir, '--endpoint-url', box.sb.endpoint], { cwd: blocked.dir });
      expect(run.code, run.stderr).not.toBe(0);
      expect(run.stdout).toContain('✗ Nothing will be written');
      // The proxy's path is taken: another path, never the site's (here: the other integration's) behavior adopted.
      expect(run.stdout).toContain('Fix: choose another path — change values.behaviorPath in the manifest (init --set behaviorPath=<another path>)');
      expect(run.stdout).not.toContain('adopt":');
      expect(run.stdout).not.toContain('Next:');
    } finally {
      blocked.remove();
    }
  });
});

describe('the command line as printed', () => {
  it('quotes only what the shell would read otherwise', () => {
    expect(shellWord('plans/p.json')).toBe('plans/p.json');
    expect(shellWord('my plan.json')).toBe("'my plan.json'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(commandLine(['attach', '--canary', 'weight=5%,sticky'])).toBe('edge-install attach --canary weight=5%,sticky');
    expect(commandLine(['attach', '--canary', 'header'])).toBe('edge-install attach --canary header');
  });
});
