/**
 * PURE: `plan` and `attach` assembled — from what gather/attach.ts read (the manifest, the
 * bundles, the resources and distributions as they are, the revisions) to the Plan: resource
 * changes (secret, role, functions and versions, cache policies) and, per distribution, the
 * origin / behavior / trigger changes, with versions and policy ids not yet known shown as
 * unknown values. The same distribution planner runs again at write time with the real values
 * (planAttachDistribution); apply checks that it yields what was approved.
 */
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { ObservedResources } from '../aws/observe/index.js';
import type { ObservedCanary } from '../aws/observe/canary.js';
import { ownCanaryOf } from './canary-state.js';
import type { Manifest } from '../manifest/schema.js';
import type { Change } from './changes.js';
import type { PolicyIds } from './cloudfront-values.js';
import { planDistribution, type DistributionPlan, type FunctionVersions } from './distribution.js';
import { verdictOf, type PlanBase } from './plan.js';
import { callbackWarning, DEFAULT_RUNTIME, runtimeLifecycle } from '../manifest/runtimes.js';
import { PlanError, planResources, resourceChanges, type ResourceChange, type ResourcePlan } from './resources.js';
import { cachePolicyQuotaError, DEFAULT_QUOTAS, type CloudFrontQuotas, type QuotaName } from './quotas.js';
import type { Recovery } from './reconcile.js';
import { adoptedResources, recordedCachePolicyIds, type Revision } from './revision.js';
import type { SecretValues } from './secret-values.js';
import { unknownCachePolicyId, unknownVersion } from './unknown.js';

export const SENSITIVE = '(sensitive)';

/** A bundle as the plan needs it: what runs (digest, size) and, for apply, the zip. */
export interface PlannedBundle {
  codeSha256: string;
  codeSize: number;
  zip: Buffer;
}

/** Everything plan and attach read (gather/attach.ts). */
export interface AttachInputs {
  manifest: Manifest;
  resources: ObservedResources;
  /** By function key. */
  bundles: Record<string, PlannedBundle>;
  /** Keyed digests of every secret value known for this run (the planner compares these). */
  secretDigests: Record<string, string>;
  /** The values themselves, in memory only, for the secret step; never rendered or saved. */
  secretValues: SecretValues;
  distributions: ObservedDistribution[];
  /** Every revision of the integration, oldest first. */
  revisions: Revision[];
  /** owned-names.ts, from the manifest and the revisions. */
  ownedFunctionNames: string[];
  /** The write-ahead journal resolved against what is live (`revisions` already include what it found). */
  recovery: Recovery;
  /** When the plan is made: AWS's runtime dates are measured from it (absent: no date checks). */
  now?: Date;
  /** The account's CloudFront quotas (AWS's defaults when absent), and why they are the defaults if they are. */
  quotas?: { quotas: CloudFrontQuotas; unconfirmed: QuotaName[]; note?: string };
  /** Continuous deployment per primary: read for --canary, and wherever a primary has a policy attached. */
  canaries?: Record<string, ObservedCanary>;
}

export interface AttachOptions {
  /** Replace another Lambda@Edge function on the same event (recorded, so it can be put back). */
  replaceForeign: boolean;
  /** Attach to a primary distribution that has a continuous deployment policy. */
  allowContinuousDeployment?: boolean;
  /** Send the change to a staging copy of each primary (attach --canary; canary.ts). */
  canary?: boolean;
}

export interface AttachPlan extends PlanBase {
  command: 'attach';
  inputs: AttachInputs;
  options: AttachOptions;
  /** What the resource steps do, in detail. */
  resourcePlan: ResourcePlan;
}

/** The last revision of a distribution: the owned parts it left. */
export function lastRevisionOf(revisions: readonly Revision[], distributionId: string): Revision | undefined {
  return revisions.filter((r) => r.distributionId === distributionId).at(-1);
}

/** Version ARNs to associate: reused versions as they are; versions this apply publishes, unknown. */
export function plannedVersions(resources: ResourcePlan, accountId: string): FunctionVersions {
  return Object.fromEntries(
    resources.functions.map(([fn, version]) => [
      fn.key,
      version.reuse ? version.reuse.arn : unknownVersion(fn.name, `arn:aws:lambda:us-east-1:${accountId}:function:${fn.name}`),
    ]),
  );
}

function plannedPolicyIds(resources: ResourcePlan): PolicyIds {
  return Object.fromEntries(resources.cachePolicies.map((c) => [c.key, c.id ?? unknownCachePolicyId(c.name)]));
}

/** One distribution's plan with the given versions and policy ids: at plan time, and again at write time. */
export function planAttachDistribution(inputs: AttachInputs, options: AttachOptions, observed: ObservedDistribution, versions: FunctionVersions, policyIds: PolicyIds): DistributionPlan {
  return planDistribution({
    manifest: inputs.manifest,
    id: observed.id,
    etag: observed.etag,
    status: observed.status,
    config: observed.config,
    unknownMembers: observed.unknownMembers,
    functionVersions: versions,
    cachePolicyIds: policyIds,
    ownedFunctionNames: inputs.ownedFunctionNames,
    replaceForeign: options.replaceForeign,
    allowContinuousDeployment: options.allowContinuousDeployment,
    canary: options.canary,
    ownCanary: ownCanaryOf(inputs.canaries?.[observed.id]),
    quotas: inputs.quotas?.quotas,
    unconfirmedQuotas: inputs.quotas?.unconfirmed,
    previous: lastRevisionOf(inputs.revisions, observed.id)?.ownedAfter,
  });
}

/** What a resource change shows: names and settings, never values of the secret. */
function shown(change: ResourceChange, manifest: Manifest): unknown {
  switch (change.kind) {
    case 'secret': {
      const keys = Object.fromEntries(Object.entries(manifest.secret?.keys ?? {}).map(([key, spec]) => [key, spec.sensitive ? SENSITIVE : (spec.value ?? null)]));
      return { name: change.name, region: change.region, keys, keysToWrite: change.keysToWrite, replicaRegions: manifest.secret?.replicaRegions ?? [], ...(change.adopt ? { adopted: true } : {}) };
    }
    case 'role':
      return { name: change.name, trustPolicy: change.trustPolicy, [change.policyName]: change.executionPolicy, ...(change.adopt ? { adopted: true } : {}) };
    case 'function':
      return { name: change.name, ...change.settings, codeSha256: change.codeSha256, codeSize: change.codeSize };
    case 'version':
      return { function: change.name, codeSha256: change.codeSha256 };
    case 'cache-policy':
      return change.config;
  }
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ');

/** Why a resource changes, in words: a function's code or settings, and tags — adoption above all, which the plan must never hide. */
function reasonsOf(change: ResourceChange): string[] {
  const reasons = change.kind === 'function' ? [...change.reasons] : [];
  if (change.kind === 'secret' || change.kind === 'role' || change.kind === 'function') {
    const tags = change.kind === 'role' ? change.tagsToAdd : change.action === 'create' ? {} : change.tagsToAdd;
    if (change.adopt) reasons.unshift(`adopted: it exists and edge-install did not create it; tags ${tagList(tags)} are added (detach removes them and leaves it in place)`);
    else if (Object.keys(tags).length) reasons.push(`tags ${tagList(tags)} added`);
  }
  if (change.kind === 'role' && !change.createRole) {
    // Said in words: on an adopted role these replace what its owner set, and detach does not put them back.
    if (change.updateTrust) reasons.push('trust policy replaced by the Lambda@Edge trust shown below');
    if (change.putExecutionPolicy) reasons.push(`inline policy ${change.policyName} ${change.adopt ? 'added' : 'updated'} as shown below`);
  }
  if (change.kind === 'cache-policy' && change.adopt) reasons.unshift(ADOPTED_POLICY);
  if (change.kind === 'cache-policy' && change.adopt && change.action === 'update') reasons.push('its settings are replaced by the manifest\'s, for every behavior that uses it');
  return reasons;
}

const ADOPTED_POLICY = 'adopted: it exists and no revision records edge-install creating it; recorded as adopted (detach leaves it in place)';

function resourcePlanChanges(resources: ResourcePlan, manifest: Manifest): Change[] {
  return resourceChanges(resources)
    .filter((c) => c.action !== 'none')
    .map((c) => {
      const reasons = reasonsOf(c);
      return { action: c.action as 'create' | 'update', address: c.address, after: shown(c, manifest), ...(reasons.length ? { reasons } : {}) };
    });
}

/** Adopted cache policies that need no change: said all the same (the plan never hides an adoption). */
function adoptionNotes(resources: ResourcePlan): string[] {
  return resources.cachePolicies.filter((c) => c.adopt && c.action === 'none').map((c) => `cache-policy ${c.key} (${c.name}) is ${ADOPTED_POLICY}.`);
}

/**
 * AWS's runtime dates (manifest/runtimes.ts): a function this plan would create or update on a
 * runtime AWS no longer accepts for that is refused (exit 2, with the date and the
 * replacement); one deprecated, or within six months of it, is a note.
 */
export function checkRuntimes(resources: Pick<ResourcePlan, 'functions'>, now: Date, handlers: Record<string, string> = {}): string[] {
  const notes = new Set<string>();
  for (const [fn] of resources.functions) {
    const lifecycle = runtimeLifecycle(fn.settings.runtime, now, fn.action === 'none' ? 'run' : fn.action);
    if (lifecycle.refused) throw new PlanError(`functions.${fn.key}: ${lifecycle.refused}.`, `Set "runtime": "${DEFAULT_RUNTIME}" for functions.${fn.key} in the manifest (or leave "runtime" out).`);
    if (lifecycle.warning) notes.add(`functions.${fn.key}: ${lifecycle.warning}.`);
    // Built-in handlers are async; a custom one may not be (a manifest without "runtime" moves with the default).
    const custom = !(handlers[fn.key] ?? '').startsWith('builtin:');
    const callbacks = fn.runtimeBefore && custom ? callbackWarning(fn.runtimeBefore, fn.settings.runtime) : undefined;
    if (callbacks) notes.add(`functions.${fn.key}: ${callbacks}.`);
  }
  return [...notes];
}

/**
 * New custom cache policies must fit the account's quota: exit 2 before any write, not
 * TooManyCachePolicies after some. A note when the quota is AWS's default, assumed.
 */
function checkCachePolicyQuota(resources: ResourcePlan, inputs: AttachInputs): string[] {
  const creates = resources.cachePolicies.filter((c) => c.action === 'create');
  const quota = inputs.quotas?.quotas.customCachePolicies ?? DEFAULT_QUOTAS.customCachePolicies;
  const error = cachePolicyQuotaError(inputs.resources.customCachePolicyCount ?? 0, creates.length, quota);
  if (!error) return [];
  const what = `cachePolicies (${creates.map((c) => c.key).join(', ')}): ${error}`;
  if (inputs.quotas?.unconfirmed.includes('customCachePolicies')) return [`${what} (AWS's default; the account's own could not be read): CloudFront refuses the create unless the account has an increase.`];
  throw new PlanError(
    `${what}.`,
    'Delete custom cache policies the account no longer uses (aws cloudfront list-cache-policies --type custom), use a managed cache policy, or request a quota increase (Service Quotas, CloudFront, L-7D134442).',
  );
}

export function assembleAttach(inputs: AttachInputs, options: AttachOptions): AttachPlan {
  const resourcePlan = planResources({
    manifest: inputs.manifest,
    observed: inputs.resources,
    bundles: inputs.bundles,
    desiredSecretDigests: inputs.secretDigests,
    cachePolicyRecord: { recordedIds: recordedCachePolicyIds(inputs.revisions), adopted: adoptedResources(inputs.revisions) },
  });
  const handlers = Object.fromEntries(Object.entries(inputs.manifest.functions).map(([key, fn]) => [key, fn.handler]));
  const runtimeNotes = inputs.now ? checkRuntimes(resourcePlan, inputs.now, handlers) : [];
  const quotaNotes = checkCachePolicyQuota(resourcePlan, inputs);
  const versions = plannedVersions(resourcePlan, inputs.resources.account.accountId);
  const policyIds = plannedPolicyIds(resourcePlan);
  const distributions = inputs.distributions.map((d) => planAttachDistribution(inputs, options, d, versions, policyIds));
  const resources = resourcePlanChanges(resourcePlan, inputs.manifest);
  return {
    command: 'attach',
    integration: inputs.manifest.name,
    resources,
    distributions,
    kept: [],
    notes: [...inputs.recovery.notes, ...adoptionNotes(resourcePlan), ...runtimeNotes, ...quotaNotes, ...(inputs.quotas?.note ? [inputs.quotas.note] : [])],
    verdict: verdictOf(resources, distributions),
    inputs,
    options,
    resourcePlan,
  };
}
