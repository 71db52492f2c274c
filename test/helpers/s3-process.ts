/**
 * The built binary as a child process with its state in S3 (`--state s3://…`), as a second
 * machine would run it: started and left running (a test holds one of its AWS calls and acts
 * meanwhile), or SIGKILLed once a held call is reached — kill.ts's `killAfterCall`, which
 * passes `--state-dir`, with the shared S3 prefix instead.
 */
import { spawn } from 'node:child_process';
import { BIN, type CliRun, type Project } from './cli.js';
import type { TestSandbox } from './sandbox.js';

export interface CliProcess {
  pid: number;
  /** Its exit: the code (null when a signal ended it), the signal, and all it wrote. */
  exited: Promise<CliRun & { signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** The arguments that point a run at the sandbox with its state under the S3 prefix `stateUrl`. */
export const s3StateArgs = (sb: TestSandbox, project: Project, stateUrl: string): string[] => ['--config', project.manifestPath, '--state', stateUrl, '--endpoint-url', sb.endpoint];

/** Starts `edge-install <args>` (the built binary); stdin closed, stdout and stderr collected. */
export function startCliProcess(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    // 'close', not 'exit': the pipes are drained by then.
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  if (child.pid === undefined) throw new Error(`could not start ${BIN}`);
  return { pid: child.pid, exited, kill: (signal) => child.kill(signal) };
}

/**
 * Runs `edge-install <argv>` on the shared prefix and SIGKILLs it once AWS has made the `nth`
 * (0-based) call of `call` — the sandbox runs it and holds its answer, so the process dies
 * without hearing of it; the held answer is then released to nobody. The pid of the dead run.
 */
export async function killAfterCallS3(sb: TestSandbox, project: Project, stateUrl: string, argv: string[], call: { service: string; operation: string }, nth: number): Promise<{ pid: number; stdout: string; stderr: string }> {
  await sb.hold({ operation: call.operation, service: call.service, after: nth, when: 'after' });
  const run = startCliProcess([...argv, ...s3StateArgs(sb, project, stateUrl)]);
  await Promise.race([
    sb.waitUntilHeld(call.operation),
    run.exited.then((r) => {
      throw new Error(`edge-install ${argv.join(' ')} exited ${r.code} before ${call.service}.${call.operation} #${nth + 1}:\n${r.stderr}`);
    }),
  ]);
  run.kill('SIGKILL');
  const dead = await run.exited;
  await sb.admin('DELETE', 'faults'); // releases the held answer: its client is gone
  return { pid: run.pid, stdout: dead.stdout, stderr: dead.stderr };
}
