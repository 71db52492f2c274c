/**
 * Errors the CLI reports without a stack trace. Any error with an `exitCode` says which one it
 * is (CLI.md): 2 for bad input (manifest, bundle, missing answers) — nothing was written —
 * and 1 for runtime failures, which is also the default.
 */
import { describeAwsError } from '../aws/errors.js';

export class UsageError extends Error {
  readonly exitCode = 2;
}

export class RuntimeError extends Error {
  readonly exitCode = 1;
}

/** Ctrl-C: what was in flight finished; nothing else started. */
export class InterruptedError extends Error {
  readonly exitCode = 130;
}

export function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 1;
}

/** One line for an error: an AWS error keeps its code and gains the call and resource. */
export function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return describeAwsError(error)?.what ?? error.message;
}

/**
 * What the user reads when a command fails (CLI.md, "Errors"): an AWS error, raw or as the
 * cause of a failed step, keeps its code and gains the call, the resource and the fix.
 */
export function errorText(error: unknown): string {
  const message = errorLine(error);
  const fix = error instanceof Error ? (describeAwsError(error) ?? describeAwsError(error.cause))?.fix : undefined;
  return fix && !message.includes('Fix:') ? `${message}\nFix: ${fix}` : message;
}

/** Several distributions failed (or one): one error that keeps what each said. */
export function combinedError(reasons: unknown[]): unknown {
  if (reasons.length === 1) return reasons[0];
  return new RuntimeError(reasons.map(errorLine).join('; '));
}
