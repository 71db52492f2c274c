/**
 * The resource half of an install (ARCHITECTURE.md steps 1–5), as two calls so a command can
 * show the plan between them: `prepareResources` bundles locally, reads AWS and plans (no
 * writes); `applyPreparedResources` makes exactly the writes the plan lists.
 */
import type { AwsClients } from '../aws/clients.js';
import { observeResources, type ObservedResources } from '../aws/observe/index.js';
import { newSecretDigest } from '../aws/observe/secret.js';
import type { Bundle } from '../bundle/index.js';
import { bundleManifestFunctions } from '../bundle/manifest.js';
import type { Manifest } from '../manifest/schema.js';
import { planResources, type ResourcePlan } from '../plan/resources.js';
import { applyResources, type ResourceOutputs } from './resources.js';
import { desiredSecretValues, digestValues } from './secret-values.js';
import type { FunctionStepOptions } from './steps/functions.js';
import type { SecretValues } from './steps/secret.js';
import type { UndoLog } from './undo.js';

export interface PreparedResources {
  manifest: Manifest;
  observed: ObservedResources;
  bundles: Record<string, Bundle>;
  plan: ResourcePlan;
  /** In memory only; never rendered or saved. */
  secretValues: SecretValues;
}

export async function prepareResources(
  clients: AwsClients,
  manifest: Manifest,
  baseDir: string,
  givenSecretValues: SecretValues = {},
  packageRoot?: string,
): Promise<PreparedResources> {
  const digest = newSecretDigest();
  const secretValues = desiredSecretValues(manifest, givenSecretValues);
  const [bundles, observed] = await Promise.all([bundleManifestFunctions(manifest, baseDir, packageRoot), observeResources(clients, manifest, digest)]);
  const plan = planResources({ manifest, observed, bundles, desiredSecretDigests: digestValues(secretValues, digest) });
  return { manifest, observed, bundles, plan, secretValues };
}

export function applyPreparedResources(
  clients: AwsClients,
  prepared: PreparedResources,
  functionOptions?: FunctionStepOptions,
  undo?: UndoLog,
  signal?: AbortSignal,
): Promise<ResourceOutputs> {
  const zips = Object.fromEntries(Object.entries(prepared.bundles).map(([key, bundle]) => [key, bundle.zip]));
  return applyResources(clients, prepared.plan, { observed: prepared.observed, secretValues: prepared.secretValues, zips, functionOptions }, undo, signal);
}
