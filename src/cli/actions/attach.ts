/**
 * `edge-install attach`: plan, show, confirm, apply (one ETag-pinned UpdateDistribution per
 * distribution), wait until Deployed, verify, record a revision.
 */
import type { Command } from 'commander';
import type { AttachFlags } from '../commands/attach.js';
import { applyAttach, distributionIdsFor, prepareAttach, type AttachEvent, type AttachResult } from '../../apply/attach.js';
import { hasChanges, planDocument } from '../../plan/plan.js';
import { readSavedPlan, staleness } from '../../state/saved-plans.js';
import { approve } from '../approve.js';
import { elapsedTicker } from '../elapsed.js';
import { guardInterrupts } from '../interrupt.js';
import { contextFor, wholeNumber, type CliContext } from '../context.js';
import { errorLine, RuntimeError, UsageError } from '../errors.js';
import { renderPlanText } from '../render/plan-text.js';

function describeEvent(event: AttachEvent): string | undefined {
  switch (event.type) {
    case 'resources-applied':
      return 'Secret, role, functions and cache policies are in place.';
    case 'written':
      return `${event.id}: updated (ETag ${event.etag}).`;
    case 'waiting':
      return `${event.id}: waiting until Deployed…`;
    case 'deployed':
      return `${event.id}: Deployed.`;
    case 'verified':
      return `${event.id}: ${event.url} answered ${event.status}.`;
    case 'rolled-back':
      return `${event.id}: rolled back to how it was before this attach.`;
  }
}

/**
 * Events go to stderr as lines (they belong in CI logs too). While a deployment is awaited on a
 * terminal, a line every 30 s says how long it has been — plain lines rather than an ora
 * spinner, whose redrawing depends on the terminal's width and misbehaves on unsized ptys.
 */
function progress(ctx: CliContext) {
  return {
    onEvent: (event: AttachEvent) => {
      const text = describeEvent(event);
      if (text) ctx.err(text);
    },
    stop: elapsedTicker(ctx),
  };
}

function resultDocument(result: AttachResult, summary: ReturnType<typeof planDocument>['summary']) {
  const revisions = result.distributions.map((d) => d.revision).filter(Boolean);
  return {
    version: 1,
    revision: revisions.at(-1) ?? null,
    distributions: result.distributions.map((d) => ({ id: d.id, etag: d.etag ?? null, status: d.ok ? (d.status ?? null) : 'Failed', ...(d.error ? { error: errorLine(d.error) } : {}) })),
    functions: Object.values(result.resources.functions).map((f) => ({ name: f.name, arn: f.arn, version: f.version, codeSha256: f.codeSha256, codeSize: f.codeSize })),
    summary,
  };
}

export async function runAttach(flags: AttachFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  const waitTimeoutSeconds = wholeNumber(flags.waitTimeout, '--wait-timeout', 1, 24 * 3600);
  const concurrency = wholeNumber(flags.concurrency, '--concurrency', 1, 32);
  if (flags.verifyUrl && !/^https?:\/\//.test(flags.verifyUrl)) throw new UsageError(`--verify-url must be an http(s) URL, not '${flags.verifyUrl}'.`);
  try {
    const loaded = await ctx.loadManifest();
    const saved = flags.plan ? await readSavedPlan(flags.plan) : undefined;
    const ids = saved && !flags.distribution.length ? saved.document.distributions.map((d) => d.id) : distributionIdsFor(loaded, flags.distribution);
    // A plan saved with --replace-foreign was reviewed as such: applying it replaces the same triggers.
    const replaceForeign = !!flags.replaceForeign || !!saved?.replaceForeign;
    const prepared = await prepareAttach((await ctx.clients()), loaded, { distributionIds: ids, replaceForeign, stateDir: ctx.stateDir, concurrency });
    const document = planDocument(prepared.plan);
    if (saved) {
      const reasons = staleness(saved.document, document);
      if (reasons.length && saved.manifestPath !== loaded.path) reasons.push(`it was made from the manifest ${saved.manifestPath}, and this run reads ${loaded.path} (--config)`);
      if (reasons.length) throw new RuntimeError(`the saved plan ${flags.plan} is stale: ${reasons.join('; ')}. Nothing was written; run plan again.`);
    }
    const planText = renderPlanText(document, { color: ctx.color });
    if (flags.dryRun && ctx.flags.json) ctx.json(document);
    else ctx.out(planText);
    const blocked = prepared.plan.distributions.flatMap((d) => [...d.conflicts, ...d.errors]);
    if (blocked.length) {
      const message = `nothing was written: ${blocked.join('; ')}`;
      throw prepared.plan.distributions.some((d) => d.errors.length) ? new UsageError(message) : new RuntimeError(message);
    }
    if (flags.dryRun) return;
    if (!hasChanges(prepared.plan)) {
      if (ctx.flags.json) ctx.json({ version: 1, revision: null, distributions: prepared.observed.map((d) => ({ id: d.id, etag: d.etag, status: d.status })), functions: [], summary: document.summary });
      return;
    }
    // A saved plan was reviewed when it was made; applying it unchanged needs no second yes.
    if (!saved && !(await approve(ctx, 'attach', 'Apply these changes?', ' (or apply a reviewed plan with --plan)'))) return;
    const ticker = progress(ctx);
    // Ctrl-C while applying: finish the step in flight, then undo (or, once the
    // distribution is written, stop waiting); exit 130. Never a half-done step.
    const clients = await ctx.clients();
    let result: AttachResult;
    try {
      result = await guardInterrupts(ctx, (signal) =>
        applyAttach(clients, prepared, {
          wait: flags.wait,
          waitTimeoutSeconds,
          // The sandbox deploys in seconds; CloudFront takes minutes, so poll it gently.
          pollSeconds: ctx.endpointUrl ? 1 : 15,
          verifyUrl: flags.verifyUrl,
          rollbackOnFailure: !!flags.rollbackOnFailure,
          signal,
          onEvent: ticker.onEvent,
        }),
      );
    } finally {
      ticker.stop();
    }
    const failed = result.distributions.filter((d) => !d.ok);
    const single = result.distributions.length === 1;
    for (const d of result.distributions) {
      if (d.ok) ctx.err(`✓ ${d.id}: ${d.written ? `applied${d.revision ? `, revision ${d.revision}` : ''}` : 'no changes'}`);
      else if (!single) ctx.err(`✗ ${d.id}: ${errorLine(d.error)}`);
    }
    if (ctx.flags.json) ctx.json(resultDocument(result, document.summary));
    // One distribution: its own error is the message (with the fix, for an AWS error).
    if (single && failed[0]?.error) throw failed[0].error;
    if (failed.length) {
      const others = result.distributions.length - failed.length;
      throw new RuntimeError(`${failed.length} of ${result.distributions.length} distributions did not finish (${failed.map((d) => d.id).join(', ')})${others ? `; the other ${others} ${others === 1 ? 'was' : 'were'} applied` : ''}.`);
    }
  } finally {
    ctx.close();
  }
}
