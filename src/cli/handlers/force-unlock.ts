/** `edge-install force-unlock <lock-id>`: removes the lock, after checking it is the one named. */
import type { CommandContext } from '../context.js';

export interface ForceUnlockFlags {
  lockId: string;
}

export async function forceUnlock(ctx: CommandContext<ForceUnlockFlags>): Promise<void> {
  const { manifest } = await ctx.loadManifest();
  const holder = await ctx.state.forceUnlock(manifest.name, ctx.flags.lockId);
  ctx.err(`Removed the lock ${holder.id} of ${manifest.name} (${holder.user}@${holder.host}, pid ${holder.pid}, \`${holder.command}\` since ${holder.startedAt}).`);
  if (ctx.global.json) ctx.json({ version: 1, integration: manifest.name, unlocked: holder });
}
