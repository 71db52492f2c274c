/**
 * `edge-install plan`: read-only — what `attach` would change, as a diff (or --json); `--out`
 * saves it with the ETags it was made from; `--detailed-exitcode` exits 3 when there are changes.
 */
import type { Command } from 'commander';
import type { PlanFlags } from '../commands/plan.js';
import { distributionIdsFor, prepareAttach } from '../../apply/attach.js';
import { hasChanges, planDocument } from '../../plan/plan.js';
import { savePlan } from '../../state/saved-plans.js';
import { contextFor } from '../context.js';
import { RuntimeError, UsageError } from '../errors.js';
import { renderPlanText } from '../render/plan-text.js';

export async function runPlan(flags: PlanFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  try {
    const loaded = await ctx.loadManifest();
    const prepared = await prepareAttach((await ctx.clients()), loaded, {
      distributionIds: distributionIdsFor(loaded, flags.distribution),
      replaceForeign: false,
      stateDir: ctx.stateDir,
      concurrency: 4,
    });
    const document = planDocument(prepared.plan);
    if (ctx.flags.json) ctx.json(document);
    else ctx.out(renderPlanText(document, { color: ctx.color }));
    const blocked = prepared.plan.distributions.flatMap((d) => [...d.conflicts, ...d.errors]);
    if (flags.out) {
      await savePlan(flags.out, loaded.path, document);
      ctx.err(`Saved the plan to ${flags.out}; apply it with: edge-install attach --plan ${flags.out}`);
    }
    if (blocked.length) {
      const message = `the plan cannot be applied: ${blocked.join('; ')}`;
      throw prepared.plan.distributions.some((d) => d.errors.length) ? new UsageError(message) : new RuntimeError(message);
    }
    if (flags.detailedExitcode && hasChanges(prepared.plan)) process.exitCode = 3;
  } finally {
    ctx.close();
  }
}
