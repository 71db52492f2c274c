/**
 * What the three edge-enforcer wrappers share. Each wraps one factory of the vendor's SDK
 * (`createHumanEnforceHandler`, `createHumanActivitiesHandler`, `createHumanFirstPartyHandler`),
 * which takes a configuration and returns a Lambda@Edge handler:
 *
 * - Configuration: the baked, non-secret settings (`appId` → px_app_id, `moduleMode` →
 *   px_module_mode, `firstPartyEnabled` "true"/"false" → px_first_party_enabled) plus the
 *   server token and cookie secret from the secret's PX_AUTH_TOKEN and PX_COOKIE_SECRET (keys
 *   read case-insensitively; PX_APP_ID is used only when the bundle has no appId). The
 *   activities function also gets px_automatic_additional_s2s_activity_enabled, as the seed's
 *   activities configuration does.
 * - The secret is read through the per-container cache (shared/secret-cache.ts) and the vendor
 *   handler is built once, then rebuilt only if the values change (rotation).
 * - Failing open: if the secret cannot be read (or lacks a key), or the SDK throws, the
 *   enforcer returns the request unchanged and activities the response unchanged, and the
 *   reason is logged (never a value; the SDK's messages are redacted). The first-party
 *   function, which per the seed needs only the app id, then runs with the app id alone —
 *   whether the secret is unreadable or lacks a key.
 * - Header hygiene: what the SDK returns goes through enforceHeaderRules, so a header
 *   CloudFront forbids or a read-only one the SDK touched is undone (and logged) instead of
 *   turning every request into a 502.
 */
import type { CloudFrontEvent, CloudFrontHeaders, CloudFrontRequest, CloudFrontResult, EdgeHandler, EventType } from '../../shared/cloudfront.js';
import { isRequest, isResponse, recordOf } from '../../shared/cloudfront.js';
import { stringSetting } from '../../shared/config.js';
import { copyHeaders, enforceHeaderRules } from '../../shared/headers.js';
import { logLine, redact } from '../../shared/log.js';
import { describeError } from '../../shared/secret-cache.js';
import { secretValue, type SecretValues } from '../../shared/secrets.js';

export type WrapperRole = 'enforcer' | 'activities' | 'first-party';
export type VendorFactory = (config: Record<string, unknown>) => EdgeHandler;

export interface SecretReader {
  get(): Promise<SecretValues>;
}

export interface WrapperOptions {
  role: WrapperRole;
  factory: VendorFactory;
  /** The baked config: appId, moduleMode, firstPartyEnabled (+ secret settings). */
  config: Record<string, unknown>;
  secret: SecretReader;
  /** Minimum time between two identical log lines (default 60 s). */
  logIntervalMs?: number;
  now?: () => number;
}

export const SECRET_KEYS = { appId: 'PX_APP_ID', authToken: 'PX_AUTH_TOKEN', cookieSecret: 'PX_COOKIE_SECRET' } as const;

/** The event each role is attached to (used when an event does not say). */
const ROLE_EVENT: Record<WrapperRole, EventType> = { enforcer: 'viewer-request', activities: 'origin-response', 'first-party': 'origin-request' };

class ConfigError extends Error {
  readonly code = 'Misconfigured';
}

function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** The vendor configuration for `role`; without secret values for the first-party fallback. */
export function vendorConfig(role: WrapperRole, baked: Record<string, unknown>, values: SecretValues | undefined): Record<string, unknown> {
  const appId = stringSetting(baked, 'appId') ?? secretValue(values, SECRET_KEYS.appId);
  if (appId === undefined) throw new ConfigError(`no app id: the bundle has no appId and the secret no ${SECRET_KEYS.appId}`);
  const config: Record<string, unknown> = { px_app_id: appId };
  const moduleMode = stringSetting(baked, 'moduleMode');
  if (moduleMode !== undefined) config.px_module_mode = moduleMode;
  const firstParty = parseBoolean(baked.firstPartyEnabled);
  if (firstParty !== undefined) config.px_first_party_enabled = firstParty;
  if (role === 'activities') config.px_automatic_additional_s2s_activity_enabled = true;
  if (values !== undefined) {
    const token = secretValue(values, SECRET_KEYS.authToken);
    const cookieSecret = secretValue(values, SECRET_KEYS.cookieSecret);
    const missing = [token === undefined && SECRET_KEYS.authToken, cookieSecret === undefined && SECRET_KEYS.cookieSecret].filter(Boolean);
    if (missing.length > 0) throw new ConfigError(`the secret has no ${missing.join(' and ')}`);
    config.px_auth_token = token;
    config.px_cookie_secret = cookieSecret;
  }
  return config;
}

export function createVendorWrapper(options: WrapperOptions): EdgeHandler {
  const { role, factory, config: baked, secret } = options;
  const now = options.now ?? (() => Date.now());
  const logInterval = options.logIntervalMs ?? 60_000;
  const lastLogged = new Map<string, number>();
  /** Logs a line unless the same one was logged within logInterval (a failure repeats on every request). */
  const logThrottled = (level: 'warn' | 'error', message: string, fields: Record<string, unknown>) => {
    const key = `${message}\u0000${JSON.stringify(fields)}`;
    const t = now();
    const last = lastLogged.get(key);
    if (last !== undefined && t - last < logInterval) return;
    if (lastLogged.size > 100) lastLogged.clear();
    lastLogged.set(key, t);
    logLine(level, message, { function: role, ...fields });
  };

  let current: { key: string; handler: EdgeHandler; secrets: string[] } | undefined;
  let fallback: EdgeHandler | undefined;

  /** The vendor handler for the current secret values, built when they change. */
  async function vendorHandler(): Promise<{ handler: EdgeHandler; secrets: string[] }> {
    let values: SecretValues | undefined;
    try {
      values = await secret.get();
    } catch (error) {
      if (role !== 'first-party') throw error;
      logThrottled('warn', 'secret could not be read; the first-party function runs with the app id only', { reason: describeError(error) });
    }
    const appIdOnly = () => {
      fallback ??= factory(vendorConfig(role, baked, undefined));
      return { handler: fallback, secrets: [] };
    };
    if (values === undefined) return appIdOnly();
    let config: Record<string, unknown>;
    try {
      config = vendorConfig(role, baked, values);
    } catch (error) {
      // A secret that lacks a key is as good as none to the first-party function.
      if (role !== 'first-party' || !(error instanceof ConfigError)) throw error;
      logThrottled('warn', 'the secret is incomplete; the first-party function runs with the app id only', { reason: error.message });
      return appIdOnly();
    }
    const secrets = [config.px_auth_token as string, config.px_cookie_secret as string];
    const key = [config.px_app_id, ...secrets].join('\u0000');
    if (current?.key !== key) current = { key, handler: factory(config), secrets };
    return current;
  }

  return async function edgeEnforcerWrapper(event: CloudFrontEvent, context?: unknown): Promise<CloudFrontResult> {
    const cf = recordOf(event);
    const eventType = cf.config?.eventType ?? ROLE_EVENT[role];
    // What "unchanged" means if we fail open after the SDK already touched the event.
    const original: CloudFrontRequest = { ...cf.request, headers: copyHeaders(cf.request.headers) };
    const originalResponse = cf.response ? { ...cf.response, headers: copyHeaders(cf.response.headers) } : undefined;
    const passThrough = (): CloudFrontResult => (eventType === 'origin-response' || eventType === 'viewer-response') && originalResponse ? originalResponse : original;

    let vendor: { handler: EdgeHandler; secrets: string[] };
    try {
      vendor = await vendorHandler();
    } catch (error) {
      logThrottled('error', role === 'activities' ? 'secret unavailable; passing the response through unchanged' : 'secret unavailable; failing open (request passed through unchanged)', {
        reason: describeError(error),
      });
      return passThrough();
    }

    let result: CloudFrontResult | undefined | null | void;
    try {
      result = await vendor.handler(event, context);
    } catch (error) {
      logThrottled('error', 'the vendor SDK threw; failing open', { reason: redact(describeError(error), vendor.secrets) });
      return passThrough();
    }
    if (result === undefined || result === null) return passThrough();

    let corrected: string[] = [];
    if (isRequest(result)) {
      corrected = enforceHeaderRules(eventType, original.headers, (result.headers ??= {}));
    } else if (isResponse(result)) {
      const before: CloudFrontHeaders | undefined = eventType === 'origin-response' || eventType === 'viewer-response' ? originalResponse?.headers : undefined;
      corrected = enforceHeaderRules(eventType, before, (result.headers ??= {}));
    }
    if (corrected.length > 0) logThrottled('warn', 'the vendor SDK set headers CloudFront does not allow here; undone', { headers: corrected });
    return result;
  };
}
