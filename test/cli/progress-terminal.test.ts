/**
 * Progress in a real pseudo-terminal (util-linux `script`), sized as a window is: the built CLI
 * draws an ora spinner with one line per step running — Lambda settling a function, each
 * distribution deploying — with its elapsed time, and keeps what ended above it. A pty nobody
 * sized (0 columns, the earlier problem) gets the plain stamped lines instead.
 *
 * Every wait is an hour on the sandbox's clock; the test moves the clock on once the screen
 * shows the wait, and otherwise only waits for text — never for time.
 */
import { CreateDistributionCommand, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { type Project, recipeProject } from '../helpers/cli.js';
import { hasScript, KEY, runInTerminal, stripAnsi } from '../helpers/pty.js';
import { INSTANT, useSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const HOUR = 3_600_000;
const SIZE = { columns: 100, rows: 30 };
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const STAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /m;
/** A step's live line: the step, what it waits for, and an elapsed-time field (any number of seconds). */
const STEP_LINE = {
  lambda: /function edge-enforcer-enforcer +waiting until Lambda makes it Active \(State Pending\) +\d+s/,
  deploy: /waiting until Deployed +\d+s/,
};
const box = useSandbox(INSTANT);
let project: Project;

beforeEach(async () => {
  await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
});
afterEach(() => {
  project.remove();
  Object.assign(box.sb.world.delays, INSTANT.delays);
});

const attachArgs = () => ['attach', '--yes', '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', box.sb.endpoint];

describe.skipIf(!hasScript)('progress on a terminal', () => {
  it("a spinner line per step with its elapsed time — Lambda's wait, then one line per distribution — and the ends kept above it", { timeout: 180_000 }, async () => {
    // A second distribution, Deployed, made while the sandbox is still instant.
    const { DistributionConfig: demo } = await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const other = (await box.sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...demo!, CallerReference: 'second', Aliases: { Quantity: 0 } } }))).Distribution!.Id!;
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID, other]);
    box.sb.world.delays.lambdaStateMs = HOUR;
    box.sb.world.delays.deployMs = HOUR;
    const either = `(?:${ID}|${other})`;
    const run = await runInTerminal(
      attachArgs(),
      [
        // Lambda makes the new function Active: a live line for it, with its elapsed time (how many
        // seconds it shows depends on the machine's speed, so only its shape is asserted).
        { wait: STEP_LINE.lambda, then: () => box.sb.advance(HOUR) },
        { wait: /✔ function edge-enforcer-enforcer: ready after \d+s\./ },
        // Both distributions deploying at once (--concurrency 4): one line each, in one frame.
        { wait: new RegExp(`${SPINNER.source} ${either} +waiting until Deployed +\\d+s\\r?\\n +${either} +waiting until Deployed +\\d+s`), then: () => box.sb.advance(HOUR) },
        { wait: /Deployed after \d+s\.[\s\S]*Deployed after \d+s\./ },
      ],
      { cwd: project.dir, size: SIZE },
    );
    expect(run.pending, run.screen).toEqual([]);
    expect(run.code, run.screen).toBe(0);
    // The ends, kept in the scrollback; the run's own summary after them.
    expect(run.screen).toContain('✔ Secret, role, functions and cache policies are in place after');
    expect(run.screen).toMatch(new RegExp(`✔ ${ID}: Deployed after \\d+s\\.`));
    expect(run.screen).toMatch(new RegExp(`✔ ${other}: Deployed after \\d+s\\.`));
    expect(run.screen).toMatch(new RegExp(`✓ ${ID}: applied`));
    // A terminal's lines, not a log's: no time stamps; the cursor hidden while drawing, and shown again.
    expect(run.screen).not.toMatch(STAMPED);
    expect(run.raw).toContain('\u001b[?25l');
    expect(run.raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(run.raw.lastIndexOf('\u001b[?25l'));
    // Every frame (ora draws each between synchronized-output marks) fits the width: a wrapped line would break the redraw.
    const frames = run.raw.split('\u001b[?2026h').slice(1).map((f) => stripAnsi(f.split('\u001b[?2026l')[0]!));
    // How many frames ora draws depends on the machine's speed: only that each step's live line was drawn as one.
    expect(frames.some((f) => STEP_LINE.lambda.test(f)), 'a frame with the Lambda step and its elapsed time').toBe(true);
    expect(frames.some((f) => STEP_LINE.deploy.test(f)), 'a frame with a distribution step and its elapsed time').toBe(true);
    for (const frame of frames) for (const line of frame.split(/\r?\n/)) expect(line.length, line).toBeLessThanOrEqual(SIZE.columns);
  });

  it('Ctrl-C while the distribution deploys: the wait stops, the line says so, and the change is live, recorded and where to check it (exit 130)', { timeout: 180_000 }, async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
    box.sb.world.delays.deployMs = HOUR;
    const run = await runInTerminal(attachArgs(), [{ wait: new RegExp(`${ID} +waiting until Deployed +\\d+s`), keys: [KEY.ctrlC] }], { cwd: project.dir, size: SIZE });
    expect(run.pending, run.screen).toEqual([]);
    expect(run.code, run.screen).toBe(130);
    expect(run.screen).toContain('Interrupted: finishing the current step');
    expect(run.screen).toMatch(new RegExp(`■ ${ID}: waiting until Deployed, stopped after \\d+s\\.`));
    expect(run.screen).toMatch(new RegExp(`the change is live and recorded on ${ID} \\(revision \\S+\\); CloudFront finishes deploying it by itself; check it with edge-install status`));
    expect(readdirSync(join(project.stateDir, 'edge-enforcer', 'revisions'))).toHaveLength(1);
  });

  it('a pty with no size (0 columns) gets the plain stamped lines, not a spinner it cannot redraw', { timeout: 180_000 }, async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
    const run = await runInTerminal(attachArgs(), [{ wait: new RegExp(`${ID}: Deployed after \\d+s\\.`) }], { cwd: project.dir });
    expect(run.pending, run.screen).toEqual([]);
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ${ID}: waiting until Deployed…\\r?$`, 'm'));
    expect(run.screen).not.toMatch(SPINNER);
    expect(run.raw).not.toContain('\u001b[?25l');
  });
});
