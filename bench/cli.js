// CLI goals: how fast `edge-install --version` and `--help` start (the AWS SDK, esbuild and
// prompts are loaded only by the commands that need them), and how long the whole demo takes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BIN = fileURLToPath(new URL('../bin/edge-install.js', import.meta.url));
const run = promisify(execFile);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function benchCli() {
  return {
    startup_ms: Math.round(await timed(['--version'], 11)),
    help_ms: Math.round(await timed(['--help'], 11)),
    demo_s: Math.round((await timed(['demo'], 1)) / 100) / 10,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchCli()));
