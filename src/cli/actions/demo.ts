/**
 * The demo runs the real commands, in this process, against an in-process sandbox seeded with
 * a production-like distribution: what it prints is exactly what a user would see. Its one
 * claim is checked at the end: after rollback the distribution config is identical to the
 * original, member for member.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { createClients } from '../../aws/clients.js';
import { observeDistribution } from '../../aws/observe/distribution.js';
import { startSandbox } from '../../sandbox/index.js';
import type { DemoFlags } from '../commands/demo.js';
import { colors } from '../render/colors.js';
import { RuntimeError } from '../errors.js';
import { main } from '../program.js';

interface Step {
  title: string;
  why: string;
  args: string[];
  /** Exit codes that are the expected outcome of this step. */
  expect: number[];
}

export async function runDemo(flags: DemoFlags, command: Command): Promise<void> {
  const color = command.optsWithGlobals<{ color?: boolean }>().color !== false && !process.env.NO_COLOR && !!process.stdout.isTTY;
  const c = colors(color);
  const say = (text = '') => process.stdout.write(`${text}\n`);
  const started = Date.now();
  // Short delays: CloudFront takes minutes to deploy, the demo should take seconds.
  const sandbox = await startSandbox({ seed: 'demo', delays: { deployMs: 1_000, lambdaStateMs: 200, iamPropagationMs: 500 } });
  const dir = mkdtempSync(join(tmpdir(), 'edge-install-demo-'));
  const id = sandbox.distributionIds[0]!;
  const clients = createClients({ endpointUrl: sandbox.endpoint });
  // The demo's secret is generated here and handed over in this process's environment only.
  const secretVariable = 'EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET';
  const hadSecret = process.env[secretVariable];
  process.env[secretVariable] = randomBytes(18).toString('base64url');
  try {
    const original = (await observeDistribution(clients, id)).config;
    say(c.bold('edge-install demo'));
    say(`A local sandbox of the AWS control planes is running at ${sandbox.endpoint}, with one`);
    say(`production-like distribution, ${id}: an S3 site, an API origin, /api/* and /static/*`);
    say('behaviors, a CloudFront Function, aliases, a certificate, logging, error pages.');
    say(`We will install the first-party proxy recipe on it, look, and take it off again.`);
    const common = ['--config', join(dir, 'edge-install.json'), '--state-dir', join(dir, '.edge-install'), '--endpoint-url', sandbox.endpoint, ...(color ? [] : ['--no-color'])];
    const steps: Step[] = [
      {
        title: 'init',
        why: 'Writes edge-install.json from the first-party-proxy recipe and stores the pre-shared secret in Secrets Manager (a generated demo value, given through the environment, never printed).',
        args: ['init', '--non-interactive', '--recipe', 'first-party-proxy', '--distribution', id, '--set', 'behaviorPath=fpjs', '--secrets-from-env'],
        expect: [0],
      },
      { title: 'plan', why: 'Shows exactly what attach will change. Read-only.', args: ['plan'], expect: [0] },
      {
        title: 'attach --yes',
        why: 'Creates the role, function version and cache policy, then changes the distribution in ONE ETag-pinned update, waits until it is Deployed and records a revision.',
        args: ['attach', '--yes'],
        expect: [0],
      },
      { title: 'status', why: 'Deployed, the trigger runs the newest version, no drift.', args: ['status'], expect: [0] },
      { title: 'rollback --yes', why: "Puts the distribution's owned parts back as they were before the attach, in one update.", args: ['rollback', '--yes'], expect: [0] },
    ];
    for (const [index, step] of steps.entries()) {
      say();
      say(c.bold(`${index + 1}/${steps.length + 1}  edge-install ${step.title}`));
      say(c.dim(step.why));
      const code = await main(['node', 'edge-install', ...step.args, ...common]);
      if (!step.expect.includes(code)) throw new RuntimeError(`the demo's ${step.title} step exited ${code}`);
    }
    say();
    say(c.bold(`${steps.length + 1}/${steps.length + 1}  compare`));
    const final = (await observeDistribution(clients, id)).config;
    if (!isDeepStrictEqual(final, original)) throw new RuntimeError('the config after rollback differs from the original');
    say(c.green(`✓ config restored: ${id} is identical to the original, every member compared.`));
    say(c.dim(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.${flags.keep ? ` The demo project is in ${dir}.` : ''}`));
  } finally {
    if (hadSecret === undefined) delete process.env[secretVariable];
    else process.env[secretVariable] = hadSecret;
    clients.destroy();
    await sandbox.close();
    if (!flags.keep) rmSync(dir, { recursive: true, force: true });
  }
}
