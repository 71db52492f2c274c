/**
 * Issue 18, item 2: network, credential and profile errors read the same on every command
 * that talks to AWS as they do in `init` — "cannot reach AWS at …", "profile prod not found in
 * ~/.aws/config …", "no usable AWS credentials …" — never a raw `connect ECONNREFUSED` or
 * `Unknown: UnknownError`; exit 1; and under --json one error document on stdout with the
 * same message, the fix and a stable code.
 *
 * Each command runs in this process (`main`), against
 *  (a) an endpoint nothing listens on (a loopback port just closed),
 *  (b) --profile prod where the shared files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE,
 *      temp files) define other profiles only,
 *  (c) no credentials anywhere (test/helpers/no-credentials.ts),
 *  (d) an endpoint that is some other HTTP server (answers 404 with an HTML page).
 * In (b) the endpoint is a running sandbox, which must see no call at all.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeAwsError, recordAwsCall } from '../../src/aws/errors.js';
import { definedProfiles } from '../../src/aws/profiles.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { runCli } from '../helpers/cli.js';
import { useFpProxyProject } from '../helpers/fp-proxy-sandbox.js';
import { stubNoCredentials } from '../helpers/no-credentials.js';

const STATE = 's3://acme-edge-state/edge-install';

/** Every command that talks to AWS, with what it needs to get as far as its first AWS call. */
const COMMANDS: { name: string; args: string[]; stateDir?: false; init?: true }[] = [
  { name: 'init', args: ['init', '--non-interactive', '--recipe', 'first-party-proxy', '--distribution', DEMO_DISTRIBUTION_ID, '--set', 'behaviorPath=fpjs', '--set', 'agentDownloadPath=agent', '--set', 'getResultPath=result', '--secrets-from-env'], init: true },
  { name: 'plan', args: ['plan'] },
  { name: 'attach', args: ['attach', '--yes'] },
  { name: 'status', args: ['status'] },
  { name: 'rollback', args: ['rollback', '--yes'] },
  { name: 'detach', args: ['detach', '--yes'] },
  { name: 'gc', args: ['gc', '--yes'] },
  { name: 'logs', args: ['logs'] },
  { name: 'promote', args: ['promote', '--yes'] },
  { name: 'abort', args: ['abort', '--yes'] },
  { name: 'secret keys', args: ['secret', 'keys'] },
  { name: 'secret set', args: ['secret', 'set', 'FPJS_PRE_SHARED_SECRET', '--from-env', 'EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET', '--yes'] },
  { name: 'revisions (S3 state)', args: ['revisions', '--state', STATE], stateDir: false },
  { name: 'import', args: ['import', '--recipe', 'first-party-proxy', '--distribution', DEMO_DISTRIBUTION_ID, '--yes'], init: true },
  { name: 'force-unlock (S3 state)', args: ['force-unlock', '3f9c2a1b7d4e', '--state', STATE], stateDir: false },
  { name: 'plan (S3 state)', args: ['plan', '--state', STATE], stateDir: false },
  { name: 'state push', args: ['state', 'push', '--to', STATE] },
  { name: 'state pull', args: ['state', 'pull', '--from', STATE] },
];

const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const box = useFpProxyProject();
let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ei-errors-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

interface Outcome {
  name: string;
  code: number;
  /** The error as stderr says it: from `edge-install: ` to the end. */
  said: string;
  stderr: string;
  document: { version: number; error: { code: string; message: string; fix?: string; exitCode: number } } | undefined;
}

/** Runs every command with `extra` arguments and environment, each as text and with --json. */
async function runAll(extra: string[], env: Record<string, string>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const command of COMMANDS) {
    // init and import write a manifest: they run in an empty directory; the others use the project's.
    const where = command.init ? ['--config', join(cwd, `${command.name}.json`)] : ['--config', box.project.manifestPath];
    const state = command.stateDir === false ? [] : ['--state-dir', command.init ? join(cwd, '.edge-install') : box.project.stateDir];
    const args = [...command.args, ...where, ...state, ...extra];
    const runEnv = { AWS_MAX_ATTEMPTS: '1', EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: 'never-printed-7f3a', ...env };
    const text = await runCli(args, { cwd, env: runEnv });
    const json = await runCli([...args, '--json'], { cwd, env: runEnv });
    const at = text.stderr.lastIndexOf('edge-install: ');
    let document: Outcome['document'];
    try {
      document = JSON.parse(json.stdout) as Outcome['document'];
    } catch {
      document = undefined;
    }
    outcomes.push({ name: command.name, code: text.code, said: at >= 0 ? text.stderr.slice(at).trim() : text.stderr, stderr: text.stderr + json.stderr, document });
    expect(json.code, `${command.name} --json: ${json.stderr}`).toBe(text.code);
  }
  return outcomes;
}

/** Every command: exit 1, the same words on stderr, the same --json document, nothing raw. */
function expectTheSame(outcomes: Outcome[], first: RegExp, code: string): void {
  const reference = outcomes[0]!;
  if (process.env.DEBUG_ERRORS) for (const o of outcomes) console.log(`### ${o.name} → ${o.code}\n${o.said}\n${JSON.stringify(o.document)}`);
  // Soft: one run names every command that differs, not only the first.
  for (const o of outcomes) {
    expect.soft(o.code, `${o.name}: ${o.stderr}`).toBe(1);
    expect.soft(o.said, o.name).toMatch(first);
    expect.soft(o.said, o.name).toBe(reference.said);
    expect.soft(o.stderr, o.name).not.toMatch(/connect ECONNREFUSED|UnknownError|Unknown:|Deserialization error|\n\s+at /);
    expect.soft(o.stderr, o.name).not.toContain('never-printed-7f3a');
    const [line, fix] = o.said.replace(/^edge-install: /, '').split('\nFix: ');
    expect.soft(o.document, `${o.name} --json`).toEqual({ version: 1, error: { code, message: line!.replace(/\.$/, ''), fix, exitCode: 1 } });
  }
}

describe('every command that talks to AWS says it as init does', () => {
  it('(a) an endpoint nothing listens on: "cannot reach AWS at …"', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const outcomes = await runAll(['--endpoint-url', endpoint], {});
    expectTheSame(outcomes, new RegExp(`^edge-install: cannot reach AWS at ${endpoint} \\(ECONNREFUSED: connection refused, nothing listens there\\)\\.\\nFix: check that the endpoint is running`), 'NetworkingError');
    // Said once: no note about the same failure before it.
    for (const o of outcomes) expect(o.stderr.split('cannot reach AWS').length - 1, o.name).toBe(2);
  }, 120_000);

  describe('with AWS config files of its own', () => {
    let stub: ReturnType<typeof stubNoCredentials>;
    afterEach(() => stub.restore());

    it('(b) a profile the files do not define: "profile prod not found in …", and no AWS call', async () => {
      stub = stubNoCredentials();
      writeFileSync(stub.files.AWS_CONFIG_FILE, '[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n\n[sso-session corp]\nsso_region = us-east-1\n');
      writeFileSync(stub.files.AWS_SHARED_CREDENTIALS_FILE, '[staging]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = not-used\n');
      const outcomes = await runAll(['--profile', 'prod', '--endpoint-url', box.sb.endpoint], stub.files);
      const files = `${stub.files.AWS_CONFIG_FILE} or ${stub.files.AWS_SHARED_CREDENTIALS_FILE}`;
      expectTheSame(outcomes, new RegExp(`^edge-install: no usable AWS credentials: profile prod not found in ${files.replace(/[.]/g, '\\.')}\\.\\nFix: add the profile 'prod' \\(\`aws configure --profile prod\`.*pass --profile with one the files define: default, dev, staging \\(`), 'ProfileNotFound');
      expect(await box.sb.calls()).toEqual([]);
    }, 120_000);

    it('(b) the same profile named by AWS_PROFILE', async () => {
      stub = stubNoCredentials();
      // The SDK reads AWS_PROFILE from the process's environment.
      vi.stubEnv('AWS_PROFILE', 'prod');
      const run = await runCli(['status', '--config', box.project.manifestPath, '--state-dir', box.project.stateDir, '--endpoint-url', box.sb.endpoint], { env: { ...stub.files, AWS_PROFILE: 'prod' } });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('edge-install: no usable AWS credentials: profile prod not found in');
      expect(run.stderr).toContain('the files define no profile yet');
    });

    it('(c) no credentials at all: "no usable AWS credentials", what to configure and the sandbox', async () => {
      stub = stubNoCredentials();
      // No endpoint: as on a fresh machine (a loopback endpoint would get the sandbox's dummy credentials).
      const outcomes = await runAll([], { ...stub.files, EDGE_INSTALL_ENDPOINT_URL: '' });
      expectTheSame(
        outcomes,
        /^edge-install: no usable AWS credentials \(CredentialsProviderError: Could not load credentials from any providers\)\.\nFix: configure AWS credentials \(`aws configure`.*run `edge-install sandbox` and pass its --endpoint-url\.$/s,
        'CredentialsProviderError',
      );
    }, 120_000);
  });

  describe('(d) an endpoint that is not AWS', () => {
    let server: Server;
    let endpoint: string;
    beforeAll(async () => {
      server = createHttpServer((_request, response) => {
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end('<html><body>Not Found</body></html>');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('says what answered, not "Unknown: UnknownError"', async () => {
      const all = await runAll(['--endpoint-url', endpoint], {});
      // State in S3 reads a 404 without an S3 error code as a missing object (S3 answers HEAD
      // without a body), so those commands go further before they fail; they never say it raw either.
      const s3 = (o: Outcome) => COMMANDS.find((c) => c.name === o.name)!.args.some((a) => a.startsWith('s3://'));
      for (const o of all.filter(s3)) {
        expect.soft(o.code, `${o.name}: ${o.stderr}`).not.toBe(0);
        expect.soft(o.stderr, o.name).not.toMatch(/UnknownError|Unknown:|Deserialization error|\n\s+at /);
      }
      const outcomes = all.filter((o) => !s3(o));
      expectTheSame(outcomes, new RegExp(`^edge-install: the endpoint ${endpoint} answered HTTP 404 with no AWS error in it: not an AWS answer\\.\\nFix: check --endpoint-url`), 'UnexpectedResponse');
    }, 120_000);
  });
});

describe('the words, one error at a time', () => {
  const fromCall = (error: Error, call: Parameters<typeof recordAwsCall>[1]) => {
    recordAwsCall(error, call);
    return describeAwsError(error)!;
  };

  it('no answer from AWS itself names the host the error names, in words, with the code kept', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND cloudfront.amazonaws.com'), { code: 'ENOTFOUND', hostname: 'cloudfront.amazonaws.com', $metadata: {} });
    const described = fromCall(error, { service: 'cloudfront', operation: 'GetDistributionConfig', resource: 'E1' });
    expect(described).toMatchObject({ kind: 'network', code: 'NetworkingError', what: 'cannot reach AWS at cloudfront.amazonaws.com (ENOTFOUND: the host name does not resolve).' });
    expect(described.fix).toContain('HTTPS_PROXY');
  });

  it('an AWS answer that is not about the environment keeps the call, the resource and AWS\'s code', () => {
    const error = Object.assign(new Error('Access denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(fromCall(error, { service: 'cloudfront', operation: 'GetDistributionConfig', resource: 'E1' })).toMatchObject({ code: 'AccessDenied', what: 'cloudfront GetDistributionConfig E1: AccessDenied: Access denied.' });
  });

  it('profiles: [profile x] and [default] in config, [x] in credentials; other sections are not profiles', () => {
    const home = mkdtempSync(join(tmpdir(), 'ei-profiles-'));
    try {
      const files = { config: join(home, 'config'), credentials: join(home, 'credentials') };
      writeFileSync(files.config, '[default]\n[profile  dev ]\n[sso-session corp]\n[services local]\n# [profile commented]\n');
      writeFileSync(files.credentials, '[ci]\naws_access_key_id = AKID\n');
      expect(definedProfiles(files)).toEqual(['default', 'dev', 'ci']);
      expect(definedProfiles({ config: join(home, 'none'), credentials: join(home, 'none') })).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
