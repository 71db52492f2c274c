/**
 * Lambda@Edge association rules (AWS: "Restrictions on Lambda@Edge" and "Quotas on
 * Lambda@Edge"), checked by CloudFront on every distribution write. All failures are
 * 400 InvalidLambdaFunctionAssociation with AWS's wording.
 */
import { AwsError } from '../errors.js';
import { allBehaviors } from './distribution-rules.js';
import { roleByArn, trustedServicePrincipals } from '../iam/trust.js';
import { findFunctionVersion } from '../lambda/lookup.js';
import type { FunctionVersionRecord, World } from '../world.js';
import { items, text, type XmlNode } from '../xml.js';

const reject = (message: string): AwsError => new AwsError('InvalidLambdaFunctionAssociation', 400, message);

export const EVENT_TYPES = ['viewer-request', 'viewer-response', 'origin-request', 'origin-response'] as const;
const VIEWER_EVENTS = new Set(['viewer-request', 'viewer-response']);
const BODY_EVENTS = new Set(['viewer-request', 'origin-request']);
/**
 * "Lambda@Edge supports the latest versions of Node.js and Python runtimes" — those of the
 * Lambda runtime table (CloudFront Developer Guide, lambda-at-edge-function-restrictions.html).
 */
const EDGE_RUNTIMES = /^(nodejs(18|20|22|24)\.x|python3\.(9|1[0-4]))$/;

interface Limits {
  memoryMb: number;
  timeoutSeconds: number;
  codeBytes: number;
}

/** Viewer triggers are small and fast; origin triggers get Lambda's memory and 30 s. */
export function limitsFor(eventType: string): Limits {
  return VIEWER_EVENTS.has(eventType)
    ? { memoryMb: 128, timeoutSeconds: 5, codeBytes: 1_048_576 }
    : { memoryMb: 10_240, timeoutSeconds: 30, codeBytes: 52_428_800 };
}

const ARN = /^arn:aws:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([^:]+))?$/;

/** The ARN must be a numbered version of a function in us-east-1 of this account. */
export function checkFunctionArn(world: World, arn: string): void {
  const match = ARN.exec(arn);
  if (!match) throw reject(`The function ARN is not valid. ARN: ${arn}`);
  const [, region, account, , qualifier] = match;
  if (!qualifier || !/^\d+$/.test(qualifier)) {
    throw reject(`The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: ${arn}`);
  }
  if (region !== 'us-east-1') throw reject(`The function must be in region 'us-east-1'. ARN: ${arn}`);
  if (account !== world.accountId) throw reject(`The function must be in the same account as the distribution. ARN: ${arn}`);
}

export function checkExecutionRole(world: World, roleArn: string): void {
  const role = roleByArn(world, roleArn);
  const trusted = role ? trustedServicePrincipals(role.assumeRolePolicyDocument) : new Set<string>();
  if (!trusted.has('lambda.amazonaws.com') || !trusted.has('edgelambda.amazonaws.com')) {
    throw reject(
      `The function execution role must be assumable with edgelambda.amazonaws.com as well as lambda.amazonaws.com principals. Update the IAM role and try again. Role: ${roleArn}`,
    );
  }
}

/** Lambda@Edge functions cannot use environment variables, layers, VPC, a DLQ or arm64. */
export function checkFunctionFeatures(arn: string, version: FunctionVersionRecord): void {
  const config = version.config;
  if (config.environment && Object.keys(config.environment).length > 0) {
    throw reject(`The function cannot have environment variables. Function: ${arn}`);
  }
  if (config.layers.length > 0) throw reject(`The function cannot have layers. Function: ${arn}`);
  if (config.vpcSubnetIds.length > 0) throw reject(`The function cannot be configured with a VPC. Function: ${arn}`);
  if (config.deadLetterTargetArn) throw reject(`The function cannot have a dead letter queue. Function: ${arn}`);
  if (!config.architectures.every((a) => a === 'x86_64')) {
    throw reject(`The function must use the x86_64 architecture. Function: ${arn}`);
  }
  if (!config.runtime || !EDGE_RUNTIMES.test(config.runtime)) {
    throw reject(`The function has an invalid runtime for functions that are triggered by a CloudFront event: ${config.runtime ?? 'none'} Function: ${arn}`);
  }
}

export function checkFunctionLimits(arn: string, version: FunctionVersionRecord, eventType: string): void {
  const limits = limitsFor(eventType);
  if (version.config.memorySize > limits.memoryMb) {
    throw reject(
      `The function memory size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: ${version.config.memorySize} Max allowed: ${limits.memoryMb} Function: ${arn}`,
    );
  }
  if (version.config.timeout > limits.timeoutSeconds) {
    throw reject(
      `The function timeout is larger than the maximum allowed for functions that are triggered by a CloudFront event: ${version.config.timeout} Max allowed: ${limits.timeoutSeconds} Function: ${arn}`,
    );
  }
  if (version.codeSize > limits.codeBytes) {
    throw reject(
      `The function code size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: ${version.codeSize} Max allowed: ${limits.codeBytes} Function: ${arn}`,
    );
  }
}

/** One association per event type; IncludeBody on request events only; no CloudFront Function on the same viewer event. */
/** CloudFront's words when one event type of a behavior gets two functions (quoted from CloudFormation's relay of it). */
const twoFunctions = (eventType: string) => reject(`The event type of a function association must be unique in the cache behavior. Event type ${eventType} cannot be associated with two functions.`);

/**
 * Per cache behavior (CloudFront Developer Guide, "Restrictions on all edge functions"): "Each
 * event type … can have only one edge function association", and "You can't combine
 * CloudFront Functions and Lambda@Edge in viewer events (viewer request and viewer
 * response)" — a Lambda@Edge viewer trigger and a CloudFront Function on either viewer event
 * cannot share a behavior; origin events may be mixed. (The error code for the second rule is
 * not documented; InvalidLambdaFunctionAssociation is the sandbox's choice.)
 */
export function checkBehaviorAssociations(behavior: XmlNode): void {
  const seen = new Set<string>();
  for (const association of items(behavior, 'LambdaFunctionAssociations')) {
    const eventType = text(association, 'EventType') ?? '';
    if (!(EVENT_TYPES as readonly string[]).includes(eventType)) throw reject(`The event type is not valid: ${eventType}.`);
    if (seen.has(eventType)) throw twoFunctions(eventType);
    seen.add(eventType);
    if (text(association, 'IncludeBody') === 'true' && !BODY_EVENTS.has(eventType)) {
      throw reject('The IncludeBody option can only be used with viewer-request or origin-request events.');
    }
  }
  const edgeViewer = [...seen].find((e) => VIEWER_EVENTS.has(e));
  for (const association of items(behavior, 'FunctionAssociations')) {
    const eventType = text(association, 'EventType') ?? '';
    if (seen.has(eventType)) throw twoFunctions(eventType);
    if (edgeViewer && VIEWER_EVENTS.has(eventType)) {
      throw reject(
        `You can't combine CloudFront Functions and Lambda@Edge in viewer events: the cache behavior has a Lambda@Edge function on ${edgeViewer} and a CloudFront function on ${eventType}.`,
      );
    }
  }
}

/** "Triggers per distribution" (CloudFront Developer Guide, Quotas on Lambda@Edge: default 100). */
export function checkAssociationCount(config: XmlNode, limit: number): void {
  const count = allBehaviors(config).reduce((n, b) => n + items(b, 'LambdaFunctionAssociations').length, 0);
  if (count > limit) throw new AwsError('TooManyLambdaFunctionAssociations', 400, 'Your request contains more Lambda@Edge function associations than are allowed per distribution.');
}

export function checkAssociation(world: World, association: XmlNode): void {
  const arn = text(association, 'LambdaFunctionARN') ?? '';
  const eventType = text(association, 'EventType') ?? '';
  checkFunctionArn(world, arn);
  const found = findFunctionVersion(world, arn);
  if (!found) throw reject(`The function does not exist or is not accessible to CloudFront. ARN: ${arn}`);
  checkExecutionRole(world, found.version.config.role);
  checkFunctionFeatures(arn, found.version);
  checkFunctionLimits(arn, found.version, eventType);
}

/** Every version ARN associated anywhere in a config (for replica tracking). */
export function associatedArns(config: XmlNode, into = new Set<string>()): Set<string> {
  for (const behavior of allBehaviors(config)) {
    for (const association of items(behavior, 'LambdaFunctionAssociations')) {
      const arn = text(association, 'LambdaFunctionARN');
      if (arn) into.add(arn);
    }
  }
  return into;
}
