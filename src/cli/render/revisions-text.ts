/**
 * PURE: `edge-install revisions` as text — the history as a table, oldest first and the newest
 * last, nearest the prompt (as `helm history` lists a release's revisions), and one revision
 * (`revisions show`) as the plan renderer shows a plan, under a head saying who made it, what
 * and when. Input is the same documents `--json` prints (src/plan/revision-document.ts).
 */
import type { RevisionDocument, RevisionsDocument } from '../../plan/revision-document.js';
import { summarizeRevision } from '../../plan/revision-summary.js';
import { colors, type Colors } from './colors.js';
import { renderPlanText } from './plan-text.js';
import { clean, ITEM, Out } from './text.js';

/** Shown for a revision older edge-install wrote, before revisions said who made them. */
export const UNKNOWN_CALLER = 'unknown';

/**
 * A caller identity ARN, short enough for a table column and still naming one identity: the
 * account and the identity, without `arn:aws:iam::` / `arn:aws:sts::` (the identity's type
 * says which service it is). An assumed role keeps its role and session names (two people
 * assuming one role differ by session); an IAM Identity Center role
 * (`AWSReservedSSO_<permission set>_<16 hex>`) loses only its random suffix, which names
 * nothing a reader knows — one permission set has one such role per account. The partition
 * is kept when it is not `aws` (China, GovCloud). Anything that is not an ARN is shown as is.
 */
export function shortCaller(arn: string | undefined): string {
  if (!arn) return UNKNOWN_CALLER;
  const m = /^arn:([^:]+):(?:iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!m) return arn;
  const [, partition, account, identity] = m as unknown as [string, string, string, string];
  const shown = identity.replace(/^assumed-role\/(AWSReservedSSO_.+?)_[0-9a-f]{16}\//, 'assumed-role/$1/');
  return `${partition === 'aws' ? '' : `${partition}:`}${account}:${shown}`;
}

/** `2026-12-02T16:30:20.123Z` → `2026-12-02 16:30:20` (the column says UTC); a date that does not parse as stored. */
export function utcTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Table cells: the summary is last and not padded; items past this many are counted, not named (--json has them all). */
const SUMMARY_ITEMS = 6;

function table(out: Out, header: string[], rows: string[][]): void {
  const { c } = out;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  out.line(c.bold(line(header)));
  for (const row of rows) out.line(line(row));
}

export function renderRevisionsText(document: RevisionsDocument, options: { color: boolean; chosenBy?: string; filtered?: boolean }): string {
  const c = colors(options.color);
  const out = new Out(c);
  const where = `${clean(document.state)}${options.chosenBy ? ` (${options.chosenBy})` : ''}`;
  if (!document.revisions.length) {
    out.line(`No revisions of ${clean(document.integration)}${options.filtered ? ' for the distributions given' : ''} in ${where}.`);
    out.line(c.dim(options.filtered ? 'edge-install revisions without --distribution lists them all.' : 'attach records the first one; check --state / --state-dir if you expected some here.'));
  } else {
    out.line(`${c.bold(`Revisions of ${clean(document.integration)}`)} in ${where}, oldest first:`);
    out.line();
    const rows = document.revisions.map((r) => [
      clean(r.id),
      utcTime(r.createdAt),
      clean(shortCaller(r.by)),
      clean(r.kind ?? 'change'),
      clean(r.distributionId),
      clean(summarizeRevision(r, { maxItems: SUMMARY_ITEMS })),
    ]);
    table(out, ['ID', 'TIME (UTC)', 'WHO', 'COMMAND', 'DISTRIBUTION', 'CHANGES'], rows);
    out.line();
    out.line(c.dim('Show one: edge-install revisions show <id>. Go back to one: edge-install rollback --to <id> (the number alone, e.g. 3, names it too).'));
  }
  pendingLines(out, document, c);
  return out.text();
}

function pendingLines(out: Out, document: RevisionsDocument, c: Colors): void {
  if (!document.pending.length) return;
  out.line();
  out.messages(
    '',
    c.yellow('!'),
    document.pending.map(
      (p) =>
        `${p.kind} of ${p.distributionId} started ${utcTime(p.createdAt)} UTC by ${shortCaller(p.by)} is in the journal, not yet a revision: its run stopped between the write and its record. ` +
        'The next attach, rollback, detach, promote or abort records it (or drops it, if the write never took effect); edge-install status shows where it stands.',
    ),
  );
}

/** `revisions show`: who made the revision, what and when, then its changes as `plan` shows changes. */
export function renderRevisionText(document: RevisionDocument, options: { color: boolean }): string {
  const c = colors(options.color);
  const out = new Out(c);
  const r = document.revision;
  out.line(c.bold(`Revision ${clean(r.id)}`));
  out.fields(ITEM, [
    ['command', clean(r.kind)],
    ['by', clean(r.by ?? `${UNKNOWN_CALLER} (recorded before edge-install kept who made a change)`)],
    ['made', `${utcTime(r.createdAt)} UTC`],
    ['distribution', clean(r.distributionId)],
    ['changed', clean(r.summary)],
  ]);
  out.line();
  const plan = renderPlanText(document, { color: options.color, nothing: 'This revision changed none of the owned parts, nor the secret.' });
  // The plan renderer's last line counts what a plan *will* do; a revision tells what it did.
  // eslint-disable-next-line no-control-regex
  const past = plan.replace(/^((?:\u001b\[[0-9;]*m)*)Plan: (\d+) to create, (\d+) to update, (\d+) to delete\./m, (_m, open: string, a: string, u: string, d: string) => `${open}Changed: ${a} created, ${u} updated, ${d} deleted.`);
  return `${out.text()}${past}${c.dim(`Go back to how it left things: edge-install rollback --to ${clean(r.id)}${r.distributionId ? ` --distribution ${clean(r.distributionId)}` : ''}`)}\n`;
}
