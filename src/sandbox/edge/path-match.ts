/**
 * CloudFront's cache behavior path patterns, matched as the edge does (CloudFront Developer
 * Guide, "Cache behavior settings › Path pattern"): `*` matches zero or more characters
 * (slashes included), `?` exactly one; the match is case-sensitive and covers the whole
 * path (no query string); a pattern without a leading `/` is treated as if it had one
 * ("images/*.jpg" is "/images/*.jpg"). Behaviors are tried in list order; the first match
 * wins and the default behavior (`*`) takes the rest.
 *
 * Written for the sandbox on its own (the client's plan has its own matcher): the two must
 * agree because both follow the same documentation, not because they share code.
 */

/** Compiled patterns, shared by every request: a distribution has at most a few hundred. */
const compiled = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const anchored = pattern.startsWith('/') ? pattern : `/${pattern}`;
    const body = anchored.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, 's');
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Whether a request path (as received, without the query) falls under the pattern. */
export function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  return compile(pattern).test(path);
}
