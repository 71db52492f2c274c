/**
 * Where a run of the CLI reads and writes: stdout, stderr, stdin, the environment, the working
 * directory and the signals that interrupt it. `main(argv, io)` takes one, so the CLI runs in
 * a process of its own (bin/, processIo) or inside another program — the demo, and the tests,
 * which capture what it prints and interrupt it without real signals.
 */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export type InputStream = NodeJS.ReadableStream & { isTTY?: boolean };

/** A process, or a stand-in that emits 'SIGINT' / 'SIGTERM' / 'SIGHUP' when a test says so. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  env: NodeJS.ProcessEnv;
  /** Relative paths (--config, --state-dir, --out, …) are relative to this. */
  cwd: string;
  signals: SignalSource;
}

