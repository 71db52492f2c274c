/**
 * The first-party proxy (origin-request, Include body). It serves a browser agent and its
 * identification API from the site's own domain by pointing the request at the right upstream
 * and letting CloudFront fetch it: the function never waits on the network for agent downloads,
 * and for result calls only on the (cached) secret.
 *
 * Requests arrive under the behavior `<behaviorPath>/*`:
 *
 *   /<behaviorPath>/<agentDownloadPath>?apiKey=…&version=…&loaderVersion=…
 *       → https://<agentHost>/v<version>/<apiKey>[/loader_v<loaderVersion>.js], no cookies
 *   /<behaviorPath>/<getResultPath>[/…]?region=eu|ap|us…
 *       → https://[eu.|ap.]<ingressHost>[/…]?<same query>, with FPJS-Proxy-Secret,
 *         FPJS-Proxy-Client-IP, FPJS-Proxy-Forwarded-Host; only the _iidt cookie; body as sent
 *   /<behaviorPath>/status → a generated page saying which settings are present (no values)
 *   anything else → a generated 404
 *
 * Settings: the paths and hosts are baked into the bundle (the manifest's `config`). The
 * secret's FPJS_BEHAVIOR_PATH, FPJS_AGENT_DOWNLOAD_PATH and FPJS_GET_RESULT_PATH (the seed's
 * layout, keys read case-insensitively) are used only for a path the bundle lacks: the baked
 * value is what the CloudFront behavior was built from (both come from the same manifest
 * value), and routing from it needs no secret, so agent downloads keep working when the
 * secret cannot be read. The status page says when the secret disagrees.
 */
import type { CloudFrontEvent, CloudFrontRequest, CloudFrontResultResponse, EventType } from '../shared/cloudfront.js';
import { recordOf } from '../shared/cloudfront.js';
import { stringSetting } from '../shared/config.js';
import { deleteHeader, deleteHeadersWithPrefix, filterCookies, getHeader, setHeader } from '../shared/headers.js';
import { generatedResponse, jsonResponse } from '../shared/responses.js';
import { describeError } from '../shared/secret-cache.js';
import { secretValue, type SecretValues } from '../shared/secrets.js';
import { statusPage, type SettingState } from './status.js';

const EVENT: EventType = 'origin-request';
export const DEFAULT_AGENT_HOST = 'fpcdn.io';
export const DEFAULT_INGRESS_HOST = 'api.fpjs.io';
/** Upstream regions of the ingress API other than the default (us): `eu.api.fpjs.io`, `ap.api.fpjs.io`. */
const REGION_PREFIXES: Record<string, string> = { eu: 'eu.', ap: 'ap.' };
const DEFAULT_READ_TIMEOUT = 30;
const DEFAULT_KEEPALIVE_TIMEOUT = 5;

export const SECRET_KEYS = {
  preSharedSecret: 'FPJS_PRE_SHARED_SECRET',
  behaviorPath: 'FPJS_BEHAVIOR_PATH',
  agentDownloadPath: 'FPJS_AGENT_DOWNLOAD_PATH',
  getResultPath: 'FPJS_GET_RESULT_PATH',
} as const;

type PathName = 'behaviorPath' | 'agentDownloadPath' | 'getResultPath';
const PATH_NAMES: readonly PathName[] = ['behaviorPath', 'agentDownloadPath', 'getResultPath'];
type Paths = Record<PathName, string>;

/** Where the secret comes from: a cache (shared/secret-cache.ts) or anything with the same `get`. */
export interface SecretReader {
  get(): Promise<SecretValues>;
}

export interface ProxyOptions {
  /** The baked config: behaviorPath, agentDownloadPath, getResultPath, agentHost, ingressHost (+ secret settings). */
  config: Record<string, unknown>;
  secret: SecretReader;
}

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '');

/** Query parameter values that may go into an upstream path. */
const API_KEY = /^[A-Za-z0-9]{1,64}$/;
const VERSION = /^[0-9]{1,3}$/;
const LOADER_VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;

function queryParams(querystring: string): URLSearchParams {
  return new URLSearchParams(querystring);
}

function errorDocument(requestId: string, message: string) {
  return { v: '2', requestId, error: { code: 'Failed', message: `edge-install first-party proxy: ${message}` }, products: {} };
}

const notFound = (): CloudFrontResultResponse => generatedResponse(404, 'text/plain; charset=utf-8', 'Not found\n');

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
  setHeader(request.headers, EVENT, 'Host', domainName);
}

export function createFirstPartyProxy(options: ProxyOptions): (event: CloudFrontEvent) => Promise<CloudFrontRequest | CloudFrontResultResponse> {
  const { config, secret } = options;
  const agentHost = stringSetting(config, 'agentHost') ?? DEFAULT_AGENT_HOST;
  const ingressHost = stringSetting(config, 'ingressHost') ?? DEFAULT_INGRESS_HOST;
  const baked: Partial<Paths> = {};
  for (const name of PATH_NAMES) {
    const value = stringSetting(config, name);
    if (value !== undefined && trimSlashes(value) !== '') baked[name] = trimSlashes(value);
  }
  const bakedComplete = PATH_NAMES.every((name) => baked[name] !== undefined);

  /** Baked paths, completed from the secret when the bundle lacks one. */
  async function resolvePaths(): Promise<Paths | { error: string }> {
    if (bakedComplete) return baked as Paths;
    let values: SecretValues;
    try {
      values = await secret.get();
    } catch (error) {
      return { error: `its settings could not be read from Secrets Manager (${(error as { code?: string })?.code ?? 'error'}); see the function's logs` };
    }
    const paths: Partial<Paths> = { ...baked };
    for (const name of PATH_NAMES) {
      const fromSecret = secretValue(values, SECRET_KEYS[name]);
      if (paths[name] === undefined && fromSecret !== undefined && trimSlashes(fromSecret) !== '') paths[name] = trimSlashes(fromSecret);
    }
    const missing = PATH_NAMES.filter((name) => paths[name] === undefined);
    if (missing.length > 0) return { error: `not configured: ${missing.map((name) => `${name} (secret key ${SECRET_KEYS[name]})`).join(', ')} missing` };
    return paths as Paths;
  }

  function agentDownload(request: CloudFrontRequest, requestId: string): CloudFrontRequest | CloudFrontResultResponse {
    const query = queryParams(request.querystring);
    const apiKey = query.get('apiKey') ?? '';
    const version = query.get('version') || '3';
    const loaderVersion = query.get('loaderVersion') || undefined;
    if (!API_KEY.test(apiKey)) return jsonResponse(400, errorDocument(requestId, 'the agent download needs an apiKey query parameter (letters and digits)'));
    if (!VERSION.test(version)) return jsonResponse(400, errorDocument(requestId, 'the version query parameter must be a number'));
    if (loaderVersion !== undefined && !LOADER_VERSION.test(loaderVersion)) return jsonResponse(400, errorDocument(requestId, 'the loaderVersion query parameter is not a version'));

    deleteHeadersWithPrefix(request.headers, EVENT, 'fpjs-proxy-');
    deleteHeader(request.headers, EVENT, 'cookie');
    pointOriginAt(request, agentHost);
    request.uri = `/v${version}/${apiKey}${loaderVersion !== undefined ? `/loader_v${loaderVersion}.js` : ''}`;
    request.querystring = '';
    return request;
  }

  async function result(request: CloudFrontRequest, suffix: string, distributionDomainName: string, requestId: string): Promise<CloudFrontRequest | CloudFrontResultResponse> {
    let values: SecretValues;
    try {
      values = await secret.get();
    } catch (error) {
      return jsonResponse(503, errorDocument(requestId, `the proxy secret could not be read from Secrets Manager (${(error as { code?: string })?.code ?? 'error'}); see the function's logs`));
    }
    const preShared = secretValue(values, SECRET_KEYS.preSharedSecret);
    if (preShared === undefined) return jsonResponse(500, errorDocument(requestId, `the secret has no ${SECRET_KEYS.preSharedSecret} key`));

    const region = queryParams(request.querystring).get('region') ?? '';
    const forwardedHost = getHeader(request.headers, 'host') ?? distributionDomainName;
    deleteHeadersWithPrefix(request.headers, EVENT, 'fpjs-proxy-');
    filterCookies(request.headers, EVENT, (name) => name === '_iidt');
    setHeader(request.headers, EVENT, 'FPJS-Proxy-Secret', preShared);
    setHeader(request.headers, EVENT, 'FPJS-Proxy-Client-IP', request.clientIp);
    setHeader(request.headers, EVENT, 'FPJS-Proxy-Forwarded-Host', forwardedHost);
    pointOriginAt(request, `${REGION_PREFIXES[region] ?? ''}${ingressHost}`);
    request.uri = suffix === '' ? '/' : suffix;
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
    const settings: SettingState[] = PATH_NAMES.map((name) => {
      const fromSecret = secretValue(values, SECRET_KEYS[name]);
      const bakedValue = baked[name];
      if (bakedValue !== undefined) {
        const differs = fromSecret !== undefined && trimSlashes(fromSecret) !== bakedValue;
        return { name, present: true, source: 'bundle', note: differs ? `differs from the secret's ${SECRET_KEYS[name]}; the bundle's value is used` : undefined };
      }
      return { name, present: fromSecret !== undefined, source: fromSecret !== undefined ? `secret (${SECRET_KEYS[name]})` : undefined };
    });
    settings.push({ name: 'agentHost', present: true, source: stringSetting(config, 'agentHost') ? 'bundle' : 'default' });
    settings.push({ name: 'ingressHost', present: true, source: stringSetting(config, 'ingressHost') ? 'bundle' : 'default' });
    settings.push({
      name: SECRET_KEYS.preSharedSecret,
      present: values !== undefined && secretValue(values, SECRET_KEYS.preSharedSecret) !== undefined,
      source: values !== undefined ? 'secret' : undefined,
      note: values === undefined ? 'unknown: the secret could not be read' : undefined,
    });
    return statusPage({ secretReadable: values !== undefined, secretError, settings });
  }

  return async function firstPartyProxy(event) {
    const cf = recordOf(event);
    const request = cf.request;
    const requestId = cf.config?.requestId ?? '';
    if (cf.config?.eventType !== undefined && cf.config.eventType !== EVENT) {
      return jsonResponse(500, errorDocument(requestId, `attach this function to origin-request (with Include body), not ${cf.config.eventType}`));
    }
    const paths = await resolvePaths();
    if ('error' in paths) return jsonResponse(503, errorDocument(requestId, paths.error));

    const uri = request.uri.replace(/\/+$/, '');
    const prefix = `/${paths.behaviorPath}/`;
    if (!uri.startsWith(prefix)) return notFound();
    const rest = uri.slice(prefix.length);
    if (rest === paths.agentDownloadPath) return agentDownload(request, requestId);
    if (rest === paths.getResultPath || rest.startsWith(`${paths.getResultPath}/`)) {
      return result(request, rest.slice(paths.getResultPath.length), cf.config?.distributionDomainName ?? '', requestId);
    }
    if (rest === 'status') return status();
    return notFound();
  };
}
