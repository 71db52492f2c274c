/**
 * AWS errors as CLI.md wants errors: the call and the resource, AWS's code and message as they
 * came, and the fix — whether the error ends a read, a step of attach, or finding credentials.
 * A malformed --distribution is a usage error before any AWS call.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeAwsError, recordAwsCall, resourceOfInput } from '../../src/aws/errors.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, type Project, runCli, runCliProcess } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  project = fpProxyProject([DEMO_DISTRIBUTION_ID]);
});
afterEach(() => project.remove());

const cli = (...args: string[]) => runCli([...args, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);

describe('AWS errors name the call, the resource, the code and the fix', () => {
  it('a distribution that does not exist', async () => {
    for (const command of ['plan', 'status', 'attach', 'detach', 'rollback']) {
      const run = await cli(command, '--distribution', 'E123NOPE', '--yes');
      // Input, like a malformed id: exit 2.
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('cloudfront GetDistributionConfig E123NOPE: NoSuchDistribution: The specified distribution does not exist.');
      expect(run.stderr).toContain('Fix: check the distribution id (--distribution, or "distributions" in the manifest)');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
    }
  });

  it('access denied on a read', async () => {
    await sb.admin('POST', 'faults', { operation: 'GetDistributionConfig', error: 'AccessDenied', status: 403, times: 50 });
    const run = await cli('plan');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cloudfront GetDistributionConfig ${DEMO_DISTRIBUTION_ID}: AccessDenied:`);
    expect(run.stderr).toContain('Fix: allow cloudfront:GetDistributionConfig for these credentials');
  });

  it('access denied in a step of attach: the step, the call, the undo and the fix', async () => {
    await sb.admin('POST', 'faults', { operation: 'CreateFunction', error: 'AccessDeniedException', status: 403, times: 50 });
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'not-shown' }) }));
    const run = await cli('attach', '--yes');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/step "[^"]+" failed: lambda CreateFunction fp-proxy-proxy: AccessDeniedException: [^\n]*[^.]\. The distribution was not changed;/);
    expect(run.stderr).toContain('Fix: allow lambda:CreateFunction for these credentials');
    expect(run.stderr).not.toContain('..');
  });

  it('no credentials at all: what to configure, and the sandbox for trying without AWS', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ei-no-aws-'));
    try {
      const env: Record<string, string> = {
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: '',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
        AWS_WEB_IDENTITY_TOKEN_FILE: '',
        EDGE_INSTALL_ENDPOINT_URL: '',
      };
      // A process of its own: the SDK finds credentials in its process's environment and files.
      const run = await runCliProcess(['status', '--profile', 'nope', '--config', project.manifestPath, '--state-dir', project.stateDir], { env });
      expect(run.code, run.stderr).toBe(1);
      // --profile nope names a profile the (empty) files do not define: said as such, not as the SDK's empty chain.
      // HOME is the temp directory, so the files are shown as the AWS docs write them.
      expect(run.stderr).toContain('no usable AWS credentials: profile nope not found in ~/config or ~/credentials.');
      expect(run.stderr).toContain("Fix: add the profile 'nope' (`aws configure --profile nope`");
      expect(run.stderr).toContain('run `edge-install sandbox` and pass its --endpoint-url');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a malformed --distribution is exit 2 naming the flag, before any AWS call', async () => {
    for (const command of ['plan', 'attach', 'status', 'rollback', 'detach']) {
      const run = await cli(command, '--distribution', 'bad id!');
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain("option '--distribution <id>' argument 'bad id!' is invalid");
      expect(run.stderr).toContain('not a CloudFront distribution id');
    }
    expect(await sb.calls()).toEqual([]);
  });
});

describe('what an error records of its call', () => {
  it('only the resource identifier, never a value', () => {
    expect(resourceOfInput({ SecretId: 'edge-install/fp-proxy', SecretString: '{"K":"v"}' })).toBe('edge-install/fp-proxy');
    expect(resourceOfInput({ FunctionName: 'fp-proxy-proxy', Qualifier: '3' })).toBe('fp-proxy-proxy:3');
    expect(resourceOfInput({ CachePolicyConfig: { Name: 'x' } })).toBeUndefined();
    const error = Object.assign(new Error('Secrets Manager can’t find the specified secret.'), { name: 'ResourceNotFoundException', $metadata: {} });
    recordAwsCall(error, { service: 'secretsmanager', operation: 'PutSecretValue', resource: resourceOfInput({ SecretId: 's', SecretString: 'never-shown' }) });
    const described = describeAwsError(error)!;
    expect(described.what).toBe('secretsmanager PutSecretValue s: ResourceNotFoundException: Secrets Manager can’t find the specified secret.');
    expect(JSON.stringify(described)).not.toContain('never-shown');
  });

  it('errors of edge-install itself are not described as AWS errors', () => {
    expect(describeAwsError(new Error('the plan cannot be applied'))).toBeUndefined();
  });
});
