/**
 * The network a function sees in the local edge (runs inside the worker, installed before the
 * function's code loads).
 *
 * A real Lambda@Edge function reaches AWS APIs and the public internet; the sandbox's functions
 * reach exactly two things instead: AWS hosts, which go to the sandbox itself (`awsEndpoint`),
 * and the hosts of the origin map, which go to their local base URLs. Everything else fails like
 * a refused connection, with a message that says how to map it, and never leaves the machine.
 *
 * Two layers:
 * - Rewriting, where the HTTP request is still visible: http.request/get, https.request/get and
 *   fetch (through undici's global dispatcher, so redirects are rewritten too). The request keeps
 *   its original Host header, so a SigV4 signature stays valid and an origin sees the host it
 *   expects, and may change scheme (an https AWS URL to the sandbox's http endpoint).
 * - Enforcement, at the one place every TCP connection of the thread passes through:
 *   net.Socket.prototype.connect. net.connect/createConnection, tls.connect (a TLSSocket is a
 *   net.Socket), http.Agent (which captured net.createConnection when it loaded), undici and
 *   any bundled HTTP client all end there, so patching the prototype covers them all without
 *   chasing each entry point. A connection is allowed to a rewrite target, redirected when a
 *   mapped host's target speaks the same protocol (plain TCP to an http:// URL, TLS to
 *   https://), and refused otherwise — before any DNS lookup.
 */
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';
import { urlToHttpOptions } from 'node:url';
import type { NetworkPolicy } from './protocol.js';

export const REFUSAL_HINT = 'the sandbox edge lets functions reach AWS (the sandbox) and the origin map only';

export type Route = { kind: 'direct' } | { kind: 'mapped'; target: URL } | { kind: 'refused'; error: Error };

/** The policy as lookups: which host goes where. */
export class NetworkRules {
  private aws: URL | undefined;
  private origins = new Map<string, URL>();
  /** "host:port" of every rewrite target: connections to them are the rewritten requests. */
  private targets = new Set<string>();

  constructor(policy: NetworkPolicy) {
    this.update(policy);
  }

  update(policy: NetworkPolicy): void {
    this.aws = policy.awsEndpoint ? new URL(policy.awsEndpoint) : undefined;
    this.origins = new Map(Object.entries(policy.origins).map(([host, base]) => [host.toLowerCase(), new URL(base)]));
    this.targets = new Set([...(this.aws ? [this.aws] : []), ...this.origins.values()].map((url) => `${bareHost(url.hostname)}:${portOf(url)}`));
  }

  route(host: string, port: number): Route {
    const name = bareHost(host);
    if (isAwsHost(name)) {
      if (this.aws) return { kind: 'mapped', target: this.aws };
      return { kind: 'refused', error: refused(name, port, 'the sandbox edge has no AWS endpoint, so AWS hosts are unreachable') };
    }
    // A connection to a rewrite target is a rewritten request on its way: never map it again
    // (an origin map entry for 127.0.0.1 must not catch the sandbox's own 127.0.0.1:port).
    if (this.targets.has(`${name}:${port}`)) return { kind: 'direct' };
    const origin = this.origins.get(`${name}:${port}`) ?? this.origins.get(name);
    if (origin) return { kind: 'mapped', target: origin };
    return { kind: 'refused', error: refused(name, port, `${REFUSAL_HINT}; add --origin ${name}=<url>`) };
  }
}

/** AWS service endpoints: *.amazonaws.com, *.amazonaws.com.cn (China) and *.api.aws (dual-stack). */
export function isAwsHost(host: string): boolean {
  return host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn') || host.endsWith('.api.aws') || host === 'amazonaws.com';
}

/** What a refused TCP connection throws in Node (code, errno, syscall, address, port), with the reason. */
function refused(host: string, port: number | string, reason: string): Error {
  return Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} — ${reason}`), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
    address: host,
    port,
  });
}

function bareHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/** The target's path prefix, then the request's path (with its query). */
function joinPath(base: string, path: string): string {
  const prefix = base.endsWith('/') ? base.slice(0, -1) : base;
  return prefix + (path.startsWith('/') ? path : `/${path}`);
}

/** Adds `host: value` unless the headers (object, flat [k, v, …] array or pairs) already have one. */
function withHost(headers: unknown, value: string): unknown {
  if (headers === undefined || headers === null) return { host: value };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      return (headers as [string, string][]).some(([k]) => String(k).toLowerCase() === 'host') ? headers : [...headers, ['host', value]];
    }
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'host') return headers;
    return [...headers, 'host', value];
  }
  if (typeof headers === 'object') {
    if (Symbol.iterator in headers && typeof (headers as { entries?: unknown }).entries === 'function' && !isPlainObject(headers)) {
      return withHost([...(headers as Iterable<[string, string]>)], value);
    }
    return Object.keys(headers).some((k) => k.toLowerCase() === 'host') ? headers : { ...(headers as object), host: value };
  }
  return headers;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The Host header a client sends for host:port on this protocol (the port only when not the default). */
function hostHeader(host: string, port: number, protocol: string): string {
  const name = bareHost(host);
  const shown = name.includes(':') ? `[${name}]` : name;
  return port === (protocol === 'https:' ? 443 : 80) ? shown : `${shown}:${port}`;
}

type RequestFunction = (...args: unknown[]) => http.ClientRequest;

/** Installs the policy in this thread; the returned rules take later policy updates. */
export function installNetworkPolicy(policy: NetworkPolicy): NetworkRules {
  const rules = new NetworkRules(policy);
  patchSockets(rules);
  patchHttp(rules);
  patchFetch(rules);
  // ESM `import { request } from 'node:https'` reads the builtin's export snapshot: refresh it.
  syncBuiltinESMExports();
  return rules;
}

function patchSockets(rules: NetworkRules): void {
  const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const destination = connectDestination(args);
    let error: Error;
    if ('path' in destination) {
      error = Object.assign(new Error(`connect ECONNREFUSED ${destination.path} — ${REFUSAL_HINT}`), {
        code: 'ECONNREFUSED',
        errno: -111,
        syscall: 'connect',
        address: destination.path,
      });
    } else {
      const route = rules.route(destination.host, destination.port);
      if (route.kind === 'direct') return connect.apply(this, args);
      if (route.kind === 'refused') {
        error = route.error;
      } else {
        const overTls = this instanceof tls.TLSSocket;
        if ((route.target.protocol === 'https:') === overTls) {
          return connect.apply(this, redirectArgs(args, bareHost(route.target.hostname), portOf(route.target)));
        }
        error = refused(
          bareHost(destination.host),
          destination.port,
          `it is mapped to ${route.target.href}, which a ${overTls ? 'TLS' : 'plain TCP'} connection cannot reach; use fetch or http(s).request`,
        );
      }
    }
    // Fail the way a refused connection does: asynchronously, through the socket's 'error'.
    process.nextTick(() => this.destroy(error));
    return this;
  } as typeof net.Socket.prototype.connect;
}

/** net.Socket#connect's arguments: (options[, cb]), (port[, host][, cb]), (path[, cb]), or the
 * internal pre-normalised array net.connect passes. */
function connectDestination(args: unknown[]): { host: string; port: number } | { path: string } {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { path?: unknown; host?: unknown; port?: unknown };
    if (options.path !== undefined && options.path !== null) return { path: String(options.path) };
    return { host: typeof options.host === 'string' && options.host ? options.host : 'localhost', port: Number(options.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' && args[1] ? args[1] : 'localhost', port: Number(first) };
  }
  return { path: String(first) };
}

function redirectArgs(args: unknown[], host: string, port: number): unknown[] {
  const next = [...args];
  const first = next[0];
  if (Array.isArray(first)) {
    const normalised = [...first] as unknown[] & Record<symbol, unknown>;
    // Keep the internal marker symbol(s) that tell connect() the array is already normalised.
    for (const key of Object.getOwnPropertySymbols(first)) normalised[key] = (first as unknown as Record<symbol, unknown>)[key];
    normalised[0] = { ...(first[0] as object), host, port };
    next[0] = normalised;
  } else if (first !== null && typeof first === 'object') {
    next[0] = { ...(first as object), host, port };
  } else {
    next[0] = port;
    if (typeof next[1] === 'string') next[1] = host;
    else next.splice(1, 0, host);
  }
  return next;
}

function patchHttp(rules: NetworkRules): void {
  const httpRequest = http.request as unknown as RequestFunction;
  const httpsRequest = https.request as unknown as RequestFunction;
  // Requests moved from https to an http target share one keep-alive pool (an https.Agent cannot carry them).
  const plainAgent = new http.Agent({ keepAlive: true });

  const wrap = (defaultProtocol: 'http:' | 'https:', original: RequestFunction): RequestFunction =>
    function request(this: unknown, ...args: unknown[]): http.ClientRequest {
      const parsed = parseRequestArgs(args, defaultProtocol);
      if (!parsed) return original.apply(this, args);
      const route = rules.route(parsed.hostname, parsed.port);
      // Direct and refused requests go on unchanged: the socket layer lets them through or refuses them.
      if (route.kind !== 'mapped') return original.apply(this, args);
      const target = route.target;
      const options: Record<string, unknown> = {
        ...parsed.options,
        protocol: target.protocol,
        hostname: bareHost(target.hostname),
        port: portOf(target),
        path: joinPath(target.pathname, parsed.path),
        headers: withHost(parsed.options.headers, hostHeader(parsed.hostname, parsed.port, parsed.protocol)),
      };
      delete options.host;
      if (target.protocol !== parsed.protocol) {
        if (options.agent !== false) options.agent = target.protocol === 'http:' ? plainAgent : undefined;
        delete options.defaultPort;
        delete options._defaultAgent;
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      return parsed.callback ? send(options, parsed.callback) : send(options);
    };

  const wrappedHttp = wrap('http:', httpRequest);
  const wrappedHttps = wrap('https:', httpsRequest);
  // http.get calls the module's own `request`, not the export: wrap it too.
  const get = (request: RequestFunction): RequestFunction =>
    function get(this: unknown, ...args: unknown[]): http.ClientRequest {
      const req = request.apply(this, args);
      req.end();
      return req;
    };
  Object.assign(http, { request: wrappedHttp, get: get(wrappedHttp) });
  Object.assign(https, { request: wrappedHttps, get: get(wrappedHttps) });
}

interface ParsedRequest {
  options: Record<string, unknown>;
  callback?: unknown;
  protocol: string;
  hostname: string;
  port: number;
  path: string;
}

/** http.request's ([url][, options][, callback]) as Node merges them (options over the URL's fields). */
function parseRequestArgs(args: unknown[], defaultProtocol: string): ParsedRequest | undefined {
  let index = 0;
  let fromUrl: Record<string, unknown> = {};
  if (typeof args[0] === 'string' || args[0] instanceof URL) {
    try {
      fromUrl = urlToHttpOptions(new URL(String(args[0]))) as Record<string, unknown>;
    } catch {
      return undefined; // let Node throw its own ERR_INVALID_URL
    }
    index = 1;
  }
  let given: Record<string, unknown> = {};
  if (args[index] !== null && typeof args[index] === 'object') {
    given = args[index] as Record<string, unknown>;
    index++;
  }
  const options = { ...fromUrl, ...given };
  const callback = typeof args[index] === 'function' ? args[index] : undefined;
  const protocol = typeof options.protocol === 'string' ? options.protocol : defaultProtocol;
  const hostname = String(options.hostname ?? options.host ?? 'localhost');
  const agentPort = (options.agent as { defaultPort?: unknown } | undefined)?.defaultPort;
  const port = Number(options.port || options.defaultPort || agentPort || (protocol === 'https:' ? 443 : 80));
  const path = typeof options.path === 'string' ? options.path : '/';
  return { options, callback, protocol, hostname, port, path };
}

interface Dispatcher {
  dispatch(options: { origin?: unknown; path: string; headers?: unknown }, handler: unknown): boolean;
}

/**
 * fetch is undici's, whose requests go through the process-wide dispatcher stored under
 * Symbol.for('undici.globalDispatcher.1'). Wrapping that dispatcher rewrites every request,
 * redirects included, and lets the Host header through (fetch itself drops a `host` header).
 * Node creates the dispatcher on the first fetch, hence one `data:` fetch before wrapping.
 */
function patchFetch(rules: NetworkRules): void {
  const originalFetch = globalThis.fetch;
  if (typeof originalFetch !== 'function') return;
  let wrapped = false;
  let preparing: Promise<void> | undefined;

  const prepare = async (): Promise<void> => {
    const key = Symbol.for('undici.globalDispatcher.1');
    const store = globalThis as unknown as Record<symbol, unknown>;
    if (!store[key]) await (await originalFetch('data:,')).arrayBuffer();
    const real = store[key] as Dispatcher | undefined;
    if (!real || typeof real.dispatch !== 'function') return;
    const dispatch: Dispatcher['dispatch'] = (options, handler) => {
      const origin = new URL(String(options.origin));
      const port = portOf(origin);
      const route = rules.route(origin.hostname, port);
      if (route.kind !== 'mapped') return real.dispatch(options, handler);
      return real.dispatch(
        {
          ...options,
          origin: route.target.origin,
          path: joinPath(route.target.pathname, options.path),
          headers: withHost(options.headers, hostHeader(origin.hostname, port, origin.protocol)),
        },
        handler,
      );
    };
    store[key] = new Proxy(real as object, {
      get(target, property) {
        if (property === 'dispatch') return dispatch;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    wrapped = true;
  };

  globalThis.fetch = async function fetch(input: Parameters<typeof originalFetch>[0], init?: Parameters<typeof originalFetch>[1]): Promise<Response> {
    if (!wrapped) {
      await (preparing ??= prepare().catch(() => undefined));
      if (!wrapped) return originalFetch(rewriteForFetch(rules, input), init);
    }
    return originalFetch(input, init);
  } as typeof globalThis.fetch;
}

/** Without access to the dispatcher: rewrite the URL itself (the Host header then names the target). */
function rewriteForFetch(rules: NetworkRules, input: Parameters<typeof fetch>[0]): Parameters<typeof fetch>[0] {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const route = rules.route(url.hostname, portOf(url));
  if (route.kind !== 'mapped') return input;
  const target = new URL(joinPath(route.target.pathname, url.pathname) + url.search, route.target.origin);
  return input instanceof Request ? new Request(target, input) : target;
}
