import { describe, expect, it } from 'vitest';
import { ManifestError, checkManifest, parseManifest, validateManifest, type ManifestIssue } from '../../src/manifest/index.js';
import { minimalManifest, validManifest } from './fixtures.js';

const issuesOf = (raw: unknown): ManifestIssue[] => checkManifest(raw).issues;

describe('parseManifest: a valid manifest', () => {
  it('parses the RECIPES.md example, interpolated, with defaults filled in', () => {
    const manifest = parseManifest(validManifest());
    expect(manifest.name).toBe('fp-proxy');
    expect(manifest.behaviors[0]!.pathPattern).toBe('fpjs-7x9/*');
    expect(manifest.behaviors[0]!.adopt).toBe(false);
    expect(manifest.behaviors[1]!.triggers['viewer-request']).toEqual({ function: 'enforcer', includeBody: false });
    expect(manifest.origins.vendor).toEqual({
      domainName: 'fpcdn.io',
      originPath: '',
      protocol: 'https-only',
      minTlsVersion: 'TLSv1.2',
      httpPort: 80,
      httpsPort: 443,
      readTimeout: 30,
      keepaliveTimeout: 5,
      customHeaders: { FPJS_SECRET_NAME: 'edge-install/fp-proxy', FPJS_SECRET_REGION: 'us-east-1' },
    });
    expect(manifest.functions.enforcer).toEqual({ handler: './edge/enforcer.ts', runtime: 'nodejs24.x', memorySize: 128, timeout: 5, config: {} });
    expect(manifest.functions.proxy!.config).toEqual({ agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' });
    expect(manifest.secret!.keys.FPJS_PRE_SHARED_SECRET).toEqual({ sensitive: true });
    expect(manifest.secret!.keys.FPJS_BEHAVIOR_PATH).toEqual({ sensitive: false, value: 'fpjs-7x9' });
    expect(manifest.cachePolicies.proxy!.queryStrings).toEqual(['version', 'loaderVersion']);
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('fills every default of a minimal manifest', () => {
    const manifest = parseManifest(minimalManifest());
    expect(manifest).toMatchObject({ distributions: [], values: {}, origins: {}, cachePolicies: {} });
    expect(manifest.secret).toBeUndefined();
    expect(manifest.functions.guard).toEqual({ handler: './guard.ts', runtime: 'nodejs24.x', memorySize: 128, timeout: 5, config: {} });
  });

  it('fills the defaults of a cache policy and an origin given only their required fields', () => {
    const raw = validManifest();
    raw.cachePolicies.proxy = {};
    raw.origins.vendor = { domainName: 'fpcdn.io' };
    const manifest = parseManifest(raw);
    expect(manifest.cachePolicies.proxy).toEqual({ minTtl: 0, defaultTtl: 86400, maxTtl: 31536000, headers: [], cookies: [], queryStrings: [], gzip: true, brotli: true });
    expect(manifest.origins.vendor!.protocol).toBe('https-only');
  });

  it('does not modify its input', () => {
    const raw = validManifest();
    const before = structuredClone(raw);
    parseManifest(raw);
    expect(raw).toEqual(before);
  });

  it('accepts managed policy names with the Managed- prefix, and policy ids', () => {
    const raw = validManifest();
    raw.behaviors[0].cachePolicy = 'Managed-CachingDisabled';
    raw.behaviors[0].originRequestPolicy = '216adef6-5c7f-47e4-b989-5492eafa07d3';
    delete raw.cachePolicies;
    expect(() => parseManifest(raw)).not.toThrow();
  });

  it('accepts an adopted behavior with triggers only, and a new behavior on the default origin', () => {
    const raw = validManifest();
    raw.behaviors.push({ pathPattern: '/api/*', adopt: true, triggers: { 'origin-response': { function: 'enforcer' } } });
    raw.behaviors.push({ pathPattern: '/12345678/*', origin: 'default', cachePolicy: 'CachingOptimized', triggers: { 'origin-request': { function: 'proxy' } } });
    expect(() => parseManifest(raw)).not.toThrow();
  });
});

describe('all issues at once', () => {
  it('reports three independent problems as three issues', () => {
    const raw = validManifest();
    raw.functions.enforcer.timeout = 10; // viewer-request allows 5 s
    raw.behaviors[0].originRequestPolicy = 'AllViewers'; // no such managed policy
    raw.origins.vendor.customHeaders.Host = 'example.com'; // forbidden origin header
    const issues = issuesOf(raw);
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['functions.enforcer.timeout', 'behaviors[0].originRequestPolicy', 'origins.vendor.customHeaders.Host']),
    );
    expect(issues).toHaveLength(3);
  });

  it('reports shape (zod) problems and rule problems together', () => {
    const raw = validManifest();
    raw.functions.proxy.memorySise = 128; // typo: unknown key (zod)
    raw.origins.vendor.readTimeout = 500; // out of range (zod)
    raw.functions.enforcer.memorySize = 512; // viewer event limit (rule)
    raw.cachePolicies.proxy.defaultTtl = 500; // TTL order (rule)
    const paths = issuesOf(raw).map((i) => i.path);
    expect(paths).toEqual(['functions.proxy.memorySise', 'origins.vendor.readTimeout', 'functions.enforcer.memorySize', 'cachePolicies.proxy.defaultTtl']);
  });

  it('reports every zod problem even when the rules cannot run', () => {
    const raw = validManifest();
    delete raw.name;
    raw.functions.proxy.runtime = 'nodejs16.x';
    raw.behaviors[0].viewerProtocolPolicy = 'https';
    expect(issuesOf(raw).map((i) => i.path)).toEqual(['name', 'functions.proxy.runtime', 'behaviors[0].viewerProtocolPolicy']);
  });

  it('does not report a place twice (an unresolved reference is not also a bad path pattern)', () => {
    const raw = validManifest();
    raw.behaviors[0].pathPattern = '${values.behaviourPath}/*';
    const issues = issuesOf(raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('did you mean ${values.behaviorPath}');
  });
});

describe('ManifestError', () => {
  it('lists every issue as "<file>: <path>: <message>. Fix: <fix>", one per line', () => {
    const raw = validManifest();
    raw.functions.enforcer.timeout = 10;
    raw.behaviors[0].includeBody = true;
    let error: unknown;
    try {
      parseManifest(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const manifestError = error as ManifestError;
    expect(manifestError.exitCode).toBe(2);
    expect(manifestError.issues).toHaveLength(2);
    const lines = manifestError.message.split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^edge-install\.json: [^:]+: .+[^.]\. Fix: .+$/);
    expect(lines[0]).toBe(
      'edge-install.json: behaviors[0].includeBody: unknown key. Fix: remove it, or check its spelling (known keys: pathPattern, origin, viewerProtocolPolicy, allowedMethods, cachePolicy, originRequestPolicy, compress, adopt, addBeforeCanary, triggers)',
    );
    expect(manifestError.message).toContain('edge-install.json: functions.enforcer.timeout: is 10 s, but the function is attached to viewer-request on behaviors[1] ("*")');
  });

  it('names the file it was given', () => {
    expect(() => parseManifest({}, 'configs/prod.json')).toThrow(/^configs\/prod\.json: name: is required\. Fix: add "name"/);
  });
});
