/**
 * `detach`: `prepareDetach` reads (distributions, revisions, what of the integration exists,
 * where in the account it is still attached) and plans — no writes; `applyDetach` writes one
 * ETag-pinned UpdateDistribution per distribution that takes every owned part out (putting back
 * replaced foreign triggers), waits until Deployed, records a revision that owns nothing, and
 * then — only when no distribution in the account uses the integration any more — deletes its
 * resources: cache policies, role, functions (replicated ones must wait; `gc` finishes them)
 * and the secret (scheduled, with the minimum recovery window, so it can be restored).
 */
import { DeleteCachePolicyCommand, GetCachePolicyCommand } from '@aws-sdk/client-cloudfront';
import { DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { DeleteFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DeleteSecretCommand, DescribeSecretCommand, RemoveRegionsFromReplicationCommand } from '@aws-sdk/client-secrets-manager';
import type { DistributionResult } from './attach.js';
import type { AwsClients } from '../aws/clients.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { ifExists, isAwsError } from '../aws/errors.js';
import { distributionsUsing, listAccountAssociations } from '../aws/observe/account-associations.js';
import { listCustomCachePolicies } from '../aws/observe/cache-policies.js';
import { observeDistribution, type ObservedDistribution } from '../aws/observe/distribution.js';
import { observeRole } from '../aws/observe/role.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { Manifest } from '../manifest/schema.js';
import { createdPatternsFromManifest, NOTHING_OWNED, planDetachDistribution, replacedForeignToRestore } from '../plan/detach.js';
import type { DistributionPlan } from '../plan/distribution.js';
import type { PlanChangeDocument, PlanDocument } from '../plan/plan.js';
import { cachePolicyName, functionName, OWNER_TAG } from '../state/ownership.js';
import { listRevisions, revisionId, writeRevision, type Revision } from '../state/revisions.js';
import { settleWithLimit } from './concurrency.js';
import { writeDistribution } from './steps/distribution.js';

/** The shortest recovery window Secrets Manager allows: the secret can be restored for a week. */
export const SECRET_RECOVERY_DAYS = 7;

export const REPLICA_WAIT_REASON = 'waiting for replica removal (typically a few hours); run `edge-install gc` later';

export interface DetachSettings {
  distributionIds: string[];
  stateDir: string;
  keepFunctions: boolean;
  concurrency: number;
}

export type DetachResourceKind = 'cache-policy' | 'role' | 'function' | 'secret';

/** An owned resource that exists, and whether detach will delete it. */
export interface DetachResource {
  kind: DetachResourceKind;
  name: string;
  /** `cache-policy:<name>`, `role:<name>`, `function:<name>`, `secret:<name>`. */
  resource: string;
  /** Manifest key (functions, cache policies). */
  key?: string;
  /** Cache policy id. */
  id?: string;
  /** Secret: its region and replica regions; the names of its keys (never values). */
  region?: string;
  replicaRegions?: string[];
  keys?: string[];
  /** Why it is kept; undefined when it will be deleted. */
  keep?: string;
}

export interface PreparedDistribution {
  observed: ObservedDistribution;
  plan: DistributionPlan;
  /** The distribution's revisions, oldest first. */
  revisions: Revision[];
}

export interface PreparedDetach {
  integration: string;
  manifest: Manifest;
  settings: DetachSettings;
  distributions: PreparedDistribution[];
  /** Function names the integration owns: the manifest's and any named by a revision. */
  ownedFunctionNames: string[];
  /** Distributions outside this detach where the integration stays attached (id → its functions). */
  stillUsedBy: Map<string, string[]>;
  /** Owned resources that exist now (each with `keep` when it will not be deleted). */
  resources: DetachResource[];
}

const resourceId = (kind: DetachResourceKind, name: string) => `${kind}:${name}`;

const tagged = (tags: Record<string, string> | undefined, integration: string) => tags?.[OWNER_TAG] === integration;

const notTagged = (integration: string) => `not tagged ${OWNER_TAG}=${integration}, so not edge-install's to delete`;

export function stillUsedReason(stillUsedBy: Map<string, string[]>): string {
  return `the integration is still attached to ${[...stillUsedBy.keys()].join(', ')}; detach it there first (or run detach with those distributions too)`;
}

/** Every owned resource that exists, in deletion order: cache policies, role, functions, secret. */
async function observeOwnedResources(clients: AwsClients, manifest: Manifest, revisions: Revision[], functionNames: string[]): Promise<DetachResource[]> {
  const integration = manifest.name;
  const policyKeys = [...new Set([...Object.keys(manifest.cachePolicies), ...revisions.flatMap((r) => Object.keys(r.cachePolicies ?? {}))])].sort();
  const [policies, role, functions, secret] = await Promise.all([
    policyKeys.length ? listCustomCachePolicies(clients) : Promise.resolve(new Map<string, string>()),
    observeRole(clients, integration),
    Promise.all(functionNames.map(async (name) => ({ name, got: await ifExists(() => clients.lambda.send(new GetFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException') }))),
    manifest.secret
      ? ifExists(() => clients.secrets(manifest.secret!.region).send(new DescribeSecretCommand({ SecretId: manifest.secret!.name })), 'ResourceNotFoundException')
      : Promise.resolve(undefined),
  ]);
  const out: DetachResource[] = [];
  for (const key of policyKeys) {
    const name = cachePolicyName(integration, key);
    const id = policies.get(name);
    if (id) out.push({ kind: 'cache-policy', name, resource: resourceId('cache-policy', name), key, id });
  }
  if (role.exists) {
    out.push({ kind: 'role', name: role.name, resource: resourceId('role', role.name), ...(tagged(role.tags, integration) ? {} : { keep: notTagged(integration) }) });
  }
  for (const { name, got } of functions) {
    if (!got?.Configuration) continue;
    const key = Object.keys(manifest.functions).find((k) => functionName(integration, k) === name);
    out.push({ kind: 'function', name, resource: resourceId('function', name), key, ...(tagged(got.Tags, integration) ? {} : { keep: notTagged(integration) }) });
  }
  if (manifest.secret && secret && secret.DeletedDate === undefined) {
    const tags = Object.fromEntries((secret.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
    out.push({
      kind: 'secret',
      name: manifest.secret.name,
      resource: resourceId('secret', manifest.secret.name),
      region: manifest.secret.region,
      replicaRegions: (secret.ReplicationStatus ?? []).map((r) => r.Region!).sort(),
      keys: Object.keys(manifest.secret.keys),
      ...(tagged(tags, integration) ? {} : { keep: notTagged(integration) }),
    });
  }
  return out;
}

/** Which resources are kept and why, given where the integration is still attached. */
function decideKeeps(resources: DetachResource[], stillUsedBy: Map<string, string[]>, keepFunctions: boolean): DetachResource[] {
  return resources.map((r) => {
    if (r.keep) return r;
    if (stillUsedBy.size) return { ...r, keep: stillUsedReason(stillUsedBy) };
    if (keepFunctions && r.kind === 'function') return { ...r, keep: 'kept: --keep-functions' };
    // The kept functions still name the role as theirs; without it they could not be attached again.
    if (keepFunctions && r.kind === 'role') return { ...r, keep: 'kept with the functions (--keep-functions): they run with this role' };
    return r;
  });
}

export async function prepareDetach(clients: AwsClients, loaded: LoadedManifest, settings: DetachSettings): Promise<PreparedDetach> {
  const { manifest } = loaded;
  const revisions = await listRevisions(settings.stateDir, manifest.name);
  const ownedFunctionNames = [...new Set([...Object.keys(manifest.functions).map((k) => functionName(manifest.name, k)), ...revisions.flatMap((r) => (r.functions ?? []).map((f) => f.name))])].sort();
  const [observed, associations] = await Promise.all([
    Promise.all(settings.distributionIds.map((id) => observeDistribution(clients, id))),
    listAccountAssociations(clients),
  ]);
  const distributions = observed.map((o): PreparedDistribution => {
    const own = revisions.filter((r) => r.distributionId === o.id);
    return { observed: o, revisions: own, plan: planFor(manifest, ownedFunctionNames, own, o) };
  });
  const stillUsedBy = distributionsUsing(associations, ownedFunctionNames, settings.distributionIds);
  const resources = decideKeeps(await observeOwnedResources(clients, manifest, revisions, ownedFunctionNames), stillUsedBy, settings.keepFunctions);
  return { integration: manifest.name, manifest, settings, distributions, ownedFunctionNames, stillUsedBy, resources };
}

function planFor(manifest: Manifest, ownedFunctionNames: string[], revisions: Revision[], observed: ObservedDistribution): DistributionPlan {
  const plan = planDetachDistribution({
    integration: manifest.name,
    id: observed.id,
    etag: observed.etag,
    status: observed.status,
    config: observed.config,
    unknownMembers: observed.unknownMembers,
    ownedFunctionNames,
    originKeys: Object.keys(manifest.origins),
    previous: revisions.at(-1)?.ownedAfter,
    createdPatterns: createdPatternsFromManifest(manifest, observed.config, ownedFunctionNames),
    replacedForeign: replacedForeignToRestore(revisions),
  });
  if (!revisions.length && plan.changes.length) {
    plan.warnings.push('no revision of this distribution in the state dir: the owned parts are recognised by their markers, and a foreign trigger that attach --replace-foreign replaced cannot be put back (pass --state-dir if the revisions are elsewhere)');
  }
  return plan;
}

// ---- the plan as a document ---------------------------------------------------------------

function resourceDocument(r: DetachResource): PlanChangeDocument {
  const address = r.kind === 'role' || r.kind === 'secret' ? r.kind : `${r.kind === 'cache-policy' ? 'cachePolicies' : 'functions'}.${r.key ?? r.name}`;
  const before =
    r.kind === 'secret'
      ? { name: r.name, region: r.region, keys: Object.fromEntries((r.keys ?? []).map((k) => [k, null])), replicaRegions: r.replicaRegions ?? [], recoveryWindowDays: SECRET_RECOVERY_DAYS }
      : r.kind === 'cache-policy'
        ? { Name: r.name, id: r.id }
        : { name: r.name };
  return { action: 'delete', kind: r.kind, address, before };
}

/**
 * The plan-shaped document `detach` shows (and prints for --dry-run --json): distribution
 * changes as `plan` has them, and the resources it will delete as `delete` entries.
 */
export function detachDocument(prepared: PreparedDetach): PlanDocument {
  const resources = prepared.resources.filter((r) => !r.keep).map(resourceDocument);
  const distributions = prepared.distributions.map(({ plan }) => ({
    id: plan.id,
    etag: plan.etag,
    status: plan.status,
    changes: plan.changes as PlanChangeDocument[],
    order: plan.order,
    warnings: plan.warnings,
    conflicts: plan.conflicts,
    errors: plan.errors,
  }));
  const all = [...resources, ...distributions.flatMap((d) => d.changes)];
  const count = (action: string) => all.filter((c) => c.action === action).length;
  return { version: 1, integration: prepared.integration, resources, distributions, summary: { create: count('create'), update: count('update'), delete: count('delete') } };
}

/** Whether detach has anything to write or delete. */
export function hasDetachWork(prepared: PreparedDetach): boolean {
  return prepared.distributions.some((d) => d.plan.changes.length > 0) || prepared.resources.some((r) => !r.keep);
}

// ---- apply ----------------------------------------------------------------------------------

export interface DetachApplyOptions {
  waitTimeoutSeconds: number;
  /** Seconds between Deployed polls. */
  pollSeconds: number;
  /** Aborted on SIGINT: a write in flight finishes and is recorded; nothing new starts. */
  signal?: AbortSignal;
  onEvent?: (event: DetachEvent) => void;
}

export type DetachEvent =
  | { type: 'written'; id: string; etag: string }
  | { type: 'waiting'; id: string }
  | { type: 'deployed'; id: string }
  | { type: 'deleted'; resource: string }
  | { type: 'resource-waiting'; resource: string; reason: string };

/** The same outcome as attach's, per distribution. */
export type DetachedDistribution = DistributionResult;

export interface ResourceNote {
  resource: string;
  reason: string;
}

export interface ScheduledSecret {
  name: string;
  region: string;
  deletionDate?: string;
  /** The command that undoes the scheduled deletion. */
  restore: string;
  /** Replica regions removed first (Secrets Manager refuses to delete a replicated secret). */
  removedReplicaRegions: string[];
}

export interface ResourceOutcome {
  deleted: string[];
  waiting: ResourceNote[];
  kept: ResourceNote[];
  failed: ResourceNote[];
  secret?: ScheduledSecret;
}

export interface DetachResult {
  distributions: DetachedDistribution[];
  /** Undefined when a distribution failed: then no resource is touched. */
  resources?: ResourceOutcome;
}

async function detachOne(clients: AwsClients, prepared: PreparedDetach, item: PreparedDistribution, options: DetachApplyOptions): Promise<DetachedDistribution> {
  const { observed, plan: shown, revisions } = item;
  if (shown.changes.length === 0) return { id: observed.id, ok: true, written: false, etag: observed.etag, status: observed.status };
  if (options.signal?.aborted) return { id: observed.id, ok: false, written: false, error: new Error('interrupted before it was written') };
  const written = await writeDistribution(clients, shown, observed, (o) => planFor(prepared.manifest, prepared.ownedFunctionNames, revisions, o));
  options.onEvent?.({ type: 'written', id: observed.id, etag: written.etagAfter });
  // Recorded as soon as it is written: even if waiting fails, the change was made and
  // status / rollback / a re-run of detach must know that nothing is owned here any more.
  const at = new Date();
  const secret = prepared.manifest.secret;
  const revision: Revision = {
    version: 1,
    revision: revisionId(at, observed.id),
    integration: prepared.integration,
    distributionId: observed.id,
    createdAt: at.toISOString(),
    etagBefore: written.etagBefore,
    etagAfter: written.etagAfter,
    ownedBefore: written.plan.ownedBefore,
    ownedAfter: NOTHING_OWNED,
    // Nothing was replaced by this change: the foreign triggers were put back.
    replacedForeign: [],
    functions: [],
    cachePolicies: {},
    secret: secret ? { name: secret.name, region: secret.region } : undefined,
  };
  await writeRevision(prepared.settings.stateDir, revision);
  options.onEvent?.({ type: 'waiting', id: observed.id });
  try {
    await waitUntilDeployed(clients, observed.id, { timeoutSeconds: options.waitTimeoutSeconds, pollSeconds: options.pollSeconds, signal: options.signal });
  } catch (error) {
    // Ctrl-C while waiting: the detach is written and recorded; the command stops here.
    if (options.signal?.aborted) return { id: observed.id, ok: true, written: true, etag: written.etagAfter, status: written.status, revision: revision.revision };
    // Detached and recorded, but not known to be deployed: resources stay until it is.
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    return { id: observed.id, ok: false, written: true, etag: written.etagAfter, status: written.status, revision: revision.revision, error: new Error(`${observed.id} is detached (revision ${revision.revision}) but waiting for it to deploy failed (${reason}); run detach again once it is Deployed to delete the resources`) };
  }
  options.onEvent?.({ type: 'deployed', id: observed.id });
  return { id: observed.id, ok: true, written: true, etag: written.etagAfter, status: 'Deployed', revision: revision.revision };
}

export async function applyDetach(clients: AwsClients, prepared: PreparedDetach, options: DetachApplyOptions): Promise<DetachResult> {
  const settled = await settleWithLimit(prepared.distributions, prepared.settings.concurrency, (item) => detachOne(clients, prepared, item, options));
  const distributions = settled.map((s, i): DetachedDistribution =>
    s.status === 'fulfilled' ? s.value : { id: prepared.distributions[i]!.observed.id, ok: false, written: false, error: s.reason as Error },
  );
  if (distributions.some((d) => !d.ok) || options.signal?.aborted) return { distributions };
  return { distributions, resources: await deleteResources(clients, prepared, options) };
}

// ---- resources ------------------------------------------------------------------------------

/** Lambda's answer for a version CloudFront still has replicas of. */
export function isReplicaRefusal(error: unknown): boolean {
  return isAwsError(error, 'InvalidParameterValueException') && /replicated function/i.test((error as Error).message);
}

const reasonOf = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;

async function deleteCachePolicy(clients: AwsClients, id: string): Promise<'deleted' | 'gone'> {
  for (let attempt = 0; ; attempt++) {
    const got = await ifExists(() => clients.cloudfront.send(new GetCachePolicyCommand({ Id: id })), 'NoSuchCachePolicy');
    if (!got) return 'gone';
    try {
      await clients.cloudfront.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: got.ETag }));
      return 'deleted';
    } catch (error) {
      if (isAwsError(error, 'NoSuchCachePolicy')) return 'gone';
      // Changed between the read and the delete: read the new ETag once more.
      if (isAwsError(error, 'PreconditionFailed') && attempt < 2) continue;
      throw error;
    }
  }
}

async function deleteRole(clients: AwsClients, name: string): Promise<'deleted' | 'gone'> {
  const missing = 'NoSuchEntityException';
  const inline: string[] = [];
  const managed: string[] = [];
  let marker: string | undefined;
  do {
    const page = await ifExists(() => clients.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker: marker })), missing);
    if (!page) return 'gone';
    inline.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await ifExists(() => clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker })), missing);
    if (!page) return 'gone';
    managed.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn!));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  for (const policy of inline) await ifExists(() => clients.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policy })), missing);
  for (const arn of managed) await ifExists(() => clients.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn })), missing);
  const deleted = await ifExists(() => clients.iam.send(new DeleteRoleCommand({ RoleName: name })), missing);
  return deleted ? 'deleted' : 'gone';
}

async function deleteFunction(clients: AwsClients, name: string): Promise<'deleted' | 'gone'> {
  const deleted = await ifExists(() => clients.lambda.send(new DeleteFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException');
  return deleted ? 'deleted' : 'gone';
}

export function restoreSecretCommand(name: string, region: string): string {
  return `aws secretsmanager restore-secret --secret-id ${name} --region ${region}`;
}

async function scheduleSecretDeletion(clients: AwsClients, resource: DetachResource): Promise<ScheduledSecret | undefined> {
  const client = clients.secrets(resource.region!);
  const described = await ifExists(() => client.send(new DescribeSecretCommand({ SecretId: resource.name })), 'ResourceNotFoundException');
  if (!described) return undefined;
  const restore = restoreSecretCommand(resource.name, resource.region!);
  if (described.DeletedDate !== undefined) return { name: resource.name, region: resource.region!, restore, removedReplicaRegions: [] };
  // Secrets Manager refuses to delete a secret that still has replicas: remove them first.
  const replicas = (described.ReplicationStatus ?? []).map((r) => r.Region!).filter(Boolean);
  if (replicas.length) await client.send(new RemoveRegionsFromReplicationCommand({ SecretId: resource.name, RemoveReplicaRegions: replicas }));
  const out = await client.send(new DeleteSecretCommand({ SecretId: resource.name, RecoveryWindowInDays: SECRET_RECOVERY_DAYS }));
  return { name: resource.name, region: resource.region!, deletionDate: out.DeletionDate?.toISOString(), restore, removedReplicaRegions: replicas };
}

/**
 * Deletes what detach may delete — only when, now that the distributions are written, no
 * distribution in the account has any of the integration's functions. Each resource is its own
 * attempt: one failing does not stop the others, and what is already gone counts as done.
 */
export async function deleteResources(clients: AwsClients, prepared: PreparedDetach, options: Pick<DetachApplyOptions, 'onEvent'> = {}): Promise<ResourceOutcome> {
  const outcome: ResourceOutcome = { deleted: [], waiting: [], kept: [], failed: [] };
  // Look again: another writer may have attached the integration somewhere since the plan.
  const usedBy = distributionsUsing(await listAccountAssociations(clients), prepared.ownedFunctionNames);
  for (const r of prepared.resources) {
    const keep = r.keep ?? (usedBy.size ? stillUsedReason(usedBy) : undefined);
    if (keep) {
      outcome.kept.push({ resource: r.resource, reason: keep });
      continue;
    }
    try {
      let deleted = false;
      switch (r.kind) {
        case 'cache-policy':
          deleted = (await deleteCachePolicy(clients, r.id!)) === 'deleted';
          break;
        case 'role':
          deleted = (await deleteRole(clients, r.name)) === 'deleted';
          break;
        case 'function':
          deleted = (await deleteFunction(clients, r.name)) === 'deleted';
          break;
        case 'secret':
          outcome.secret = await scheduleSecretDeletion(clients, r);
          deleted = !!outcome.secret;
          break;
      }
      // Already gone (another run got there first) is as good as deleted, but not reported as done by this one.
      if (deleted) {
        outcome.deleted.push(r.resource);
        options.onEvent?.({ type: 'deleted', resource: r.resource });
      }
    } catch (error) {
      if (r.kind === 'function' && isReplicaRefusal(error)) {
        outcome.waiting.push({ resource: r.resource, reason: REPLICA_WAIT_REASON });
        options.onEvent?.({ type: 'resource-waiting', resource: r.resource, reason: REPLICA_WAIT_REASON });
      } else if (r.kind === 'cache-policy' && isAwsError(error, 'CachePolicyInUse')) {
        outcome.kept.push({ resource: r.resource, reason: 'still used by a cache behavior of some distribution (CachePolicyInUse); remove it there, then run detach again' });
      } else {
        outcome.failed.push({ resource: r.resource, reason: reasonOf(error) });
      }
    }
  }
  return outcome;
}
