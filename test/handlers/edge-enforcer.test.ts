/**
 * The edge-enforcer wrappers around the vendor SDK (the stand-in of test/fixtures/vendor):
 * the configuration they build, the secret read once and cached, failing open, header hygiene
 * on the SDK's output, and silence about secret values.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createVendorWrapper, vendorConfig, type VendorFactory, type WrapperRole } from '../../handlers/edge-enforcer/shared/wrapper.js';
import { createSecretCache } from '../../handlers/shared/secret-cache.js';
import { captureConsole, cloudFrontEvent, fixedSecret, header, invoke, secretMap, STAND_IN, standInConfigs } from './helpers.js';

const vendor = createRequire(import.meta.url)(join(STAND_IN, 'index.js')) as Record<'createHumanEnforceHandler' | 'createHumanActivitiesHandler' | 'createHumanFirstPartyHandler', VendorFactory>;
const TOKEN = 'px-token-3c1d9a-never-logged';
const COOKIE = 'px-cookie-8e2f4b-never-logged';
const SECRET = { PX_APP_ID: 'PX12345678', PX_AUTH_TOKEN: TOKEN, PX_COOKIE_SECRET: COOKIE };
const ENFORCER_CONFIG = { appId: 'PX12345678', moduleMode: 'active_blocking', firstPartyEnabled: 'true', secretName: 'edge-install/edge-enforcer', secretRegion: 'us-east-1', secretReplicaRegions: [] };
const FACTORIES: Record<WrapperRole, VendorFactory> = { enforcer: vendor.createHumanEnforceHandler, activities: vendor.createHumanActivitiesHandler, 'first-party': vendor.createHumanFirstPartyHandler };

function wrapper(role: WrapperRole, secret: Parameters<typeof fixedSecret>[0] = SECRET, config: Record<string, unknown> = ENFORCER_CONFIG) {
  const reader = fixedSecret(secret);
  let built = 0;
  const factory: VendorFactory = (c) => {
    built++;
    return FACTORIES[role](c);
  };
  return { handler: createVendorWrapper({ role, factory, config, secret: reader }), reader, built: () => built };
}

beforeEach(() => {
  standInConfigs().length = 0;
});

describe('configuration', () => {
  it('enforcer: baked settings plus the token and cookie secret from the secret (keys case-insensitive)', async () => {
    const { handler } = wrapper('enforcer', { px_auth_token: TOKEN, Px_Cookie_Secret: COOKIE });
    await invoke(handler, cloudFrontEvent('viewer-request'));
    expect(standInConfigs()).toEqual([
      { kind: 'enforce', px_app_id: 'PX12345678', px_module_mode: 'active_blocking', px_first_party_enabled: true, px_auth_token: TOKEN, px_cookie_secret: COOKIE },
    ]);
  });

  it('firstPartyEnabled "false" is false; PX_APP_ID from the secret only when the bundle has no appId', () => {
    expect(vendorConfig('enforcer', { appId: 'PXAAAAAAAA', moduleMode: 'monitor', firstPartyEnabled: 'false' }, secretMap(SECRET))).toMatchObject({ px_app_id: 'PXAAAAAAAA', px_module_mode: 'monitor', px_first_party_enabled: false });
    expect(vendorConfig('enforcer', {}, secretMap(SECRET)).px_app_id).toBe('PX12345678');
    expect(() => vendorConfig('enforcer', {}, secretMap({ PX_AUTH_TOKEN: TOKEN, PX_COOKIE_SECRET: COOKIE }))).toThrow('no app id');
  });

  it('activities gets px_automatic_additional_s2s_activity_enabled, as in the seed', () => {
    expect(vendorConfig('activities', { appId: 'PX12345678' }, secretMap(SECRET))).toEqual({
      px_app_id: 'PX12345678',
      px_auth_token: TOKEN,
      px_cookie_secret: COOKIE,
      px_automatic_additional_s2s_activity_enabled: true,
    });
  });
});

describe('enforcer (viewer-request)', () => {
  it('delegates: passes a good request with what the SDK added, blocks a bad bot with the SDK’s response', async () => {
    const { handler } = wrapper('enforcer');
    const passed = await invoke(handler, cloudFrontEvent('viewer-request'));
    expect(passed.uri).toBe('/products/42');
    expect(header(passed.headers, 'x-px-enforced')).toBe('1');
    const blocked = await invoke(handler, cloudFrontEvent('viewer-request', { headers: { 'user-agent': [{ key: 'User-Agent', value: 'bad-bot' }] } }));
    expect(blocked).toMatchObject({ status: '403', statusDescription: 'Forbidden' });
    expect(blocked.headers['content-type']).toEqual([{ key: 'Content-Type', value: 'text/html' }]);
  });

  it('reads the secret through the cache and builds the SDK handler once; rebuilds it when the values rotate', async () => {
    let value = SECRET;
    let reads = 0;
    let t = 0;
    const secret = createSecretCache({ load: async () => (reads++, secretMap(value)), now: () => t });
    let built = 0;
    const handler = createVendorWrapper({ role: 'enforcer', factory: (c) => (built++, vendor.createHumanEnforceHandler(c)), config: ENFORCER_CONFIG, secret });
    await Promise.all(Array.from({ length: 50 }, () => invoke(handler, cloudFrontEvent('viewer-request'))));
    for (let i = 0; i < 20; i++) await invoke(handler, cloudFrontEvent('viewer-request'));
    expect({ reads, built }).toEqual({ reads: 1, built: 1 });
    value = { ...SECRET, PX_AUTH_TOKEN: `${TOKEN}-rotated` };
    t += 5 * 60_000;
    await invoke(handler, cloudFrontEvent('viewer-request'));
    expect({ reads, built }).toEqual({ reads: 2, built: 2 });
    expect(standInConfigs().at(-1)!.px_auth_token).toBe(`${TOKEN}-rotated`);
  });

  it('fails OPEN when the secret cannot be read: the request unchanged, the reason logged once, no value', async () => {
    const { handler } = wrapper('enforcer', Object.assign(new Error('User is not authorized to perform secretsmanager:GetSecretValue'), { code: 'AccessDeniedException' }));
    const { output } = await captureConsole(async () => {
      for (let i = 0; i < 10; i++) {
        const event = cloudFrontEvent('viewer-request', { headers: { 'user-agent': [{ key: 'User-Agent', value: 'bad-bot' }] } });
        const before = structuredClone(event.Records[0]!.cf.request);
        expect(await invoke(handler, event)).toEqual(before);
      }
    });
    const lines = output.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', function: 'enforcer', message: 'secret unavailable; failing open (request passed through unchanged)', reason: expect.stringContaining('AccessDeniedException') });
    expect(standInConfigs()).toEqual([]);
  });

  it('fails open when the secret lacks a key, naming the key', async () => {
    const { handler } = wrapper('enforcer', { PX_AUTH_TOKEN: TOKEN });
    const { output, result } = await captureConsole(() => invoke(handler, cloudFrontEvent('viewer-request')));
    expect(result.headers['x-px-enforced']).toBeUndefined();
    expect(output).toContain('the secret has no PX_COOKIE_SECRET');
    expect(output).not.toContain(TOKEN);
  });

  it('fails open when the SDK throws, with the SDK’s message redacted', async () => {
    const { handler } = wrapper('enforcer');
    const event = cloudFrontEvent('viewer-request', { headers: { 'x-stand-in': [{ key: 'X-Stand-In', value: 'throw' }] } });
    const before = structuredClone(event.Records[0]!.cf.request);
    const { output, result } = await captureConsole(() => invoke(handler, event));
    expect(result).toEqual(before);
    expect(output).toContain('the vendor SDK threw; failing open');
    expect(output).toContain('enforcer failed with token [redacted]');
    expect(output).not.toContain(TOKEN);
  });

  it('undoes headers the SDK set that CloudFront would reject (a 502 for every viewer otherwise)', async () => {
    const { handler } = wrapper('enforcer');
    const { output, result } = await captureConsole(() => invoke(handler, cloudFrontEvent('viewer-request', { headers: { 'x-stand-in': [{ key: 'X-Stand-In', value: 'forbidden' }] } })));
    expect(result.headers.host).toEqual([{ key: 'Host', value: 'www.example.com' }]);
    expect(result.headers['x-forwarded-proto']).toBeUndefined();
    expect(result.headers['x-mixed-case']).toEqual([{ key: 'X-Mixed-Case', value: '1' }]);
    expect(header(result.headers, 'x-px-enforced')).toBe('1');
    expect(JSON.parse(output)).toMatchObject({ level: 'warn', headers: expect.arrayContaining(['host', 'x-forwarded-proto', 'x-mixed-case']) });
  });
});

describe('activities (origin-response)', () => {
  it('delegates and returns the response with what the SDK added; read-only and passed-through headers intact', async () => {
    const { handler } = wrapper('activities', SECRET, { appId: 'PX12345678' });
    const out = await invoke(handler, cloudFrontEvent('origin-response'));
    expect(out.status).toBe('200');
    expect(header(out.headers, 'x-px-activities')).toBe('1');
    expect(header(out.headers, 'x-cache')).toBe('Miss from origin-proxy');
    expect(standInConfigs()[0]).toMatchObject({ kind: 'activities', px_automatic_additional_s2s_activity_enabled: true, px_auth_token: TOKEN });
  });

  it('passes the response through unchanged when the secret cannot be read', async () => {
    const { handler } = wrapper('activities', new Error('throttled'), { appId: 'PX12345678' });
    const event = cloudFrontEvent('origin-response');
    const before = structuredClone(event.Records[0]!.cf.response);
    const { output, result } = await captureConsole(() => invoke(handler, event));
    expect(result).toEqual(before);
    expect(output).toContain('passing the response through unchanged');
  });
});

describe('first-party (origin-request)', () => {
  const firstPartyEvent = (uri: string) => cloudFrontEvent('origin-request', { uri });

  it('delegates: the SDK serves its first-party resources', async () => {
    const { handler } = wrapper('first-party', SECRET, { appId: 'PX12345678' });
    const out = await invoke(handler, firstPartyEvent('/12345678/init.js'));
    expect(out).toMatchObject({ status: '200', body: '/* sensor for PX12345678 */' });
    expect(standInConfigs()).toEqual([{ kind: 'first-party', px_app_id: 'PX12345678', px_auth_token: TOKEN, px_cookie_secret: COOKIE }]);
  });

  it('without the secret it runs with the app id alone (all the seed’s first-party config needs)', async () => {
    const { handler, built } = wrapper('first-party', new Error('down'), { appId: 'PX12345678' });
    const { output } = await captureConsole(async () => {
      expect((await invoke(handler, firstPartyEvent('/12345678/init.js'))).status).toBe('200');
      expect((await invoke(handler, firstPartyEvent('/12345678/xhr/api'))).status).toBe('404');
    });
    expect(standInConfigs()).toEqual([{ kind: 'first-party', px_app_id: 'PX12345678' }]);
    expect(built()).toBe(1);
    expect(output).toContain('runs with the app id only');
  });

  it('…and so it does when the secret is readable but lacks a key', async () => {
    const { handler } = wrapper('first-party', { PX_AUTH_TOKEN: TOKEN }, { appId: 'PX12345678' });
    const { output } = await captureConsole(async () => {
      expect(await invoke(handler, firstPartyEvent('/12345678/init.js'))).toMatchObject({ status: '200', body: '/* sensor for PX12345678 */' });
    });
    expect(standInConfigs()).toEqual([{ kind: 'first-party', px_app_id: 'PX12345678' }]);
    expect(output).toContain('the secret is incomplete; the first-party function runs with the app id only');
    expect(output).toContain('PX_COOKIE_SECRET');
    expect(output).not.toContain(TOKEN);
  });
});
