import type { InterruptSignal } from '../errors.js';
import type { CliIo } from './io.js';

/**
 * The one interrupt mechanism. While `work` writes, SIGINT (Ctrl-C), SIGTERM (`timeout`,
 * `docker stop`, a cancelled CI job) and SIGHUP (a closed terminal or SSH session) abort its
 * signal with the signal's name: the step in flight finishes (and is recorded, or undone), no
 * new one starts, and the command then exits 130, 143 or 129. Without this, Node's default would kill the process between a distribution write
 * and its revision, leaving `rollback` and `status` a record that does not match what is live.
 */
export async function guardInterrupts<T>(io: CliIo, say: (text: string) => void, work: (signal: AbortSignal) => Promise<T>, what = 'finishing the current step, then stopping'): Promise<T> {
  const interrupt = new AbortController();
  const listeners = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((name: InterruptSignal) => {
    const listener = () => {
      if (!interrupt.signal.aborted) say(`Interrupted: ${what}…`);
      interrupt.abort(name);
    };
    io.signals.on(name, listener);
    return [name, listener] as const;
  });
  try {
    return await work(interrupt.signal);
  } finally {
    for (const [name, listener] of listeners) io.signals.off(name, listener);
  }
}
