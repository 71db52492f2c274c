import type { CommandContext } from './context.js';

/**
 * Runs `work` holding the integration's lock (in its state store, src/state/store.ts): one run
 * per integration at a time. Taken before anything is read for the plan and released however
 * the run ends; a state dir that cannot take the lock stops the run before any AWS write.
 */
export async function withLock<T>(ctx: CommandContext, integration: string, command: string, work: () => Promise<T>): Promise<T> {
  const lock = await ctx.state.acquireLock(integration, `edge-install ${command}`);
  if (lock.notice) ctx.err(`! ${lock.notice}`);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
