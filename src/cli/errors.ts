/**
 * Errors the CLI reports without a stack trace. UsageError is exit 2: bad input, nothing was
 * written anywhere (CLI.md, exit codes).
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export class RuntimeError extends Error {
  readonly exitCode = 1;
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof RuntimeError) return error.exitCode;
  return 1;
}
