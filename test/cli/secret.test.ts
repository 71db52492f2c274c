/**
 * `edge-install secret set|rotate|keys` against the sandbox, in process: one new secret version
 * per change, merged so every other key keeps its value; approval (--yes, exit 2 when a run
 * cannot ask); --json; a revision per distribution that `rollback` moves the secret back with
 * (and a rollback of that rollback forward again); unknown, plain, vendor-issued and
 * user-supplied keys refused (rotate) with exit 2 and no AWS write; a concurrent writer never
 * clobbered; replicas waited for; and the known values never in anything printed or written.
 */
import { CreateDistributionCommand, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SECRET_TTL_MS } from '../../handlers/shared/secret-cache.js';
import type { ObservedDistribution } from '../../src/aws/observe/distribution.js';
import { parseManifest } from '../../src/manifest/parse.js';
import { DEFAULT_SECRET_TTL_SECONDS, livePickup } from '../../src/plan/secret-change.js';
import { pickupText } from '../../src/cli/render/secret-text.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, recipeProject, runCli, type CliOptions, type CliRun, type Project } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const NAME = 'edge-install/fp-proxy';
/** Known values, grepped for in everything printed and written. */
const OLD_PSK = 'old-psk-7d1e0a-never-printed';
const NEW_PSK = 'new-psk-3b9f52-never-printed';
const SIGNING = 'signing-key-a61c04-never-printed';

let sb: TestSandbox;
let project: Project;
const runs: CliRun[] = [];

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
afterEach(() => {
  if (!project) return;
  // Nothing printed or written ever holds a value.
  const everything = [...runs.flatMap((r) => [r.stdout, r.stderr]), project.allFiles()].join('\n');
  for (const value of [OLD_PSK, NEW_PSK, SIGNING]) expect(everything).not.toContain(value);
  runs.length = 0;
  project.remove();
  project = undefined as unknown as Project;
});

async function setUp(options: { replicas?: string[]; generated?: boolean } = {}) {
  await sb.admin('POST', 'reset');
  project?.remove();
  // A key of the handler's own (not one the recipe asks the vendor for): the user's, unless the manifest marks it "generated".
  project = fpProxyProject([ID], (m) => {
    m.secret!.keys.SESSION_SIGNING_KEY = { sensitive: true, description: 'Session signing key', ...(options.generated ? { generated: true } : {}) };
    if (options.replicas) m.secret!.replicaRegions = options.replicas;
  });
  await sb.secrets.send(
    new CreateSecretCommand({
      Name: NAME,
      SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: OLD_PSK, SESSION_SIGNING_KEY: SIGNING }),
      AddReplicaRegions: options.replicas?.map((Region) => ({ Region })),
    }),
  );
}

const cli = async (args: string[], options: Pick<CliOptions, 'input' | 'env' | 'signals'> = {}) => {
  const run = await runCli([...args, '--config', project.manifestPath, '--endpoint-url', sb.endpoint, '--state-dir', project.stateDir], options);
  runs.push(run);
  return run;
};
const stored = async (region = 'us-east-1'): Promise<Record<string, string>> => {
  const client = region === 'us-east-1' ? sb.secrets : new SecretsManagerClient(sb.clientConfig(region));
  return JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: NAME }))).SecretString!) as Record<string, string>;
};
const currentVersion = async () => (await sb.secrets.send(new GetSecretValueCommand({ SecretId: NAME }))).VersionId!;
const revisionFiles = () => {
  const dir = join(project.stateDir, 'fp-proxy', 'revisions');
  try {
    return readdirSync(dir).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown> & { kind?: string; secret?: Record<string, string> });
  } catch {
    return [];
  }
};
const writesDuring = async (work: () => Promise<unknown>) => {
  const before = (await sb.calls()).length;
  await work();
  return (await sb.calls()).slice(before).filter((c) => ['PutSecretValue', 'UpdateSecretVersionStage', 'CreateSecret', 'UpdateDistribution'].includes(c.operation));
};

describe('secret set', () => {
  beforeEach(() => setUp());

  it('--from-stdin --yes: one new version, only that key changed, a revision rollback moves back (and forward again)', async () => {
    expect((await cli(['attach', '--yes'])).code).toBe(0);
    const before = await currentVersion();
    const revisionsBefore = revisionFiles().length;

    const run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: `${NEW_PSK}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('~ FPJS_PRE_SHARED_SECRET: (changed)');
    expect(run.stdout).toMatch(/Live functions \(proxy on E1DEMO0EXAMPLE\) read the secret at run time, so nothing is redeployed/);
    // The trailing newline of the pipe is not part of the value; every other key keeps its value.
    const after = await stored();
    expect(after.FPJS_PRE_SHARED_SECRET).toBe(NEW_PSK);
    expect(after.SESSION_SIGNING_KEY).toBe(SIGNING);
    expect(after.FPJS_BEHAVIOR_PATH).toBe('fpjs-abc');
    const written = await currentVersion();
    expect(written).not.toBe(before);

    const revisions = revisionFiles();
    expect(revisions).toHaveLength(revisionsBefore + 1);
    const revision = revisions.at(-1)!;
    expect(revision.kind).toBe('secret');
    expect(revision.distributionId).toBe(ID);
    expect(revision.secret).toEqual({ name: NAME, region: 'us-east-1', arn: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:/), versionBefore: before, versionId: written, changedKeys: ['FPJS_PRE_SHARED_SECRET'] });
    expect(revision.by).toMatch(/^arn:aws:/);
    expect(revision.ownedBefore).toEqual(revision.ownedAfter);
    // The lock was taken and given back; the journal holds nothing (no distribution write).
    expect(readdirSync(join(project.stateDir, 'fp-proxy'))).not.toContain('lock.json');
    expect(JSON.parse(readFileSync(join(project.stateDir, 'fp-proxy', 'journal.json'), 'utf8'))).toMatchObject({ pending: [] });

    // rollback: no distribution write, AWSCURRENT back on the old version.
    const back = await cli(['rollback', '--yes']);
    expect(back.code, back.stderr).toBe(0);
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(OLD_PSK);
    expect(await currentVersion()).toBe(before);
    // A rollback of the rollback moves it forward again.
    const forward = await cli(['rollback', '--yes']);
    expect(forward.code, forward.stderr).toBe(0);
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(NEW_PSK);
    expect(await currentVersion()).toBe(written);
  });

  it('--from-env VAR reads the variable (only its name is on the command line)', async () => {
    const run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-env', 'PSK_FOR_TEST', '--yes'], { env: { PSK_FOR_TEST: NEW_PSK } });
    expect(run.code, run.stderr).toBe(0);
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(NEW_PSK);
    // Not attached anywhere: said so.
    expect(run.stdout).toContain('nothing reads the secret yet');
  });

  it('without --yes, a run that cannot ask shows the change and exits 2 without writing', async () => {
    let run: CliRun | undefined;
    const writes = await writesDuring(async () => (run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin'], { input: NEW_PSK })));
    expect(run!.code).toBe(2);
    expect(run!.stdout).toContain('FPJS_PRE_SHARED_SECRET: (changed)');
    expect(run!.stderr).toContain('secret set needs approval');
    expect(run!.stderr).toContain('--yes');
    expect(writes).toEqual([]);
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(OLD_PSK);
  });

  it('no value given and no terminal: exit 2 naming --from-stdin and --from-env, before any AWS call', async () => {
    const before = (await sb.calls()).length;
    const run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--yes']);
    expect(run.code).toBe(2);
    // The reason is the first that holds: CI set (as under .ci/run), else stdin not a terminal.
    expect(run.stderr).toMatch(/cannot prompt for the value \((CI is set|stdin is not a terminal)\).*--from-stdin.*--from-env/);
    expect((await sb.calls()).length).toBe(before);
  });

  it('bad sources: empty stdin, an unset variable, both flags — exit 2, no AWS call', async () => {
    const before = (await sb.calls()).length;
    expect((await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: '\n' })).stderr).toContain('stdin was empty');
    const unset = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-env', 'NOT_SET_ANYWHERE_42', '--yes']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('NOT_SET_ANYWHERE_42 is not set');
    const both = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--from-env', 'X', '--yes'], { input: NEW_PSK });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
    expect((await sb.calls()).length).toBe(before);
  });

  it('an unknown key is exit 2 with a did-you-mean and the keys; a plain key names the manifest', async () => {
    const before = (await sb.calls()).length;
    const typo = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRT', '--from-stdin', '--yes'], { input: NEW_PSK });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean FPJS_PRE_SHARED_SECRET?');
    expect(typo.stderr).toContain('Its keys: FPJS_PRE_SHARED_SECRET, FPJS_BEHAVIOR_PATH, FPJS_AGENT_DOWNLOAD_PATH, FPJS_GET_RESULT_PATH, SESSION_SIGNING_KEY');
    const plain = await cli(['secret', 'set', 'FPJS_BEHAVIOR_PATH', '--from-stdin', '--yes'], { input: 'x' });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('secret.keys.FPJS_BEHAVIOR_PATH.value');
    expect((await sb.calls()).length).toBe(before);
  });

  it('--json: one document on stdout with key names and version ids only', async () => {
    const before = await currentVersion();
    const run = await cli(['secret', 'set', 'SESSION_SIGNING_KEY', '--from-stdin', '--yes', '--json'], { input: NEW_PSK });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      version: 1,
      command: 'secret set',
      integration: 'fp-proxy',
      secret: { name: NAME, region: 'us-east-1', replicaRegions: [] },
      changes: [{ key: 'SESSION_SIGNING_KEY', action: 'replace' }],
      versionBefore: before,
      versionId: await currentVersion(),
      revisions: [revisionFiles().at(-1)!.revision],
      live: { redeploy: false },
    });
    expect(run.stderr).toContain('SESSION_SIGNING_KEY: (changed)');
  });

  it('the same value again writes nothing; --dry-run writes nothing', async () => {
    let run: CliRun | undefined;
    expect(await writesDuring(async () => (run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: OLD_PSK })))).toEqual([]);
    expect(run!.code).toBe(0);
    expect(run!.stderr).toContain('Nothing to write');
    expect(await writesDuring(async () => (run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--dry-run'], { input: NEW_PSK })))).toEqual([]);
    expect(run!.code).toBe(0);
    expect(run!.stdout).toContain('FPJS_PRE_SHARED_SECRET: (changed)');
    expect(run!.stderr).toContain('Dry run: nothing was written');
    expect(revisionFiles()).toEqual([]);
  });

  it('a key the manifest names but the secret lacks is added', async () => {
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: NAME, SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: OLD_PSK }) }));
    const run = await cli(['secret', 'set', 'SESSION_SIGNING_KEY', '--from-stdin', '--yes'], { input: SIGNING });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('+ SESSION_SIGNING_KEY: (added)');
    expect(await stored()).toEqual({ FPJS_PRE_SHARED_SECRET: OLD_PSK, SESSION_SIGNING_KEY: SIGNING });
  });

  it.each([
    ['its read of the keys to merge', 'GetSecretValue', 1],
    ['its new version written, just before it is made current', 'UpdateSecretVersionStage', 0],
  ] as const)('someone else writing the secret during %s: their value stays current, nothing of ours goes live (exit 1)', async (_when, operation, after) => {
    await sb.hold({ operation, after });
    const running = cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK });
    await sb.waitUntilHeld(operation);
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: NAME, SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: OLD_PSK, SESSION_SIGNING_KEY: 'someone-else' }) }));
    await sb.admin('DELETE', 'faults');
    await sb.release();
    const run = await running;
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('changed after it was read');
    expect(run.stderr).toContain('their value stays current. Nothing went live');
    expect(await stored()).toEqual({ FPJS_PRE_SHARED_SECRET: OLD_PSK, SESSION_SIGNING_KEY: 'someone-else' });
    expect(revisionFiles()).toEqual([]);
    // Our version, if written, carries no label: deprecated, for Secrets Manager to remove.
    const { VersionIdsToStages } = await sb.secrets.send(new DescribeSecretCommand({ SecretId: NAME }));
    expect(Object.values(VersionIdsToStages ?? {}).flat().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });

  it('a successful write leaves only the usual labels (the pending one is taken off once recorded)', async () => {
    const run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK });
    expect(run.code, run.stderr).toBe(0);
    const { VersionIdsToStages } = await sb.secrets.send(new DescribeSecretCommand({ SecretId: NAME }));
    expect(Object.values(VersionIdsToStages ?? {}).flat().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
    const calls = (await sb.calls()).filter((c) => c.service === 'secretsmanager' && ['PutSecretValue', 'UpdateSecretVersionStage'].includes(c.operation)).map((c) => c.operation);
    expect(calls).toEqual(['PutSecretValue', 'UpdateSecretVersionStage', 'UpdateSecretVersionStage']);
  });

  it('a secret created without a value takes its first one', async () => {
    await sb.admin('POST', 'reset');
    await sb.secrets.send(new CreateSecretCommand({ Name: NAME }));
    const run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('+ FPJS_PRE_SHARED_SECRET: (added)');
    expect(await stored()).toEqual({ FPJS_PRE_SHARED_SECRET: NEW_PSK });
  });

  it('a secret without a value that someone gives a first value between the read and the write: theirs stays, ours never goes live (exit 1)', async () => {
    await sb.admin('POST', 'reset');
    await sb.secrets.send(new CreateSecretCommand({ Name: NAME }));
    // The plan's read finds no value; its answer is held while someone else stores one.
    await sb.hold({ operation: 'GetSecretValue', when: 'after' });
    const running = cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK });
    await sb.waitUntilHeld('GetSecretValue');
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: NAME, SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: OLD_PSK }) }));
    await sb.admin('DELETE', 'faults');
    await sb.release();
    const run = await running;
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('AWSCURRENT is no longer unset: someone stored a first value');
    expect(run.stderr).toContain('Nothing went live');
    expect(await stored()).toEqual({ FPJS_PRE_SHARED_SECRET: OLD_PSK });
    expect(revisionFiles()).toEqual([]);
    const { VersionIdsToStages } = await sb.secrets.send(new DescribeSecretCommand({ SecretId: NAME }));
    expect(Object.values(VersionIdsToStages ?? {}).flat()).toEqual(['AWSCURRENT']);
  });

  it('interrupted before the write: nothing is written, and it says so (exit 130)', async () => {
    // The second GetSecretValue is apply's read of the version to merge into, just before the write.
    await sb.hold({ operation: 'GetSecretValue', after: 1 });
    const signals = new EventEmitter();
    let run: CliRun | undefined;
    const writes = await writesDuring(async () => {
      const running = cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK, signals });
      await sb.waitUntilHeld('GetSecretValue');
      signals.emit('SIGINT');
      await sb.admin('DELETE', 'faults');
      await sb.release();
      run = await running;
    });
    expect(run!.code, run!.stderr).toBe(130);
    expect(run!.stderr).toContain('interrupted before the secret write: nothing was written to the secret edge-install/fp-proxy');
    expect(writes).toEqual([]);
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(OLD_PSK);
    expect(revisionFiles()).toEqual([]);
  });

  it('a secret holding SecretBinary is refused (exit 2) and left as it is', async () => {
    await sb.admin('POST', 'reset');
    await sb.secrets.send(new CreateSecretCommand({ Name: NAME, SecretBinary: new Uint8Array([1, 2, 3]) }));
    let run: CliRun | undefined;
    expect(await writesDuring(async () => (run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK })))).toEqual([]);
    expect(run!.code).toBe(2);
    expect(run!.stderr).toContain('does not hold a JSON object of keys');
    const value = await sb.secrets.send(new GetSecretValueCommand({ SecretId: NAME }));
    expect([...value.SecretBinary!]).toEqual([1, 2, 3]);
  });

  it('takes the integration lock: while another run holds it, nothing is written', async () => {
    mkdirSync(join(project.stateDir, 'fp-proxy'), { recursive: true });
    writeFileSync(join(project.stateDir, 'fp-proxy', 'lock.json'), JSON.stringify({ id: 'other-run', pid: 1, host: 'elsewhere', user: 'ci', command: 'edge-install attach', startedAt: new Date().toISOString() }));
    let run: CliRun | undefined;
    expect(await writesDuring(async () => (run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK })))).toEqual([]);
    expect(run!.code).not.toBe(0);
    expect(run!.stderr).toContain('locked by');
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(OLD_PSK);
  });

  it('creates a secret that is not there yet, holding the one key, tagged as the integration\'s; a second key is added to it', async () => {
    await sb.admin('POST', 'reset');
    const run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Creates the secret holding this key, tagged edge-install:integration=fp-proxy.');
    expect(run.stdout).toContain(`the secret ${NAME} does not exist in us-east-1: it is created with FPJS_PRE_SHARED_SECRET only; store SESSION_SIGNING_KEY the same way`);
    expect(await stored()).toEqual({ FPJS_PRE_SHARED_SECRET: NEW_PSK });
    const { Tags } = await sb.secrets.send(new DescribeSecretCommand({ SecretId: NAME }));
    expect(Tags).toContainEqual({ Key: 'edge-install:integration', Value: 'fp-proxy' });
    const second = await cli(['secret', 'set', 'SESSION_SIGNING_KEY', '--from-stdin', '--yes'], { input: SIGNING });
    expect(second.code, second.stderr).toBe(0);
    expect(await stored()).toEqual({ FPJS_PRE_SHARED_SECRET: NEW_PSK, SESSION_SIGNING_KEY: SIGNING });
  });
});

describe('secret rotate', () => {
  beforeEach(() => setUp());

  it('makes a new random value for a key the manifest marks "generated", recorded for rollback', async () => {
    await setUp({ generated: true });
    const before = await currentVersion();
    const run = await cli(['secret', 'rotate', 'SESSION_SIGNING_KEY', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('~ SESSION_SIGNING_KEY: (a new random value)');
    const after = await stored();
    expect(after.SESSION_SIGNING_KEY).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(after.SESSION_SIGNING_KEY).not.toBe(SIGNING);
    expect(after.FPJS_PRE_SHARED_SECRET).toBe(OLD_PSK);
    expect(revisionFiles().at(-1)).toMatchObject({ kind: 'secret', secret: { versionBefore: before, versionId: await currentVersion() } });
    expect(run.stdout).not.toContain(after.SESSION_SIGNING_KEY);
    expect(run.stderr).not.toContain(after.SESSION_SIGNING_KEY);
    expect(project.allFiles()).not.toContain(after.SESSION_SIGNING_KEY);
    expect((await cli(['rollback', '--yes'])).code).toBe(0);
    expect((await stored()).SESSION_SIGNING_KEY).toBe(SIGNING);
    // secret keys names rotate for it.
    const keys = JSON.parse((await cli(['secret', 'keys', '--json'])).stdout) as { keys: { key: string; kind: string; changeWith: string[] }[] };
    expect(keys.keys.find((k) => k.key === 'SESSION_SIGNING_KEY')).toMatchObject({ kind: 'generated', changeWith: ['edge-install secret rotate SESSION_SIGNING_KEY', 'edge-install secret set SESSION_SIGNING_KEY'] });
  });

  it('refuses a vendor-issued key with exit 2, naming secret set; no AWS call', async () => {
    const before = (await sb.calls()).length;
    const run = await cli(['secret', 'rotate', 'FPJS_PRE_SHARED_SECRET', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('issued by the vendor');
    expect(run.stderr).toContain('edge-install secret set FPJS_PRE_SHARED_SECRET');
    expect((await sb.calls()).length).toBe(before);
  });

  it('refuses a key added by hand to a built-in manifest (the user\'s, not generated): exit 2, naming secret set; no AWS call', async () => {
    const before = (await sb.calls()).length;
    const run = await cli(['secret', 'rotate', 'SESSION_SIGNING_KEY', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('edge-install rotates only keys it generates, and SESSION_SIGNING_KEY is not one');
    expect(run.stderr).toContain('Fix: get the new value where the old one came from, then store it with: edge-install secret set SESSION_SIGNING_KEY');
    expect((await sb.calls()).length).toBe(before);
    expect((await stored()).SESSION_SIGNING_KEY).toBe(SIGNING);
  });
});

describe('a custom recipe\'s keys are the user\'s', () => {
  const CUSTOM_NAME = 'edge-install/edge-custom';
  const API_KEY = 'third-party-api-key-5e2b90-never-printed';
  beforeEach(async () => {
    await sb.admin('POST', 'reset');
    project = recipeProject('custom', { secretKeys: 'THIRD_PARTY_API_KEY' }, [ID]);
    await sb.secrets.send(new CreateSecretCommand({ Name: CUSTOM_NAME, SecretString: JSON.stringify({ THIRD_PARTY_API_KEY: API_KEY }) }));
  });

  it('rotate refuses it (exit 2, names secret set, no AWS call); secret keys shows it as the user\'s, changed with secret set; set changes it', async () => {
    expect(project.manifest.secret?.keys.THIRD_PARTY_API_KEY).toEqual({ sensitive: true });
    const before = (await sb.calls()).length;
    const rotate = await cli(['secret', 'rotate', 'THIRD_PARTY_API_KEY', '--yes']);
    expect(rotate.code).toBe(2);
    expect(rotate.stderr).toContain("its value comes from you (a custom handler's key");
    expect(rotate.stderr).toContain('edge-install secret set THIRD_PARTY_API_KEY');
    expect((await sb.calls()).length).toBe(before);

    const text = await cli(['secret', 'keys']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/THIRD_PARTY_API_KEY\s+sensitive, yours\s+yes/);
    expect(text.stdout).not.toContain('secret rotate');
    const doc = JSON.parse((await cli(['secret', 'keys', '--json'])).stdout) as { keys: { key: string; kind: string; changeWith: string[] }[] };
    expect(doc.keys).toEqual([expect.objectContaining({ key: 'THIRD_PARTY_API_KEY', kind: 'user-supplied', changeWith: ['edge-install secret set THIRD_PARTY_API_KEY'] })]);

    const set = await cli(['secret', 'set', 'THIRD_PARTY_API_KEY', '--from-stdin', '--yes'], { input: NEW_PSK });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse((await sb.secrets.send(new GetSecretValueCommand({ SecretId: CUSTOM_NAME }))).SecretString!)).toEqual({ THIRD_PARTY_API_KEY: NEW_PSK });
    for (const run of runs) expect(`${run.stdout}${run.stderr}`).not.toContain(API_KEY);
    expect(project.allFiles()).not.toContain(API_KEY);
  });
});

describe('secret keys', () => {
  beforeEach(() => setUp());

  it('lists names, kinds and last-changed dates, never values (text and --json)', async () => {
    const created = (await sb.secrets.send(new GetSecretValueCommand({ SecretId: NAME }))).CreatedDate!.toISOString();
    expect((await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK })).code).toBe(0);
    const setAt = (await sb.secrets.send(new GetSecretValueCommand({ SecretId: NAME }))).CreatedDate!.toISOString();

    const text = await cli(['secret', 'keys']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/FPJS_PRE_SHARED_SECRET\s+sensitive, vendor-issued\s+yes\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(text.stdout).toMatch(/SESSION_SIGNING_KEY\s+sensitive, yours\s+yes/);
    expect(text.stdout).toMatch(/FPJS_BEHAVIOR_PATH\s+manifest value\s+no\s+-/);

    const json = await cli(['secret', 'keys', '--json']);
    const doc = JSON.parse(json.stdout) as { version: number; secret: { name: string; versions: number }; keys: { key: string; kind: string; stored: boolean; lastChanged: string | null; exact: boolean | null }[] };
    expect(doc.version).toBe(1);
    expect(doc.secret).toMatchObject({ name: NAME, versions: 2 });
    const row = (key: string) => doc.keys.find((k) => k.key === key)!;
    expect(row('FPJS_PRE_SHARED_SECRET')).toMatchObject({ kind: 'vendor-issued', stored: true, lastChanged: setAt, exact: true });
    expect(row('SESSION_SIGNING_KEY')).toMatchObject({ kind: 'user-supplied', stored: true, lastChanged: created, exact: true, changeWith: ['edge-install secret set SESSION_SIGNING_KEY'] });
    expect(row('FPJS_GET_RESULT_PATH')).toMatchObject({ kind: 'manifest-value', stored: false, lastChanged: null });

    // After a rollback, the key's value changed again: dated by the rollback's revision.
    expect((await cli(['rollback', '--yes'])).code).toBe(0);
    const rolled = JSON.parse((await cli(['secret', 'keys', '--json'])).stdout) as typeof doc;
    const rollbackAt = revisionFiles().at(-1)!.createdAt as string;
    expect(rolled.keys.find((k) => k.key === 'FPJS_PRE_SHARED_SECRET')).toMatchObject({ lastChanged: rollbackAt, exact: true });
    expect(rolled.keys.find((k) => k.key === 'SESSION_SIGNING_KEY')).toMatchObject({ lastChanged: created });
  });

  it('a key stored but not in the manifest is listed as such', async () => {
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: NAME, SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: OLD_PSK, SESSION_SIGNING_KEY: SIGNING, LEFTOVER: 'x' }) }));
    const run = await cli(['secret', 'keys']);
    expect(run.stdout).toMatch(/LEFTOVER\s+not in the manifest\s+yes/);
  });
});

describe('secret set on a manifest with two distributions', () => {
  it('records a revision on each; rollback of only one leaves the secret (the other still runs it), of both moves it back', async () => {
    await setUp();
    const demo = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
    const other = (await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...demo, CallerReference: 'secret-copy', Aliases: { Quantity: 0 } } }))).Distribution!.Id!;
    const manifest = JSON.parse(readFileSync(project.manifestPath, 'utf8')) as { distributions: string[] };
    manifest.distributions = [ID, other];
    writeFileSync(project.manifestPath, JSON.stringify(manifest));
    const before = await currentVersion();
    expect((await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK })).code).toBe(0);
    expect(revisionFiles().map((r) => [r.kind, r.distributionId])).toEqual([['secret', ID], ['secret', other]]);

    const partial = await cli(['rollback', '--distribution', ID, '--yes']);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toContain(`${other} still runs the change that wrote them`);
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(NEW_PSK);

    expect((await cli(['rollback', '--yes'])).code).toBe(0);
    expect((await stored()).FPJS_PRE_SHARED_SECRET).toBe(OLD_PSK);
    expect(await currentVersion()).toBe(before);
  });
});

describe('secret set with a replicated secret', () => {
  beforeEach(() => setUp({ replicas: ['eu-west-1'] }));

  it('waits until the replica holds the new version', async () => {
    const run = await cli(['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-stdin', '--yes'], { input: NEW_PSK });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Replicas in sync: eu-west-1');
    expect((await stored('eu-west-1')).FPJS_PRE_SHARED_SECRET).toBe(NEW_PSK);
  });
});

describe('who reads the new value, and when (pure)', () => {
  it("the default TTL is the built-in handlers' cache TTL", () => {
    expect(DEFAULT_SECRET_TTL_SECONDS * 1000).toBe(DEFAULT_SECRET_TTL_MS);
  });

  it('built-in handlers: within their TTL (config.secretTtlSeconds or 5 minutes), nothing to redeploy', () => {
    const local = fpProxyProject([ID]);
    local.remove();
    const manifest = parseManifest({ ...local.manifest, functions: { proxy: { ...local.manifest.functions.proxy!, handler: 'builtin:first-party-proxy' } } });
    const live = (ttl?: number) => {
      const m = structuredClone(manifest);
      if (ttl) m.functions.proxy!.config = { ...m.functions.proxy!.config, secretTtlSeconds: ttl };
      const arn = 'arn:aws:lambda:us-east-1:123456789012:function:fp-proxy-proxy:3';
      const distribution = { id: ID, etag: 'E', config: { DefaultCacheBehavior: { LambdaFunctionAssociations: { Quantity: 1, Items: [{ EventType: 'origin-request', LambdaFunctionARN: arn }] } } } } as unknown as ObservedDistribution;
      return livePickup(m, [distribution], ['fp-proxy-proxy']);
    };
    expect(live()).toMatchObject({ withinSeconds: 300, redeploy: false, readers: [{ key: 'proxy', builtin: true, ttlSeconds: 300, distributions: [ID] }] });
    expect(pickupText(live())).toBe(`Live functions (proxy on ${ID}) read the new value within 5 minutes (their secret cache TTL); nothing to redeploy. Until then, instances that read the secret earlier keep using the old value.`);
    expect(live(90).withinSeconds).toBe(90);
    expect(pickupText(live(90))).toContain('within 90 seconds');
  });
});
