/**
 * PURE: CloudFront cache-behavior path patterns — matching, exact set relations between two
 * patterns, and where a new ordered behavior must go so CloudFront's first-match rule gives
 * it exactly the paths it should have. No I/O, standard library only.
 *
 * The language: `*` matches any sequence of characters (including `/` and the empty string),
 * `?` matches exactly one character, everything else is a literal and matching is
 * case-sensitive. CloudFront treats `images/*.jpg` and `/images/*.jpg` alike (request paths
 * always start with `/`), so every pattern — and every path given to {@link matches} — is
 * compared in its leading-slash form ({@link normalizePattern}). The universe of paths is
 * therefore "strings starting with `/`"; `*` (the default behavior) is `/*` there and matches
 * every path.
 *
 * How the relations are decided (all exact, no heuristics):
 *
 * - `intersects(a, b)`: breadth-first search over pairs (i, j) of positions in the two
 *   patterns (the product of their position automata): a character can be consumed jointly
 *   unless both sides need different literals. O(|a|·|b|).
 *
 * - `includes(a, b)` (every path of b is a path of a): a search for a path of b that a rejects,
 *   over (position in b, set of positions a can be in). Two facts keep it small and exact:
 *
 *   1. Only "z-texts" of b need checking: b with each `?` replaced by one character z that is
 *      not a literal of a, and each `*` by z^k (k ≥ 0). If every z-text matches a, so does
 *      every path of b: take a path w of b, replace what b's wildcards consumed by z to get
 *      a z-text w'; in a's match of w', every z is consumed by a `?` or `*` of a (z is not a
 *      literal of a), and those match any character, so putting w's characters back still
 *      matches. Hence b's wildcards only ever emit z, and a sees only its own literals and
 *      "anything else".
 *   2. In a's position set, a reached `*` at position s dominates every position before it
 *      (whatever a can match from i < s it can match from s, since `*` absorbs anything), so
 *      those are dropped. The set is then "the last star reached + the offsets still alive
 *      in the segment after it".
 *
 *   Cost: O(|b| · R · |a|) where R is the number of distinct position sets met. For a pattern
 *   a without `?` the live offsets in a segment are determined by the longest one (as in
 *   KMP), so R = O(|a|²) and the whole check is polynomial. `?`s in a segment of a can make
 *   R grow exponentially with their number, and only when b's stars let the text around them
 *   vary (e.g. a = `/*x??????`, b = `/*x*x*x*x*x*`); no polynomial algorithm is known for
 *   inclusion between globs that mix `?` and `*`, but real path patterns use few `?`, if any.
 *
 * - `relation(a, b)` combines the two.
 *
 * Ordering ({@link insertionIndex}, {@link orderNewPatterns}): a new behavior P goes before
 * every existing behavior that strictly includes it (or that one would shadow it), after every
 * one it strictly includes (or it would steal all their paths), and — among the positions
 * that satisfy both — before the first behavior it partially overlaps, else at the LATEST
 * one (just before the first strict superset, or at the end of the ordered list, which is
 * still before the default `*`). Reasons: the manifest says P's requests go to P's behavior,
 * and an integration is broken if some of them do not (a site's `*.js` behavior serving the
 * vendor's `/12345678/init.js`); the more specific behaviors a user already has keep their
 * paths. Among positions that all give P its paths, the latest changes the fewest hands.
 * Paths P shares with a partially overlapping behavior therefore go to P, unless a required
 * constraint puts P after that behavior; every partial overlap is reported as a warning
 * saying which side gets the shared paths, with an example path.
 */

/** CloudFront's limit on the length of a PathPattern. */
export const MAX_PATH_PATTERN_LENGTH = 255;

/** The characters CloudFront accepts in a PathPattern (`&` is sent as `&amp;`). */
const ALLOWED = /^[A-Za-z0-9_\-.*?$/~"'@:+&]*$/;

export type PatternRelation = 'equal' | 'superset' | 'subset' | 'overlap' | 'disjoint';

/** The leading-slash form CloudFront compares: `images/*.jpg` → `/images/*.jpg`, `*` → `/*`. */
export function normalizePattern(pattern: string): string {
  return pattern.startsWith('/') ? pattern : `/${pattern}`;
}

/** What is wrong with a PathPattern for CloudFront (empty when it is acceptable). */
export function pathPatternProblems(pattern: string): string[] {
  const problems: string[] = [];
  if (pattern.length === 0) problems.push('the path pattern is empty');
  if (pattern.length > MAX_PATH_PATTERN_LENGTH) {
    problems.push(`the path pattern is ${pattern.length} characters long; CloudFront allows ${MAX_PATH_PATTERN_LENGTH}`);
  }
  if (!ALLOWED.test(pattern)) {
    const bad = [...new Set([...pattern].filter((c) => !ALLOWED.test(c)))];
    problems.push(
      `the path pattern contains ${bad.map((c) => JSON.stringify(c)).join(', ')}; CloudFront allows only A-Z a-z 0-9 _ - . * ? $ / ~ " ' @ : + &`,
    );
  }
  return problems;
}

// ---- tokens -------------------------------------------------------------------------------

/** A pattern as tokens: a literal is its UTF-16 code unit (≥ 0), or one of the two wildcards. */
const STAR = -1;
const ANY = -2;
/** In a's eyes, every character that is not one of a's literals. */
const OTHER = -3;

/**
 * Leading-slash form, as tokens, with each run of wildcards in canonical order — all `?`
 * first, then one `*` if the run had any (`*?*` and `?*` are the same language).
 */
function compile(pattern: string): number[] {
  const p = normalizePattern(pattern);
  const out: number[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p.charCodeAt(i);
    if (c !== 42 /* * */ && c !== 63 /* ? */) {
      out.push(c);
      i++;
      continue;
    }
    let anys = 0;
    let star = false;
    while (i < p.length && (p.charCodeAt(i) === 42 || p.charCodeAt(i) === 63)) {
      if (p.charCodeAt(i) === 42) star = true;
      else anys++;
      i++;
    }
    for (let k = 0; k < anys; k++) out.push(ANY);
    if (star) out.push(STAR);
  }
  return out;
}

function sameTokens(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function literals(tokens: number[]): Set<number> {
  return new Set(tokens.filter((t) => t >= 0));
}

/** A readable character that is none of `avoid` (there are far more candidates than literals). */
function freshChar(avoid: Set<number>): number {
  const preferred = 'xyzqjkwvXYZQ0123456789';
  for (let i = 0; i < preferred.length; i++) {
    const c = preferred.charCodeAt(i);
    if (!avoid.has(c)) return c;
  }
  for (let c = 0x4e00; ; c++) if (!avoid.has(c)) return c;
}

// ---- matching -----------------------------------------------------------------------------

/**
 * Does `path` match `pattern`? Both are taken in leading-slash form (request paths always
 * start with `/`; a path without one is treated as if it had it). Greedy matching that only
 * ever backtracks to the last `*`: O(|pattern| · |path|) at worst, no regular expressions.
 */
export function matches(pattern: string, path: string): boolean {
  const p = compile(pattern);
  const s = normalizePattern(path);
  let pi = 0;
  let si = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (si < s.length) {
    const t = p[pi];
    if (t === STAR) {
      starAt = pi++;
      resumeAt = si;
    } else if (t !== undefined && (t === ANY || t === s.charCodeAt(si))) {
      pi++;
      si++;
    } else if (starAt >= 0) {
      // Let the last star absorb one more character and retry what follows it.
      pi = starAt + 1;
      si = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p[pi] === STAR) pi++;
  return pi === p.length;
}

// ---- intersection -------------------------------------------------------------------------

/** A path both patterns match (a short one, found breadth-first), or undefined when they share none. */
export function commonPath(a: string, b: string): string | undefined {
  const A = compile(a);
  const B = compile(b);
  const n = A.length;
  const m = B.length;
  const filler = freshChar(new Set()); // any character does where both sides are wildcards
  const width = m + 1;
  // parent[state] = previous state, or -1 for the start; char[state] = code consumed to get here (-1: none).
  const parent = new Int32Array((n + 1) * width).fill(-2);
  const char = new Int32Array((n + 1) * width).fill(-1);
  const queue: number[] = [0];
  parent[0] = -1;
  const visit = (from: number, i: number, j: number, c: number) => {
    const id = i * width + j;
    if (parent[id] !== -2) return;
    parent[id] = from;
    char[id] = c;
    queue.push(id);
  };
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!;
    const i = Math.floor(id / width);
    const j = id % width;
    if (i === n && j === m) return pathTo(id, parent, char);
    const ta = A[i];
    const tb = B[j];
    // A star may match nothing.
    if (ta === STAR) visit(id, i + 1, j, -1);
    if (tb === STAR) visit(id, i, j + 1, -1);
    if (ta === undefined || tb === undefined) continue;
    // One character consumed by both (a star consumes it and stays; both stars staying is a no-op loop).
    if (ta >= 0 && tb >= 0 && ta !== tb) continue;
    const ni = ta === STAR ? i : i + 1;
    const nj = tb === STAR ? j : j + 1;
    if (ni === i && nj === j) continue;
    visit(id, ni, nj, ta >= 0 ? ta : tb >= 0 ? tb : filler);
  }
  return undefined;
}

function pathTo(id: number, parent: Int32Array, char: Int32Array): string {
  const codes: number[] = [];
  for (let at = id; at >= 0; at = parent[at]!) if (char[at]! >= 0) codes.push(char[at]!);
  return String.fromCharCode(...codes.reverse());
}

/** Is there a path both patterns match? Exact; O(|a|·|b|). */
export function intersects(a: string, b: string): boolean {
  return commonPath(a, b) !== undefined;
}

// ---- inclusion ----------------------------------------------------------------------------

/**
 * A path that `b` matches and `a` does not (a short one, found breadth-first among b's
 * "z-texts", see the module comment), or undefined when every path of b is a path of a.
 */
export function inclusionCounterexample(a: string, b: string): string | undefined {
  const A = compile(a);
  const B = compile(b);
  if (sameTokens(A, B)) return undefined;
  const n = A.length;
  const m = B.length;
  const litsA = literals(A);
  const z = freshChar(litsA);

  /** Close a position set of a under "a star may match nothing", then drop dominated positions. */
  const close = (positions: Iterable<number>): number[] => {
    const set = new Set<number>();
    for (const p of positions) {
      let i = p;
      set.add(i);
      while (A[i] === STAR) set.add(++i);
    }
    let lastStar = -1;
    for (const i of set) if (A[i] === STAR && i > lastStar) lastStar = i;
    return [...set].filter((i) => i >= lastStar).sort((x, y) => x - y);
  };
  const step = (positions: number[], cls: number): number[] => {
    const next: number[] = [];
    for (const i of positions) {
      const t = A[i];
      if (t === undefined) continue;
      if (t === STAR) next.push(i);
      else if (t === ANY || t === cls) next.push(i + 1);
    }
    return close(next);
  };
  /** The rest of b from position j, spelt the shortest way (stars empty, `?` as z). */
  const rest = (j: number): string =>
    String.fromCharCode(...B.slice(j).filter((t) => t !== STAR).map((t) => (t === ANY ? z : t)));

  interface Node {
    j: number;
    positions: number[];
    parent: Node | undefined;
    code: number;
  }
  const seen = new Set<string>();
  const spell = (node: Node): string => {
    const codes: number[] = [];
    for (let at: Node | undefined = node; at; at = at.parent) if (at.code >= 0) codes.push(at.code);
    return String.fromCharCode(...codes.reverse());
  };
  const queue: Node[] = [];
  const visit = (parent: Node | undefined, j: number, positions: number[], code: number) => {
    const key = `${j}|${positions.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push({ j, positions, parent, code });
  };
  visit(undefined, 0, close([0]), -1);
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    const { j, positions } = node;
    // a can no longer match anything, while b can always still be completed.
    if (positions.length === 0) return spell(node) + rest(j);
    if (j === m) {
      if (!positions.includes(n)) return spell(node);
      continue;
    }
    const t = B[j]!;
    if (t === STAR) {
      visit(node, j + 1, positions, -1); // the star matches nothing more
      visit(node, j, step(positions, OTHER), z); // the star takes one more z
    } else if (t === ANY) {
      visit(node, j + 1, step(positions, OTHER), z);
    } else {
      visit(node, j + 1, step(positions, litsA.has(t) ? t : OTHER), t);
    }
  }
  return undefined;
}

/** Is every path matched by `b` also matched by `a`? Exact (see the module comment). */
export function includes(a: string, b: string): boolean {
  return inclusionCounterexample(a, b) === undefined;
}

/**
 * How the paths of `a` relate to those of `b`: `superset` means a ⊋ b, `subset` a ⊊ b,
 * `overlap` that they share some path but neither includes the other.
 */
export function relation(a: string, b: string): PatternRelation {
  const aIncludesB = includes(a, b);
  const bIncludesA = includes(b, a);
  if (aIncludesB && bIncludesA) return 'equal';
  if (aIncludesB) return 'superset';
  if (bIncludesA) return 'subset';
  return intersects(a, b) ? 'overlap' : 'disjoint';
}

// ---- ordering -----------------------------------------------------------------------------

export interface OverlapWarning {
  kind: 'overlap';
  /** The other pattern, and its index (in the existing list for insertionIndex; in the final order for orderNewPatterns). */
  pattern: string;
  index: number;
  /** The new pattern the warning is about. */
  newPattern: string;
  /** Which of the two gets the paths they share, with an example path. */
  message: string;
}

export interface InsertionConflict {
  /** `same pattern`, or why no position works (naming the two existing patterns). */
  reason: string;
  /** The existing behaviors involved, with their indexes. */
  patterns: { pattern: string; index: number }[];
}

export interface Insertion {
  /** Where to splice the new behavior into the ordered list; -1 (unusable) when there is a conflict. */
  index: number;
  warnings: OverlapWarning[];
  conflict?: InsertionConflict;
}

/**
 * Where a NEW ordered cache behavior with `newPattern` goes among `existing` (the ordered
 * behaviors' patterns, in order, WITHOUT the default `*`, which stays last): before every
 * strict superset, after every strict subset, and of the positions left, before the first
 * partial overlap, else the latest — see the module comment for why. An existing behavior with the same paths (`equal`, whether or not it
 * is spelt the same) is a conflict with reason `same pattern`: creating a second one is never
 * right; adopt it instead. If a strict superset already comes before a strict subset (that
 * subset was shadowed already: the list is misordered) no position works, which is a conflict
 * naming both. Partial overlaps are warnings.
 */
export function insertionIndex(existing: string[], newPattern: string): Insertion {
  const relations = existing.map((pattern) => relation(pattern, newPattern));
  const same = relations.indexOf('equal');
  if (same >= 0) {
    return { index: -1, warnings: [], conflict: { reason: 'same pattern', patterns: [{ pattern: existing[same]!, index: same }] } };
  }
  const firstSuperset = relations.indexOf('superset');
  const lastSubset = relations.lastIndexOf('subset');
  if (firstSuperset >= 0 && lastSubset > firstSuperset) {
    const sup = existing[firstSuperset]!;
    const sub = existing[lastSubset]!;
    return {
      index: -1,
      warnings: [],
      conflict: {
        reason:
          `${newPattern} must come before ${sup} (index ${firstSuperset}), which includes it, and after ${sub} (index ${lastSubset}), which it includes, ` +
          `but ${sup} already comes before ${sub} (so ${sub} never receives a request): reorder the existing behaviors first`,
        patterns: [
          { pattern: sup, index: firstSuperset },
          { pattern: sub, index: lastSubset },
        ],
      },
    };
  }
  const latest = firstSuperset >= 0 ? firstSuperset : existing.length;
  const firstOverlap = relations.findIndex((r, k) => r === 'overlap' && k > lastSubset && k < latest);
  const index = firstOverlap >= 0 ? firstOverlap : latest;
  const warnings: OverlapWarning[] = [];
  relations.forEach((r, k) => {
    if (r !== 'overlap') return;
    const pattern = existing[k]!;
    const example = commonPath(pattern, newPattern);
    const message =
      k < index
        ? `paths matching both ${pattern} and ${newPattern} keep going to ${pattern} (index ${k}), e.g. ${example}`
        : `paths matching both ${pattern} and ${newPattern} now go to ${newPattern}, inserted at index ${index} ahead of ${pattern} (index ${k}, moving to ${k + 1}), e.g. ${example}`;
    warnings.push({ kind: 'overlap', pattern, index: k, newPattern, message });
  });
  return { index, warnings };
}

/**
 * Where a behavior that existed before (rollback puts it back) goes: at `recorded`, its old
 * place, when that is still right by the rules of {@link insertionIndex} — no strict superset
 * before it, no strict subset after it — else where insertionIndex puts it. Keeping the old
 * place when it is right makes a rollback with nothing else changed restore the exact order.
 */
export function restoreIndex(existing: string[], pattern: string, recorded: number): Insertion {
  const fresh = insertionIndex(existing, pattern);
  if (fresh.conflict) return fresh;
  const at = Math.max(0, Math.min(recorded, existing.length));
  const fits = existing.every((other, k) => {
    const r = relation(other, pattern);
    return k < at ? r !== 'superset' : r !== 'subset';
  });
  return fits ? { index: at, warnings: [] } : fresh;
}

export interface NewPatternOrder {
  /** The final ordered list (existing and new patterns, as given), without the default `*`. */
  order: string[];
  /** Messages of {@link overlaps}. */
  warnings: string[];
  /** New patterns that could not be placed (left out of {@link order}), one message each. */
  conflicts: string[];
  /** Partial overlaps of each new pattern with the patterns before it in the input, indexes in {@link order}. */
  overlaps: OverlapWarning[];
}

/**
 * Inserts `newPatterns` one after another (each into the list as it is by then) with
 * {@link insertionIndex}, so new patterns also end up ordered among themselves (more specific
 * first). Existing patterns keep their relative order. Overlap warnings are given against the
 * final order: for each new pattern, against the existing patterns and the new ones before it.
 */
export function orderNewPatterns(existing: string[], newPatterns: string[]): NewPatternOrder {
  const order = [...existing];
  const conflicts: string[] = [];
  const placed: string[] = [];
  for (const pattern of newPatterns) {
    const at = insertionIndex(order, pattern);
    if (at.conflict) {
      const reason =
        at.conflict.reason === 'same pattern'
          ? `it matches the same paths as ${at.conflict.patterns[0]!.pattern}${isNew(at.conflict.patterns[0]!.pattern) ? ' (also new)' : ' (existing)'}`
          : at.conflict.reason;
      conflicts.push(`cannot place a behavior for ${pattern}: ${reason}`);
      continue;
    }
    order.splice(at.index, 0, pattern);
    placed.push(pattern);
  }

  function isNew(pattern: string): boolean {
    return placed.includes(pattern) && !existing.includes(pattern);
  }

  const overlaps: OverlapWarning[] = [];
  const earlier = new Set<string>(existing);
  for (const pattern of placed) {
    const at = order.indexOf(pattern);
    for (const other of earlier) {
      if (relation(other, pattern) !== 'overlap') continue;
      const index = order.indexOf(other);
      const example = commonPath(other, pattern);
      const otherLabel = existing.includes(other) ? other : `the new ${other}`;
      const message =
        index < at
          ? `paths matching both ${other} and ${pattern} ${existing.includes(other) ? 'keep going' : 'go'} to ${otherLabel} (index ${index}), not to the new ${pattern} (index ${at}), e.g. ${example}`
          : `paths matching both ${other} and ${pattern} go to the new ${pattern} (index ${at}), ahead of ${otherLabel} (index ${index}), e.g. ${example}`;
      overlaps.push({ kind: 'overlap', pattern: other, index, newPattern: pattern, message });
    }
    earlier.add(pattern);
  }
  return { order, warnings: overlaps.map((w) => w.message), conflicts, overlaps };
}
