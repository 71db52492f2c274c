// The bundle step's goals, for bench/run.js: how long bundle+zip takes, and whether it is
// reproducible. Uses the BUILT code (npm run bench builds first).
//
// The built-in first-party proxy handler (handlers/first-party-proxy) does not exist yet, so
// this bundles a fixture of the same shape instead: a TypeScript origin-request handler with a
// helper module and baked-in config (test/fixtures/handlers/project/echo.ts). Switch to
// `handler: 'builtin:first-party-proxy'` once it lands.
import { fileURLToPath } from 'node:url';
import { bundleFunction } from '../dist/bundle/index.js';

const FIXTURE_PROJECT = fileURLToPath(new URL('../test/fixtures/handlers/project/', import.meta.url));

const REQUEST = {
  functionKey: 'proxy',
  handler: './echo.ts',
  runtime: 'nodejs20.x',
  config: { behaviorPath: '/fpjs', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' },
  settings: { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:edge-install/fp-proxy-AbCdEf', secretRegion: 'us-east-1' },
  eventTypes: ['origin-request'],
  baseDir: FIXTURE_PROJECT,
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
