// The built-in edge handlers' goals, for bench/run.js: zip sizes, cold import time and the
// per-request cost of the first-party proxy. Uses the BUILT code (npm run bench builds first):
// dist/bundle bundles handlers/ exactly as `attach` does.
//
// - zip_bytes.*: the deployable zips. The edge-enforcer wrappers are bundled with the vendor
//   stand-in of test/fixtures/vendor (about 1 KB minified) in place of the real SDK, so they
//   measure the wrapper, not the vendor's code.
// - cold_import_ms: median, over fresh Node processes, of the time `require('./index.js')` of
//   the proxy bundle takes (what a Lambda cold start adds for the code; Node's own start-up is
//   not counted).
// - proxy_request_us: per-request time of the proxy handler, in one process, with the secret
//   cache warm (read once from a local stand-in for Secrets Manager): agent-download and
//   result requests alternating, events prepared beforehand. No I/O happens on this path, so
//   this is CPU time.
// - proxy_response_us: the same function on origin-response (an agent download's response:
//   blocked headers removed, Cache-Control clamped), per response.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { bundleFunction } from '../dist/bundle/index.js';

const STAND_IN = fileURLToPath(new URL('../test/fixtures/vendor/human-enforcer-stand-in/', import.meta.url));
const EVENTS = fileURLToPath(new URL('../test/fixtures/events/', import.meta.url));
const SETTINGS = { secretName: 'edge-install/fp-proxy', secretRegion: 'us-east-1', secretReplicaRegions: [] };
const PROXY_CONFIG = { behaviorPath: 'fpjs', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The one index.js of a (deflated, single-entry) bundle zip, found through its central directory. */
function indexJs(zip) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const central = zip.readUInt32LE(eocd + 16);
  const compressedSize = zip.readUInt32LE(central + 20);
  const local = zip.readUInt32LE(central + 42);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  return inflateRawSync(zip.subarray(start, start + compressedSize)).toString('utf8');
}

async function zipSizes(root) {
  const emptyProject = join(root, 'empty-project');
  const vendorProject = join(root, 'vendor-project');
  mkdirSync(emptyProject, { recursive: true });
  cpSync(STAND_IN, join(vendorProject, 'node_modules', '@humansecurity', 'aws-lambda-edge-enforcer'), { recursive: true });
  const common = { runtime: 'nodejs20.x', settings: { ...SETTINGS, secretName: 'edge-install/edge-enforcer' } };
  const proxy = await bundleFunction({ ...common, functionKey: 'proxy', handler: 'builtin:first-party-proxy', config: PROXY_CONFIG, eventTypes: ['origin-request', 'origin-response'], baseDir: emptyProject, settings: { ...SETTINGS, edgeInstallVersion: '0.0.0-bench' } });
  const sizes = { 'zip_bytes.first-party-proxy': proxy.codeSize };
  const roles = { enforcer: ['viewer-request', { appId: 'PX12345678', moduleMode: 'monitor', firstPartyEnabled: 'true' }], activities: ['origin-response', { appId: 'PX12345678' }], 'first-party': ['origin-request', { appId: 'PX12345678' }] };
  for (const [role, [event, config]] of Object.entries(roles)) {
    const bundle = await bundleFunction({ ...common, functionKey: role, handler: `builtin:edge-enforcer/${role}`, config, eventTypes: [event], baseDir: vendorProject });
    sizes[`zip_bytes.edge-enforcer.${role}`] = bundle.codeSize;
  }
  return { sizes, proxyZip: proxy.zip };
}

function coldImportMs(dir, runs = 21) {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(join(dir, 'index.js'))});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const times = [];
  for (let i = 0; i < runs; i++) times.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  return round(median(times), 2);
}

/** A minimal Secrets Manager: answers every GetSecretValue with the proxy's secret. */
function fakeSecretsManager() {
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      calls++;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ Name: SETTINGS.secretName, SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'bench-pre-shared-secret' }) }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, endpoint: `http://127.0.0.1:${server.address().port}`, calls: () => calls })));
}

async function proxyTimesUs(dir, requests = 20000, batch = 1000) {
  const sm = await fakeSecretsManager();
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint, AWS_ACCESS_KEY_ID: 'ASIABENCH', AWS_SECRET_ACCESS_KEY: 'bench', AWS_SESSION_TOKEN: 'bench', AWS_REGION: 'us-east-1' });
  try {
    const { handler } = createRequire(import.meta.url)(join(dir, 'index.js'));
    const agent = JSON.parse(readFileSync(join(EVENTS, 'origin-request.json'), 'utf8'));
    Object.assign(agent.Records[0].cf.request, { uri: '/fpjs/agent', querystring: 'apiKey=Xk7bQ2mZ9pL4vR1sT6wY&version=3&loaderVersion=3.9.3' });
    const result = JSON.parse(readFileSync(join(EVENTS, 'origin-request-with-body.json'), 'utf8'));
    Object.assign(result.Records[0].cf.request, { uri: '/fpjs/result', querystring: 'region=eu' });
    const check = await handler(structuredClone(result));
    if (check.headers?.['fpjs-proxy-secret']?.[0]?.value !== 'bench-pre-shared-secret') throw new Error(`proxy bench: unexpected result ${JSON.stringify(check).slice(0, 200)}`);
    const times = [];
    for (let done = -5 * batch; done < requests; done += batch) {
      const events = Array.from({ length: batch }, (_, i) => structuredClone(i % 2 === 0 ? agent : result));
      for (const event of events) {
        const started = process.hrtime.bigint();
        await handler(event);
        if (done >= 0) times.push(Number(process.hrtime.bigint() - started) / 1000);
      }
    }
    if (sm.calls() !== 1) throw new Error(`proxy bench: the secret was read ${sm.calls()} times, expected once (warm cache)`);
    times.sort((a, b) => a - b);
    const response = JSON.parse(readFileSync(join(EVENTS, 'origin-response.json'), 'utf8'));
    Object.assign(response.Records[0].cf.request, { uri: '/v3/Xk7bQ2mZ9pL4vR1sT6wY/loader_v3.9.3.js' });
    response.Records[0].cf.request.headers.host = [{ key: 'Host', value: 'fpcdn.io' }];
    Object.assign(response.Records[0].cf.response.headers, {
      'cache-control': [{ key: 'Cache-Control', value: 'public, max-age=3613, s-maxage=575500' }],
      'strict-transport-security': [{ key: 'Strict-Transport-Security', value: 'max-age=63072000' }],
    });
    const cleaned = await handler(structuredClone(response));
    if (cleaned.headers?.['strict-transport-security'] || cleaned.headers?.['cache-control']?.[0]?.value !== 'public, max-age=3600, s-maxage=60') {
      throw new Error(`proxy bench: unexpected response ${JSON.stringify(cleaned).slice(0, 200)}`);
    }
    const responseTimes = [];
    for (let done = -5 * batch; done < requests / 2; done += batch) {
      const events = Array.from({ length: batch }, () => structuredClone(response));
      for (const event of events) {
        const started = process.hrtime.bigint();
        await handler(event);
        if (done >= 0) responseTimes.push(Number(process.hrtime.bigint() - started) / 1000);
      }
    }
    responseTimes.sort((a, b) => a - b);
    return {
      request: { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) },
      response: { p50: round(percentile(responseTimes, 50)), p99: round(percentile(responseTimes, 99)) },
    };
  } finally {
    process.env = saved;
    sm.server.close();
  }
}

/** { 'zip_bytes.first-party-proxy', 'zip_bytes.edge-enforcer.{enforcer,activities,first-party}', cold_import_ms, proxy_request_us / proxy_response_us: { p50, p99 } } */
export async function benchHandlers() {
  const root = mkdtempSync(join(tmpdir(), 'ei-bench-handlers-'));
  try {
    const { sizes, proxyZip } = await zipSizes(root);
    const lambdaDir = join(root, 'lambda-task');
    mkdirSync(lambdaDir);
    writeFileSync(join(lambdaDir, 'index.js'), indexJs(proxyZip));
    writeFileSync(join(lambdaDir, 'package.json'), '{"type":"commonjs"}\n');
    const proxy = await proxyTimesUs(lambdaDir);
    return { ...sizes, cold_import_ms: coldImportMs(lambdaDir), proxy_request_us: proxy.request, proxy_response_us: proxy.response };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchHandlers(), null, 2));
