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
}

const CALL = Symbol.for('edge-install.aws-call');

export function recordAwsCall(error: unknown, call: AwsCall): void {
  if (error instanceof Error && !(CALL in error)) Object.defineProperty(error, CALL, { value: call, enumerable: false });
}

export function awsCallOf(error: unknown): AwsCall | undefined {
  return error instanceof Error ? ((error as unknown as Record<symbol, AwsCall | undefined>)[CALL] ?? undefined) : undefined;
}

/** Input members that name the resource a call is about. A whitelist: values are never read. */
const RESOURCE_MEMBERS = ['Id', 'FunctionName', 'RoleName', 'SecretId', 'Name'] as const;

export function resourceOfInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as Record<string, unknown>;
  for (const member of RESOURCE_MEMBERS) {
    const value = record[member];
    if (typeof value === 'string' && value !== '') return typeof record.Qualifier === 'string' ? `${value}:${record.Qualifier}` : value;
  }
  return undefined;
}

const NO_CREDENTIALS = 'CredentialsProviderError';

/** An error from AWS or from finding credentials for it, as opposed to one of edge-install's own. */
export function isFromAws(error: unknown): error is Error {
  return error instanceof Error && (awsCallOf(error) !== undefined || error.name === NO_CREDENTIALS || '$metadata' in error);
}

const CREDENTIALS_FIX =
  'configure AWS credentials (`aws configure`, or `aws sso login --profile <name>`) and pass --profile <name> or set AWS_PROFILE, ' +
  'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `aws sts get-caller-identity` shows what the AWS CLI finds. ' +
  'To try edge-install without an AWS account, run `edge-install sandbox` and pass its --endpoint-url.';

/** The fix for the AWS error codes users meet, by code. */
function fixFor(code: string, call: AwsCall | undefined): string {
  const operation = call ? `${call.service}:${call.operation}` : 'the operation';
  switch (code) {
    case 'NoSuchDistribution':
      return 'check the distribution id (--distribution, or "distributions" in the manifest); `aws cloudfront list-distributions --query "DistributionList.Items[].Id"` lists the ones in the account.';
    case 'AccessDenied':
    case 'AccessDeniedException':
    case 'UnauthorizedOperation':
      return `allow ${operation} for these credentials (the README's "Using it for real" lists every permission edge-install needs), or pass --profile with one that has it.`;
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'TokenRefreshRequired':
      return 'the credentials have expired: refresh them (for SSO, `aws sso login --profile <name>`) and run again.';
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
    case 'SignatureDoesNotMatch':
    case 'InvalidSignatureException':
      return `AWS does not accept these credentials: ${CREDENTIALS_FIX}`;
    case 'Throttling':
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return 'AWS is throttling these calls: wait a minute and run again (a re-run is safe), or lower --concurrency.';
    case NO_CREDENTIALS:
      return CREDENTIALS_FIX;
    default:
      return 'run again with --verbose to see each AWS call; a failed AWS call leaves the distribution untouched or fully applied, so a re-run is safe.';
  }
}

/**
 * An AWS error as CLI.md wants errors: which call on which resource, AWS's error code and
 * message as they came, and the fix. Undefined for errors that are not AWS's.
 */
export function describeAwsError(error: unknown): { what: string; fix: string } | undefined {
  if (!isFromAws(error)) return undefined;
  const call = awsCallOf(error);
  const where = call ? `${call.service} ${call.operation}${call.resource ? ` ${call.resource}` : ''}: ` : '';
  return { what: `${where}${error.name}: ${error.message.replace(/\.+$/, '')}.`, fix: fixFor(error.name, call) };
}
