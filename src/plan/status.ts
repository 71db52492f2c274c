/**
 * PURE: where an integration stands on a distribution — each trigger the manifest wants,
 * attached at which version versus the newest published, and drift: owned parts that differ
 * from the last revision, or from what the manifest would write now.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { ObservedFunction } from '../aws/observe/functions.js';
import { runtimeLifecycle } from '../manifest/runtimes.js';
import type { Manifest } from '../manifest/schema.js';
import { functionName } from '../manifest/naming.js';
import { formatAddress } from './addresses.js';
import { lastRevisionOf } from './attach.js';
import { functionNameOfArn, type PolicyIds } from './cloudfront-values.js';
import { planDistribution } from './distribution.js';
import { ownedDifferences, ownedParts, type OwnedParts, type Owner } from './owned-parts.js';
import { normalizePattern } from './path-patterns.js';
import type { Recovery } from './reconcile.js';
import type { Revision } from './revision.js';
import type { ObservedCanary } from '../aws/observe/canary.js';
import { attachedIsOurs, canaryRunning } from './canary-state.js';
import { describeTraffic, trafficOf } from './canary-traffic.js';
import { unknownVersion } from './unknown.js';

export type TriggerState = 'ok' | 'stale' | 'missing' | 'foreign';

export interface TriggerStatus {
  pathPattern: string;
  eventType: string;
  function: string;
  version: string | null;
  latestVersion: string | null;
  state: TriggerState;
  /** The runtime of the attached version, when it is the integration's and known. */
  runtime?: string;
}

export interface DistributionStatusInput {
  manifest: Manifest;
  id: string;
  etag: string;
  status: string;
  config: DistributionConfig;
  functions: ObservedFunction[];
  cachePolicyIds: PolicyIds;
  ownedFunctionNames: string[];
  /** Owned parts as the last revision left them, if there is a revision. */
  lastRevision?: { revision: string; ownedAfter: OwnedParts };
}

export interface DistributionStatus {
  id: string;
  status: string;
  inSync: boolean;
  associations: TriggerStatus[];
  drift: string[];
  lastRevision: string | null;
  /** The integration's canary on this primary, when its policy is attached (attach --canary). */
  canary?: CanaryStatus;
}

export interface CanaryStatus {
  running: boolean;
  stagingId: string;
  stagingDomainName: string;
  stagingStatus: string;
  policyId: string;
  /** The traffic split in words (canary-traffic.ts), or why it is not one edge-install describes. */
  traffic: string;
  /** When the policy was last changed: when the canary (re)started, or stopped. */
  since: string;
  /** `name:version` of the integration's functions each side runs. */
  primaryRuns: string[];
  stagingRuns: string[];
}

/** The integration's canary on a primary, from its observed continuous deployment state. */
export function canaryStatus(c: ObservedCanary | undefined, primary: DistributionConfig, owner: Owner): CanaryStatus | undefined {
  if (!c?.attached || !c.staging || !attachedIsOurs(c)) return undefined;
  const runs = (config: DistributionConfig) => [...new Set(ownedParts(config, owner).associations.map((a) => `${functionNameOfArn(a.arn)}:${a.arn.split(':').at(-1)}`))].sort();
  const traffic = trafficOf(c.attached.config.TrafficConfig);
  return {
    running: canaryRunning(c),
    stagingId: c.staging.id,
    stagingDomainName: c.staging.domainName,
    stagingStatus: c.staging.status,
    policyId: c.attached.id,
    traffic: traffic ? describeTraffic(traffic) : 'a traffic split edge-install does not describe',
    since: c.attached.lastModified,
    primaryRuns: runs(primary),
    stagingRuns: runs(c.staging.config),
  };
}

export function distributionStatus(input: DistributionStatusInput): DistributionStatus {
  const { manifest, config } = input;
  const newest = new Map(input.functions.map((f) => [f.key, f.versions.at(-1)]));
  const associations: TriggerStatus[] = [];
  for (const behavior of manifest.behaviors) {
    const target =
      behavior.pathPattern === '*'
        ? config.DefaultCacheBehavior
        : (config.CacheBehaviors?.Items ?? []).find((b) => normalizePattern(b.PathPattern ?? '') === normalizePattern(behavior.pathPattern));
    for (const [eventType, trigger] of Object.entries(behavior.triggers)) {
      const name = functionName(manifest.name, trigger!.function);
      const latest = newest.get(trigger!.function)?.version ?? null;
      const slot = (target?.LambdaFunctionAssociations?.Items ?? []).find((a) => a.EventType === eventType);
      const base = { pathPattern: behavior.pathPattern, eventType, function: name, latestVersion: latest };
      if (!slot) associations.push({ ...base, version: null, state: 'missing' });
      // Another of the integration's own functions (an earlier key; one `import` adopted) is stale, not foreign: attach replaces it.
      else if (functionNameOfArn(slot.LambdaFunctionARN) !== name) associations.push({ ...base, version: null, state: input.ownedFunctionNames.includes(functionNameOfArn(slot.LambdaFunctionARN) ?? '') ? 'stale' : 'foreign' });
      else {
        const version = slot.LambdaFunctionARN!.split(':').at(-1) ?? null;
        const runtime = input.functions.find((f) => f.key === trigger!.function)?.versions.find((v) => v.version === version)?.settings.runtime;
        associations.push({ ...base, version, state: version === latest ? 'ok' : 'stale', ...(runtime ? { runtime } : {}) });
      }
    }
  }
  const current = ownedParts(config, { integration: manifest.name, functionNames: input.ownedFunctionNames, originKeys: Object.keys(manifest.origins) }, input.lastRevision?.ownedAfter);
  const drift = input.lastRevision ? ownedDifferences(input.lastRevision.ownedAfter, current).map((d) => `since revision ${input.lastRevision!.revision}: ${d}`) : [];
  // What the manifest would change now, with the newest published versions.
  const versions = Object.fromEntries(
    Object.keys(manifest.functions).map((key) => {
      const v = newest.get(key);
      const name = functionName(manifest.name, key);
      return [key, v ? v.arn : unknownVersion(name, name)];
    }),
  );
  const wanted = planDistribution({
    manifest,
    id: input.id,
    etag: input.etag,
    config,
    functionVersions: versions,
    cachePolicyIds: input.cachePolicyIds,
    ownedFunctionNames: input.ownedFunctionNames,
    previous: input.lastRevision?.ownedAfter,
    // Status says these in its notes (continuous deployment) or leaves them to plan (quotas, which it does not read).
    allowContinuousDeployment: true,
    unconfirmedQuotas: ['cacheBehaviors', 'origins', 'lambdaAssociations'],
  });
  drift.push(
    ...wanted.changes.map((c) => `the manifest would ${c.action} ${formatAddress(c.address)}`),
    ...wanted.conflicts.map((c) => `conflict: ${c}`),
    // Why the manifest cannot be applied as it is (a CloudFront Function on a viewer event, a staging distribution).
    ...wanted.errors.map((e) => `blocked: ${e}`),
  );
  const inSync = input.status === 'Deployed' && drift.length === 0 && associations.every((a) => a.state === 'ok');
  return { id: input.id, status: input.status, inSync, associations, drift, lastRevision: input.lastRevision?.revision ?? null };
}

/** Everything status reads (gather/status.ts). */
export interface StatusInputs {
  manifest: Manifest;
  distributions: ObservedDistribution[];
  /** Every revision of the integration, oldest first. */
  revisions: Revision[];
  ownedFunctionNames: string[];
  /** The manifest's functions with their published versions. */
  functions: ObservedFunction[];
  /** The integration's cache policies by key: the id, or unknown when the policy does not exist. */
  cachePolicyIds: PolicyIds;
  /** The secret, if the manifest has one: whether it exists (its value is never read). */
  secret: { name: string; exists: boolean } | null;
  recovery: Recovery;
  /** For AWS's runtime dates (absent: not checked). */
  now?: Date;
  /** Continuous deployment, where a primary has a policy attached. */
  canaries?: Record<string, ObservedCanary>;
}

export interface StatusReport {
  integration: string;
  secret: { name: string; exists: boolean } | null;
  distributions: DistributionStatus[];
  /** Every distribution deployed and in sync, and the secret present. */
  inSync: boolean;
  /** What the write-ahead journal showed (a run that stopped before recording its change). */
  notes: string[];
}

export function assembleStatus(inputs: StatusInputs): StatusReport {
  const distributions = inputs.distributions.map((observed) => {
    const revision = lastRevisionOf(inputs.revisions, observed.id);
    const status = distributionStatus({
      manifest: inputs.manifest,
      id: observed.id,
      etag: observed.etag,
      status: observed.status,
      config: observed.config,
      functions: inputs.functions,
      cachePolicyIds: inputs.cachePolicyIds,
      ownedFunctionNames: inputs.ownedFunctionNames,
      lastRevision: revision,
    });
    const canary = canaryStatus(inputs.canaries?.[observed.id], observed.config, { integration: inputs.manifest.name, functionNames: inputs.ownedFunctionNames, originKeys: Object.keys(inputs.manifest.origins) });
    // While a canary runs the primary still runs what it ran before: not in sync until the promote.
    return canary ? { ...status, canary } : status;
  });
  const secretOk = inputs.secret?.exists ?? true;
  const ours = new Set(distributions.filter((d) => d.canary).map((d) => d.id));
  const notes = [...inputs.recovery.notes, ...continuousDeploymentNotes(inputs.distributions.filter((d) => !ours.has(d.id))), ...(inputs.now ? runtimeNotes(distributions, inputs.now) : [])];
  return { integration: inputs.manifest.name, secret: inputs.secret, distributions, inSync: secretOk && distributions.every((d) => d.inSync), notes };
}

/** A promote copies a staging config over the primary: what is installed there does not survive it. */
function continuousDeploymentNotes(distributions: readonly ObservedDistribution[]): string[] {
  return distributions.flatMap((d) => {
    if (d.config.Staging) return [`${d.id} is a staging distribution (continuous deployment): edge-install does not install on staging distributions`];
    const policy = d.config.ContinuousDeploymentPolicyId;
    return policy ? [`${d.id} has a continuous deployment policy (${policy}): promoting its staging distribution copies the staging config over it, which removes the integration unless the staging distribution carries it too; run attach --allow-continuous-deployment again after a promote`] : [];
  });
}

/** Live functions on a runtime AWS has deprecated (or soon will): said once per version, not drift (the function still runs). */
function runtimeNotes(distributions: readonly DistributionStatus[], now: Date): string[] {
  const uses = new Map<string, { warning: string; where: string[] }>();
  for (const d of distributions) {
    for (const a of d.associations) {
      const warning = a.runtime ? runtimeLifecycle(a.runtime, now, 'run').warning : undefined;
      if (!warning) continue;
      const key = `${a.function}:${a.version}`;
      const entry = uses.get(key) ?? { warning, where: [] };
      entry.where.push(`${d.id} (${a.pathPattern} ${a.eventType})`);
      uses.set(key, entry);
    }
  }
  return [...uses].map(([key, { warning, where }]) => `${key} on ${where.join(', ')}: ${warning}; attach with the new runtime replaces it`);
}
