/**
 * GATHER for `plan` and `attach`: everything they read, nothing they write — the bundles
 * (built locally, in memory), the integration's resources and distributions as they are in
 * AWS, and the integration's revisions and journal from the state dir. The result is a plain value that
 * src/plan/attach.ts assembles into the plan.
 */
import type { AwsClients } from '../aws/clients.js';
import { observeQuotas } from '../aws/observe/quotas.js';
import { observeCanariesWhereAttached } from '../aws/observe/canary.js';
import { observeDistributions } from '../aws/observe/distribution.js';
import { observeResources } from '../aws/observe/index.js';
import { newSecretDigest } from '../aws/observe/secret.js';
import { bundleManifestFunctions } from '../bundle/manifest.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { AttachInputs } from '../plan/attach.js';
import { ownedFunctionNames } from '../plan/owned-names.js';
import { gatherStoredState, recover } from './state.js';
import { desiredSecretValues, digestValues, type SecretValues } from '../plan/secret-values.js';
import type { StateStore } from '../state/store.js';

export interface AttachGather {
  distributionIds: string[];
  state: StateStore;
  /** Sensitive secret values given for this run (tests; attach itself gives none: init stores them). */
  secretValues?: SecretValues;
  /** Where `builtin:` handlers are found (tests). */
  packageRoot?: string;
  /** attach --canary: read every primary's continuous deployment state. */
  canary?: boolean;
}

export async function gatherAttach(clients: AwsClients, loaded: LoadedManifest, options: AttachGather): Promise<AttachInputs> {
  const { manifest } = loaded;
  const digest = newSecretDigest();
  const secretValues = desiredSecretValues(manifest, options.secretValues);
  const [bundles, resources, distributions, state, quotas] = await Promise.all([
    bundleManifestFunctions(manifest, loaded.baseDir, options.packageRoot),
    observeResources(clients, manifest, digest),
    observeDistributions(clients, options.distributionIds),
    gatherStoredState(options.state, manifest.name),
    observeQuotas(clients),
  ]);
  const recovery = recover(manifest, state, distributions);
  const revisions = recovery.revisions;
  const canaries = await observeCanariesWhereAttached(clients, manifest.name, distributions, options.canary);
  return {
    canaries,
    manifest,
    resources,
    bundles,
    secretDigests: digestValues(secretValues, digest),
    secretValues,
    distributions,
    revisions,
    ownedFunctionNames: ownedFunctionNames(manifest, revisions),
    recovery,
    // The day, for AWS's runtime dates (runtimes.ts).
    now: new Date(),
    quotas,
  };
}
