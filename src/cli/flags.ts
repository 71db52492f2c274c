/** Parsing the flags several commands share; a bad value is a usage error (exit 2) before any AWS call. */
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { DISTRIBUTION_ID, DISTRIBUTION_ID_EXAMPLE } from '../manifest/distribution-id.js';
import type { OptionSpec } from './define-command.js';

/** For repeatable flags such as --set. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Repeatable --distribution: a malformed id is a usage error (exit 2) before any AWS call. */
export function collectDistribution(value: string, previous: string[]): string[] {
  if (!DISTRIBUTION_ID.test(value)) throw new InvalidArgumentError(`not a CloudFront distribution id; copy it from the CloudFront console (e.g. ${DISTRIBUTION_ID_EXAMPLE}).`);
  return [...previous, value];
}

/** Parses a whole number flag or says which flag is wrong (exit 2). */
export function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${value}'.`);
  return n;
}

export const distributionOption = (what: string): OptionSpec => ({
  flags: '--distribution <id>',
  description: `distribution to ${what} (repeatable; default: the manifest's)`,
  parse: collectDistribution as OptionSpec['parse'],
  default: [],
});

export const concurrencyOption: OptionSpec = { flags: '--concurrency <n>', description: 'distributions worked on at once', default: '4' };

/** 35 minutes: longer than the AWS CLI's 25, which users hit on busy days. */
export const DEFAULT_WAIT_SECONDS = 35 * 60;
