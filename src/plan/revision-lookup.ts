/**
 * PURE: finding a revision by the id a user typed — `revisions show <id>` and `rollback --to
 * <id>` — and, when there is none, the message that helps: the nearest ids (did you mean), the
 * latest ones, and `edge-install revisions`, which lists them all.
 *
 * An id is the revision's name as `edge-install revisions` prints it (`000003-E1…`); its number
 * alone (`3`) or unpadded (`3-E1…`) names the same revision, since numbers are the
 * integration's, one per revision (src/state/revisions.ts). Revisions older edge-install wrote,
 * named by a clock, are found by their whole name.
 */
import { closest } from '../manifest/suggest.js';
import { inOrder, type Revision } from './revision.js';

const NUMBER = /^0*(\d+)$/;
const NUMBER_AND_DISTRIBUTION = /^0*(\d+)-(.+)$/;

/** The revision `given` names, if any. */
export function findRevision<T extends Pick<Revision, 'revision' | 'seq' | 'distributionId'>>(revisions: readonly T[], given: string): T | undefined {
  const text = given.trim();
  const exact = revisions.find((r) => r.revision === text);
  if (exact) return exact;
  const number = NUMBER.exec(text);
  if (number) return revisions.find((r) => r.seq === Number(number[1]));
  const both = NUMBER_AND_DISTRIBUTION.exec(text);
  if (both) return revisions.find((r) => r.seq === Number(both[1]) && r.distributionId === both[2]);
  return undefined;
}

/** Where in `revisions` the one `given` names is; -1 when none. */
export function indexOfRevision(revisions: readonly Revision[], given: string): number {
  const found = findRevision(revisions, given);
  return found ? revisions.indexOf(found) : -1;
}

/** `000003-E1… (attach, 2026-12-02 16:30 UTC)`: an id with enough to recognise it. */
export function revisionLabel(r: Pick<Revision, 'revision' | 'kind' | 'createdAt'>): string {
  return `${r.revision} (${r.kind ?? 'change'}, ${utcMinute(r.createdAt)})`;
}

/**
 * `2026-12-02T16:30:20.123Z` → `2026-12-02 16:30 UTC`. Revisions store createdAt as
 * toISOString() writes it (always UTC), so this is text, not a clock; anything else is shown as stored.
 */
export function utcMinute(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[:.\d]*Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** How many of the latest revisions a message names. */
const LATEST = 3;

/**
 * Why `given` names no revision, with what to type instead: the nearest id when it looks like
 * a typo of one, the latest ids, and the command that lists them all. `what` is how the
 * message starts (`--to nope`, `revision nope`); `where` names the state (its location).
 */
export function unknownRevisionMessage(what: string, given: string, revisions: readonly Revision[], integration: string, where: string): string {
  if (!revisions.length) {
    return `${what}: there are no revisions of ${integration} in ${where}, so there is nothing to name. Fix: check --state / --state-dir (the revisions are where the change was recorded; \`edge-install status\` shows where this run looks).`;
  }
  const ordered = inOrder(revisions);
  const ids = ordered.map((r) => r.revision);
  // A typo of a whole id, or the id in another case (`e1demo…` for `E1DEMO…`).
  const near = closest(given, ids) ?? ids.find((id) => id.toLowerCase() === given.trim().toLowerCase());
  const latest = ordered.slice(-LATEST).reverse();
  const meant = near ? ` Did you mean ${near}?` : '';
  return (
    `${what}: no such revision of ${integration} in ${where}.${meant} ` +
    `The latest: ${latest.map(revisionLabel).join('; ')}. ` +
    `Fix: run \`edge-install revisions\` to list them all, and give an id from it${latest[0]!.seq === undefined ? '' : ` (or its number, such as ${latest[0]!.seq})`}.`
  );
}
