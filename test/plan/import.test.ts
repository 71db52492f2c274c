/**
 * The import matcher on plain values (no AWS): a recipe's shape against an install made by
 * hand — what is adopted and on what evidence, what is not and why, the values inferred, and
 * the revision's owned parts.
 */
import type { CacheBehavior, CachePolicyConfig, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import type { ImportedFunction, ImportedSecret } from '../../src/aws/observe/import-parts.js';
import type { ImportInputs } from '../../src/gather/import.js';
import { loadRecipe } from '../../src/manifest/recipe-files.js';
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES } from '../../src/manifest/managed-policies.js';
import type { ImportOptions } from '../../src/plan/import.js';
import { assembleImport, plainSecretKeys, secretCandidates } from '../../src/plan/import-assemble.js';
import { policyDifferences } from '../../src/plan/import-manifest.js';
import { renderImportText } from '../../src/cli/render/import-text.js';

const ACCOUNT = '123456789012';
const fnArn = (name: string, version = 1) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}:${version}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/hand-made-role`;
const POLICY = '0a1b2c3d-1111-4222-8333-944455556666';

function origin(id: string, domain: string, headers: Record<string, string> = {}): Origin {
  return {
    Id: id,
    DomainName: domain,
    OriginPath: '',
    CustomHeaders: { Quantity: Object.keys(headers).length, Items: Object.entries(headers).map(([HeaderName, HeaderValue]) => ({ HeaderName, HeaderValue })) },
    CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only', OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] }, OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
  };
}

function behavior(pattern: string, originId: string, triggers: [string, string, boolean?][], extra: Partial<CacheBehavior> = {}): CacheBehavior {
  return {
    PathPattern: pattern,
    TargetOriginId: originId,
    ViewerProtocolPolicy: 'redirect-to-https',
    AllowedMethods: { Quantity: 7, Items: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'] },
    CachePolicyId: POLICY,
    OriginRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICIES.AllViewer,
    LambdaFunctionAssociations: { Quantity: triggers.length, Items: triggers.map(([EventType, LambdaFunctionARN, IncludeBody]) => ({ EventType: EventType as never, LambdaFunctionARN, IncludeBody: IncludeBody ?? false })) },
    ...extra,
  } as CacheBehavior;
}

function config(origins: Origin[], behaviors: CacheBehavior[], defaultTriggers: [string, string][] = []): DistributionConfig {
  return {
    Origins: { Quantity: origins.length + 1, Items: [origin('site', 'site.example.com'), ...origins] },
    DefaultCacheBehavior: {
      TargetOriginId: 'site',
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: MANAGED_CACHE_POLICIES.CachingOptimized,
      LambdaFunctionAssociations: { Quantity: defaultTriggers.length, Items: defaultTriggers.map(([EventType, LambdaFunctionARN]) => ({ EventType: EventType as never, LambdaFunctionARN, IncludeBody: false })) },
    },
    CacheBehaviors: { Quantity: behaviors.length, Items: behaviors },
  } as DistributionConfig;
}

const fn = (name: string, tags: Record<string, string> = {}, role = ROLE): ImportedFunction => ({
  arn: fnArn(name),
  name,
  version: '1',
  exists: true,
  functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`,
  runtime: 'nodejs20.x',
  memorySize: 128,
  timeout: 5,
  role,
  codeSha256: 'abc=',
  tags,
});

const fpPolicy = (defaultTtl = 180): CachePolicyConfig => ({
  Name: 'FingerprintProCDNCachePolicy-X',
  MinTTL: 0,
  DefaultTTL: defaultTtl,
  MaxTTL: 180,
  ParametersInCacheKeyAndForwardedToOrigin: {
    EnableAcceptEncodingGzip: true,
    EnableAcceptEncodingBrotli: true,
    HeadersConfig: { HeaderBehavior: 'none' },
    CookiesConfig: { CookieBehavior: 'none' },
    QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 3, Items: ['loaderVersion', 'apiKey', 'version'] } },
  },
});

const fpSecret = (plain: Record<string, string> = { FPJS_BEHAVIOR_PATH: 'fpjs', FPJS_AGENT_DOWNLOAD_PATH: 'agent', FPJS_GET_RESULT_PATH: 'result' }): ImportedSecret => ({
  name: 'fp-settings',
  region: 'us-east-1',
  exists: true,
  arn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:fp-settings-AbCdEf`,
  tags: {},
  keys: ['FPJS_PRE_SHARED_SECRET', ...Object.keys(plain)].sort(),
  plain,
});

function inputs(c: DistributionConfig, parts: Partial<Omit<ImportInputs, 'distribution'>> = {}): ImportInputs {
  return {
    distribution: { id: 'E1TEST', etag: 'ETAG1', status: 'Deployed', domainName: 'd.cloudfront.net', config: c, unknownMembers: [] },
    account: { accountId: ACCOUNT, callerArn: `arn:aws:iam::${ACCOUNT}:user/dev` },
    functions: [],
    cachePolicies: [{ id: POLICY, exists: true, name: 'FingerprintProCDNCachePolicy-X', config: fpPolicy() }],
    roles: [{ name: 'hand-made-role', arn: ROLE, exists: true, tags: {} }],
    secrets: [],
    ...parts,
  };
}

const options = (recipe: string, extra: Partial<ImportOptions> = {}): ImportOptions => ({
  recipe: loadRecipe(recipe),
  integration: recipe === 'first-party-proxy' ? 'fp-proxy' : 'edge-enforcer',
  distributionId: 'E1TEST',
  given: {},
  functionNames: {},
  ...extra,
});

const FP_ORIGIN = origin('fpcdn', 'fpcdn.io', { FPJS_SECRET_NAME: 'fp-settings', FPJS_SECRET_REGION: 'us-east-1' });
const fpInstall = (extra: Partial<ImportInputs> = {}, b = behavior('fpjs/*', 'fpcdn', [['origin-request', fnArn('fingerprint-lambda'), true]])) =>
  inputs(config([FP_ORIGIN], [b]), { functions: [fn('fingerprint-lambda')], secrets: [fpSecret()], ...extra });

describe('import matcher: first-party-proxy', () => {
  it('adopts the seed\'s parts with evidence, infers the values, and records them as owned', () => {
    const plan = assembleImport(fpInstall(), options('first-party-proxy'));
    expect(plan.found).toBe(true);
    expect(plan.adopt.map((a) => `${a.kind} ${a.address}`)).toEqual([
      'origin origins.fpcdn',
      'behavior behaviors.fpjs/*',
      'association behaviors.fpjs/*.origin-request',
      'function functions.proxy',
      'secret secret',
      'cache-policy cachePolicies.proxy',
    ]);
    expect(plan.answers).toMatchObject({ behaviorPath: 'fpjs', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' });
    expect(plan.inferred.behaviorPath).toBe('the path pattern fpjs/*');
    expect(plan.missing).toEqual([]);
    expect(plan.unmatched).toEqual([]);
    expect(plan.owned.origins.map((o) => o.Id)).toEqual(['fpcdn']);
    expect(plan.owned.behaviors).toEqual([expect.objectContaining({ pathPattern: 'fpjs/*', created: true })]);
    expect(plan.owned.associations).toEqual([{ pathPattern: 'fpjs/*', eventType: 'origin-request', arn: fnArn('fingerprint-lambda'), includeBody: true }]);
    expect(plan.cachePolicyIds).toEqual({ proxy: POLICY });
    expect(plan.adoptedResources).toEqual(['function:fingerprint-lambda', 'secret:fp-settings', 'cache-policy:FingerprintProCDNCachePolicy-X']);
    expect(plan.tags.map((t) => `${t.kind} ${t.name}`)).toEqual(['function fingerprint-lambda', 'secret fp-settings']);
    expect(plan.tags[0]!.arn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:fingerprint-lambda`);
    expect(plan.secret).toEqual({ name: 'fp-settings', region: 'us-east-1', arn: fpSecret().arn });
    // The manifest: the install's secret, the adopted policy by id, the recipe's function.
    expect(plan.manifest!.manifest.secret!.name).toBe('fp-settings');
    expect(plan.manifest!.manifest.behaviors[0]!.cachePolicy).toBe(POLICY);
    expect(plan.manifest!.manifest.cachePolicies).toEqual({});
    expect(plan.left).toEqual([{ part: 'role hand-made-role', reason: expect.stringContaining('stays yours') }]);
  });

  it('a role named as edge-install names its role is adopted (tagged); tags already there are not added again', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/fp-proxy-edge`;
    const owner = { 'edge-install:integration': 'fp-proxy', 'edge-install:adopted': 'true' };
    const plan = assembleImport(fpInstall({ functions: [fn('fingerprint-lambda', owner, role)], roles: [{ name: 'fp-proxy-edge', arn: role, exists: true, tags: {} }] }), options('first-party-proxy'));
    expect(plan.adopt.find((a) => a.kind === 'role')).toMatchObject({ name: 'fp-proxy-edge', tags: owner });
    expect(plan.adopt.find((a) => a.kind === 'function')!.tags).toBeUndefined();
    expect(plan.tags.map((t) => t.kind)).toEqual(['secret', 'role']);
    expect(plan.adoptedResources).toContain('role:fp-proxy-edge');
  });

  it("edge-install's own function (its owner tag, no adoption mark: a lost state) stays its own, not adopted", () => {
    const plan = assembleImport(fpInstall({ functions: [fn('fingerprint-lambda', { 'edge-install:integration': 'fp-proxy' })] }), options('first-party-proxy'));
    expect(plan.adopt.find((a) => a.kind === 'function')!.tags).toBeUndefined();
    expect(plan.adoptedResources).not.toContain('function:fingerprint-lambda');
    expect(plan.tags.map((t) => t.kind)).toEqual(['secret']);
  });

  it('a behavior that does not look like the proxy is not taken, and says why', () => {
    const c = config([origin('api', 'api.example.com')], [behavior('api/*', 'api', [['origin-request', fnArn('auth')]])]);
    const plan = assembleImport(inputs(c, { functions: [fn('auth')] }), options('first-party-proxy'));
    expect(plan.found).toBe(false);
    expect(plan.unmatched).toEqual([{ part: 'proxy behavior', why: expect.stringContaining('its origin api (api.example.com) is not fpcdn.io and carries no FPJS_SECRET_NAME header') }]);
    expect(plan.manifest).toBeUndefined();
  });

  it('two candidates: behaviorPath is asked for; --set behaviorPath picks one', () => {
    const c = config([FP_ORIGIN], [behavior('one/*', 'fpcdn', [['origin-request', fnArn('fingerprint-lambda')]]), behavior('two/*', 'fpcdn', [['origin-request', fnArn('fingerprint-lambda')]])]);
    const i = inputs(c, { functions: [fn('fingerprint-lambda')], secrets: [fpSecret()] });
    expect(assembleImport(i, options('first-party-proxy')).missing).toEqual([{ key: 'behaviorPath', why: expect.stringContaining('several behaviors look like the proxy\'s (one/*, two/*)') }]);
    const picked = assembleImport(i, options('first-party-proxy', { given: { behaviorPath: 'two' } }));
    expect(picked.owned.behaviors.filter((b) => b.created).map((b) => b.pathPattern)).toEqual(['two/*']);
    // The origin serves both: it is not the proxy's alone, so it is left.
    expect(picked.left.map((l) => l.part)).toContain('origin fpcdn');
  });

  it('a function another integration owns is not taken', () => {
    const plan = assembleImport(fpInstall({ functions: [fn('fingerprint-lambda', { 'edge-install:integration': 'other' })] }), options('first-party-proxy'));
    expect(plan.unmatched).toEqual([{ part: 'origin-request trigger on fpjs/*', why: 'fingerprint-lambda is tagged edge-install:integration=other: it belongs to that integration' }]);
    expect(plan.adoptedResources).not.toContain('function:fingerprint-lambda');
  });

  it('Include body off, another viewer protocol: adopted, and the first attach sets the recipe\'s', () => {
    const b = behavior('fpjs/*', 'fpcdn', [['origin-request', fnArn('fingerprint-lambda'), false]], { ViewerProtocolPolicy: 'allow-all' });
    const plan = assembleImport(fpInstall({}, b), options('first-party-proxy'));
    expect(plan.found).toBe(true);
    expect(plan.later).toEqual(expect.arrayContaining([expect.stringContaining('viewer protocol is allow-all, the recipe\'s is redirect-to-https'), expect.stringContaining('turn Include body on for fpjs/* origin-request')]));
  });

  it('no secret where the origin header points: listed; the agent paths then have to be given', () => {
    const plan = assembleImport(fpInstall({ secrets: [{ name: 'fp-settings', region: 'us-east-1', exists: false, tags: {}, plain: {} }] }), options('first-party-proxy'));
    expect(plan.unmatched).toEqual([{ part: 'secret fp-settings', why: "no secret fp-settings in us-east-1 (named by origin fpcdn's FPJS_SECRET_NAME header); the manifest names it, and edge-install secret set creates it" }]);
    expect(plan.missing.map((m) => m.key)).toEqual(['agentDownloadPath', 'getResultPath']);
    const given = assembleImport(fpInstall({ secrets: [] }), options('first-party-proxy', { given: { agentDownloadPath: 'a', getResultPath: 'r' } }));
    expect(given.missing).toEqual([]);
    expect(given.manifest!.manifest.secret!.name).toBe('fp-settings');
  });

  it.each([
    ['another integration\'s', { tags: { 'edge-install:integration': 'someone-else' } }, 'tagged edge-install:integration=someone-else: it belongs to that integration'],
    ['not a JSON object of keys', { keys: undefined }, 'its value is not a JSON object of keys, which the built-in handlers read'],
    ['scheduled for deletion', { scheduledForDeletion: true }, 'it is scheduled for deletion in us-east-1'],
  ])('a secret import refuses (%s) is neither adopted nor named by the manifest: it names the recipe\'s own, which secret set creates', (_what, change, why) => {
    const given = { given: { agentDownloadPath: 'a', getResultPath: 'r' } };
    const plan = assembleImport(fpInstall({ secrets: [{ ...fpSecret(), ...change }] }), options('first-party-proxy', given));
    expect(plan.unmatched).toContainEqual({ part: 'secret fp-settings', why: expect.stringContaining(`${why}`) });
    expect(plan.unmatched.find((u) => u.part === 'secret fp-settings')!.why).toContain('the manifest names edge-install/fp-proxy instead, which edge-install secret set creates');
    expect(plan.adopt.map((a) => a.kind)).not.toContain('secret');
    expect(plan.manifest!.manifest.secret!.name).toBe('edge-install/fp-proxy');
    expect(plan.secret).toBeUndefined();
  });

  it.each([
    ["another integration's", { tags: { 'edge-install:integration': 'someone-else' } }, 'tagged edge-install:integration=someone-else'],
    ['made by hand', { tags: {} }, 'a secret edge-install did not make'],
    ['being deleted', { tags: { 'edge-install:integration': 'fp-proxy' }, scheduledForDeletion: true }, 'scheduled for deletion'],
  ])("a refused secret when the recipe's own name is taken too (%s): the manifest names neither; exit 2 asks for --secret-name, nothing written", (_what, change, why) => {
    const given = { given: { agentDownloadPath: 'a', getResultPath: 'r' } };
    const own: ImportedSecret = { ...fpSecret(), name: 'edge-install/fp-proxy', arn: 'arn:aws:secretsmanager:us-east-1:1:secret:edge-install/fp-proxy-AAAAAA', ...change };
    const plan = assembleImport(fpInstall({ secrets: [{ ...fpSecret(), tags: { 'edge-install:integration': 'other' } }, own] }), options('first-party-proxy', given));
    expect(plan.unmatched).toContainEqual({ part: 'secret fp-settings', why: 'tagged edge-install:integration=other: it belongs to that integration; it is not adopted and the manifest does not name it' });
    expect(plan.missing).toEqual([{ key: '(secret)', why: expect.stringContaining(`--secret-name <name>: the secret fp-settings is not adopted`) }]);
    expect(plan.missing[0]!.why).toContain(why);
    expect(plan.manifest).toBeUndefined();
    expect(plan.adopt.map((a) => a.kind)).not.toContain('secret');
    const text = renderImportText(plan, { manifest: 'edge-install.json', state: '.edge-install' }, false);
    expect(text).toContain('Missing values\n  ! --secret-name <name>: the secret fp-settings is not adopted');
    expect(text).not.toContain('--set (secret)');
  });

  it("the recipe's own name already this integration's: the manifest names it in place of a refused one", () => {
    const given = { given: { agentDownloadPath: 'a', getResultPath: 'r' } };
    const own: ImportedSecret = { ...fpSecret(), name: 'edge-install/fp-proxy', tags: { 'edge-install:integration': 'fp-proxy' } };
    const plan = assembleImport(fpInstall({ secrets: [{ ...fpSecret(), keys: undefined }, own] }), options('first-party-proxy', given));
    expect(plan.unmatched.find((u) => u.part === 'secret fp-settings')!.why).toContain("the manifest names edge-install/fp-proxy instead, already fp-proxy's");
    expect(plan.manifest!.manifest.secret!.name).toBe('edge-install/fp-proxy');
    expect(plan.secret).toBeUndefined();
  });

  it("enforcer: the refused secret is the recipe's own name: not named by the manifest; --secret-name is asked for", () => {
    const theirs: ImportedSecret = { name: 'edge-install/edge-enforcer', region: 'us-east-1', exists: true, arn: 'arn:aws:secretsmanager:us-east-1:1:secret:x', tags: { 'edge-install:integration': 'another' }, keys: ['PX_AUTH_TOKEN'], plain: {} };
    const hand = inputs(config([], [], [['viewer-request', fnArn('HumanEnforcer')]]), { functions: [fn('HumanEnforcer')], secrets: [theirs] });
    const plan = assembleImport(hand, options('edge-enforcer', { given: { appId: 'PX12345678' } }));
    expect(plan.found).toBe(true);
    expect(plan.unmatched).toContainEqual({ part: 'secret edge-install/edge-enforcer', why: expect.stringContaining('it is not adopted and the manifest does not name it') });
    expect(plan.missing).toEqual([{ key: '(secret)', why: expect.stringContaining("it is the recipe's own name, edge-install/edge-enforcer") }]);
    expect(plan.manifest).toBeUndefined();
    const named = assembleImport({ ...hand, secrets: [theirs, { ...theirs, name: 'px-tokens', tags: {}, keys: ['PX_AUTH_TOKEN', 'PX_COOKIE_SECRET'] }] }, options('edge-enforcer', { given: { appId: 'PX12345678' }, secretName: 'px-tokens' }));
    expect(named.missing).toEqual([]);
    expect(named.manifest!.manifest.secret!.name).toBe('px-tokens');
  });

  it('a shared origin is left, and the first attach is not said to remove it; an adopted one is', () => {
    const c = config([FP_ORIGIN], [behavior('fpjs/*', 'fpcdn', [['origin-request', fnArn('fingerprint-lambda'), true]]), behavior('static/*', 'fpcdn', [])]);
    const shared = assembleImport(inputs(c, { functions: [fn('fingerprint-lambda')], secrets: [fpSecret()] }), options('first-party-proxy'));
    expect(shared.left.map((l) => l.part)).toContain('origin fpcdn');
    expect(shared.later.filter((l) => l.includes('origin ') && !l.includes('trigger'))).toEqual(["add edge-install's origin ei-fp-proxy-vendor (the same host, the recipe's settings) and route fpjs/* to it; origin fpcdn stays, for the behaviors that use it"]);
    expect(shared.later.join('\n')).not.toMatch(/remove (origin )?fpcdn/);
    const text = renderImportText(shared, { manifest: 'edge-install.json', state: '.edge-install' }, false);
    expect(text).not.toContain('remove fpcdn');
    const adopted = assembleImport(fpInstall(), options('first-party-proxy'));
    expect(adopted.later).toContain("replace origin fpcdn with edge-install's ei-fp-proxy-vendor (the same host, the recipe's settings), route fpjs/* to it and remove fpcdn");
  });

  it('looks for the secret the origin header names, --secret-name, or the recipe\'s name (and the recipe\'s own, to know whether it is free)', () => {
    const o = options('first-party-proxy');
    const own = (region: string) => ({ name: 'edge-install/fp-proxy', region, from: "the recipe's default name" });
    expect(secretCandidates(o, [FP_ORIGIN])).toEqual([{ name: 'fp-settings', region: 'us-east-1', from: "named by origin fpcdn's FPJS_SECRET_NAME header" }, own('us-east-1')]);
    expect(secretCandidates({ ...o, secretName: 'mine', secretRegion: 'eu-west-1' }, [FP_ORIGIN])).toEqual([{ name: 'mine', region: 'eu-west-1', from: 'named by --secret-name' }, own('eu-west-1')]);
    expect(secretCandidates(o, [])).toEqual([expect.objectContaining({ name: 'edge-install/fp-proxy' })]);
    // Only the keys the recipe keeps in plain text are ever read for their values.
    expect(plainSecretKeys(o)).toEqual(['FPJS_BEHAVIOR_PATH', 'FPJS_AGENT_DOWNLOAD_PATH', 'FPJS_GET_RESULT_PATH']);
    expect(plainSecretKeys(options('edge-enforcer'))).toEqual(['PX_APP_ID']);
  });
});

describe('import matcher: edge-enforcer', () => {
  const humanPolicy: CachePolicyConfig = {
    Name: 'human-first-party',
    MinTTL: 0,
    DefaultTTL: 5,
    MaxTTL: 10,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 2, Items: ['host', 'User-agent'] } },
      CookiesConfig: { CookieBehavior: 'whitelist', Cookies: { Quantity: 2, Items: ['*_px*', 'px**'] } },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
    },
  };
  const human = (names = { enforcer: 'HumanEnforcer', firstParty: 'HumanFirstParty' }) =>
    inputs(
      config([], [behavior('/12345678/*', 'site', [['origin-request', fnArn(names.firstParty)]], { ViewerProtocolPolicy: 'allow-all', OriginRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICIES.AllViewerExceptHostHeader })], [['viewer-request', fnArn(names.enforcer)]]),
      { functions: [fn(names.enforcer), fn(names.firstParty)], cachePolicies: [{ id: POLICY, exists: true, name: 'human-first-party', config: humanPolicy }] },
    );

  it('the enforcer on the default behavior and the first-party behavior: adopted; the app id from the pattern; no activities', () => {
    const plan = assembleImport(human(), options('edge-enforcer'));
    expect(plan.found).toBe(true);
    expect(plan.answers).toMatchObject({ appId: 'PX12345678', firstParty: true, activities: false, moduleMode: 'monitor', handlerSource: 'builtin' });
    expect(plan.cachePolicyIds).toEqual({ 'first-party': POLICY });
    expect(plan.owned.behaviors.map((b) => `${b.pathPattern} ${b.created}`)).toEqual(['* false', '/12345678/* true']);
    expect(plan.later.filter((l) => l.startsWith('set behavior'))).toEqual([]);
    expect(plan.unmatched).toEqual([{ part: 'secret edge-install/edge-enforcer', why: expect.stringContaining("the seed's config.ts") }]);
    expect(Object.keys(plan.manifest!.manifest.functions)).toEqual(['enforcer', 'first-party']);
  });

  it('a secret with the tokens and PX_APP_ID is adopted; its key names are said, never values', () => {
    const secret: ImportedSecret = { name: 'px-tokens', region: 'us-east-1', exists: true, arn: 'arn:aws:secretsmanager:us-east-1:1:secret:px-tokens-AAAAAA', tags: {}, keys: ['PX_APP_ID', 'PX_AUTH_TOKEN', 'PX_COOKIE_SECRET'], plain: { PX_APP_ID: 'PX12345678' } };
    const i = { ...human(), secrets: [secret] };
    const plan = assembleImport(i, options('edge-enforcer', { secretName: 'px-tokens' }));
    expect(plan.adopt.find((a) => a.kind === 'secret')!.evidence).toEqual(['in us-east-1, named by --secret-name', 'keys PX_APP_ID, PX_AUTH_TOKEN, PX_COOKIE_SECRET (names only)']);
    expect(plan.unmatched).toEqual([]);
    expect(plan.manifest!.manifest.secret).toMatchObject({ name: 'px-tokens', region: 'us-east-1' });
  });

  it('a viewer-request function whose name does not say enforcer: not taken, with the flag that takes it', () => {
    const i = human({ enforcer: 'foo', firstParty: 'HumanFirstParty' });
    const plan = assembleImport(i, options('edge-enforcer'));
    expect(plan.found).toBe(false);
    expect(plan.unmatched[0]).toEqual({ part: 'enforcer (viewer-request on the default behavior)', why: `the viewer-request trigger on * is ${fnArn('foo')}: its name does not say HumanEnforcer, enforcer, human or px; if it is the enforcer function, pass --function enforcer=foo` });
    expect(assembleImport(i, options('edge-enforcer', { functionNames: { enforcer: 'foo' } })).found).toBe(true);
  });

  it('--set appId that disagrees with the first-party behavior: the behavior is not taken', () => {
    const plan = assembleImport(human(), options('edge-enforcer', { given: { appId: 'PX99999999' } }));
    expect(plan.unmatched).toEqual(expect.arrayContaining([{ part: 'first-party behavior', why: 'no behavior /99999999/* with a first-party function on origin-request' }]));
    expect(plan.answers.firstParty).toBe(false);
  });
});

describe('cache policy differences', () => {
  it('TTLs and key names in words; header names compared without case', () => {
    const want = fpPolicy();
    expect(policyDifferences(fpPolicy(), want)).toEqual([]);
    expect(policyDifferences(fpPolicy(86400), want)).toEqual(["DefaultTTL 86400 (the recipe's: 180)"]);
    const headers = (items: string[]): CachePolicyConfig => ({ ...want, ParametersInCacheKeyAndForwardedToOrigin: { ...want.ParametersInCacheKeyAndForwardedToOrigin!, HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: items.length, Items: items } } } });
    expect(policyDifferences(headers(['User-agent', 'Host']), headers(['host', 'user-agent']))).toEqual([]);
    expect(policyDifferences(headers(['Host']), headers(['host', 'user-agent']))).toEqual(['headers "whitelist: host" (the recipe\'s: "whitelist: host, user-agent")']);
  });
});
