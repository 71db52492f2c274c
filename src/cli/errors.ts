/**
 * How a failed command reads (CLI.md, "Errors"): an AWS error — raw, or as the cause of a
 * failed step — keeps its code and gains the call, the resource and the fix (the one taxonomy,
 * src/aws/errors.ts); every other error is its message. The error classes are src/errors.ts.
 */
import { describeAwsError } from '../aws/errors.js';

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

