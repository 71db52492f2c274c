/**
 * How a failed command reads (CLI.md, "Errors"): an AWS error — raw, or as the cause of a
 * failed step — keeps its code and gains the call, the resource and the fix (the one taxonomy,
 * src/aws/errors.ts); every other error is its message. The error classes are src/errors.ts.
 */
import { awsCallOf, classifyAwsError, describeAwsError, type DescribedAwsError } from '../aws/errors.js';
import { profileFacts, type ProfileFacts } from '../aws/profiles.js';

/**
 * What the machine says about the profile a credential error's call was to use (AWS_PROFILE,
 * the shared files: read in profiles.ts), for the taxonomy to word it — "profile prod not found
 * in ~/.aws/config". Only credential errors need them, so nothing is read for any other.
 */
function factsFor(error: unknown): ProfileFacts {
  const kind = classifyAwsError(error);
  return kind === 'credentials-missing' || kind === 'credentials-rejected' ? profileFacts(awsCallOf(error)?.profile) : {};
}

function describe(error: unknown): DescribedAwsError | undefined {
  return describeAwsError(error, factsFor(error));
}

/**
 * The AWS error an error stands for: itself, or the cause of a wrapper that only repeats it
 * (a read of several distributions that all met the same missing credentials or unreachable
 * endpoint says it once, and its `--json` code is the cause's).
 */
function awsDescription(error: unknown): DescribedAwsError | undefined {
  const own = describe(error);
  if (own || !(error instanceof Error)) return own;
  const cause = describe(error.cause);
  if (!cause) return undefined;
  // The wrapper (src/aws/observe, src/apply) worded the cause without the profile facts: the same error all the same.
  const repeated = [cause.what, describeAwsError(error.cause)?.what].includes(error.message.trim());
  return repeated ? cause : undefined;
}

/** One line for an error: an AWS error keeps its code and gains the call and resource. */
export function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return awsDescription(error)?.what ?? error.message;
}

/** The line, then `Fix: …` when the error (or its cause) is AWS's. */
export function errorText(error: unknown): string {
  const message = errorLine(error);
  const fix = error instanceof Error ? (describe(error) ?? describe(error.cause))?.fix : undefined;
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
