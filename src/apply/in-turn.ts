/**
 * One target at a time (promote, abort): a failure or an interrupt says exactly which are
 * done, and no other is started after it.
 */
import { interrupted, RuntimeError } from '../errors.js';

export async function inTurn<T extends { primary: { id: string } }, R>(targets: readonly T[], signal: AbortSignal | undefined, verb: string, run: (target: T) => Promise<R>): Promise<R[]> {
  const done: R[] = [];
  const doneIds: string[] = [];
  for (const target of targets) {
    if (signal?.aborted) throw interrupted(signal, `interrupted; ${verb}: ${doneIds.join(', ') || 'none'}`);
    try {
      done.push(await run(target));
      doneIds.push(target.primary.id);
    } catch (error) {
      if (!doneIds.length) throw error;
      throw new RuntimeError(`${(error as Error).message} (already ${verb}: ${doneIds.join(', ')})`, { cause: error });
    }
  }
  return done;
}
