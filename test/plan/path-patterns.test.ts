/**
 * Path patterns: matching, exact inclusion / intersection / relation (cross-checked against
 * brute force), and where new ordered behaviors go.
 */
import { describe, expect, it } from 'vitest';
import {
  commonPath,
  includes,
  inclusionCounterexample,
  insertionIndex,
  intersects,
  matches,
  normalizePattern,
  orderNewPatterns,
  pathPatternProblems,
  relation,
  type PatternRelation,
} from '../../src/plan/path-patterns.js';

// ---- helpers ------------------------------------------------------------------------------

/** Seeded PRNG (mulberry32): the same cases on every run. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPattern(random: () => number, alphabet: string, maxLength: number): string {
  const length = 1 + Math.floor(random() * maxLength);
  let p = '';
  for (let i = 0; i < length; i++) p += alphabet[Math.floor(random() * alphabet.length)];
  return p;
}

/** Independent reference matcher: an anchored RegExp (fine for the tiny patterns used here). */
const regexCache = new Map<string, RegExp>();
function reference(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    const body = [...normalizePattern(pattern)]
      .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`);
    regexCache.set(pattern, re);
  }
  return re;
}
const refMatches = (pattern: string, path: string) => reference(pattern).test(path);

// ---- matches ------------------------------------------------------------------------------

describe('matches', () => {
  it.each([
    ['/api/*', '/api/', true],
    ['/api/*', '/api/v1/users', true],
    ['/api/*', '/api', false],
    ['/api/*', '/API/x', false], // case-sensitive
    ['api/*', '/api/x', true], // missing leading slash on the pattern
    ['/api/*', 'api/x', true], // … or on the path
    ['*', '/', true],
    ['*', '/anything/at/all.html', true],
    ['/*.jpg', '/images/deep/a.jpg', true], // * spans slashes
    ['/*.jpg', '/a.jpeg', false],
    ['/a?c', '/abc', true],
    ['/a?c', '/a/c', true], // ? matches a slash too
    ['/a?c', '/ac', false],
    ['/a?c', '/abbc', false],
    ['/a*b*c', '/abc', true],
    ['/a*b*c', '/axxbyyc', true],
    ['/a*b*c', '/axxcyyb', false],
    ['/*', '/', true],
    ['/', '/', true],
    ['/', '/x', false],
    ['/a.b', '/axb', false], // . is a literal
    ['/x$y+z', '/x$y+z', true],
    ['/*a*a*a*a*a*a*a*a*a*a*b', `/${'a'.repeat(60)}`, false], // many stars, no blow-up
  ])('matches(%j, %j) = %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
    // (The RegExp reference backtracks exponentially on the many-stars row.)
    if (pattern.length < 20) expect(refMatches(pattern, normalizePattern(path))).toBe(expected);
  });

  it('agrees with a reference RegExp matcher on random patterns and paths', () => {
    const random = rng(7);
    for (let n = 0; n < 5000; n++) {
      const pattern = randomPattern(random, 'ab/*?', 7);
      const path = `/${randomPattern(random, 'ab/c', 8)}`;
      expect(matches(pattern, path), `${pattern} ~ ${path}`).toBe(refMatches(pattern, path));
    }
  });

  it('stays fast on long patterns with many stars (polynomial, no regex backtracking)', () => {
    const pattern = `/${'*a'.repeat(120)}b`; // 242 characters
    expect(matches(pattern, `/${'a'.repeat(5000)}`)).toBe(false);
    expect(matches(pattern, `/${'a'.repeat(5000)}b`)).toBe(true);
  });
});

describe('normalizePattern and pathPatternProblems', () => {
  it('adds a missing leading slash only', () => {
    expect(normalizePattern('images/*.jpg')).toBe('/images/*.jpg');
    expect(normalizePattern('/images/*.jpg')).toBe('/images/*.jpg');
    expect(normalizePattern('*')).toBe('/*');
  });

  it('reports what CloudFront would refuse', () => {
    expect(pathPatternProblems('/api/v1/*.json')).toEqual([]);
    expect(pathPatternProblems(`/a-b_c.d~e$f"g'h@i:j+k&l?m*`)).toEqual([]);
    expect(pathPatternProblems('')).toEqual(['the path pattern is empty']);
    expect(pathPatternProblems('/a b')[0]).toContain('" "');
    expect(pathPatternProblems('/a%20b#c')[0]).toMatch(/"%", "#"/);
    expect(pathPatternProblems(`/${'a'.repeat(255)}`)[0]).toContain('256 characters long');
  });
});

// ---- relations ----------------------------------------------------------------------------

describe('includes / relation (table)', () => {
  it.each([
    ['/api/*', '/api/v1/*', true],
    ['/api/*', '/api*', false],
    ['/*.jpg', '/images/*.jpg', true],
    ['/a?c', '/abc', true],
    ['/a*', '/a?', true],
    ['/a?*', '/a*', false], // the empty tail: /a
    ['*', '/anything/*.x', true],
    ['*', 'a?b', true],
    ['/x/*/y', '/x/a/b/y', true], // * spans '/'
    ['/?*', '/*x', true], // every path of /*x has at least one character after the slash
    ['/*?', '/?*', true],
    ['/*x?*', '/x*x', true], // an x followed by something — a simple position-by-position DP gets this wrong
    ['/x*x', '/*x?*', false],
    ['/a/*', '/A/*', false], // case-sensitive
  ])('includes(%j, %j) = %s', (a, b, expected) => {
    expect(includes(a, b)).toBe(expected);
    const counterexample = inclusionCounterexample(a, b);
    if (expected) expect(counterexample).toBeUndefined();
    else expect(matches(b, counterexample!) && !matches(a, counterexample!), `${counterexample}`).toBe(true);
  });

  const cases: [string, string, PatternRelation][] = [
    ['/api/*', '/api/v1/*', 'superset'],
    ['/api/v1/*', '/api/*', 'subset'],
    ['/api/*', '/api*', 'subset'],
    ['/*.jpg', '/images/*.jpg', 'superset'],
    ['/a?c', '/abc', 'superset'],
    ['/a?c', '/a/c', 'superset'], // ? matches '/'
    ['/a*', '/a?', 'superset'],
    ['/a?*', '/a*', 'subset'],
    ['/a*', '/a', 'superset'], // a star may be empty
    ['/a?', '/a*', 'subset'],
    ['/??', '/*', 'subset'],
    ['/?', '/??', 'disjoint'],
    ['*', '/anything/here', 'superset'],
    ['/*', '/', 'superset'],
    ['/x/*/y', '/x/a/b/y', 'superset'],
    ['/*/*', '/*', 'subset'],
    ['/*/*', '/a/b', 'superset'],
    ['/a*c', '/ab*bc', 'superset'],
    ['/a*b*c', '/a*c', 'subset'],
    ['/*ab*', '/*a*b*', 'subset'],
    ['/*a*b*', '/*b*a*', 'overlap'], // /aba
    ['/?*', '/*x', 'superset'],
    ['/*x?*', '/x*x', 'superset'],
    // leading-slash normalisation and identical / equivalent spellings
    ['images/*.jpg', '/images/*.jpg', 'equal'],
    ['/api/*', 'api/*', 'equal'],
    ['fpjs-abc/*', '/fpjs-abc/*', 'equal'],
    ['*', '/*', 'equal'],
    ['/*?', '/?*', 'equal'],
    ['/*?*?', '/??*', 'equal'],
    ['/a**b', '/a*b', 'equal'],
    ['/abc', '/abc', 'equal'],
    ['/a/*', '/a/*', 'equal'],
    // case sensitivity, literal specials, disjoint and overlapping
    ['/API/*', '/api/*', 'disjoint'],
    ['/a.b', '/axb', 'disjoint'],
    ['/a+b', '/aab', 'disjoint'],
    ['/a/*', '/b/*', 'disjoint'],
    ['/*.js', '/*.json', 'disjoint'],
    ['/*.js*', '/*.json', 'superset'],
    ['/static/*.js', '/static/*', 'subset'],
    ['/*a', '/*b', 'disjoint'],
    ['/a*', '/*b', 'overlap'],
    ['/api/*', '/*.json', 'overlap'],
    ['/fpjs-abc/*', '/api/*', 'disjoint'],
    ['fpjs-abc/*', '/static/*', 'disjoint'],
  ];
  it.each(cases)('relation(%j, %j) = %s', (a, b, expected) => {
    expect(relation(a, b)).toBe(expected);
    const mirror: Record<PatternRelation, PatternRelation> = { equal: 'equal', superset: 'subset', subset: 'superset', overlap: 'overlap', disjoint: 'disjoint' };
    expect(relation(b, a)).toBe(mirror[expected]);
    const common = commonPath(a, b);
    if (expected === 'disjoint') expect(common).toBeUndefined();
    else expect(matches(a, common!) && matches(b, common!), `${common}`).toBe(true);
  });
});

/*
 * Brute force. Patterns: every string of 1–3 characters over {a, b, /, *, ?}, and random ones of
 * 1–4 (half of the random pairs a small edit apart, where the subtle cases are); normalised
 * with '/' in front when missing. Paths: '/' followed by 0..6 characters over {a, b, /, c}, every one of them;
 * c is in no pattern. Brute force says "a includes b" iff no enumerated path matches b but not
 * a, and "a and b intersect" iff some enumerated path matches both. It is decisive when the
 * shortest witness — if there is one — is at most 7 characters long; pairs are checked only
 * when the bounds below guarantee that (most are).
 *
 * Intersection bound: nonStar(a) + nonStar(b) − 1 (nonStar = characters that are not `*`).
 * In a shortest common path, every character is consumed by a non-star of a or of b (one
 * consumed by a star on both sides could be deleted), and the leading '/' by both.
 *
 * Inclusion bound: nonStar(b) + starRuns(b) · (M(a) + 1), where starRuns(b) is the number of
 * maximal runs of wildcards in b that contain a `*`, and M(a) the largest number of `?` in one
 * run of wildcards of a. If b ⊄ a, some "z-text" of b (each `?` → c, each `*` → c^k) is a
 * witness (see the module comment); take a shortest. If one of its runs of c holding star
 * output were longer than M(a) + 1, drop one c of it: the shorter text still fails a,
 * because if it matched, its run (still longer than M(a)) would be consumed by a's `?`/`*`
 * with either a `*` inside or next to it, or more than M(a) consecutive `?` tokens
 * (impossible) — and a `*` there can take one more c, which would make the longer text match
 * too. So each such run adds at most M(a) + 1 characters to b's non-star ones. The bound uses
 * the grouped form (all `?` of a run counted together), which is at least the raw longest
 * run of `?`.
 */
describe('brute-force cross-check', () => {
  const MAX_PATH = 7;
  const paths: string[] = [];
  {
    const extend = (prefix: string) => {
      paths.push(prefix);
      if (prefix.length < MAX_PATH) for (const c of 'ab/c') extend(prefix + c);
    };
    extend('/');
  }
  /** Which of the paths a pattern matches, one bit each. */
  const sets = new Map<string, Uint32Array>();
  const matchSet = (pattern: string) => {
    let set = sets.get(pattern);
    if (!set) {
      const re = reference(pattern);
      set = new Uint32Array(Math.ceil(paths.length / 32));
      paths.forEach((p, i) => {
        if (re.test(p)) set![i >>> 5]! |= 1 << (i & 31);
      });
      sets.set(pattern, set);
    }
    return set;
  };
  const bruteIncludes = (a: string, b: string) => {
    const A = matchSet(a);
    return matchSet(b).every((bits, w) => (bits & ~A[w]!) === 0);
  };
  const bruteIntersects = (a: string, b: string) => {
    const A = matchSet(a);
    return matchSet(b).some((bits, w) => (bits & A[w]!) !== 0);
  };
  const nonStar = (p: string) => [...normalizePattern(p)].filter((c) => c !== '*').length;
  const wildcardRuns = (p: string) => normalizePattern(p).match(/[*?]+/g) ?? [];
  const starRuns = (p: string) => wildcardRuns(p).filter((r) => r.includes('*')).length;
  const maxAnys = (p: string) => Math.max(0, ...wildcardRuns(p).map((r) => r.replaceAll('*', '').length));
  const inclusionBound = (a: string, b: string) => nonStar(b) + starRuns(b) * (maxAnys(a) + 1);
  const intersectionBound = (a: string, b: string) => nonStar(a) + nonStar(b) - 1;

  const PATTERN_ALPHABET = 'ab/*?';
  /** b = a with one small edit (replace, insert, delete, swap): pairs with non-trivial relations. */
  const nearby = (random: () => number, a: string) => {
    const at = Math.floor(random() * (a.length + 1));
    const c = PATTERN_ALPHABET[Math.floor(random() * PATTERN_ALPHABET.length)]!;
    switch (Math.floor(random() * 4)) {
      case 0:
        return a.slice(0, at) + c + a.slice(at + 1) || c;
      case 1:
        return a.slice(0, at) + c + a.slice(at);
      case 2:
        return a.slice(0, at) + a.slice(at + 1) || c;
      default:
        return at + 1 < a.length ? a.slice(0, at) + a[at + 1] + a[at] + a.slice(at + 2) : c + a;
    }
  };

  const counts = { inclusion: 0, intersection: 0, included: 0, notIncluded: 0, intersecting: 0, disjoint: 0 };
  const check = (a: string, b: string) => {
    if (inclusionBound(a, b) <= MAX_PATH) {
      const expected = bruteIncludes(a, b);
      if (includes(a, b) !== expected) expect(includes(a, b), `includes(${a}, ${b})`).toBe(expected);
      counts.inclusion++;
      counts[expected ? 'included' : 'notIncluded']++;
    }
    if (intersectionBound(a, b) <= MAX_PATH) {
      const expected = bruteIntersects(a, b);
      if (intersects(a, b) !== expected) expect(intersects(a, b), `intersects(${a}, ${b})`).toBe(expected);
      counts.intersection++;
      counts[expected ? 'intersecting' : 'disjoint']++;
    }
  };

  it('has the path universe it claims', () => {
    expect(paths.length).toBe((4 ** MAX_PATH - 1) / 3); // 1 + 4 + … + 4^6
  });

  it('includes() and intersects() agree with brute force on every pair of patterns of up to 3 characters', () => {
    const all: string[] = [];
    const extend = (prefix: string) => {
      if (prefix) all.push(prefix);
      if (prefix.length < 3) for (const c of PATTERN_ALPHABET) extend(prefix + c);
    };
    extend('');
    expect(all).toHaveLength(155);
    Object.assign(counts, { inclusion: 0, intersection: 0 });
    for (const a of all) for (const b of all) check(a, b);
    expect(counts.inclusion).toBeGreaterThan(23_000); // of 24 025 ordered pairs
    expect(counts.intersection).toBe(24_025);
  });

  it('includes() and intersects() agree with brute force on thousands of random pairs of up to 4 characters', () => {
    const random = rng(20240601);
    Object.assign(counts, { inclusion: 0, intersection: 0, included: 0, notIncluded: 0, intersecting: 0, disjoint: 0 });
    for (let n = 0; n < 3000; n++) {
      const a = randomPattern(random, PATTERN_ALPHABET, 4);
      // Half the pairs independent, half a small edit apart (where the subtle cases are).
      let b = n % 2 ? randomPattern(random, PATTERN_ALPHABET, 4) : nearby(random, a);
      if (b.length > 4) b = b.slice(0, 4);
      check(a, b);
      check(b, a);
    }
    // Decisive checks are the large majority, and every answer occurs plenty of times.
    expect(counts.inclusion).toBeGreaterThan(5000);
    expect(counts.intersection).toBeGreaterThan(5000);
    for (const key of ['included', 'notIncluded', 'intersecting', 'disjoint'] as const) expect(counts[key]).toBeGreaterThan(300);
  });

  it('relation() is consistent with brute force on the same kind of pairs', () => {
    const random = rng(99);
    let checked = 0;
    for (let n = 0; n < 1500; n++) {
      const a = randomPattern(random, PATTERN_ALPHABET, 4);
      const b = n % 2 ? randomPattern(random, PATTERN_ALPHABET, 4) : nearby(random, a).slice(0, 4);
      if (Math.max(inclusionBound(a, b), inclusionBound(b, a), intersectionBound(a, b)) > MAX_PATH) continue;
      const ab = bruteIncludes(a, b);
      const ba = bruteIncludes(b, a);
      const expected: PatternRelation = ab && ba ? 'equal' : ab ? 'superset' : ba ? 'subset' : bruteIntersects(a, b) ? 'overlap' : 'disjoint';
      expect(relation(a, b), `relation(${a}, ${b})`).toBe(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(800);
  });

  it('on longer patterns, every answer is backed by a witness or survives random sampling', () => {
    const random = rng(4242);
    /** A random path of b: each `?` one random character, each `*` 0–5 of them. */
    const sample = (pattern: string) =>
      [...normalizePattern(pattern)]
        .map((c) => {
          const pick = () => 'ab/cd'[Math.floor(random() * 5)]!;
          if (c === '?') return pick();
          if (c === '*') return Array.from({ length: Math.floor(random() * 6) }, pick).join('');
          return c;
        })
        .join('');
    for (let n = 0; n < 400; n++) {
      const a = randomPattern(random, 'ab/*?', 9);
      const b = randomPattern(random, 'ab/*?', 9);
      const counterexample = inclusionCounterexample(a, b);
      if (counterexample === undefined) {
        for (let k = 0; k < 40; k++) {
          const path = sample(b);
          expect(refMatches(a, path), `${a} ⊇ ${b} but not ${path}`).toBe(true);
        }
      } else {
        expect(refMatches(b, counterexample) && !refMatches(a, counterexample), `${a} ⊉ ${b}: ${counterexample}`).toBe(true);
      }
      const common = commonPath(a, b);
      if (common === undefined) {
        for (let k = 0; k < 40; k++) expect(refMatches(b, sample(a)), `${a} ∩ ${b} = ∅`).toBe(false);
      } else {
        expect(refMatches(a, common) && refMatches(b, common), `${a} ∩ ${b} ∋ ${common}`).toBe(true);
      }
    }
  });
});

describe('polynomial on long patterns', () => {
  it('decides inclusion and intersection of 255-character patterns with many stars', () => {
    const a = `/${'*a'.repeat(127)}`;
    const b = `/${'a*'.repeat(126)}a`; // starts and ends with a, at least 127 of them
    expect(a.length).toBe(255);
    expect(includes(a, b)).toBe(true);
    expect(includes(b, a)).toBe(false);
    expect(relation(a, b)).toBe('superset');
    expect(relation(`/${'*ab'.repeat(84)}`, `/${'*ba'.repeat(84)}`)).toBe('disjoint'); // ends ab / ends ba
    expect(relation(`/${'*ab'.repeat(84)}`, `/${'*ba'.repeat(84)}*`)).toBe('overlap');
    expect(relation(`/x${'*a'.repeat(126)}`, `/y${'*a'.repeat(126)}`)).toBe('disjoint');
    expect(includes(`/*${'ab*'.repeat(80)}`, `/${'a*b*'.repeat(60)}`)).toBe(false);
  });

  it('orders 25 new patterns among 25 existing ones', () => {
    const existing = Array.from({ length: 25 }, (_, i) => (i % 2 ? `/svc${i}/*` : `/svc${i}/*.json`));
    const fresh = Array.from({ length: 25 }, (_, i) => (i % 3 ? `/svc${i}/v${i}/*` : `/*.x${i}`));
    const result = orderNewPatterns(existing, fresh);
    expect(result.order).toHaveLength(50);
    expect(result.conflicts).toEqual([]);
    expectWellOrdered(result.order);
  });
});

// ---- ordering -----------------------------------------------------------------------------

/** No pattern comes after one that strictly includes it (it would never be reached). */
function expectWellOrdered(order: string[]): void {
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      expect(relation(order[i]!, order[j]!), `${order[i]} (${i}) shadows ${order[j]} (${j})`).not.toBe('superset');
    }
  }
}

describe('insertionIndex', () => {
  it('puts a more specific pattern before the one that includes it', () => {
    expect(insertionIndex(['/api/*'], '/api/v1/*')).toEqual({ index: 0, warnings: [] });
    expect(insertionIndex(['/static/*', '/api/*'], '/static/*.js')).toEqual({ index: 0, warnings: [] });
  });

  it('puts a more general pattern after the ones it includes', () => {
    expect(insertionIndex(['/api/v1/*'], '/api/*')).toEqual({ index: 1, warnings: [] });
    expect(insertionIndex(['/api/v1/*', '/static/*', '/api/v2/*'], '/api/*').index).toBe(3);
  });

  it('takes the latest position allowed: just before the first superset', () => {
    // Valid positions for /api/v1/*: 1 (after /api/v1/users/*) to 2 (before /api/*); the latest is 2.
    expect(insertionIndex(['/api/v1/users/*', '/static/*', '/api/*', '/img/*'], '/api/v1/*').index).toBe(2);
    expect(insertionIndex([], '/anything/*')).toEqual({ index: 0, warnings: [] });
  });

  it('the demo distribution: a disjoint pattern without a leading slash goes last, no warnings', () => {
    expect(insertionIndex(['/api/*', '/static/*'], 'fpjs-abc/*')).toEqual({ index: 2, warnings: [] });
  });

  it('goes before a partial overlap, so that it gets all its paths, and warns which shared paths change hands', () => {
    const result = insertionIndex(['/*.js', '/static/*'], '/12345678/*');
    expect(result.index).toBe(0);
    expect(result.conflict).toBeUndefined();
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ kind: 'overlap', pattern: '/*.js', index: 0, newPattern: '/12345678/*' });
    expect(result.warnings[0]!.message).toContain('paths matching both /*.js and /12345678/* now go to /12345678/*, inserted at index 0 ahead of /*.js (index 0, moving to 1)');
    const example = result.warnings[0]!.message.split('e.g. ')[1]!;
    expect(matches('/*.js', example) && matches('/12345678/*', example)).toBe(true);
  });

  it('stays after a partial overlap when a more specific behavior must come first: shared paths keep going there', () => {
    // /api/* must follow /api/v1/* (which it includes), and /*.json comes before that.
    const result = insertionIndex(['/*.json', '/api/v1/*'], '/api/*');
    expect(result.index).toBe(2);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringContaining('paths matching both /*.json and /api/* keep going to /*.json (index 0)')]);
  });

  it('warns on a partial overlap when a superset forces the new pattern ahead of it', () => {
    const result = insertionIndex(['/api/*', '/*.json'], '/api/v1/*');
    expect(result.index).toBe(0);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ pattern: '/*.json', index: 1 });
    expect(result.warnings[0]!.message).toContain('now go to /api/v1/*, inserted at index 0 ahead of /*.json (index 1, moving to 2)');
  });

  it('a pattern with the same paths is a conflict: "same pattern"', () => {
    for (const spelling of ['/api/*', 'api/*', '/api/**']) {
      const result = insertionIndex(['/static/*', '/api/*'], spelling);
      expect(result.index).toBe(-1);
      expect(result.conflict).toEqual({ reason: 'same pattern', patterns: [{ pattern: '/api/*', index: 1 }] });
    }
  });

  it('a misordered existing list (a superset before a subset) leaves no valid position: conflict naming both', () => {
    // /api/v1/* is already shadowed by /api/*; /api/v1* must go before /api/* and after /api/v1/*.
    const result = insertionIndex(['/api/*', '/static/*', '/api/v1/*'], '/api/v1*');
    expect(result.index).toBe(-1);
    expect(result.conflict?.patterns).toEqual([
      { pattern: '/api/*', index: 0 },
      { pattern: '/api/v1/*', index: 2 },
    ]);
    expect(result.conflict?.reason).toContain('/api/* (index 0)');
    expect(result.conflict?.reason).toContain('/api/v1/* (index 2)');
    // A pattern unrelated to the misordered pair still has a place.
    expect(insertionIndex(['/api/*', '/static/*', '/api/v1/*'], '/img/*')).toEqual({ index: 3, warnings: [] });
  });

  it('on random well-ordered lists: every constraint holds; the position is before the first overlap it may precede, else the latest', () => {
    const random = rng(5);
    for (let n = 0; n < 300; n++) {
      const existing = orderNewPatterns([], Array.from({ length: 1 + Math.floor(random() * 5) }, () => randomPattern(random, 'ab/*?', 4))).order;
      const fresh = randomPattern(random, 'ab/*?', 4);
      const result = insertionIndex(existing, fresh);
      const relations = existing.map((e) => relation(e, fresh));
      if (relations.includes('equal')) {
        expect(result.conflict?.reason).toBe('same pattern');
        continue;
      }
      expect(result.conflict, `${existing} + ${fresh}`).toBeUndefined();
      relations.forEach((r, k) => {
        if (r === 'superset') expect(k).toBeGreaterThanOrEqual(result.index);
        if (r === 'subset') expect(k).toBeLessThan(result.index);
      });
      const lastSubset = relations.lastIndexOf('subset');
      expect(relations.slice(lastSubset + 1, result.index)).not.toContain('overlap');
      expect(result.index === existing.length || relations[result.index] === 'superset' || relations[result.index] === 'overlap').toBe(true);
      expect(result.warnings.map((w) => w.index)).toEqual(relations.flatMap((r, k) => (r === 'overlap' ? [k] : [])));
    }
  });
});

describe('orderNewPatterns', () => {
  it('orders new patterns among themselves, more specific first, whatever the input order', () => {
    const existing = ['/api/*', '/static/*'];
    const expected = ['/api/*', '/static/*', '/fpjs/agent*', '/fpjs/*'];
    for (const fresh of [
      ['/fpjs/*', '/fpjs/agent*'],
      ['/fpjs/agent*', '/fpjs/*'],
    ]) {
      const result = orderNewPatterns(existing, fresh);
      expect(result).toEqual({ order: expected, warnings: [], conflicts: [], overlaps: [] });
    }
  });

  it('places new patterns around existing ones they include or are included by', () => {
    const result = orderNewPatterns(['/api/v1/*', '/static/*'], ['/api/*', '/api/v1/admin/*', 'static/*.js']);
    expect(result.order).toEqual(['/api/v1/admin/*', '/api/v1/*', 'static/*.js', '/static/*', '/api/*']);
    expect(result.conflicts).toEqual([]);
    expectWellOrdered(result.order);
  });

  it('keeps existing patterns in their relative order and reports overlaps against the final order', () => {
    const result = orderNewPatterns(['/api/*', '/static/*'], ['/*.json', '/api/v2/*']);
    expect(result.order).toEqual(['/api/v2/*', '/*.json', '/api/*', '/static/*']);
    expect(result.overlaps.map((w) => [w.newPattern, w.pattern, w.index])).toEqual([
      ['/*.json', '/api/*', 2],
      ['/*.json', '/static/*', 3],
      ['/api/v2/*', '/*.json', 1],
    ]);
    expect(result.warnings).toEqual(result.overlaps.map((w) => w.message));
    expect(result.warnings[0]).toContain('paths matching both /api/* and /*.json go to the new /*.json (index 1), ahead of /api/* (index 2)');
    expect(result.warnings[2]).toContain('paths matching both /*.json and /api/v2/* go to the new /api/v2/* (index 0), ahead of the new /*.json (index 1)');
  });

  it('leaves out new patterns that cannot be placed, with a conflict message', () => {
    const result = orderNewPatterns(['/api/*'], ['/x/*', 'x/*', '/api/**']);
    expect(result.order).toEqual(['/api/*', '/x/*']);
    expect(result.conflicts).toEqual([
      'cannot place a behavior for x/*: it matches the same paths as /x/* (also new)',
      'cannot place a behavior for /api/**: it matches the same paths as /api/* (existing)',
    ]);
    const misordered = orderNewPatterns(['/api/*', '/api/v1/*'], ['/api/v1*']);
    expect(misordered.order).toEqual(['/api/*', '/api/v1/*']);
    expect(misordered.conflicts[0]).toMatch(/^cannot place a behavior for \/api\/v1\*: .*\/api\/\* \(index 0\).*\/api\/v1\/\* \(index 1\)/);
  });

  it('random inputs: existing order kept, result well ordered, every new pattern placed once', () => {
    const random = rng(11);
    for (let n = 0; n < 200; n++) {
      const existing = orderNewPatterns([], Array.from({ length: Math.floor(random() * 5) }, () => randomPattern(random, 'ab/*?', 4))).order;
      const fresh = Array.from({ length: 1 + Math.floor(random() * 4) }, () => randomPattern(random, 'ab/*?', 4));
      const result = orderNewPatterns(existing, fresh);
      expect(result.order.filter((p) => existing.includes(p))).toEqual(existing);
      expectWellOrdered(result.order);
      // A new pattern is left out only for being the same as something already there.
      expect(result.order.length + result.conflicts.length).toBe(existing.length + fresh.length);
      for (const c of result.conflicts) expect(c).toContain('it matches the same paths as');
    }
  });
});
