/**
 * `edge-install detach`: plan (read only), show, confirm, then one ETag-pinned
 * UpdateDistribution per distribution, wait until Deployed, record a revision that owns
 * nothing, and delete the integration's resources if no distribution uses it any more.
 */
import type { Command } from 'commander';
import type { DetachFlags } from '../commands/detach.js';
import { distributionIdsFor } from '../../apply/attach.js';
import {
  applyDetach,
  detachDocument,
  hasDetachWork,
  prepareDetach,
  SECRET_RECOVERY_DAYS,
  stillUsedReason,
  type DetachEvent,
  type DetachResult,
  type PreparedDetach,
} from '../../apply/detach.js';
import { approve } from '../approve.js';
import { elapsedTicker } from '../elapsed.js';
import { guardInterrupts } from '../interrupt.js';
import { contextFor, wholeNumber, type CliContext } from '../context.js';
import { errorLine, InterruptedError, RuntimeError } from '../errors.js';
import { colors } from '../render/colors.js';
import { renderPlanText } from '../render/plan-text.js';

/** CloudFront takes minutes to deploy; the same generous limit as attach's default. */
const WAIT_SECONDS = 35 * 60;

/** `function:fp-proxy-proxy` → `function fp-proxy-proxy`. */
export const resourceText = (resource: string): string => resource.replace(':', ' ');

/** Progress on stderr; deletions are reported once, in the summary. */
function describeEvent(event: DetachEvent): string | undefined {
  switch (event.type) {
    case 'written':
      return `${event.id}: updated (ETag ${event.etag}).`;
    case 'waiting':
      return `${event.id}: waiting until Deployed…`;
    case 'deployed':
      return `${event.id}: Deployed.`;
    default:
      return undefined;
  }
}

/** Elapsed time on stderr every 30 s while waiting, so a long deployment visibly progresses. */
function planText(prepared: PreparedDetach, color: boolean): string {
  const c = colors(color);
  const lines: string[] = [];
  if (hasDetachWork(prepared)) lines.push(renderPlanText(detachDocument(prepared), { color }).trimEnd());
  else {
    lines.push(c.bold(`Integration ${prepared.integration}`));
    lines.push(c.green(`Nothing to detach: ${prepared.distributions.map((d) => d.observed.id).join(', ')} carries nothing of ${prepared.integration}, and nothing of it is left to delete.`));
  }
  const kept = prepared.resources.filter((r) => r.keep);
  if (kept.length) {
    lines.push('', c.bold('Kept'));
    for (const r of kept) lines.push(`  ${resourceText(r.resource)}: ${r.keep}`);
  } else if (prepared.stillUsedBy.size) {
    lines.push('', `${c.yellow('!')} ${stillUsedReason(prepared.stillUsedBy)}`);
  }
  if (prepared.resources.some((r) => r.kind === 'function' && !r.keep)) {
    lines.push('', c.dim('Functions CloudFront has replicated cannot be deleted until their replicas are gone (hours after detaching): those are reported as waiting; `edge-install gc` finishes them later.'));
  }
  if (prepared.resources.some((r) => r.kind === 'secret' && !r.keep)) {
    lines.push(c.dim(`The secret is scheduled for deletion with a ${SECRET_RECOVERY_DAYS}-day recovery window, not deleted at once.`));
  }
  return `${lines.join('\n')}\n`;
}

function resultDocument(prepared: PreparedDetach, result: DetachResult) {
  const resources = result.resources;
  return {
    version: 1,
    integration: prepared.integration,
    distributions: result.distributions.map((d) => ({
      id: d.id,
      etag: d.etag ?? null,
      status: d.ok ? (d.status ?? null) : 'Failed',
      ...(d.revision ? { revision: d.revision } : {}),
      ...(d.error ? { error: errorLine(d.error) } : {}),
    })),
    deleted: resources?.deleted ?? [],
    waiting: resources?.waiting ?? [],
    kept: resources?.kept ?? prepared.resources.map((r) => ({ resource: r.resource, reason: r.keep ?? 'not deleted: a distribution failed to detach' })),
    failed: resources?.failed ?? [],
    secret: resources?.secret ?? null,
  };
}

function reportResult(ctx: CliContext, result: DetachResult): void {
  for (const d of result.distributions) {
    ctx.err(d.ok ? `✓ ${d.id}: ${d.written ? `detached${d.revision ? `, revision ${d.revision}` : ''}` : 'nothing of the integration on it'}` : `✗ ${d.id}: ${errorLine(d.error)}`);
  }
  const r = result.resources;
  if (!r) {
    ctx.err('No resource was deleted: a distribution failed to detach. Fix that, then run detach again.');
    return;
  }
  const deletedText = (resource: string) => (resource.startsWith('secret:') ? `${resourceText(resource)} (scheduled for deletion)` : resourceText(resource));
  if (r.deleted.length) ctx.err(`Deleted: ${r.deleted.map(deletedText).join(', ')}`);
  for (const w of r.waiting) ctx.err(`Waiting: ${resourceText(w.resource)}: ${w.reason}`);
  for (const k of r.kept) ctx.err(`Kept: ${resourceText(k.resource)}: ${k.reason}`);
  for (const f of r.failed) ctx.err(`✗ ${resourceText(f.resource)}: ${f.reason}`);
  if (r.secret) {
    const when = r.secret.deletionDate ? ` on ${r.secret.deletionDate}` : '';
    ctx.err(`The secret ${r.secret.name} is scheduled for deletion${when}; until then it can be restored with: ${r.secret.restore}`);
    if (r.secret.removedReplicaRegions.length) ctx.err(`  Its replicas in ${r.secret.removedReplicaRegions.join(', ')} were removed first (Secrets Manager requires it); attach adds them back.`);
  }
}

export async function runDetach(flags: DetachFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  const concurrency = wholeNumber(flags.concurrency, '--concurrency', 1, 32);
  try {
    const loaded = await ctx.loadManifest();
    const ids = distributionIdsFor(loaded, flags.distribution);
    const clients = await ctx.clients();
    const prepared = await prepareDetach(clients, loaded, { distributionIds: ids, stateDir: ctx.stateDir, keepFunctions: !!flags.keepFunctions, concurrency });
    if (flags.dryRun && ctx.flags.json) ctx.json(detachDocument(prepared));
    else ctx.out(planText(prepared, ctx.color));
    const blocked = prepared.distributions.flatMap((d) => d.plan.conflicts);
    if (blocked.length) throw new RuntimeError(`nothing was written: ${blocked.join('; ')}`);
    if (flags.dryRun) return;
    if (!hasDetachWork(prepared)) {
      if (ctx.flags.json) {
        ctx.json(resultDocument(prepared, { distributions: prepared.distributions.map((d) => ({ id: d.observed.id, ok: true, written: false, etag: d.observed.etag, status: d.observed.status })), resources: { deleted: [], waiting: [], failed: [], kept: prepared.resources.map((r) => ({ resource: r.resource, reason: r.keep! })) } }));
      }
      return;
    }
    if (!(await approve(ctx, 'detach', 'Detach and delete these resources?'))) return;
    const stop = elapsedTicker(ctx);
    let result: DetachResult;
    let interrupted = false;
    try {
      result = await guardInterrupts(ctx, async (signal) => {
        const done = await applyDetach(clients, prepared, {
          waitTimeoutSeconds: WAIT_SECONDS,
          // The sandbox deploys in seconds; CloudFront takes minutes, so poll it gently.
          pollSeconds: ctx.endpointUrl ? 1 : 15,
          signal,
          onEvent: (event) => {
            const text = describeEvent(event);
            if (text) ctx.err(text);
          },
        });
        interrupted = signal.aborted;
        return done;
      });
    } finally {
      stop();
    }
    reportResult(ctx, result);
    if (ctx.flags.json) ctx.json(resultDocument(prepared, result));
    if (interrupted) {
      throw new InterruptedError(
        result.resources
          ? 'interrupted, after detach had done its work (see above)'
          : 'interrupted: what was written is recorded, no resource was deleted; run detach again to finish',
      );
    }
    const failed = result.distributions.filter((d) => !d.ok);
    if (failed.length) {
      throw new RuntimeError(`${failed.length} of ${result.distributions.length} distributions did not finish detaching (${failed.map((d) => d.id).join(', ')}); no resource was deleted.`);
    }
    if (result.resources?.failed.length) {
      throw new RuntimeError(`the distributions are detached, but ${result.resources.failed.length} resource(s) could not be deleted (${result.resources.failed.map((f) => resourceText(f.resource)).join(', ')}); run detach again to retry.`);
    }
  } finally {
    ctx.close();
  }
}
