/**
 * A function with its own log group (Lambda's LoggingConfig.LogGroup): attach sets it, the
 * role may write there, the local edge's replicas log there in the Region that ran them, and
 * `logs` reads it; taking it out of the manifest is a change back to Lambda@Edge's own group.
 */
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fpProxyProject, runCli, type Project } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startOrigin, type TestOrigin } from '../sandbox/edge/helpers.js';

const ID = 'E1DEMO0EXAMPLE';
let sb: TestSandbox;
let vendor: TestOrigin;
let project: Project;

beforeAll(async () => {
  vendor = await startOrigin();
  sb = await startTestSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 }, edge: { origins: { 'fpcdn.io': vendor.url } } });
  project = fpProxyProject([ID], (m) => {
    m.functions.proxy!.logGroup = '/edge/fp-proxy';
  });
  writeFileSync(join(project.dir, 'handler.ts'), 'export const handler = async (event: any) => { console.log("in the custom group"); return event.Records[0].cf.response ?? event.Records[0].cf.request; };');
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'log-group-secret' }) }));
});
afterAll(async () => {
  await sb.close();
  await vendor.close();
  project.remove();
});

const args = (...more: string[]) => [...more, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint];

describe('a custom log group', () => {
  it('is set on the function, allowed by the role, written by the edge in the Region that ran it, and read by logs', async () => {
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const config = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fp-proxy-proxy' }));
    expect(config.LoggingConfig?.LogGroup).toBe('/edge/fp-proxy');
    const policy = decodeURIComponent((await sb.iam.send(new GetRolePolicyCommand({ RoleName: 'fp-proxy-edge', PolicyName: 'edge-install-execution' }))).PolicyDocument!);
    expect(policy).toContain('log-group:/edge/fp-proxy*');
    expect(policy).toContain('log-group:/aws/lambda/us-east-1.fp-proxy-proxy*');

    expect((await fetch(`${sb.edgeUrls()[ID]}/fpjs-abc/agent?apiKey=k`, { headers: { 'x-sandbox-edge-region': 'eu-central-1' } })).status).toBe(200);
    const groups = sb.world.logGroups.filter((g) => g.region === 'eu-central-1').map((g) => g.name);
    expect(groups).toContain('/edge/fp-proxy');
    expect(groups).not.toContain('/aws/lambda/us-east-1.fp-proxy-proxy');

    const logs = await runCli(args('logs', '--since', '1h'));
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/eu-central-1 +fp-proxy-proxy:1 +INFO +in the custom group/);

    // In sync: a second attach changes nothing.
    expect((await runCli(args('plan', '--detailed-exitcode'))).code).toBe(0);
  });

  it('taken out of the manifest, is a change back to Lambda@Edge’s own group', async () => {
    const manifest = JSON.parse(JSON.stringify(project.manifest)) as Project['manifest'];
    delete manifest.functions.proxy!.logGroup;
    writeFileSync(project.manifestPath, JSON.stringify(manifest, null, 2));
    const plan = await runCli(args('plan', '--detailed-exitcode'));
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain("logGroup \"/edge/fp-proxy\" → Lambda@Edge's own");
    expect((await runCli(args('attach', '--yes'))).code).toBe(0);
    const config = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fp-proxy-proxy' }));
    expect(config.LoggingConfig?.LogGroup).toBe('/aws/lambda/fp-proxy-proxy');
  });
});
