/**
 * Lambda@Edge replicas. Once a function version is associated with a distribution, CloudFront
 * copies it to edge regions; those replicas stay until some time after the last association
 * is removed, and until then Lambda refuses to delete the version (or the function).
 *
 * CloudFront calls `syncReplicas` after every distribution write with the set of version
 * ARNs associated anywhere; Lambda asks `isReplicated` before deleting.
 */
import type { World } from '../world.js';

export function syncReplicas(world: World, attachedArns: Set<string>): void {
  const replicas = world.data.lambda.replicas;
  const now = world.now();
  for (const arn of attachedArns) replicas[arn] = { detachedAt: null };
  for (const [arn, record] of Object.entries(replicas)) {
    if (!attachedArns.has(arn) && record.detachedAt === null) record.detachedAt = now;
  }
}

export function isReplicated(world: World, versionArn: string): boolean {
  const record = world.data.lambda.replicas[versionArn];
  if (!record) return false;
  return record.detachedAt === null || world.now() < record.detachedAt + world.delays.replicaDeletionMs;
}
