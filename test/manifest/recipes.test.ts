/**
 * Each recipe expands to exactly the infrastructure RECIPES.md lists (and the seed procedures
 * do by hand): policy TTLs, headers, cookies, query strings, methods, protocol policies,
 * origin request policies, trigger events, Include body, the app-id path rule.
 */
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse.js';
import { ManifestSchema } from '../../src/manifest/schema.js';
import { loadRecipe, recipeNames } from '../../src/manifest/recipe-files.js';
import { checkAnswer, expandRecipe, resolveAnswers, SCHEMA_POINTER, secretQuestions, type Answers } from '../../src/manifest/recipes.js';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RECIPES_DIR } from '../../src/manifest/recipe-files.js';
import { cachePolicyConfig } from '../../src/plan/resources.js';

const fixedBytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i * 7));

function expand(name: string, given: Answers = {}) {
  const recipe = loadRecipe(name);
  const { answers, missing, invalid } = resolveAnswers(recipe, given, fixedBytes);
  expect(missing.map((q) => q.key)).toEqual([]);
  expect(invalid).toEqual([]);
  return ManifestSchema.parse(expandRecipe(recipe, answers, ['E1DEMO0EXAMPLE']));
}

describe('recipes', () => {
  it('are first-party-proxy, edge-enforcer and custom, each with a description', () => {
    expect(recipeNames()).toEqual(['custom', 'edge-enforcer', 'first-party-proxy']);
    for (const name of recipeNames()) expect(loadRecipe(name).description.length).toBeGreaterThan(10);
  });

  it('the vendor recipes name their vendor, in the description the picker shows and in their questions', () => {
    expect(loadRecipe('first-party-proxy').description).toMatch(/^Fingerprint Pro first-party proxy/);
    expect(loadRecipe('edge-enforcer').description).toMatch(/^HUMAN Security .*bot defence/);
    expect(loadRecipe('custom').description).not.toMatch(/Fingerprint|HUMAN/);
    const proxy = loadRecipe('first-party-proxy');
    for (const key of ['behaviorPath', 'agentDownloadPath', 'getResultPath']) expect(proxy.questions.find((q) => q.key === key)!.message).toContain('issued by Fingerprint support');
  });

  it('point only at files that exist in the package: no $comment outside it, $schema at the shipped schema file', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const shipped = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { files: string[] }).files;
    for (const name of recipeNames()) {
      const text = readFileSync(`${RECIPES_DIR}/${name}.json`, 'utf8');
      expect(text, name).not.toMatch(/\.\.\/|shared\/seeds|https?:\/\//);
      // Files a recipe's comment names (handlers/README.md): in the package, and shipped.
      const comment = String((JSON.parse(text) as { $comment?: string }).$comment ?? '');
      for (const [file] of comment.matchAll(/\b[\w-]+\/[\w./-]+\.(?:md|ts|json)\b/g)) {
        expect(existsSync(`${root}${file}`), `${name} names ${file}`).toBe(true);
        expect(shipped.some((entry) => file.startsWith(entry)), `${file} is in package.json "files"`).toBe(true);
      }
    }
    expect(SCHEMA_POINTER).toBe('./node_modules/edge-install/edge-install.schema.json');
    expect(shipped).toContain('edge-install.schema.json');
    expect(expandRecipe(loadRecipe('custom'), resolveAnswers(loadRecipe('custom'), {}).answers).$schema).toBe(SCHEMA_POINTER);
  });

  it("random paths only when asked: without random bytes the vendor's paths have no default", () => {
    const recipe = loadRecipe('first-party-proxy');
    expect(resolveAnswers(recipe, {}).missing.map((q) => q.key)).toEqual(['behaviorPath', 'agentDownloadPath', 'getResultPath']);
    // Empty is an answer (JS agent v4), not a missing one.
    expect(resolveAnswers(recipe, { behaviorPath: 'fpjs', agentDownloadPath: '', getResultPath: '' }).missing).toEqual([]);
    expect(resolveAnswers(recipe, {}, fixedBytes).missing).toEqual([]);
  });

  it('first-party-proxy reproduces the seed: secret, function, cache policy, origin, behavior, trigger', () => {
    const m = expand('first-party-proxy', { behaviorPath: 'fpjs-abc', agentDownloadPath: 'agent', getResultPath: 'result' });
    expect(m.name).toBe('fp-proxy');
    expect(m.distributions).toEqual(['E1DEMO0EXAMPLE']);
    expect(m.values).toMatchObject({ behaviorPath: 'fpjs-abc', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' });
    // Step 3: the secret's four keys in the seed's layout; only the pre-shared secret is sensitive.
    expect(m.secret!.keys).toEqual({
      FPJS_PRE_SHARED_SECRET: { sensitive: true },
      FPJS_BEHAVIOR_PATH: { sensitive: false, value: '${values.behaviorPath}' },
      FPJS_AGENT_DOWNLOAD_PATH: { sensitive: false, value: '${values.agentDownloadPath}' },
      FPJS_GET_RESULT_PATH: { sensitive: false, value: '${values.getResultPath}' },
    });
    expect(m.functions.proxy).toMatchObject({ handler: 'builtin:first-party-proxy', memorySize: 128 });
    // Cache policy: Min 0 / Default 180 / Max 180, query strings version and loaderVersion (and
    // apiKey: one key's agent must not be served for another's), gzip and brotli.
    expect(cachePolicyConfig(m.name, 'proxy', m.cachePolicies.proxy!)).toEqual({
      Name: 'fp-proxy-proxy',
      Comment: 'edge-install fp-proxy: proxy',
      MinTTL: 0,
      DefaultTTL: 180,
      MaxTTL: 180,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        HeadersConfig: { HeaderBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 3, Items: ['apiKey', 'version', 'loaderVersion'] } },
      },
    });
    // Step 5.1: the origin, HTTPS only, TLSv1.2, the secret's name and region as custom headers.
    expect(m.origins.vendor).toMatchObject({
      domainName: '${values.agentHost}',
      protocol: 'https-only',
      minTlsVersion: 'TLSv1.2',
      customHeaders: { FPJS_SECRET_NAME: '${secret.name}', FPJS_SECRET_REGION: '${secret.region}' },
    });
    // Steps 5.2 and 5.3: the behavior and its origin-request trigger with Include body; and the
    // same function on origin-response, which does what the vendor's proxy does to responses.
    expect(m.behaviors).toEqual([
      {
        pathPattern: '${values.behaviorPath}/*',
        origin: 'vendor',
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: 'all',
        cachePolicy: 'proxy',
        originRequestPolicy: 'AllViewer',
        addBeforeCanary: true,
        adopt: false,
        triggers: { 'origin-request': { function: 'proxy', includeBody: true }, 'origin-response': { function: 'proxy', includeBody: false } },
      },
    ]);
    expect(secretQuestions(loadRecipe('first-party-proxy')).map((q) => q.key)).toEqual(['FPJS_PRE_SHARED_SECRET']);
  });

  it('first-party-proxy for JS agent v4 only: the v3 paths may be left empty, and the proxy bundle routes without them', () => {
    const m = expand('first-party-proxy', { behaviorPath: 'fpjs-abc', agentDownloadPath: '', getResultPath: '' });
    const parsed = parseManifest(m);
    expect(parsed.values).toMatchObject({ agentDownloadPath: '', getResultPath: '' });
    expect(parsed.behaviors[0]!.pathPattern).toBe('fpjs-abc/*');
    expect(Object.keys(parsed.behaviors[0]!.triggers)).toEqual(['origin-request', 'origin-response']);
  });

  it('first-party-proxy draws random url-safe paths by default', () => {
    const m = expand('first-party-proxy');
    for (const key of ['behaviorPath', 'agentDownloadPath', 'getResultPath']) expect(m.values[key]).toMatch(/^[a-z0-9]{10}$/);
  });

  it('edge-enforcer with everything: enforcer and activities on the default behavior, first party on /<app id digits>/*', () => {
    const m = expand('edge-enforcer', { appId: 'PX12345678', activities: 'true', firstParty: 'true', moduleMode: 'active_blocking' });
    expect(Object.keys(m.functions)).toEqual(['enforcer', 'activities', 'first-party']);
    expect(m.functions.enforcer).toMatchObject({ handler: 'builtin:edge-enforcer/enforcer', memorySize: 128, timeout: 5 });
    expect(m.functions.enforcer!.config).toEqual({ appId: '${values.appId}', moduleMode: '${values.moduleMode}', firstPartyEnabled: '${values.firstParty}' });
    expect(m.secret!.keys).toEqual({
      PX_APP_ID: { sensitive: false, value: '${values.appId}' },
      PX_AUTH_TOKEN: { sensitive: true },
      PX_COOKIE_SECRET: { sensitive: true },
    });
    expect(m.behaviors[0]).toEqual({
      pathPattern: '*',
      adopt: false,
      triggers: { 'viewer-request': { function: 'enforcer', includeBody: false }, 'origin-response': { function: 'activities', includeBody: false } },
    });
    // The first-party path is derived from the app id and kept as a value, so both live in values.
    expect(m.values).toMatchObject({ appId: 'PX12345678', firstPartyPrefix: '12345678' });
    expect(m.behaviors[1]).toEqual({
      pathPattern: '/${values.firstPartyPrefix}/*',
      origin: 'default',
      viewerProtocolPolicy: 'allow-all',
      allowedMethods: 'all',
      cachePolicy: 'first-party',
      originRequestPolicy: 'AllViewerExceptHostHeader',
      addBeforeCanary: true,
      adopt: false,
      triggers: { 'origin-request': { function: 'first-party', includeBody: false } },
    });
    // The seed's cache policy: Min 0 / Default 5 / Max 10; Host and User-Agent; all query strings; its cookie patterns.
    expect(cachePolicyConfig(m.name, 'first-party', m.cachePolicies['first-party']!).ParametersInCacheKeyAndForwardedToOrigin).toEqual({
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 2, Items: ['Host', 'User-Agent'] } },
      CookiesConfig: { CookieBehavior: 'whitelist', Cookies: { Quantity: 2, Items: ['*_px*', 'px**'] } },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
    });
    expect(m.cachePolicies['first-party']).toMatchObject({ minTtl: 0, defaultTtl: 5, maxTtl: 10 });
  });

  it('edge-enforcer without the optional functions has only the enforcer', () => {
    const m = expand('edge-enforcer', { appId: 'PX12345678', activities: false, firstParty: false });
    expect(Object.keys(m.functions)).toEqual(['enforcer']);
    expect(m.cachePolicies).toEqual({});
    expect(m.behaviors).toEqual([{ pathPattern: '*', adopt: false, triggers: { 'viewer-request': { function: 'enforcer', includeBody: false } } }]);
  });

  it("edge-enforcer with the user's own handler files", () => {
    const m = expand('edge-enforcer', { appId: 'PX12345678', handlerSource: './edge', activities: true });
    expect([m.functions.enforcer!.handler, m.functions.activities!.handler, m.functions['first-party']!.handler]).toEqual([
      './edge/HumanEnforcer.ts',
      './edge/HumanActivities.ts',
      './edge/HumanFirstParty.ts',
    ]);
  });

  it('edge-enforcer needs an app id of the right shape', () => {
    const recipe = loadRecipe('edge-enforcer');
    expect(resolveAnswers(recipe, {}, fixedBytes).missing.map((q) => q.key)).toEqual(['appId']);
    const appId = recipe.questions.find((q) => q.key === 'appId')!;
    expect(checkAnswer(appId, '12345678')).toMatch(/PX \(or px\) followed by/);
    expect(checkAnswer(appId, 'PX12345678')).toBeUndefined();
    expect(checkAnswer(appId, 'pxapp12345')).toBeUndefined(); // the seed's own example
  });

  it('values hold only what the manifest refers to: changing one changes the manifest', () => {
    const r = (name: string, given: Answers) => expandRecipe(loadRecipe(name), resolveAnswers(loadRecipe(name), given, fixedBytes).answers) as unknown as Record<string, unknown> & { values: Record<string, unknown> };
    for (const [name, given] of [
      ['first-party-proxy', { behaviorPath: 'fpjs' }],
      ['edge-enforcer', { appId: 'PX12345678', activities: 'true', handlerSource: './edge' }],
      ['custom', { eventType: 'origin-request', pathPattern: '/x/*', secretKeys: 'API_KEY' }],
    ] as const) {
      const raw = r(name, given);
      const { values, ...rest } = raw;
      for (const key of Object.keys(values)) expect(JSON.stringify(rest), `${name}: values.${key}`).toContain(`\${values.${key}}`);
    }
    // The custom recipe's answers shaped the manifest when it was written: none is a value (values.eventType used to change nothing).
    expect(r('custom', { eventType: 'origin-request' }).values).toEqual({});
    expect(Object.keys(r('edge-enforcer', { appId: 'PX12345678', activities: 'true' }).values).sort()).toEqual(['appId', 'firstParty', 'firstPartyPrefix', 'moduleMode']);
  });

  it("custom: the event answer is the trigger's event; secret keys make a secret of sensitive keys, none makes none", () => {
    for (const eventType of ['viewer-request', 'viewer-response', 'origin-request', 'origin-response']) {
      expect(Object.keys(expand('custom', { eventType }).behaviors[0]!.triggers)).toEqual([eventType]);
    }
    expect(expand('custom', {}).secret).toBeUndefined();
    const withKeys = expand('custom', { name: 'my-edge', secretKeys: ' API_KEY, signing_key  OTHER' });
    expect(withKeys.secret).toEqual({ name: 'edge-install/my-edge', region: 'us-east-1', replicaRegions: [], keys: { API_KEY: { sensitive: true }, signing_key: { sensitive: true }, OTHER: { sensitive: true } } });
    const keys = loadRecipe('custom').questions.find((q) => q.key === 'secretKeys')!;
    expect(checkAnswer(keys, '')).toBeUndefined();
    expect(checkAnswer(keys, 'API-KEY')).toMatch(/"API-KEY": names such as API_KEY/);
    expect(checkAnswer(keys, 'A,B,a')).toMatch(/a is listed twice/);
    expect(resolveAnswers(loadRecipe('custom'), { secretKeys: 'A , B' }).answers.secretKeys).toBe('A,B');
  });

  it('custom: the default behavior, or a new behavior on the default origin', () => {
    const onDefault = expand('custom', { eventType: 'origin-response' });
    expect(onDefault.behaviors).toEqual([{ pathPattern: '*', adopt: false, triggers: { 'origin-response': { function: 'main', includeBody: false } } }]);
    const onPath = expand('custom', { pathPattern: '/edge/*', handler: './src/edge.ts' });
    expect(onPath.functions.main!.handler).toBe('./src/edge.ts');
    expect(onPath.behaviors).toEqual([
      { pathPattern: '/edge/*', origin: 'default', adopt: false, triggers: { 'viewer-request': { function: 'main', includeBody: false } } },
    ]);
    const pattern = loadRecipe('custom').questions.find((q) => q.key === 'pathPattern')!;
    expect(checkAnswer(pattern, '/bad path/*')).toMatch(/CloudFront path pattern characters/);
  });

  it('every expansion loads as a valid manifest, with ${values.*} and ${secret.*} interpolated', () => {
    const recipe = (name: string, given: Answers) => {
      const r = loadRecipe(name);
      return expandRecipe(r, resolveAnswers(r, given, fixedBytes).answers);
    };
    const proxy = parseManifest(recipe('first-party-proxy', { behaviorPath: 'fpjs-abc' }));
    expect(proxy.behaviors[0]!.pathPattern).toBe('fpjs-abc/*');
    expect(proxy.origins.vendor!.domainName).toBe('fpcdn.io');
    expect(proxy.origins.vendor!.customHeaders).toEqual({ FPJS_SECRET_NAME: 'edge-install/fp-proxy', FPJS_SECRET_REGION: 'us-east-1' });
    expect(proxy.secret!.keys.FPJS_BEHAVIOR_PATH!.value).toBe('fpjs-abc');
    const enforcer = parseManifest(recipe('edge-enforcer', { appId: 'PX12345678', activities: true }));
    expect(enforcer.functions.enforcer!.config).toEqual({ appId: 'PX12345678', moduleMode: 'monitor', firstPartyEnabled: 'true' });
    expect(enforcer.secret!.keys.PX_APP_ID!.value).toBe('PX12345678');
    expect(enforcer.behaviors[1]!.pathPattern).toBe('/12345678/*');
    expect(parseManifest(recipe('custom', {})).functions.main!.handler).toBe('./edge/handler.ts');
  });

  it('a derived value that no longer agrees with its source is an error naming both and the fix', () => {
    const r = loadRecipe('edge-enforcer');
    const raw = expandRecipe(r, resolveAnswers(r, { appId: 'PX12345678' }, fixedBytes).answers) as unknown as { values: Record<string, unknown> };
    raw.values.appId = 'PX87654321'; // changed in one place only
    expect(() => parseManifest(raw, undefined, { recipe: r })).toThrow(
      /values\.firstPartyPrefix: is "12345678", but values\.appId "PX87654321" gives "87654321" \(the edge-enforcer recipe derives one from the other\)\. Fix: set values\.firstPartyPrefix to "87654321", or values\.appId back/,
    );
    raw.values.firstPartyPrefix = '87654321';
    expect(parseManifest(raw, undefined, { recipe: r }).behaviors[1]!.pathPattern).toBe('/87654321/*');
  });
});
