/**
 * `edge-install detach`: gather → assemble (every owned part out, what to delete, what to
 * keep) → render the plan → approve → apply (one ETag-pinned UpdateDistribution per
 * distribution, wait, revision; then the deletions, if nothing uses the integration any more)
 * → report.
 */
import { applyDetach } from '../../apply/detach.js';
import { persistRecovery } from '../../apply/record.js';
import type { Manifest } from '../../manifest/schema.js';
import { InterruptedError, interruptSignalOf, RuntimeError } from '../../errors.js';
import { gatherDetach } from '../../gather/detach.js';
import { resourceText } from '../../plan/addresses.js';
import { assembleDetach } from '../../plan/detach.js';
import { planDocument } from '../../plan/document.js';
import { approve } from '../approve.js';
import type { CommandContext } from '../context.js';
import { withLock } from '../lock.js';
import { blockedError } from '../blocked.js';
import { DEFAULT_WAIT_SECONDS, wholeNumber } from '../define-command.js';
import { progress } from '../progress.js';
import { renderPlanText } from '../render/plan-text.js';
import { ownedPolicyNames } from '../render/policy-names.js';
import { detachDocument, distributionLines, resourceLines } from '../render/results.js';

export interface DetachFlags {
  distribution: string[];
  dryRun?: boolean;
  keepFunctions?: boolean;
  concurrency: string;
}

export async function detach(ctx: CommandContext<DetachFlags>): Promise<void> {
  const { flags } = ctx;
  const concurrency = wholeNumber(flags.concurrency, '--concurrency', 1, 32);
  const { manifest } = await ctx.loadManifest();
  return flags.dryRun ? detachWith(ctx, manifest, concurrency) : withLock(ctx, manifest, 'detach', () => detachWith(ctx, manifest, concurrency));
}

async function detachWith(ctx: CommandContext<DetachFlags>, manifest: Manifest, concurrency: number): Promise<void> {
  const { flags } = ctx;
  const clients = await ctx.clients();
  const inputs = await gatherDetach(clients, manifest, { distributionIds: ctx.distributionIds(manifest, flags.distribution), state: await ctx.state(manifest) });
  if (!flags.dryRun) await persistRecovery(await ctx.state(manifest), manifest.name, inputs.recovery);
  const planned = assembleDetach(inputs, { keepFunctions: !!flags.keepFunctions });
  const document = planDocument(planned);
  if (flags.dryRun && ctx.global.json) ctx.json(document);
  else ctx.out(renderPlanText(document, { color: ctx.color, nothing: 'Nothing to detach.', policyNames: ownedPolicyNames(manifest.name, inputs.revisions, inputs.resources) }));
  if (planned.verdict.blocked.length) throw blockedError('nothing was written', planned);
  if (flags.dryRun) return;
  if (!planned.verdict.hasChanges) {
    if (ctx.global.json) {
      const unchanged = planned.inputs.distributions.map((d) => ({ id: d.id, ok: true, written: false, etag: d.etag, status: d.status }));
      ctx.json(detachDocument(planned.integration, { distributions: unchanged, resources: { deleted: [], untagged: [], waiting: [], failed: [], kept: planned.kept } }, planned.targets));
    }
    return;
  }
  if (!(await approve(ctx, 'detach', 'Detach and delete these resources?'))) return;
  const shown = progress(ctx);
  let result;
  let interrupt: AbortSignal | undefined;
  try {
    result = await ctx.guard(async (signal) => {
      const done = await applyDetach(clients, planned, { state: await ctx.state(manifest), timing: ctx.timing, signal, onEvent: shown.onEvent, waitTimeoutSeconds: DEFAULT_WAIT_SECONDS, concurrency });
      if (signal.aborted) interrupt = signal;
      return done;
    });
  } finally {
    shown.stop();
  }
  const lines = [...distributionLines(result.distributions, 'detached', 'nothing of the integration on it', true), ...resourceLines(result.resources)];
  for (const line of lines) ctx.err(line);
  if (ctx.global.json) ctx.json(detachDocument(planned.integration, result, planned.targets));
  if (interrupt) {
    throw new InterruptedError(
      result.resources ? 'interrupted, after detach had done its work (see above)' : 'interrupted: what was written is recorded, no resource was deleted; run detach again to finish',
      interruptSignalOf(interrupt),
    );
  }
  const failed = result.distributions.filter((d) => !d.ok);
  if (failed.length) {
    throw new RuntimeError(`${failed.length} of ${result.distributions.length} distributions did not finish detaching (${failed.map((d) => d.id).join(', ')}); no resource was deleted.`);
  }
  if (result.resources?.failed.length) {
    throw new RuntimeError(`the distributions are detached, but ${result.resources.failed.length} resource(s) could not be deleted (${result.resources.failed.map((f) => resourceText(f.resource)).join(', ')}); run detach again to retry.`);
  }
}
