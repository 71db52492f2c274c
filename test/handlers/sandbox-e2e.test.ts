/**
 * End to end through the sandbox: a project using the built-in handlers is attached with the
 * real CLI; the zip the CLI uploaded is downloaded back from the sandbox's Lambda
 * (GetFunction → Code.Location), unzipped, loaded as Lambda's Node runtime would, and invoked
 * with CloudFront fixture events — reading its secret from the sandbox's Secrets Manager with
 * the signed call a Lambda@Edge replica would make (endpoint override and dummy role
 * credentials in the environment).
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { indexJs, loadHandler, removeTempDirs } from '../bundle/helpers.js';
import { fpProxyProject, type Project, recipeProject, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { captureConsole, cloudFrontEvent, header, installStandIn, invoke, standInConfigs, withEnv } from './helpers.js';

const ID = DEMO_DISTRIBUTION_ID;
const PRE_SHARED = 'fpjs-pre-shared-e2e-41d7c0-never-shown';
const PX_TOKEN = 'px-server-token-e2e-9b2a77-never-shown';
const PX_COOKIE = 'px-cookie-secret-e2e-5f0e13-never-shown';

let sb: TestSandbox;
let project: Project | undefined;

beforeAll(async () => {
  sb = await startTestSandbox({ delays: { deployMs: 300, lambdaStateMs: 0, iamPropagationMs: 0 } });
});
afterAll(async () => {
  await sb.close();
  removeTempDirs();
});
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  standInConfigs().length = 0;
});
afterEach(() => {
  project?.remove();
  project = undefined;
});

const attach = (p: Project) => runCli(['attach', '--yes', '--config', p.manifestPath, '--state-dir', p.stateDir, '--endpoint-url', sb.endpoint]);

/** The zip Lambda holds for a function version, as its Code.Location serves it. */
async function deployedZip(functionName: string, version = '1'): Promise<Buffer> {
  const fn = await sb.lambda.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: version }));
  const response = await fetch(fn.Code!.Location!);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** What a Lambda@Edge replica's environment provides (plus the endpoint override that points at the sandbox). */
const edgeEnv = (region = 'us-east-1') => ({
  AWS_ENDPOINT_URL_SECRETS_MANAGER: sb.endpoint,
  AWS_ACCESS_KEY_ID: 'ASIAEDGEREPLICA00001',
  AWS_SECRET_ACCESS_KEY: 'edge-replica-secret-key',
  AWS_SESSION_TOKEN: 'edge-replica-session-token',
  AWS_REGION: region,
});

const secretReads = async () => (await sb.calls()).filter((c) => c.operation === 'GetSecretValue');

describe('builtin:first-party-proxy, attached with the CLI', () => {
  it('the deployed bundle adds FPJS-Proxy-Secret with the value stored in the sandbox, reading it once', async () => {
    project = fpProxyProject([ID], (m) => {
      m.functions.proxy!.handler = 'builtin:first-party-proxy';
    });
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: PRE_SHARED }) }));
    const run = await attach(project);
    expect(run.stderr).toContain('Deployed');
    expect(run.code).toBe(0);

    const zip = await deployedZip('fp-proxy-proxy');
    expect(indexJs(zip)).not.toContain(PRE_SHARED);
    const handler = loadHandler(zip);
    await sb.admin('DELETE', 'calls');

    const { output } = await captureConsole(() =>
      withEnv(edgeEnv(), async () => {
        const result = await invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result', querystring: 'region=eu' }));
        expect(result.origin.custom).toMatchObject({ domainName: 'eu.api.fpjs.io', port: 443, protocol: 'https', sslProtocols: ['TLSv1.2'] });
        expect(result.headers['fpjs-proxy-secret']).toEqual([{ key: 'FPJS-Proxy-Secret', value: PRE_SHARED }]);
        expect(header(result.headers, 'fpjs-proxy-client-ip')).toBe('198.51.100.7');
        expect(result.headers.cookie).toEqual([{ key: 'Cookie', value: '_iidt=7A2x9Q%2Fkd1' }]);

        const agent = await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=Xk7bQ2mZ9pL4vR1sT6wY&version=3&loaderVersion=3.9.3' }));
        expect(agent.origin.custom.domainName).toBe('fpcdn.io');
        expect(agent.uri).toBe('/v3/Xk7bQ2mZ9pL4vR1sT6wY/loader_v3.9.3.js');

        // The secret attach completed (the seed's layout) agrees with the bundle.
        const status = await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/status' }));
        expect(status.body).toContain('All settings are present.');
        expect(status.body).not.toContain('differs');
        expect(status.body).not.toContain(PRE_SHARED);

        await Promise.all(Array.from({ length: 20 }, () => invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' }))));
      }),
    );
    expect(await secretReads()).toHaveLength(1);
    expect((await secretReads())[0]).toMatchObject({ service: 'secretsmanager', status: 200 });
    expect(output).not.toContain(PRE_SHARED);
  });
});

describe('builtin:edge-enforcer/*, attached with the CLI, vendor SDK (stand-in) in the project', () => {
  it('the deployed wrappers give the vendor SDK the token and cookie secret stored in the sandbox', async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', moduleMode: 'active_blocking', activities: true, firstParty: true }, [ID], (m) => {
      m.functions.enforcer!.handler = 'builtin:edge-enforcer/enforcer';
      m.functions.activities!.handler = 'builtin:edge-enforcer/activities';
      m.functions['first-party']!.handler = 'builtin:edge-enforcer/first-party';
    });
    installStandIn(project.dir);
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE }) }));
    const run = await attach(project);
    expect(run.stderr).toContain('Deployed');
    expect(run.code).toBe(0);

    const enforcer = loadHandler(await deployedZip('edge-enforcer-enforcer'));
    const activities = loadHandler(await deployedZip('edge-enforcer-activities'));
    const firstParty = loadHandler(await deployedZip('edge-enforcer-first-party'));

    const { output } = await captureConsole(() =>
      withEnv(edgeEnv('eu-west-1'), async () => {
        const passed = await invoke(enforcer, cloudFrontEvent('viewer-request'));
        expect(header(passed.headers, 'x-px-enforced')).toBe('1');
        const blocked = await invoke(enforcer, cloudFrontEvent('viewer-request', { headers: { 'user-agent': [{ key: 'User-Agent', value: 'bad-bot' }] } }));
        expect(blocked.status).toBe('403');
        expect(header((await invoke(activities, cloudFrontEvent('origin-response'))).headers, 'x-px-activities')).toBe('1');
        expect((await invoke(firstParty, cloudFrontEvent('origin-request', { uri: '/12345678/init.js' }))).status).toBe('200');
      }),
    );
    expect(standInConfigs()).toEqual([
      { kind: 'enforce', px_app_id: 'PX12345678', px_module_mode: 'active_blocking', px_first_party_enabled: true, px_auth_token: PX_TOKEN, px_cookie_secret: PX_COOKIE },
      // The seed recommends giving activities and first-party the enforcer's configuration.
      { kind: 'activities', px_app_id: 'PX12345678', px_module_mode: 'active_blocking', px_first_party_enabled: true, px_automatic_additional_s2s_activity_enabled: true, px_auth_token: PX_TOKEN, px_cookie_secret: PX_COOKIE },
      { kind: 'first-party', px_app_id: 'PX12345678', px_module_mode: 'active_blocking', px_first_party_enabled: true, px_auth_token: PX_TOKEN, px_cookie_secret: PX_COOKIE },
    ]);
    expect(output).not.toContain(PX_TOKEN);
    expect(output).not.toContain(PX_COOKIE);
    for (const text of [run.stdout, run.stderr, project.allFiles()]) expect(text).not.toContain(PX_TOKEN);
  });

  it('without a readable secret the deployed enforcer fails open', async () => {
    project = recipeProject('edge-enforcer', { appId: 'PX12345678', moduleMode: 'active_blocking', activities: false, firstParty: false }, [ID], (m) => {
      m.functions.enforcer!.handler = 'builtin:edge-enforcer/enforcer';
    });
    installStandIn(project.dir);
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE }) }));
    expect((await attach(project)).code).toBe(0);
    const enforcer = loadHandler(await deployedZip('edge-enforcer-enforcer'));
    await sb.admin('POST', 'faults', { operation: 'GetSecretValue', error: 'AccessDeniedException', status: 400, times: 100 });
    const event = cloudFrontEvent('viewer-request', { headers: { 'user-agent': [{ key: 'User-Agent', value: 'bad-bot' }] } });
    const before = structuredClone(event.Records[0]!.cf.request);
    const { result, output } = await captureConsole(() => withEnv(edgeEnv(), () => invoke(enforcer, event)));
    expect(result).toEqual(before);
    expect(output).toContain('AccessDeniedException');
    expect(output).toContain('failing open');
  });
});
