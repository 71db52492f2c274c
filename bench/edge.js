// The local edge's goals (src/sandbox/edge/, `invoke`, `dev`), on the BUILT code:
//
// - edge_rps_viewer_request_noop: requests per second through the demo distribution's edge
//   listener on `/api/*` (CachingDisabled: every request reaches the local origin) with a
//   no-op viewer-request Lambda@Edge function, installed with the real SDK as any client
//   would (CreateRole, CreateFunction, PublishVersion, UpdateDistribution). Keep-alive client,
//   fixed concurrency, after a warm-up under the same load. The sandbox serves from one Region
//   (edge.region), so one pool of warm workers runs the function: the steady state. With the
//   default round-robin over the regional edge cache Regions every Region gets a pool of its
//   own (13 pools of up to 4 workers), which takes some 10 s of this load to warm.
//   edge_rps_no_function: the same requests with no function on the behavior, for comparison.
// - edge_overhead_us: per request, sequentially, the edge round trip (keep-alive client) for a
//   viewer-request function that generates the response itself (no origin fetch), minus the
//   time of calling that same handler in this process; p50/p99 over 2,000 requests after
//   2,000 of warm-up (the function's fresh worker settles over the first ~2,000).
// - invoke_ms: `edge-install invoke proxy` on the first-party proxy, as a user runs it (a
//   child process; the manifest written by `init --non-interactive` against a sandbox), median
//   of 5. invoke_in_process_ms: the same command through main(argv, io) in this process, with
//   its modules already loaded (one warm-up run), median of 5: what the command itself costs.
// - dev_rebuild_ms: `edge-install dev --json` on a project whose function is ./handler.ts; wall
//   time from rewriting handler.ts to its "installed" event, median of 5 rewrites (each one
//   checked: the next request reaches the origin with the new header). dev_rebuild_install_ms:
//   the `ms` those events carry (the install alone, measured inside dev).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CloudFrontClient, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { deterministicZip } from '../dist/bundle/zip.js';
import { startSandbox } from '../dist/sandbox/index.js';
import { runInProcess, sustain } from './load.js';

const BIN = fileURLToPath(new URL('../bin/edge-install.js', import.meta.url));
const DEMO_ID = 'E1DEMO0EXAMPLE';
const INSTANT = { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 };
const NO_AWS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', EDGE_INSTALL_ENDPOINT_URL: '' };
const ENV = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const NOOP = 'exports.handler = async (e) => e.Records[0].cf.request;';
const GENERATE = "exports.handler = async () => ({ status: '200', body: 'ok' });";
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });

const run = promisify(execFile);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A local origin answering 200 at once; counts requests and remembers the last X-Bench-Version it was sent. */
function startOrigin() {
  const origin = { url: '', requests: 0, lastVersion: undefined };
  const server = createServer((req, res) => {
    origin.requests++;
    origin.lastVersion = req.headers['x-bench-version'];
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok'));
  });
  origin.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(Object.assign(origin, { url: `http://127.0.0.1:${server.address().port}` }))));
}

/** GET `url` on `agent`; resolves with the status once the body is read. */
const get = (url, agent) =>
  new Promise((resolve, reject) => {
    request(url, { agent }, (response) => response.resume().on('end', () => resolve(response.statusCode))).on('error', reject).end();
  });

/** Requests per second through the edge, after a warm-up under the same load; every answer must be 200. */
async function edgeRps(url, seconds = 3, concurrency = 16) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const send = async () => {
    const status = await get(url, agent);
    if (status !== 200) throw new Error(`edge bench: ${url} answered ${status}`);
  };
  try {
    await sustain(send, 2, concurrency);
    return await sustain(send, seconds, concurrency);
  } finally {
    agent.destroy();
  }
}

/** A published version of `code` (index.js, CommonJS), as any client makes one: its qualified ARN. */
async function publish(clients, role, name, code) {
  const zip = await deterministicZip([{ name: 'index.js', data: code }]);
  await clients.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: role, Handler: 'index.handler', Code: { ZipFile: zip }, Timeout: 5, MemorySize: 128 }));
  return (await clients.lambda.send(new PublishVersionCommand({ FunctionName: name }))).FunctionArn;
}

/** `/api/*` with this viewer-request function (none with `arn` undefined), through the real API. */
async function associate(clients, arn) {
  const got = await clients.cloudfront.send(new GetDistributionConfigCommand({ Id: DEMO_ID }));
  const config = got.DistributionConfig;
  const api = config.CacheBehaviors.Items.find((b) => b.PathPattern === '/api/*');
  const items = arn ? [{ LambdaFunctionARN: arn, EventType: 'viewer-request', IncludeBody: false }] : [];
  api.LambdaFunctionAssociations = { Quantity: items.length, Items: items };
  await clients.cloudfront.send(new UpdateDistributionCommand({ Id: DEMO_ID, IfMatch: got.ETag, DistributionConfig: config }));
}

/** How many times the local edge ran `name` (its START lines in CloudWatch Logs, all Regions). */
const invocations = (sandbox, name) =>
  (sandbox.world.data.logs?.groups ?? [])
    .filter((g) => g.name === `/aws/lambda/us-east-1.${name}`)
    .flatMap((g) => g.streams.flatMap((s) => s.events))
    .filter((e) => e.message.startsWith('START RequestId:')).length;

/** Per request: the edge round trip for GENERATE minus calling GENERATE's handler here; µs. */
async function overheadUs(url, requests = 2000, warmup = 2000) {
  const module = { exports: {} };
  new Function('exports', 'module', GENERATE)(module.exports, module);
  const { handler } = module.exports;
  const event = { Records: [{ cf: { config: { distributionId: DEMO_ID, eventType: 'viewer-request' }, request: { uri: '/api/overhead', method: 'GET', querystring: '', headers: {} } } }] };
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  try {
    for (let i = -warmup; i < requests; i++) {
      let started = process.hrtime.bigint();
      const status = await get(url, agent);
      const edge = Number(process.hrtime.bigint() - started) / 1000;
      if (status !== 200) throw new Error(`edge bench: ${url} answered ${status}`);
      started = process.hrtime.bigint();
      await handler(structuredClone(event));
      const direct = Number(process.hrtime.bigint() - started) / 1000;
      if (i >= 0) times.push(edge - direct);
    }
  } finally {
    agent.destroy();
  }
  times.sort((a, b) => a - b);
  return { p50: Math.round(percentile(times, 50)), p99: Math.round(percentile(times, 99)) };
}

async function benchDataPlane() {
  const origin = await startOrigin();
  const sandbox = await startSandbox({ port: 0, seed: 'demo', delays: INSTANT, edge: { origins: { 'api.example.com': origin.url }, region: 'us-east-1' } });
  const config = { region: 'us-east-1', endpoint: sandbox.endpoint, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' } };
  const clients = { cloudfront: new CloudFrontClient(config), lambda: new LambdaClient(config), iam: new IAMClient(config) };
  try {
    const edge = sandbox.edgeUrls()[DEMO_ID];
    const role = (await clients.iam.send(new CreateRoleCommand({ RoleName: 'edge-bench', AssumeRolePolicyDocument: TRUST }))).Role.Arn;
    const withoutFunction = await edgeRps(`${edge}/api/bench`);
    await associate(clients, await publish(clients, role, 'edge-bench-noop', NOOP));
    const noop = await edgeRps(`${edge}/api/bench`);
    if (!invocations(sandbox, 'edge-bench-noop')) throw new Error('edge bench: the no-op function never ran');
    await associate(clients, await publish(clients, role, 'edge-bench-generate', GENERATE));
    const before = origin.requests;
    const overhead = await overheadUs(`${edge}/api/overhead`);
    if (origin.requests !== before) throw new Error(`edge bench: ${origin.requests - before} requests reached the origin past a generated response`);
    return { edge_rps_viewer_request_noop: noop, edge_rps_no_function: withoutFunction, edge_overhead_us: overhead };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
    await sandbox.close();
    await origin.close();
  }
}

/** A first-party proxy project, its manifest written by `init --non-interactive` against a sandbox. */
async function initProject(dir) {
  const sandbox = await startSandbox({ port: 0, seed: 'demo', delays: INSTANT });
  try {
    const args = ['init', '--non-interactive', '--recipe', 'first-party-proxy', '--distribution', DEMO_ID, '--set', 'behaviorPath=fpjs', '--generate-paths', '--secrets-from-env', '--endpoint-url', sandbox.endpoint];
    // Asynchronously: the sandbox runs in this process and must keep answering.
    await run(process.execPath, [BIN, ...args], { cwd: dir, env: { ...ENV, EDGE_INSTALL_SECRET_FPJS_PRE_SHARED_SECRET: 'bench-pre-shared-secret' } });
  } finally {
    await sandbox.close();
  }
  return JSON.parse(readFileSync(join(dir, 'edge-install.json'), 'utf8'));
}

async function invokeMs(dir, runs = 5) {
  const args = [BIN, 'invoke', 'proxy', '--config', join(dir, 'edge-install.json')];
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const { stdout } = await run(process.execPath, args, { cwd: dir, env: { ...ENV, ...NO_AWS } });
    times.push(performance.now() - started);
    if (!stdout.includes('CloudFront would send to https://api.fpjs.io')) throw new Error(`invoke bench: unexpected output ${stdout.slice(0, 300)}`);
  }
  return Math.round(median(times));
}

/** `main(argv, io)` in this process, as test/helpers/cli.ts's runCli runs it. */
async function invokeInProcessMs(dir, runs = 5) {
  const once = async () => {
    const started = performance.now();
    const { code, stdout, stderr } = await runInProcess(['invoke', 'proxy', '--config', join(dir, 'edge-install.json')], { env: { ...ENV, ...NO_AWS }, cwd: dir });
    const ms = performance.now() - started;
    if (code !== 0 || !stdout.includes('CloudFront would send to https://api.fpjs.io')) throw new Error(`invoke bench: exit ${code} ${stderr.slice(0, 300)}`);
    return ms;
  };
  await once();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return round(median(times));
}

const devHandler = (version) => `export const handler = async (event: any) => {
  const request = event.Records[0].cf.request;
  if (event.Records[0].cf.config.eventType === 'origin-response') return event.Records[0].cf.response;
  request.headers['x-bench-version'] = [{ key: 'X-Bench-Version', value: '${version}' }];
  return request;
};
`;

/** Wall ms from rewriting handler.ts to dev's "installed" event, and the event's own ms; medians of `rewrites`. */
async function devRebuildMs(dir, manifest, rewrites = 5) {
  const origin = await startOrigin();
  manifest.functions.proxy.handler = './handler.ts';
  writeFileSync(join(dir, 'edge-install.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'handler.ts'), devHandler(0));
  const args = [BIN, 'dev', '--json', '--port', '0', '--origin', origin.url, '--origin', `fpcdn.io=${origin.url}`, '--config', join(dir, 'edge-install.json')];
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...ENV, ...NO_AWS }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Every JSON event dev prints, and whoever waits for the next one of a kind.
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    let doc;
    try {
      doc = JSON.parse(line);
    } catch {
      return;
    }
    const at = performance.now();
    const index = waiting.findIndex((w) => w.event === doc.event || doc.event === 'error');
    if (index >= 0) waiting.splice(index, 1)[0].resolve({ doc, at });
  });
  const next = (event, ms = 15000) =>
    Promise.race([
      new Promise((resolve) => waiting.push({ event, resolve })),
      exited.then((code) => Promise.reject(new Error(`dev exited ${code} before "${event}": ${stderr.slice(0, 300)}`))),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`dev bench: no "${event}" in ${ms} ms: ${stderr.slice(0, 300)}`)), ms).unref()),
    ]).then(({ doc, at }) => {
      if (doc.event === 'error') throw new Error(`dev bench: ${doc.message}`);
      return { doc, at };
    });
  const agent = new Agent({ keepAlive: false });
  try {
    const { doc: ready } = await next('ready', 30000);
    const wall = [];
    const inside = [];
    for (let version = 1; version <= rewrites; version++) {
      const installed = next('installed');
      const started = performance.now();
      writeFileSync(join(dir, 'handler.ts'), devHandler(version));
      const { doc, at } = await installed;
      wall.push(at - started);
      inside.push(doc.ms);
      // The new code is what serves now (and the next rewrite starts from a settled watcher).
      const status = await get(`${ready.url}/fpjs/agent?apiKey=bench`, agent);
      if (status !== 200 || origin.lastVersion !== String(version)) throw new Error(`dev bench: after rewrite ${version} the origin saw version ${origin.lastVersion} (status ${status})`);
    }
    return { dev_rebuild_ms: Math.round(median(wall)), dev_rebuild_install_ms: Math.round(median(inside)) };
  } finally {
    agent.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await origin.close();
  }
}

async function benchCommands() {
  const invokeDir = mkdtempSync(join(tmpdir(), 'ei-bench-invoke-'));
  const devDir = mkdtempSync(join(tmpdir(), 'ei-bench-dev-'));
  try {
    const manifest = await initProject(invokeDir);
    const invoke_ms = await invokeMs(invokeDir);
    const invoke_in_process_ms = await invokeInProcessMs(invokeDir);
    return { invoke_ms, invoke_in_process_ms, ...(await devRebuildMs(devDir, manifest)) };
  } finally {
    rmSync(invokeDir, { recursive: true, force: true });
    rmSync(devDir, { recursive: true, force: true });
  }
}

/** { edge_rps_viewer_request_noop, edge_rps_no_function, edge_overhead_us: { p50, p99 }, invoke_ms, invoke_in_process_ms, dev_rebuild_ms, dev_rebuild_install_ms } */
export async function benchEdge() {
  return { ...(await benchDataPlane()), ...(await benchCommands()) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchEdge(), null, 2));
