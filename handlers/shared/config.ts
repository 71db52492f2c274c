/**
 * The build-time configuration of a handler. src/bundle replaces the identifier
 * `__EDGE_INSTALL_CONFIG__` with a JSON object (esbuild `define`): the function's `config`
 * from the manifest plus `{ secretName, secretRegion, secretReplicaRegions }`. Never a secret
 * value. Outside a bundle (unit tests import the handler sources) it is undefined, unless a
 * test puts one on globalThis.
 */
declare const __EDGE_INSTALL_CONFIG__: Record<string, unknown> | undefined;

export function bakedConfig(): Record<string, unknown> {
  return typeof __EDGE_INSTALL_CONFIG__ === 'object' && __EDGE_INSTALL_CONFIG__ !== null ? __EDGE_INSTALL_CONFIG__ : {};
}

/** A string setting, or undefined when absent or empty. */
export function stringSetting(config: Record<string, unknown>, key: string): string | undefined {
  const value = config[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function stringListSetting(config: Record<string, unknown>, key: string): string[] {
  const value = config[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
