/**
 * The proof that no failure leaves a distribution half-changed. For every mutating call that
 * a first `attach` of each recipe makes against the demo distribution, run attach again from
 * scratch with that call failing — once with a 500 InternalFailure that outlasts the SDK's
 * retries, once with a non-retryable 403 — and check: the distribution is exactly as before,
 * nothing this run created remains (unless the output says AWS must wait), the command failed
 * naming the step, and a plain re-run converges with one distribution write.
 */
import { GetDistributionConfigCommand, ListCachePoliciesCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/sandbox/calls.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { type CliRun, type Project, recipeProject, runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
/** Two attempts: the SDK's retry really runs, and the 500 outlasts it quickly. */
const ATTEMPTS = 2;
const ACCESS_DENIED: Record<string, string> = { cloudfront: 'AccessDenied', iam: 'AccessDenied', lambda: 'AccessDeniedException', secretsmanager: 'AccessDeniedException', sts: 'AccessDenied' };

interface RecipeCase {
  recipe: string;
  name: string;
  answers: Record<string, string | boolean>;
  secret: Record<string, string>;
}

const RECIPES: RecipeCase[] = [
  { recipe: 'first-party-proxy', name: 'fp-proxy', answers: { behaviorPath: 'fpjs-abc', agentDownloadPath: 'agent', getResultPath: 'result' }, secret: { FPJS_PRE_SHARED_SECRET: 'pre-shared' } },
  { recipe: 'edge-enforcer', name: 'edge-enforcer', answers: { appId: 'PX12345678', activities: true, firstParty: true }, secret: { PX_AUTH_TOKEN: 'token', PX_COOKIE_SECRET: 'cookie' } },
];

let sb: TestSandbox;
const stats = { cases: 0, passed: 0 };

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(async () => {
  await sb.close();
  console.log(`fault matrix: ${stats.passed}/${stats.cases} cases passed`);
  // npm run bench reads the counts from here.
  if (process.env.FAULT_MATRIX_STATS) writeFileSync(process.env.FAULT_MATRIX_STATS, JSON.stringify({ fault_matrix_cases: stats.cases, fault_matrix_passed: stats.passed }));
});

async function fresh(c: RecipeCase): Promise<{ before: DistributionConfig; secretBefore: string }> {
  await sb.admin('POST', 'reset');
  await sb.admin('DELETE', 'faults');
  const secretString = JSON.stringify(c.secret);
  await sb.secrets.send(new CreateSecretCommand({ Name: `edge-install/${c.name}`, SecretString: secretString }));
  const before = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
  return { before, secretBefore: secretString };
}

function attach(project: Project): Promise<CliRun> {
  const stateDir = mkdtempSync(join(tmpdir(), 'ei-faults-state-'));
  return runCli(['attach', '--yes', '--config', project.manifestPath, '--state-dir', stateDir, '--endpoint-url', sb.endpoint], { env: { AWS_MAX_ATTEMPTS: String(ATTEMPTS) } });
}

/** Calls made since `from` (an index into the call log). */
async function callsSince(from: number): Promise<CallRecord[]> {
  return (await sb.calls()).slice(from);
}

/** What of the integration exists in the account, besides the pre-existing secret. */
async function ownedResources(name: string): Promise<string[]> {
  const [functions, role, policies] = await Promise.all([
    sb.lambda.send(new ListFunctionsCommand({})),
    sb.iam.send(new GetRoleCommand({ RoleName: `${name}-edge` })).catch(() => undefined),
    sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' })),
  ]);
  return [
    ...(functions.Functions ?? []).filter((f) => f.FunctionName!.startsWith(`${name}-`)).map((f) => `function ${f.FunctionName}`),
    ...(role ? [`role ${name}-edge`] : []),
    ...(policies.CachePolicyList?.Items ?? []).map((p) => p.CachePolicy!.CachePolicyConfig!.Name!).filter((n) => n.startsWith(`${name}-`)).map((n) => `cache policy ${n}`),
  ];
}

/** Cache policy ids are random per creation: compare configs with them named instead. */
function comparable(config: DistributionConfig, policyIds: Map<string, string>): DistributionConfig {
  let text = JSON.stringify(config);
  for (const [id, name] of policyIds) text = text.split(id).join(`<${name}>`);
  return JSON.parse(text) as DistributionConfig;
}

async function policyIds(): Promise<Map<string, string>> {
  const out = await sb.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom' }));
  return new Map((out.CachePolicyList?.Items ?? []).map((p) => [p.CachePolicy!.Id!, p.CachePolicy!.CachePolicyConfig!.Name!]));
}

describe.each(RECIPES)('fault matrix: attach $recipe', (c) => {
  let project: Project;
  let baseline: CallRecord[] = [];
  let applied: DistributionConfig;

  beforeAll(async () => {
    project = recipeProject(c.recipe, c.answers, [ID]);
    await fresh(c);
    const start = (await sb.calls()).length;
    const run = await attach(project);
    expect(run.code, run.stderr).toBe(0);
    baseline = (await callsSince(start)).filter((call) => call.mutating);
    applied = comparable((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!, await policyIds());
  });
  afterAll(() => project.remove());

  it('the baseline writes the distribution once, last', () => {
    expect(baseline.filter((call) => call.operation === 'UpdateDistribution')).toHaveLength(1);
    expect(baseline.at(-1)!.operation).toBe('UpdateDistribution');
    expect(baseline.length).toBeGreaterThanOrEqual(7);
  });

  const kinds = [
    { kind: '500 InternalFailure', fault: (_service: string) => ({ error: 'InternalFailure', status: 500, times: ATTEMPTS }) },
    { kind: 'non-retryable 403', fault: (service: string) => ({ error: ACCESS_DENIED[service]!, status: 403, times: 1 }) },
  ];

  for (const { kind, fault } of kinds) {
    it(`every mutating call failing with a ${kind}`, { timeout: 600_000 }, async () => {
      for (let k = 0; k < baseline.length; k++) {
        const call = baseline[k]!;
        const label = `call ${k + 1}/${baseline.length} ${call.service}.${call.operation} (${kind})`;
        stats.cases++;
        const { before, secretBefore } = await fresh(c);
        const after = baseline.slice(0, k).filter((x) => x.operation === call.operation && x.service === call.service).length;
        await sb.admin('POST', 'faults', { operation: call.operation, service: call.service, after, ...fault(call.service) });
        const start = (await sb.calls()).length;
        const run = await attach(project);
        await sb.admin('DELETE', 'faults');

        expect(run.code, `${label}: exit code`).not.toBe(0);
        expect(run.stderr, `${label}: names the failed step`).toMatch(/step ".+" failed/);
        expect((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig, `${label}: distribution untouched`).toEqual(before);
        const leftovers = await ownedResources(c.name);
        const reportedWaiting = leftovers.filter((r) => run.stderr.includes(r.split(' ').at(-1)!) && /could not undo/.test(run.stderr));
        expect(leftovers.filter((r) => !reportedWaiting.includes(r)), `${label}: nothing created remains`).toEqual([]);
        const secret = await sb.secrets.send(new GetSecretValueCommand({ SecretId: `edge-install/${c.name}` }));
        expect(secret.SecretString, `${label}: secret value as before`).toBe(secretBefore);
        expect((await callsSince(start)).some((x) => x.error), `${label}: the fault fired`).toBe(true);

        const rerunStart = (await sb.calls()).length;
        const rerun = await attach(project);
        expect(rerun.code, `${label}: re-run converges\n${rerun.stderr}`).toBe(0);
        expect((await callsSince(rerunStart)).filter((x) => x.operation === 'UpdateDistribution' && x.status === 200), `${label}: one write`).toHaveLength(1);
        expect(comparable((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!, await policyIds()), `${label}: fully applied`).toEqual(applied);
        stats.passed++;
      }
    });
  }
});
