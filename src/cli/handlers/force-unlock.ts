/** `edge-install force-unlock <lock-id>`: removes the lock, after checking it is the one named. */
import { describeHolder } from '../../state/lock-holder.js';
import type { CommandContext } from '../context.js';

export interface ForceUnlockFlags {
  lockId: string;
}

export async function forceUnlock(ctx: CommandContext<ForceUnlockFlags>): Promise<void> {
  const { manifest } = await ctx.loadManifest();
  const state = await ctx.state(manifest);
  const holder = await state.forceUnlock(manifest.name, ctx.flags.lockId);
  ctx.err(`Removed the lock ${holder.id} of ${manifest.name} in ${state.location} (${describeHolder(holder)}).`);
  if (ctx.global.json) ctx.json({ version: 1, integration: manifest.name, state: state.location, unlocked: holder });
}
