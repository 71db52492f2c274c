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
import { functionLogLines, send, startDemoWorld, type DemoWorld } from '../../local-edge/demo-traffic.js';
import type { World } from '../../sandbox/world.js';
import { colors, type Colors } from '../render/colors.js';

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
  // The vendor's hosts and the site, served locally: the installed proxy gets real traffic.
  const traffic = await startDemoWorld('fpcdn.io', 'api.fpjs.io');
  // Short delays: CloudFront takes minutes to deploy, the demo should take seconds.
  const sandbox = await startSandbox({
    seed: 'demo',
    delays: { deployMs: 1_000, lambdaStateMs: 200, iamPropagationMs: 500 },
    edge: { origins: traffic.origins, s3Dirs: traffic.s3Dirs, region: 'eu-west-1' },
  });
  const edge = sandbox.edgeUrls()[sandbox.distributionIds[0]!]!;
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
    say(`It is also served as a local CloudFront edge at ${edge}, with local stand-ins of the`);
    say(`vendor's hosts. We will install the first-party proxy recipe on it, send traffic through`);
    say(`it, and take it off again.`);
    const common = ['--config', join(dir, 'edge-install.json'), '--state-dir', join(dir, '.edge-install'), '--endpoint-url', sandbox.endpoint, ...(color ? [] : ['--no-color'])];
    const steps: Step[] = [
      {
        title: 'init',
        why: 'Writes edge-install.json from the first-party-proxy recipe and stores the pre-shared secret in Secrets Manager (a generated demo value, given through the environment, never printed).',
        args: ['init', '--non-interactive', '--recipe', 'first-party-proxy', '--distribution', id, '--set', 'behaviorPath=fpjs', '--set', 'agentDownloadPath=agent', '--set', 'getResultPath=result', '--secrets-from-env'],
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
    const total = steps.length + 3;
    let n = 0;
    const heading = (title: string, why: string) => {
      say();
      say(c.bold(`${++n}/${total}  ${title}`));
      say(c.dim(why));
    };
    for (const step of steps) {
      if (step.title.startsWith('rollback')) {
        heading('traffic through the proxy', `Real requests to ${edge} (Host: www.example.com): the local edge runs the installed function (its exact published version, in a worker) on the distribution's new behavior.`);
        await showTraffic(say, c, edge, traffic, secretValue(env, secretVariable), sandbox.world);
      }
      heading(`edge-install ${step.title}`, step.why);
      const code = await ctx.run([...step.args, ...common]);
      if (code !== 0) throw new RuntimeError(`the demo's ${step.title} step exited ${code}`);
    }
    heading('after rollback', 'The same agent request again: the proxy behavior is gone, so the site’s default behavior answers.');
    const gone = await send(`${edge}/fpjs/agent?apiKey=demo&version=3&loaderVersion=3.8.1`);
    say(`  GET /fpjs/agent → ${gone.status} (${gone.xCache}) ${gone.body.includes('Not found') ? "the site's own 404 page" : ''}`);
    if (gone.status !== 404) throw new RuntimeError(`after rollback the proxy path answered ${gone.status}, not the site's 404`);
    heading('compare', 'The distribution config, member for member, against the original.');
    const final = await distributionConfigAt(sandbox.endpoint, id);
    if (!isDeepStrictEqual(final, original)) throw new RuntimeError('the config after rollback differs from the original');
    say(c.green(`✓ config restored: ${id} is identical to the original, every member compared.`));
    say(c.dim(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.${ctx.flags.keep ? ` The demo project is in ${dir}.` : ''}`));
  } finally {
    if (hadSecret === undefined) delete env[secretVariable];
    else env[secretVariable] = hadSecret;
    await sandbox.close();
    await traffic.close();
    if (!ctx.flags.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const secretValue = (env: NodeJS.ProcessEnv, name: string): string => env[name] ?? '';

/**
 * An agent download and an identification request through the proxy, what the vendor's
 * stand-ins received (the headers the proxy adds; the pre-shared secret checked, never
 * shown), and the function's log lines as CloudWatch Logs in the sandbox holds them.
 */
async function showTraffic(say: (text?: string) => void, c: Colors, edge: string, traffic: DemoWorld, secret: string, world: World): Promise<void> {
  const agent = await send(`${edge}/fpjs/agent?apiKey=demo&version=3&loaderVersion=3.8.1`);
  const got = traffic.agentCdn.last;
  say(`  GET /fpjs/agent?apiKey=demo&version=3&loaderVersion=3.8.1 → ${agent.status} (${agent.xCache})`);
  say(c.dim(`    the agent CDN stand-in (fpcdn.io) was asked for ${got?.url ?? '(nothing)'}`));
  const again = await send(`${edge}/fpjs/agent?apiKey=demo&version=3&loaderVersion=3.8.1`);
  say(`  the same again → ${again.status} (${again.xCache})`);
  const result = await send(`${edge}/fpjs/result?ci=js/3.8.1`, { method: 'POST', body: '{"demo":true}', headers: { 'content-type': 'text/plain', cookie: '_iidt=demo-cookie; session=private' } });
  const seen = traffic.ingress.last;
  say(`  POST /fpjs/result → ${result.status} (${result.xCache}) ${result.body}`);
  const header = (name: string) => String(seen?.headers[name] ?? '(none)');
  say(c.dim(`    the ingress stand-in (api.fpjs.io) got ${seen?.method ?? '?'} ${seen?.url ?? '(nothing)'} with the headers the proxy adds:`));
  say(c.dim(`      FPJS-Proxy-Secret: ${seen?.headers['fpjs-proxy-secret'] === secret && secret ? '✓ the pre-shared secret (not shown)' : '✗ missing or wrong'}`));
  say(c.dim(`      FPJS-Proxy-Client-IP: ${header('fpjs-proxy-client-ip')}`));
  say(c.dim(`      FPJS-Proxy-Forwarded-Host: ${header('fpjs-proxy-forwarded-host')}`));
  say(c.dim(`      Cookie: ${header('cookie')} (only the vendor's cookie)`));
  if (agent.status !== 200 || result.status !== 200 || seen?.headers['fpjs-proxy-secret'] !== secret) throw new RuntimeError('the proxy did not serve the demo traffic as expected');
  const lines = functionLogLines(world, 'fp-proxy-proxy');
  say(`  its log lines (CloudWatch Logs in the sandbox, ${lines[0]?.region ?? 'eu-west-1'}, ${lines[0]?.group ?? ''}):`);
  for (const line of lines.filter((l) => /^(START|REPORT)/.test(l.message)).slice(0, 4)) say(c.dim(`    ${line.message.split('\t').slice(0, 3).join('  ')}`));
  say(c.dim(`  (any CloudWatch Logs client reads them: aws --endpoint-url <sandbox> logs filter-log-events --region eu-west-1 --log-group-name ${lines[0]?.group ?? ''})`));
}
