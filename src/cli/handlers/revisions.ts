/**
 * `edge-install revisions` and `revisions show <id>`: read the integration's revisions (and its
 * write-ahead journal) from the state store, render them. No lock and no AWS client unless the
 * state is in S3 (commands/revisions.ts says why).
 */
import { UsageError } from '../../errors.js';
import { findRevision, unknownRevisionMessage } from '../../plan/revision-lookup.js';
import { revisionDocument, revisionsDocument } from '../../plan/revision-document.js';
import type { StateProblem } from '../../state/revisions.js';
import { gatherStoredState } from '../../gather/state.js';
import type { CommandContext } from '../context.js';
import { renderRevisionText, renderRevisionsText } from '../render/revisions-text.js';

export interface RevisionsFlags {
  /** `revisions show <id>`. */
  id?: string;
  /** `revisions`: only these distributions' revisions. */
  distribution?: string[];
  /** `revisions`: only the latest n. */
  limit?: number;
}

function warnUnread(ctx: CommandContext<RevisionsFlags>, problems: readonly StateProblem[]): void {
  for (const p of problems) ctx.err(`! ${p.file} cannot be used (${p.reason}); it is left out. Fix: restore it from where it came from, or move it out of the state`);
}

/*
 * The history is read tolerantly (gather/state.ts, as detach does): unlike the commands that act
 * on it, a listing shows what it can — a record that cannot be used is left out and named (a
 * warning, warnUnread), not a reason to show nothing.
 */

export async function listRevisions(ctx: CommandContext<RevisionsFlags>): Promise<void> {
  const { manifest } = await ctx.loadManifest();
  const { store, chosenBy, manifestNames } = await ctx.stateChoice(manifest);
  // A flag overrode the team's state: this is not the history the manifest names (as withLock says it for writers).
  if (manifestNames && manifestNames !== store.location) ctx.err(`! the manifest keeps the state in ${manifestNames}; this lists ${store.location} (${chosenBy})`);
  const history = await gatherStoredState(store, manifest.name, { tolerant: true });
  const only = ctx.flags.distribution ?? [];
  const mine = <T extends { distributionId: string }>(items: T[]) => (only.length ? items.filter((r) => only.includes(r.distributionId)) : items);
  const revisions = mine(history.revisions);
  const shown = ctx.flags.limit ? revisions.slice(-ctx.flags.limit) : revisions;
  const document = revisionsDocument({
    integration: manifest.name,
    state: store.location,
    revisions: shown,
    pending: history.pending.filter((p) => !only.length || only.includes(p.draft.distributionId)),
    problems: history.problems,
  });
  warnUnread(ctx, history.problems);
  if (ctx.global.json) ctx.json(document);
  else ctx.out(renderRevisionsText(document, { color: ctx.color, chosenBy, filtered: only.length > 0 }));
}

export async function showRevision(ctx: CommandContext<RevisionsFlags>): Promise<void> {
  const { manifest } = await ctx.loadManifest();
  const store = await ctx.state(manifest);
  const history = await gatherStoredState(store, manifest.name, { tolerant: true });
  const given = ctx.flags.id ?? '';
  const revision = findRevision(history.revisions, given);
  if (!revision) {
    warnUnread(ctx, history.problems);
    const unread = history.problems.length ? ` (${history.problems.length} record${history.problems.length === 1 ? '' : 's'} in it could not be read: see above)` : '';
    throw new UsageError(unknownRevisionMessage(`revision ${given}`, given, history.revisions, manifest.name, `${store.location}${unread}`));
  }
  const document = revisionDocument(revision);
  if (ctx.global.json) ctx.json(document);
  else ctx.out(renderRevisionText(document, { color: ctx.color }));
}
