// Attach goals: one UpdateDistribution per distribution on first attach, zero writes and how
// long a no-op attach takes (the whole CLI run, as a user runs it, against the sandbox), and
// the planner alone on a config at CloudFront's default quota (75 behaviors). Uses the BUILT code.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { loadRecipe } from '../dist/manifest/recipe-files.js';
import { expandRecipe, resolveAnswers } from '../dist/manifest/recipes.js';
import { parseManifest } from '../dist/manifest/parse.js';
import { planDistribution } from '../dist/plan/distribution.js';
import { unknownCachePolicyId, unknownVersion } from '../dist/plan/unknown.js';
import { startSandbox } from '../dist/sandbox/index.js';

const BIN = fileURLToPath(new URL('../bin/edge-install.js', import.meta.url));
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A first-party-proxy project on `distributionId` with a pass-through handler (shared by the benches). */
export function project(distributionId) {
  const dir = mkdtempSync(join(tmpdir(), 'ei-bench-'));
  const recipe = loadRecipe('first-party-proxy');
  const manifest = expandRecipe(recipe, resolveAnswers(recipe, { behaviorPath: 'fpjs' }, randomBytes).answers, [distributionId]);
  manifest.functions.proxy.handler = './handler.ts';
  writeFileSync(join(dir, 'handler.ts'), 'export const handler = async (event: any) => event.Records[0].cf.request;\n');
  writeFileSync(join(dir, 'edge-install.json'), JSON.stringify(manifest));
  return dir;
}

async function calls(endpoint) {
  return (await fetch(`${endpoint}/_sandbox/calls`)).json();
}

export async function benchAttach() {
  const sandbox = await startSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 } });
  const [id] = sandbox.distributionIds;
  const dir = project(id);
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
  // Asynchronously: the sandbox runs in this process and must keep answering.
  const attach = () => promisify(execFile)(process.execPath, [BIN, 'attach', '--yes', '--endpoint-url', sandbox.endpoint], { cwd: dir, env });
  const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: sandbox.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'bench' }) }));
  secrets.destroy();
  await attach();
  const first = await calls(sandbox.endpoint);
  const updates = first.filter((c) => c.operation === 'UpdateDistribution').length;
  const times = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await attach();
    times.push(performance.now() - started);
  }
  const after = await calls(sandbox.endpoint);
  const noopWrites = after.slice(first.length).filter((c) => c.mutating).length;
  await promisify(execFile)(process.execPath, [BIN, 'rollback', '--yes', '--endpoint-url', sandbox.endpoint], { cwd: dir, env });
  const rollbackUpdates = (await calls(sandbox.endpoint)).slice(after.length).filter((c) => c.operation === 'UpdateDistribution' && c.status === 200).length;
  rmSync(dir, { recursive: true, force: true });
  await sandbox.close();
  return { update_distribution_calls_first_attach: updates, noop_attach_mutating_calls: noopWrites, noop_attach_ms: Math.round(median(times)), rollback_update_distribution_calls: rollbackUpdates };
}

/** 74 behaviors and 74 origins, plus the integration's one of each: 75 behaviors, CloudFront's default quota. */
export function benchPlanner(runs = 50) {
  const origins = Array.from({ length: 74 }, (_, i) => ({ Id: `origin-${i}`, DomainName: `o${i}.example.com`, CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }));
  const behaviors = Array.from({ length: 74 }, (_, i) => ({ PathPattern: `/section-${i}/*/assets/*.js`, TargetOriginId: `origin-${i}`, ViewerProtocolPolicy: 'allow-all', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', LambdaFunctionAssociations: { Quantity: 0 } }));
  const config = {
    CallerReference: 'bench',
    Comment: '',
    Enabled: true,
    Origins: { Quantity: 74, Items: origins },
    DefaultCacheBehavior: { TargetOriginId: 'origin-0', ViewerProtocolPolicy: 'allow-all', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', LambdaFunctionAssociations: { Quantity: 0 } },
    CacheBehaviors: { Quantity: 74, Items: behaviors },
  };
  const recipe = loadRecipe('first-party-proxy');
  const manifest = parseManifest(expandRecipe(recipe, resolveAnswers(recipe, { behaviorPath: 'fpjs' }, randomBytes).answers));
  const input = {
    manifest,
    id: 'E1',
    etag: 'E1',
    config,
    functionVersions: { proxy: unknownVersion('fp-proxy-proxy', 'arn:aws:lambda:us-east-1:123456789012:function:fp-proxy-proxy') },
    cachePolicyIds: { proxy: unknownCachePolicyId('fp-proxy-proxy') },
    ownedFunctionNames: ['fp-proxy-proxy'],
  };
  for (let i = 0; i < 5; i++) planDistribution(input);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const plan = planDistribution(input);
    times.push(performance.now() - started);
    if (plan.errors.length || plan.conflicts.length) throw new Error(`bench config is not plannable: ${[...plan.errors, ...plan.conflicts].join('; ')}`);
  }
  return { plan_ms_75_behaviors: Math.round(median(times) * 100) / 100 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify({ ...(await benchAttach()), ...benchPlanner() }));
