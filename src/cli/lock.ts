import type { Manifest } from '../manifest/schema.js';
import type { CommandContext } from './context.js';

/**
 * Runs `work` holding the integration's lock (in its state store, src/state/store.ts): one run
 * per integration at a time. Taken before anything is read for the plan and released however
 * the run ends; a state dir that cannot take the lock stops the run before any AWS write.
 */
export async function withLock<T>(ctx: CommandContext, manifest: Manifest, command: string, work: () => Promise<T>): Promise<T> {
  const { store, chosenBy, manifestNames } = await ctx.stateChoice(manifest);
  // A flag overrode the team's state: said, since this run neither takes that lock nor adds to that history.
  if (manifestNames && manifestNames !== store.location) ctx.err(`! the manifest keeps the state in ${manifestNames}; this run uses ${store.location} (${chosenBy}): it does not take that lock, and its revisions stay out of that history`);
  const lock = await store.acquireLock(manifest.name, `edge-install ${command}`);
  if (lock.notice) ctx.err(`! ${lock.notice}`);
  try {
    return await work();
  } finally {
    const left = await lock.release();
    if (left) ctx.err(`! ${left}`);
  }
}
