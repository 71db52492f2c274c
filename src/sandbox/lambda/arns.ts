/**
 * Lambda function names and ARNs. Lambda accepts a function as a name (`my-function`,
 * `my-function:1`), a partial ARN (`123456789012:function:my-function`) or a full ARN
 * (`arn:aws:lambda:us-east-1:123456789012:function:my-function[:QUALIFIER]`).
 */
import type { World } from '../world.js';

export const LATEST = '$LATEST';

/** The pattern Lambda's model gives for FunctionName (quoted in its ValidationException). */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

/** CreateFunction's FunctionName: no qualifier. */
export const UNQUALIFIED_FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)';

/** The tag operations' Resource: a full function ARN. */
export const FUNCTION_ARN_PATTERN =
  'arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

export interface FunctionRef {
  /** From a full ARN only. */
  region?: string;
  /** From a full or partial ARN. */
  account?: string;
  name: string;
  /** `$LATEST`, a version number or an alias name. */
  qualifier?: string;
}

const FULL_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:(.+)$/;
const PARTIAL_ARN = /^(\d{12}):function:(.+)$/;
const NAME_AND_QUALIFIER = /^([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** The parts of a FunctionName parameter, or undefined when it is not of any accepted form. */
export function parseFunctionName(value: string): FunctionRef | undefined {
  let rest = value;
  let region: string | undefined;
  let account: string | undefined;
  const full = FULL_ARN.exec(value);
  const partial = full ? null : PARTIAL_ARN.exec(value);
  if (full) [, region, account, rest] = full as unknown as [string, string, string, string];
  else if (partial) [, account, rest] = partial as unknown as [string, string, string];
  const parts = NAME_AND_QUALIFIER.exec(rest);
  if (!parts) return undefined;
  const ref: FunctionRef = { name: parts[1]! };
  if (region !== undefined) ref.region = region;
  if (account !== undefined) ref.account = account;
  if (parts[2] !== undefined) ref.qualifier = parts[2];
  return ref;
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME` in the sandbox's account, with `:QUALIFIER` when one is given. */
export function functionArn(world: Pick<World, 'accountId'>, region: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${world.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** Published versions are numbered 1, 2, 3, …; anything else after the colon is an alias. */
export function isVersionNumber(qualifier: string): boolean {
  return /^[1-9]\d*$/.test(qualifier);
}
