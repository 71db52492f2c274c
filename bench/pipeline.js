// noop_pipeline_writes: after one install from empty, how many write calls a second run with
// nothing changed makes (the goal is exactly 0). Runs the resource steps (secret, role,
// bundle, function/version, cache policy) against an in-process sandbox, with the BUILT code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyAttach } from '../dist/apply/attach.js';
import { createClients } from '../dist/aws/clients.js';
import { timingFor } from '../dist/aws/polling.js';
import { gatherAttach } from '../dist/gather/attach.js';
import { parseManifest } from '../dist/manifest/parse.js';
import { assembleAttach } from '../dist/plan/attach.js';
import { startSandbox } from '../dist/sandbox/index.js';
import { localStore } from '../dist/state/local-store.js';

const FIXTURE_PROJECT = fileURLToPath(new URL('../test/fixtures/handlers/project/', import.meta.url));

const manifest = parseManifest({
  name: 'bench',
  secret: { name: 'edge-install/bench', keys: { TOKEN: { sensitive: true }, MODE: { value: 'monitor' } } },
  functions: { proxy: { handler: './echo.ts', timeout: 10 } },
  cachePolicies: { proxy: { minTtl: 0, defaultTtl: 180, maxTtl: 180, queryStrings: ['version'] } },
  behaviors: [{ pathPattern: '/bench/*', origin: 'default', cachePolicy: 'proxy', triggers: { 'origin-request': { function: 'proxy', includeBody: true } } }],
});

/** gather → assemble → apply, as attach does, with no distribution: the resource steps alone. */
async function runOnce(clients, sandbox, stateDir) {
  const loaded = { manifest, path: join(FIXTURE_PROJECT, 'edge-install.json'), baseDir: FIXTURE_PROJECT };
  const plan = assembleAttach(await gatherAttach(clients, loaded, { distributionIds: [], state: localStore(stateDir), secretValues: { TOKEN: 'bench-token' } }), { replaceForeign: false });
  await applyAttach(clients, plan, { state: localStore(stateDir), timing: timingFor(sandbox.endpoint), wait: false, waitTimeoutSeconds: 60, concurrency: 1 });
}

export async function benchPipeline() {
  const sandbox = await startSandbox({ seed: 'empty', delays: { lambdaStateMs: 0 } });
  const clients = createClients({ endpointUrl: sandbox.endpoint });
  const stateDir = mkdtempSync(join(tmpdir(), 'ei-bench-state-'));
  const countWrites = async () => (await (await fetch(`${sandbox.endpoint}/_sandbox/calls`)).json()).filter((c) => c.mutating).length;
  await runOnce(clients, sandbox, stateDir);
  const before = await countWrites();
  await runOnce(clients, sandbox, stateDir);
  const writes = (await countWrites()) - before;
  clients.destroy();
  await sandbox.close();
  rmSync(stateDir, { recursive: true, force: true });
  return { noop_pipeline_writes: writes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchPipeline()));
