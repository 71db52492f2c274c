import type { CliContext } from './context.js';

/**
 * Ctrl-C while a command writes: the write in flight finishes (and is recorded), no new one
 * starts, and the command then exits 130. Without this, Node's default would kill the process
 * between a distribution write and its revision, leaving `rollback` and `status` a record that
 * does not match what is live.
 */
export async function guardInterrupts<T>(ctx: CliContext, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  const onSigint = () => {
    if (!interrupt.signal.aborted) ctx.err('Interrupted: finishing the current step, then stopping…');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(interrupt.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
