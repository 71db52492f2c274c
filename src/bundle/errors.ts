/**
 * Errors of the bundle step. src/bundle does not depend on src/cli: the CLI maps a BundleError
 * to exit code 2 (bad input, nothing was written anywhere), since every one of them is raised
 * before any AWS call and is fixed by editing a file or installing a package.
 */

export interface BundleErrorDetails {
  /** The manifest key of the function (`functions.<key>`). */
  functionKey: string;
  /** The file the problem is in (absolute path). */
  file: string;
  /** What is wrong, naming the file. */
  problem: string;
  /** What to do about it. */
  fix: string;
}

export class BundleError extends Error {
  /** Bad input (CLI.md): exit code 2, nothing was written. */
  readonly exitCode = 2;
  readonly functionKey: string;
  readonly file: string;
  readonly fix: string;

  constructor(details: BundleErrorDetails) {
    super(`functions.${details.functionKey}: ${details.problem}\nFix: ${details.fix}`);
    this.name = 'BundleError';
    this.functionKey = details.functionKey;
    this.file = details.file;
    this.fix = details.fix;
  }
}

/** The zipped bundle is over the Lambda@Edge code-size quota of an event it is attached to. */
export class CodeSizeError extends BundleError {
  /** Bytes of the zip. */
  readonly actualBytes: number;
  /** Bytes the quota allows. */
  readonly limitBytes: number;

  constructor(details: BundleErrorDetails & { actualBytes: number; limitBytes: number }) {
    super(details);
    this.name = 'CodeSizeError';
    this.actualBytes = details.actualBytes;
    this.limitBytes = details.limitBytes;
  }
}
