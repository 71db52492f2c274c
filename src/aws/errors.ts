/**
 * The one AWS error taxonomy: which class of failure an error from AWS (or from reaching it)
 * is, whether waiting and trying again can help, and how the CLI says it — the call, the
 * resource, AWS's code and message as they came, and the fix (CLI.md, "Errors"). Waiting
 * (wait.ts), `init`'s credential check and every command's error output read it from here.
 */

/** Recognising AWS answers by their error name (the SDK's modeled exception classes set it). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/** Runs a read that may find nothing: the NotFound-style errors become undefined. */
export async function ifExists<T>(read: () => Promise<T>, ...notFound: string[]): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isAwsError(error, ...notFound)) return undefined;
    throw error;
  }
}

/** Which AWS call an error came from; clients.ts records it on every error a client throws. */
export interface AwsCall {
  service: string;
  operation: string;
  /** The resource the call named (distribution id, function, role, secret) — never a value. */
  resource?: string;
  /** For a regional service (Secrets Manager): the region the call went to. */
  region?: string;
  /** The endpoint override the call went to (--endpoint-url), if any. */
  endpoint?: string;
  /** The profile the credentials were to come from (--profile), if any. */
  profile?: string;
}

const CALL = Symbol.for('edge-install.aws-call');

export function recordAwsCall(error: unknown, call: AwsCall): void {
  if (error instanceof Error && !(CALL in error)) Object.defineProperty(error, CALL, { value: call, enumerable: false });
}

export function awsCallOf(error: unknown): AwsCall | undefined {
  return error instanceof Error ? ((error as unknown as Record<symbol, AwsCall | undefined>)[CALL] ?? undefined) : undefined;
}

/** Input members that name the resource a call is about. A whitelist: values are never read. */
const RESOURCE_MEMBERS = ['Id', 'FunctionName', 'RoleName', 'SecretId', 'Name', 'logGroupName', 'logGroupIdentifier'] as const;

export function resourceOfInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as Record<string, unknown>;
  // S3 (the state store): the object, or the prefix listed.
  if (typeof record.Bucket === 'string') return `s3://${record.Bucket}/${typeof record.Key === 'string' ? record.Key : typeof record.Prefix === 'string' ? record.Prefix : ''}`;
  for (const member of RESOURCE_MEMBERS) {
    const value = record[member];
    if (typeof value === 'string' && value !== '') return typeof record.Qualifier === 'string' ? `${value}:${record.Qualifier}` : value;
  }
  return undefined;
}

export type AwsErrorClass =
  /** No credentials could be found (the SDK's provider chain came up empty). */
  | 'credentials-missing'
  /** AWS does not accept the credentials (unknown key, bad signature). */
  | 'credentials-rejected'
  | 'credentials-expired'
  | 'access-denied'
  | 'throttled'
  /** AWS's side: a 5xx. */
  | 'server'
  /** No answer at all: refused, unresolvable, reset, timed out. */
  | 'network'
  | 'not-found'
  /** Any other answer about the request itself (validation, conflicts, limits). */
  | 'request';

/** Error names by class; AWS services spell the same thing differently. */
const BY_NAME: Record<string, AwsErrorClass> = {
  CredentialsProviderError: 'credentials-missing',
  InvalidClientTokenId: 'credentials-rejected',
  UnrecognizedClientException: 'credentials-rejected',
  SignatureDoesNotMatch: 'credentials-rejected',
  InvalidSignatureException: 'credentials-rejected',
  InvalidAccessKeyId: 'credentials-rejected',
  AuthFailure: 'credentials-rejected',
  ExpiredToken: 'credentials-expired',
  ExpiredTokenException: 'credentials-expired',
  TokenRefreshRequired: 'credentials-expired',
  RequestExpired: 'credentials-expired',
  AccessDenied: 'access-denied',
  AccessDeniedException: 'access-denied',
  UnauthorizedOperation: 'access-denied',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  NoSuchDistribution: 'not-found',
  NoSuchCachePolicy: 'not-found',
  NoSuchOrigin: 'not-found',
  ResourceNotFoundException: 'not-found',
  NoSuchEntityException: 'not-found',
  NoSuchEntity: 'not-found',
};

/** Node's network error codes (ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT, EAI_AGAIN, …), not its ERR_* codes. */
const NETWORK_CODE = /^E(?!RR_)[A-Z]+(_[A-Z]+)?$/;

function networkCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause !== error ? networkCode(cause) : undefined;
}

/** An error from AWS or from reaching it, as opposed to one of edge-install's own. */
export function isFromAws(error: unknown): error is Error {
  return error instanceof Error && (awsCallOf(error) !== undefined || error.name in BY_NAME || '$metadata' in error);
}

/** The class of an AWS error; undefined for edge-install's own errors. */
export function classifyAwsError(error: unknown): AwsErrorClass | undefined {
  if (!isFromAws(error)) return undefined;
  const named = BY_NAME[error.name];
  if (named) return named;
  const answered = '$metadata' in error && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined;
  if (!answered && (error.name === 'TimeoutError' || networkCode(error))) return 'network';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if ((error as { $fault?: string }).$fault === 'server' || (status !== undefined && status >= 500)) return 'server';
  return 'request';
}

/**
 * Whether trying again later can help: AWS's side, throttling, or no answer at all. The
 * clients' own retries have already run when a caller sees the error; a waiter polls through
 * these, and ends at once on anything else (access denied polled for 35 minutes helps no one).
 */
export function isTransient(error: unknown): boolean {
  const kind = classifyAwsError(error);
  return kind === 'server' || kind === 'throttled' || kind === 'network';
}

const SANDBOX_HINT = 'To try edge-install without an AWS account, run `edge-install sandbox` and pass its --endpoint-url.';

function credentialsFix(call: AwsCall | undefined): string {
  const profile = call?.profile;
  const configure = profile
    ? `configure AWS credentials for the profile '${profile}' (aws configure --profile ${profile}, or aws sso login --profile ${profile})`
    : 'configure AWS credentials (`aws configure`, or `aws sso login --profile <name>`) and pass --profile <name> or set AWS_PROFILE';
  return `${configure}, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; \`aws sts get-caller-identity\` shows what the AWS CLI finds. ${SANDBOX_HINT}`;
}

function fixFor(kind: AwsErrorClass, call: AwsCall | undefined): string {
  const operation = call ? `${call.service}:${call.operation}` : 'the operation';
  switch (kind) {
    case 'credentials-missing':
    case 'credentials-rejected':
      return credentialsFix(call);
    case 'credentials-expired':
      return `the credentials have expired: refresh them (for SSO, \`aws sso login${call?.profile ? ` --profile ${call.profile}` : ' --profile <name>'}\`) and run again.`;
    case 'access-denied':
      return `allow ${operation} for these credentials (the README's "Using it for real" lists every permission edge-install needs), or pass --profile with one that has it.`;
    case 'throttled':
      // Only the commands that work on several distributions at once have --concurrency.
      return `AWS is throttling these calls: wait a minute and run again (a re-run is safe)${call && ['cloudfront', 'lambda'].includes(call.service) ? ', or lower --concurrency' : ''}.`;
    case 'network':
      return call?.endpoint
        ? `check that the endpoint is running (e.g. \`edge-install sandbox\`) and reachable, or leave out --endpoint-url / EDGE_INSTALL_ENDPOINT_URL to use AWS itself.`
        : 'check the network connection (and any proxy) and run again; a re-run is safe.';
    case 'not-found':
      if (call?.operation?.includes('Distribution')) {
        return 'check the distribution id (--distribution, or "distributions" in the manifest); `aws cloudfront list-distributions --query "DistributionList.Items[].Id"` lists the ones in the account.';
      }
      return 'run again with --verbose to see each AWS call; a failed AWS call leaves the distribution untouched or fully applied, so a re-run is safe.';
    default:
      return 'run again with --verbose to see each AWS call; a failed AWS call leaves the distribution untouched or fully applied, so a re-run is safe.';
  }
}

export interface DescribedAwsError {
  kind: AwsErrorClass;
  /** One line: which call failed on what, and AWS's code and message. */
  what: string;
  fix: string;
}

/**
 * An AWS error as CLI.md wants errors: which call on which resource, AWS's error code and
 * message as they came, and the fix. Undefined for errors that are not AWS's.
 */
export function describeAwsError(error: unknown): DescribedAwsError | undefined {
  const kind = classifyAwsError(error);
  if (!kind || !(error instanceof Error)) return undefined;
  const call = awsCallOf(error);
  const where = call ? `${call.service} ${call.operation}${call.resource ? ` ${call.resource}` : ''}${call.region ? ` in ${call.region}` : ''}: ` : '';
  const message = error.message.split('\n')[0]!.replace(/\.+$/, '');
  const fix = fixFor(kind, call);
  switch (kind) {
    case 'credentials-missing':
      return { kind, what: `${where}no usable AWS credentials (${error.name}: ${message}).`, fix };
    case 'credentials-rejected':
      return { kind, what: `${where}AWS rejected the credentials (${error.name}: ${message}).`, fix };
    case 'network': {
      const code = networkCode(error) ?? error.name;
      return { kind, what: `${where}cannot reach AWS${call?.endpoint ? ` at ${call.endpoint}` : ''} (${code}).`, fix };
    }
    default:
      return { kind, what: `${where}${error.name}: ${message}.`, fix };
  }
}
