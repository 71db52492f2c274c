/**
 * Bundles every function of a manifest. Each bundle gets, besides the function's own config,
 * where its secret lives: the secret's name and regions (not its ARN, whose random suffix
 * does not exist before the secret is created; GetSecretValue accepts the name). Never a value.
 * Built-in handlers also get the edge-install version, so a new edge-install release that
 * changes nothing else still publishes a new version of them (their status page and the
 * vendor's traffic monitoring say which build runs).
 */
import type { Manifest } from '../manifest/schema.js';
import { attachmentsOf } from '../manifest/validate.js';
import { packageVersion } from '../package-version.js';
import { bundleFunction, type Bundle } from './index.js';

export async function bundleManifestFunctions(manifest: Manifest, baseDir: string, packageRoot?: string): Promise<Record<string, Bundle>> {
  const entries = await Promise.all(Object.keys(manifest.functions).map(async (key) => [key, await bundleManifestFunction(manifest, key, baseDir, packageRoot)] as const));
  return Object.fromEntries(entries);
}

/** One function of the manifest, bundled exactly as attach bundles it (`invoke` and `dev` run this). */
export async function bundleManifestFunction(manifest: Manifest, key: string, baseDir: string, packageRoot?: string): Promise<Bundle> {
  const fn = manifest.functions[key]!;
  const settings = manifest.secret
    ? { secretName: manifest.secret.name, secretRegion: manifest.secret.region, secretReplicaRegions: manifest.secret.replicaRegions }
    : {};
  const eventTypes = [...new Set((attachmentsOf(manifest).get(key) ?? []).map((a) => a.event))];
  // Built-in handlers name the edge-install that built them (the first-party proxy's traffic tag, its status page).
  const own = fn.handler.startsWith('builtin:') ? { ...settings, edgeInstallVersion: packageVersion() } : settings;
  return bundleFunction({ functionKey: key, handler: fn.handler, runtime: fn.runtime, config: fn.config as Record<string, unknown>, eventTypes, baseDir, packageRoot, settings: own });
}
