/**
 * `edge-install plan`: gather → assemble → render, nothing written. `--out` saves the plan
 * document with the ETags it was made from; `--detailed-exitcode` exits 3 when there are changes.
 * The text ends with the command that applies the plan (or "Nothing to do.").
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
import { DEFAULT_MANIFEST, type CommandContext } from '../context.js';
import { blockedError } from '../blocked.js';
import { commandLine, renderPlanText } from '../render/plan-text.js';
import { ownedPolicyNames } from '../render/policy-names.js';

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
  // Saved before it is shown, so that the text can end with "Saved …" and the next command.
  if (out) {
    await savePlan(out, { manifestPath: loaded.path, ...options }, document).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--out ${flags.out}: cannot write the plan (${error.code ?? error.message}); choose a path you can write to.`);
    });
  }
  if (ctx.global.json) {
    ctx.json(document);
    if (out) ctx.err(`Saved the plan to ${flags.out}; apply it with: ${commandLine(attachArgs(ctx))}`);
  } else {
    const { revisions, resources } = attachPlan.inputs;
    const policyNames = ownedPolicyNames(loaded.manifest.name, revisions, resources.cachePolicies.map((p) => ({ kind: 'cache-policy', name: p.name, id: p.id })));
    ctx.out(renderPlanText(document, { color: ctx.color, policyNames, next: { command: commandLine(attachArgs(ctx)), ...(out ? { savedTo: flags.out! } : {}) } }));
  }
  if (planned.verdict.blocked.length) throw blockedError('the plan cannot be applied', planned);
  return flags.detailedExitcode && planned.verdict.hasChanges ? 3 : 0;
}

/**
 * The attach that applies what this plan showed: `attach --plan <file>` for a saved plan
 * (which carries the distributions, --replace-foreign and --allow-continuous-deployment
 * itself), else `attach` with the same choices. The flags that say where the manifest, the
 * state and AWS are come along as the user gave them (a default or an environment variable
 * needs no repeating): an attach run without them would read another manifest, state or
 * account than the plan did.
 */
function attachArgs(ctx: CommandContext<PlanFlags>): string[] {
  const { flags, global } = ctx;
  const args = ['attach'];
  if (flags.out !== undefined) args.push('--plan', flags.out);
  else {
    for (const id of flags.distribution) args.push('--distribution', id);
    if (flags.replaceForeign) args.push('--replace-foreign');
    if (flags.allowContinuousDeployment) args.push('--allow-continuous-deployment');
    if (flags.canary !== undefined) args.push('--canary', flags.canary);
  }
  if (global.config !== undefined && global.config !== DEFAULT_MANIFEST) args.push('--config', global.config);
  if (global.state !== undefined) args.push('--state', global.state);
  if (global.stateDir !== undefined) args.push('--state-dir', global.stateDir);
  if (global.endpointUrl !== undefined) args.push('--endpoint-url', global.endpointUrl);
  if (global.profile !== undefined) args.push('--profile', global.profile);
  if (global.region !== undefined) args.push('--region', global.region);
  return args;
}
