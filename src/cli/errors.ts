/**
 * How a failed command reads (CLI.md, "Errors"): an AWS error — raw, or as the cause of a
 * failed step — keeps its code and gains the call, the resource and the fix (the one taxonomy,
 * src/aws/errors.ts); every other error is its message. The error classes are src/errors.ts.
 */
import { describeAwsError, type DescribedAwsError } from '../aws/errors.js';

/**
 * The AWS error an error stands for: itself, or the cause of a wrapper that only repeats it
 * (a read of several distributions that all met the same missing credentials or unreachable
 * endpoint says it once, and its `--json` code is the cause's).
 */
function awsDescription(error: unknown): DescribedAwsError | undefined {
  const own = describeAwsError(error);
  if (own || !(error instanceof Error)) return own;
  const cause = describeAwsError(error.cause);
  return cause && error.message.trim() === cause.what ? cause : undefined;
}

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


/**
 * The error as `--json` prints it on stdout (issue 18: one document, as every command's
 * success is): `code` is AWS's error code for an AWS error (or, for one AWS gives none,
 * `NetworkingError`, `ProfileNotFound`, `UnexpectedResponse`: src/aws/errors.ts), else the
 * error's class (`UsageError`, `LockedError`, `StateFileError`, …) or commander's code for a
 * bad command line; `fix` is the `Fix:` the text gives, if any.
 */
export function errorDocument(error: unknown, exitCode: number): { version: 1; error: { code: string; message: string; fix?: string; exitCode: number } } {
  const text = errorText(error);
  const at = text.indexOf('Fix: ');
  // Commander's own lines start with `error: `: the document says it is an error already.
  const message = (at >= 0 ? text.slice(0, at) : text).trim().replace(/^error: /, '').replace(/\.$/, '');
  const fix = at >= 0 ? text.slice(at + 5).trim() : undefined;
  const commanderCode = (error as { code?: unknown } | undefined)?.code;
  const code =
    awsDescription(error)?.code ??
    (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')
      ? commanderCode
      : error instanceof Error
        ? error.name !== 'Error'
          ? error.name
          : error.constructor.name
        : 'Error');
  return { version: 1, error: { code, message, ...(fix ? { fix } : {}), exitCode } };
}
