/**
 * Progress without a terminal (a pipe, CI, --json): plain lines stamped with the time, one per
 * step, through a whole attach — Lambda's state waits and the deployment included — and the
 * secret's replica wait, which stops an attach whose replica Secrets Manager could not make.
 *
 * The waits are real waits on the sandbox's clock (an hour each): the run moves the clock on
 * when it says what it waits for, so nothing here sleeps or races a timer.
 */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/program.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { type Project, recipeProject } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const HOUR = 3_600_000;
const STAMP = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`;
let sb: TestSandbox;
let project: Project | undefined;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
});
afterEach(() => {
  project?.remove();
  Object.assign(sb.world.delays, INSTANT.delays);
});

interface Reaction {
  /** Once stderr shows this… */
  when: RegExp;
  /** …this is done (once), while the run goes on. */
  then: () => Promise<unknown>;
}

/** The CLI in this process, stderr a pipe; each reaction runs as soon as its text is on stderr. */
async function attachReacting(extra: string[], reactions: Reaction[] = [], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const left = [...reactions];
  const started: Promise<unknown>[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: {
      write: (text: string) => {
        stderr += text;
        while (left.length && left[0]!.when.test(stderr)) started.push(left.shift()!.then());
      },
      isTTY: false,
    },
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    cwd: process.cwd(),
    signals: new EventEmitter(),
  };
  const code = await main(['node', 'edge-install', 'attach', '--yes', ...extra, '--config', project!.manifestPath, '--state-dir', project!.stateDir, '--endpoint-url', sb.endpoint], io);
  await Promise.all(started);
  return { code, stdout, stderr, pending: left.map((r) => String(r.when)) };
}

const line = (text: string) => new RegExp(`^${STAMP} ${text}$`, 'm');

describe('plain lines', () => {
  it("a whole attach, Lambda's wait and the deployment's included, one stamped line per step", async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
    sb.world.delays.lambdaStateMs = HOUR;
    sb.world.delays.deployMs = HOUR;
    const run = await attachReacting(
      [],
      [
        { when: /function edge-enforcer-enforcer: waiting until Lambda makes it Active \(State Pending\)…\n/, then: () => sb.advance(HOUR) },
        { when: /E1DEMO0EXAMPLE: waiting until Deployed…\n/, then: () => sb.advance(HOUR) },
      ],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.pending).toEqual([]);
    const progress = run.stderr.split('\n').filter((l) => new RegExp(`^${STAMP} `).test(l));
    expect(progress.map((l) => l.replace(new RegExp(`^${STAMP} `), '').replace(/after \d+s/, 'after Ns').replace(/ETag \w+/, 'ETag X'))).toEqual([
      'Putting the secret, role, functions and cache policies in place…',
      'function edge-enforcer-enforcer: waiting until Lambda makes it Active (State Pending)…',
      'function edge-enforcer-enforcer: ready after Ns.',
      'Secret, role, functions and cache policies are in place after Ns.',
      'E1DEMO0EXAMPLE: updated (ETag X).',
      'E1DEMO0EXAMPLE: waiting until Deployed…',
      'E1DEMO0EXAMPLE: Deployed after Ns.',
    ]);
    // No spinner, no escape sequences: a log reads as it was written.
    expect(run.stderr).not.toMatch(/\u001b|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });

  it('--json: the same stamped lines on stderr, the one document on stdout', async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
    const run = await attachReacting(['--json'], [], { CI: 'true' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(line('E1DEMO0EXAMPLE: Deployed after \\d+s\\.'));
    expect(JSON.parse(run.stdout)).toMatchObject({ distributions: [{ id: ID, status: 'Deployed' }] });
  });
});

describe("the secret's replicas", () => {
  it('a replica Secrets Manager could not make stops the attach before any distribution is written, saying why and what to do', async () => {
    // A secret of the same name in the replica's region: Secrets Manager answers Failed for it.
    const west = new SecretsManagerClient(sb.clientConfig('eu-west-1'));
    await west.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: '{}' }));
    west.destroy();
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID], (m) => {
      m.secret!.replicaRegions = ['eu-west-1'];
    });
    const before = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag;
    const run = await attachReacting([]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('could not replicate the secret edge-install/edge-enforcer to eu-west-1');
    expect(run.stderr).toContain('Secret name already exists in region: eu-west-1');
    expect(run.stderr).toContain('drop eu-west-1 from secret.replicaRegions');
    expect((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag).toBe(before);
  });

  it('replicas InSync at once cost no extra read and print nothing extra', async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID], (m) => {
      m.secret!.replicaRegions = ['eu-west-1'];
    });
    const run = await attachReacting([]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('replicas are InSync');
    const calls = (await sb.calls()).map((c) => c.operation);
    expect(calls.filter((c) => c === 'ReplicateSecretToRegions')).toHaveLength(1);
    // The wait's first read is ReplicateSecretToRegions' own answer (InSync): no DescribeSecret after it.
    expect(calls.slice(calls.indexOf('ReplicateSecretToRegions'))).not.toContain('DescribeSecret');
  });
});
