/**
 * Helpers for the built-in handler tests: CloudFront event fixtures, THE check that CloudFront
 * would accept what a handler returned (`invoke` runs it on every output), console capture for
 * secret greps, and projects with the vendor stand-in installed.
 *
 * The header rules here are written out independently of handlers/shared/headers.ts (from the
 * CloudFront Developer Guide, "Restrictions on edge functions"), so a mistake in the handlers'
 * lists is not mirrored by the tests; headers.test.ts compares the two.
 */
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { SecretValues } from '../../handlers/shared/secrets.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EVENTS_DIR = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
export const STAND_IN = fileURLToPath(new URL('../fixtures/vendor/human-enforcer-stand-in/', import.meta.url));
export const VENDOR_PACKAGE = '@humansecurity/aws-lambda-edge-enforcer';

type Headers = Record<string, { key?: string; value: string }[]>;
export type EventType = 'viewer-request' | 'origin-request' | 'origin-response' | 'viewer-response';
export interface TestEvent {
  Records: { cf: { config: { eventType: EventType; requestId: string; distributionDomainName: string; distributionId: string }; request: any; response?: any } }[];
}

export type Fixture = 'viewer-request' | 'origin-request' | 'origin-request-with-body' | 'origin-response';

/** A fresh copy of a fixture event, with the request's uri / querystring / method / headers changed as asked. */
export function cloudFrontEvent(fixture: Fixture, request: { uri?: string; querystring?: string; method?: string; headers?: Headers; clientIp?: string } = {}): TestEvent {
  const event = JSON.parse(readFileSync(join(EVENTS_DIR, `${fixture}.json`), 'utf8')) as TestEvent;
  const req = event.Records[0]!.cf.request;
  if (request.uri !== undefined) req.uri = request.uri;
  if (request.querystring !== undefined) req.querystring = request.querystring;
  if (request.method !== undefined) req.method = request.method;
  if (request.clientIp !== undefined) req.clientIp = request.clientIp;
  if (request.headers) Object.assign(req.headers, request.headers);
  return event;
}

// ---- CloudFront's validation of a function's result --------------------------------------

const FORBIDDEN = new Set([
  'connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'trailer', 'upgrade',
  'x-accel-buffering', 'x-accel-charset', 'x-accel-limit-rate', 'x-accel-redirect',
  'x-amzn-auth', 'x-amzn-cf-billing', 'x-amzn-cf-id', 'x-amzn-cf-xff', 'x-amzn-errortype', 'x-amzn-fle-profile', 'x-amzn-header-count',
  'x-amzn-header-order', 'x-amzn-lambda-integration-tag', 'x-amzn-requestid', 'x-cache', 'x-forwarded-proto', 'x-real-ip',
]);
const FORBIDDEN_PREFIXES = ['x-amz-cf-', 'x-edge-'];
export const isForbidden = (name: string) => FORBIDDEN.has(name) || FORBIDDEN_PREFIXES.some((p) => name.startsWith(p));

const READ_ONLY: Record<EventType, (name: string) => boolean> = {
  'origin-request': (n) => ['accept-encoding', 'content-length', 'transfer-encoding', 'via'].includes(n) || n.startsWith('if-'),
  'viewer-request': (n) => ['content-length', 'host', 'transfer-encoding', 'via'].includes(n),
  'origin-response': (n) => ['transfer-encoding', 'via'].includes(n),
  'viewer-response': (n) => ['content-encoding', 'content-length', 'transfer-encoding', 'warning', 'via'].includes(n),
};
export const isReadOnly = (event: EventType, name: string) => READ_ONLY[event](name);

const values = (entries: Headers[string] | undefined) => entries?.map((e) => e.value);

function expectWellFormedHeaders(headers: unknown, where: string): asserts headers is Headers {
  expect(headers, `${where}: headers`).toBeTypeOf('object');
  for (const [name, entries] of Object.entries(headers as Headers)) {
    expect(name, `${where}: header map key ${name} must be lowercase`).toBe(name.toLowerCase());
    expect(Array.isArray(entries), `${where}: ${name} must be an array of { key, value }`).toBe(true);
    expect(entries.length, `${where}: ${name} has no entries`).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(typeof entry.value, `${where}: ${name} value`).toBe('string');
      if (entry.key !== undefined) expect(entry.key.toLowerCase(), `${where}: ${name}'s key ${entry.key} must match its map key`).toBe(name);
    }
  }
}

/** No forbidden header added or changed; no read-only header of `event` added, removed or changed. */
function expectHeaderRules(event: EventType, before: Headers | undefined, after: Headers, where: string): void {
  for (const name of Object.keys(after)) {
    if (isForbidden(name)) expect(values(after[name]), `${where}: ${name} is forbidden; it may only pass through unchanged`).toEqual(values(before?.[name]));
  }
  if (!before) return;
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (isReadOnly(event, name)) expect(values(after[name]), `${where}: ${name} is read-only in ${event}`).toEqual(values(before[name]));
  }
}

function expectValidOrigin(origin: any, where: string): void {
  if (origin === undefined) return;
  const keys = Object.keys(origin);
  expect(keys.length, `${where}: origin has exactly one of custom / s3`).toBe(1);
  if (origin.custom) {
    const c = origin.custom;
    expect(c, `${where}: custom origin`).toMatchObject({ domainName: expect.any(String), port: expect.any(Number), path: expect.any(String), readTimeout: expect.any(Number), keepaliveTimeout: expect.any(Number) });
    expect(['http', 'https']).toContain(c.protocol);
    expect(Array.isArray(c.sslProtocols) && c.sslProtocols.every((p: string) => ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'].includes(p))).toBe(true);
    expect(c.readTimeout).toBeGreaterThanOrEqual(1);
    expect(c.readTimeout).toBeLessThanOrEqual(180);
    expect(c.keepaliveTimeout).toBeGreaterThanOrEqual(1);
    expect(c.keepaliveTimeout).toBeLessThanOrEqual(180);
    expect(c.path === '' || (c.path.startsWith('/') && !c.path.endsWith('/'))).toBe(true);
    expectWellFormedHeaders(c.customHeaders, `${where}: origin custom headers`);
  }
}

/**
 * What CloudFront checks in a function's result, for the event it was given (`input` is a
 * snapshot taken before the call: handlers mutate the event).
 */
export function expectCloudFrontAccepts(input: TestEvent, output: any): void {
  const cf = input.Records[0]!.cf;
  const event = cf.config.eventType;
  expect(output, 'a Lambda@Edge handler must return a request or a response').toBeTypeOf('object');
  const isRequest = typeof output.uri === 'string';
  if (isRequest) {
    expect(['viewer-request', 'origin-request'], `a request may only be returned from a request event, not ${event}`).toContain(event);
    expect(output.uri.startsWith('/'), 'uri starts with /').toBe(true);
    expect(output.querystring.startsWith('?'), 'querystring has no leading ?').toBe(false);
    expectWellFormedHeaders(output.headers, 'request');
    expectHeaderRules(event, cf.request.headers, output.headers, 'request');
    expect(output.clientIp, 'clientIp is read-only').toBe(cf.request.clientIp);
    expect(output.method, 'method is read-only').toBe(cf.request.method);
    if (event === 'viewer-request') expect(output.origin, 'a viewer-request cannot change the origin').toEqual(cf.request.origin);
    else expectValidOrigin(output.origin, 'request');
    if (cf.request.body?.action === 'read-only' && output.body !== undefined) expect(output.body, 'a read-only body passes through').toEqual(cf.request.body);
    return;
  }
  expect(String(output.status), 'status').toMatch(/^[1-5]\d\d$/);
  if (output.statusDescription !== undefined) expect(typeof output.statusDescription).toBe('string');
  const headers = output.headers ?? {};
  expectWellFormedHeaders(headers, 'response');
  const isUpstreamResponse = event === 'origin-response' || event === 'viewer-response';
  expectHeaderRules(event, isUpstreamResponse ? cf.response?.headers : undefined, headers, 'response');
  if (output.body !== undefined) {
    expect(typeof output.body).toBe('string');
    expect(['text', 'base64', undefined]).toContain(output.bodyEncoding);
    if (event === 'viewer-request') expect(Buffer.byteLength(output.body), 'viewer-request generated body limit').toBeLessThanOrEqual(40_960);
    else expect(Buffer.byteLength(output.body), 'origin generated body limit').toBeLessThanOrEqual(1_048_576);
  }
}

/** Calls a handler with `event` and checks its result with expectCloudFrontAccepts. */
export async function invoke(handler: (event: any, context?: any) => Promise<any>, event: TestEvent, context: unknown = {}): Promise<any> {
  const snapshot = structuredClone(event);
  const output = await handler(event, context);
  expectCloudFrontAccepts(snapshot, output);
  return output;
}

/** `{ key: [{ key, value }] }` → the first value. */
export const header = (headers: Headers | undefined, name: string) => headers?.[name]?.[0]?.value;

// ---- secrets and logs --------------------------------------------------------------------

export function secretMap(values: Record<string, string>): SecretValues {
  return new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A secret reader returning fixed values (or failing), counting calls. */
export function fixedSecret(values: Record<string, string> | Error): { get(): Promise<SecretValues>; calls: number } {
  const reader = {
    calls: 0,
    get() {
      reader.calls++;
      return values instanceof Error ? Promise.reject(values) : Promise.resolve(secretMap(values));
    },
  };
  return reader;
}

/** Everything written to console.* while `fn` runs (and its result). */
export async function captureConsole<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
  try {
    const result = await fn();
    return { result, output: lines.join('\n') };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
}

/** Sets environment variables for the duration of `fn`. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Installs the vendor stand-in in `projectDir`'s node_modules, as `npm install` would. */
export function installStandIn(projectDir: string): void {
  const target = join(projectDir, 'node_modules', ...VENDOR_PACKAGE.split('/'));
  mkdirSync(target, { recursive: true });
  cpSync(STAND_IN, target, { recursive: true });
}

/** The stand-in's record of the configurations its factories received. */
export function standInConfigs(): Record<string, unknown>[] {
  return ((globalThis as { __HUMAN_STAND_IN__?: { configs: Record<string, unknown>[] } }).__HUMAN_STAND_IN__ ??= { configs: [] }).configs;
}
