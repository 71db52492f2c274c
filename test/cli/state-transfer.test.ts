/**
 * Issue 17, `state push` / `state pull`: an integration's revisions moved between the state dir
 * and S3 (the sandbox's), idempotent, never overwriting a diverging history. One attach and one
 * rollback make the history once; each test works on its own copy of that state dir.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Revision } from '../../src/plan/revision.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { localStore } from '../../src/state/local-store.js';
import { fpProxyProject, runCli, type Project } from '../helpers/cli.js';
import { createStateBucket, s3Client, STATE_BUCKET, STATE_PREFIX, STATE_URL, stateObjects } from '../helpers/s3.js';
import { useSandbox } from '../helpers/sandbox.js';

const box = useSandbox();
const ID = DEMO_DISTRIBUTION_ID;
const REVISIONS = [`000001-${ID}`, `000002-${ID}`];
let project: Project;
/** The history every test starts from: attach, then rollback. */
let history: string;

beforeAll(async () => {
  project = fpProxyProject([ID]);
  await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
  const common = ['--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', box.sb.endpoint];
  for (const command of ['attach', 'rollback']) {
    const run = await runCli([command, '--yes', ...common]);
    expect(run.code, run.stderr).toBe(0);
  }
  history = project.stateDir;
});
afterAll(() => project.remove());
beforeEach(() => createStateBucket(box.sb));

/** A state dir of its own for a test: a copy of the history, or empty. */
function stateDir(copy = true): string {
  const dir = join(mkdtempSync(join(project.dir, 'state-')), '.edge-install');
  if (copy) cpSync(history, dir, { recursive: true });
  return dir;
}

const cli = (dir: string, ...args: string[]) => runCli(['state', ...args, '--config', project.manifestPath, '--state-dir', dir, '--endpoint-url', box.sb.endpoint]);
const revisionFile = (dir: string, name: string) => join(dir, 'fp-proxy', 'revisions', `${name}.json`);
/** A revision file's text: copies are the same records byte for byte (records.ts keeps a record as read). */
const text = (dir: string, name: string) => readFileSync(revisionFile(dir, name), 'utf8');
const revisionKeys = (names: string[]) => names.map((n) => `fp-proxy/revisions/${n}.json`);

async function putObject(key: string, body: string): Promise<void> {
  const client = s3Client(box.sb);
  try {
    await client.send(new PutObjectCommand({ Bucket: STATE_BUCKET, Key: `${STATE_PREFIX}/${key}`, Body: body }));
  } finally {
    client.destroy();
  }
}

describe('state push', () => {
  it('copies the history to S3 record for record, takes and releases the locks, and says how to use it; a second push copies nothing', async () => {
    const dir = stateDir();
    const push = await cli(dir, 'push', '--to', STATE_URL, '--json');
    expect(push.code, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toEqual({ version: 1, integration: 'fp-proxy', from: dir, to: STATE_URL, copied: REVISIONS, pending: 0, upToDate: false, ahead: 0, dryRun: false });
    expect(push.stderr).toContain(`Copied 2 revisions of fp-proxy from the state dir ${dir} to ${STATE_URL}: ${REVISIONS.join(', ')}.`);
    expect(push.stderr).toContain(`From now on pass --state ${STATE_URL} or set state.s3 in the manifest (README, "State in S3"); the state dir is left as it was.`);
    // Exactly the revisions, byte for byte; no lock left on either side.
    const objects = await stateObjects(box.sb);
    expect(Object.keys(objects).sort()).toEqual(revisionKeys(REVISIONS));
    for (const name of REVISIONS) expect(objects[`fp-proxy/revisions/${name}.json`]).toBe(text(history, name));
    expect(readdirSync(join(dir, 'fp-proxy'))).not.toContain('lock.json');

    const again = await cli(dir, 'push', '--to', STATE_URL, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: [], pending: 0, upToDate: true, ahead: 0 });
    expect(again.stderr).toContain(`${STATE_URL} is already in step with the state dir ${dir}: nothing to copy.`);
    expect(Object.keys(await stateObjects(box.sb)).sort()).toEqual(revisionKeys(REVISIONS));
  });

  it('--dry-run shows what would be copied and writes nothing, not even a lock', async () => {
    const dir = stateDir();
    const mutating = (await box.sb.calls()).filter((c) => c.mutating).length;
    const run = await cli(dir, 'push', '--to', STATE_URL, '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Would copy 2 revisions of fp-proxy from the state dir ${dir} to ${STATE_URL}: ${REVISIONS.join(', ')}.`);
    expect(run.stdout).toContain('Dry run: nothing was written.');
    expect(run.stdout).not.toContain('From now on');
    expect(await stateObjects(box.sb)).toEqual({});
    expect((await box.sb.calls()).filter((c) => c.mutating).length).toBe(mutating);
  });

  it('a diverging history in S3 (another revision 2) is refused, exit 1, naming revision 2 on both sides; nothing is written', async () => {
    const dir = stateDir();
    // S3 holds revision 1, and a revision 2 of its own: an attach made by another machine.
    const theirs = { ...(JSON.parse(readFileSync(revisionFile(history, REVISIONS[1]!), 'utf8')) as Revision), kind: 'attach', createdAt: '2026-01-02T03:04:05.000Z' };
    await putObject(revisionKeys(REVISIONS)[0]!, readFileSync(revisionFile(history, REVISIONS[0]!), 'utf8'));
    await putObject(revisionKeys(REVISIONS)[1]!, `${JSON.stringify(theirs, null, 2)}\n`);
    const before = await stateObjects(box.sb);

    const run = await cli(dir, 'push', '--to', STATE_URL);
    expect(run.code).toBe(1);
    const ours = JSON.parse(readFileSync(revisionFile(history, REVISIONS[1]!), 'utf8')) as Revision;
    expect(run.stderr).toContain(`part at revision 2: the state dir ${dir} holds ${REVISIONS[1]} (rollback of ${ID}, made ${ours.createdAt}); ${STATE_URL} holds ${REVISIONS[1]} (attach of ${ID}, made 2026-01-02T03:04:05.000Z); the two records differ in createdAt, kind`);
    expect(run.stderr).toContain(`Nothing was copied. Fix: the two histories were written apart`);
    expect(run.stderr).toContain(`edge-install status --state ${STATE_URL}`);
    expect(await stateObjects(box.sb)).toEqual(before); // the lock was taken and released: nothing else
  });

  it('S3 ahead of the state dir, agreeing on the common part: nothing copied, and said', async () => {
    expect((await cli(stateDir(), 'push', '--to', STATE_URL)).code).toBe(0);
    const behind = stateDir();
    rmSync(revisionFile(behind, REVISIONS[1]!));
    const run = await cli(behind, 'push', '--to', STATE_URL, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ copied: [], upToDate: true, ahead: 1 });
    expect(run.stderr).toContain(`${STATE_URL} is 1 revision ahead of the state dir ${behind} (${REVISIONS[1]}): nothing to copy; pull to get them: edge-install state pull --from ${STATE_URL} --state-dir ${behind}`);
    expect(existsSync(revisionFile(behind, REVISIONS[1]!))).toBe(false);
  });

  it('carries a pending journal entry under its id, once', async () => {
    const dir = stateDir();
    const revision = JSON.parse(readFileSync(revisionFile(history, REVISIONS[1]!), 'utf8')) as Revision;
    const { revision: _name, seq: _seq, ...draft } = revision;
    const id = await localStore(dir).putPending({ draft: { ...draft, kind: 'attach' } });
    const push = await cli(dir, 'push', '--to', STATE_URL, '--json');
    expect(push.code, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ copied: REVISIONS, pending: 1 });
    expect(push.stderr).toContain(`Carried 1 pending journal entry (a distribution write cut short) to ${STATE_URL}`);
    const journal = JSON.parse((await stateObjects(box.sb))['fp-proxy/journal.json']!) as { pending: { id: string }[] };
    expect(journal.pending.map((p) => p.id)).toEqual([id]);
    const again = await cli(dir, 'push', '--to', STATE_URL, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: [], pending: 0, upToDate: true });
  });

  it('a bad URL is exit 2 before any AWS call', async () => {
    const dir = stateDir();
    const calls = (await box.sb.calls()).length;
    for (const url of ['s3://Not_A_Bucket/prod', 'https://acme-edge-state/prod']) {
      const run = await cli(dir, 'push', '--to', url);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--to ${url}:`);
    }
    const pull = await cli(dir, 'pull', '--from', 's3://x');
    expect(pull.code).toBe(2);
    expect(pull.stderr).toContain("--from s3://x: the bucket name 'x' must be 3 to 63 characters long");
    // --state names one place for a run's state: here there are two, said by the state dir and --to.
    const both = await cli(dir, 'push', '--to', STATE_URL, '--state', STATE_URL);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Fix: leave out --state');
    expect((await box.sb.calls()).length).toBe(calls);
  });

  it('a state dir another run holds is refused, naming it; the lock taken in S3 is released', async () => {
    const dir = stateDir();
    const held = await localStore(dir).acquireLock('fp-proxy', 'edge-install attach');
    try {
      const run = await cli(dir, 'push', '--to', STATE_URL);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`fp-proxy is locked by`);
      expect(run.stderr).toContain(`running \`edge-install attach\``);
      expect(await stateObjects(box.sb)).toEqual({});
    } finally {
      await held.release();
    }
  });
});

describe('state pull', () => {
  it('fills an empty state dir with the history, byte for byte as S3 holds it; a second pull copies nothing', async () => {
    expect((await cli(stateDir(), 'push', '--to', STATE_URL)).code).toBe(0);
    const fresh = stateDir(false);
    const pull = await cli(fresh, 'pull', '--from', STATE_URL);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toContain(`Copied 2 revisions of fp-proxy from ${STATE_URL} to the state dir ${fresh}`);
    expect(pull.stdout).not.toContain('From now on');
    expect(readdirSync(join(fresh, 'fp-proxy'))).toEqual(['revisions']);
    const objects = await stateObjects(box.sb);
    for (const name of REVISIONS) {
      expect(text(fresh, name)).toBe(objects[`fp-proxy/revisions/${name}.json`]);
      expect(text(fresh, name)).toBe(text(history, name));
    }
    const again = await cli(fresh, 'pull', '--from', STATE_URL);
    expect(again.stdout).toContain('already in step');
  });
});

/** The words in order, however help wraps them. */
const words = (text: string) => new RegExp(text.split(' ').map((w) => w.replace(/[[\]]/g, '\\$&')).join('\\s+'));

describe('the command', () => {
  it('`state --help` lists push and pull', async () => {
    const help = await runCli(['state', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(words("push [options] copy the integration's revisions from the state dir to S3"));
    expect(help.stdout).toMatch(words("pull [options] copy the integration's revisions from S3 into the state dir"));
    expect((await runCli(['--help'])).stdout).toMatch(words("state move the integration's revisions between the state dir and S3"));
  });
});
