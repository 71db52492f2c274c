/**
 * Reads the integration's secret from Secrets Manager at run time: one signed
 * `GetSecretValue` call (json 1.1 over global fetch), no SDK.
 *
 * - Where: the secret's name and regions are baked into the bundle (`secretName`,
 *   `secretRegion`, `secretReplicaRegions`). A Lambda@Edge function runs in the region
 *   nearest the viewer (`AWS_REGION`); it reads the replica there when the manifest lists
 *   one, else the secret's home region.
 * - Endpoint: `AWS_ENDPOINT_URL_SECRETS_MANAGER`, then `AWS_ENDPOINT_URL` (the SDKs' variables;
 *   never set at the edge, where environment variables are forbidden), so a built bundle can
 *   be run against the sandbox; else `https://secretsmanager.<region>.amazonaws.com`.
 * - Credentials: the execution role's, from the environment Lambda provides.
 * - Errors name what failed (HTTP status, AWS error code and message, timeout) and never
 *   contain the value: JSON.parse's own message quotes its input, so it is replaced.
 */
import type { AwsCredentials } from './sigv4.js';

/** The settings edge-install bakes into every bundle of a manifest with a secret (src/bundle/manifest.ts). */
export interface SecretSettings {
  secretName?: string;
  secretRegion?: string;
  secretReplicaRegions?: string[];
}

export type Env = Record<string, string | undefined>;

/** A secret's key/value pairs, looked up case-insensitively. */
export type SecretValues = ReadonlyMap<string, string>;

export class SecretReadError extends Error {
  /** An AWS error code (`AccessDeniedException`, `ResourceNotFoundException`, …) or ours (`Timeout`, `NetworkError`, `NoCredentials`, `NotConfigured`, `InvalidSecret`). */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SecretReadError';
    this.code = code;
  }
}

/** The replica in the function's own region when there is one, else the secret's home region. */
export function secretReadRegion(settings: SecretSettings, env: Env): string | undefined {
  const here = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (here !== undefined && (here === settings.secretRegion || (settings.secretReplicaRegions ?? []).includes(here))) return here;
  return settings.secretRegion;
}

export function secretsManagerEndpoint(region: string, env: Env): URL {
  const override = env.AWS_ENDPOINT_URL_SECRETS_MANAGER || env.AWS_ENDPOINT_URL;
  return new URL(override || `https://secretsmanager.${region}.amazonaws.com/`);
}

function credentialsFrom(env: Env): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new SecretReadError('NoCredentials', 'no AWS credentials in the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
  return env.AWS_SESSION_TOKEN ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN } : { accessKeyId, secretAccessKey };
}

export interface ReadSecretOptions {
  env?: Env;
  fetch?: typeof fetch;
  /** The signing time; the current time by default. */
  signingDate?: () => Date;
  /** Abort the call after this long; the handler's own timeout is 5 s (viewer) to 30 s (origin). */
  timeoutMs?: number;
}

/** The SecretString (or decoded SecretBinary) of the secret's current version. */
export async function getSecretString(settings: SecretSettings, options: ReadSecretOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3000;
  const region = secretReadRegion(settings, env);
  if (!settings.secretName || !region) throw new SecretReadError('NotConfigured', 'the bundle names no secret (secretName / secretRegion are not set)');
  const url = secretsManagerEndpoint(region, env);
  const body = JSON.stringify({ SecretId: settings.secretName });
  // Loaded on first use: node:crypto is the costliest part of a cold import, and agent
  // downloads (most cold starts of the proxy) never sign anything.
  const { signRequest } = await import('./sigv4.js');
  const headers = signRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body,
    region,
    service: 'secretsmanager',
    credentials: credentialsFrom(env),
    date: options.signingDate?.() ?? new Date(),
  });

  let response: Response;
  try {
    response = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new SecretReadError('Timeout', `GetSecretValue ${settings.secretName} in ${region}: no answer within ${timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const detail = cause?.code ?? cause?.message;
    throw new SecretReadError('NetworkError', `GetSecretValue ${settings.secretName} in ${region} (${url.host}): ${(error as Error)?.message ?? String(error)}${detail ? ` (${detail})` : ''}`);
  }
  const text = await response.text();
  let doc: Record<string, unknown> | undefined;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    doc = undefined;
  }
  if (!response.ok) {
    const code = String(doc?.__type ?? `Http${response.status}`).split('#').pop()!;
    const message = String(doc?.message ?? doc?.Message ?? '');
    throw new SecretReadError(code, `GetSecretValue ${settings.secretName} in ${region}: ${response.status} ${code}${message ? `: ${message}` : ''}`);
  }
  if (typeof doc?.SecretString === 'string') return doc.SecretString;
  if (typeof doc?.SecretBinary === 'string') return Buffer.from(doc.SecretBinary, 'base64').toString('utf8');
  throw new SecretReadError('InvalidSecret', `GetSecretValue ${settings.secretName} in ${region}: the answer has neither SecretString nor SecretBinary`);
}

/**
 * `{"FPJS_PRE_SHARED_SECRET":"…", …}` → a map keyed by lowercase key. Values that are not
 * strings are kept as their JSON text. Errors never quote the text.
 */
export function parseSecretJson(text: string): SecretValues {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new SecretReadError('InvalidSecret', `the secret's value is not JSON (expected key/value pairs such as {"KEY":"value"}; ${text.length} characters)`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new SecretReadError('InvalidSecret', 'the secret\'s value is not a JSON object of key/value pairs');
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    values.set(key.toLowerCase(), typeof value === 'string' ? value : JSON.stringify(value));
  }
  return values;
}

/** A value by key, case-insensitively; empty strings count as absent. */
export function secretValue(values: SecretValues | undefined, key: string): string | undefined {
  const value = values?.get(key.toLowerCase());
  return value === undefined || value === '' ? undefined : value;
}

export async function readSecretValues(settings: SecretSettings, options?: ReadSecretOptions): Promise<SecretValues> {
  return parseSecretJson(await getSecretString(settings, options));
}
