/**
 * What other services need to know about Lambda functions. CloudFront resolves the
 * `LambdaFunctionARN` of every association with `findFunctionVersion` (and then applies its
 * own Lambda@Edge rules to the function version it gets back).
 */
import type { FunctionRecord, FunctionVersionRecord, World } from '../world.js';

const QUALIFIED_VERSION_ARN = /^arn:aws:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]+):([1-9]\d*)$/;

/**
 * The function and published version a qualified version ARN names
 * (`arn:aws:lambda:REGION:ACCOUNT:function:NAME:N`), looked up in the ARN's region.
 * Undefined for an unqualified ARN, `$LATEST`, an alias, another account, or a function or
 * version that does not exist.
 */
export function findFunctionVersion(
  world: World,
  qualifiedArn: string,
): { fn: FunctionRecord; version: FunctionVersionRecord } | undefined {
  const match = QUALIFIED_VERSION_ARN.exec(qualifiedArn);
  if (!match) return undefined;
  const [, region, account, name, number] = match;
  if (account !== world.accountId) return undefined;
  const fn = world.data.lambda.functions.find((f) => f.region === region && f.name === name);
  const version = fn?.versions.find((v) => v.version === number);
  return fn && version ? { fn, version } : undefined;
}
