/**
 * The resource half of an install with real bundles: bundle → observe → plan → apply against
 * the sandbox, the deployed zip fetched back, and a known secret value grepped for in
 * everything the run produced.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPreparedResources, prepareResources } from '../../src/apply/pipeline.js';
import { createClients, type AwsClients } from '../../src/aws/clients.js';
import { parseManifest } from '../../src/manifest/parse.js';
import { indexJs } from '../bundle/helpers.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const PROJECT = fileURLToPath(new URL('../fixtures/handlers/project/', import.meta.url));
const SECRET = 'token-5b0e1c77-must-never-leak';

let sb: TestSandbox;
let clients: AwsClients;
const log: string[] = [];

beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty', delays: { lambdaStateMs: 0, iamPropagationMs: 0 } });
  clients = createClients({ endpointUrl: sb.endpoint, log: (line) => log.push(line) });
});
afterAll(async () => {
  clients.destroy();
  await sb.close();
});

const manifest = parseManifest({
  name: 'shop',
  secret: { name: 'edge-install/shop', keys: { TOKEN: { sensitive: true }, MODE: { value: 'monitor' } } },
  functions: { edge: { handler: './echo.ts', config: { greeting: 'hello' } } },
  behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'edge' } } }],
});

describe('prepare and apply with real bundles', () => {
  it('deploys the bundle, bakes where the secret lives (never its value), and converges', async () => {
    const prepared = await prepareResources(clients, manifest, PROJECT, { TOKEN: SECRET });
    expect(prepared.plan.functions[0]![0].action).toBe('create');
    const outputs = await applyPreparedResources(clients, prepared);
    expect(outputs.functions.edge!.codeSha256).toBe(prepared.bundles.edge!.codeSha256);

    const fn = await sb.lambda.send(new GetFunctionCommand({ FunctionName: outputs.functions.edge!.arn }));
    const deployed = Buffer.from(await (await fetch(fn.Code!.Location!)).arrayBuffer());
    expect(deployed.equals(prepared.bundles.edge!.zip)).toBe(true);
    const script = indexJs(deployed);
    expect(script).toContain('edge-install/shop'); // where the secret lives is baked in…
    expect(script).toContain('hello');
    expect(script).not.toContain(SECRET); // …its value never is

    const again = await prepareResources(clients, manifest, PROJECT, {});
    expect(again.bundles.edge!.codeSha256).toBe(prepared.bundles.edge!.codeSha256);
    const writesBefore = (await sb.calls()).filter((c) => c.mutating).length;
    const reused = await applyPreparedResources(clients, again);
    expect((await sb.calls()).filter((c) => c.mutating).length).toBe(writesBefore);
    expect(reused.functions.edge!.version).toBe(outputs.functions.edge!.version);

    for (const text of [JSON.stringify(prepared.plan), JSON.stringify(prepared.observed), JSON.stringify(outputs), log.join('\n')]) {
      expect(text).not.toContain(SECRET);
    }
  });
});
