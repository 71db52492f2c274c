/**
 * `plan` and `attach` share this: `prepareAttach` builds the Plan (bundles locally, reads
 * AWS, plans purely — no writes), `applyAttach` carries it out (ARCHITECTURE.md steps 1–9):
 * resources, then per distribution one ETag-pinned UpdateDistribution, wait, verify, revision.
 */
import { waitUntilDistributionDeployed } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../aws/clients.js';
import { observeDistribution, type ObservedDistribution } from '../aws/observe/distribution.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { Manifest } from '../manifest/schema.js';
import { planDistribution, type DistributionPlan, type FunctionVersionRef } from '../plan/distribution.js';
import type { Plan } from '../plan/plan.js';
import type { ResourcePlan } from '../plan/resources.js';
import { functionName } from '../state/ownership.js';
import { latestRevision, revisionId, writeRevision, type Revision } from '../state/revisions.js';
import { settleWithLimit } from './concurrency.js';
import { applyPreparedResources, prepareResources, type PreparedResources } from './pipeline.js';
import type { ResourceOutputs } from './resources.js';
import type { SecretValues } from './steps/secret.js';
import { writeDistribution } from './steps/distribution.js';

export interface AttachSettings {
  distributionIds: string[];
  replaceForeign: boolean;
  stateDir: string;
  concurrency: number;
  secretValues?: SecretValues;
  packageRoot?: string;
}

export interface PreparedAttach {
  plan: Plan;
  resources: PreparedResources;
  observed: ObservedDistribution[];
  previous: Map<string, Revision | undefined>;
  settings: AttachSettings;
}

export class NoDistributionError extends Error {
  readonly exitCode = 2;
}

/** Version ARNs to associate: reused versions as they are; versions this apply publishes as placeholders. */
function plannedVersions(resources: ResourcePlan, accountId: string): Record<string, FunctionVersionRef> {
  return Object.fromEntries(
    resources.functions.map(([fn, version]) => [
      fn.key,
      version.reuse ? { arn: version.reuse.arn, pending: false } : { arn: `arn:aws:lambda:us-east-1:${accountId}:function:${fn.name}:(new version)`, pending: true },
    ]),
  );
}

function plannedPolicyIds(resources: ResourcePlan): Record<string, string> {
  return Object.fromEntries(resources.cachePolicies.map((c) => [c.key, c.id ?? `(new cache policy ${c.name})`]));
}

function ownedFunctionNames(manifest: Manifest, previous: Revision | undefined): string[] {
  const names = Object.keys(manifest.functions).map((key) => functionName(manifest.name, key));
  return [...new Set([...names, ...(previous?.functions ?? []).map((f) => f.name)])];
}

function planOne(
  manifest: Manifest,
  settings: AttachSettings,
  observed: ObservedDistribution,
  previous: Revision | undefined,
  functionVersions: Record<string, FunctionVersionRef>,
  cachePolicyIds: Record<string, string>,
): DistributionPlan {
  return planDistribution({
    manifest,
    id: observed.id,
    etag: observed.etag,
    status: observed.status,
    config: observed.config,
    unknownMembers: observed.unknownMembers,
    functionVersions,
    cachePolicyIds,
    ownedFunctionNames: ownedFunctionNames(manifest, previous),
    replaceForeign: settings.replaceForeign,
    previous: previous?.ownedAfter,
  });
}

export function distributionIdsFor(loaded: LoadedManifest, flags: string[]): string[] {
  const ids = flags.length ? flags : loaded.manifest.distributions;
  if (!ids.length) {
    throw new NoDistributionError('No distribution to work on: pass --distribution <id>, or list it under "distributions" in the manifest.');
  }
  return [...new Set(ids)];
}

export async function prepareAttach(clients: AwsClients, loaded: LoadedManifest, settings: AttachSettings): Promise<PreparedAttach> {
  const [resources, observed] = await Promise.all([
    prepareResources(clients, loaded.manifest, loaded.baseDir, settings.secretValues, settings.packageRoot),
    Promise.all(settings.distributionIds.map((id) => observeDistribution(clients, id))),
  ]);
  const previous = new Map(await Promise.all(settings.distributionIds.map(async (id) => [id, await latestRevision(settings.stateDir, loaded.manifest.name, id)] as const)));
  const versions = plannedVersions(resources.plan, resources.observed.account.accountId);
  const policyIds = plannedPolicyIds(resources.plan);
  const distributions = observed.map((d) => planOne(loaded.manifest, settings, d, previous.get(d.id), versions, policyIds));
  return { plan: { integration: loaded.manifest.name, manifest: loaded.manifest, resources: resources.plan, distributions }, resources, observed, previous, settings };
}

export interface ApplyOptions {
  wait: boolean;
  waitTimeoutSeconds: number;
  /** Seconds between Deployed polls (the SDK waiter's minimum delay). */
  pollSeconds: number;
  verifyUrl?: string;
  /** Progress for the CLI to show (stderr). */
  onEvent?: (event: AttachEvent) => void;
}

export type AttachEvent =
  | { type: 'resources-applied' }
  | { type: 'written'; id: string; etag: string }
  | { type: 'waiting'; id: string }
  | { type: 'deployed'; id: string }
  | { type: 'verified'; id: string; url: string; status: number };

export interface DistributionResult {
  id: string;
  ok: boolean;
  written: boolean;
  etag?: string;
  status?: string;
  revision?: string;
  error?: Error;
}

export interface AttachResult {
  resources: ResourceOutputs;
  distributions: DistributionResult[];
}

export class VerifyError extends Error {
  readonly exitCode = 1;
}

async function verify(url: string): Promise<number> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status >= 500) throw new VerifyError(`verification failed: GET ${url} answered ${response.status}`);
  return response.status;
}

export async function applyAttach(clients: AwsClients, prepared: PreparedAttach, options: ApplyOptions): Promise<AttachResult> {
  const { settings } = prepared;
  const outputs = await applyPreparedResources(clients, prepared.resources, { waitTimeoutSeconds: Math.min(options.waitTimeoutSeconds, 900) });
  options.onEvent?.({ type: 'resources-applied' });
  const versions = Object.fromEntries(Object.entries(outputs.functions).map(([key, f]) => [key, { arn: f.arn, pending: false }]));

  const settled = await settleWithLimit(prepared.observed, settings.concurrency, async (observed): Promise<DistributionResult> => {
    const previous = prepared.previous.get(observed.id);
    const shown = prepared.plan.distributions.find((d) => d.id === observed.id)!;
    const planFor = (o: ObservedDistribution) => planOne(prepared.plan.manifest, settings, o, previous, versions, outputs.cachePolicyIds);
    if (planFor(observed).changes.length === 0) return { id: observed.id, ok: true, written: false, etag: observed.etag, status: observed.status };
    const written = await writeDistribution(clients, shown, observed, planFor);
    options.onEvent?.({ type: 'written', id: observed.id, etag: written.etagAfter });
    let status = written.status;
    if (options.wait) {
      options.onEvent?.({ type: 'waiting', id: observed.id });
      await waitUntilDistributionDeployed({ client: clients.cloudfront, maxWaitTime: options.waitTimeoutSeconds, minDelay: options.pollSeconds, maxDelay: Math.max(options.pollSeconds, 30) }, { Id: observed.id });
      status = 'Deployed';
      options.onEvent?.({ type: 'deployed', id: observed.id });
    }
    const at = new Date();
    const revision: Revision = {
      version: 1,
      revision: revisionId(at, observed.id),
      integration: prepared.plan.integration,
      distributionId: observed.id,
      createdAt: at.toISOString(),
      etagBefore: written.etagBefore,
      etagAfter: written.etagAfter,
      ownedBefore: written.plan.ownedBefore,
      ownedAfter: written.plan.ownedAfter,
      replacedForeign: written.plan.changes
        .filter((c) => c.replacedForeign)
        .map((c) => {
          const [pathPattern, eventType] = splitAssociationAddress(c.address);
          return { pathPattern, eventType, arn: c.replacedForeign! };
        }),
      functions: Object.values(outputs.functions).map((f) => ({ key: f.key, name: f.name, version: f.version, arn: f.arn, codeSha256: f.codeSha256 })),
      cachePolicies: outputs.cachePolicyIds,
      secret: prepared.plan.manifest.secret
        ? { name: prepared.plan.manifest.secret.name, region: prepared.plan.manifest.secret.region, arn: outputs.secret?.arn, versionId: outputs.secret?.versionId }
        : undefined,
    };
    // The revision is written before verifying: it records what was applied, verified or not.
    await writeRevision(settings.stateDir, revision);
    if (options.verifyUrl) {
      const statusCode = await verify(options.verifyUrl);
      options.onEvent?.({ type: 'verified', id: observed.id, url: options.verifyUrl, status: statusCode });
    }
    return { id: observed.id, ok: true, written: true, etag: written.etagAfter, status, revision: revision.revision };
  });
  return {
    resources: outputs,
    distributions: settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { id: prepared.observed[i]!.id, ok: false, written: false, error: s.reason as Error })),
  };
}

/** `behaviors.<pattern>.<event>` → [pattern, event]; patterns may contain dots. */
function splitAssociationAddress(address: string): [string, string] {
  const rest = address.slice('behaviors.'.length);
  const cut = rest.lastIndexOf('.');
  return [rest.slice(0, cut), rest.slice(cut + 1)];
}
