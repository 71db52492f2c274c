/**
 * Manifest problems: each names its place in edge-install.json (a path such as
 * `behaviors[1].triggers.origin-request.includeBody`), what is wrong, and the fix. Loading
 * collects every issue before it throws, so one run shows them all (CLI.md: exit code 2).
 */

/** One step of a manifest path: an object key or an array index. */
export type PathSegment = string | number;

export interface ManifestIssue {
  /** Where, e.g. `functions.proxy.memorySize` or `behaviors[0].pathPattern`; '' for the file itself. */
  path: string;
  /** What is wrong, without a trailing period. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** For JSON syntax errors and duplicate keys: where in the file (1-based). */
  line?: number;
  column?: number;
}

/** The default name a manifest is reported under (`--config` overrides it with the real path). */
export const DEFAULT_SOURCE = 'edge-install.json';

/** A key that reads fine after a dot (custom header names, `/` and `*` included); others are quoted. */
const PLAIN_KEY = /^[^.[\]\s"'`]+$/;

/** `['behaviors', 1, 'triggers', 'origin-request']` → `behaviors[1].triggers.origin-request`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function manifestIssue(path: readonly PathSegment[] | string, message: string, fix: string): ManifestIssue {
  return { path: typeof path === 'string' ? path : formatPath(path), message, fix };
}

/** `edge-install.json: <path>: <message>. Fix: <fix>` (the path is left out for the file itself). */
export function formatIssue(issue: ManifestIssue, source: string = DEFAULT_SOURCE): string {
  const where = issue.path ? `${source}: ${issue.path}` : source;
  const message = issue.message.replace(/[.\s]+$/, '');
  const fix = issue.fix.replace(/\s+$/, '');
  return `${where}: ${message}${/[?!]$/.test(message) ? '' : '.'} Fix: ${fix}`;
}

/** Every problem found in one manifest. The CLI maps it to exit code 2 (nothing was written). */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  readonly exitCode = 2;
  readonly issues: ManifestIssue[];
  /** The manifest as the user named it (`edge-install.json`, or the `--config` path). */
  readonly source: string;

  constructor(issues: ManifestIssue[], source: string = DEFAULT_SOURCE) {
    super(issues.map((issue) => formatIssue(issue, source)).join('\n'));
    this.issues = issues;
    this.source = source;
  }
}

/** True when `path` is `parent` or lies below it (`a.b` is below `a`, so is `a[0]`). */
export function isAtOrBelow(path: string, parent: string): boolean {
  if (parent === '') return false;
  return path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}

/**
 * Later checks often trip over the value an earlier check already reported (an unresolved
 * `${…}` in a path pattern is also a bad path pattern). Keep the first report per place.
 */
export function withoutEchoes(earlier: readonly ManifestIssue[], later: readonly ManifestIssue[]): ManifestIssue[] {
  return later.filter((issue) => !earlier.some((first) => isAtOrBelow(issue.path, first.path)));
}
