/**
 * The kill matrix for canaries: `attach --canary`, `promote` and `abort`, the real binary
 * killed with SIGKILL after every CloudFront write they make, at the worst moment (AWS made the
 * change, the process never heard of it). Then the command run again converges, and what is
 * recorded agrees with what is live:
 * - a canary start leaves one staging copy (a copy never tagged is found by its CallerReference,
 *   not made twice), the primary changed in its policy only, and the canary running;
 * - a promote is recorded from the write-ahead journal (rollback goes back from it) and the
 *   primary runs the new version;
 * - an abort leaves the primary exactly as before the canary.
 */
import { GetDistributionConfigCommand, ListDistributionsCommand, UpdateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/sandbox/calls.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, PASS_THROUGH_HANDLER, type Project, runCli } from '../helpers/cli.js';
import { killAfterCall } from '../helpers/kill.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0, replicaDeletionMs: 0 } });
});
afterAll(async () => {
  await sb.close();
  project?.remove();
});

type Cli = (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

async function ok(cli: Cli, ...args: string[]) {
  const run = await cli(...args);
  expect(run.code, `${args.join(' ')}\n${run.stderr}\n${run.stdout}`).toBe(0);
  return run;
}

const primaryConfig = async () => (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
const stagings = async () => (await sb.cloudfront.send(new ListDistributionsCommand({}))).DistributionList!.Items!.filter((d) => d.Staging);
const versionOf = (c: DistributionConfig) => c.CacheBehaviors?.Items?.find((b) => b.PathPattern === 'fpjs-abc/*')?.LambdaFunctionAssociations?.Items?.[0]?.LambdaFunctionARN?.split(':').at(-1);
const withoutPolicy = (c: DistributionConfig) => ({ ...c, ContinuousDeploymentPolicyId: '' });

/** Before the command: v1 attached (HTTP/2: CloudFront has no continuous deployment for HTTP/3), v2 written; for promote and abort, v2 canaried. */
let beforeCanary: DistributionConfig;
async function fresh(canaried: boolean): Promise<Cli> {
  await sb.admin('POST', 'reset');
  project?.remove();
  project = fpProxyProject([ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
  const current = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, HttpVersion: 'http2' } }));
  const cli: Cli = (...args) => runCli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);
  await ok(cli, 'attach', '--yes');
  writeFileSync(join(project.dir, 'handler.ts'), `${PASS_THROUGH_HANDLER}\nexport const version = 2;\n`);
  beforeCanary = await primaryConfig();
  if (canaried) await ok(cli, 'attach', '--yes', '--canary', 'header=k');
  return cli;
}


interface Scenario {
  name: string;
  canaried: boolean;
  command: string[];
  /** After the kill: finish the job, then check what is live and recorded. */
  converge: (cli: Cli, label: string) => Promise<void>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'attach --canary',
    canaried: false,
    command: ['attach', '--yes', '--canary', 'header=k'],
    converge: async (cli, label) => {
      await ok(cli, 'attach', '--yes', '--canary', 'header=k');
      expect(await stagings(), `${label}: one staging copy, never two`).toHaveLength(1);
      const primary = await primaryConfig();
      expect(withoutPolicy(primary), `${label}: the primary changed in its policy only`).toEqual(withoutPolicy(beforeCanary));
      expect(versionOf(primary)).toBe('1');
      expect((await cli('status')).stdout, label).toContain('canary running');
    },
  },
  {
    name: 'promote',
    canaried: true,
    command: ['promote', '--yes'],
    converge: async (cli, label) => {
      if (versionOf(await primaryConfig()) !== '2') await ok(cli, 'promote', '--yes');
      expect(versionOf(await primaryConfig()), label).toBe('2');
      const status = JSON.parse((await cli('status', '--json')).stdout) as { distributions: { drift: string[] }[] };
      expect(status.distributions[0]!.drift.filter((d) => d.startsWith('since revision')), label).toEqual([]);
      await ok(cli, 'rollback', '--yes');
      // The promote is recorded (by the killed run, or from its journal by the next command), and rollback went back from it.
      const kinds = readdirSync(join(project.stateDir, 'fp-proxy', 'revisions')).sort().map((f) => JSON.parse(readFileSync(join(project.stateDir, 'fp-proxy', 'revisions', f), 'utf8')).kind);
      expect(kinds.slice(-2), `${label}: the promote is recorded`).toEqual(['promote', 'rollback']);
      expect(versionOf(await primaryConfig()), `${label}: rollback undoes the promote`).toBe('1');
    },
  },
  {
    name: 'abort',
    canaried: true,
    command: ['abort', '--yes'],
    converge: async (cli, label) => {
      if ((await primaryConfig()).ContinuousDeploymentPolicyId) await ok(cli, 'abort', '--yes');
      expect(await primaryConfig(), `${label}: the primary as before the canary`).toEqual(beforeCanary);
    },
  },
];

describe.each(SCENARIOS)('kill matrix: $name', (scenario) => {
  let writes: CallRecord[] = [];

  beforeAll(async () => {
    const cli = await fresh(scenario.canaried);
    const start = (await sb.calls()).length;
    await ok(cli, ...scenario.command);
    // The CloudFront writes: the resource steps before them are attach's own, in the upgrade kill matrix (kill-matrix.test.ts).
    writes = (await sb.calls()).slice(start).filter((c) => c.mutating && c.status < 300 && c.service === 'cloudfront');
  });

  it('after every AWS write, a SIGKILL loses nothing and the command converges', { timeout: 600_000 }, async () => {
    expect(writes.length).toBeGreaterThan(0);
    for (let k = 0; k < writes.length; k++) {
      const call = writes[k]!;
      const label = `kill after write ${k + 1}/${writes.length} ${call.service}.${call.operation}`;
      const cli = await fresh(scenario.canaried);
      const nth = writes.slice(0, k).filter((c) => c.operation === call.operation && c.service === call.service).length;
      await killAfterCall(sb, project, scenario.command, call, nth);
      await scenario.converge(cli, label);
    }
  });
});
