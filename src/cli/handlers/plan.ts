/**
 * `edge-install plan`: gather → assemble → render, nothing written. `--out` saves the plan
 * document with the ETags it was made from; `--detailed-exitcode` exits 3 when there are changes.
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';
import { gatherAttach } from '../../gather/attach.js';
import { assembleAttach } from '../../plan/attach.js';
import { assembleCanary } from '../../plan/canary.js';
import { parseCanary } from '../../plan/canary-traffic.js';
import { planDocument } from '../../plan/document.js';
import { savePlan } from '../../state/saved-plans.js';
import type { CommandContext } from '../context.js';
import { blockedError } from '../blocked.js';
import { renderPlanText } from '../render/plan-text.js';

export interface PlanFlags {
  distribution: string[];
  out?: string;
  detailedExitcode?: boolean;
  replaceForeign?: boolean;
  allowContinuousDeployment?: boolean;
  canary?: string;
}

/** A plan that cannot be saved is known before AWS is read: say so at once (exit 2). */
async function checkOutPath(given: string, file: string): Promise<void> {
  const dir = dirname(file);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--out ${given}: the directory ${dir} does not exist; create it or choose another path.`);
}

export async function plan(ctx: CommandContext<PlanFlags>): Promise<number> {
  const { flags } = ctx;
  const out = flags.out === undefined ? undefined : ctx.path(flags.out);
  if (out) await checkOutPath(flags.out!, out);
  const loaded = await ctx.loadManifest();
  // plan --canary shows what attach --canary would do; such a plan is not saved (attach --plan applies to the primary).
  if (flags.canary !== undefined && (out || flags.allowContinuousDeployment || flags.replaceForeign)) {
    const clash = out ? '--out: a saved plan is applied to the primary by attach --plan' : flags.replaceForeign ? '--replace-foreign: replace another function with a plain attach first' : "--allow-continuous-deployment: the canary uses the primary's policy itself";
    throw new UsageError(`--canary cannot go with ${clash}.`);
  }
  const traffic = flags.canary === undefined ? undefined : parseCanary(flags.canary, loaded.manifest.name, () => '<random>');
  const inputs = await gatherAttach(await ctx.clients(), loaded, { distributionIds: ctx.distributionIds(loaded.manifest, flags.distribution), state: await ctx.state(loaded.manifest), canary: !!traffic });
  const options = { replaceForeign: !!flags.replaceForeign, allowContinuousDeployment: !!flags.allowContinuousDeployment, ...(traffic ? { canary: true } : {}) };
  const attachPlan = assembleAttach(inputs, options);
  const planned = traffic ? assembleCanary(attachPlan, inputs.canaries ?? {}, traffic) : attachPlan;
  const document = planDocument(planned);
  if (ctx.global.json) ctx.json(document);
  else ctx.out(renderPlanText(document, { color: ctx.color }));
  if (out) {
    await savePlan(out, { manifestPath: loaded.path, ...options }, document).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--out ${flags.out}: cannot write the plan (${error.code ?? error.message}); choose a path you can write to.`);
    });
    ctx.err(`Saved the plan to ${flags.out}; apply it with: edge-install attach --plan ${flags.out}`);
  }
  if (planned.verdict.blocked.length) throw blockedError('the plan cannot be applied', planned);
  return flags.detailedExitcode && planned.verdict.hasChanges ? 3 : 0;
}
