/**
 * How a failed command reads (CLI.md, "Errors"): an AWS error — raw, or as the cause of a
 * failed step — keeps its code and gains the call, the resource and the fix (the one taxonomy,
 * src/aws/errors.ts); every other error is its message. The error classes are src/errors.ts.
 */
import { describeAwsError } from '../aws/errors.js';
import { RuntimeError, UsageError } from '../errors.js';
import { blockedReasons, type PlanBase } from '../plan/plan.js';

/** One line for an error: an AWS error keeps its code and gains the call and resource. */
export function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return describeAwsError(error)?.what ?? error.message;
}

/** The line, then `Fix: …` when the error (or its cause) is AWS's. */
export function errorText(error: unknown): string {
  const message = errorLine(error);
  const fix = error instanceof Error ? (describeAwsError(error) ?? describeAwsError(error.cause))?.fix : undefined;
  return fix && !message.includes('Fix:') ? `${message}\nFix: ${fix}` : message;
}

/** The error for a plan its verdict blocks: exit 2 for bad input, 1 for a conflict. */
export function blockedError(lead: string, plan: Pick<PlanBase, 'distributions' | 'verdict'>): Error {
  const message = `${lead}: ${blockedReasons(plan)}`;
  return plan.verdict.blockedExitCode === 2 ? new UsageError(message) : new RuntimeError(message);
}
