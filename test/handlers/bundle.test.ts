/**
 * The built-in handlers through the real bundle step (`builtin:<name>` with edge-install's own
 * handlers/ as the package root): they bundle, stay small, carry their baked config, run as
 * Lambda would load them, and the enforcer wrappers take the vendor SDK from the user's project
 * — or say which `npm install` to run when it is not there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BundleError, bundleFunction, defaultPackageRoot, type BundleRequest } from '../../src/bundle/index.js';
import { indexJs, loadHandler, removeTempDirs } from '../bundle/helpers.js';
import { captureConsole, cloudFrontEvent, installStandIn, invoke, REPO_ROOT, standInConfigs, VENDOR_PACKAGE, withEnv } from './helpers.js';

const dirs: string[] = [];
const tempProject = (withVendor: boolean) => {
  const dir = mkdtempSync(join(tmpdir(), 'ei-handlers-project-'));
  dirs.push(dir);
  if (withVendor) installStandIn(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});
beforeEach(() => {
  standInConfigs().length = 0;
});

const SETTINGS = { secretName: 'edge-install/fp-proxy', secretRegion: 'us-east-1', secretReplicaRegions: [] };
const PROXY_CONFIG = { behaviorPath: 'fpjs-abc', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' };
const ENFORCER_CONFIG = { appId: 'PX12345678', moduleMode: 'monitor', firstPartyEnabled: 'true' };

const request = (overrides: Partial<BundleRequest>): BundleRequest => ({
  functionKey: 'proxy',
  handler: 'builtin:first-party-proxy',
  runtime: 'nodejs20.x',
  config: PROXY_CONFIG,
  eventTypes: ['origin-request'],
  baseDir: tempProject(false),
  settings: SETTINGS,
  ...overrides,
});

/** No AWS endpoint that answers: a secret read fails fast (connection refused). */
const NO_SECRETS = { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' };

describe('builtin:first-party-proxy', () => {
  it('bundles from edge-install’s own handlers/ into a small zip with the config baked in, and runs as Lambda loads it', async () => {
    expect(defaultPackageRoot()).toBe(REPO_ROOT);
    const bundle = await bundleFunction(request({}));
    expect(bundle.codeSize).toBeLessThanOrEqual(32 * 1024);
    const script = indexJs(bundle.zip);
    expect(script).not.toContain('__EDGE_INSTALL_CONFIG__');
    expect(script).toContain('edge-install/fp-proxy');
    expect(script).not.toContain(REPO_ROOT);
    expect(script).not.toMatch(/@aws-sdk|@smithy/);

    const handler = loadHandler(bundle.zip);
    const out = await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc123&version=3' }));
    expect(out.origin.custom.domainName).toBe('fpcdn.io');
    expect(out.uri).toBe('/v3/abc123');
  });

  it('a result call without a readable secret goes upstream without FPJS-Proxy-Secret, and the log says why', async () => {
    const handler = loadHandler((await bundleFunction(request({}))).zip);
    const { result, output } = await captureConsole(() => withEnv(NO_SECRETS, () => invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' }))));
    expect(result.origin.custom.domainName).toBe('api.fpjs.io');
    expect(result.headers['fpjs-proxy-secret']).toBeUndefined();
    expect(output).toContain('secret read failed');
  });

  it('is deterministic', async () => {
    const a = await bundleFunction(request({}));
    const b = await bundleFunction(request({}));
    expect(b.codeSha256).toBe(a.codeSha256);
  });
});

describe('builtin:edge-enforcer/*', () => {
  const roles = [
    { name: 'enforcer', event: 'viewer-request', config: ENFORCER_CONFIG },
    { name: 'activities', event: 'origin-response', config: { appId: 'PX12345678' } },
    { name: 'first-party', event: 'origin-request', config: { appId: 'PX12345678' } },
  ] as const;

  for (const role of roles) {
    it(`${role.name}: bundles with the vendor SDK from the user's project`, async () => {
      const project = tempProject(true);
      const bundle = await bundleFunction(request({ functionKey: role.name, handler: `builtin:edge-enforcer/${role.name}`, config: role.config, eventTypes: [role.event], baseDir: project }));
      const script = indexJs(bundle.zip);
      expect(script).toContain('createHumanEnforceHandler'); // the stand-in, bundled in
      expect(script).not.toContain(project);
      expect(bundle.codeSize).toBeLessThan(32 * 1024);
    });
  }

  it('the bundled enforcer fails open when its secret cannot be read, without building the SDK handler', async () => {
    const project = tempProject(true);
    const handler = loadHandler((await bundleFunction(request({ functionKey: 'enforcer', handler: 'builtin:edge-enforcer/enforcer', config: ENFORCER_CONFIG, eventTypes: ['viewer-request'], baseDir: project }))).zip);
    const event = cloudFrontEvent('viewer-request');
    const before = structuredClone(event.Records[0]!.cf.request);
    const { result, output } = await captureConsole(() => withEnv(NO_SECRETS, () => invoke(handler, event)));
    expect(result).toEqual(before);
    expect(output).toContain('failing open');
    expect(standInConfigs()).toEqual([]);
  });

  it('without the vendor SDK in the project: which npm install to run, and where', async () => {
    const project = tempProject(false);
    const error = await bundleFunction(request({ functionKey: 'enforcer', handler: 'builtin:edge-enforcer/enforcer', config: ENFORCER_CONFIG, eventTypes: ['viewer-request'], baseDir: project })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).message).toContain(`imports "${VENDOR_PACKAGE}", which is not installed in your project (${project})`);
    expect((error as BundleError).fix).toBe(`run \`npm install ${VENDOR_PACKAGE}\` in ${project} (the directory of the manifest), then run edge-install again.`);
  });

  it('an unknown built-in name lists every built-in handler, nested ones included', async () => {
    const error = (await bundleFunction(request({ handler: 'builtin:edge-enforcer/enforce' })).catch((e: unknown) => e)) as BundleError;
    expect(error.message).toContain('"builtin:edge-enforcer/enforce" is not a built-in handler of edge-install');
    expect(error.fix).toContain('use one of "builtin:edge-enforcer/activities", "builtin:edge-enforcer/enforcer", "builtin:edge-enforcer/first-party", "builtin:first-party-proxy"');
    const escape = (await bundleFunction(request({ handler: 'builtin:edge-enforcer/../first-party-proxy' })).catch((e: unknown) => e)) as BundleError;
    expect(escape.message).toContain('is not a built-in handler');
  });
});
