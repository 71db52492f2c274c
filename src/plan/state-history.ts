/**
 * PURE: whether two copies of an integration's history agree, and what moving one onto the
 * other copies (`state push` / `state pull`). A history is the integration's revisions in the
 * order they were made (1, 2, …).
 *
 * Two copies agree when, taken in order, one is the beginning of the other: the same names
 * with the same records, until one of them ends. Then the source's revisions past the end of
 * the target's are what to copy, and a target that goes on past the source's end is ahead.
 * Anything else is a divergence, and the first place where they part is named:
 *
 * - the same number under two names (two machines each made their own revision 2);
 * - the same name with two records (one was changed by hand, or written by another run);
 * - a number one side has and the other skips: every writer numbers a revision after the ones
 *   it saw, so a history with a hole where the other has a revision was written without it —
 *   filling the hole would make a history nobody lived through.
 *
 * Copying adds records and never changes one, so this is all the check a transfer needs: a
 * copy interrupted half-way leaves the target a beginning of the source, and the next run goes
 * on from there.
 */
import { inOrder, type Revision } from './revision.js';
import { diffFields } from './values.js';

/** How messages name each side: `the state dir /x`, `s3://bucket/prefix`. */
export interface HistorySides {
  source: string;
  target: string;
}

/** Where two histories part, and what each side holds there. */
export interface Divergence {
  /** `revision 2`, or an older unnumbered revision's name. */
  at: string;
  /** The source's revision there; undefined when the source has none at that number. */
  source?: Revision;
  /** The target's revision there; undefined when the target has none at that number. */
  target?: Revision;
  /** The revision that side holds next instead, when it has none at that number. */
  sourceNext?: Revision;
  targetNext?: Revision;
  /** The same name with two records: the fields that differ. */
  fields?: string[];
}

export type HistoryComparison =
  /** `toCopy`: the source's revisions the target lacks, in order; `ahead`: the target's the source lacks. */
  | { agree: true; toCopy: Revision[]; ahead: Revision[] }
  | { agree: false; divergence: Divergence };

/** A revision record's fields as both sides would have to hold them: one notion of equal (values.ts), key order never matters. */
const differingFields = (a: Revision, b: Revision): string[] => diffFields(a, b).map((f) => f.path);

const numberOf = (r: Revision) => (r.seq === undefined ? r.revision : `revision ${r.seq}`);

/** Which of two revisions comes first in a history (inOrder's rule). */
const earlier = (a: Revision, b: Revision) => inOrder([a, b])[0] === a;

export function compareHistories(source: readonly Revision[], target: readonly Revision[]): HistoryComparison {
  const s = inOrder(source);
  const t = inOrder(target);
  const common = Math.min(s.length, t.length);
  for (let i = 0; i < common; i++) {
    const a = s[i]!;
    const b = t[i]!;
    if (a.revision === b.revision) {
      const fields = differingFields(b, a);
      if (fields.length) return { agree: false, divergence: { at: numberOf(a), source: a, target: b, fields } };
      continue;
    }
    if (a.seq !== undefined && a.seq === b.seq) return { agree: false, divergence: { at: numberOf(a), source: a, target: b } };
    // One side skips a number (or an unnumbered name) the other has: name the one that comes first.
    return earlier(a, b)
      ? { agree: false, divergence: { at: numberOf(a), source: a, targetNext: b } }
      : { agree: false, divergence: { at: numberOf(b), target: b, sourceNext: a } };
  }
  return { agree: true, toCopy: s.slice(common), ahead: t.slice(common) };
}

/** `000002-E1… (rollback of E1…, made 2026-…)`: enough to tell two records apart, and find them. */
export function revisionSummary(r: Revision): string {
  return `${r.revision} (${r.kind ?? 'change'} of ${r.distributionId}, made ${r.createdAt})`;
}

function holds(side: string, r: Revision | undefined, next: Revision | undefined): string {
  if (r) return `${side} holds ${revisionSummary(r)}`;
  return `${side} has none${next ? ` (its next is ${revisionSummary(next)})` : ''}`;
}

/** The first difference in words: which number or name, what each side holds, and where. */
export function divergenceText(d: Divergence, sides: HistorySides): string {
  const both = `${holds(sides.source, d.source, d.sourceNext)}; ${holds(sides.target, d.target, d.targetNext)}`;
  const fields = d.fields?.length ? `; the two records differ in ${d.fields.slice(0, 3).join(', ')}${d.fields.length > 3 ? ` and ${d.fields.length - 3} more field(s)` : ''}` : '';
  return `the histories of ${sides.source} and ${sides.target} part at ${d.at}: ${both}${fields}`;
}

/** `2 revisions`, `1 revision`. */
export const revisionCount = (n: number) => `${n} revision${n === 1 ? '' : 's'}`;
