import type { Command } from 'commander';
import { distributionIdsFor } from '../../apply/attach.js';
import { applyRollback, prepareRollback, type RollbackResult } from '../../apply/rollback.js';
import type { PlanDocument } from '../../plan/plan.js';
import type { RollbackFlags } from '../commands/rollback.js';
import { approve } from '../approve.js';
import { guardInterrupts } from '../interrupt.js';
import { contextFor } from '../context.js';
import { errorLine, InterruptedError, RuntimeError } from '../errors.js';
import { renderPlanText } from '../render/plan-text.js';

export async function runRollback(flags: RollbackFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  try {
    const loaded = await ctx.loadManifest();
    const clients = await ctx.clients();
    const ids = distributionIdsFor(loaded, flags.distribution);
    const rollbacks = await Promise.all(ids.map((distributionId) => prepareRollback(clients, loaded.manifest, { distributionId, stateDir: ctx.stateDir, to: flags.to, force: flags.force })));
    for (const r of rollbacks) {
      ctx.err(r.mode === 'revision' ? `${r.id}: restoring the owned parts as they were ${r.from}.` : `${r.id}:`);
      for (const note of r.notes) ctx.err(`  ${note}`);
    }
    const changes = rollbacks.flatMap((r) => r.prepared.plan.changes);
    const document: PlanDocument = {
      version: 1,
      integration: loaded.manifest.name,
      resources: [],
      distributions: rollbacks.map((r) => ({ ...r.prepared.plan, changes: r.prepared.plan.changes })),
      summary: { create: changes.filter((c) => c.action === 'create').length, update: changes.filter((c) => c.action === 'update').length, delete: changes.filter((c) => c.action === 'delete').length },
    } as PlanDocument;
    if (flags.dryRun && ctx.flags.json) ctx.json(document);
    else ctx.out(renderPlanText(document, { color: ctx.color }));
    const conflicts = rollbacks.flatMap((r) => r.prepared.plan.conflicts.map((c) => `${r.id}: ${c}`));
    if (conflicts.length) throw new RuntimeError(`nothing was written: ${conflicts.join('; ')}`);
    if (flags.dryRun || changes.length === 0) return;
    if (!(await approve(ctx, 'rollback', 'Roll back these changes?'))) return;
    const results: RollbackResult[] = [];
    const pending = rollbacks.filter((x) => x.prepared.plan.changes.length);
    await guardInterrupts(ctx, async (signal) => {
      for (const [i, r] of pending.entries()) {
        if (signal.aborted) {
          const left = pending.slice(i).map((x) => x.id);
          throw new InterruptedError(`interrupted; rolled back: ${results.map((x) => x.id).join(', ') || 'none'}; not yet: ${left.join(', ')}`);
        }
        await rollbackOne(r, i, signal);
      }
      if (signal.aborted) throw new InterruptedError(`interrupted, after the rollbacks in flight finished: ${results.map((x) => x.id).join(', ')}`);
    });
    if (ctx.flags.json) ctx.json({ version: 1, distributions: results });

    async function rollbackOne(r: (typeof pending)[number], i: number, signal: AbortSignal): Promise<void> {
      try {
        results.push(await applyRollback(clients, loaded.manifest, r, { stateDir: ctx.stateDir, wait: flags.wait, waitTimeoutSeconds: 35 * 60, pollSeconds: ctx.endpointUrl ? 1 : 15, signal }));
      } catch (error) {
        // Only the wait for Deployed is cut short by Ctrl-C; a failed write is reported as such.
        if (signal.aborted && (error as Error).name === 'AbortError') throw new InterruptedError(`interrupted while ${r.id} deploys: its rollback is written and recorded; check it with edge-install status`);
        if (!results.length) throw error;
        // A plain re-run would roll back the rollbacks already done: name what is left.
        const left = pending.slice(i).map((x) => x.id);
        throw new RuntimeError(
          `${errorLine(error)}. Rolled back already: ${results.map((x) => x.id).join(', ')}; not yet: ${left.join(', ')}. ` +
            `Finish with: edge-install rollback ${left.map((id) => `--distribution ${id}`).join(' ')} (a rollback without --distribution would undo the ones already done).`,
        );
      }
      ctx.err(`✓ ${r.id}: rolled back (revision ${results.at(-1)!.revision}).`);
    }
  } finally {
    ctx.close();
  }
}
