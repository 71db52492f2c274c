/** "Did you mean …?" for misspelt keys, enum values and references. */

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest candidate when it is plausibly a typo (same letters ignoring case/separators, or a few edits). */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const normalize = (s: string): string => s.toLowerCase().replace(/[-_\s.]/g, '');
  const wanted = normalize(input);
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const score = normalize(candidate) === wanted ? 0 : distance(input.toLowerCase(), candidate.toLowerCase());
    if (!best || score < best.score) best = { candidate, score };
  }
  if (!best) return undefined;
  const budget = Math.max(1, Math.min(3, Math.floor(input.length / 3)));
  return best.score <= budget ? best.candidate : undefined;
}

/** `a, b, c` — or `(none)` for an empty list. */
export function listOf(items: Iterable<string>, quote = false): string {
  const all = [...items].map((item) => (quote ? JSON.stringify(item) : item));
  return all.length ? all.join(', ') : '(none)';
}
