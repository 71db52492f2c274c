/**
 * The errors every layer throws, each carrying the exit code of CLI.md: 2 for bad input (a
 * flag, the manifest, a preflight rule; nothing was written), 1 for a runtime failure (AWS, a
 * conflict, a timeout; nothing half-applied), 130/143/129 for an interrupt. The CLI prints
 * any error with an `exitCode` without a stack trace. Domain errors (ManifestError,
 * StepError, …) extend these where they live.
 */

export class UsageError extends Error {
  readonly exitCode: number = 2;
}

export class RuntimeError extends Error {
  readonly exitCode: number = 1;
}

/** Someone else changed what the plan was made from, or the plan cannot be applied as approved. */
export class ConflictError extends RuntimeError {}

/** The signals a command stops for, each with its conventional exit code (128 + number). */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

/** A signal arrived: the step in flight finished, nothing new started; the message says what is left. */
export class InterruptedError extends Error {
  readonly exitCode: number;

  constructor(
    message = 'interrupted',
    readonly signal: InterruptSignal = 'SIGINT',
  ) {
    super(message);
    this.exitCode = INTERRUPT_EXIT_CODES[signal];
  }
}

/** Which signal aborted `signal` (the CLI aborts with the signal's name as the reason). */
export function interruptSignalOf(signal: AbortSignal | undefined): InterruptSignal {
  const reason: unknown = signal?.reason;
  return typeof reason === 'string' && reason in INTERRUPT_EXIT_CODES ? (reason as InterruptSignal) : 'SIGINT';
}

/** The InterruptedError for an aborted signal, with `message`. */
export function interrupted(signal: AbortSignal | undefined, message = 'interrupted'): InterruptedError {
  return new InterruptedError(message, interruptSignalOf(signal));
}

export function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 1;
}
