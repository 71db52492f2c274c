/**
 * The demo runs the real commands, in this run, against an in-process sandbox seeded with a
 * production-like distribution: what it prints is exactly what a user would see. Its one
 * claim is checked at the end: after rollback the distribution config is identical to the
 * original, member for member.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RuntimeError } from '../../errors.js';
import { distributionConfigAt } from '../../gather/demo.js';
import { startSandbox } from '../../sandbox/index.js';
import type { CommandContext } from '../context.js';
import { colors } from '../render/colors.js';

export interface DemoFlags {
  keep?: boolean;
}

interface Step {
  title: string;
  why: string;
  args: string[];
}

export async function demo(ctx: CommandContext<DemoFlags>): Promise<void> {
  const color = ctx.global.color !== false && !ctx.io.env.NO_COLOR && !!ctx.io.stdout.isTTY;
  const c = colors(color);
  const say = (text = '') => ctx.io.stdout.write(`${text}\n`);
  const started = Date.now();
  // Short delays: CloudFront takes minutes to deploy, the demo should take seconds.
  const sandbox = await startSandbox({ seed: 'demo', delays: { deployMs: 1_000, lambdaStateMs: 200, iamPropagationMs: 500 } });
  const dir = mkdtempSync(join(tmpdir(), 'edge-install-demo-'));
  const id = sandbox.distributionIds[0]!;
  // The demo's secret is generated here and handed over in this run's environment only.
  const secretVariable = 'EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET';
  const env = ctx.io.env;
  const hadSecret = env[secretVariable];
  env[secretVariable] = randomBytes(18).toString('base64url');
  try {
    const original = await distributionConfigAt(sandbox.endpoint, id);
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
      },
      { title: 'plan', why: 'Shows exactly what attach will change. Read-only.', args: ['plan'] },
      {
        title: 'attach --yes',
        why: 'Creates the role, function version and cache policy, then changes the distribution in ONE ETag-pinned update, waits until it is Deployed and records a revision.',
        args: ['attach', '--yes'],
      },
      { title: 'status', why: 'Deployed, both triggers (request and response side) run the newest version, no drift.', args: ['status'] },
      { title: 'rollback --yes', why: "Puts the distribution's owned parts back as they were before the attach, in one update.", args: ['rollback', '--yes'] },
    ];
    for (const [index, step] of steps.entries()) {
      say();
      say(c.bold(`${index + 1}/${steps.length + 1}  edge-install ${step.title}`));
      say(c.dim(step.why));
      const code = await ctx.run([...step.args, ...common]);
      if (code !== 0) throw new RuntimeError(`the demo's ${step.title} step exited ${code}`);
    }
    say();
    say(c.bold(`${steps.length + 1}/${steps.length + 1}  compare`));
    const final = await distributionConfigAt(sandbox.endpoint, id);
    if (!isDeepStrictEqual(final, original)) throw new RuntimeError('the config after rollback differs from the original');
    say(c.green(`✓ config restored: ${id} is identical to the original, every member compared.`));
    say(c.dim(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.${ctx.flags.keep ? ` The demo project is in ${dir}.` : ''}`));
  } finally {
    if (hadSecret === undefined) delete env[secretVariable];
    else env[secretVariable] = hadSecret;
    await sandbox.close();
    if (!ctx.flags.keep) rmSync(dir, { recursive: true, force: true });
  }
}
