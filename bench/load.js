// Load helpers shared by the bench modules.

/** Runs `send` with `concurrency` in flight for `seconds`; resolves with requests per second. */
export async function sustain(send, seconds, concurrency) {
  let done = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await send();
        done++;
      }
    }),
  );
  return Math.round(done / ((performance.now() - started) / 1000));
}

/** `main(argv, io)` of the built CLI in this process, as test/helpers/cli.ts's runCli runs it: its output and exit code. */
export async function runInProcess(args, { env, cwd = process.cwd() }) {
  const { main } = await import('../dist/cli/program.js');
  const { EventEmitter } = await import('node:events');
  const { Readable } = await import('node:stream');
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text) => (stdout += text), isTTY: false },
    stderr: { write: (text) => (stderr += text), isTTY: false },
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env,
    cwd,
    signals: new EventEmitter(),
  };
  const code = await main(['node', 'edge-install', ...args], io);
  return { code, stdout, stderr };
}
