/**
 * `edge-install revisions` (in-process, on the sandbox): the history with who made each change
 * and what it changed, one revision as a plan document, the ids `rollback --to` takes and the
 * way an unknown one points back at this list — with the state in a directory (no lock, no AWS
 * call, no credentials needed) and in S3.
 */
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shortCaller } from '../../src/cli/render/revisions-text.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { type CliRun, fpProxyProject, PASS_THROUGH_HANDLER, type Project, runCli } from '../helpers/cli.js';
import { createStateBucket, STATE_URL, stateObjects } from '../helpers/s3.js';
import { useSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
/** Who the sandbox says the caller is (sts:GetCallerIdentity). */
const CALLER = 'arn:aws:iam::123456789012:user/sandbox';
/** The pre-shared secret: never in any output or state file. */
const SECRET = 'psk-Rv7hQ2mZ-never-in-history';
const box = useSandbox();
let project: Project;
const runs: CliRun[] = [];

beforeEach(async () => {
  project = fpProxyProject([ID]);
  await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }) }));
});
afterEach(() => {
  for (const run of runs.splice(0)) expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
  expect(project.allFiles()).not.toContain(SECRET);
  project.remove();
});

const cli = async (...args: string[]) => {
  const withState = args.includes('--state') ? args : [...args, '--state-dir', project.stateDir];
  const run = await runCli([...withState, '--config', project.manifestPath, '--endpoint-url', box.sb.endpoint]);
  runs.push(run);
  return run;
};
const ok = async (...args: string[]) => {
  const run = await cli(...args);
  expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
};
const newHandlerCode = () => writeFileSync(join(project.dir, 'handler.ts'), `${PASS_THROUGH_HANDLER}\nexport const version = 2;\n`);
const proxyTrigger = async () =>
  (await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!.CacheBehaviors!.Items!.find((b) => b.PathPattern === 'fpjs-abc/*')?.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN;
const callCount = async () => (await box.sb.calls()).length;
const revisionsDir = () => join(project.stateDir, 'fp-proxy', 'revisions');

/** attach, attach with new code, rollback: three revisions. */
async function history(...state: string[]): Promise<void> {
  await ok('attach', '--yes', ...state);
  newHandlerCode();
  await ok('attach', '--yes', ...state);
  await ok('rollback', '--yes', ...state);
}

describe('revisions: the list', () => {
  it('attach, attach, rollback: ids, who, command, distribution and what changed, oldest first; --json has every field', async () => {
    await history();
    const before = await callCount();
    const text = await ok('revisions');
    const json = await ok('revisions', '--json');
    // Read-only and local: not one AWS call.
    expect(await callCount()).toBe(before);

    const lines = text.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('ID '));
    expect(lines[header]).toMatch(/^ID\s+TIME \(UTC\)\s+WHO\s+COMMAND\s+DISTRIBUTION\s+CHANGES$/);
    const rows = lines.slice(header + 1, header + 4).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      [`000001-${ID}`, '123456789012:user/sandbox', 'attach', ID],
      [`000002-${ID}`, '123456789012:user/sandbox', 'attach', ID],
      [`000003-${ID}`, '123456789012:user/sandbox', 'rollback', ID],
    ]);
    expect(rows[0]![1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rows[0]![5]).toMatch(/^\+ origin ei-fp-proxy-vendor, \+ behavior fpjs-abc\/\*, \+ 2 triggers → fp-proxy-proxy:1, secret .+ changed$/);
    expect(rows[1]![5]).toBe('2 triggers fp-proxy-proxy:1 → 2');
    expect(rows[2]![5]).toBe('2 triggers fp-proxy-proxy:2 → 1');
    expect(text.stdout).toContain(`Revisions of fp-proxy in ${project.stateDir} (--state-dir), oldest first:`);
    expect(text.stdout).toContain('edge-install rollback --to <id>');

    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ version: 1, integration: 'fp-proxy', state: project.stateDir, pending: [], problems: [] });
    expect(doc.revisions.map((r: { id: string; seq: number; kind: string; by: string; distributionId: string }) => [r.id, r.seq, r.kind, r.by, r.distributionId])).toEqual([
      [`000001-${ID}`, 1, 'attach', CALLER, ID],
      [`000002-${ID}`, 2, 'attach', CALLER, ID],
      [`000003-${ID}`, 3, 'rollback', CALLER, ID],
    ]);
    expect(doc.revisions[1].summary).toBe('2 triggers fp-proxy-proxy:1 → 2');
    // The whole record: what show and rollback work from.
    expect(doc.revisions[0].ownedAfter.origins[0].Id).toBe('ei-fp-proxy-vendor');
    expect(doc.revisions[0].etagAfter).toBe(doc.revisions[1].etagBefore);
    // Every revision file records who made it.
    for (const name of readdirSync(revisionsDir())) expect(JSON.parse(readFileSync(join(revisionsDir(), name), 'utf8')).by).toBe(CALLER);
  });

  it('--distribution and --limit narrow it; an empty history says where it looked; a bad --limit is exit 2', async () => {
    const empty = await ok('revisions');
    expect(empty.stdout).toContain(`No revisions of fp-proxy in ${project.stateDir}`);
    expect(JSON.parse((await ok('revisions', '--json')).stdout).revisions).toEqual([]);
    await history();
    const latest = JSON.parse((await ok('revisions', '--limit', '2', '--json')).stdout);
    expect(latest.revisions.map((r: { seq: number }) => r.seq)).toEqual([2, 3]);
    const other = await ok('revisions', '--distribution', 'E2OTHER0EXAMPLE');
    expect(other.stdout).toContain('No revisions of fp-proxy for the distributions given');
    expect(JSON.parse((await ok('revisions', '--distribution', ID, '--json')).stdout).revisions).toHaveLength(3);
    const bad = await cli('revisions', '--limit', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit must be a whole number');
  });

  it('needs no AWS credentials when the state is in a directory', async () => {
    await ok('attach', '--yes');
    const env = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: 'no-such-profile', AWS_CONFIG_FILE: join(project.dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(project.dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true', EDGE_INSTALL_ENDPOINT_URL: '' };
    const before = await callCount();
    const run = await runCli(['revisions', '--config', project.manifestPath, '--state-dir', project.stateDir], { env });
    const show = await runCli(['revisions', 'show', '1', '--config', project.manifestPath, '--state-dir', project.stateDir], { env });
    runs.push(run, show);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`000001-${ID}`);
    expect(show.code, show.stderr).toBe(0);
    expect(await callCount()).toBe(before);
  });

  it('an older revision without `by` shows unknown; a damaged record is named on stderr and left out', async () => {
    await ok('attach', '--yes');
    const file = join(revisionsDir(), `000001-${ID}.json`);
    const { by: _by, ...older } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, `${JSON.stringify(older, null, 2)}\n`);
    writeFileSync(join(revisionsDir(), `000002-${ID}.json`), '{"version": 1, "kind": "att');
    const run = await ok('revisions');
    expect(run.stdout).toMatch(new RegExp(`000001-${ID}\\s+\\S+ \\S+\\s+unknown\\s+attach`));
    expect(run.stdout).not.toContain(`000002-${ID}`);
    expect(run.stderr).toContain(`000002-${ID}.json cannot be used (not valid JSON`);
    const show = await ok('revisions', 'show', '1');
    expect(show.stdout).toMatch(/by:\s+unknown \(recorded before edge-install kept who made a change\)/);
  });

  it('a write the journal holds is listed until a command records it — with the caller of the run that made it', async () => {
    await ok('attach', '--yes');
    // The run stopped between the write and its record: the revision is not there, the journal entry is.
    const file = join(revisionsDir(), `000001-${ID}.json`);
    const { revision: _r, seq: _s, writeId: _w, ...draft } = JSON.parse(readFileSync(file, 'utf8'));
    const other = 'arn:aws:sts::123456789012:assumed-role/deploy/ci-run-42';
    rmSync(file);
    writeFileSync(join(project.stateDir, 'fp-proxy', 'journal.json'), `${JSON.stringify({ version: 1, pending: [{ version: 1, id: 'c0ffee0000000001', createdAt: draft.createdAt, draft: { ...draft, by: other } }] }, null, 2)}\n`);
    const listed = await ok('revisions');
    expect(listed.stdout).toContain('No revisions of fp-proxy');
    expect(listed.stdout).toMatch(/! attach of E1DEMO0EXAMPLE started .* by 123456789012:assumed-role\/deploy\/ci-run-42 is in the journal, not yet a revision/);
    expect(JSON.parse((await ok('revisions', '--json')).stdout).pending).toEqual([expect.objectContaining({ writeId: 'c0ffee0000000001', kind: 'attach', by: other, distributionId: ID })]);
    // The next writing command (here an attach with nothing to change) records it: by the run that made it.
    await ok('attach', '--yes');
    const doc = JSON.parse((await ok('revisions', '--json')).stdout);
    expect(doc.pending).toEqual([]);
    expect(doc.revisions).toEqual([expect.objectContaining({ id: `000001-${ID}`, by: other, recovered: true })]);
    expect(doc.revisions[0].summary).toMatch(/\(recorded later, from the journal\)$/);
  });
});

describe('revisions show', () => {
  it('prints one revision as a plan document, by id or number; --json is the plan document with the revision', async () => {
    await history();
    const text = await ok('revisions', 'show', `000001-${ID}`);
    expect(text.stdout).toContain(`Revision 000001-${ID}`);
    expect(text.stdout).toMatch(/command:\s+attach/);
    expect(text.stdout).toMatch(new RegExp(`by:\\s+${CALLER}`));
    expect(text.stdout).toContain('Integration fp-proxy');
    expect(text.stdout).toContain('+ origin ei-fp-proxy-vendor  fpcdn.io');
    expect(text.stdout).toContain('+ behavior fpjs-abc/* at position 2');
    expect(text.stdout).toContain('+ trigger fpjs-abc/* origin-request → arn:aws:lambda:us-east-1:123456789012:function:fp-proxy-proxy:1 (include body)');
    expect(text.stdout).toMatch(/Changed: 4 created, 1 updated, 0 deleted\./);
    expect(text.stdout).not.toContain('Plan:');
    expect(text.stdout).toContain(`edge-install rollback --to 000001-${ID}`);

    const rolledBack = await ok('revisions', 'show', '3');
    expect(rolledBack.stdout).toContain('~ trigger fpjs-abc/* origin-response  arn:aws:lambda:us-east-1:123456789012:function:fp-proxy-proxy  version 2 → 1');

    const doc = JSON.parse((await ok('revisions', 'show', '2', '--json')).stdout);
    expect(doc).toMatchObject({ version: 1, integration: 'fp-proxy', revision: { id: `000002-${ID}`, seq: 2, kind: 'attach', by: CALLER, distributionId: ID, summary: '2 triggers fp-proxy-proxy:1 → 2' }, resources: [], summary: { create: 0, update: 2, delete: 0 } });
    expect(doc.distributions[0].changes.map((c: { action: string; kind: string; address: string }) => `${c.action} ${c.kind} ${c.address}`)).toEqual([
      'update association behaviors.fpjs-abc/*.origin-request',
      'update association behaviors.fpjs-abc/*.origin-response',
    ]);
  });

  it('an unknown id is exit 2 with the nearest id, the latest ones and `edge-install revisions`', async () => {
    await history();
    const typo = await cli('revisions', 'show', '000002-E1DEMO0EXAMPL');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain(`Did you mean 000002-${ID}?`);
    expect(typo.stderr).toContain('run `edge-install revisions`');
    const none = await cli('revisions', 'show', '42');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no such revision of fp-proxy in ${project.stateDir}`);
    expect(none.stderr).toContain(`The latest: 000003-${ID} (rollback,`);
  });
});

describe('rollback --to takes the ids the list prints', () => {
  it('an id from the list (or its number) goes back to it; an unknown one points at the list and writes nothing', async () => {
    await ok('attach', '--yes');
    newHandlerCode();
    await ok('attach', '--yes');
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:2$/);
    const ids = JSON.parse((await ok('revisions', '--json')).stdout).revisions.map((r: { id: string }) => r.id);
    await ok('rollback', '--yes', '--to', ids[0]);
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:1$/);
    await ok('rollback', '--yes', '--to', '2');
    expect(await proxyTrigger()).toMatch(/:fp-proxy-proxy:2$/);
    const kinds = JSON.parse((await ok('revisions', '--json')).stdout).revisions.map((r: { kind: string; summary: string }) => `${r.kind}: ${r.summary}`);
    expect(kinds.slice(2)).toEqual(['rollback: 2 triggers fp-proxy-proxy:2 → 1', 'rollback: 2 triggers fp-proxy-proxy:1 → 2']);

    const writes = (await box.sb.calls()).filter((c) => c.mutating).length;
    const nope = await cli('rollback', '--yes', '--to', 'nope');
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain('--to nope: no such revision of fp-proxy');
    expect(nope.stderr).toContain(`The latest: 000004-${ID} (rollback,`);
    expect(nope.stderr).toContain('run `edge-install revisions` to list them all');
    expect((await box.sb.calls()).filter((c) => c.mutating).length).toBe(writes);
  });
});

describe('revisions with the state in S3', () => {
  it('lists and shows what S3 holds, reading only S3, taking no lock', async () => {
    await createStateBucket(box.sb);
    await history('--state', STATE_URL);
    const before = await callCount();
    const list = await ok('revisions', '--state', STATE_URL);
    expect(list.stdout).toContain(`Revisions of fp-proxy in ${STATE_URL} (--state), oldest first:`);
    expect(list.stdout).toMatch(new RegExp(`000003-${ID}\\s+\\S+ \\S+\\s+123456789012:user/sandbox\\s+rollback`));
    const doc = JSON.parse((await ok('revisions', '--json', '--state', STATE_URL)).stdout);
    expect(doc.state).toBe(STATE_URL);
    expect(doc.revisions.map((r: { by: string }) => r.by)).toEqual([CALLER, CALLER, CALLER]);
    const show = await ok('revisions', 'show', '2', '--state', STATE_URL);
    expect(show.stdout).toContain('version 1 → 2');
    const calls = (await box.sb.calls()).slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.service !== 's3')).toEqual([]);
    expect(calls.filter((c) => c.mutating)).toEqual([]);
    expect(Object.keys(await stateObjects(box.sb)).filter((k) => k.endsWith('lock.json'))).toEqual([]);
  });
});

describe('shortCaller', () => {
  it('keeps the account and the identity, drops what names nothing a reader knows', () => {
    expect(shortCaller('arn:aws:iam::123456789012:user/division/alice')).toBe('123456789012:user/division/alice');
    expect(shortCaller('arn:aws:sts::123456789012:assumed-role/deploy/ci-run-42')).toBe('123456789012:assumed-role/deploy/ci-run-42');
    expect(shortCaller('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com')).toBe('123456789012:assumed-role/AWSReservedSSO_AdministratorAccess/alice@example.com');
    expect(shortCaller('arn:aws:iam::123456789012:root')).toBe('123456789012:root');
    expect(shortCaller('arn:aws-cn:sts::123456789012:federated-user/bob')).toBe('aws-cn:123456789012:federated-user/bob');
    expect(shortCaller(undefined)).toBe('unknown');
    expect(shortCaller('not-an-arn')).toBe('not-an-arn');
  });
});
