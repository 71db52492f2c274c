// `edge-install logs` (issue 15), on the BUILT code:
//
// - logs_13_regions_ms: `edge-install logs --since 1h` as a user runs it (a child process:
//   Node's start, the CLI, the CloudWatch Logs client), against a sandbox whose CloudWatch Logs
//   holds 1,000 events — 250 Lambda@Edge invocations (START, a console line, END, REPORT)
//   spread over 4 Regions, within the last hour — and nothing in the 9 other regional edge
//   cache Regions. Median of 3. The floor is one round of parallel calls: 13 DescribeLogGroups,
//   then 4 FilterLogEvents.
// - logs_13_regions_in_process_ms: the same command through main(argv, io) in this process,
//   its modules already loaded (one warm-up run), median of 5: what the command itself costs.
//
// Each run is checked: 500 lines (250 console lines, 250 folded invocations) and
// "found logs in 4" on stderr.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadRecipe } from '../dist/manifest/recipe-files.js';
import { expandRecipe, resolveAnswers } from '../dist/manifest/recipes.js';
import { startSandbox } from '../dist/sandbox/index.js';
import { runInProcess } from './load.js';
import { appendLogEvents } from '../dist/sandbox/logs/groups.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const BIN = fileURLToPath(new URL('../bin/edge-install.js', import.meta.url));
const DEMO_ID = 'E1DEMO0EXAMPLE';
const ENV = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', EDGE_INSTALL_ENDPOINT_URL: '' };
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1'];
const INVOCATIONS = 250; // × 4 events = 1,000
const GROUP = '/aws/lambda/us-east-1.fp-proxy-proxy';

const run = promisify(execFile);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const hex = (n, length) => n.toString(16).padStart(length, '0');

/** 1,000 events as the local edge writes them: per invocation START, an INFO line, END, REPORT; one stream per Region. */
function fill(world) {
  const now = Date.now();
  for (let r = 0; r < REGIONS.length; r++) {
    const region = REGIONS[r];
    const events = [];
    for (let i = r; i < INVOCATIONS; i += REGIONS.length) {
      const timestamp = now - 50 * 60_000 + i * 10_000;
      const id = `${hex(i, 8)}-0000-4000-8000-${hex(r, 12)}`;
      events.push(
        { timestamp, message: `START RequestId: ${id} Version: 1\n` },
        { timestamp, message: `${new Date(timestamp).toISOString()}\t${id}\tINFO\tproxied /fpjs/agent ${i}\n` },
        { timestamp: timestamp + 2, message: `END RequestId: ${id}\n` },
        { timestamp: timestamp + 2, message: `REPORT RequestId: ${id}\tDuration: 1.84 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 68 MB\t\n` },
      );
    }
    appendLogEvents(world, { region, group: GROUP, stream: `2026/01/01/[1]${hex(r, 32)}`, events });
  }
}

function check(stdout, stderr) {
  const lines = stdout.trimEnd().split('\n');
  if (lines.length !== 2 * INVOCATIONS || !stderr.includes('searched 13 regions, found logs in 4')) {
    throw new Error(`logs bench: ${lines.length} lines, stderr ${stderr.slice(0, 300)}`);
  }
}

/** `edge-install logs --since 1h` as a child process; ms, median of `runs`. */
async function childMs(args, runs = 3) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    // Asynchronously: the sandbox runs in this process and must keep answering.
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: ENV, maxBuffer: 16 * 1024 * 1024 });
    times.push(performance.now() - started);
    check(stdout, stderr);
  }
  return Math.round(median(times));
}

/** The same through main(argv, io), after one warm-up; ms, median of `runs`. */
async function inProcessMs(args, runs = 5) {
  const once = async () => {
    const started = performance.now();
    const { code, stdout, stderr } = await runInProcess(args, { env: ENV });
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`logs bench: exit ${code} ${stderr.slice(0, 300)}`);
    check(stdout, stderr);
    return ms;
  };
  await once();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return round(median(times));
}

/** { logs_13_regions_ms, logs_13_regions_in_process_ms } */
export async function benchLogs() {
  const dir = mkdtempSync(join(tmpdir(), 'ei-bench-logs-'));
  const sandbox = await startSandbox({ port: 0, seed: 'demo', delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 } });
  try {
    const recipe = loadRecipe('first-party-proxy');
    const resolved = resolveAnswers(recipe, { behaviorPath: 'fpjs', agentDownloadPath: 'agent', getResultPath: 'result' }, (n) => Buffer.alloc(n, 7));
    const manifestPath = join(dir, 'edge-install.json');
    writeFileSync(manifestPath, JSON.stringify(expandRecipe(recipe, resolved.answers, [DEMO_ID]), null, 2));
    fill(sandbox.world);
    const args = ['logs', '--since', '1h', '--endpoint-url', sandbox.endpoint, '--config', manifestPath];
    return { logs_13_regions_ms: await childMs(args), logs_13_regions_in_process_ms: await inProcessMs(args) };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchLogs(), null, 2));
