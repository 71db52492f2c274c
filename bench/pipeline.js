// noop_pipeline_writes: after one install from empty, how many write calls a second run with
// nothing changed makes (the goal is exactly 0). Runs the resource steps (secret, role,
// bundle, function/version, cache policy) against an in-process sandbox, with the BUILT code.
import { fileURLToPath } from 'node:url';
import { applyPreparedResources, prepareResources } from '../dist/apply/pipeline.js';
import { createClients } from '../dist/aws/clients.js';
import { parseManifest } from '../dist/manifest/parse.js';
import { startSandbox } from '../dist/sandbox/index.js';

const FIXTURE_PROJECT = fileURLToPath(new URL('../test/fixtures/handlers/project/', import.meta.url));

const manifest = parseManifest({
  name: 'bench',
  secret: { name: 'edge-install/bench', keys: { TOKEN: { sensitive: true }, MODE: { value: 'monitor' } } },
  functions: { proxy: { handler: './echo.ts', timeout: 10 } },
  cachePolicies: { proxy: { minTtl: 0, defaultTtl: 180, maxTtl: 180, queryStrings: ['version'] } },
  behaviors: [{ pathPattern: '/bench/*', origin: 'default', cachePolicy: 'proxy', triggers: { 'origin-request': { function: 'proxy', includeBody: true } } }],
});

async function runOnce(clients, sandbox) {
  const prepared = await prepareResources(clients, manifest, FIXTURE_PROJECT, { TOKEN: 'bench-token' });
  await applyPreparedResources(clients, prepared, { sleep: async (ms) => sandbox.world.clock.advance(ms) });
}

export async function benchPipeline() {
  const sandbox = await startSandbox({ seed: 'empty', delays: { lambdaStateMs: 0 } });
  const clients = createClients({ endpointUrl: sandbox.endpoint });
  const countWrites = async () => (await (await fetch(`${sandbox.endpoint}/_sandbox/calls`)).json()).filter((c) => c.mutating).length;
  await runOnce(clients, sandbox);
  const before = await countWrites();
  await runOnce(clients, sandbox);
  const writes = (await countWrites()) - before;
  clients.destroy();
  await sandbox.close();
  return { noop_pipeline_writes: writes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchPipeline()));
