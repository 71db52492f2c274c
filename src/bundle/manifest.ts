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
  const attachments = attachmentsOf(manifest);
  const settings = manifest.secret
    ? { secretName: manifest.secret.name, secretRegion: manifest.secret.region, secretReplicaRegions: manifest.secret.replicaRegions }
    : {};
  const entries = await Promise.all(
    Object.entries(manifest.functions).map(async ([key, fn]) => {
      const eventTypes = [...new Set((attachments.get(key) ?? []).map((a) => a.event))];
      // Built-in handlers name the edge-install that built them (the first-party proxy's traffic tag, its status page).
      const own = fn.handler.startsWith('builtin:') ? { ...settings, edgeInstallVersion: packageVersion() } : settings;
      const bundle = await bundleFunction({ functionKey: key, handler: fn.handler, runtime: fn.runtime, config: fn.config as Record<string, unknown>, eventTypes, baseDir, packageRoot, settings: own });
      return [key, bundle] as const;
    }),
  );
  return Object.fromEntries(entries);
}
