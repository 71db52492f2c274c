/**
 * `edge-install attach`: gather → assemble → render the plan → approve → apply (one
 * ETag-pinned UpdateDistribution per distribution, wait, verify, revision) → report.
 */
import { randomBytes } from 'node:crypto';
import { applyAttach } from '../../apply/attach.js';
import { applyCanary } from '../../apply/canary.js';
import { assembleCanary } from '../../plan/canary.js';
import { parseCanary, type CanaryTraffic } from '../../plan/canary-traffic.js';
import { canaryDocument, canaryLines } from '../render/canary-text.js';
import { persistRecovery } from '../../apply/record.js';
import { RuntimeError, UsageError } from '../../errors.js';
import { gatherAttach } from '../../gather/attach.js';
import { assembleAttach } from '../../plan/attach.js';
import { planDocument } from '../../plan/document.js';
import { readSavedPlan, staleness } from '../../state/saved-plans.js';
import { approve } from '../approve.js';
import { parseDuration } from '../../plan/duration.js';
import { REGIONAL_EDGE_CACHE_REGIONS } from '../../aws/regions.js';
import type { LoadedManifest } from '../../manifest/load.js';
import type { CommandContext } from '../context.js';
import { withLock } from '../lock.js';
import { blockedError } from '../blocked.js';
import { wholeNumber } from '../define-command.js';
import { progress } from '../progress.js';
import { renderPlanText } from '../render/plan-text.js';
import { attachDocument, distributionLines, unchangedAttachDocument } from '../render/results.js';

export interface AttachFlags {
  distribution: string[];
  plan?: string;
  dryRun?: boolean;
  wait: boolean;
  waitTimeout: string;
  verifyUrl?: string;
  replaceForeign?: boolean;
  allowContinuousDeployment?: boolean;
  rollbackOnFailure?: boolean;
  concurrency: string;
  watch?: string;
  maxErrorRate: string;
  canary?: string;
}

/** --watch and --max-error-rate, checked before anything is read (exit 2). */
function watchFlags(flags: AttachFlags): { windowMs: number; maxErrorRate: number } | undefined {
  const rate = /^(\d+(?:\.\d+)?)%?$/.exec(flags.maxErrorRate.trim());
  const maxErrorRate = rate ? Number(rate[1]) : NaN;
  if (!(maxErrorRate >= 0 && maxErrorRate < 100)) throw new UsageError(`--max-error-rate ${flags.maxErrorRate} is not a percentage from 0 to 100, e.g. 1% or 0.5.`);
  if (flags.watch === undefined) return undefined;
  const windowMs = parseDuration(flags.watch);
  if (windowMs === undefined || windowMs <= 0 || windowMs > 24 * 3_600_000) throw new UsageError(`--watch ${flags.watch} is not a window such as 90s, 10m or 1h (at most 24h).`);
  if (flags.wait === false) throw new UsageError('--watch starts once the change is Deployed; it cannot go with --no-wait.');
  return { windowMs, maxErrorRate };
}

export async function attach(ctx: CommandContext<AttachFlags>): Promise<void> {
  const { flags } = ctx;
  // Bad flags are exit 2 before anything is read or locked.
  wholeNumber(flags.waitTimeout, '--wait-timeout', 1, 24 * 3600);
  wholeNumber(flags.concurrency, '--concurrency', 1, 32);
  if (flags.verifyUrl && !/^https?:\/\//.test(flags.verifyUrl)) throw new UsageError(`--verify-url must be an http(s) URL, not '${flags.verifyUrl}'.`);
  watchFlags(flags);
  const loaded = await ctx.loadManifest();
  const traffic = canaryFlag(flags, loaded.manifest.name);
  // A dry run only reads; a real one holds the integration's lock from the first read to the last write.
  if (traffic) return flags.dryRun ? canaryWith(ctx, loaded, traffic) : withLock(ctx, loaded.manifest, 'attach', () => canaryWith(ctx, loaded, traffic));
  return flags.dryRun ? attachWith(ctx, loaded) : withLock(ctx, loaded.manifest, 'attach', () => attachWith(ctx, loaded));
}

/** --canary, checked before anything is read (exit 2), with the flags it cannot go with. */
function canaryFlag(flags: AttachFlags, integration: string): CanaryTraffic | undefined {
  if (flags.canary === undefined) return undefined;
  const traffic = parseCanary(flags.canary, integration, () => randomBytes(8).toString('hex'));
  const clash = [
    flags.plan && ['--plan', 'a saved plan is applied to the primary; run attach --canary on its own (plan --canary shows what it does)'],
    flags.watch && ['--watch', 'a canary is watched while it runs (edge-install status --metrics compares staging and primary) and ended with abort'],
    flags.rollbackOnFailure && ['--rollback-on-failure', 'nothing reaches the primary to roll back; end a failing canary with edge-install abort'],
    flags.verifyUrl && ['--verify-url', 'the primary does not change; try the canary as the output shows once it runs'],
    flags.allowContinuousDeployment && ['--allow-continuous-deployment', "the canary uses the primary's continuous deployment policy itself"],
    flags.replaceForeign && ['--replace-foreign', 'a promote would not record the function it replaced, so rollback and detach could not put it back; replace it with a plain attach --replace-foreign, then canary later changes'],
  ].find(Boolean) as [string, string] | undefined;
  if (clash) throw new UsageError(`--canary cannot go with ${clash[0]}: ${clash[1]}.`);
  return traffic;
}

/** attach --canary: the same plan, sent to a staging copy of each primary. */
async function canaryWith(ctx: CommandContext<AttachFlags>, loaded: LoadedManifest, traffic: CanaryTraffic): Promise<void> {
  const { flags } = ctx;
  const waitTimeoutSeconds = wholeNumber(flags.waitTimeout, '--wait-timeout', 1, 24 * 3600);
  const concurrency = wholeNumber(flags.concurrency, '--concurrency', 1, 32);
  const ids = ctx.distributionIds(loaded.manifest, flags.distribution);
  const clients = await ctx.clients();
  const state = await ctx.state(loaded.manifest);
  const inputs = await gatherAttach(clients, loaded, { distributionIds: ids, state, canary: true });
  const planned = assembleCanary(assembleAttach(inputs, { replaceForeign: false, canary: true }), inputs.canaries ?? {}, traffic);
  if (!flags.dryRun) await persistRecovery(state, loaded.manifest.name, planned.inputs.recovery);
  const document = planDocument(planned);
  if (flags.dryRun && ctx.global.json) ctx.json(document);
  else ctx.out(renderPlanText(document, { color: ctx.color }));
  if (planned.verdict.blocked.length) throw blockedError('nothing was written', planned);
  if (flags.dryRun) return;
  if (!planned.canary.targets.length) {
    if (ctx.global.json) ctx.json(canaryDocument([], traffic));
    if (planned.verdict.hasChanges) throw new UsageError('--canary: the change touches no distribution (only resources), so there is nothing to canary; run attach without --canary.');
    return;
  }
  if (!(await approve(ctx, 'attach', 'Start this canary?'))) return;
  const shown = progress(ctx, { resources: true });
  let result;
  try {
    result = await ctx.guard((signal) =>
      applyCanary(clients, planned, { state, timing: ctx.timing, signal, onEvent: shown.onEvent, wait: flags.wait, waitTimeoutSeconds, concurrency }),
    );
  } finally {
    shown.stop();
  }
  const hosts = Object.fromEntries(planned.inputs.distributions.map((d) => [d.id, d.config.Aliases?.Items?.[0] ?? d.domainName]));
  for (const line of canaryLines(result.distributions, traffic, hosts)) ctx.err(line);
  if (ctx.global.json) ctx.json(canaryDocument(result.distributions, traffic));
  const failed = result.distributions.filter((d) => !d.ok);
  if (failed.length === 1 && result.distributions.length === 1) throw failed[0]!.error!;
  if (failed.length) throw new RuntimeError(`the canary did not start on ${failed.length} of ${result.distributions.length} distributions (${failed.map((d) => d.primaryId).join(', ')}).`);
}

async function attachWith(ctx: CommandContext<AttachFlags>, loaded: LoadedManifest): Promise<void> {
  const { flags } = ctx;
  const waitTimeoutSeconds = wholeNumber(flags.waitTimeout, '--wait-timeout', 1, 24 * 3600);
  const concurrency = wholeNumber(flags.concurrency, '--concurrency', 1, 32);
  const saved = flags.plan ? await readSavedPlan(ctx.path(flags.plan)) : undefined;
  const ids = saved && !flags.distribution.length ? saved.document.distributions.map((d) => d.id) : ctx.distributionIds(loaded.manifest, flags.distribution);
  // A plan saved with --replace-foreign was reviewed as such: applying it replaces the same triggers.
  const replaceForeign = !!flags.replaceForeign || !!saved?.replaceForeign;
  const allowContinuousDeployment = !!flags.allowContinuousDeployment || !!saved?.allowContinuousDeployment;
  const clients = await ctx.clients();
  const state = await ctx.state(loaded.manifest);
  const planned = assembleAttach(await gatherAttach(clients, loaded, { distributionIds: ids, state }), { replaceForeign, allowContinuousDeployment });
  if (!flags.dryRun) await persistRecovery(state, loaded.manifest.name, planned.inputs.recovery);
  const document = planDocument(planned);
  if (saved) {
    const reasons = staleness(saved.document, document);
    if (reasons.length && saved.manifestPath !== loaded.path) reasons.push(`it was made from the manifest ${saved.manifestPath}, and this run reads ${loaded.path} (--config)`);
    if (reasons.length) throw new RuntimeError(`the saved plan ${flags.plan} is stale: ${reasons.join('; ')}. Nothing was written; run plan again.`);
  }
  if (flags.dryRun && ctx.global.json) ctx.json(document);
  else ctx.out(renderPlanText(document, { color: ctx.color }));
  if (planned.verdict.blocked.length) throw blockedError('nothing was written', planned);
  if (flags.dryRun) return;
  if (!planned.verdict.hasChanges) {
    if (ctx.global.json) ctx.json(unchangedAttachDocument(planned.inputs.distributions, document.summary));
    return;
  }
  // A saved plan was reviewed when it was made; applying it unchanged needs no second yes.
  if (!saved && !(await approve(ctx, 'attach', 'Apply these changes?', ' (or apply a reviewed plan with --plan)'))) return;
  const watching = watchFlags(flags);
  const shown = progress(ctx, { resources: true });
  let result;
  try {
    // An interrupt while applying: the step in flight finishes, then the run is undone (or,
    // once the distribution is written, the wait stops); exit 130/143. Never a half-done step.
    result = await ctx.guard((signal) =>
      applyAttach(clients, planned, {
        state,
        timing: ctx.timing,
        signal,
        onEvent: shown.onEvent,
        wait: flags.wait,
        waitTimeoutSeconds,
        verifyUrl: flags.verifyUrl,
        rollbackOnFailure: !!flags.rollbackOnFailure,
        concurrency,
        watch: watching && { ...watching, regions: [...REGIONAL_EDGE_CACHE_REGIONS] },
      }),
    );
  } finally {
    shown.stop();
  }
  const single = result.distributions.length === 1;
  for (const line of distributionLines(result.distributions, 'applied', 'no changes', !single)) ctx.err(line);
  if (ctx.global.json) ctx.json(attachDocument(result, document.summary));
  const failed = result.distributions.filter((d) => !d.ok);
  // One distribution: its own error is the message (with the fix, for an AWS error).
  if (single && failed[0]?.error) throw failed[0].error;
  if (failed.length) {
    const others = result.distributions.length - failed.length;
    throw new RuntimeError(`${failed.length} of ${result.distributions.length} distributions did not finish (${failed.map((d) => d.id).join(', ')})${others ? `; the other ${others} ${others === 1 ? 'was' : 'were'} applied` : ''}.`);
  }
}
