/**
 * `edge-install plan`: read-only — what `attach` would change, as a diff (or --json); `--out`
 * saves it with the ETags it was made from; `--detailed-exitcode` exits 3 when there are changes.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { PlanFlags } from '../commands/plan.js';
import { distributionIdsFor, prepareAttach } from '../../apply/attach.js';
import { hasChanges, planDocument } from '../../plan/plan.js';
import { savePlan } from '../../state/saved-plans.js';
import { contextFor } from '../context.js';
import { RuntimeError, UsageError } from '../errors.js';
import { renderPlanText } from '../render/plan-text.js';

/** A plan that cannot be saved is known before AWS is read: say so at once (exit 2). */
async function checkOutPath(file: string): Promise<void> {
  const dir = dirname(resolve(file));
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--out ${file}: the directory ${dir} does not exist; create it or choose another path.`);
}

export async function runPlan(flags: PlanFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  if (flags.out) await checkOutPath(flags.out);
  try {
    const loaded = await ctx.loadManifest();
    const prepared = await prepareAttach((await ctx.clients()), loaded, {
      distributionIds: distributionIdsFor(loaded, flags.distribution),
      replaceForeign: !!flags.replaceForeign,
      stateDir: ctx.stateDir,
      concurrency: 4,
    });
    const document = planDocument(prepared.plan);
    if (ctx.flags.json) ctx.json(document);
    else ctx.out(renderPlanText(document, { color: ctx.color }));
    const blocked = prepared.plan.distributions.flatMap((d) => [...d.conflicts, ...d.errors]);
    if (flags.out) {
      await savePlan(flags.out, { manifestPath: loaded.path, replaceForeign: !!flags.replaceForeign }, document).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`--out ${flags.out}: cannot write the plan (${error.code ?? error.message}); choose a path you can write to.`);
      });
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
