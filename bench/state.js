// State in S3 (issue 17): what keeping the state in S3 adds to a run. The same no-op
// `attach --yes` (the integration already attached, nothing changes) is run as a user runs it,
// against the sandbox, once with a local --state-dir and once with --state s3://…, alternately,
// and the medians compared. Also records the S3 calls one such run makes (the sandbox's call
// log). Uses the BUILT code.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSandbox } from '../dist/sandbox/index.js';
import { median, project } from './attach.js';

const BIN = fileURLToPath(new URL('../bin/edge-install.js', import.meta.url));
/** The demo seed's empty bucket (src/sandbox/seeds/demo.ts). */
const STATE_URL = 's3://edge-install-demo-state/bench';

/** `PutObject,ListObjectsV2,GetObject×2,…`: each call's operation (and its status when not 2xx), repeats folded. */
function callList(calls) {
  const names = calls.map((c) => (c.status >= 300 ? `${c.operation} ${c.status}` : c.operation));
  const folded = [];
  for (const name of names) {
    const last = folded[folded.length - 1];
    if (last && last.name === name) last.count++;
    else folded.push({ name, count: 1 });
  }
  return folded.map((f) => (f.count > 1 ? `${f.name}×${f.count}` : f.name)).join(',');
}

export async function benchState(runs = 11) {
  const sandbox = await startSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 } });
  const [id] = sandbox.distributionIds;
  const dir = project(id);
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
  // Asynchronously: the sandbox runs in this process and must keep answering.
  const cli = (...args) => promisify(execFile)(process.execPath, [BIN, ...args, '--endpoint-url', sandbox.endpoint], { cwd: dir, env });
  const local = ['--state-dir', join(dir, 'local-state')];
  const s3 = ['--state', STATE_URL];
  const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: sandbox.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'bench' }) }));
  secrets.destroy();
  try {
    // The first attach records revision 1 in the state dir; S3 gets the same history, so both
    // no-op runs read one revision.
    await cli('attach', '--yes', ...local);
    await cli('state', 'push', '--to', STATE_URL, ...local);

    // One no-op run with S3 state, alone in the call log: the calls it makes.
    await fetch(`${sandbox.endpoint}/_sandbox/calls`, { method: 'DELETE' });
    await cli('attach', '--yes', ...s3);
    const calls = (await (await fetch(`${sandbox.endpoint}/_sandbox/calls`)).json()).filter((c) => c.service === 's3');

    // Alternately, so that drift on this machine (JIT, page cache, other load) hits both alike.
    await cli('attach', '--yes', ...local); // warm-up
    const times = { local: [], s3: [] };
    for (let i = 0; i < runs; i++) {
      for (const [name, flags] of i % 2 ? [['s3', s3], ['local', local]] : [['local', local], ['s3', s3]]) {
        const started = performance.now();
        await cli('attach', '--yes', ...flags);
        times[name].push(performance.now() - started);
      }
    }
    const localMs = median(times.local);
    const s3Ms = median(times.s3);
    return {
      noop_attach_local_state_ms: Math.round(localMs),
      noop_attach_s3_state_ms: Math.round(s3Ms),
      state_s3_overhead_ms: Math.round(s3Ms - localMs),
      state_s3_calls: callList(calls),
      state_s3_mutating_calls: calls.filter((c) => c.mutating).length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchState()));
