/**
 * `edge-install rollback`: gather → assemble (the restore, or the limited mode) → render the
 * plan → approve → apply, one distribution at a time → report.
 */
import { persistRecovery } from '../../apply/record.js';
import { applyRollback } from '../../apply/rollback.js';
import type { Manifest } from '../../manifest/schema.js';
import { gatherRollback } from '../../gather/rollback.js';
import { planDocument } from '../../plan/document.js';
import { assembleRollback } from '../../plan/rollback.js';
import { approve } from '../approve.js';
import type { CommandContext } from '../context.js';
import { withLock } from '../lock.js';
import { blockedError } from '../blocked.js';
import { DEFAULT_WAIT_SECONDS } from '../define-command.js';
import { progress } from '../progress.js';
import { renderPlanText } from '../render/plan-text.js';
import { ownedPolicyNames } from '../render/policy-names.js';
import { rollbackDocument } from '../render/results.js';

export interface RollbackFlags {
  distribution: string[];
  to?: string;
  dryRun?: boolean;
  force?: boolean;
  wait: boolean;
}

export async function rollback(ctx: CommandContext<RollbackFlags>): Promise<void> {
  const { manifest } = await ctx.loadManifest();
  return ctx.flags.dryRun ? rollbackWith(ctx, manifest) : withLock(ctx, manifest, 'rollback', () => rollbackWith(ctx, manifest));
}

async function rollbackWith(ctx: CommandContext<RollbackFlags>, manifest: Manifest): Promise<void> {
  const { flags } = ctx;
  const clients = await ctx.clients();
  const state = await ctx.state(manifest);
  const inputs = await gatherRollback(clients, manifest, { distributionIds: ctx.distributionIds(manifest, flags.distribution), state, to: flags.to });
  if (!flags.dryRun) await persistRecovery(state, manifest.name, inputs.recovery);
  const planned = assembleRollback(inputs, { to: flags.to, force: flags.force });
  const document = planDocument(planned);
  if (flags.dryRun && ctx.global.json) ctx.json(document);
  else ctx.out(renderPlanText(document, { color: ctx.color, nothing: 'Nothing to roll back: the owned parts are as the revision left them.', policyNames: ownedPolicyNames(manifest.name, inputs.revisions) }));
  if (planned.verdict.blocked.length) throw blockedError('nothing was written', planned);
  if (flags.dryRun || !planned.verdict.hasChanges) return;
  if (!(await approve(ctx, 'rollback', 'Roll back these changes?'))) return;
  const shown = progress(ctx);
  try {
    const results = await ctx.guard((signal) =>
      applyRollback(clients, planned, { state, timing: ctx.timing, signal, onEvent: shown.onEvent, wait: flags.wait, waitTimeoutSeconds: DEFAULT_WAIT_SECONDS }),
    );
    if (ctx.global.json) ctx.json(rollbackDocument(results));
  } finally {
    shown.stop();
  }
}
