/**
 * PURE: the Lambda runtimes edge-install deploys, with AWS's dates. Lambda@Edge follows the
 * Lambda runtime table: "Lambda@Edge supports the latest versions of Node.js and Python
 * runtimes. For a list of supported versions and their future deprecation dates, see Supported
 * runtimes in the AWS Lambda Developer Guide" (CloudFront Developer Guide,
 * lambda-at-edge-function-restrictions.html). edge-install bundles JavaScript and TypeScript
 * with esbuild, so the Node.js rows are the ones it can deploy.
 *
 * Dates (deprecation, block function create, block function update), from the AWS Lambda
 * Developer Guide, "Building Lambda functions with Node.js" (lambda-nodejs.html):
 * nodejs24.x 2028-04-30 / 2028-06-01 / 2028-07-01; nodejs22.x 2027-04-30 / 2027-06-01 /
 * 2027-07-01. nodejs20.x (deprecated 2026-04-30) and nodejs18.x (deprecated 2025-09-01): block
 * dates as the Lambda runtimes page gave them in June 2026, 2027-02-01 / 2027-03-03 (quoted in
 * aws-cloudformation/cfn-lint#4531). AWS has moved block dates more than once; when it does,
 * this table is what to update.
 *
 * Node.js 24 runs only async handlers: "Lambda supports callback-based function handlers for
 * Node.js 22 and earlier runtimes only" (Lambda Developer Guide, Node.js context). The
 * built-in handlers and the starter are async.
 */
export interface RuntimeDates {
  id: string;
  /** esbuild's target for it. */
  target: string;
  deprecated: string;
  blockCreate: string;
  blockUpdate: string;
  /** It runs callback-style handlers, `handler(event, context, callback)` (Node.js 22 and earlier). */
  callbacks: boolean;
}

export const NODE_RUNTIMES: readonly RuntimeDates[] = [
  { id: 'nodejs18.x', target: 'node18', deprecated: '2025-09-01', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', callbacks: true },
  { id: 'nodejs20.x', target: 'node20', deprecated: '2026-04-30', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', callbacks: true },
  { id: 'nodejs22.x', target: 'node22', deprecated: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01', callbacks: true },
  { id: 'nodejs24.x', target: 'node24', deprecated: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01', callbacks: false },
];

export const RUNTIME_IDS = NODE_RUNTIMES.map((r) => r.id) as [string, ...string[]];

/** The newest Node.js runtime: the default, and the replacement every message names. */
export const DEFAULT_RUNTIME = NODE_RUNTIMES.at(-1)!.id;

export const runtimeDates = (id: string): RuntimeDates | undefined => NODE_RUNTIMES.find((r) => r.id === id);

/** Warned about this long before AWS deprecates a runtime. */
const WARN_MS = 183 * 24 * 3600 * 1000;

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/**
 * What AWS lets a function on `id` do at `at`: `refused` once it may no longer be created
 * (or updated, for an existing function), with the date and the replacement; `warning` from
 * six months before deprecation.
 */
export function runtimeLifecycle(id: string, at: Date, action: 'create' | 'update' | 'run'): { refused?: string; warning?: string } {
  const dates = runtimeDates(id);
  if (!dates) return {};
  const now = at.getTime();
  const blocked = action === 'create' ? dates.blockCreate : action === 'update' ? dates.blockUpdate : undefined;
  if (blocked && now >= day(blocked)) {
    return { refused: `runtime ${id} can no longer be used to ${action} Lambda functions: AWS blocked it on ${blocked} (deprecated ${dates.deprecated}). Use ${DEFAULT_RUNTIME}` };
  }
  if (now >= day(dates.deprecated)) {
    return { warning: `runtime ${id} was deprecated by AWS on ${dates.deprecated}: creating functions on it is blocked from ${dates.blockCreate}, updating them from ${dates.blockUpdate}. Move to ${DEFAULT_RUNTIME}` };
  }
  if (now >= day(dates.deprecated) - WARN_MS) {
    return { warning: `runtime ${id} is deprecated by AWS on ${dates.deprecated} (creating functions on it is blocked from ${dates.blockCreate}). Move to ${DEFAULT_RUNTIME}` };
  }
  return {};
}

/**
 * Said when a plan moves a custom handler from a runtime that runs callback-style handlers to
 * one that does not: the move is shown as a settings change, and this says what it can break.
 */
export function callbackWarning(from: string, to: string): string | undefined {
  if (runtimeDates(from)?.callbacks !== true || runtimeDates(to)?.callbacks !== false) return undefined;
  return `runtime ${from} → ${to}: ${to} does not run callback-style handlers (handler(event, context, callback)); the handler must be async or return a promise, or it fails on every request. Pin "runtime": "${from}" until it is`;
}
