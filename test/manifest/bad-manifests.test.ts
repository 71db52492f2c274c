/**
 * One broken manifest per rule: each names the exact path of the problem, says what is wrong
 * and how to fix it — before any AWS call (EMULATOR.md's rules, caught in the manifest).
 */
import { describe, expect, it } from 'vitest';
import { checkManifest as checkWithoutRecipe, formatIssue } from '../../src/manifest/index.js';
import { findRecipe } from '../../src/manifest/recipe-files.js';
import { validManifest } from './fixtures.js';

/** As loadManifest checks a file: with the recipe it names. */
const checkManifest = (raw: unknown) => checkWithoutRecipe(raw, { recipe: findRecipe((raw as { recipe?: unknown }).recipe) });

type Raw = Record<string, any>;

interface Case {
  name: string;
  mutate: (m: Raw) => void;
  path: string;
  message: string;
  /** Expected fragment of the fix, when it matters. */
  fix?: string;
  /** How many issues in all (default 1: exactly the one named). */
  count?: number;
}

const header = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-Custom-${i}`, 'v']));

const cases: Case[] = [
  // ---- shape (zod), converted ----
  { name: 'unknown top-level key', mutate: (m) => (m.fucntions = {}), path: 'fucntions', message: 'unknown key (did you mean "functions"?)', fix: 'remove it, or check its spelling (known keys: $schema, name, recipe' },
  { name: 'unknown function field', mutate: (m) => (m.functions.proxy.memory = 128), path: 'functions.proxy.memory', message: 'unknown key', fix: 'known keys: handler, runtime, memorySize, timeout, description, logGroup, config' },
  { name: 'unknown event type', mutate: (m) => (m.behaviors[0].triggers.origin_request = m.behaviors[0].triggers['origin-request']), path: 'behaviors[0].triggers.origin_request', message: 'did you mean "origin-request"?', fix: 'known keys: viewer-request, viewer-response, origin-request, origin-response' },
  { name: 'integration name with capitals', mutate: (m) => (m.name = 'FP_Proxy'), path: 'name', message: 'must be 1-32 lowercase letters, digits or hyphens (got "FP_Proxy")', fix: 'e.g. "fp-proxy"' },
  { name: 'integration name too long', mutate: (m) => (m.name = 'a'.repeat(33)), path: 'name', message: 'must be 1-32 lowercase letters', fix: 'lowercase' },
  { name: 'function key with capitals', mutate: (m) => ((m.functions.Proxy = m.functions.proxy), delete m.functions.proxy), path: 'functions.Proxy', message: 'the key "Proxy" must be 1-32 lowercase letters', fix: 'rename it', count: 2 /* and the trigger's "proxy" now names no function */ },
  { name: 'number written as a string', mutate: (m) => (m.functions.proxy.memorySize = '128'), path: 'functions.proxy.memorySize', message: 'must be a number, not a string', fix: 'write 128 without quotes' },
  { name: 'boolean written as a string', mutate: (m) => (m.behaviors[0].triggers['origin-request'].includeBody = 'true'), path: 'behaviors[0].triggers.origin-request.includeBody', message: 'must be true or false, not a string', fix: 'write true without quotes' },
  { name: 'memory below the minimum', mutate: (m) => (m.functions.proxy.memorySize = 64), path: 'functions.proxy.memorySize', message: 'must be from 128 to 10240 (got 64)', fix: 'use a value from 128 to 10240' },
  { name: 'fractional timeout', mutate: (m) => (m.functions.proxy.timeout = 2.5), path: 'functions.proxy.timeout', message: 'must be a whole number, not 2.5', fix: 'from 1 to 30' },
  { name: 'origin-event timeout over 30 s', mutate: (m) => (m.functions.proxy.timeout = 31), path: 'functions.proxy.timeout', message: 'must be from 1 to 30 (got 31)', fix: 'use a value from 1 to 30' },
  { name: 'runtime Lambda@Edge does not run', mutate: (m) => (m.functions.proxy.runtime = 'nodejs16.x'), path: 'functions.proxy.runtime', message: 'must be one of "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x" (got "nodejs16.x")', fix: 'use "nodejs24.x"' },
  { name: 'a Python runtime', mutate: (m) => (m.functions.proxy.runtime = 'python3.13'), path: 'functions.proxy.runtime', message: 'is a Python runtime (got "python3.13"): edge-install bundles JavaScript and TypeScript handlers with esbuild', fix: 'use "nodejs24.x"' },
  { name: 'missing handler', mutate: (m) => delete m.functions.proxy.handler, path: 'functions.proxy.handler', message: 'is required', fix: 'add "handler"' },
  { name: 'read timeout over 120', mutate: (m) => (m.origins.vendor.readTimeout = 180), path: 'origins.vendor.readTimeout', message: 'must be from 1 to 120 (got 180)', fix: 'from 1 to 120' },
  { name: 'keepalive timeout of 0', mutate: (m) => (m.origins.vendor.keepaliveTimeout = 0), path: 'origins.vendor.keepaliveTimeout', message: 'must be from 1 to 120 (got 0)' },
  { name: 'bad viewer protocol policy', mutate: (m) => (m.behaviors[0].viewerProtocolPolicy = 'redirect-to-http'), path: 'behaviors[0].viewerProtocolPolicy', message: 'did you mean "redirect-to-https"?', fix: '"allow-all", "https-only", "redirect-to-https"' },
  { name: 'cookies neither "all" nor a list', mutate: (m) => (m.cachePolicies.proxy.cookies = 'some'), path: 'cachePolicies.proxy.cookies', message: 'must be "all" or a list', fix: '"all" or a list' },
  { name: 'no behaviors', mutate: (m) => (m.behaviors = []), path: 'behaviors', message: 'must list at least 1 item', fix: 'add a behavior' },
  { name: 'malformed distribution id', mutate: (m) => (m.distributions = ['d111111abcdef8.cloudfront.net']), path: 'distributions[0]', message: 'must be a CloudFront distribution id', fix: 'E2QWRUHAPOMQZL' },
  { name: 'bad secret region', mutate: (m) => (m.secret.region = 'us-east'), path: 'secret.region', message: 'is not an AWS region (got "us-east"; did you mean "us-east-1"?)', fix: 'us-east-1' },
  { name: 'a region typo', mutate: (m) => (m.secret.region = 'us-east1'), path: 'secret.region', message: 'did you mean "us-east-1"?', fix: 'such as us-east-1' },
  { name: 'a region of another partition', mutate: (m) => (m.secret.replicaRegions = ['cn-north-1']), path: 'secret.replicaRegions[0]', message: 'is a region of another AWS partition (got "cn-north-1")', fix: 'us-east-1' },
  { name: 'value of a type that cannot be interpolated', mutate: (m) => (m.values.retries = null), path: 'values.retries', message: 'must be a string, a number or true or false, not null' },

  // ---- names ----
  {
    name: 'derived function name over 64 characters',
    mutate: (m) => {
      m.name = 'a'.repeat(32);
      m.functions['b'.repeat(32)] = m.functions.proxy;
      delete m.functions.proxy;
      m.behaviors[0].triggers['origin-request'].function = 'b'.repeat(32);
    },
    path: `functions.${'b'.repeat(32)}`,
    message: `the Lambda function name "${'a'.repeat(32)}-${'b'.repeat(32)}" is 65 characters; Lambda allows 64`,
    fix: 'by 1 character',
  },
  { name: 'origin key "default" is reserved', mutate: (m) => ((m.origins.default = m.origins.vendor), delete m.origins.vendor, (m.behaviors[0].origin = 'default')), path: 'origins.default', message: '"default" is reserved', fix: 'rename the key' },
  { name: 'duplicate distribution id', mutate: (m) => m.distributions.push('E2QWRUHAPOMQZL'), path: 'distributions[1]', message: 'already listed at distributions[0]', fix: 'remove the duplicate' },

  // ---- path patterns ----
  { name: 'path pattern with a space', mutate: (m) => (m.behaviors[0].pathPattern = '/my path/*'), path: 'behaviors[0].pathPattern', message: 'contains characters CloudFront does not allow in a path pattern: " "', fix: 'use only A-Z a-z 0-9' },
  { name: 'path pattern with a query', mutate: (m) => (m.behaviors[0].pathPattern = '/api?x=1'), path: 'behaviors[0].pathPattern', message: 'path pattern: "="', fix: '(match anything else with * or ?)' },
  { name: 'path pattern over 255 characters', mutate: (m) => (m.behaviors[0].pathPattern = `/${'a'.repeat(255)}`), path: 'behaviors[0].pathPattern', message: 'is 256 characters; CloudFront allows 255', fix: '255 characters or fewer' },
  { name: 'duplicate path pattern', mutate: (m) => m.behaviors.push({ ...structuredClone(m.behaviors[0]), pathPattern: 'fpjs-7x9/*' }), path: 'behaviors[2].pathPattern', message: '"fpjs-7x9/*" is also the pattern of behaviors[0]', fix: 'merge the two entries' },

  // ---- default and adopted behaviors ----
  { name: 'default behavior with a cache policy', mutate: (m) => (m.behaviors[1].cachePolicy = 'CachingOptimized'), path: 'behaviors[1].cachePolicy', message: 'the default behavior ("*") only gets triggers; its cachePolicy stays as configured on the distribution', fix: 'remove cachePolicy' },
  { name: 'default behavior with an origin', mutate: (m) => (m.behaviors[1].origin = 'vendor'), path: 'behaviors[1].origin', message: 'only gets triggers', fix: 'add a new behavior with its own pathPattern' },
  { name: 'default behavior with compress', mutate: (m) => (m.behaviors[1].compress = true), path: 'behaviors[1].compress', message: 'only gets triggers' },
  { name: 'default behavior adopted', mutate: (m) => (m.behaviors[1].adopt = true), path: 'behaviors[1].adopt', message: 'cannot be adopted', fix: 'remove adopt' },
  { name: 'default behavior without triggers', mutate: (m) => m.behaviors.push({ pathPattern: '/x/*', origin: 'default', triggers: { 'viewer-request': { function: 'enforcer' } } }) && (m.behaviors[1].triggers = {}), path: 'behaviors[1].triggers', message: 'has no triggers, so this entry changes nothing' },
  { name: 'adopted behavior with an allowedMethods', mutate: (m) => m.behaviors.push({ pathPattern: '/api/*', adopt: true, allowedMethods: 'all', triggers: { 'origin-response': { function: 'enforcer' } } }), path: 'behaviors[2].allowedMethods', message: 'an adopted behavior only gets triggers', fix: 'remove adopt to create a behavior edge-install owns' },

  // ---- new behaviors: origin, policies ----
  { name: 'new behavior without an origin', mutate: (m) => delete m.behaviors[0].origin, path: 'behaviors[0].origin', message: 'the new behavior "fpjs-7x9/*" needs an origin', fix: 'set origin to one of: "vendor", "default"', count: 2 /* and origins.vendor is now unused */ },
  { name: 'origin names no origin', mutate: (m) => (m.behaviors[0].origin = 'vendr'), path: 'behaviors[0].origin', message: 'names no origin: "vendr" (did you mean "vendor"?)', fix: 'known: "vendor", "default"', count: 2 },
  { name: 'cache policy neither own, managed nor an id', mutate: (m) => (m.behaviors[0].cachePolicy = 'CachingOptimised'), path: 'behaviors[0].cachePolicy', message: '"CachingOptimised" is neither a key of cachePolicies, a managed cache policy nor a policy id (did you mean "CachingOptimized"?)', fix: 'a managed policy (CachingOptimized, CachingDisabled', count: 2 /* and cachePolicies.proxy is now unused */ },
  { name: 'origin request policy used as cache policy', mutate: (m) => (m.behaviors[0].cachePolicy = 'AllViewer'), path: 'behaviors[0].cachePolicy', message: 'AllViewer is an origin request policy, not a cache policy', fix: 'move it to originRequestPolicy', count: 2 },
  { name: 'cache policy used as origin request policy', mutate: (m) => (m.behaviors[0].originRequestPolicy = 'Managed-CachingDisabled'), path: 'behaviors[0].originRequestPolicy', message: 'is a cache policy, not an origin request policy', fix: 'move it to cachePolicy' },
  { name: 'unknown origin request policy', mutate: (m) => (m.behaviors[0].originRequestPolicy = 'AllViewers'), path: 'behaviors[0].originRequestPolicy', message: '(did you mean "AllViewer"?)', fix: 'AllViewer, AllViewerExceptHostHeader, CORS-S3Origin' },

  // ---- triggers and functions ----
  { name: 'trigger names no function', mutate: (m) => (m.behaviors[1].triggers['viewer-request'].function = 'enforcr'), path: 'behaviors[1].triggers.viewer-request.function', message: 'names no function: "enforcr" (did you mean "enforcer"?)', fix: 'use a key of functions', count: 2 /* and enforcer is attached nowhere */ },
  { name: 'includeBody on origin-response', mutate: (m) => (m.behaviors[1].triggers['origin-response'] = { function: 'enforcer', includeBody: true }), path: 'behaviors[1].triggers.origin-response.includeBody', message: 'includeBody is only possible on viewer-request and origin-request, not origin-response', fix: 'remove includeBody' },
  { name: 'includeBody on viewer-response', mutate: (m) => (m.behaviors[1].triggers['viewer-response'] = { function: 'enforcer', includeBody: true }), path: 'behaviors[1].triggers.viewer-response.includeBody', message: 'not viewer-response' },
  { name: 'viewer function with more than 128 MB', mutate: (m) => (m.functions.enforcer.memorySize = 256), path: 'functions.enforcer.memorySize', message: 'is 256 MB, but the function is attached to viewer-request on behaviors[1] ("*"); Lambda@Edge allows at most 128 MB on viewer events', fix: 'set memorySize to 128' },
  { name: 'viewer function with more than 5 s', mutate: (m) => (m.functions.enforcer.timeout = 6), path: 'functions.enforcer.timeout', message: 'Lambda@Edge allows at most 5 s on viewer events', fix: 'set timeout to 5 or less' },
  { name: 'origin function also attached to a viewer event', mutate: (m) => (m.behaviors[1].triggers['viewer-response'] = { function: 'proxy' }), path: 'functions.proxy.timeout', message: 'is 10 s, but the function is attached to viewer-response on behaviors[1] ("*")' },
  { name: 'function attached nowhere', mutate: (m) => (m.functions.spare = { handler: './spare.ts' }), path: 'functions.spare', message: 'the function "spare" is not attached to any behavior', fix: 'or remove it' },
  { name: 'builtin handler without a secret', mutate: (m) => (delete m.secret, (m.origins.vendor.customHeaders = {})), path: 'secret', message: 'functions.proxy (builtin:first-party-proxy) reads settings from the secret, but the manifest has no secret', fix: 'add a secret section' },
  { name: 'builtin handler with a malformed name', mutate: (m) => (m.functions.proxy.handler = 'builtin:'), path: 'functions.proxy.handler', message: 'is not a built-in handler name', fix: 'builtin:<name>' },

  // ---- origins ----
  { name: 'https port CloudFront cannot use', mutate: (m) => (m.origins.vendor.httpsPort = 444), path: 'origins.vendor.httpsPort', message: '444 is not a port CloudFront connects to', fix: 'use 80, 443, or a port from 1024 to 65535' },
  { name: 'domain name written as a URL', mutate: (m) => (m.origins.vendor.domainName = 'https://fpcdn.io/v3/'), path: 'origins.vendor.domainName', message: 'must be a host name only (no scheme, port or path)', fix: 'set domainName to "fpcdn.io"; put "/v3" in originPath' },
  { name: 'origin path without a leading slash', mutate: (m) => (m.origins.vendor.originPath = 'v3/'), path: 'origins.vendor.originPath', message: '"v3/" must start with / and must not end with /', fix: 'use "/v3"' },
  { name: 'forbidden origin header', mutate: (m) => (m.origins.vendor.customHeaders['Host'] = 'fpcdn.io'), path: 'origins.vendor.customHeaders.Host', message: 'CloudFront does not allow an origin custom header named Host', fix: 'remove it' },
  { name: 'forbidden origin header, any case', mutate: (m) => (m.origins.vendor.customHeaders['transfer-encoding'] = 'chunked'), path: 'origins.vendor.customHeaders.transfer-encoding', message: 'does not allow an origin custom header named transfer-encoding' },
  { name: 'reserved X-Amz- origin header', mutate: (m) => (m.origins.vendor.customHeaders['X-Amz-Date'] = 'x'), path: 'origins.vendor.customHeaders.X-Amz-Date', message: 'does not allow', fix: 'X-Amz-* and X-Edge-* headers are reserved for AWS' },
  { name: 'reserved X-Edge- origin header', mutate: (m) => (m.origins.vendor.customHeaders['x-edge-location'] = 'x'), path: 'origins.vendor.customHeaders.x-edge-location', message: 'does not allow' },
  { name: 'header name that is not an HTTP token', mutate: (m) => (m.origins.vendor.customHeaders['X Secret'] = 'x'), path: 'origins.vendor.customHeaders["X Secret"]', message: '"X Secret" is not a valid HTTP header name', fix: 'no spaces or colons' },
  { name: 'more than 10 origin custom headers', mutate: (m) => (m.origins.vendor.customHeaders = header(11)), path: 'origins.vendor.customHeaders', message: '11 custom headers; CloudFront allows 10 per origin', fix: 'at most 10' },
  { name: 'origin no behavior uses', mutate: (m) => (m.origins.spare = { domainName: 'spare.example.com' }), path: 'origins.spare', message: 'the origin "spare" is not used by any behavior' },

  // ---- cache policies ----
  { name: 'defaultTtl above maxTtl', mutate: (m) => (m.cachePolicies.proxy.defaultTtl = 3600), path: 'cachePolicies.proxy.defaultTtl', message: 'defaultTtl (3600) is greater than maxTtl (180)', fix: 'set defaultTtl to 180 or less' },
  { name: 'defaultTtl defaulted above a low maxTtl', mutate: (m) => ((m.cachePolicies.proxy = { maxTtl: 60 })), path: 'cachePolicies.proxy.defaultTtl', message: 'defaultTtl (86400) is greater than maxTtl (60)', fix: 'it defaults to 86400' },
  { name: 'minTtl above defaultTtl', mutate: (m) => (m.cachePolicies.proxy.minTtl = 300), path: 'cachePolicies.proxy.minTtl', message: 'minTtl (300) is greater than defaultTtl (180)', fix: 'lower minTtl' },
  {
    name: 'caching disabled with query strings in the key',
    mutate: (m) => Object.assign(m.cachePolicies.proxy, { minTtl: 0, defaultTtl: 0, maxTtl: 0, gzip: false, brotli: false }),
    path: 'cachePolicies.proxy.queryStrings',
    message: 'queryStrings is invalid for a policy with caching disabled',
    fix: 'CachingDisabled',
  },
  {
    name: 'caching disabled with compression (the default)',
    mutate: (m) => Object.assign(m.cachePolicies.proxy, { minTtl: 0, defaultTtl: 0, maxTtl: 0, queryStrings: [], brotli: false }),
    path: 'cachePolicies.proxy.gzip',
    message: 'gzip is invalid for a policy with caching disabled',
    fix: 'set gzip: false',
  },
  { name: 'caching disabled with all cookies', mutate: (m) => Object.assign(m.cachePolicies.proxy, { minTtl: 0, defaultTtl: 0, maxTtl: 0, queryStrings: [], cookies: 'all', gzip: false, brotli: false }), path: 'cachePolicies.proxy.cookies', message: 'is invalid for a policy with caching disabled' },
  { name: 'more than 10 query strings', mutate: (m) => (m.cachePolicies.proxy.queryStrings = Array.from({ length: 11 }, (_, i) => `q${i}`)), path: 'cachePolicies.proxy.queryStrings', message: 'lists 11 queryStrings; CloudFront allows 10 per cache policy', fix: 'or use "all"' },
  { name: 'more than 10 headers', mutate: (m) => (m.cachePolicies.proxy.headers = Array.from({ length: 11 }, (_, i) => `X-H${i}`)), path: 'cachePolicies.proxy.headers', message: 'lists 11 headers' },
  { name: 'cache policy no behavior uses', mutate: (m) => (m.cachePolicies.spare = {}), path: 'cachePolicies.spare', message: 'the cache policy "spare" is not used by any behavior' },

  // ---- secret ----
  { name: 'secret without keys', mutate: (m) => (m.secret.keys = {}), path: 'secret.keys', message: 'the secret has no keys' },
  { name: 'replica in the primary region', mutate: (m) => (m.secret.replicaRegions = ['eu-west-1', 'us-east-1']), path: 'secret.replicaRegions[1]', message: "us-east-1 is the secret's own region, not a replica" },
  { name: 'replica listed twice', mutate: (m) => (m.secret.replicaRegions = ['eu-west-1', 'eu-west-1']), path: 'secret.replicaRegions[1]', message: 'already listed at secret.replicaRegions[0]' },
  { name: "a recipe's secret key made non-sensitive", mutate: (m) => (m.secret.keys.FPJS_PRE_SHARED_SECRET = { value: 'hunter2' }), path: 'secret.keys.FPJS_PRE_SHARED_SECRET', message: 'is a secret of the first-party-proxy recipe, so it must be "sensitive": true', fix: 'store its value with edge-install init' },
  { name: 'a value on a sensitive secret key', mutate: (m) => (m.secret.keys.FPJS_PRE_SHARED_SECRET.value = 'hunter2'), path: 'secret.keys.FPJS_PRE_SHARED_SECRET.value', message: 'sensitive values never live in the manifest', fix: 'EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET' },

  // ---- interpolation ----
  { name: 'sensitive key interpolated', mutate: (m) => (m.origins.vendor.customHeaders['X-Proxy-Secret'] = '${secret.keys.FPJS_PRE_SHARED_SECRET}'), path: 'origins.vendor.customHeaders.X-Proxy-Secret', message: 'sensitive values can never be interpolated' },
  { name: 'sensitive key interpolated, short form', mutate: (m) => (m.functions.proxy.config.secret = 'Bearer ${secret.FPJS_PRE_SHARED_SECRET}'), path: 'functions.proxy.config.secret', message: 'sensitive values can never be interpolated' },
  { name: 'non-sensitive secret key interpolated', mutate: (m) => (m.behaviors[0].pathPattern = '${secret.keys.FPJS_BEHAVIOR_PATH}/*'), path: 'behaviors[0].pathPattern', message: 'secret keys cannot be interpolated', fix: 'use ${values.behaviorPath}' },
  { name: 'unknown value', mutate: (m) => (m.behaviors[0].pathPattern = '${values.behaviourPath}/*'), path: 'behaviors[0].pathPattern', message: '${values.behaviourPath} names no entry of values (did you mean ${values.behaviorPath}?)', fix: 'use one of: ${secret.name}, ${secret.region}, ${values.behaviorPath}' },
  { name: 'unknown reference', mutate: (m) => (m.origins.vendor.customHeaders.FPJS_SECRET_NAME = '${secret.arn}'), path: 'origins.vendor.customHeaders.FPJS_SECRET_NAME', message: 'unknown reference ${secret.arn}', fix: 'use one of: ${secret.name}, ${secret.region}' },
  { name: 'secret reference without a secret', mutate: (m) => (delete m.secret, (m.functions.proxy.handler = './proxy.ts')), path: 'origins.vendor.customHeaders.FPJS_SECRET_NAME', message: '${secret.name} is used but the manifest has no secret', count: 2 /* and FPJS_SECRET_REGION */ },
  { name: 'unterminated reference', mutate: (m) => (m.functions.proxy.config.agentHost = '${values.agentHost'), path: 'functions.proxy.config.agentHost', message: 'unterminated reference', fix: 'close it with }' },
  { name: "the secret's name referring to itself", mutate: (m) => (m.secret.name = 'edge-install/${secret.name}'), path: 'secret.name', message: "the secret's own name cannot reference ${secret.name}" },
];

describe('bad manifests', () => {
  it('cover at least 20 cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it('the base manifest is valid', () => expect(checkManifest(validManifest()).issues).toEqual([]));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const raw = validManifest();
    c.mutate(raw);
    const { manifest, issues } = checkManifest(raw);
    expect(manifest).toBeUndefined();
    const hit = issues.find((issue) => issue.path === c.path);
    expect(hit, `no issue at ${c.path}; got:\n${issues.map((i) => formatIssue(i)).join('\n')}`).toBeDefined();
    expect(hit!.message).toContain(c.message);
    if (c.fix) expect(hit!.fix).toContain(c.fix);
    for (const issue of issues) expect(issue.fix.trim().length).toBeGreaterThan(0);
    expect(issues.map((i) => formatIssue(i)), 'issue count').toHaveLength(c.count ?? 1);
  });

  it('never echoes a sensitive value', () => {
    const raw = validManifest();
    raw.secret.keys.FPJS_PRE_SHARED_SECRET.value = 'hunter2';
    const again = validManifest();
    again.secret.keys.FPJS_PRE_SHARED_SECRET.value = 42;
    const text = JSON.stringify([...checkManifest(raw).issues, ...checkManifest(again).issues]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('42');
  });
});
