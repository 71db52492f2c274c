/**
 * The first-party proxy, route by route, on CloudFront origin-request fixtures: the origin it
 * points CloudFront at, the headers it adds and removes, the cookies it keeps, the responses it
 * generates. Every result goes through `invoke`, which checks that CloudFront would accept it.
 */
import { describe, expect, it } from 'vitest';
import { createFirstPartyProxy } from '../../handlers/first-party-proxy/proxy.js';
import { captureConsole, cloudFrontEvent, fixedSecret, header, invoke } from './helpers.js';

const PRE_SHARED = 'psk-9f8e7d6c5b4a-never-shown';
const CONFIG = { behaviorPath: 'fpjs-abc', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io', edgeInstallVersion: '1.2.3', secretName: 'edge-install/fp-proxy', secretRegion: 'us-east-1', secretReplicaRegions: [] };
const SECRET = { FPJS_PRE_SHARED_SECRET: PRE_SHARED, FPJS_BEHAVIOR_PATH: 'fpjs-abc', FPJS_AGENT_DOWNLOAD_PATH: 'agent', FPJS_GET_RESULT_PATH: 'result' };

const proxy = (secret: Parameters<typeof fixedSecret>[0] = SECRET, config: Record<string, unknown> = CONFIG) => {
  const reader = fixedSecret(secret);
  return { handler: createFirstPartyProxy({ config, secret: reader }), reader };
};

const customOrigin = (domainName: string) => ({
  custom: { customHeaders: {}, domainName, keepaliveTimeout: 5, path: '', port: 443, protocol: 'https', readTimeout: 30, sslProtocols: ['TLSv1.2'] },
});

describe('agent download: /<behaviorPath>/<agentDownloadPath>', () => {
  it("points the request at the agent CDN: /v<version>/<apiKey>/loader_v<loaderVersion>.js, the viewer's query and the traffic tag, no cookies", async () => {
    const { handler, reader } = proxy();
    const event = cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=Xk7bQ2mZ9pL4vR1sT6wY&version=3&loaderVersion=3.9.3' });
    const out = await invoke(handler, event);
    expect(out.origin).toEqual(customOrigin('fpcdn.io'));
    expect(out.uri).toBe('/v3/Xk7bQ2mZ9pL4vR1sT6wY/loader_v3.9.3.js');
    expect(out.querystring).toBe('apiKey=Xk7bQ2mZ9pL4vR1sT6wY&version=3&loaderVersion=3.9.3&ii=edge-install-cloudfront%2F1.2.3%2Fprocdn');
    expect(out.headers.host).toEqual([{ key: 'Host', value: 'fpcdn.io' }]);
    expect(out.headers.cookie).toBeUndefined();
    expect(out.headers['fpjs-proxy-secret']).toBeUndefined();
    // Everything else the viewer sent goes upstream as it was.
    for (const name of ['user-agent', 'accept', 'accept-language', 'accept-encoding', 'if-none-match', 'via', 'x-forwarded-for', 'cloudfront-viewer-country']) {
      expect(out.headers[name], name).toEqual(cloudFrontEvent('origin-request').Records[0]!.cf.request.headers[name]);
    }
    expect(reader.calls).toBe(0); // no secret needed: baked paths route it
  });

  it('without loaderVersion: /v<version>/<apiKey>; version defaults to 3', async () => {
    const { handler } = proxy();
    expect((await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc123&version=4' }))).uri).toBe('/v4/abc123');
    expect((await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent/', querystring: 'apiKey=abc123' }))).uri).toBe('/v3/abc123');
  });

  it('drops viewer-supplied FPJS-Proxy-* headers', async () => {
    const { handler } = proxy();
    const event = cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc123', headers: { 'fpjs-proxy-secret': [{ key: 'FPJS-Proxy-Secret', value: 'forged' }] } });
    expect((await invoke(handler, event)).headers['fpjs-proxy-secret']).toBeUndefined();
  });

  it('answers 400 (JSON, not cached) for a missing apiKey or values that cannot go into a path', async () => {
    const { handler } = proxy();
    for (const querystring of ['', 'apiKey=', 'apiKey=../../etc', 'apiKey=abc&version=3a', 'apiKey=abc&loaderVersion=1/../x']) {
      const out = await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring }));
      expect(out.status, querystring).toBe('400');
      expect(header(out.headers, 'content-type')).toBe('application/json; charset=utf-8');
      expect(header(out.headers, 'cache-control')).toBe('no-store');
      expect(JSON.parse(out.body).error.code).toBe('Failed');
    }
  });

  it('works when the secret cannot be read', async () => {
    const { handler } = proxy(Object.assign(new Error('denied'), { code: 'AccessDeniedException' }));
    const out = await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc123' }));
    expect(out.origin.custom.domainName).toBe('fpcdn.io');
  });
});

describe('result: /<behaviorPath>/<getResultPath>[/…]', () => {
  it('points the POST at the ingress API with the proxy headers, only the _iidt cookie, and the body untouched', async () => {
    const { handler } = proxy();
    const event = cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' });
    const before = structuredClone(event.Records[0]!.cf.request);
    const out = await invoke(handler, event);
    expect(out.origin).toEqual(customOrigin('api.fpjs.io'));
    expect(out.uri).toBe('/');
    expect(out.querystring).toBe('ci=js%2F3.9.3&q=1&ii=edge-install-cloudfront%2F1.2.3%2Fingress');
    expect(out.method).toBe('POST');
    expect(out.body).toEqual(before.body);
    expect(out.headers.host).toEqual([{ key: 'Host', value: 'api.fpjs.io' }]);
    expect(out.headers['fpjs-proxy-secret']).toEqual([{ key: 'FPJS-Proxy-Secret', value: PRE_SHARED }]);
    expect(out.headers['fpjs-proxy-client-ip']).toEqual([{ key: 'FPJS-Proxy-Client-IP', value: '198.51.100.7' }]); // clientIp, not the forged header
    expect(out.headers['fpjs-proxy-forwarded-host']).toEqual([{ key: 'FPJS-Proxy-Forwarded-Host', value: 'www.example.com' }]);
    expect(out.headers.cookie).toEqual([{ key: 'Cookie', value: '_iidt=7A2x9Q%2Fkd1' }]);
    for (const name of ['content-type', 'content-length', 'accept-encoding', 'origin', 'user-agent', 'via', 'x-forwarded-for']) expect(out.headers[name], name).toEqual(before.headers[name]);
    expect(Object.keys(out.headers).filter((n) => n.startsWith('fpjs-proxy-')).sort()).toEqual(['fpjs-proxy-client-ip', 'fpjs-proxy-forwarded-host', 'fpjs-proxy-secret']);
  });

  it('keeps the path below the result path and picks the regional ingress host from ?region=', async () => {
    const { handler } = proxy();
    // An unknown region (or one spelled like an object's property) is the default, and the query says so.
    const cases: [string, string, string][] = [
      ['region=eu', 'eu.api.fpjs.io', 'region=eu'],
      ['region=ap&x=1', 'ap.api.fpjs.io', 'region=ap&x=1'],
      ['region=us', 'api.fpjs.io', 'region=us'],
      ['region=mars', 'api.fpjs.io', 'region=us'],
      ['region=__proto__', 'api.fpjs.io', 'region=us'],
      ['region=constructor', 'api.fpjs.io', 'region=us'],
    ];
    for (const [querystring, domain, sent] of cases) {
      const out = await invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result', querystring }));
      expect(out.origin.custom.domainName, querystring).toBe(domain);
      expect(out.headers.host[0].value).toBe(domain);
      expect(out.querystring).toBe(`${sent}&ii=edge-install-cloudfront%2F1.2.3%2Fingress`);
    }
    const sub = await invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result/v1/events', querystring: 'region=eu' }));
    expect(sub.uri).toBe('/v1/events');
    expect(sub.origin.custom.domainName).toBe('eu.api.fpjs.io');
  });

  it('removes the cookie header when there is no _iidt cookie, and merges several cookie headers', async () => {
    const { handler } = proxy();
    const none = await invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result', headers: { cookie: [{ key: 'Cookie', value: 'a=1; b=2' }] } }));
    expect(none.headers.cookie).toBeUndefined();
    const several = await invoke(
      handler,
      cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result', headers: { cookie: [{ key: 'Cookie', value: 'a=1' }, { key: 'Cookie', value: '_iidt=x; _iidt_other=y' }] } }),
    );
    expect(several.headers.cookie).toEqual([{ key: 'Cookie', value: '_iidt=x' }]);
  });

  it('a GET result call (no body) keeps its method and query; readTimeout and keepaliveTimeout come from the behavior origin', async () => {
    const { handler } = proxy();
    const event = cloudFrontEvent('origin-request', { uri: '/fpjs-abc/result', querystring: 'region=eu' });
    event.Records[0]!.cf.request.origin.custom.readTimeout = 60;
    event.Records[0]!.cf.request.origin.custom.keepaliveTimeout = 10;
    const out = await invoke(handler, event);
    expect(out.method).toBe('GET');
    expect(out.origin.custom).toMatchObject({ domainName: 'eu.api.fpjs.io', readTimeout: 60, keepaliveTimeout: 10 });
    expect(out.body).toBeUndefined();
  });

  it('uses the distribution domain as the forwarded host when the request has no Host header', async () => {
    const { handler } = proxy();
    const event = cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' });
    delete event.Records[0]!.cf.request.headers.host;
    expect(header((await invoke(handler, event)).headers, 'fpjs-proxy-forwarded-host')).toBe('d111111abcdef8.cloudfront.net');
  });

  it('reads the pre-shared secret key case-insensitively', async () => {
    const { handler } = proxy({ fpjs_pre_shared_secret: PRE_SHARED });
    expect(header((await invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' }))).headers, 'fpjs-proxy-secret')).toBe(PRE_SHARED);
  });

  it('goes without FPJS-Proxy-Secret when the secret cannot be read or has no pre-shared key, as the vendor does', async () => {
    const failing = proxy(Object.assign(new Error('User is not authorized'), { code: 'AccessDeniedException' }));
    const out = await invoke(failing.handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' }));
    expect(out.origin.custom.domainName).toBe('api.fpjs.io');
    expect(out.headers['fpjs-proxy-secret']).toBeUndefined();
    expect(header(out.headers, 'fpjs-proxy-client-ip')).toBe('198.51.100.7');
    const empty = proxy({ FPJS_BEHAVIOR_PATH: 'fpjs-abc' });
    const without = await invoke(empty.handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' }));
    expect(without.headers['fpjs-proxy-secret']).toBeUndefined();
    // The status page says so.
    const page = await invoke(empty.handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/status' }));
    expect(page.body).toContain('<code>FPJS_PRE_SHARED_SECRET</code>: not set — identification calls go without FPJS-Proxy-Secret');
  });

  it('never logs the pre-shared secret', async () => {
    const { handler } = proxy();
    const { output } = await captureConsole(() => invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/result' })));
    expect(output).not.toContain(PRE_SHARED);
  });
});

describe('status and everything else', () => {
  it('status: a generated page saying which settings are present, never their values', async () => {
    const config = { ...CONFIG, behaviorPath: 'bp-7q2', agentDownloadPath: 'ad-5k9', getResultPath: 'gr-3m1', agentHost: 'cdn.vendor.example', ingressHost: 'ingress.vendor.example' };
    const { handler } = proxy({ FPJS_PRE_SHARED_SECRET: PRE_SHARED, FPJS_BEHAVIOR_PATH: 'bp-7q2', FPJS_GET_RESULT_PATH: 'gr-0ld' }, config);
    const out = await invoke(handler, cloudFrontEvent('origin-request', { uri: '/bp-7q2/status' }));
    expect(out).toMatchObject({ status: '200', statusDescription: 'OK', bodyEncoding: 'text' });
    expect(out.headers['content-type']).toEqual([{ key: 'Content-Type', value: 'text/html; charset=utf-8' }]);
    expect(out.headers['cache-control']).toEqual([{ key: 'Cache-Control', value: 'no-store' }]);
    expect(out.body).toContain('Secret: readable');
    expect(out.body).toContain('<code>FPJS_PRE_SHARED_SECRET</code>: set (secret)');
    expect(out.body).toContain('<code>behaviorPath</code>: set (bundle)');
    expect(out.body).toContain("differs from the secret&#39;s FPJS_GET_RESULT_PATH; the bundle&#39;s value is used");
    for (const value of [PRE_SHARED, 'bp-7q2', 'ad-5k9', 'gr-3m1', 'gr-0ld', 'vendor.example', 'edge-install/fp-proxy']) expect(out.body).not.toContain(value);
  });

  it('status says when the secret cannot be read or a setting is missing', async () => {
    const { handler } = proxy(Object.assign(new Error('x'), { code: 'ResourceNotFoundException' }));
    const out = await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/status' }));
    expect(out.body).toContain('Secret: not readable (ResourceNotFoundException)');
    expect(out.body).toContain('Some settings are missing or could not be read.');
  });

  it('routes as the vendor does: any prefix, repeated and trailing slashes; anything else is the JS agent v4 ingress', async () => {
    const { handler } = proxy();
    for (const uri of ['/fpjs-abc/agent', '/fpjs-abc//agent//', '/fpjs-abc/other/agent', '//agent']) {
      expect((await invoke(handler, cloudFrontEvent('origin-request', { uri, querystring: 'apiKey=abc' }))).origin.custom.domainName, uri).toBe('fpcdn.io');
    }
    const v4: [string, string][] = [
      ['/fpjs-abc/web/v4/abc', '/web/v4/abc'],
      ['/fpjs-abc/agentx', '/agentx'],
      ['/fpjs-abc/resultx', '/resultx'],
      ['/fpjs-abc/', '/'],
      ['/fpjs-abc', '/'],
    ];
    for (const [uri, path] of v4) {
      const out = await invoke(handler, cloudFrontEvent('origin-request', { uri, querystring: 'region=eu' }));
      expect(out.origin.custom.domainName, uri).toBe('eu.api.fpjs.io');
      expect(out.uri, uri).toBe(path);
      // A GET goes as the browser cache endpoint: no cookie, no proxy headers, no traffic tag.
      expect(out.headers.cookie).toBeUndefined();
      expect(Object.keys(out.headers).filter((n) => n.startsWith('fpjs-proxy-'))).toEqual([]);
      expect(out.querystring).toBe('region=eu');
    }
    // A v4 POST is an identification call.
    const post = await invoke(handler, cloudFrontEvent('origin-request-with-body', { uri: '/fpjs-abc/' }));
    expect(post.uri).toBe('/');
    expect(header(post.headers, 'fpjs-proxy-secret')).toBe(PRE_SHARED);
    expect(post.querystring).toContain('ii=edge-install-cloudfront%2F1.2.3%2Fingress');
  });

  it('refuses to run on another event than origin-request and origin-response', async () => {
    const { handler } = proxy();
    const out = await invoke(handler, cloudFrontEvent('viewer-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc' }));
    expect(out.status).toBe('500');
    expect(JSON.parse(out.body).error.message).toContain('attach this function to origin-request (with Include body) and origin-response');
  });
});

describe('paths: the bundle wins, the secret fills in', () => {
  it('trims slashes from baked paths', async () => {
    const { handler } = proxy(SECRET, { ...CONFIG, behaviorPath: '/fpjs-abc/', agentDownloadPath: '/agent' });
    expect((await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc' }))).uri).toBe('/v3/abc');
  });

  it('takes a path the bundle lacks from the secret (the seed layout); with neither, that v3 route is off (v4 ingress)', async () => {
    const { handler, reader } = proxy(SECRET, { agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' });
    expect((await invoke(handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc' }))).uri).toBe('/v3/abc');
    expect(reader.calls).toBe(1);
    const bare = proxy({ FPJS_PRE_SHARED_SECRET: PRE_SHARED }, {});
    const out = await invoke(bare.handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/agent', querystring: 'apiKey=abc' }));
    expect(out.origin.custom.domainName).toBe('api.fpjs.io');
    expect(out.uri).toBe('/agent');
    // The status page lists what is not set instead of failing.
    const page = await invoke(bare.handler, cloudFrontEvent('origin-request', { uri: '/fpjs-abc/status' }));
    expect(page.status).toBe('200');
    expect(page.body).toContain('<code>agentDownloadPath</code>: not set — JS agent v3 route off (v4 agents need no path)');
  });

  it('default hosts are fpcdn.io and api.fpjs.io', async () => {
    const { handler } = proxy(SECRET, { behaviorPath: 'p', agentDownloadPath: 'a', getResultPath: 'r' });
    expect((await invoke(handler, cloudFrontEvent('origin-request', { uri: '/p/a', querystring: 'apiKey=abc' }))).origin.custom.domainName).toBe('fpcdn.io');
    expect((await invoke(handler, cloudFrontEvent('origin-request', { uri: '/p/r' }))).origin.custom.domainName).toBe('api.fpjs.io');
  });
});
