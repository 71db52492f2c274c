/**
 * `edge-install gc`: delete the integration's versions and functions that no distribution in
 * the account uses. Versions CloudFront still has replicas of are reported as waiting (exit 0);
 * run gc again later. `--dry-run` lists what would be deleted. Deleting asks first, as detach
 * does (--yes in CI): a deleted version cannot be re-attached by `rollback`.
 */
import type { Command } from 'commander';
import type { GcFlags } from '../commands/gc.js';
import { applyGc, prepareGc, type GcOutcome, type PreparedGc } from '../../apply/gc.js';
import { formatDuration, parseDuration } from '../../plan/duration.js';
import { approve } from '../approve.js';
import { contextFor, type CliContext } from '../context.js';
import { RuntimeError, UsageError } from '../errors.js';
import { colors } from '../render/colors.js';

const resourceText = (resource: string): string => resource.replace(':', ' ');

function renderPrepared(ctx: CliContext, prepared: PreparedGc, dryRun: boolean, minAgeMs: number): void {
  const c = colors(ctx.color);
  const lines = [c.bold(`edge-install gc: ${prepared.integration}${minAgeMs ? ` (min age ${formatDuration(minAgeMs)})` : ''}`)];
  if (prepared.targets.length) {
    lines.push(dryRun ? 'Would delete (where the replicas are gone):' : 'To delete:');
    for (const t of prepared.targets) lines.push(`  ${c.red('-')} ${resourceText(t.resource)}`);
  } else lines.push(c.green('Nothing to delete.'));
  if (prepared.kept.length) {
    lines.push('Kept:');
    for (const k of prepared.kept) lines.push(`  ${resourceText(k.resource)}: ${k.reason}`);
  }
  ctx.out(lines.join('\n'));
}

function renderOutcome(ctx: CliContext, outcome: GcOutcome): void {
  if (outcome.deleted.length) ctx.err(`Deleted: ${outcome.deleted.map(resourceText).join(', ')}`);
  for (const w of outcome.waiting) ctx.err(`Waiting: ${resourceText(w.resource)}: ${w.reason}`);
  for (const f of outcome.failed) ctx.err(`✗ ${resourceText(f.resource)}: ${f.reason}`);
}

export async function runGc(flags: GcFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  const minAgeMs = parseDuration(flags.minAge);
  if (minAgeMs === undefined) throw new UsageError(`--min-age must be a duration such as 30m, 2h or 7d (a whole number and one of s, m, h, d, w; or 0), not '${flags.minAge}'.`);
  try {
    const loaded = await ctx.loadManifest();
    const clients = await ctx.clients();
    const prepared = await prepareGc(clients, loaded.manifest, { stateDir: ctx.stateDir, minAgeMs });
    renderPrepared(ctx, prepared, !!flags.dryRun, minAgeMs);
    if (flags.dryRun) {
      if (ctx.flags.json) {
        ctx.json({ version: 1, integration: prepared.integration, dryRun: true, wouldDelete: prepared.targets.map((t) => t.resource), deleted: [], waiting: [], kept: prepared.kept, failed: [] });
      }
      return;
    }
    const count = prepared.targets.length;
    if (count && !(await approve(ctx, 'gc', `Delete ${count === 1 ? 'this' : `these ${count}`}?`, ' (or --dry-run to only list)'))) return;
    const outcome = await applyGc(clients, prepared);
    renderOutcome(ctx, outcome);
    if (ctx.flags.json) ctx.json({ version: 1, integration: prepared.integration, dryRun: false, deleted: outcome.deleted, waiting: outcome.waiting, kept: prepared.kept, failed: outcome.failed });
    if (outcome.failed.length) throw new RuntimeError(`${outcome.failed.length} deletion(s) failed (${outcome.failed.map((f) => resourceText(f.resource)).join(', ')}); gc is safe to run again.`);
  } finally {
    ctx.close();
  }
}
