/**
 * init without a terminal (the CLI's stdin is a pipe here, so it runs non-interactively, as in
 * CI): every answer from flags, --secrets-file, --secrets-from-env or --secrets-stdin; a missing
 * one is exit 2 naming what supplies it; a secret on argv is refused without being repeated;
 * an existing manifest needs --force; the secret step writes only what differs; and no secret
 * value ever shows up in stdout, stderr or a file the run wrote.
 */
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { BIN, type CliRun, runCli, runCliProcess } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
const FPJS_SECRET = 'fpjs-ni-secret-4a7d19-never-shown';
const PX_TOKEN = 'px-ni-token-0f2e88-never-shown';
const PX_COOKIE = 'px-ni-cookie-b61c03-never-shown';
const ALL_SECRETS = [FPJS_SECRET, PX_TOKEN, PX_COOKIE];

let sb: TestSandbox;
let dir: string;
/** Outside the project, so "no secret in any file the run wrote" can look at every project file. */
let secretsDir: string;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  dir = mkdtempSync(join(tmpdir(), 'ei-init-'));
  secretsDir = mkdtempSync(join(tmpdir(), 'ei-init-secrets-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(secretsDir, { recursive: true, force: true });
});

const manifestPath = () => join(dir, 'edge-install.json');

function projectFiles(): string {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(readFileSync(full, 'latin1'));
    }
  };
  walk(dir);
  return out.join('\n');
}

/** Runs init in the project directory; every run is checked for leaked secret values. */
async function init(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
  const run = await runCli(['init', '--endpoint-url', sb.endpoint, ...args], { cwd: dir, ...options });
  for (const value of ALL_SECRETS) {
    expect(run.stdout, 'stdout').not.toContain(value);
    expect(run.stderr, 'stderr').not.toContain(value);
    expect(projectFiles(), 'project files').not.toContain(value);
  }
  return run;
}

function secretsFile(values: Record<string, string>): string {
  const path = join(secretsDir, `secrets-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(values));
  return path;
}

async function storedSecret(name: string, region = 'us-east-1'): Promise<Record<string, string>> {
  const client = region === 'us-east-1' ? sb.secrets : new SecretsManagerClient(sb.clientConfig(region));
  const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
  return JSON.parse(out.SecretString!) as Record<string, string>;
}

async function createSecret(name: string, values: Record<string, string>) {
  await sb.secrets.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(values) }));
}

const mutatingCalls = async () => (await sb.calls()).filter((c) => c.mutating).map((c) => `${c.service}.${c.operation}`);

interface InitDocument {
  version: number;
  manifest: string;
  recipe: string;
  name: string;
  distributions: string[];
  dryRun: boolean;
  secret: { name: string; region: string; created: boolean; keysWritten: string[]; versionId?: string; previousVersionId?: string } | null;
  scaffolded: string[];
}

const FP_KEYS = ['FPJS_AGENT_DOWNLOAD_PATH', 'FPJS_BEHAVIOR_PATH', 'FPJS_GET_RESULT_PATH', 'FPJS_PRE_SHARED_SECRET'];

describe('init, non-interactive: every answer from flags', () => {
  const sources: [string, () => { args: string[]; env?: Record<string, string>; input?: string }][] = [
    ['--secrets-file', () => ({ args: ['--secrets-file', secretsFile({ FPJS_PRE_SHARED_SECRET: FPJS_SECRET })] })],
    ['--secrets-from-env', () => ({ args: ['--secrets-from-env'], env: { EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: FPJS_SECRET } })],
    ['--secrets-stdin', () => ({ args: ['--secrets-stdin'], input: JSON.stringify({ FPJS_PRE_SHARED_SECRET: FPJS_SECRET }) })],
  ];

  it.each(sources)('first-party-proxy with the secret from %s: manifest, secret, JSON document; never plans', async (_label, source) => {
    const { args, env, input } = source();
    const run = await init(['--recipe', 'first-party-proxy', '--distribution', ID, '--set', 'behaviorPath=fpjs-abc', '--generate-paths', '--json', ...args], { env, input });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as InitDocument;
    expect(doc).toEqual({
      version: 1,
      manifest: manifestPath(),
      recipe: 'first-party-proxy',
      name: 'fp-proxy',
      distributions: [ID],
      dryRun: false,
      secret: { name: 'edge-install/fp-proxy', region: 'us-east-1', created: true, keysWritten: FP_KEYS, versionId: expect.any(String) },
      scaffolded: [],
    });
    const raw = JSON.parse(readFileSync(manifestPath(), 'utf8')) as { values: Record<string, string> };
    const manifest = parseManifest(raw);
    expect(manifest.recipe).toBe('first-party-proxy');
    expect(manifest.distributions).toEqual([ID]);
    expect(manifest.behaviors[0]!.pathPattern).toBe('fpjs-abc/*');
    // Defaults apply: random url-safe paths (asked for with --generate-paths), the vendor's hosts.
    expect(raw.values.agentDownloadPath).toMatch(/^[a-z0-9]{10}$/);
    expect(raw.values.getResultPath).toMatch(/^[a-z0-9]{10}$/);
    expect(raw.values.agentDownloadPath).not.toBe(raw.values.getResultPath);
    expect(manifest.origins.vendor!.domainName).toBe('fpcdn.io');
    expect(await storedSecret('edge-install/fp-proxy')).toEqual({
      FPJS_PRE_SHARED_SECRET: FPJS_SECRET,
      FPJS_BEHAVIOR_PATH: 'fpjs-abc',
      FPJS_AGENT_DOWNLOAD_PATH: raw.values.agentDownloadPath,
      FPJS_GET_RESULT_PATH: raw.values.getResultPath,
    });
    // The only write is the secret: no role, function, policy or distribution change.
    expect(await mutatingCalls()).toEqual(['secretsmanager.CreateSecret']);
    expect((await sb.calls()).filter((c) => c.service === 'lambda' || c.service === 'iam')).toEqual([]);
    expect(run.stderr).toContain('Next: edge-install plan');
  });

  it('edge-enforcer: --name, booleans and choices by --set; one secret from the environment, one from stdin', async () => {
    const run = await init(
      [
        '--non-interactive',
        '--recipe', 'edge-enforcer',
        '--name', 'px-edge',
        '--distribution', ID,
        '--set', 'appId=PX12345678',
        '--set', 'moduleMode=active_blocking',
        '--set', 'activities=true',
        '--set', 'firstParty=false',
        '--secrets-from-env',
        '--secrets-stdin',
        '--json',
      ],
      { env: { EDGE_INSTALL_SECRET_PX_AUTH_TOKEN: PX_TOKEN }, input: JSON.stringify({ PX_COOKIE_SECRET: PX_COOKIE }) },
    );
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as InitDocument;
    expect(doc.secret).toEqual({ name: 'edge-install/px-edge', region: 'us-east-1', created: true, keysWritten: ['PX_APP_ID', 'PX_AUTH_TOKEN', 'PX_COOKIE_SECRET'], versionId: expect.any(String) });
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath(), 'utf8')));
    expect(manifest.name).toBe('px-edge');
    expect(Object.keys(manifest.functions).sort()).toEqual(['activities', 'enforcer']);
    expect(manifest.functions.enforcer!.config).toMatchObject({ appId: 'PX12345678', moduleMode: 'active_blocking' });
    expect(manifest.behaviors.map((b) => b.pathPattern)).toEqual(['*']);
    expect(await storedSecret('edge-install/px-edge')).toEqual({ PX_APP_ID: 'PX12345678', PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE });
  });

  it('edge-enforcer with both secrets in --secrets-file', async () => {
    const file = secretsFile({ PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE });
    const run = await init(['--recipe', 'edge-enforcer', '--distribution', ID, '--set', 'appId=PX87654321', '--secrets-file', file]);
    expect(run.code, run.stderr).toBe(0);
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath(), 'utf8')));
    expect(Object.keys(manifest.functions).sort()).toEqual(['enforcer', 'first-party']);
    expect(manifest.behaviors.map((b) => b.pathPattern)).toEqual(['*', '/87654321/*']);
    expect(await storedSecret('edge-install/edge-enforcer')).toEqual({ PX_APP_ID: 'PX87654321', PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE });
  });

  it('custom: no secret; scaffolds the starter handler (and leaves an existing one alone)', async () => {
    const run = await init(['--recipe', 'custom', '--distribution', ID, '--set', 'eventType=viewer-response', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as InitDocument;
    expect(doc.secret).toBeNull();
    expect(doc.scaffolded).toEqual([join(dir, 'edge', 'handler.ts')]);
    const raw = JSON.parse(readFileSync(manifestPath(), 'utf8')) as Record<string, unknown>;
    const manifest = parseManifest(raw);
    expect(manifest.behaviors).toMatchObject([{ pathPattern: '*', triggers: { 'viewer-response': { function: 'main' } } }]);
    // The event is the trigger's, not a value that would change nothing; nothing else is a value either.
    expect(raw.values).toBeUndefined();
    expect(raw.secret).toBeUndefined();
    // The starter is typed for the event it is attached to, and reads no secret.
    const starter = readFileSync(join(dir, 'edge', 'handler.ts'), 'utf8');
    expect(starter).toContain('export const handler');
    expect(starter).toContain("CloudFront's viewer-response event");
    expect(starter).toContain("eventType: 'viewer-response'");
    expect(starter).toContain('Promise<CloudFrontResponse>');
    expect(starter).toContain('cannot change its status');
    expect(starter).not.toContain('secret(');
    expect(starter).not.toMatch(/\/\/#|\{\{/); // no template directive left
    expect(await mutatingCalls()).toEqual([]);

    writeFileSync(join(dir, 'edge', 'handler.ts'), '// mine\nexport const handler = async (e: unknown) => e;\n');
    const again = await init(['--recipe', 'custom', '--distribution', ID, '--force', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as InitDocument).scaffolded).toEqual([]);
    expect(readFileSync(join(dir, 'edge', 'handler.ts'), 'utf8')).toContain('// mine');
  });

  it('--region puts the secret in that region (Lambda@Edge stays in us-east-1)', async () => {
    const run = await init(['--recipe', 'first-party-proxy', '--distribution', ID, '--generate-paths', '--region', 'eu-west-1', '--secrets-from-env', '--json'], { env: { EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: FPJS_SECRET } });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as InitDocument).secret).toMatchObject({ region: 'eu-west-1', created: true });
    expect(parseManifest(JSON.parse(readFileSync(manifestPath(), 'utf8'))).secret!.region).toBe('eu-west-1');
    expect((await storedSecret('edge-install/fp-proxy', 'eu-west-1')).FPJS_PRE_SHARED_SECRET).toBe(FPJS_SECRET);
  });
});

describe('init, non-interactive: missing and refused answers (exit 2, nothing written)', () => {
  const enforcer = ['--recipe', 'edge-enforcer', '--distribution', ID, '--set', 'appId=PX12345678'];
  const bothSecrets = () => ['--secrets-file', secretsFile({ PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE })];

  async function expectRefused(run: CliRun, ...texts: string[]) {
    expect(run.code, run.stderr).toBe(2);
    for (const text of texts) expect(run.stderr).toContain(text);
    expect(existsSync(manifestPath())).toBe(false);
    expect(await mutatingCalls()).toEqual([]);
  }

  it('without --recipe', async () => {
    await expectRefused(await init(enforcer.slice(2).concat(bothSecrets())), 'missing --recipe <recipe> (one of custom, edge-enforcer, first-party-proxy)');
  });

  it('without --distribution', async () => {
    await expectRefused(await init(['--recipe', 'edge-enforcer', '--set', 'appId=PX12345678', ...bothSecrets()]), 'missing --distribution <id>');
  });

  it('without an answer that has no default: names the --set key and what it wants', async () => {
    await expectRefused(await init(['--recipe', 'edge-enforcer', '--distribution', ID, ...bothSecrets()]), 'missing --set appId=… (Application ID, PX (or px) followed by 6-16 letters or digits');
  });

  it('without each secret: names the file, the variable and stdin', async () => {
    const onlyToken = await init([...enforcer, '--secrets-file', secretsFile({ PX_AUTH_TOKEN: PX_TOKEN })]);
    await expectRefused(onlyToken, 'missing secret PX_COOKIE_SECRET: give it in --secrets-file, EDGE_INSTALL_SECRET_PX_COOKIE_SECRET with --secrets-from-env, or --secrets-stdin');
    expect(onlyToken.stderr).not.toContain('missing secret PX_AUTH_TOKEN');

    const onlyCookie = await init([...enforcer, '--secrets-stdin'], { input: JSON.stringify({ PX_COOKIE_SECRET: PX_COOKIE }) });
    await expectRefused(onlyCookie, 'missing secret PX_AUTH_TOKEN: give it in --secrets-file, EDGE_INSTALL_SECRET_PX_AUTH_TOKEN with --secrets-from-env, or --secrets-stdin');

    const proxy = await init(['--recipe', 'first-party-proxy', '--distribution', ID, '--generate-paths']);
    await expectRefused(proxy, 'missing secret FPJS_PRE_SHARED_SECRET: give it in --secrets-file, EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET with --secrets-from-env, or --secrets-stdin');
  });

  it('an EDGE_INSTALL_SECRET_ variable is used only with --secrets-from-env, and the error says so', async () => {
    const run = await init(['--recipe', 'first-party-proxy', '--distribution', ID, '--generate-paths'], { env: { EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: FPJS_SECRET } });
    await expectRefused(run, 'EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET is set: add --secrets-from-env to use it');
  });

  it('a secret value on the command line is refused, and not repeated', async () => {
    const proxy = await runCli(['init', '--endpoint-url', sb.endpoint, '--recipe', 'first-party-proxy', '--distribution', ID, '--set', `FPJS_PRE_SHARED_SECRET=${FPJS_SECRET}`], { cwd: dir });
    await expectRefused(proxy, '--set FPJS_PRE_SHARED_SECRET=… refused', '--secrets-file', 'EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET', '--secrets-stdin');
    expect(proxy.stderr + proxy.stdout).not.toContain(FPJS_SECRET);

    const enforcerToken = await runCli(['init', '--endpoint-url', sb.endpoint, ...enforcer, '--set', `PX_AUTH_TOKEN=${PX_TOKEN}`], { cwd: dir });
    await expectRefused(enforcerToken, '--set PX_AUTH_TOKEN=… refused');
    expect(enforcerToken.stderr + enforcerToken.stdout).not.toContain(PX_TOKEN);

    // Typed in lower case: still refused, and the hint names the variable that is read.
    const lower = await runCli(['init', '--endpoint-url', sb.endpoint, '--recipe', 'first-party-proxy', '--distribution', ID, '--set', `fpjs_pre_shared_secret=${FPJS_SECRET}`], { cwd: dir });
    await expectRefused(lower, 'EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET');
    expect(lower.stderr + lower.stdout).not.toContain(FPJS_SECRET);
    // Refused before any AWS call.
    expect(await sb.calls()).toEqual([]);
  });

  it('with stdin not a terminal and no flags, exits 2 at once instead of waiting for input', async () => {
    // stdin stays open and empty: a prompt would wait forever (the kill timer below turns a hang into code null).
    // Not CI: the reason must be stdin itself (CI sets CI=true, which would be reason enough).
    const child = spawn(process.execPath, [BIN, 'init'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, stderr).toBe(2);
    expect(stderr).toContain('stdin is not a terminal');
    expect(stderr).toContain('--recipe');
    expect(stderr).toContain('--distribution');
    expect(existsSync(manifestPath())).toBe(false);
  });

  it('bad answers: an invalid value, an unknown key, an unknown recipe, an unknown distribution', async () => {
    await expectRefused(await init([...enforcer.slice(0, 4), '--set', 'appId=XX1', ...bothSecrets()]), '--set appId=XX1 is not valid: PX (or px) followed by 6-16 letters or digits');
    await expectRefused(await init([...enforcer, '--set', 'colour=blue', ...bothSecrets()]), "unknown --set key 'colour'");
    await expectRefused(await init([...enforcer, '--name', 'Bad Name', ...bothSecrets()]), '--name Bad Name is not valid: 1-32 lowercase letters, digits or hyphens');
    await expectRefused(await init(['--recipe', 'nope', '--distribution', ID]), "There is no recipe 'nope'");
    await expectRefused(await init(['--recipe', 'edge-enforcer', '--distribution', 'ENOSUCHDIST00', '--set', 'appId=PX12345678', ...bothSecrets()]), 'no distribution ENOSUCHDIST00');
  });

  it('bad secret inputs: unknown key, a non-sensitive key, not JSON (without quoting it)', async () => {
    await expectRefused(await init([...enforcer, '--secrets-file', secretsFile({ PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE, PX_TYPO: 'x' })]), 'unknown secret key PX_TYPO');
    await expectRefused(await init([...enforcer, '--secrets-file', secretsFile({ PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE, PX_APP_ID: 'PX1' })]), 'PX_APP_ID is not a sensitive key');
    await expectRefused(await init([...enforcer, '--secrets-stdin'], { input: `{"PX_AUTH_TOKEN": ${PX_TOKEN}}` }), '--secrets-stdin is not valid JSON');
  });
});

describe('init, non-interactive: existing files and secrets', () => {
  const proxy = (...extra: string[]) => ['--recipe', 'first-party-proxy', '--distribution', ID, '--generate-paths', ...extra];
  const withSecret = () => ['--secrets-file', secretsFile({ FPJS_PRE_SHARED_SECRET: FPJS_SECRET })];

  it('an existing manifest is kept without --force (exit 2 naming it) and replaced with it', async () => {
    writeFileSync(manifestPath(), '{"name":"mine"}\n');
    const refused = await init(proxy(...withSecret()));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(manifestPath(), 'utf8')).toBe('{"name":"mine"}\n');
    expect(await mutatingCalls()).toEqual([]);

    const forced = await init(proxy(...withSecret(), '--force'));
    expect(forced.code, forced.stderr).toBe(0);
    expect(parseManifest(JSON.parse(readFileSync(manifestPath(), 'utf8'))).name).toBe('fp-proxy');
    expect(readdirSync(dir)).toEqual(['edge-install.json']); // the temporary file was renamed, not left
  });

  it('--config writes the manifest elsewhere', async () => {
    mkdirSync(join(dir, 'infra'));
    const run = await init(proxy(...withSecret(), '--config', 'infra/edge.json', '--json'));
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as InitDocument).manifest).toBe(join(dir, 'infra', 'edge.json'));
    expect(parseManifest(JSON.parse(readFileSync(join(dir, 'infra', 'edge.json'), 'utf8'))).name).toBe('fp-proxy');
  });

  it('a stored secret value need not be given again; only keys that differ are written', async () => {
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: FPJS_SECRET, UNRELATED: 'kept' });
    const paths = ['--set', 'behaviorPath=one', '--set', 'agentDownloadPath=agent', '--set', 'getResultPath=result'];
    const first = await init(proxy(...paths, '--json'));
    expect(first.code, first.stderr).toBe(0);
    // Written over a stored secret: the version it replaced is named (it stays as AWSPREVIOUS).
    expect((JSON.parse(first.stdout) as InitDocument).secret).toEqual({
      name: 'edge-install/fp-proxy',
      region: 'us-east-1',
      created: false,
      // Made by hand, untagged: init adopts it (and says so).
      adopted: true,
      keysWritten: ['FPJS_AGENT_DOWNLOAD_PATH', 'FPJS_BEHAVIOR_PATH', 'FPJS_GET_RESULT_PATH'],
      previousVersionId: expect.any(String),
      versionId: expect.any(String),
    });
    expect(await storedSecret('edge-install/fp-proxy')).toEqual({ FPJS_PRE_SHARED_SECRET: FPJS_SECRET, UNRELATED: 'kept', FPJS_BEHAVIOR_PATH: 'one', FPJS_AGENT_DOWNLOAD_PATH: 'agent', FPJS_GET_RESULT_PATH: 'result' });

    await sb.admin('DELETE', 'calls');
    const same = await init(proxy(...paths, '--force', ...withSecret(), '--json'));
    expect(same.code, same.stderr).toBe(0);
    expect((JSON.parse(same.stdout) as InitDocument).secret).toMatchObject({ created: false, keysWritten: [] });
    expect(await mutatingCalls()).toEqual([]);

    const changed = await init(proxy('--set', 'behaviorPath=two', '--set', 'agentDownloadPath=agent', '--set', 'getResultPath=result', '--force', '--json'));
    expect(changed.code, changed.stderr).toBe(0);
    expect((JSON.parse(changed.stdout) as InitDocument).secret).toMatchObject({ keysWritten: ['FPJS_BEHAVIOR_PATH'] });
    expect(await mutatingCalls()).toEqual(['secretsmanager.PutSecretValue']);
    expect((await storedSecret('edge-install/fp-proxy')).FPJS_BEHAVIOR_PATH).toBe('two');
  });

  it('--state s3://… is written into the manifest (state.s3), so every later run and teammate uses it; a bad one is exit 2 before AWS', async () => {
    const bad = await init(proxy(...withSecret(), '--state', 's3://Bad_Bucket/x'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("the bucket name 'Bad_Bucket'");
    expect(await mutatingCalls()).toEqual([]);
    const run = await init(proxy(...withSecret(), '--state', 's3://edge-install-demo-state/team/prod'));
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(manifestPath(), 'utf8')).state).toEqual({ s3: { bucket: 'edge-install-demo-state', prefix: 'team/prod' } });
    const status = await runCli(['status', '--json', '--endpoint-url', sb.endpoint], { cwd: dir });
    expect(JSON.parse(status.stdout).state).toEqual({ location: 's3://edge-install-demo-state/team/prod', chosenBy: "the manifest's state.s3" });
  });

  it('when the manifest cannot be written after the secret was created, the secret is deleted again', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    // The state dir (for the lock) is fine; the manifest's directory is a file.
    const run = await init(proxy(...withSecret(), '--config', 'not-a-dir/edge-install.json', '--state-dir', join(secretsDir, 'state')));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('undone: delete secret edge-install/fp-proxy');
    expect(await mutatingCalls()).toEqual(['secretsmanager.CreateSecret', 'secretsmanager.DeleteSecret']);
    await expect(storedSecret('edge-install/fp-proxy')).rejects.toThrow();
  });

  it('a state dir that cannot take the lock stops init before anything is written', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const run = await init(proxy(...withSecret(), '--config', 'not-a-dir/edge-install.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the state dir .*not-a-dir\/\.edge-install\S* cannot be used: a file stands where a directory should.*Fix: pass --state-dir/);
    expect(await mutatingCalls()).toEqual([]);
  });

  it('a secret scheduled for deletion is refused before anything is written', async () => {
    await createSecret('edge-install/fp-proxy', { FPJS_PRE_SHARED_SECRET: FPJS_SECRET });
    const { DeleteSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    await sb.secrets.send(new DeleteSecretCommand({ SecretId: 'edge-install/fp-proxy', RecoveryWindowInDays: 7 }));
    await sb.admin('DELETE', 'calls');
    const run = await init(proxy(...withSecret()));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('scheduled for deletion');
    expect(existsSync(manifestPath())).toBe(false);
    expect(await mutatingCalls()).toEqual([]);
  });
});

describe("init, non-interactive: values the vendor issues are never invented", () => {
  const secret = () => ['--secrets-file', secretsFile({ FPJS_PRE_SHARED_SECRET: FPJS_SECRET })];

  it('without the proxy paths: exit 2 naming each --set flag and --generate-paths, before any AWS call', async () => {
    const run = await init(['--recipe', 'first-party-proxy', '--distribution', ID, ...secret()]);
    expect(run.code).toBe(2);
    for (const key of ['behaviorPath', 'agentDownloadPath', 'getResultPath']) expect(run.stderr).toContain(`missing --set ${key}=… (`);
    expect(run.stderr).toContain('issued by Fingerprint support');
    expect(run.stderr).toContain('init does not invent it (--generate-paths draws a random one)');
    expect(existsSync(manifestPath())).toBe(false);
    expect(await sb.calls()).toEqual([]);
    // One given, the others still named; empty ones (JS agent v4 only) are answers.
    const one = await init(['--recipe', 'first-party-proxy', '--distribution', ID, '--set', 'behaviorPath=fpjs', ...secret()]);
    expect(one.code).toBe(2);
    expect(one.stderr).not.toContain('--set behaviorPath=…');
    expect(one.stderr).toContain('missing --set getResultPath=…');
    const v4 = await init(['--recipe', 'first-party-proxy', '--distribution', ID, '--set', 'behaviorPath=fpjs', '--set', 'agentDownloadPath=', '--set', 'getResultPath=', ...secret(), '--json']);
    expect(v4.code, v4.stderr).toBe(0);
    expect(JSON.parse(readFileSync(manifestPath(), 'utf8')).values).toMatchObject({ behaviorPath: 'fpjs', agentDownloadPath: '', getResultPath: '' });
  });
});

describe('init, custom recipe: secret keys, the event, the starter', () => {
  it('--set secretKeys writes the secret block (every key sensitive), stores the values given, and the starter reads each key through edge-install/runtime', async () => {
    const file = secretsFile({ API_KEY: FPJS_SECRET, signing_key: PX_TOKEN });
    const run = await init(['--recipe', 'custom', '--name', 'my-edge', '--distribution', ID, '--set', 'eventType=origin-request', '--set', 'secretKeys=API_KEY, signing_key', '--secrets-file', file, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('the secret in us-east-1');
    const doc = JSON.parse(run.stdout) as InitDocument;
    expect(doc.secret).toEqual({ name: 'edge-install/my-edge', region: 'us-east-1', created: true, keysWritten: ['API_KEY', 'signing_key'], versionId: expect.any(String) });
    const raw = JSON.parse(readFileSync(manifestPath(), 'utf8')) as Record<string, unknown>;
    expect(raw.secret).toEqual({ name: 'edge-install/my-edge', region: 'us-east-1', keys: { API_KEY: { sensitive: true }, signing_key: { sensitive: true } } });
    expect(raw.values).toBeUndefined();
    expect(parseManifest(raw).behaviors[0]!.triggers).toMatchObject({ 'origin-request': { function: 'main' } });
    expect(await storedSecret('edge-install/my-edge')).toEqual({ API_KEY: FPJS_SECRET, signing_key: PX_TOKEN });
    const starter = readFileSync(join(dir, 'edge', 'handler.ts'), 'utf8');
    expect(starter).toContain("import { config, secret } from 'edge-install/runtime';");
    expect(starter).toContain("const apiKey = await secret('API_KEY');");
    expect(starter).toContain("const signingKey = await secret('signing_key');");
    expect(starter).toContain("eventType: 'origin-request'");
    expect(starter).toContain('Promise<CloudFrontRequest | CloudFrontResultResponse>');
    expect(starter).toContain('Origin events: at most 30 s');

    // The starter as written bundles and runs (invoke, with the values for this run).
    const invoked = await runCli(['invoke', 'main', '--secrets-file', file, '--json'], { cwd: dir, env: { EDGE_INSTALL_ENDPOINT_URL: '' } });
    expect(invoked.code, invoked.stderr).toBe(0);
    expect((JSON.parse(invoked.stdout) as { cloudFront: { action: string } }).cloudFront.action).toBe('forward');
    expect(invoked.stdout + invoked.stderr).not.toContain(FPJS_SECRET);
  });

  it('a value for a listed key is asked like any secret: missing ones named, on argv refused and not repeated', async () => {
    const base = ['--recipe', 'custom', '--distribution', ID, '--set', 'secretKeys=API_KEY,OTHER'];
    const missing = await init([...base, '--secrets-file', secretsFile({ API_KEY: FPJS_SECRET })]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing secret OTHER: give it in --secrets-file, EDGE_INSTALL_SECRET_OTHER with --secrets-from-env, or --secrets-stdin');
    expect(missing.stderr).not.toContain('missing secret API_KEY');
    const onArgv = await runCli(['init', '--endpoint-url', sb.endpoint, ...base, '--set', `api_key=${FPJS_SECRET}`], { cwd: dir });
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toContain('--set API_KEY=… refused: API_KEY is a secret');
    expect(onArgv.stderr + onArgv.stdout).not.toContain(FPJS_SECRET);
    const badName = await init(['--recipe', 'custom', '--distribution', ID, '--set', 'secretKeys=API-KEY']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('--set secretKeys=API-KEY is not valid: "API-KEY": names such as API_KEY');
    expect(existsSync(manifestPath())).toBe(false);
    expect(await mutatingCalls()).toEqual([]);
  });

  it('--region: refused without secret keys (there is no secret), the secret region with them', async () => {
    const none = await init(['--recipe', 'custom', '--distribution', ID, '--region', 'eu-west-1']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('the custom recipe has no secret without secret keys (--set secretKeys=…)');
    expect(await sb.calls()).toEqual([]);
    const some = await init(['--recipe', 'custom', '--distribution', ID, '--region', 'eu-west-1', '--set', 'secretKeys=API_KEY', '--secrets-file', secretsFile({ API_KEY: FPJS_SECRET }), '--json']);
    expect(some.code, some.stderr).toBe(0);
    expect((await storedSecret('edge-install/edge-custom', 'eu-west-1')).API_KEY).toBe(FPJS_SECRET);
  });

  it('$schema points at the schema file of the edge-install installed for the project, relative to the manifest', async () => {
    const bare = await init(['--recipe', 'custom', '--distribution', ID]);
    expect(bare.code, bare.stderr).toBe(0);
    // Not installed (npx): where `npm install -D edge-install` will put it.
    expect(JSON.parse(readFileSync(manifestPath(), 'utf8')).$schema).toBe('./node_modules/edge-install/edge-install.schema.json');

    mkdirSync(join(dir, 'node_modules', 'edge-install'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'edge-install', 'edge-install.schema.json'), '{}');
    mkdirSync(join(dir, 'infra'));
    const nested = await init(['--recipe', 'custom', '--distribution', ID, '--config', 'infra/edge.json', '--set', 'handler=./h.ts']);
    expect(nested.code, nested.stderr).toBe(0);
    const schema = JSON.parse(readFileSync(join(dir, 'infra', 'edge.json'), 'utf8')).$schema as string;
    expect(schema).toBe('../node_modules/edge-install/edge-install.schema.json');
    expect(existsSync(join(dir, 'infra', schema))).toBe(true);
  });
});

describe('init: AWS credentials', () => {
  it('missing credentials: a clear error naming the fix', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ei-home-'));
    try {
      // A process of its own: the SDK finds credentials in its process's environment and files.
      const run = await runCliProcess(['init', '--endpoint-url', sb.endpoint, '--recipe', 'custom', '--distribution', ID, '--profile', 'nope'], {
        cwd: dir,
        env: { HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no usable AWS credentials');
      expect(run.stderr).toContain("profile 'nope'");
      expect(existsSync(manifestPath())).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('rejected credentials: the AWS error code and the fix', async () => {
    await sb.admin('POST', 'faults', { operation: 'GetCallerIdentity', error: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
    const run = await init(['--recipe', 'custom', '--distribution', ID]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('AWS rejected the credentials (InvalidClientTokenId');
    expect(run.stderr).toContain('aws configure');
    expect(existsSync(manifestPath())).toBe(false);
  });
});
