/** The cached secret of a built-in handler, located by the settings baked into its bundle. */
import { stringListSetting, stringSetting } from './config.js';
import { createSecretCache, type SecretCache, type SecretCacheOptions } from './secret-cache.js';
import { readSecretValues, type ReadSecretOptions, type SecretSettings, type SecretValues } from './secrets.js';

export function secretSettingsOf(config: Record<string, unknown>): SecretSettings {
  return {
    secretName: stringSetting(config, 'secretName'),
    secretRegion: stringSetting(config, 'secretRegion'),
    secretReplicaRegions: stringListSetting(config, 'secretReplicaRegions'),
  };
}

export function secretSource(
  config: Record<string, unknown>,
  options: ReadSecretOptions & Omit<SecretCacheOptions<SecretValues>, 'load'> = {},
): SecretCache<SecretValues> {
  const settings = secretSettingsOf(config);
  const ttlSetting = Number(config.secretTtlSeconds);
  const { env, fetch, signingDate, timeoutMs, ...cacheOptions } = options;
  const read: ReadSecretOptions = { env, fetch, signingDate, timeoutMs };
  return createSecretCache({
    ttlMs: Number.isFinite(ttlSetting) && ttlSetting > 0 ? ttlSetting * 1000 : undefined,
    ...cacheOptions,
    load: () => readSecretValues(settings, read),
  });
}
