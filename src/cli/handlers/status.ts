/**
 * `edge-install status`: gather → assemble → render. Exit 0 when it could report; with
 * --detailed-exitcode, 3 when not in sync (commands/status.ts says why). Works without a state
 * dir, from the ownership markers alone.
 */
import { gatherStatus } from '../../gather/status.js';
import { assembleStatus } from '../../plan/status.js';
import type { CommandContext } from '../context.js';
import { renderStatusText, statusDocument } from '../render/status-text.js';
import { metricsDocument, renderMetricsText } from '../render/metrics-text.js';
import type { AwsClients } from '../../aws/clients.js';
import { REGIONAL_EDGE_CACHE_REGIONS } from '../../aws/regions.js';
import { UsageError } from '../../errors.js';
import { functionName } from '../../manifest/naming.js';
import type { Manifest } from '../../manifest/schema.js';
import { parseDuration } from '../../plan/duration.js';

export interface StatusFlags {
  distribution: string[];
  detailedExitcode?: boolean;
  metrics?: boolean;
  since: string;
}

export async function status(ctx: CommandContext<StatusFlags>): Promise<number> {
  const sinceMs = parseDuration(ctx.flags.since);
  if (sinceMs === undefined || sinceMs < 60_000 || sinceMs > 15 * 86_400_000) throw new UsageError(`--since ${ctx.flags.since} is not a window such as 15m, 1h or 3d (1m to 15d: CloudWatch keeps one-minute points for 15 days).`);
  const { manifest } = await ctx.loadManifest();
  const clients = await ctx.clients();
  const distributionIds = ctx.distributionIds(manifest, ctx.flags.distribution);
  const choice = await ctx.stateChoice(manifest);
  const state = { location: choice.store.location, chosenBy: choice.chosenBy, ...(choice.manifestNames ? { manifestNames: choice.manifestNames } : {}) };
  const inputs = await gatherStatus(clients, manifest, { distributionIds, state: choice.store });
  const report = assembleStatus(inputs);
  // A running canary's staging copy is measured too (its own DistributionId), beside its primary.
  const canaries = report.distributions.flatMap((d) => (d.canary?.running ? [{ primaryId: d.id, stagingId: d.canary.stagingId }] : []));
  const metrics = ctx.flags.metrics ? await readMetrics(clients, manifest, [...distributionIds, ...canaries.map((k) => k.stagingId)], sinceMs) : undefined;
  if (ctx.global.json) ctx.json(metrics ? { ...(statusDocument(report, state) as object), metrics: metricsDocument(metrics) } : statusDocument(report, state));
  else {
    ctx.out(renderStatusText(report, ctx.color, state));
    if (metrics) ctx.out(`\n${renderMetricsText(metrics, { color: ctx.color, sparklines: !!ctx.io.stdout.isTTY, canaries })}`);
  }
  return ctx.flags.detailedExitcode && !report.inSync ? 3 : 0;
}

/** The last `sinceMs`, ending now, in at most 60 points (a period of a whole number of minutes). */
async function readMetrics(clients: AwsClients, manifest: Manifest, distributionIds: string[], sinceMs: number) {
  const { observeEdgeMetrics } = await import('../../aws/observe/metrics.js');
  // Whole minutes, as CloudWatch stores them: no period split at the window's edges.
  const end = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  const periodSeconds = Math.max(60, Math.ceil(sinceMs / 60 / 60_000) * 60);
  return observeEdgeMetrics(clients, {
    distributionIds,
    functionNames: Object.keys(manifest.functions).map((key) => functionName(manifest.name, key)),
    regions: [...REGIONAL_EDGE_CACHE_REGIONS],
    window: { start: new Date(end.getTime() - sinceMs), end, periodSeconds },
  });
}
