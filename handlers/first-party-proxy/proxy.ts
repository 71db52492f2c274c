/**
 * The first-party proxy. It serves a browser agent and its identification API from the site's
 * own domain, behaving as the vendor's own proxy does (fingerprintjs/fingerprint-pro-cloudfront-
 * integration 2.1.1, `proxy/`; the v4 catch-all of 2.2) — except that it does not fetch: on
 * origin-request it points the request at the right upstream and CloudFront fetches it, so the
 * function never waits on the network (for result calls only on the cached secret). What the
 * vendor does to the upstream's *response* the same function does on origin-response.
 *
 * Routes (routes.ts), below the behavior `<behaviorPath>/*`:
 *
 *   …/<agentDownloadPath>?apiKey=…&version=…&loaderVersion=…   (JS agent v3)
 *       → https://<agentHost>/v<version>/<apiKey>[/loader_v<loaderVersion>.js]?<query>&ii=…/procdn
 *         no cookies; the response's Cache-Control clamped (max-age ≤ 3600, s-maxage ≤ 60)
 *   …/<getResultPath>?region=eu|ap|us                          (JS agent v3 identification)
 *       → https://[eu.|ap.]<ingressHost>/?<query>[&ii=…/ingress on POST], FPJS-Proxy-Secret
 *         (when the secret has it), FPJS-Proxy-Client-IP, FPJS-Proxy-Forwarded-Host, only the
 *         _iidt cookie, body as sent
 *   …/<getResultPath>/<suffix>                                  (browser cache endpoint)
 *       → https://[eu.|ap.]<ingressHost>/<suffix>?<query>, no cookies, no FPJS-Proxy-* headers
 *   …/status → a generated page saying which settings are present (no values)
 *   anything else (JS agent v4)
 *       → https://[eu.|ap.]<ingressHost>/<path below the behavior path>?<query>; a POST as an
 *         identification call, anything else as the browser cache endpoint
 *
 * Every response of the behavior (all come from the vendor's hosts) loses the headers the
 * vendor never passes (vendor-rules.ts): an upstream Strict-Transport-Security must not pin the
 * customer's domain to HTTPS.
 *
 * Settings: paths and hosts baked into the bundle (the manifest's `config`). A v3 path the
 * bundle lacks is taken from the secret's FPJS_AGENT_DOWNLOAD_PATH / FPJS_GET_RESULT_PATH (the
 * seed's layout, keys case-insensitive); with neither, that v3 route is off.
 */
import type { CloudFrontEvent, CloudFrontRequest, CloudFrontResponse, CloudFrontResultResponse, EventType } from '../shared/cloudfront.js';
import { recordOf } from '../shared/cloudfront.js';
import { stringSetting } from '../shared/config.js';
import { deleteHeader, deleteHeadersWithPrefix, filterCookies, getHeader, setHeader } from '../shared/headers.js';
import { jsonResponse } from '../shared/responses.js';
import { describeError } from '../shared/secret-cache.js';
import { secretValue, type SecretValues } from '../shared/secrets.js';
import { createRouter, type Route, type RoutePaths } from './routes.js';
import { statusPage, type SettingState } from './status.js';
import { clampResponseCacheControl, ingressHostFor, regionOf, removeBlockedHeaders, trafficTag } from './vendor-rules.js';

const REQUEST: EventType = 'origin-request';
const RESPONSE: EventType = 'origin-response';
export const DEFAULT_AGENT_HOST = 'fpcdn.io';
export const DEFAULT_INGRESS_HOST = 'api.fpjs.io';
const DEFAULT_READ_TIMEOUT = 30;
const DEFAULT_KEEPALIVE_TIMEOUT = 5;

export const SECRET_KEYS = {
  preSharedSecret: 'FPJS_PRE_SHARED_SECRET',
  behaviorPath: 'FPJS_BEHAVIOR_PATH',
  agentDownloadPath: 'FPJS_AGENT_DOWNLOAD_PATH',
  getResultPath: 'FPJS_GET_RESULT_PATH',
} as const;

type PathName = 'agentDownloadPath' | 'getResultPath';
const PATH_NAMES: readonly PathName[] = ['agentDownloadPath', 'getResultPath'];

/** Where the secret comes from: a cache (shared/secret-cache.ts) or anything with the same `get`. */
export interface SecretReader {
  get(): Promise<SecretValues>;
}

export interface ProxyOptions {
  /** The baked config: behaviorPath, agentDownloadPath, getResultPath, agentHost, ingressHost, edgeInstallVersion (+ secret settings). */
  config: Record<string, unknown>;
  secret: SecretReader;
}

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '');

/**
 * Query values that go into an upstream *path* are checked (the vendor inserts them as they
 * come): a `/` or `..` there would reach another upstream resource. API keys are letters,
 * digits, `_` and `-`.
 */
const API_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const VERSION = /^[0-9]{1,3}$/;
const LOADER_VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;

function errorDocument(requestId: string, message: string) {
  return { v: '2', requestId, error: { code: 'Failed', message: `edge-install first-party proxy: ${message}` }, products: {} };
}

/** Points the request at `https://<domainName>` (CloudFront fetches it) and sets Host to match. */
function pointOriginAt(request: CloudFrontRequest, domainName: string): void {
  const current = request.origin?.custom;
  request.origin = {
    custom: {
      customHeaders: {},
      domainName,
      keepaliveTimeout: current?.keepaliveTimeout ?? DEFAULT_KEEPALIVE_TIMEOUT,
      path: '',
      port: 443,
      protocol: 'https',
      readTimeout: current?.readTimeout ?? DEFAULT_READ_TIMEOUT,
      sslProtocols: ['TLSv1.2'],
    },
  };
  setHeader(request.headers, REQUEST, 'Host', domainName);
}

/** What every proxied request loses: viewer-sent FPJS-Proxy-* headers and the vendor's blocked headers. */
function cleanRequestHeaders(request: CloudFrontRequest): void {
  deleteHeadersWithPrefix(request.headers, REQUEST, 'fpjs-proxy-');
  removeBlockedHeaders(request.headers, REQUEST);
}

const appendQuery = (query: string, name: string, value: string) => `${query === '' ? '' : `${query}&`}${name}=${encodeURIComponent(value)}`;

export function createFirstPartyProxy(options: ProxyOptions): (event: CloudFrontEvent) => Promise<CloudFrontRequest | CloudFrontResultResponse | CloudFrontResponse> {
  const { config, secret } = options;
  const agentHost = stringSetting(config, 'agentHost') ?? DEFAULT_AGENT_HOST;
  const ingressHost = stringSetting(config, 'ingressHost') ?? DEFAULT_INGRESS_HOST;
  const version = stringSetting(config, 'edgeInstallVersion') ?? '0.0.0';
  const baked: RoutePaths = {};
  for (const name of PATH_NAMES) {
    const value = trimSlashes(stringSetting(config, name) ?? '');
    if (value !== '') baked[name] = value;
  }
  const bakedRouter = createRouter(baked);
  // A path baked as '' is a v3 route turned off (a v4-only install): only a path the bundle
  // does not name at all is looked up in the secret, so v4 installs never wait on it.
  const bakedComplete = PATH_NAMES.every((name) => typeof config[name] === 'string');

  /** The router: baked paths, completed from the secret (when readable) for a v3 path the bundle lacks. */
  async function router(): Promise<(uri: string) => Route> {
    if (bakedComplete) return bakedRouter;
    const values = await secret.get().catch(() => undefined);
    const paths: RoutePaths = { ...baked };
    for (const name of PATH_NAMES) {
      const fromSecret = trimSlashes(secretValue(values, SECRET_KEYS[name]) ?? '');
      if (paths[name] === undefined && fromSecret !== '') paths[name] = fromSecret;
    }
    return paths.agentDownloadPath === baked.agentDownloadPath && paths.getResultPath === baked.getResultPath ? bakedRouter : createRouter(paths);
  }

  function agentDownload(request: CloudFrontRequest, requestId: string): CloudFrontRequest | CloudFrontResultResponse {
    const query = new URLSearchParams(request.querystring);
    const apiKey = query.get('apiKey') ?? '';
    const agentVersion = query.get('version') || '3';
    const loaderVersion = query.get('loaderVersion') || undefined;
    if (!API_KEY.test(apiKey)) return jsonResponse(400, errorDocument(requestId, 'the agent download needs an apiKey query parameter (letters, digits, _ and -)'));
    if (!VERSION.test(agentVersion)) return jsonResponse(400, errorDocument(requestId, 'the version query parameter must be a number'));
    if (loaderVersion !== undefined && !LOADER_VERSION.test(loaderVersion)) return jsonResponse(400, errorDocument(requestId, 'the loaderVersion query parameter is not a version'));

    cleanRequestHeaders(request);
    deleteHeader(request.headers, REQUEST, 'cookie');
    pointOriginAt(request, agentHost);
    request.uri = `/v${agentVersion}/${apiKey}${loaderVersion !== undefined ? `/loader_v${loaderVersion}.js` : ''}`;
    // The viewer's query as sent (apiKey, version, loaderVersion, its own parameters, an `ii` the agent set), and ours.
    request.querystring = appendQuery(request.querystring, 'ii', trafficTag(version, 'procdn'));
    return request;
  }

  /**
   * The ingress API: identification calls (the v3 result path, a v4 POST) carry the proxy's
   * headers and the `_iidt` cookie; everything else (the browser cache endpoint, v4 GETs)
   * carries no cookie and no FPJS-Proxy-* header and needs no secret.
   */
  async function ingress(request: CloudFrontRequest, path: string, identification: boolean, distributionDomainName: string): Promise<CloudFrontRequest> {
    const query = new URLSearchParams(request.querystring);
    const region = regionOf(query.get('region'));
    if (query.has('region')) query.set('region', region);
    if (request.method === 'POST') query.append('ii', trafficTag(version, 'ingress'));
    const forwardedHost = getHeader(request.headers, 'host') ?? distributionDomainName;
    cleanRequestHeaders(request);
    if (identification) {
      // A cookie without a value is no _iidt (the vendor drops it too).
      filterCookies(request.headers, REQUEST, (name, value) => name === '_iidt' && value !== '');
      // The vendor proxies without FPJS-Proxy-Secret when it has none (the ingress then sees an
      // unauthenticated proxy); the status page says the key is missing or the secret unreadable.
      const values = await secret.get().catch(() => undefined);
      const preShared = secretValue(values, SECRET_KEYS.preSharedSecret);
      if (preShared !== undefined) setHeader(request.headers, REQUEST, 'FPJS-Proxy-Secret', preShared);
      setHeader(request.headers, REQUEST, 'FPJS-Proxy-Client-IP', request.clientIp);
      setHeader(request.headers, REQUEST, 'FPJS-Proxy-Forwarded-Host', forwardedHost);
    } else {
      deleteHeader(request.headers, REQUEST, 'cookie');
    }
    pointOriginAt(request, ingressHostFor(region, ingressHost));
    request.uri = path;
    request.querystring = query.toString();
    return request;
  }

  async function status(): Promise<CloudFrontResultResponse> {
    let values: SecretValues | undefined;
    let secretError: string | undefined;
    try {
      values = await secret.get();
    } catch (error) {
      secretError = (error as { code?: string })?.code ?? describeError(error).split(':')[0];
    }
    const settings: SettingState[] = [];
    const behaviorPath = stringSetting(config, 'behaviorPath');
    settings.push({ name: 'behaviorPath', present: behaviorPath !== undefined, source: behaviorPath !== undefined ? 'bundle' : undefined, note: behaviorPath === undefined ? 'not needed for routing' : undefined, required: false });
    for (const name of PATH_NAMES) {
      const fromSecret = secretValue(values, SECRET_KEYS[name]);
      const bakedValue = baked[name];
      if (bakedValue !== undefined) {
        const differs = fromSecret !== undefined && trimSlashes(fromSecret) !== bakedValue;
        settings.push({ name, present: true, source: 'bundle', note: differs ? `differs from the secret's ${SECRET_KEYS[name]}; the bundle's value is used` : undefined, required: false });
      } else {
        // Baked as '' (turned off): the secret's value is not used for routing, so not reported as set.
        const present = typeof config[name] !== 'string' && fromSecret !== undefined && trimSlashes(fromSecret) !== '';
        settings.push({ name, present, source: present ? `secret (${SECRET_KEYS[name]})` : undefined, note: present ? undefined : 'JS agent v3 route off (v4 agents need no path)', required: false });
      }
    }
    settings.push({ name: 'agentHost', present: true, source: stringSetting(config, 'agentHost') ? 'bundle' : 'default' });
    settings.push({ name: 'ingressHost', present: true, source: stringSetting(config, 'ingressHost') ? 'bundle' : 'default' });
    const preShared = values !== undefined && secretValue(values, SECRET_KEYS.preSharedSecret) !== undefined;
    settings.push({
      name: SECRET_KEYS.preSharedSecret,
      present: preShared,
      source: values !== undefined ? 'secret' : undefined,
      note: values === undefined ? 'unknown: the secret could not be read; identification calls go without FPJS-Proxy-Secret' : preShared ? undefined : 'identification calls go without FPJS-Proxy-Secret',
    });
    return statusPage({ version, secretReadable: values !== undefined, secretError, settings, nonce: nonce() });
  }

  /**
   * On the way back: the vendor's header rules, and the agent's Cache-Control clamp. The
   * request is the one CloudFront sent upstream, whose Host this function set on the way out:
   * the agent CDN's for agent downloads (the behavior's configured origin is the agent CDN too,
   * so the origin's domain name would not tell an ingress response apart).
   */
  function response(request: CloudFrontRequest, response: CloudFrontResponse): CloudFrontResponse {
    removeBlockedHeaders(response.headers, RESPONSE);
    if (getHeader(request.headers, 'host') === agentHost) clampResponseCacheControl(response.headers, RESPONSE);
    return response;
  }

  return async function firstPartyProxy(event) {
    const cf = recordOf(event);
    const request = cf.request;
    const requestId = cf.config?.requestId ?? '';
    const eventType = cf.config?.eventType ?? REQUEST;
    if (eventType !== REQUEST && eventType !== RESPONSE) {
      return jsonResponse(500, errorDocument(requestId, `attach this function to origin-request (with Include body) and origin-response, not ${eventType}`));
    }
    if (eventType === RESPONSE) {
      if (!cf.response) return jsonResponse(502, errorDocument(requestId, 'an origin-response event without a response'));
      return response(request, cf.response);
    }
    const found = (await router())(request.uri);
    switch (found.kind) {
      case 'agent':
        return agentDownload(request, requestId);
      case 'result':
        return ingress(request, found.suffix || '/', found.suffix === '', cf.config?.distributionDomainName ?? '');
      case 'status':
        return status();
      case 'ingress':
        return ingress(request, found.path, request.method === 'POST', cf.config?.distributionDomainName ?? '');
    }
  };
}

/**
 * A fresh nonce for the status page's Content-Security-Policy: Web Crypto (no node:crypto in
 * the cold import), which Node 18 lacks as a global — there Math.random, enough for a nonce
 * on a page that loads nothing else.
 */
function nonce(): string {
  const bytes = new Uint8Array(18);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return btoa(String.fromCharCode(...bytes));
}
