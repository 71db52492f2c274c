/**
 * `edge-install promote` and `abort`: gather (the primaries, their continuous deployment
 * state, the revisions) → assemble → render the plan → approve → apply → report.
 */
import { applyAbort } from '../../apply/abort.js';
import { applyPromote } from '../../apply/promote.js';
import { persistRecovery } from '../../apply/record.js';
import { gatherCanary } from '../../gather/canary.js';
import type { Manifest } from '../../manifest/schema.js';
import { assembleAbort, assemblePromote } from '../../plan/canary-end.js';
import { planDocument } from '../../plan/document.js';
import { approve } from '../approve.js';
import { blockedError } from '../blocked.js';
import type { CommandContext } from '../context.js';
import { wholeNumber } from '../define-command.js';
import { withLock } from '../lock.js';
import { progress } from '../progress.js';
import { renderPlanText } from '../render/plan-text.js';

export interface CanaryEndFlags {
  distribution: string[];
  dryRun?: boolean;
  wait: boolean;
  waitTimeout: string;
  deleteStaging?: boolean;
}

type Which = 'promote' | 'abort';

async function end(ctx: CommandContext<CanaryEndFlags>, which: Which): Promise<void> {
  const waitTimeoutSeconds = wholeNumber(ctx.flags.waitTimeout, '--wait-timeout', 1, 24 * 3600);
  const { manifest } = await ctx.loadManifest();
  const run = () => endWith(ctx, manifest, which, waitTimeoutSeconds);
  return ctx.flags.dryRun ? run() : withLock(ctx, manifest, which, run);
}

async function endWith(ctx: CommandContext<CanaryEndFlags>, manifest: Manifest, which: Which, waitTimeoutSeconds: number): Promise<void> {
  const { flags } = ctx;
  const clients = await ctx.clients();
  const inputs = await gatherCanary(clients, manifest, { distributionIds: ctx.distributionIds(manifest, flags.distribution), state: await ctx.state(manifest) });
  if (!flags.dryRun) await persistRecovery(await ctx.state(manifest), manifest.name, inputs.recovery);
  const explicit = flags.distribution.length > 0;
  const planned = which === 'promote' ? assemblePromote(inputs, { explicit }) : assembleAbort(inputs, { explicit, deleteStaging: !!flags.deleteStaging });
  const document = planDocument(planned);
  if (flags.dryRun && ctx.global.json) ctx.json(document);
  else ctx.out(renderPlanText(document, { color: ctx.color, nothing: which === 'promote' ? 'The promote changes none of the owned parts (the staging copy runs what the primary runs).' : 'The owned parts stay as they are.' }));
  if (planned.verdict.blocked.length) throw blockedError('nothing was written', planned);
  if (flags.dryRun) return;
  const question = which === 'promote' ? 'Promote the staging config onto the primary?' : `End the canary${flags.deleteStaging ? ' and delete the staging copy' : ''}?`;
  if (!(await approve(ctx, which, question))) return;
  const shown = progress(ctx);
  const options = { state: await ctx.state(manifest), timing: ctx.timing, onEvent: shown.onEvent, wait: flags.wait, waitTimeoutSeconds };
  try {
    if (which === 'promote') {
      const done = await ctx.guard((signal) => applyPromote(clients, planned as ReturnType<typeof assemblePromote>, { ...options, signal }));
      for (const d of done) ctx.err(`✓ ${d.id}: promoted from ${d.stagingId}, revision ${d.revision} (edge-install rollback undoes it in one write).`);
      if (ctx.global.json) ctx.json({ version: 1, promoted: done });
    } else {
      const done = await ctx.guard((signal) => applyAbort(clients, planned as ReturnType<typeof assembleAbort>, { ...options, signal }));
      for (const d of done) {
        const primary = d.unrecordedPhaseOne.length ? `the primary is as it was before it except ${d.unrecordedPhaseOne.join(', ')} (phase 1, not recorded here: see the warning above)` : 'the primary is as it was before it';
        ctx.err(`✓ ${d.id}: canary ended; ${primary}${d.revision ? ` (phase 1 taken back, revision ${d.revision})` : ''}${d.deletedStaging ? `; staging copy ${d.deletedStaging} deleted` : ''}.`);
      }
      if (ctx.global.json) ctx.json({ version: 1, aborted: done });
    }
  } finally {
    shown.stop();
  }
}

export const promote = (ctx: CommandContext<CanaryEndFlags>) => end(ctx, 'promote');
export const abort = (ctx: CommandContext<CanaryEndFlags>) => end(ctx, 'abort');
