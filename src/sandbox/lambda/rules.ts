/**
 * Lambda's rules, one plain function each, worded after the AWS Lambda API reference and the
 * errors Lambda really returns. The operations (functions.ts) call these; nothing here
 * changes state.
 */
import { AwsError } from '../errors.js';
import { roleByArn, trustedServicePrincipals } from '../iam/trust.js';
import type { FunctionConfig, FunctionRecord, FunctionVersionRecord, World } from '../world.js';
import { functionArn } from './arns.js';
import { isReplicated } from './replicas.js';

// ---- Quotas and limits (Lambda quotas page, API reference "Valid Range") ------------------

/** "Request must be smaller than 69905067 bytes for the CreateFunction operation". */
export const CREATE_FUNCTION_MAX_REQUEST_BYTES = 69_905_067;
/** UpdateFunctionCode's limit, the larger of the two: the service's body limit. */
export const UPDATE_FUNCTION_CODE_MAX_REQUEST_BYTES = 70_167_211;
export const TIMEOUT_RANGE = { min: 1, max: 900 } as const;
export const MEMORY_RANGE = { min: 128, max: 10_240 } as const;
export const EPHEMERAL_STORAGE_RANGE = { min: 512, max: 10_240 } as const;
export const MAX_DESCRIPTION_LENGTH = 256;
export const MAX_HANDLER_LENGTH = 128;
export const MAX_NAME_LENGTH = 64;
export const MAX_FUNCTION_ARN_LENGTH = 140;
export const MAX_LAYERS = 5;
export const MAX_SUBNETS = 16;
/** "The total size of all environment variables doesn't exceed 4 KB." */
export const ENVIRONMENT_MAX_BYTES = 4096;
/** List operations return at most 50 items per call, whatever MaxItems says. */
export const MAX_PAGE_SIZE = 50;
export const MAX_ITEMS_RANGE = { min: 1, max: 10_000 } as const;

export const DEFAULTS = {
  timeout: 3,
  memorySize: 128,
  architectures: ['x86_64'],
  ephemeralStorage: 512,
  tracingMode: 'PassThrough',
  packageType: 'Zip',
} as const;

/** The Runtime enum of the Lambda model. */
export const RUNTIMES = [
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x',
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'nodejs4.3-edge',
  'java8', 'java8.al2', 'java11', 'java17', 'java21', 'java25',
  'python2.7', 'python3.6', 'python3.7', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12',
  'python3.13', 'python3.14',
  'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6', 'dotnet8', 'dotnet10',
  'go1.x', 'ruby2.5', 'ruby2.7', 'ruby3.2', 'ruby3.3', 'ruby3.4', 'provided', 'provided.al2', 'provided.al2023',
];

/** Runtimes past the end of their deprecation: no new functions, no updates. */
const BLOCKED_RUNTIMES: Record<string, string> = {
  nodejs: 'nodejs22.x', 'nodejs4.3': 'nodejs22.x', 'nodejs4.3-edge': 'nodejs22.x', 'nodejs6.10': 'nodejs22.x',
  'nodejs8.10': 'nodejs22.x', 'nodejs10.x': 'nodejs22.x', 'nodejs12.x': 'nodejs22.x', 'nodejs14.x': 'nodejs22.x',
  'nodejs16.x': 'nodejs22.x',
  'python2.7': 'python3.13', 'python3.6': 'python3.13', 'python3.7': 'python3.13', 'python3.8': 'python3.13',
  'dotnetcore1.0': 'dotnet8', 'dotnetcore2.0': 'dotnet8', 'dotnetcore2.1': 'dotnet8', 'dotnetcore3.1': 'dotnet8',
  dotnet6: 'dotnet8', 'ruby2.5': 'ruby3.4', 'ruby2.7': 'ruby3.4', 'go1.x': 'provided.al2023', provided: 'provided.al2023',
};

/** Environment variable names Lambda sets itself and refuses to let a function override. */
const RESERVED_ENVIRONMENT_KEYS = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

export const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
export const LAYER_VERSION_PATTERN = 'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';
export const ENVIRONMENT_KEY_PATTERN = '[a-zA-Z]([a-zA-Z0-9_])+';
export const MASTER_REGION_PATTERN = 'ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}';

// ---- Errors, as Lambda names them ----------------------------------------------------------

export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterValueException', 400, message);
export const resourceConflict = (message: string): AwsError => new AwsError('ResourceConflictException', 409, message);
export const preconditionFailed = (message: string): AwsError => new AwsError('PreconditionFailedException', 412, message);
export const functionNotFound = (arn: string): AwsError => new AwsError('ResourceNotFoundException', 404, `Function not found: ${arn}`);
export const invalidRequestContent = (detail: string): AwsError =>
  new AwsError('InvalidRequestContentException', 400, `Could not parse request body into json: ${detail}`);

/**
 * Model constraint violations, reported together the way AWS does:
 * "2 validation errors detected: Value null at 'role' failed to satisfy constraint: …; …".
 */
export class Violations {
  private readonly items: string[] = [];

  add(value: unknown, field: string, constraint: string): void {
    this.items.push(`Value ${describeValue(value)} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  required(value: unknown, field: string): void {
    if (value === undefined || value === null) this.add(null, field, 'Member must not be null');
  }

  range(value: number | undefined, field: string, range: { min: number; max: number }): void {
    if (value === undefined) return;
    if (value < range.min) this.add(value, field, `Member must have value greater than or equal to ${range.min}`);
    else if (value > range.max) this.add(value, field, `Member must have value less than or equal to ${range.max}`);
  }

  maxLength(value: string | unknown[] | undefined, field: string, max: number): void {
    if (value !== undefined && value.length > max) this.add(value, field, `Member must have length less than or equal to ${max}`);
  }

  pattern(value: string | undefined, field: string, pattern: string): void {
    if (value !== undefined && !new RegExp(`^(?:${pattern})$`).test(value)) this.mismatch(value, field, pattern);
  }

  /** For values already found not to be of the pattern's form. */
  mismatch(value: string, field: string, pattern: string): void {
    this.add(value, field, `Member must satisfy regular expression pattern: ${pattern}`);
  }

  oneOf(value: string | undefined, field: string, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value)) {
      this.add(value, field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw this.toError();
  }

  toError(): AwsError {
    const n = this.items.length;
    return new AwsError('ValidationException', 400, `${n} validation error${n === 1 ? '' : 's'} detected: ${this.items.join('; ')}`);
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `'[${value.join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

// ---- Function configuration ------------------------------------------------------------------

/**
 * "Runtime and Handler are mandatory parameters for functions created with deployment
 * packages" (package type Zip); deprecated runtimes can no longer be used to create or
 * update functions.
 */
export function checkRuntimeAndHandler(config: Pick<FunctionConfig, 'runtime' | 'handler' | 'packageType'>): void {
  if (config.packageType === 'Zip' && (!config.runtime || !config.handler)) {
    throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
}

/**
 * Runtimes on AWS's deprecation schedule, by the Lambda runtimes table (Lambda Developer Guide,
 * lambda-nodejs.html and lambda-python.html: "Block function create" / "Block function
 * update"), measured on the sandbox clock: creating a function on one is refused from the
 * first date, updating one from the second. nodejs18.x and nodejs20.x as the runtimes page
 * gave them in June 2026 (quoted in aws-cloudformation/cfn-lint#4531); python3.9 as the
 * Python page gives it.
 */
const SCHEDULE: Record<string, { blockCreate: string; blockUpdate: string; replacement: string }> = {
  'nodejs18.x': { blockCreate: '2027-02-01', blockUpdate: '2027-03-03', replacement: 'nodejs24.x' },
  'nodejs20.x': { blockCreate: '2027-02-01', blockUpdate: '2027-03-03', replacement: 'nodejs24.x' },
  'nodejs22.x': { blockCreate: '2027-06-01', blockUpdate: '2027-07-01', replacement: 'nodejs24.x' },
  'nodejs24.x': { blockCreate: '2028-06-01', blockUpdate: '2028-07-01', replacement: 'nodejs24.x' },
  'python3.9': { blockCreate: '2026-02-03', blockUpdate: '2026-03-09', replacement: 'python3.14' },
  'python3.10': { blockCreate: '2026-11-30', blockUpdate: '2027-01-15', replacement: 'python3.14' },
  'python3.11': { blockCreate: '2027-07-31', blockUpdate: '2027-08-31', replacement: 'python3.14' },
  'python3.12': { blockCreate: '2028-11-30', blockUpdate: '2029-01-10', replacement: 'python3.14' },
  'python3.13': { blockCreate: '2029-07-31', blockUpdate: '2029-08-31', replacement: 'python3.14' },
  'python3.14': { blockCreate: '2029-07-31', blockUpdate: '2029-08-31', replacement: 'python3.14' },
};

/** The replacement AWS names for a runtime `now` refuses for `action`, if it does. */
export function blockedRuntime(runtime: string, now: number, action: 'create' | 'update'): string | undefined {
  const replacement = BLOCKED_RUNTIMES[runtime];
  if (replacement) return replacement;
  const scheduled = SCHEDULE[runtime];
  if (!scheduled) return undefined;
  const from = Date.parse(`${action === 'create' ? scheduled.blockCreate : scheduled.blockUpdate}T00:00:00Z`);
  return now >= from ? scheduled.replacement : undefined;
}

export function checkRuntimeSupported(runtime: string | undefined, now: number, action: 'create' | 'update'): void {
  if (runtime === undefined) return;
  const replacement = blockedRuntime(runtime, now, action);
  if (replacement) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
        `We recommend you use the new runtime (${replacement}) while creating or updating functions.`,
    );
  }
}

/**
 * Environment variables: names start with a letter and contain only letters, digits and
 * underscores; Lambda's reserved keys cannot be set; all of them together stay within 4 KB.
 */
export function checkEnvironment(variables: Record<string, string> | undefined, violations: Violations): void {
  if (!variables) return;
  const keyPattern = new RegExp(`^(?:${ENVIRONMENT_KEY_PATTERN})$`);
  const badKeys = Object.keys(variables).filter((key) => !keyPattern.test(key));
  if (badKeys.length > 0) {
    violations.add(
      badKeys,
      'environment.variables',
      `Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${ENVIRONMENT_KEY_PATTERN}]`,
    );
  }
}

export function checkEnvironmentLimits(variables: Record<string, string> | undefined): void {
  if (!variables) return;
  const reserved = Object.keys(variables).filter((key) => RESERVED_ENVIRONMENT_KEYS.has(key));
  if (reserved.length > 0) {
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
        `contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > ENVIRONMENT_MAX_BYTES) {
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
        `exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

/**
 * The execution role must exist, trust `lambda.amazonaws.com`, and be visible to Lambda:
 * right after CreateRole (or a trust policy change) IAM has not propagated it yet, and
 * Lambda answers "The role defined for the function cannot be assumed by Lambda." until it has.
 */
export function lambdaCanAssumeRole(world: World, roleArn: string): boolean {
  const role = roleByArn(world, roleArn);
  if (!role) return false;
  if (!trustedServicePrincipals(policyText(role.assumeRolePolicyDocument)).has('lambda.amazonaws.com')) return false;
  return world.now() >= role.propagatedAt;
}

export function checkRoleAssumable(world: World, roleArn: string): void {
  if (!lambdaCanAssumeRole(world, roleArn)) {
    throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  }
}

/** IAM hands trust policies back URL-encoded; accept either form. */
function policyText(document: string): string {
  if (document.trimStart().startsWith('{')) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

// ---- State and updates ---------------------------------------------------------------------

/** A new function is Pending until Lambda has provisioned it, then Active. */
export function functionState(fn: FunctionRecord, now: number): 'Pending' | 'Active' {
  return now < fn.activeAt ? 'Pending' : 'Active';
}

/** After UpdateFunctionCode/UpdateFunctionConfiguration: InProgress, then Successful. */
export function lastUpdateStatus(fn: FunctionRecord, now: number): 'InProgress' | 'Successful' {
  return now < fn.updateDoneAt ? 'InProgress' : 'Successful';
}

/**
 * A version published as part of a create or an update (`Publish: true`) is Pending until
 * that create or update is done; a version published from an idle function is Active.
 */
export function versionState(fn: FunctionRecord, version: FunctionVersionRecord, now: number): 'Pending' | 'Active' {
  const busyUntil = Math.max(fn.activeAt, fn.updateDoneAt);
  return now < busyUntil && version.lastModified >= fn.latest.lastModified ? 'Pending' : 'Active';
}

/**
 * While a function is being created, or an update is in progress, other updates and
 * PublishVersion fail with ResourceConflictException (callers wait for Active/Successful).
 */
export function checkNoChangeInProgress(world: World, fn: FunctionRecord): void {
  const now = world.now();
  if (functionState(fn, now) === 'Pending') {
    throw resourceConflict('The operation cannot be performed at this time. The function is currently in the following state: Pending');
  }
  if (lastUpdateStatus(fn, now) === 'InProgress') {
    throw resourceConflict(
      `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(world, fn.region, fn.name)}`,
    );
  }
}

/** `RevisionId`: "Update the function only if the revision ID matches the ID that's specified." */
export function checkRevisionId(expected: string | undefined, latest: FunctionVersionRecord): void {
  if (expected !== undefined && expected !== latest.revisionId) {
    throw preconditionFailed(
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
}

/**
 * PublishVersion `CodeSha256`: "Only publish a version if the hash value matches the value
 * that's specified." Lambda reports a mismatch as a 400 InvalidParameterValueException (as
 * observed from the live service), not as a 412.
 */
export function checkCodeSha256(expected: string | undefined, latest: FunctionVersionRecord): void {
  if (expected !== undefined && expected !== latest.codeSha256) {
    throw invalidParameter(
      `CodeSHA256 (${expected}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256}). ` +
        'Please try again with the CodeSHA256 in $LATEST.',
    );
  }
}

/**
 * "Lambda doesn't publish a version if the function's configuration and code haven't changed
 * since the last version." The version's own description (PublishVersion's Description) does
 * not count as a change.
 */
export function unchangedSinceVersion(latest: FunctionVersionRecord, version: FunctionVersionRecord): boolean {
  if (latest.codeSha256 !== version.codeSha256) return false;
  const strip = ({ description: _description, ...rest }: FunctionConfig): unknown => canonical(rest);
  return JSON.stringify(strip(latest.config)) === JSON.stringify(strip(version.config));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

// ---- Deletion ------------------------------------------------------------------------------

export function checkNotLatest(qualifier: string): void {
  if (qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
}

/**
 * A version that CloudFront replicated for Lambda@Edge cannot be deleted (nor its function)
 * until the replicas are gone, some time after the last association was removed.
 */
export function checkNotReplicated(world: World, versionArn: string): void {
  if (isReplicated(world, versionArn)) {
    throw invalidParameter(
      `Lambda was unable to delete ${versionArn} because it is a replicated function. ` +
        'Please see our documentation for Deleting Lambda@Edge Functions and Replicas.',
    );
  }
}

// ---- Where a function is addressed ---------------------------------------------------------

/** A function ARN for another region is not reachable from this regional endpoint. */
export function checkSameRegion(arnRegion: string | undefined, requestRegion: string): void {
  if (arnRegion !== undefined && arnRegion !== requestRegion) {
    throw new AwsError('ResourceNotFoundException', 404, `Functions from '${arnRegion}' are not reachable in this region ('${requestRegion}')`);
  }
}

/** Another account's function needs a resource-based policy the sandbox never grants. */
export function checkSameAccount(world: World, account: string | undefined, action: string, resource: string): void {
  if (account !== undefined && account !== world.accountId) {
    throw new AwsError(
      'AccessDeniedException',
      403,
      `User: arn:aws:iam::${world.accountId}:user/sandbox is not authorized to perform: lambda:${action} on resource: ${resource} ` +
        `because no resource-based policy allows the lambda:${action} action`,
    );
  }
}

/** "The derived qualifier from the function name does not match the specified qualifier." */
export function checkQualifiersAgree(fromName: string | undefined, fromParameter: string | undefined): void {
  if (fromName !== undefined && fromParameter !== undefined && fromName !== fromParameter) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
}

/** Tags belong to the function: versions and aliases cannot be tagged. */
export function checkTaggableArn(qualifier: string | undefined): void {
  if (qualifier !== undefined) {
    throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  }
}

/** ListFunctions: MasterRegion (Lambda@Edge replicas) only together with FunctionVersion=ALL. */
export function checkMasterRegionCombination(masterRegion: string | undefined, functionVersion: string | undefined): void {
  if (masterRegion !== undefined && functionVersion !== 'ALL') {
    throw invalidParameter(
      `The combination MasterArn=${masterRegion} and FunctionVersion=${functionVersion ?? 'NULL'} is not supported. ` +
        'Please see our documentation for valid combinations of ListFunctions options.',
    );
  }
}

/**
 * SnapStart runs on Java 11 and later, Python 3.12 and later and .NET 8 and later (Lambda
 * Developer Guide, SnapStart); on any other runtime Lambda refuses it with
 * "<runtime> is not supported for SnapStart enabled functions." (InvalidParameterValueException).
 */
const SNAPSTART_RUNTIMES = /^(java(11|17|21|25)|python3\.(1[2-9])|dotnet(8|10))$/;

export function checkSnapStart(config: Pick<FunctionConfig, 'runtime' | 'snapStart'>): void {
  if (config.snapStart !== 'PublishedVersions') return;
  if (!config.runtime || !SNAPSTART_RUNTIMES.test(config.runtime)) throw invalidParameter(`${config.runtime ?? 'This runtime'} is not supported for SnapStart enabled functions.`);
}
