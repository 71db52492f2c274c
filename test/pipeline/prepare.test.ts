/**
 * The resource half of an install with real bundles: gather (bundle → observe) → assemble →
 * apply against the sandbox, the deployed zip fetched back, and a known secret value grepped
 * for in everything the run produced.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAttach } from '../../src/apply/attach.js';
import { createClients, type AwsClients } from '../../src/aws/clients.js';
import { timingFor } from '../../src/aws/polling.js';
import { gatherAttach } from '../../src/gather/attach.js';
import { parseManifest } from '../../src/manifest/parse.js';
import { assembleAttach } from '../../src/plan/attach.js';
import { planDocument } from '../../src/plan/document.js';
import { localStore } from '../../src/state/local-store.js';
import { indexJs } from '../bundle/helpers.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const PROJECT = fileURLToPath(new URL('../fixtures/handlers/project/', import.meta.url));
const SECRET = 'token-5b0e1c77-must-never-leak';

let sb: TestSandbox;
let clients: AwsClients;
let stateDir: string;
const log: string[] = [];

beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty', delays: { lambdaStateMs: 0, iamPropagationMs: 0 } });
  clients = createClients({ endpointUrl: sb.endpoint, log: (line) => log.push(line) });
  stateDir = mkdtempSync(join(tmpdir(), 'ei-prepare-'));
});
afterAll(async () => {
  clients.destroy();
  await sb.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const manifest = parseManifest({
  name: 'shop',
  secret: { name: 'edge-install/shop', keys: { TOKEN: { sensitive: true }, MODE: { value: 'monitor' } } },
  functions: { edge: { handler: './echo.ts', config: { greeting: 'hello' } } },
  behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'edge' } } }],
});
const loaded = { manifest, path: join(PROJECT, 'edge-install.json'), baseDir: PROJECT };

async function plan(secretValues: Record<string, string>) {
  return assembleAttach(await gatherAttach(clients, loaded, { distributionIds: [], state: localStore(stateDir), secretValues }), { replaceForeign: false });
}

const apply = (planned: Awaited<ReturnType<typeof plan>>) => applyAttach(clients, planned, { state: localStore(stateDir), timing: timingFor(sb.endpoint), wait: false, waitTimeoutSeconds: 60, concurrency: 1 });

describe('gather, assemble and apply with real bundles', () => {
  it('deploys the bundle, bakes where the secret lives (never its value), and converges', async () => {
    const prepared = await plan({ TOKEN: SECRET });
    expect(prepared.resourcePlan.functions[0]![0].action).toBe('create');
    const { resources: outputs } = await apply(prepared);
    expect(outputs.functions.edge!.codeSha256).toBe(prepared.inputs.bundles.edge!.codeSha256);

    const fn = await sb.lambda.send(new GetFunctionCommand({ FunctionName: outputs.functions.edge!.arn }));
    const deployed = Buffer.from(await (await fetch(fn.Code!.Location!)).arrayBuffer());
    expect(deployed.equals(prepared.inputs.bundles.edge!.zip)).toBe(true);
    const script = indexJs(deployed);
    expect(script).toContain('edge-install/shop'); // where the secret lives is baked in…
    expect(script).toContain('hello');
    expect(script).not.toContain(SECRET); // …its value never is

    const again = await plan({});
    expect(again.inputs.bundles.edge!.codeSha256).toBe(prepared.inputs.bundles.edge!.codeSha256);
    const writesBefore = (await sb.calls()).filter((c) => c.mutating).length;
    const reused = await apply(again);
    expect((await sb.calls()).filter((c) => c.mutating).length).toBe(writesBefore);
    expect(reused.resources.functions.edge!.version).toBe(outputs.functions.edge!.version);

    const { secretValues: _values, ...inputsWithoutValues } = prepared.inputs;
    for (const text of [JSON.stringify(planDocument(prepared)), JSON.stringify(prepared.resourcePlan), JSON.stringify(inputsWithoutValues), JSON.stringify(outputs), log.join('\n')]) {
      expect(text).not.toContain(SECRET);
    }
  });
});
