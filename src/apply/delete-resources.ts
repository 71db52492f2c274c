/**
 * Deleting what `detach` may delete, once every distribution is detached: cache policies, the
 * role, functions (replicated ones must wait; `gc` finishes them) and the secret (scheduled,
 * with the minimum recovery window, so it can be restored) — only when, looked at again now,
 * no distribution in the account has any of the integration's functions. Each resource is its
 * own attempt: one failing does not stop the others, and what is already gone counts as done.
 */
import { DeleteCachePolicyCommand, GetCachePolicyCommand } from '@aws-sdk/client-cloudfront';
import { DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, UntagRoleCommand } from '@aws-sdk/client-iam';
import { DeleteFunctionCommand, UntagResourceCommand as UntagFunctionCommand } from '@aws-sdk/client-lambda';
import { DeleteSecretCommand, DescribeSecretCommand, RemoveRegionsFromReplicationCommand, UntagResourceCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients.js';
import { ifExists, isAwsError } from '../aws/errors.js';
import { listAccountAssociations } from '../aws/observe/account-associations.js';
import { distributionsUsing, SECRET_RECOVERY_DAYS, stillUsedReason, type DetachPlan, type DetachTarget } from '../plan/detach.js';
import type { Kept } from '../plan/plan.js';
import { ADOPTED_TAG, EXECUTION_POLICY_NAME, OWNER_TAG } from '../manifest/naming.js';
import type { ApplyEvent } from './events.js';

export const REPLICA_WAIT_REASON = 'waiting for replica removal (typically a few hours); run `edge-install gc` later';

export type ResourceNote = Kept;

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
  /** Adopted resources left in place, their edge-install tags removed. */
  untagged: string[];
  waiting: ResourceNote[];
  kept: ResourceNote[];
  failed: ResourceNote[];
  secret?: ScheduledSecret;
}

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

async function scheduleSecretDeletion(clients: AwsClients, resource: DetachTarget): Promise<ScheduledSecret | undefined> {
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

const ADOPTION_TAG_KEYS = [OWNER_TAG, ADOPTED_TAG];

/**
 * An adopted resource is the user's: edge-install takes back only what it added — its tags
 * and, on a role, its own inline policy — and leaves the rest as it found it. False when it is
 * gone already.
 */
async function untagAdopted(clients: AwsClients, r: DetachTarget): Promise<boolean> {
  switch (r.kind) {
    case 'secret':
      return !!(await ifExists(() => clients.secrets(r.region!).send(new UntagResourceCommand({ SecretId: r.name, TagKeys: ADOPTION_TAG_KEYS })), 'ResourceNotFoundException'));
    case 'role': {
      await ifExists(() => clients.iam.send(new DeleteRolePolicyCommand({ RoleName: r.name, PolicyName: EXECUTION_POLICY_NAME })), 'NoSuchEntityException');
      return !!(await ifExists(() => clients.iam.send(new UntagRoleCommand({ RoleName: r.name, TagKeys: ADOPTION_TAG_KEYS })), 'NoSuchEntityException'));
    }
    case 'function':
      return !!(await ifExists(() => clients.lambda.send(new UntagFunctionCommand({ Resource: r.arn!, TagKeys: ADOPTION_TAG_KEYS })), 'ResourceNotFoundException'));
    case 'cache-policy':
      return false;
  }
}

export async function deleteResources(clients: AwsClients, plan: DetachPlan, options: { onEvent?: (event: ApplyEvent) => void } = {}): Promise<ResourceOutcome> {
  const outcome: ResourceOutcome = { deleted: [], untagged: [], waiting: [], kept: [], failed: [] };
  // Look again: another writer may have attached the integration somewhere since the plan.
  const usedBy = distributionsUsing(await listAccountAssociations(clients), plan.inputs.ownedFunctionNames);
  for (const r of plan.targets) {
    const keep = r.keep ?? (usedBy.size ? stillUsedReason(usedBy) : undefined);
    if (keep) {
      outcome.kept.push({ resource: r.resource, reason: keep });
      continue;
    }
    try {
      if (r.untag) {
        if (await untagAdopted(clients, r)) outcome.untagged.push(r.resource);
        continue;
      }
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
