/**
 * `edge-install/runtime`: what a handler bundled by edge-install reads at run time — the
 * function's baked config and the integration's secret. Published for custom handlers
 * (`import { secret } from 'edge-install/runtime'`) and used by the built-in ones, so both
 * read the secret through the same per-container cache (secret-cache.ts: TTL, single-flight,
 * last good value on error) from the same place (secrets.ts).
 *
 * Where the secret is: Lambda@Edge has no environment variables, so its name and regions are
 * baked into the bundle with the function's config (`__EDGE_INSTALL_CONFIG__`, see
 * config.ts; `secretName`, `secretRegion`, `secretReplicaRegions`, and `secretTtlSeconds`
 * from the function's config). Whatever the handler imports it from, the bundler resolves
 * `edge-install/runtime` to this file of the edge-install that bundles it (src/bundle/esbuild.ts),
 * so the baked settings and the code that reads them always come from one release.
 *
 * The public types are `../../runtime.d.ts` (dependency-free, for projects without
 * @types/node); `tsc -p handlers` checks below that this module satisfies them.
 */
import { bakedConfig } from './config.js';
import type { SecretCache, SecretCacheOptions } from './secret-cache.js';
import { secretSource } from './secret-source.js';
import { SecretReadError, secretValue, type ReadSecretOptions, type SecretValues } from './secrets.js';

export { SecretReadError } from './secrets.js';

/** Test seams: where to read, how (fetch, env) and when (clock). Handlers use the defaults. */
export type RuntimeOptions = ReadSecretOptions & Omit<SecretCacheOptions<SecretValues>, 'load'> & { config?: Record<string, unknown> };

export interface EdgeRuntime {
  config(): Record<string, unknown>;
  secret(key: string): Promise<string>;
  secrets(): Promise<Record<string, string>>;
  /** The cache itself (the built-in handlers peek at it and read its last error). */
  secretCache(): SecretCache<SecretValues>;
}

/**
 * A runtime over `options.config` (the baked config by default). The module's own functions
 * below share one, created on first use: one cache per container, whoever asks.
 */
export function createRuntime(options: RuntimeOptions = {}): EdgeRuntime {
  const { config: given, ...cacheOptions } = options;
  let cache: SecretCache<SecretValues> | undefined;
  const config = () => given ?? bakedConfig();
  const secretCache = () => (cache ??= secretSource(config(), cacheOptions));
  return {
    config,
    secretCache,
    async secret(key: string) {
      const values = await secretCache().get();
      const value = secretValue(values, key);
      if (value === undefined) {
        const name = typeof config().secretName === 'string' ? ` ${String(config().secretName)}` : '';
        throw new SecretReadError('MissingKey', `the secret${name} has no value for ${key} (keys are matched case-insensitively; an empty value counts as none)`);
      }
      return value;
    },
    async secrets() {
      const values = await secretCache().get();
      return Object.fromEntries(values);
    },
  };
}

let shared: EdgeRuntime | undefined;
const runtime = () => (shared ??= createRuntime());

/** The function's `config` from edge-install.json, plus the secret's location. Never a secret value. */
export function config<T extends Record<string, unknown> = Record<string, unknown>>(): T {
  return runtime().config() as T;
}

/**
 * The value of one key of the integration's secret. Cached per container for
 * `secretTtlSeconds` (300 by default); concurrent callers share one GetSecretValue; when a
 * refresh fails the last good value is returned. Rejects with a SecretReadError (never
 * quoting a value) when the secret cannot be read and none was read before, or lacks the key.
 */
export function secret(key: string): Promise<string> {
  return runtime().secret(key);
}

/** Every key of the secret with its value (keys in lower case, as they are matched). */
export function secrets(): Promise<Record<string, string>> {
  return runtime().secrets();
}

/** The per-container cache behind secret() and secrets(). */
export function secretCache(): SecretCache<SecretValues> {
  return runtime().secretCache();
}

// The published declarations describe this module: a change here that breaks them fails `tsc -p handlers`.
type Satisfies<Declared, Implemented extends Declared> = Implemented;
export type PublishedRuntime = Satisfies<typeof import('../../runtime.js'), typeof import('./runtime.js')>;
