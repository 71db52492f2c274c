/**
 * `edge-install status`: gather → assemble → render. Exit 0 in sync, 3 not. Works without a
 * state dir, from the ownership markers alone.
 */
import { gatherStatus } from '../../gather/status.js';
import { assembleStatus } from '../../plan/status.js';
import type { CommandContext } from '../context.js';
import { renderStatusText, statusDocument } from '../render/status-text.js';

export interface StatusFlags {
  distribution: string[];
}

export async function status(ctx: CommandContext<StatusFlags>): Promise<number> {
  const { manifest } = await ctx.loadManifest();
  const inputs = await gatherStatus(await ctx.clients(), manifest, { distributionIds: ctx.distributionIds(manifest, ctx.flags.distribution), stateDir: ctx.stateDir });
  const report = assembleStatus(inputs);
  if (ctx.global.json) ctx.json(statusDocument(report));
  else ctx.out(renderStatusText(report, ctx.color));
  return report.inSync ? 0 : 3;
}
