/**
 * Build-time configuration of a handler. Lambda@Edge forbids environment variables, so a
 * function's settings are baked into its bundle with esbuild `define`, as ONE global
 * identifier:
 *
 *     __EDGE_INSTALL_CONFIG__
 *
 * Its value is a JSON object: the function's `config` from the manifest plus the non-secret
 * settings edge-install itself provides (e.g. the secret's ARN and region). A handler
 * declares it and reads it like a constant:
 *
 *     declare const __EDGE_INSTALL_CONFIG__: { secretArn: string; secretRegion: string; … };
 *
 * SECRET VALUES NEVER GO HERE. By contract `config` and the settings are non-secret (the
 * manifest cannot hold a sensitive value, and the pipeline passes the secret's ARN, never its
 * value): the bundle is uploaded to Lambda, replicated to every edge region and downloadable
 * by anyone with lambda:GetFunction. Handlers read secret values at run time.
 */
import type { BundleErrorDetails } from './errors.js';

export const CONFIG_IDENTIFIER = '__EDGE_INSTALL_CONFIG__';

/** Why a value cannot be baked in; undefined when it can. */
function notJson(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot represent`;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const reason = notJson(item, `${path}[${i}]`);
      if (reason) return reason;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const reason = notJson(item, `${path}.${key}`);
      if (reason) return reason;
    }
    return undefined;
  }
  return `${path} is a ${typeof value}, not a JSON value`;
}

/**
 * The JSON with object keys sorted at every level, so that reordering keys in the manifest
 * does not change the bundle (and so does not publish a new Lambda version). Undefined object
 * members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const members = keys
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

export type ConfigProblem = Pick<BundleErrorDetails, 'problem' | 'fix'>;

/**
 * The `define` value of CONFIG_IDENTIFIER: `config` merged with `settings`, as canonical JSON.
 * Returns a problem instead when a value is not JSON or a config key collides with a setting.
 */
export function configDefineValue(config: Record<string, unknown>, settings: Record<string, unknown> = {}): { json: string } | ConfigProblem {
  for (const key of Object.keys(settings)) {
    if (Object.hasOwn(config, key)) {
      return {
        problem: `config key "${key}" is also a setting edge-install provides to the handler.`,
        fix: `rename config.${key} in the manifest.`,
      };
    }
  }
  const merged = { ...config, ...settings };
  const reason = notJson(merged, 'config');
  if (reason) return { problem: `${reason}.`, fix: 'use only strings, numbers, booleans, null, arrays and objects in config.' };
  return { json: canonicalJson(merged) };
}
