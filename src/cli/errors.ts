/**
 * Errors the CLI reports without a stack trace. Any error with an `exitCode` says which one it
 * is (CLI.md): 2 for bad input (manifest, bundle, missing answers) — nothing was written —
 * and 1 for runtime failures, which is also the default.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export class RuntimeError extends Error {
  readonly exitCode = 1;
}

export function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 1;
}
