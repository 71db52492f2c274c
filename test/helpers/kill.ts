/**
 * The kill matrices' worst moment: the real binary, killed with SIGKILL once AWS has made the
 * `nth` call of an operation (the sandbox runs it and holds its answer), so the process dies
 * without hearing of the change; then the held answer is released to nobody.
 */
import { spawn } from 'node:child_process';
import { BIN, type Project } from './cli.js';
import type { TestSandbox } from './sandbox.js';

export async function killAfterCall(sb: TestSandbox, project: Project, argv: string[], call: { service: string; operation: string }, nth: number): Promise<void> {
  await sb.hold({ operation: call.operation, service: call.service, after: nth, when: 'after' });
  const child = spawn(process.execPath, [BIN, ...argv, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint], {
    env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await sb.waitUntilHeld(call.operation);
  child.kill('SIGKILL');
  await exited;
  await sb.admin('DELETE', 'faults'); // releases the held answer: its client is gone
}
