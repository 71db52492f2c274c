// The bundle step's goals, for bench/run.js: how long bundle+zip takes, and whether it is
// reproducible. Uses the BUILT code (npm run bench builds first).
//
// It bundles the built-in first-party proxy (handlers/first-party-proxy) as the recipe does.
import { fileURLToPath } from 'node:url';
import { bundleFunction } from '../dist/bundle/index.js';

const PROJECT = fileURLToPath(new URL('../test/fixtures/handlers/project/', import.meta.url));

const REQUEST = {
  functionKey: 'proxy',
  handler: 'builtin:first-party-proxy',
  runtime: 'nodejs20.x',
  config: { behaviorPath: 'fpjs', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' },
  settings: { secretName: 'edge-install/fp-proxy', secretRegion: 'us-east-1', secretReplicaRegions: [] },
  eventTypes: ['origin-request'],
  baseDir: PROJECT,
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** { bundle_zip_ms: median ms of bundleFunction (bundle + zip + sha), zip_deterministic: two builds → same CodeSha256 } */
export async function benchBundle(runs = 15) {
  for (let i = 0; i < 3; i++) await bundleFunction(REQUEST); // warm up: esbuild's service process, JIT
  const times = [];
  const shas = new Set();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const bundle = await bundleFunction(REQUEST);
    times.push(performance.now() - started);
    shas.add(bundle.codeSha256);
  }
  return { bundle_zip_ms: Math.round(median(times) * 10) / 10, zip_deterministic: shas.size === 1 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchBundle()));
