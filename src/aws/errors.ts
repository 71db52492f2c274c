/**
 * The one AWS error taxonomy: which class of failure an error from AWS (or from reaching it)
 * is, whether waiting and trying again can help, and how the CLI says it — the call, the
 * resource, AWS's code and message as they came, and the fix (CLI.md, "Errors"). Waiting
 * (wait.ts), `init`'s credential check and every command's error output read it from here.
 *
 * Pure: no files, no environment. What the machine says about the named profile (AWS_PROFILE,
 * the shared files) is read in profiles.ts and given in as ProfileFacts by whoever says the
 * error to the user (src/cli/errors.ts); without them an error is worded from the call alone.
 */

import type { ProfileFacts } from './profiles.js';

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

/**
 * The profile the SDK was told to use, when the shared files define no such profile: the SDK
 * says "Could not load credentials from any providers" for that as for every other empty
 * chain, so the facts (profiles.ts, profileFacts) tell the user which it is.
 */
function missingProfile(facts: ProfileFacts): { name: string; files: string[]; defined: string[] } | undefined {
  return facts.name && facts.missing ? { name: facts.name, ...facts.missing } : undefined;
}

/** The profile named for the call: the facts' (--profile, else AWS_PROFILE), else the call's own --profile. */
function namedProfile(call: AwsCall | undefined, facts: ProfileFacts): string | undefined {
  return facts.name ?? (call?.profile || undefined);
}

function credentialsFix(call: AwsCall | undefined, facts: ProfileFacts): string {
  const profile = namedProfile(call, facts);
  const configure = profile
    ? `configure AWS credentials for the profile '${profile}' (aws configure --profile ${profile}, or aws sso login --profile ${profile})`
    : 'configure AWS credentials (`aws configure`, or `aws sso login --profile <name>`) and pass --profile <name> or set AWS_PROFILE';
  return `${configure}, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; \`aws sts get-caller-identity\` shows what the AWS CLI finds. ${SANDBOX_HINT}`;
}

function profileFix(missing: { name: string; defined: string[] }): string {
  const add = `add the profile '${missing.name}' (\`aws configure --profile ${missing.name}\` for access keys, \`aws configure sso --profile ${missing.name}\` for IAM Identity Center)`;
  const others = missing.defined.length ? `, or pass --profile with one the files define: ${missing.defined.join(', ')} (\`aws configure list-profiles\` lists them).` : ': the files define no profile yet.';
  return `${add}${others} ${SANDBOX_HINT}`;
}

function fixFor(kind: AwsErrorClass, call: AwsCall | undefined, facts: ProfileFacts): string {
  const operation = call ? `${call.service}:${call.operation}` : 'the operation';
  switch (kind) {
    case 'credentials-missing': {
      const missing = missingProfile(facts);
      return missing ? profileFix(missing) : credentialsFix(call, facts);
    }
    case 'credentials-rejected':
      return credentialsFix(call, facts);
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
        : 'check the network connection (and any proxy: HTTPS_PROXY) and run again; a re-run is safe.';
    case 'not-found':
      if (call?.operation?.includes('Distribution')) {
        return 'check the distribution id (--distribution, or "distributions" in the manifest); `aws cloudfront list-distributions --query "DistributionList.Items[].Id"` lists the ones in the account.';
      }
      return 'run again with --verbose to see each AWS call; a failed AWS call leaves the distribution untouched or fully applied, so a re-run is safe.';
    default:
      return 'run again with --verbose to see each AWS call; a failed AWS call leaves the distribution untouched or fully applied, so a re-run is safe.';
  }
}

/** Node's network codes in words: the code stays (CLI.md keeps codes), the words say what happened. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused, nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved just now',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed while sending',
  ECONNABORTED: 'the connection was aborted',
};

/** Where a call that got no answer was going: the endpoint override, else the host the error names. */
function unreachedPlace(error: Error, call: AwsCall | undefined): string | undefined {
  if (call?.endpoint) return call.endpoint;
  for (let e: unknown = error; e instanceof Error; e = e.cause === e ? undefined : e.cause) {
    const { hostname, address, port } = e as { hostname?: unknown; address?: unknown; port?: unknown };
    if (typeof hostname === 'string' && hostname) return hostname;
    if (typeof address === 'string' && address) return typeof port === 'number' ? `${address}:${port}` : address;
  }
  return call ? `${call.service}${call.region ? ` in ${call.region}` : ''}` : undefined;
}

/**
 * An answer that carries no AWS error: something other than AWS answered (an --endpoint-url
 * that is not the sandbox, a proxy's error page), so the SDK names it `Unknown` /
 * `UnknownError`, or cannot parse it at all ("Deserialization error").
 */
function unrecognisedAnswer(error: Error): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === undefined) return undefined;
  const unknown = ['Unknown', 'UnknownError'].includes(error.name) || ['Unknown', 'UnknownError'].includes(error.message);
  return unknown || /Deserialization error/.test(error.message) ? status : undefined;
}

export interface DescribedAwsError {
  kind: AwsErrorClass;
  /** The code for `--json`: AWS's error code, or edge-install's name for a failure that has none. */
  code: string;
  /** One line: which call failed on what, and AWS's code and message. */
  what: string;
  fix: string;
}

/**
 * An AWS error as CLI.md wants errors: which call on which resource, AWS's error code and
 * message as they came, and the fix. Undefined for errors that are not AWS's.
 *
 * Errors about the credentials, the profile or the network read the same on every command
 * (issue 18), without the call they happened to meet first: they are about where the
 * command runs, not about that call, and a user who saw one from `init` recognises it from
 * `status`. Their `--json` codes: `CredentialsProviderError` (the SDK's), `ProfileNotFound`
 * (the AWS CLI's name for it), `NetworkingError` (the SDK's name for a request that got no
 * answer), and `UnexpectedResponse` for an answer that is not AWS's.
 *
 * `facts`: what the environment says about the named profile (profiles.ts, profileFacts);
 * only the credential errors read them.
 */
export function describeAwsError(error: unknown, facts: ProfileFacts = {}): DescribedAwsError | undefined {
  const kind = classifyAwsError(error);
  if (!kind || !(error instanceof Error)) return undefined;
  const call = awsCallOf(error);
  const where = call ? `${call.service} ${call.operation}${call.resource ? ` ${call.resource}` : ''}${call.region ? ` in ${call.region}` : ''}: ` : '';
  const message = error.message.split('\n')[0]!.replace(/\.+$/, '');
  const fix = fixFor(kind, call, facts);
  switch (kind) {
    case 'credentials-missing': {
      const missing = missingProfile(facts);
      if (missing) {
        return { kind, code: 'ProfileNotFound', what: `no usable AWS credentials: profile ${missing.name} not found in ${missing.files.join(' or ')}.`, fix };
      }
      return { kind, code: error.name, what: `no usable AWS credentials (${error.name}: ${message}).`, fix };
    }
    case 'credentials-rejected':
      return { kind, code: error.name, what: `AWS rejected the credentials (${error.name}: ${message}).`, fix };
    case 'credentials-expired':
      return { kind, code: error.name, what: `the AWS credentials have expired (${error.name}: ${message}).`, fix };
    case 'network': {
      const code = networkCode(error);
      const words = code ? `${code}: ${NETWORK_WORDS[code] ?? 'no answer'}` : error.name === 'TimeoutError' ? 'TimeoutError: no answer in time' : `${error.name}: no answer`;
      const place = unreachedPlace(error, call);
      return { kind, code: 'NetworkingError', what: `cannot reach AWS${place ? ` at ${place}` : ''} (${words}).`, fix };
    }
    default: {
      const status = unrecognisedAnswer(error);
      if (status !== undefined) {
        const who = call?.endpoint ? `the endpoint ${call.endpoint}` : 'AWS (or a proxy in between)';
        return {
          kind,
          code: 'UnexpectedResponse',
          what: `${who} answered HTTP ${status} with no AWS error in it: not an AWS answer.`,
          fix: call?.endpoint
            ? 'check --endpoint-url / EDGE_INSTALL_ENDPOINT_URL: it must be an AWS endpoint or `edge-install sandbox` (http://127.0.0.1:4580 by default), not another server.'
            : 'check the network path to AWS (HTTPS_PROXY, a captive portal) and run again; a re-run is safe.',
        };
      }
      return { kind, code: error.name, what: `${where}${error.name}: ${message}.`, fix };
    }
  }
}
