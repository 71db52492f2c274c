/** The human plan (`edge-install plan` / `attach`): what a reader must see, line by line. */
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../src/cli/render/colors.js';
import { renderPlanText } from '../../src/cli/render/plan-text.js';
import type { ChangeDocument as PlanChangeDocument, PlanDocument } from '../../src/plan/document.js';
import { unknownVersion } from '../../src/plan/unknown.js';
import { diffFields } from '../../src/plan/values.js';

const ACCOUNT = '123456789012';
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fp-proxy-proxy`;
/** The version the apply publishes: unknown until then, shown as the function's ARN and "(new version)". */
const PENDING = unknownVersion('fp-proxy-proxy', FN_ARN);
const PENDING_TEXT = `${FN_ARN}:(new version)`;
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const SHA = 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

const list = <T>(items: T[]) => (items.length ? { Quantity: items.length, Items: items } : { Quantity: 0 });

function vendorOrigin(overrides: Record<string, unknown> = {}) {
  return {
    Id: 'ei-fp-proxy-vendor',
    DomainName: 'fpcdn.io',
    OriginPath: '',
    CustomHeaders: list([
      { HeaderName: 'FPJS_SECRET_NAME', HeaderValue: 'fp-proxy-secret' },
      { HeaderName: 'FPJS_SECRET_REGION', HeaderValue: 'us-east-1' },
    ]),
    CustomOriginConfig: {
      HTTPPort: 80,
      HTTPSPort: 443,
      OriginProtocolPolicy: 'https-only',
      OriginSslProtocols: list(['TLSv1.2']),
      OriginReadTimeout: 30,
      OriginKeepaliveTimeout: 5,
    },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
    OriginAccessControlId: '',
    ...overrides,
  };
}

function proxyBehavior(overrides: Record<string, unknown> = {}) {
  const methods = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];
  return {
    PathPattern: 'fpjs-abc/*',
    TargetOriginId: 'ei-fp-proxy-vendor',
    TrustedSigners: { Enabled: false, Quantity: 0 },
    TrustedKeyGroups: { Enabled: false, Quantity: 0 },
    ViewerProtocolPolicy: 'redirect-to-https',
    AllowedMethods: { Quantity: methods.length, Items: methods, CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } },
    SmoothStreaming: false,
    Compress: true,
    FunctionAssociations: { Quantity: 0 },
    FieldLevelEncryptionId: '',
    CachePolicyId: CACHING_DISABLED,
    OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
    ...overrides,
  };
}

const secretCreate: PlanChangeDocument = {
  action: 'create',
  kind: 'secret',
  address: 'secret',
  after: {
    name: 'fp-proxy-secret',
    region: 'eu-west-1',
    keys: { FPJS_PRE_SHARED_SECRET: '(sensitive)', FPJS_AGENT_DOWNLOAD_PATH: 'agent', FPJS_GET_RESULT_PATH: null },
    keysToWrite: ['FPJS_PRE_SHARED_SECRET'],
    replicaRegions: [],
  },
};

const roleCreate: PlanChangeDocument = {
  action: 'create',
  kind: 'role',
  address: 'role',
  after: {
    name: 'fp-proxy-edge',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
    },
    'edge-install-execution': {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadIntegrationSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:fp-proxy-secret-??????`] },
        {
          Sid: 'WriteEdgeLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`arn:aws:logs:*:${ACCOUNT}:log-group:/aws/lambda/us-east-1.fp-proxy-proxy*`],
        },
      ],
    },
  },
};

const functionSettings = {
  name: 'fp-proxy-proxy',
  runtime: 'nodejs20.x',
  memorySize: 128,
  timeout: 10,
  role: `arn:aws:iam::${ACCOUNT}:role/fp-proxy-edge`,
  handler: 'index.handler',
  description: 'edge-install fp-proxy: proxy',
  codeSha256: SHA,
  codeSize: 421_888,
};

const functionCreate: PlanChangeDocument = { action: 'create', kind: 'function', address: 'functions.proxy', after: functionSettings };
const versionCreate: PlanChangeDocument = { action: 'create', kind: 'version', address: 'functions.proxy.version', after: { function: 'fp-proxy-proxy', codeSha256: SHA } };

const cachePolicyCreate: PlanChangeDocument = {
  action: 'create',
  kind: 'cache-policy',
  address: 'cachePolicies.proxy',
  after: {
    Name: 'fp-proxy-proxy',
    Comment: 'edge-install fp-proxy: proxy',
    MinTTL: 0,
    DefaultTTL: 86400,
    MaxTTL: 31536000,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: false,
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 1, Items: ['Authorization'] } },
      CookiesConfig: { CookieBehavior: 'whitelist', Cookies: { Quantity: 2, Items: ['*_px*', 'px**'] } },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
    },
  },
};

function distribution(overrides: Partial<PlanDocument['distributions'][number]> = {}): PlanDocument['distributions'][number] {
  return { id: 'E1DEMO0EXAMPLE', etag: 'E2QWRUHAPOMQZL', status: 'Deployed', changes: [], order: ['/api/*', '/static/*'], warnings: [], conflicts: [], errors: [], ...overrides };
}

function doc(overrides: Partial<PlanDocument> = {}): PlanDocument {
  const base: PlanDocument = { version: 1, integration: 'fp-proxy', resources: [], distributions: [distribution()], summary: { create: 0, update: 0, delete: 0 } };
  const merged = { ...base, ...overrides };
  if (!overrides.summary) {
    const all = [...merged.resources, ...merged.distributions.flatMap((d) => d.changes)];
    const count = (action: string) => all.filter((c) => c.action === action).length;
    merged.summary = { create: count('create'), update: count('update'), delete: count('delete') };
  }
  return merged;
}

/** A plan that installs everything from nothing (the first attach). */
function createPlan(): PlanDocument {
  return doc({
    resources: [secretCreate, roleCreate, functionCreate, versionCreate, cachePolicyCreate],
    distributions: [
      distribution({
        changes: [
          { action: 'create', kind: 'origin', address: 'origins.ei-fp-proxy-vendor', after: vendorOrigin() },
          { action: 'create', kind: 'behavior', address: 'behaviors.fpjs-abc/*', position: 0, after: proxyBehavior() },
          { action: 'create', kind: 'association', address: 'behaviors.fpjs-abc/*.origin-request', after: { EventType: 'origin-request', LambdaFunctionARN: PENDING, IncludeBody: true } },
        ],
        order: ['fpjs-abc/*', '/api/*', '/static/*'],
      }),
    ],
  });
}

const lines = (text: string) => text.split('\n');
const render = (document: PlanDocument, color = false) => renderPlanText(document, { color });

/** The line that contains every fragment, in order; fails with the whole text otherwise. */
function lineWith(text: string, ...fragments: string[]): string {
  const found = lines(text).find((line) => {
    let at = 0;
    for (const fragment of fragments) {
      const i = line.indexOf(fragment, at);
      if (i < 0) return false;
      at = i + fragment.length;
    }
    return true;
  });
  expect(found, `no line with ${JSON.stringify(fragments)} in:\n${text}`).toBeDefined();
  return found!;
}

describe('renderPlanText: creating everything', () => {
  const text = render(createPlan());

  it('names the integration first and the distribution with its etag and status', () => {
    expect(lines(text)[0]).toBe('Integration fp-proxy');
    lineWith(text, 'Distribution E1DEMO0EXAMPLE (etag E2QWRUHAPOMQZL, Deployed)');
  });

  it('shows every resource with its settings', () => {
    expect(text).toContain('  + secret (fp-proxy-secret)');
    lineWith(text, 'region:', 'eu-west-1');
    lineWith(text, 'FPJS_PRE_SHARED_SECRET: (sensitive)');
    lineWith(text, 'FPJS_AGENT_DOWNLOAD_PATH: "agent"');
    expect(lines(text)).toContain('        FPJS_GET_RESULT_PATH');
    lineWith(text, 'keysToWrite:', 'FPJS_PRE_SHARED_SECRET');

    expect(text).toContain('  + role (fp-proxy-edge)');
    lineWith(text, 'ReadIntegrationSecret: Allow secretsmanager:GetSecretValue');
    lineWith(text, 'on arn:aws:secretsmanager:eu-west-1:123456789012:secret:fp-proxy-secret-??????');
    lineWith(text, 'WriteEdgeLogs: Allow logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents');
    lineWith(text, 'Allow sts:AssumeRole for lambda.amazonaws.com, edgelambda.amazonaws.com');
    lineWith(text, 'policy edge-install-execution:');

    expect(text).toContain('  + function functions.proxy (fp-proxy-proxy)');
    lineWith(text, 'runtime:', 'nodejs20.x');
    lineWith(text, 'memorySize:', '128 MB');
    lineWith(text, 'timeout:', '10 s');
    lineWith(text, 'codeSize:', '412.0 KB');
    lineWith(text, 'codeSha256:', 'q1w2e3r4t5y6…');
    expect(text).not.toContain(SHA);

    expect(text).toContain('  + version functions.proxy.version (fp-proxy-proxy)');

    expect(text).toContain('  + cache-policy cachePolicies.proxy (fp-proxy-proxy)');
    lineWith(text, 'TTL:', 'min 0 s, default 86400 s, max 31536000 s');
    lineWith(text, 'headers:', 'only Authorization');
    lineWith(text, 'cookies:', 'only *_px*, px**');
    lineWith(text, 'query strings:', 'all');
    lineWith(text, 'compression:', 'gzip');
  });

  it('shows the origin, the behavior and the trigger on one line each', () => {
    expect(lines(text)).toContain('    + origin ei-fp-proxy-vendor  fpcdn.io https-only TLSv1.2, headers FPJS_SECRET_NAME, FPJS_SECRET_REGION');
    // Custom header values are not in the summary line.
    expect(lineWith(text, '+ origin')).not.toContain('us-east-1');
    expect(lines(text)).toContain(
      '    + behavior fpjs-abc/* at position 0 → origin ei-fp-proxy-vendor, redirect-to-https, methods GET HEAD OPTIONS PUT POST PATCH DELETE, ' +
        `cache policy CachingDisabled (${CACHING_DISABLED}), origin request policy AllViewerExceptHostHeader (${ALL_VIEWER_EXCEPT_HOST})`,
    );
    expect(lines(text)).toContain(`    + trigger fpjs-abc/* origin-request → ${PENDING_TEXT} (include body)`);
  });

  it('groups distribution changes: origins, then behaviors, then triggers', () => {
    const all = lines(text);
    const at = (title: string) => all.indexOf(`  ${title}`);
    expect(at('Origins')).toBeGreaterThan(0);
    expect(at('Origins')).toBeLessThan(at('Behaviors'));
    expect(at('Behaviors')).toBeLessThan(at('Triggers'));
  });

  it('shows the resulting behavior order, marking the new behavior', () => {
    const all = lines(text);
    const start = all.findIndex((l) => l.startsWith('  Behavior order'));
    expect(start).toBeGreaterThan(0);
    expect(all.slice(start + 1, start + 5)).toEqual(['    0 fpjs-abc/*   (new)', '    1 /api/*', '    2 /static/*', '    * default']);
  });

  it('ends with the summary', () => {
    expect(lines(text).at(-2)).toBe('Plan: 8 to create, 0 to update, 0 to delete.');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('Nothing will be written');
  });

  it('has no trailing spaces and no escapes without colour', () => {
    for (const line of lines(text)) expect(line).not.toMatch(/\s$/);
    expect(text).not.toMatch(ANSI);
  });
});

describe('renderPlanText: colour', () => {
  it('colours symbols and headings, and is otherwise the same text', () => {
    const plain = render(createPlan(), false);
    const coloured = render(createPlan(), true);
    expect(coloured).toMatch(ANSI);
    expect(stripAnsi(coloured)).toBe(plain);
    expect(coloured).toContain('\u001b[32m+\u001b[39m \u001b[1mfunction functions.proxy\u001b[22m'); // green +, bold address
    expect(coloured).toContain('\u001b[1mIntegration fp-proxy\u001b[22m'); // bold heading
    expect(coloured).toMatch(/\u001b\[2m1 \/api\/\*\u001b\[22m/); // unchanged behavior is dim
    for (const line of lines(coloured)) expect(stripAnsi(line)).not.toMatch(/\s$/);
  });

  it('colours update yellow and delete red', () => {
    const text = render(
      doc({
        distributions: [
          distribution({
            changes: [
              { action: 'update', kind: 'origin', address: 'origins.ei-fp-proxy-vendor', before: vendorOrigin(), after: vendorOrigin({ DomainName: 'eu.fpcdn.io' }) },
              { action: 'delete', kind: 'origin', address: 'origins.ei-fp-proxy-old', before: vendorOrigin({ Id: 'ei-fp-proxy-old' }) },
            ],
          }),
        ],
      }),
      true,
    );
    expect(text).toContain('\u001b[33m~\u001b[39m origin');
    expect(text).toContain('\u001b[31m-\u001b[39m origin');
  });
});

describe('renderPlanText: updates', () => {
  const before = proxyBehavior({ LambdaFunctionAssociations: undefined });
  const text = render(
    doc({
      resources: [
        { action: 'update', kind: 'function', address: 'functions.proxy', after: { ...functionSettings, memorySize: 256 }, reasons: ['code changed', 'memorySize 128 → 256'] },
        versionCreate,
      ],
      distributions: [
        distribution({
          changes: [
            {
              action: 'update',
              kind: 'origin',
              address: 'origins.ei-fp-proxy-vendor',
              before: vendorOrigin({ OriginPath: undefined, CustomHeaders: { Quantity: 0 } }),
              after: vendorOrigin({
                OriginPath: undefined,
                CustomHeaders: list([{ HeaderName: 'FPJS_SECRET_NAME', HeaderValue: 'fp-proxy-secret' }]),
                CustomOriginConfig: { ...vendorOrigin().CustomOriginConfig, OriginReadTimeout: 60 },
              }),
            },
            {
              action: 'update',
              kind: 'behavior',
              address: 'behaviors.fpjs-abc/*',
              position: 0,
              // Same methods in another order, an empty list made absent: not differences.
              before: { ...before, AllowedMethods: { ...before.AllowedMethods, Items: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] }, FunctionAssociations: undefined },
              after: { ...before, CachePolicyId: CACHING_OPTIMIZED, ViewerProtocolPolicy: 'https-only' },
            },
            {
              action: 'update',
              kind: 'association',
              address: 'behaviors.*.viewer-request',
              before: { EventType: 'viewer-request', LambdaFunctionARN: `${FN_ARN}:3`, IncludeBody: false },
              after: { EventType: 'viewer-request', LambdaFunctionARN: `${FN_ARN}:4`, IncludeBody: true },
            },
            {
              action: 'update',
              kind: 'association',
              address: 'behaviors./api/*.origin-request',
              before: { EventType: 'origin-request', LambdaFunctionARN: `${FN_ARN}:4`, IncludeBody: false },
              after: { EventType: 'origin-request', LambdaFunctionARN: PENDING, IncludeBody: false },
            },
          ],
          order: ['fpjs-abc/*', '/api/*', '/static/*'],
        }),
      ],
    }),
  );

  it('lists why a function changes', () => {
    expect(text).toContain('  ~ function functions.proxy (fp-proxy-proxy)');
    lineWith(text, '~ code changed');
    lineWith(text, '~ memorySize 128 → 256');
  });

  it('shows only the fields of an origin that differ, by dotted path', () => {
    expect(lines(text)).toContain('    ~ origin ei-fp-proxy-vendor');
    expect(lines(text)).toContain('        ~ CustomOriginConfig.OriginReadTimeout: 30 → 60');
    expect(lines(text)).toContain('        + CustomHeaders[FPJS_SECRET_NAME]: {HeaderName: "FPJS_SECRET_NAME", HeaderValue: "fp-proxy-secret"}');
    expect(text).not.toContain('DomainName');
    expect(text).not.toContain('ConnectionAttempts');
    expect(text).not.toContain('Quantity');
  });

  it('shows only the fields of a behavior that differ, naming managed policies', () => {
    expect(lines(text)).toContain('    ~ behavior fpjs-abc/* at position 0');
    expect(lines(text)).toContain(`        ~ CachePolicyId: "${CACHING_DISABLED}" (CachingDisabled) → "${CACHING_OPTIMIZED}" (CachingOptimized)`);
    expect(lines(text)).toContain('        ~ ViewerProtocolPolicy: "redirect-to-https" → "https-only"');
    expect(text).not.toContain('AllowedMethods');
    expect(text).not.toContain('FunctionAssociations');
  });

  it('shows a trigger moving from one version to another, and to a version this apply publishes', () => {
    expect(lines(text)).toContain(`    ~ trigger * viewer-request  ${FN_ARN}  version 3 → 4 (include body)`);
    lineWith(text, '~ include body: false → true');
    expect(lines(text)).toContain(`    ~ trigger /api/* origin-request  ${FN_ARN}  version 4 → (new version)`);
  });

  it('marks an updated behavior in the order', () => {
    lineWith(text, '0 fpjs-abc/*', '(changed)');
  });

  it('counts updates and creates', () => {
    expect(text).toContain('Plan: 1 to create, 5 to update, 0 to delete.');
  });
});

describe('renderPlanText: foreign triggers, deletes', () => {
  const foreign = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:someone-else:7`;
  const text = render(
    doc({
      distributions: [
        distribution({
          changes: [
            {
              action: 'update',
              kind: 'association',
              address: 'behaviors.*.viewer-request',
              before: { EventType: 'viewer-request', LambdaFunctionARN: foreign, IncludeBody: false },
              after: { EventType: 'viewer-request', LambdaFunctionARN: `${FN_ARN}:4`, IncludeBody: false },
              replacedForeign: foreign,
            },
            { action: 'delete', kind: 'origin', address: 'origins.ei-fp-proxy-old', before: vendorOrigin({ Id: 'ei-fp-proxy-old', DomainName: 'old.fpcdn.io' }) },
            { action: 'delete', kind: 'behavior', address: 'behaviors.old/*', before: proxyBehavior({ PathPattern: 'old/*', TargetOriginId: 'ei-fp-proxy-old' }) },
            { action: 'delete', kind: 'association', address: 'behaviors./static/*.origin-response', before: { EventType: 'origin-response', LambdaFunctionARN: `${FN_ARN}:2` } },
          ],
        }),
      ],
    }),
  );

  it('shows a replaced foreign function in full, with a warning line', () => {
    expect(lines(text)).toContain(`    ~ trigger * viewer-request  ${foreign} → ${FN_ARN}:4`);
    lineWith(text, '! replaces foreign function', foreign);
  });

  it('shows what is deleted', () => {
    lineWith(text, '- origin ei-fp-proxy-old', 'old.fpcdn.io');
    lineWith(text, '- behavior old/*', '→ origin ei-fp-proxy-old');
    expect(lines(text)).toContain(`    - trigger /static/* origin-response  ${FN_ARN}:2`);
    expect(text).toContain('Plan: 0 to create, 1 to update, 3 to delete.');
  });
});

describe('renderPlanText: resource deletes and unknown kinds', () => {
  it('describes a deleted resource from its before side, and flattens a kind it does not know', () => {
    const text = render(
      doc({
        resources: [
          { action: 'delete', kind: 'cache-policy', address: 'cachePolicies.old', before: { ...(cachePolicyCreate.after as object), Name: 'fp-proxy-old' } },
          { action: 'create', kind: 'widget', address: 'widgets.a', after: { Name: 'w', Nested: { Size: 3 } } },
        ],
      }),
    );
    expect(lines(text)).toContain('  - cache-policy cachePolicies.old (fp-proxy-old)');
    lineWith(text, 'TTL:', 'min 0 s');
    lineWith(text, 'Nested.Size:', '3');
    expect(text).toContain('Plan: 1 to create, 0 to update, 1 to delete.');
  });
});

describe('renderPlanText: no changes', () => {
  it('says so, and shows each distribution as unchanged', () => {
    const text = render(doc());
    expect(text).toContain('No changes. The infrastructure matches the manifest.');
    expect(text).not.toContain('Plan:');
    expect(text).not.toContain('Symbols');
    lineWith(text, 'Distribution E1DEMO0EXAMPLE');
    lineWith(text, 'no changes');
    expect(text).not.toContain('Behavior order');
    expect(text).not.toMatch(ANSI);
  });

  it('still shows warnings', () => {
    const text = render(doc({ distributions: [distribution({ warnings: ['behavior /api/* also matches /api/fpjs/*'] })] }));
    expect(lines(text)).toContain('  ! behavior /api/* also matches /api/fpjs/*');
    expect(text).toContain('No changes.');
  });
});

describe('renderPlanText: conflicts and errors', () => {
  const plan = createPlan();
  plan.distributions[0]!.warnings = ['fpjs-abc/* is placed before /api/* so that it matches first'];
  plan.distributions[0]!.conflicts = [
    'behavior /static/* already has a Lambda@Edge function on viewer-request (arn:aws:lambda:us-east-1:123456789012:function:theirs:1) that edge-install does not own: pass --replace-foreign to replace it',
  ];
  plan.distributions[0]!.errors = ["the distribution would have 76 cache behaviors (it has 75); the account's CloudFront quota is 75 per distribution.\nRemove cache behaviors, or request a quota increase (Service Quotas, CloudFront)"];
  const text = render(plan);

  it('shows warnings, conflicts and errors with their marks', () => {
    lineWith(text, '  ! fpjs-abc/* is placed before /api/*');
    lineWith(text, '  ✗ conflict: behavior /static/* already has a Lambda@Edge function on viewer-request');
    lineWith(text, '  ✗ error: the distribution would have 76 cache behaviors');
    expect(lines(text)).toContain('    Remove cache behaviors, or request a quota increase (Service Quotas, CloudFront)');
  });

  it('ends by saying nothing will be written', () => {
    expect(lines(text).at(-2)).toBe('✗ Nothing will be written: resolve the 1 conflict and 1 error above, then plan again.');
    expect(text).toContain('Plan: 8 to create, 0 to update, 0 to delete.');
  });

  it('never says "No changes" when there are conflicts', () => {
    const onlyConflict = render(doc({ distributions: [distribution({ conflicts: ['origin ei-fp-proxy-vendor already exists'] })] }));
    expect(onlyConflict).not.toContain('No changes');
    expect(onlyConflict).toContain('Plan: 0 to create, 0 to update, 0 to delete.');
    expect(onlyConflict).toContain('✗ Nothing will be written: resolve the 1 conflict above, then plan again.');
  });

  it('colours conflicts red', () => {
    expect(render(plan, true)).toContain('\u001b[31m✗ conflict:\u001b[39m');
  });
});

describe('renderPlanText: order with several new behaviors', () => {
  it('marks each new behavior where it lands, with the default last', () => {
    const text = render(
      doc({
        distributions: [
          distribution({
            changes: [
              { action: 'create', kind: 'behavior', address: 'behaviors./px/xhr/*', position: 0, after: proxyBehavior({ PathPattern: '/px/xhr/*' }) },
              { action: 'create', kind: 'behavior', address: 'behaviors./px/*', position: 2, after: proxyBehavior({ PathPattern: '/px/*' }) },
            ],
            order: ['/px/xhr/*', '/api/*', '/px/*', '/static/*'],
          }),
        ],
      }),
    );
    const all = lines(text);
    const start = all.findIndex((l) => l.startsWith('  Behavior order'));
    expect(all.slice(start + 1, start + 6)).toEqual(['    0 /px/xhr/*   (new)', '    1 /api/*', '    2 /px/*       (new)', '    3 /static/*', '    * default']);
    lineWith(text, '+ behavior /px/* at position 2');
  });
});

describe('renderPlanText: safety', () => {
  it('renders sensitive keys verbatim and invents no values', () => {
    const text = render(doc({ resources: [secretCreate] }));
    expect(text).toContain('(sensitive)');
    expect(text).not.toMatch(/FPJS_GET_RESULT_PATH\S/);
  });

  it('escapes control characters from foreign config, so nothing can forge a line or an escape', () => {
    const text = render(
      doc({
        distributions: [
          distribution({
            changes: [
              {
                action: 'update',
                kind: 'origin',
                address: 'origins.ei-fp-proxy-vendor',
                before: vendorOrigin({ DomainName: 'a.example\u001b[31m\nPlan: 0 to create' }),
                after: vendorOrigin(),
              },
            ],
            warnings: ['two\nlines'],
          }),
        ],
      }),
    );
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('\\u001b[31m\\u000aPlan: 0 to create');
    expect(lines(text).filter((l) => l.startsWith('Plan:'))).toEqual(['Plan: 0 to create, 1 to update, 0 to delete.']);
    expect(lines(text)).toContain('  ! two');
    expect(lines(text)).toContain('    lines');
  });
});

describe('diffFields', () => {
  it('treats {Quantity: 0} and absent as equal, and method lists as sets', () => {
    expect(diffFields({ A: { Quantity: 0 }, M: { Quantity: 2, Items: ['GET', 'HEAD'] } }, { M: { Quantity: 2, Items: ['GET', 'HEAD'] } })).toEqual([]);
    expect(diffFields({ AllowedMethods: { Items: ['GET', 'HEAD'] } }, { AllowedMethods: { Items: ['HEAD', 'GET'] } })).toEqual([]);
  });

  it('names nested fields with dots and list items by their identity', () => {
    expect(diffFields({ X: { Y: { Z: 1 } } }, { X: { Y: { Z: 2 } } })).toEqual([{ path: 'X.Y.Z', before: 1, after: 2 }]);
    expect(
      diffFields(
        { CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'A', HeaderValue: '1' }] } },
        { CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'A', HeaderValue: '2' }] } },
      ),
    ).toEqual([{ path: 'CustomHeaders[A].HeaderValue', before: '1', after: '2' }]);
  });
});

describe('renderPlanText: values not known until apply', () => {
  it('are a type, not a look: a foreign string that reads "(new …)" is shown quoted, as the string it is', () => {
    const text = render(
      doc({
        resources: [],
        distributions: [
          distribution({
            changes: [
              {
                action: 'update',
                kind: 'origin',
                address: 'origins.ei-fp-proxy-vendor',
                before: vendorOrigin({ DomainName: 'old.example.com' }),
                after: vendorOrigin({ DomainName: 'Shop (new site)' }),
              },
              { action: 'create', kind: 'association', address: 'behaviors./shop/*.origin-request', after: { EventType: 'origin-request', LambdaFunctionARN: 'arn:aws:lambda:us-east-1:123456789012:function:shop (new version)', IncludeBody: false } },
              { action: 'create', kind: 'association', address: 'behaviors.*.origin-request', after: { EventType: 'origin-request', LambdaFunctionARN: PENDING, IncludeBody: false } },
            ],
            order: [],
          }),
        ],
      }),
      true,
    );
    const plain = stripAnsi(text);
    expect(plain).toContain('~ DomainName: "old.example.com" → "Shop (new site)"');
    // The foreign ARN is printed as it is, not highlighted as a version this apply publishes…
    expect(text).toContain('→ arn:aws:lambda:us-east-1:123456789012:function:shop (new version)\n');
    // …the real unknown is.
    expect(text).toContain(`\u001b[36m${PENDING_TEXT}\u001b[39m`);
  });
});
