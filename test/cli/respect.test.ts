/**
 * What the user already has is never clobbered (issue 11, "What the user already has"): a
 * second checkout's init does not silently replace a live integration's secret; init has a dry
 * run; a secret's value changes are planned, recorded and rolled back; --region is checked and
 * errors name the region they looked in; an unknown option's value is never repeated.
 */
import { CreateDistributionCommand, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { listRevisions } from '../../src/state/revisions.js';
import { type CliRun, fpProxyProject, type Project, runCli } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const SECRET_NAME = 'edge-install/fp-proxy';
const LIVE_SECRET = 'live-pre-shared-8c41d2-never-shown';
const OTHER_SECRET = 'teammate-pre-shared-1f9e07-never-shown';

const box = useSandbox();
let project: Project;
/** Another directory: a teammate's checkout, or where a command is run from. */
let elsewhere: string;

beforeEach(() => {
  project = fpProxyProject([ID]);
  elsewhere = mkdtempSync(join(tmpdir(), 'ei-elsewhere-'));
});
afterEach(() => {
  project.remove();
  rmSync(elsewhere, { recursive: true, force: true });
});

/** Every run is checked: no secret value in what it printed. */
async function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const run = await runCli([...args, '--endpoint-url', box.sb.endpoint], options);
  for (const value of [LIVE_SECRET, OTHER_SECRET]) expect(run.stdout + run.stderr).not.toContain(value);
  return run;
}
const inProject = (...args: string[]) => cli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir]);

/** The secret as init creates it (tagged as the integration's). */
async function createSecret(values: Record<string, string> = { FPJS_PRE_SHARED_SECRET: LIVE_SECRET }) {
  await box.sb.secrets.send(new CreateSecretCommand({ Name: SECRET_NAME, SecretString: JSON.stringify(values), Tags: [{ Key: 'edge-install:integration', Value: 'fp-proxy' }] }));
}
const storedSecret = async () => JSON.parse((await box.sb.secrets.send(new GetSecretValueCommand({ SecretId: SECRET_NAME }))).SecretString!) as Record<string, string>;
const currentVersion = async () => (await box.sb.secrets.send(new GetSecretValueCommand({ SecretId: SECRET_NAME }))).VersionId!;
const mutatingCallsDuring = async (work: () => Promise<unknown>) => {
  const before = (await box.sb.calls()).length;
  await work();
  return (await box.sb.calls()).slice(before).filter((c) => c.mutating).map((c) => c.operation);
};

describe('init next to a live integration (a teammate, a second checkout)', () => {
  const teammateInit = (...extra: string[]) =>
    cli(['init', '--recipe', 'first-party-proxy', '--distribution', ID, '--generate-paths', '--secrets-from-env', ...extra], { cwd: elsewhere, env: { EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: OTHER_SECRET } });

  beforeEach(async () => {
    await createSecret();
    expect((await inProject('attach', '--yes')).code).toBe(0);
  });

  it('refuses to change the secret the running functions read, names where it is live, and writes nothing', async () => {
    const before = await storedSecret();
    let run!: CliRun;
    expect(await mutatingCallsDuring(async () => (run = await teammateInit()))).toEqual([]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`the secret ${SECRET_NAME} in us-east-1 is read by live functions on ${ID} (fp-proxy-proxy)`);
    expect(run.stderr).toContain("init does not change a live integration's secret without --force");
    expect(await storedSecret()).toEqual(before);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('with --force it changes it, and says which version holds the value it replaced', async () => {
    const previous = await currentVersion();
    const run = await teammateInit('--force', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('is read by live functions');
    expect(run.stderr).toContain(`The previous value is version ${previous} (AWSPREVIOUS)`);
    expect((JSON.parse(run.stdout) as { secret: { previousVersionId: string } }).secret.previousVersionId).toBe(previous);
    expect((await storedSecret()).FPJS_PRE_SHARED_SECRET).toBe(OTHER_SECRET);
  });

  it('--dry-run says it would be refused, and writes nothing', async () => {
    const run = await teammateInit('--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`exists, LIVE on ${ID}`);
    expect(run.stderr).toContain('without --force');
    expect((await storedSecret()).FPJS_PRE_SHARED_SECRET).toBe(LIVE_SECRET);
  });
});

describe('init --dry-run', () => {
  it('writes nothing anywhere — no manifest, no state, no secret, no AWS write — and shows what would be written', async () => {
    let run!: CliRun;
    const writes = await mutatingCallsDuring(
      async () =>
        (run = await cli(['init', '--recipe', 'first-party-proxy', '--distribution', ID, '--generate-paths', '--secrets-from-env', '--dry-run', '--json'], {
          cwd: elsewhere,
          env: { EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: OTHER_SECRET },
        })),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(writes).toEqual([]);
    expect(readdirSync(elsewhere)).toEqual([]);
    const doc = JSON.parse(run.stdout) as { dryRun: boolean; secret: { created: boolean; keysWritten: string[] } };
    expect(doc.dryRun).toBe(true);
    expect(doc.secret).toMatchObject({ created: true, keysWritten: ['FPJS_AGENT_DOWNLOAD_PATH', 'FPJS_BEHAVIOR_PATH', 'FPJS_GET_RESULT_PATH', 'FPJS_PRE_SHARED_SECRET'] });
    expect(run.stderr).toContain('Dry run: nothing was written');
    expect(await box.sb.secrets.send(new DescribeSecretCommand({ SecretId: SECRET_NAME })).catch((e: Error) => e.name)).toBe('ResourceNotFoundException');
  });
});

describe("the secret's values are planned, recorded and rolled back", () => {
  const moveBehavior = (path: string) => {
    const manifest = { ...project.manifest, values: { ...project.manifest.values, behaviorPath: path } };
    writeFileSync(project.manifestPath, JSON.stringify(manifest, null, 2));
  };

  it('attach records the version it replaced; rollback moves AWSCURRENT back, and a rollback of that forward again', async () => {
    await createSecret();
    expect((await inProject('attach', '--yes')).code).toBe(0);
    const first = await currentVersion();
    moveBehavior('fpjs-moved');
    const planned = await inProject('plan');
    expect(planned.stdout).toMatch(/keysToWrite: FPJS_BEHAVIOR_PATH/);
    expect((await inProject('attach', '--yes')).code).toBe(0);
    const second = await currentVersion();
    expect((await storedSecret()).FPJS_BEHAVIOR_PATH).toBe('fpjs-moved');
    const last = (await listRevisions(project.stateDir, 'fp-proxy', ID)).at(-1)!;
    expect(last.secret).toMatchObject({ versionBefore: first, versionId: second });

    const dry = await inProject('rollback', '--dry-run');
    expect(dry.stdout).toContain(`its values go back: AWSCURRENT moves to version ${first}`);
    const back = await inProject('rollback', '--yes');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain(`the secret ${SECRET_NAME}: its values rolled back (AWSCURRENT is version ${first})`);
    expect(await currentVersion()).toBe(first);
    expect((await storedSecret()).FPJS_BEHAVIOR_PATH).toBe('fpjs-abc');
    expect((await storedSecret()).FPJS_PRE_SHARED_SECRET).toBe(LIVE_SECRET);

    // The rollback is a revision too: undoing it moves the secret forward again, and undoing that, back.
    expect((await inProject('rollback', '--yes')).code).toBe(0);
    expect(await currentVersion()).toBe(second);
    expect((await inProject('rollback', '--yes')).code).toBe(0);
    expect(await currentVersion()).toBe(first);
  });

  const setResultPath = (path: string) => {
    const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8')) as typeof project.manifest;
    manifest.values = { ...manifest.values, getResultPath: path };
    writeFileSync(project.manifestPath, JSON.stringify(manifest, null, 2));
  };

  /** A key of the secret that only the secret holds (the paths are also in the functions' config). */
  const setNote = (value: string) => {
    const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8')) as typeof project.manifest;
    manifest.secret!.keys.NOTE = { value };
    writeFileSync(project.manifestPath, JSON.stringify(manifest, null, 2));
  };

  it('a change of the secret alone (no distribution write) is recorded, and rolled back', async () => {
    await createSecret();
    setNote('one');
    expect((await inProject('attach', '--yes')).code).toBe(0);
    const before = await currentVersion();
    const etag = (await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag;
    setNote('two');
    const attached = await inProject('attach', '--yes');
    expect(attached.code, attached.stderr).toBe(0);
    expect((await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag).toBe(etag);
    const last = (await listRevisions(project.stateDir, 'fp-proxy', ID)).at(-1)!;
    expect(last.secret).toMatchObject({ versionBefore: before, versionId: await currentVersion() });
    expect(last.etagAfter).toBe(etag);
    expect((await inProject('status')).code).toBe(0);

    const back = await inProject('rollback', '--yes');
    expect(back.code, back.stderr).toBe(0);
    expect(await currentVersion()).toBe(before);
    expect((await storedSecret()).NOTE).toBe('one');
    expect((await listRevisions(project.stateDir, 'fp-proxy', ID)).at(-1)!.kind).toBe('rollback');
    expect((await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag).toBe(etag);
  });

  it('rollback --to over several secret writes goes back to the version before the first', async () => {
    await createSecret();
    expect((await inProject('attach', '--yes')).code).toBe(0);
    const to = (await listRevisions(project.stateDir, 'fp-proxy', ID)).at(-1)!.revision;
    const atTo = await currentVersion();
    setResultPath('result-2');
    expect((await inProject('attach', '--yes')).code).toBe(0);
    setResultPath('result-3');
    expect((await inProject('attach', '--yes')).code).toBe(0);
    // atTo carries no label now (AWSPREVIOUS is on the second write's version): it is still there to go back to.
    const run = await inProject('rollback', '--to', to, '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(await currentVersion()).toBe(atTo);
    expect((await storedSecret()).FPJS_GET_RESULT_PATH).toBe('result');
  });

  it('a rollback of some distributions leaves the secret while another one still runs the change', async () => {
    const demo = (await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
    const other = (await box.sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...demo, CallerReference: 'respect-2', Aliases: { Quantity: 0 } } }))).Distribution!.Id!;
    project.remove();
    project = fpProxyProject([ID, other]);
    await createSecret();
    expect((await inProject('attach', '--yes')).code).toBe(0);
    const first = await currentVersion();
    moveBehavior('fpjs-moved');
    expect((await inProject('attach', '--yes')).code).toBe(0);
    const second = await currentVersion();

    const one = await inProject('rollback', '--distribution', ID, '--yes');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain(`keeps its values: ${other} still runs the change that wrote them`);
    expect(await currentVersion()).toBe(second);
    const two = await inProject('rollback', '--distribution', other, '--yes');
    expect(two.code, two.stderr).toBe(0);
    expect(await currentVersion()).toBe(first);
  });

  it('a secret changed since the change (a rotation, a hand edit) is left as it is, and the plan says why', async () => {
    await createSecret();
    expect((await inProject('attach', '--yes')).code).toBe(0);
    moveBehavior('fpjs-moved');
    expect((await inProject('attach', '--yes')).code).toBe(0);
    const rotated = (await box.sb.secrets.send(new PutSecretValueCommand({ SecretId: SECRET_NAME, SecretString: JSON.stringify({ ...(await storedSecret()), FPJS_PRE_SHARED_SECRET: OTHER_SECRET }) }))).VersionId!;
    const run = await inProject('rollback', '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`changed after the change being undone (AWSCURRENT is version ${rotated}`);
    expect(await currentVersion()).toBe(rotated);
  });
});

describe('--region', () => {
  it('a typo is exit 2 with the region it likely meant, before any AWS call', async () => {
    const before = (await box.sb.calls()).length;
    const run = await inProject('plan', '--region', 'us-east1');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--region: 'us-east1' is not an AWS region (did you mean us-east-1?)");
    expect((await box.sb.calls()).length).toBe(before);
    const init = await cli(['init', '--region', 'eu-wset-1', '--recipe', 'first-party-proxy', '--distribution', ID], { cwd: elsewhere });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('did you mean eu-west-1?');
    const noSecret = await cli(['init', '--region', 'eu-west-1', '--recipe', 'custom', '--distribution', ID, '--name', 'c', '--set', 'pathPattern=/x/*', '--set', 'eventType=viewer-request', '--set', 'handler=./h.ts'], { cwd: elsewhere });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('the custom recipe has no secret');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("must agree with the manifest's secret.region on every command that reads the manifest", async () => {
    for (const command of ['plan', 'attach', 'status', 'rollback', 'detach', 'gc']) {
      const run = await inProject(command, '--region', 'eu-west-1', '--yes');
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`--region eu-west-1 disagrees with ${project.manifestPath}, which keeps the secret ${SECRET_NAME} in us-east-1 (secret.region)`);
    }
    await createSecret();
    expect((await inProject('plan', '--region', 'us-east-1')).code).toBe(0);
  });

  it('a secret looked for in the wrong region: the error names the region it looked in', async () => {
    await createSecret();
    const manifest = { ...project.manifest, secret: { ...project.manifest.secret!, region: 'us-west-2' } };
    writeFileSync(project.manifestPath, JSON.stringify(manifest, null, 2));
    const run = await inProject('plan');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`The secret ${SECRET_NAME} was not found in us-west-2, and no value is given for its key FPJS_PRE_SHARED_SECRET`);
    expect(run.stderr).toContain('set secret.region');
  });
});

describe('what belongs to another integration', () => {
  it('a role tagged for another integration is refused, not taken over', async () => {
    await createSecret();
    await box.sb.iam.send(
      new CreateRoleCommand({
        RoleName: 'fp-proxy-edge',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        Tags: [{ Key: 'edge-install:integration', Value: 'someone-else' }],
      }),
    );
    const writes = await mutatingCallsDuring(async () => {
      const run = await inProject('attach', '--yes');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('The role fp-proxy-edge belongs to the integration someone-else');
    });
    expect(writes).toEqual([]);
  });
});

describe('secrets edge-install does not own', () => {
  it("another integration's secret is refused, not re-tagged", async () => {
    await createSecret();
    await box.sb.secrets.send(new TagResourceCommand({ SecretId: SECRET_NAME, Tags: [{ Key: 'edge-install:integration', Value: 'someone-else' }] }));
    const writes = await mutatingCallsDuring(async () => {
      const run = await inProject('attach', '--yes');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`The secret ${SECRET_NAME} in us-east-1 belongs to the integration someone-else`);
    });
    expect(writes).toEqual([]);
  });
});

describe('bad input is refused without repeating it', () => {
  it("an unknown option's value is not echoed (it may be a secret)", async () => {
    const run = await inProject('plan', '--pre-shared-secret=hunter2-d81c');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--pre-shared-secret=…'");
    expect(run.stderr).not.toContain('hunter2-d81c');
    // A value with a quote in it, and a short option with its value attached.
    for (const [given, shown] of [["--x=hun'ter2-d81c", "'--x=…'"], ['-Phunter2-d81c', "'-P…'"]] as const) {
      const odd = await inProject('plan', given);
      expect(odd.code).toBe(2);
      expect(odd.stderr).toContain(`unknown option ${shown}`);
      expect(odd.stderr).not.toContain('ter2-d81c');
    }
  });

  it('the state dir defaults to .edge-install next to the manifest, wherever the command runs', async () => {
    await createSecret();
    const run = await cli(['attach', '--yes', '--config', project.manifestPath], { cwd: elsewhere });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(project.dir, '.edge-install'))).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
    const status = await cli(['status', '--config', project.manifestPath], { cwd: elsewhere });
    expect(status.code, status.stdout + status.stderr).toBe(0);
  });
});
