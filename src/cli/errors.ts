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


/**
 * The error as `--json` prints it on stdout (issue 18: one document, as every command's
 * success is): `code` is AWS's error code for an AWS error, else the error's class
 * (`UsageError`, `LockedError`, `StateFileError`, …) or commander's code for a bad command
 * line; `fix` is the `Fix:` the text gives, if any.
 */
export function errorDocument(error: unknown, exitCode: number): { version: 1; error: { code: string; message: string; fix?: string; exitCode: number } } {
  const text = errorText(error);
  const at = text.indexOf('Fix: ');
  // Commander's own lines start with `error: `: the document says it is an error already.
  const message = (at >= 0 ? text.slice(0, at) : text).trim().replace(/^error: /, '').replace(/\.$/, '');
  const fix = at >= 0 ? text.slice(at + 5).trim() : undefined;
  const commanderCode = (error as { code?: unknown } | undefined)?.code;
  const code =
    describeAwsError(error) && error instanceof Error
      ? error.name
      : typeof commanderCode === 'string' && commanderCode.startsWith('commander.')
        ? commanderCode
        : error instanceof Error
          ? error.name !== 'Error'
            ? error.name
            : error.constructor.name
          : 'Error';
  return { version: 1, error: { code, message, ...(fix ? { fix } : {}), exitCode } };
}
