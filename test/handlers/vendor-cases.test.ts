/**
 * The first-party proxy against the vendor's own behaviour, route by route, as data: each case
 * is a behaviour the vendor's proxy (fingerprintjs/fingerprint-pro-cloudfront-integration 2.1.1,
 * `proxy/` and its jest tests; the v4 catch-all of 2.2) shows, restated as what our design does
 * with it — the upstream CloudFront will fetch (origin, path, query, headers) on origin-request,
 * and the response the viewer gets on origin-response. Run through the BUILT bundle, loaded as
 * Lambda loads it, reading its secret with the signed call a replica makes (a local stand-in for
 * Secrets Manager).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../src/bundle/index.js';
import { loadHandler, removeTempDirs } from '../bundle/helpers.js';
import { cloudFrontEvent, header, invoke, withEnv, type TestEvent } from './helpers.js';

const PRE_SHARED = 'vendor-cases-pre-shared-5c1e-never-shown';
const VERSION = '9.9.9';
const PROCDN = `ii=edge-install-cloudfront%2F${VERSION}%2Fprocdn`;
const INGRESS = `ii=edge-install-cloudfront%2F${VERSION}%2Fingress`;

let server: Server;
let endpoint = '';
let secretReads = 0;
let handler: (event: TestEvent) => Promise<any>;
let project = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume().on('end', () => {
      secretReads++;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: PRE_SHARED }) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  project = mkdtempSync(join(tmpdir(), 'ei-vendor-cases-'));
  handler = await builtProxy({ agentDownloadPath: 'greiodsfkljlds', getResultPath: 'result' });
});

/** The proxy as `attach` would build and Lambda load it, with these v3 paths. */
async function builtProxy(paths: { agentDownloadPath: string; getResultPath: string }): Promise<(event: TestEvent) => Promise<any>> {
  const bundle = await bundleFunction({
    functionKey: 'proxy',
    handler: 'builtin:first-party-proxy',
    runtime: 'nodejs24.x',
    config: { behaviorPath: 'behavior', ...paths, agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' },
    eventTypes: ['origin-request', 'origin-response'],
    baseDir: project,
    settings: { secretName: 'edge-install/fp-proxy', secretRegion: 'us-east-1', secretReplicaRegions: [], edgeInstallVersion: VERSION },
  });
  return loadHandler(bundle.zip) as (event: TestEvent) => Promise<any>;
}
afterAll(() => {
  server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
  removeTempDirs();
});

const env = () => ({ AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint, AWS_ACCESS_KEY_ID: 'ASIAEDGE', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 't', AWS_REGION: 'us-east-1' });
const run = (event: TestEvent) => withEnv(env(), () => invoke(handler, event));

type Headers = Record<string, { key: string; value: string }[]>;
const h = (key: string, value: string): Headers => ({ [key.toLowerCase()]: [{ key, value }] });

interface RequestCase {
  name: string;
  uri: string;
  query?: string;
  post?: boolean;
  headers?: Headers;
  /** What CloudFront fetches. */
  host: string;
  path: string;
  sentQuery: string;
  /** Header names (lowercase) that must be there, and must not. */
  has?: Record<string, string | undefined>;
  lacks?: string[];
}

const IDENTIFICATION = ['fpjs-proxy-secret', 'fpjs-proxy-client-ip', 'fpjs-proxy-forwarded-host'];

const REQUEST_CASES: RequestCase[] = [
  // Agent download (handleAgentDownloading.test.ts): the viewer's query as sent, then the traffic tag.
  { name: 'agent: apiKey only → /v3/<key>', uri: '/behavior/greiodsfkljlds', query: 'apiKey=K', host: 'fpcdn.io', path: '/v3/K', sentQuery: `apiKey=K&${PROCDN}` },
  { name: 'agent: version', uri: '/behavior/greiodsfkljlds', query: 'apiKey=K&version=5', host: 'fpcdn.io', path: '/v5/K', sentQuery: `apiKey=K&version=5&${PROCDN}` },
  { name: 'agent: loaderVersion', uri: '/behavior/greiodsfkljlds', query: 'apiKey=K&version=5&loaderVersion=3.6.5', host: 'fpcdn.io', path: '/v5/K/loader_v3.6.5.js', sentQuery: `apiKey=K&version=5&loaderVersion=3.6.5&${PROCDN}` },
  { name: 'agent: custom parameters kept', uri: '/behavior/greiodsfkljlds', query: 'apiKey=K&someKey=someValue', host: 'fpcdn.io', path: '/v3/K', sentQuery: `apiKey=K&someKey=someValue&${PROCDN}` },
  { name: "agent: the client's own ii kept", uri: '/behavior/greiodsfkljlds', query: 'apiKey=K&ii=custom-sdk%2F1.0', host: 'fpcdn.io', path: '/v3/K', sentQuery: `apiKey=K&ii=custom-sdk%2F1.0&${PROCDN}` },
  { name: 'agent: an apiKey with _ and -', uri: '/behavior/greiodsfkljlds', query: 'apiKey=ab_cd-ef', host: 'fpcdn.io', path: '/v3/ab_cd-ef', sentQuery: `apiKey=ab_cd-ef&${PROCDN}` },
  {
    name: 'agent: cookies and HSTS dropped, the rest forwarded',
    uri: '/behavior/greiodsfkljlds',
    query: 'apiKey=K',
    headers: { ...h('Cookie', '_iidt=x; auth=1'), ...h('Strict-Transport-Security', 'max-age=600'), ...h('X-Some-Header', 'kept') },
    host: 'fpcdn.io',
    path: '/v3/K',
    sentQuery: `apiKey=K&${PROCDN}`,
    has: { 'x-some-header': 'kept', 'accept-language': undefined },
    lacks: ['cookie', 'strict-transport-security', ...IDENTIFICATION],
  },
  // Identification (handleResult.test.ts).
  { name: 'result: region eu', uri: '/behavior/result', query: 'region=eu', post: true, host: 'eu.api.fpjs.io', path: '/', sentQuery: `region=eu&${INGRESS}`, has: { 'fpjs-proxy-secret': PRE_SHARED } },
  { name: 'result: region ap', uri: '/behavior/result', query: 'region=ap', post: true, host: 'ap.api.fpjs.io', path: '/', sentQuery: `region=ap&${INGRESS}` },
  { name: 'result: an invalid region is us', uri: '/behavior/result', query: 'region=bar.baz/foo', post: true, host: 'api.fpjs.io', path: '/', sentQuery: `region=us&${INGRESS}` },
  { name: 'result: region __proto__ is us', uri: '/behavior/result', query: 'region=__proto__', post: true, host: 'api.fpjs.io', path: '/', sentQuery: `region=us&${INGRESS}` },
  { name: 'result: values re-encoded', uri: '/behavior/result', query: 'apiKey=foo.bar/baz', post: true, host: 'api.fpjs.io', path: '/', sentQuery: `apiKey=foo.bar%2Fbaz&${INGRESS}` },
  { name: 'result: a GET has no traffic tag', uri: '/behavior/result', query: 'apiKey=foo', host: 'api.fpjs.io', path: '/', sentQuery: 'apiKey=foo' },
  {
    name: 'result: the proxy headers and the _iidt cookie only',
    uri: '/behavior/result',
    post: true,
    headers: h('Cookie', '_iidt=X; auth_token=123456'),
    host: 'api.fpjs.io',
    path: '/',
    sentQuery: INGRESS,
    has: { cookie: '_iidt=X', 'fpjs-proxy-secret': PRE_SHARED, 'fpjs-proxy-client-ip': '198.51.100.7', 'fpjs-proxy-forwarded-host': 'www.example.com' },
  },
  { name: 'result: a bare _iidt is no cookie', uri: '/behavior/result', post: true, headers: h('Cookie', '_iidt'), host: 'api.fpjs.io', path: '/', sentQuery: INGRESS, lacks: ['cookie'] },
  // The browser cache endpoint: no cookies, no proxy headers; the traffic tag only on POST.
  { name: 'cache endpoint: POST with a suffix', uri: '/behavior/result/.suffix/more/path', post: true, headers: h('Cookie', '_iidt=X'), host: 'api.fpjs.io', path: '/.suffix/more/path', sentQuery: INGRESS, lacks: ['cookie', ...IDENTIFICATION] },
  { name: 'cache endpoint: GET', uri: '/behavior/result/with/suffix', query: 'region=eu', headers: h('Cookie', '_iidt=X'), host: 'eu.api.fpjs.io', path: '/with/suffix', sentQuery: 'region=eu', lacks: ['cookie', ...IDENTIFICATION] },
  // Routing (routing.test.ts): prefixes, repeated and trailing slashes; the rest is the v4 ingress.
  { name: 'routing: //result//', uri: '/behavior//result//', post: true, host: 'api.fpjs.io', path: '/', sentQuery: INGRESS },
  { name: 'routing: a deeper prefix', uri: '/behavior/x/y/greiodsfkljlds', query: 'apiKey=K', host: 'fpcdn.io', path: '/v3/K', sentQuery: `apiKey=K&${PROCDN}` },
  { name: 'routing: resultfoo is not the result route (v4)', uri: '/behavior/resultfoo/bar', host: 'api.fpjs.io', path: '/resultfoo/bar', sentQuery: '', lacks: IDENTIFICATION },
  { name: 'v4: an identification POST', uri: '/behavior/', query: 'region=eu', post: true, host: 'eu.api.fpjs.io', path: '/', sentQuery: `region=eu&${INGRESS}`, has: { 'fpjs-proxy-secret': PRE_SHARED } },
  { name: 'v4: an agent GET', uri: '/behavior/web/v4/K', headers: h('Cookie', '_iidt=X'), host: 'api.fpjs.io', path: '/web/v4/K', sentQuery: '', lacks: ['cookie', ...IDENTIFICATION] },
];

describe('origin-request: what CloudFront fetches, case by case', () => {
  it.each(REQUEST_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const event = cloudFrontEvent(c.post ? 'origin-request-with-body' : 'origin-request', { uri: c.uri, querystring: c.query ?? '', headers: c.headers });
    if (!c.headers?.cookie) delete event.Records[0]!.cf.request.headers.cookie;
    const out = await run(event);
    expect(out.origin?.custom?.domainName).toBe(c.host);
    expect(header(out.headers, 'host')).toBe(c.host);
    expect(out.uri).toBe(c.path);
    expect(out.querystring).toBe(c.sentQuery);
    for (const [name, value] of Object.entries(c.has ?? {})) {
      if (value === undefined) expect(out.headers[name], name).toBeDefined();
      else expect(header(out.headers, name), name).toBe(value);
    }
    for (const name of c.lacks ?? []) expect(out.headers[name], name).toBeUndefined();
  });

  it('status: a page with a Content-Security-Policy nonce, the version, never a value', async () => {
    for (const uri of ['/behavior/status', '/behavior//status//']) {
      const out = await run(cloudFrontEvent('origin-request', { uri }));
      expect(out.status).toBe('200');
      const csp = header(out.headers, 'content-security-policy')!;
      const nonce = /style-src 'nonce-([^']+)'/.exec(csp)![1]!;
      expect(csp).toBe(`default-src 'none'; style-src 'nonce-${nonce}'`);
      expect(out.body).toContain(`<style nonce="${nonce}">`);
      expect(out.body).toContain(`edge-install ${VERSION}`);
      expect(out.body).not.toContain(PRE_SHARED);
    }
  });
});

interface ResponseCase {
  name: string;
  /** The request as CloudFront sent it upstream. */
  upstream: 'agent' | 'ingress';
  headers: Headers;
  has: Record<string, string | undefined>;
  lacks?: string[];
}

const RESPONSE_CASES: ResponseCase[] = [
  { name: 'agent: max-age over an hour is clamped, s-maxage added', upstream: 'agent', headers: h('Cache-Control', 'public, max-age=3613'), has: { 'cache-control': 'public, max-age=3600, s-maxage=60' } },
  { name: 'agent: a shorter max-age is kept', upstream: 'agent', headers: h('Cache-Control', 'public, max-age=100'), has: { 'cache-control': 'public, max-age=100, s-maxage=60' } },
  { name: 'agent: s-maxage clamped', upstream: 'agent', headers: h('Cache-Control', 'public, max-age=3613, s-maxage=575500'), has: { 'cache-control': 'public, max-age=3600, s-maxage=60' } },
  { name: 'agent: a shorter s-maxage is kept', upstream: 'agent', headers: h('Cache-Control', 'public, max-age=3613, s-maxage=10'), has: { 'cache-control': 'public, max-age=3600, s-maxage=10' } },
  { name: 'agent: no-cache gets both', upstream: 'agent', headers: h('Cache-Control', 'no-cache'), has: { 'cache-control': 'no-cache, max-age=3600, s-maxage=60' } },
  {
    name: 'agent: several Cache-Control lines are one list',
    upstream: 'agent',
    headers: { 'cache-control': [{ key: 'Cache-Control', value: 'public' }, { key: 'Cache-Control', value: 'max-age=7200' }] },
    has: { 'cache-control': 'public, max-age=3600, s-maxage=60' },
  },
  { name: 'agent: no Cache-Control stays without one', upstream: 'agent', headers: {}, has: {}, lacks: ['cache-control'] },
  {
    name: 'agent: HSTS and Age removed; content-type and custom headers kept',
    upstream: 'agent',
    headers: { ...h('Strict-Transport-Security', 'max-age=63072000; includeSubDomains; preload'), ...h('Age', '17'), ...h('X-Custom', 'v') },
    has: { 'content-type': 'text/html; charset=UTF-8', 'x-custom': 'v' },
    lacks: ['strict-transport-security', 'age'],
  },
  {
    name: 'ingress: the cache endpoint keeps its Cache-Control; Set-Cookie kept; HSTS removed',
    upstream: 'ingress',
    headers: { ...h('Cache-Control', 'max-age=31536000, immutable, private'), ...h('Set-Cookie', '_iidt=abc; Path=/; Secure'), ...h('Strict-Transport-Security', 'max-age=600') },
    has: { 'cache-control': 'max-age=31536000, immutable, private', 'set-cookie': '_iidt=abc; Path=/; Secure' },
    lacks: ['strict-transport-security'],
  },
];

/**
 * An origin-response event for a request the proxy rewrote to `upstream`, with `headers` on the
 * response. The origin's domain name stays the behavior's configured origin (the agent CDN, as
 * the recipe has it): only the Host the function set tells the two apart.
 */
function responseEvent(upstream: 'agent' | 'ingress', headers: Headers): TestEvent {
  const event = cloudFrontEvent('origin-response');
  const { request, response } = event.Records[0]!.cf;
  const host = upstream === 'agent' ? 'fpcdn.io' : 'api.fpjs.io';
  request.uri = upstream === 'agent' ? '/v3/K' : '/';
  request.headers.host = [{ key: 'Host', value: host }];
  request.origin.custom.domainName = 'fpcdn.io';
  Object.assign(response.headers, headers);
  return event;
}

describe('origin-response: what the viewer gets, case by case', () => {
  it.each(RESPONSE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const out = await run(responseEvent(c.upstream, c.headers));
    expect(out.status).toBe('200');
    for (const [name, value] of Object.entries(c.has)) expect(header(out.headers, name), name).toBe(value);
    for (const name of c.lacks ?? []) expect(out.headers[name], name).toBeUndefined();
    // Read-only in origin-response: left as they were.
    expect(header(out.headers, 'transfer-encoding')).toBe('chunked');
  });
});

describe('a JS agent v4 install (no v3 paths baked)', () => {
  let v4: (event: TestEvent) => Promise<any>;
  beforeAll(async () => {
    v4 = await builtProxy({ agentDownloadPath: '', getResultPath: '' });
  });

  it('routes agent GETs and responses without reading the secret; identification reads it once', async () => {
    const before = secretReads;
    const agent = await withEnv(env(), () => invoke(v4, cloudFrontEvent('origin-request', { uri: '/behavior/web/v4/K', querystring: 'region=eu' })));
    expect([agent.origin.custom.domainName, agent.uri]).toEqual(['eu.api.fpjs.io', '/web/v4/K']);
    const cleaned = await withEnv(env(), () => invoke(v4, responseEvent('ingress', h('Strict-Transport-Security', 'max-age=600'))));
    expect(cleaned.headers['strict-transport-security']).toBeUndefined();
    expect(secretReads).toBe(before);
    const identification = await withEnv(env(), () => invoke(v4, cloudFrontEvent('origin-request-with-body', { uri: '/behavior/' })));
    expect(header(identification.headers, 'fpjs-proxy-secret')).toBe(PRE_SHARED);
    expect(secretReads).toBe(before + 1);
  });
});
