/**
 * The proof that a killed run loses nothing. For every AWS write of a first attach, an upgrade
 * (a second attach that publishes a new version), a rollback and a detach, the real binary is
 * killed with SIGKILL at the worst moment: AWS has made the change and the process has not yet
 * heard of it, so it records nothing more (the sandbox runs the call and holds its answer;
 * the process dies; the answer goes nowhere). Then:
 * - `status` and `rollback --dry-run` agree with what is live: no revision blames a hand edit
 *   (the write-ahead journal says what the dead run was writing, and the next command
 *   resolves it), and the dead run's lock is taken over;
 * - the same command run again converges: nothing left to change, status in sync.
 */
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/sandbox/calls.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, PASS_THROUGH_HANDLER, type Project, runCli } from '../helpers/cli.js';
import { killAfterCall } from '../helpers/kill.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
const stats = { cases: 0, passed: 0 };

beforeAll(async () => {
  sb = await startTestSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0, replicaDeletionMs: 0 } });
});
afterAll(async () => {
  await sb.close();
  console.log(`kill matrix: ${stats.passed}/${stats.cases} kill points passed`);
  if (process.env.KILL_MATRIX_STATS) writeFileSync(process.env.KILL_MATRIX_STATS, JSON.stringify({ kill_matrix_cases: stats.cases, kill_matrix_passed: stats.passed }));
});

interface Scenario {
  name: string;
  /** Commands run (in this process) to reach the state the scenario starts from. */
  setup: (cli: Cli) => Promise<void>;
  /** The command that is killed. */
  command: string[];
  /** After the kill: what converging means (the command again, or what finishes it). */
  converge: (cli: Cli) => Promise<void>;
}

type Cli = (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

const newCode = (p: Project) => writeFileSync(join(p.dir, 'handler.ts'), `${PASS_THROUGH_HANDLER}\nexport const version = 2;\n`);

async function ok(cli: Cli, ...args: string[]) {
  const run = await cli(...args);
  expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
}

const SCENARIOS: Scenario[] = [
  { name: 'first attach', setup: async () => {}, command: ['attach', '--yes'], converge: (cli) => ok(cli, 'attach', '--yes').then(() => undefined) },
  {
    name: 'upgrade (a new version)',
    setup: async (cli) => {
      await ok(cli, 'attach', '--yes');
      newCode(project);
    },
    command: ['attach', '--yes'],
    converge: (cli) => ok(cli, 'attach', '--yes').then(() => undefined),
  },
  {
    name: 'rollback',
    setup: async (cli) => {
      await ok(cli, 'attach', '--yes');
      newCode(project);
      await ok(cli, 'attach', '--yes');
    },
    command: ['rollback', '--yes'],
    // Killed before its write: the rollback is still to do. After it: it is done and recorded.
    converge: async (cli) => {
      const live = await proxyVersion();
      if (live === '2') await ok(cli, 'rollback', '--yes');
      expect(await proxyVersion()).toBe('1');
    },
  },
  {
    name: 'detach',
    setup: (cli) => ok(cli, 'attach', '--yes').then(() => undefined),
    command: ['detach', '--yes'],
    converge: (cli) => ok(cli, 'detach', '--yes').then(() => undefined),
  },
];

let project: Project;

async function proxyVersion(): Promise<string | undefined> {
  const c = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
  return c.CacheBehaviors?.Items?.find((b) => b.PathPattern === 'fpjs-abc/*')?.LambdaFunctionAssociations?.Items?.[0]?.LambdaFunctionARN?.split(':').at(-1);
}

async function fresh(): Promise<Cli> {
  await sb.admin('POST', 'reset');
  project?.remove();
  project = fpProxyProject([ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
  return (...args: string[]) => runCli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);
}


describe.each(SCENARIOS)('kill matrix: $name', (scenario) => {
  let writes: CallRecord[] = [];

  beforeAll(async () => {
    const cli = await fresh();
    await scenario.setup(cli);
    const start = (await sb.calls()).length;
    await ok(cli, ...scenario.command);
    writes = (await sb.calls()).slice(start).filter((c) => c.mutating && c.status < 300);
  });

  it('has AWS writes to kill after', () => {
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.some((c) => c.operation === 'UpdateDistribution')).toBe(true);
  });

  it('after every one, a SIGKILL loses nothing: status and rollback agree with what is live, and the command converges', { timeout: 600_000 }, async () => {
    for (let k = 0; k < writes.length; k++) {
      const call = writes[k]!;
      const label = `kill after write ${k + 1}/${writes.length} ${call.service}.${call.operation}`;
      stats.cases++;
      const cli = await fresh();
      await scenario.setup(cli);
      const start = (await sb.calls()).length;
      const nth = writes.slice(0, k).filter((c) => c.operation === call.operation && c.service === call.service).length;
      await killAfterCall(sb, project, scenario.command, call, nth);
      const made = (await sb.calls()).slice(start).filter((c) => c.mutating && c.status < 300);
      expect(made.at(-1), `${label}: the call was made before the kill`).toMatchObject({ operation: call.operation });

      // What is recorded agrees with what is live.
      const status = await cli('status', '--json');
      expect([0, 3], `${label}: status\n${status.stderr}`).toContain(status.code);
      const drift = (JSON.parse(status.stdout) as { distributions: { drift: string[] }[] }).distributions[0]!.drift;
      expect(drift.filter((d) => d.startsWith('since revision')), `${label}: no revision blames a hand edit`).toEqual([]);
      const rollback = await cli('rollback', '--dry-run', '--json');
      expect(rollback.code, `${label}: rollback --dry-run\n${rollback.stderr}`).toBe(0);
      if (writes.slice(0, k + 1).some((c) => c.operation === 'UpdateDistribution')) {
        // The dead run's write is known: rollback goes back from it, not in its limited mode.
        expect(rollback.stdout, `${label}: rollback knows the write`).not.toContain('limited mode');
      }

      // Running it again finishes the job.
      await scenario.converge(cli);
      const settled = await cli('status', '--json');
      const settledDrift = (JSON.parse(settled.stdout) as { distributions: { drift: string[] }[] }).distributions[0]!.drift;
      expect(settledDrift.filter((d) => d.startsWith('since revision')), `${label}: recorded as it is after converging`).toEqual([]);
      if (scenario.name === 'detach') {
        expect(JSON.stringify((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig), `${label}: detached`).not.toContain('fp-proxy');
      } else if (scenario.name !== 'rollback') {
        // (A rollback leaves the older version attached: status calls it stale, as it should.)
        expect(settled.code, `${label}: in sync after converging\n${settled.stdout}`).toBe(0);
        expect((await cli('plan', '--detailed-exitcode')).code, `${label}: nothing left to change`).toBe(0);
      }
      stats.passed++;
    }
  });
});
