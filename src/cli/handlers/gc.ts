/**
 * `edge-install gc`: gather → assemble (what no distribution uses any more) → render the plan
 * → approve (as detach does; --yes in CI: a deleted version cannot be re-attached by
 * `rollback`) → delete → report. Versions CloudFront still has replicas of are reported as
 * waiting (exit 0); run gc again later.
 */
import { applyGc } from '../../apply/gc.js';
import { RuntimeError, UsageError } from '../../errors.js';
import { gatherGc } from '../../gather/gc.js';
import type { Manifest } from '../../manifest/schema.js';
import { resourceText } from '../../plan/addresses.js';
import { planDocument } from '../../plan/document.js';
import { parseDuration } from '../../plan/duration.js';
import { assembleGc } from '../../plan/gc.js';
import { approve } from '../approve.js';
import type { CommandContext } from '../context.js';
import { withLock } from '../lock.js';
import { renderPlanText } from '../render/plan-text.js';
import { gcDocument, gcLines } from '../render/results.js';

export interface GcFlags {
  dryRun?: boolean;
  minAge: string;
}

export async function gc(ctx: CommandContext<GcFlags>): Promise<void> {
  const { flags } = ctx;
  const minAgeMs = parseDuration(flags.minAge);
  if (minAgeMs === undefined) throw new UsageError(`--min-age must be a duration such as 30m, 2h or 7d (a whole number and one of s, m, h, d, w; or 0), not '${flags.minAge}'.`);
  const { manifest } = await ctx.loadManifest();
  return flags.dryRun ? gcWith(ctx, manifest, minAgeMs) : withLock(ctx, manifest, 'gc', () => gcWith(ctx, manifest, minAgeMs));
}

async function gcWith(ctx: CommandContext<GcFlags>, manifest: Manifest, minAgeMs: number): Promise<void> {
  const { flags } = ctx;
  const clients = await ctx.clients();
  const planned = assembleGc(await gatherGc(clients, manifest, { state: await ctx.state(manifest) }), { minAgeMs, now: Date.now() });
  const document = planDocument(planned);
  if (flags.dryRun && ctx.global.json) ctx.json(document);
  else ctx.out(renderPlanText(document, { color: ctx.color, nothing: 'Nothing to delete.' }));
  if (flags.dryRun) return;
  const count = planned.targets.length;
  if (count && !(await approve(ctx, 'gc', `Delete ${count === 1 ? 'this' : `these ${count}`}?`, ' (or --dry-run to only list)'))) return;
  const outcome = await applyGc(clients, planned);
  for (const line of gcLines(outcome)) ctx.err(line);
  if (ctx.global.json) ctx.json(gcDocument(planned.integration, outcome, planned.kept));
  if (outcome.failed.length) throw new RuntimeError(`${outcome.failed.length} deletion(s) failed (${outcome.failed.map((f) => resourceText(f.resource)).join(', ')}); gc is safe to run again.`);
}
