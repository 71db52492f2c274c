/**
 * Where secrets live and how a request finds one, as Secrets Manager documents it:
 * - a secret belongs to the region it was created in (the SigV4 scope of the call);
 * - a replica region holds a read-only copy with the same name, under an ARN that names the
 *   replica region; it can be read there, but not changed there;
 * - a SecretId is the name, the full ARN, or the ARN without its 6-character suffix;
 * - a secret scheduled for deletion still exists (DescribeSecret shows DeletedDate) until
 *   its deletion date, when it is gone for good. That moment is checked when secrets are
 *   looked up: no timers.
 */
import { AwsError } from '../errors.js';
import { secretSuffix } from '../ids.js';
import type { SecretRecord, World } from '../world.js';
import { invalidParameter } from './input.js';

export const DAY_MS = 86_400_000;

export function notFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 400, "Secrets Manager can't find the specified secret.");
}

export function newSecretArn(world: World, region: string, name: string): string {
  return `arn:aws:secretsmanager:${region}:${world.accountId}:secret:${name}-${secretSuffix()}`;
}

/** The secret's ARN as seen from a region: replicas carry their own region in it. */
export function arnIn(secret: SecretRecord, region: string): string {
  const parts = secret.arn.split(':');
  parts[3] = region;
  return parts.join(':');
}

export function isReplicaIn(secret: SecretRecord, region: string): boolean {
  return secret.region !== region && secret.replicaRegions.includes(region);
}

export function visibleIn(secret: SecretRecord, region: string): boolean {
  return secret.region === region || secret.replicaRegions.includes(region);
}

export function isScheduledForDeletion(secret: SecretRecord): boolean {
  return secret.deletionDate !== undefined;
}

/** A secret whose recovery window has passed is deleted for good. */
export function purgeExpired(world: World): void {
  const now = world.now();
  const store = world.data.secretsmanager;
  if (store.secrets.some((s) => s.deletionDate !== undefined && now >= s.deletionDate)) {
    store.secrets = store.secrets.filter((s) => s.deletionDate === undefined || now < s.deletionDate);
  }
}

/** Every secret readable in a region (primaries and replicas), expired ones purged first. */
export function secretsIn(world: World, region: string): SecretRecord[] {
  purgeExpired(world);
  return world.data.secretsmanager.secrets.filter((s) => visibleIn(s, region));
}

export function byName(world: World, region: string, name: string): SecretRecord | undefined {
  return secretsIn(world, region).find((s) => s.name === name);
}

/** SecretId: the full ARN, the name, or the partial ARN (the ARN without "-XXXXXX"). */
export function findSecret(world: World, region: string, id: string): SecretRecord {
  const candidates = secretsIn(world, region);
  const found =
    candidates.find((s) => arnIn(s, region) === id) ??
    candidates.find((s) => s.name === id) ??
    candidates.find((s) => arnIn(s, region).slice(0, -7) === id);
  if (!found) throw notFound();
  return found;
}

/** Replicas are read-only: changes are made in the primary secret's region. */
export function checkPrimaryRegion(secret: SecretRecord, region: string): void {
  if (isReplicaIn(secret, region)) {
    throw invalidParameter("Operation not permitted on a replica secret. Call must be made in primary secret's region.");
  }
}

/** A secret scheduled for deletion can be described, restored or deleted, nothing else. */
export function checkNotScheduledForDeletion(secret: SecretRecord): void {
  if (isScheduledForDeletion(secret)) {
    throw new AwsError('InvalidRequestException', 400, "You can't perform this operation on the secret because it was marked for deletion.");
  }
}

/** A name is taken in a region by a secret or replica there, even one scheduled for deletion. */
export function checkNameAvailable(world: World, region: string, name: string): void {
  const existing = byName(world, region, name);
  if (!existing) return;
  if (isScheduledForDeletion(existing)) {
    throw new AwsError(
      'InvalidRequestException',
      400,
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
  }
  throw new AwsError('ResourceExistsException', 400, `The operation failed because the secret ${name} already exists.`);
}

// ---- deletion --------------------------------------------------------------------------

/** RecoveryWindowInDays: 7 to 30 days, default 30. */
export function recoveryWindowDays(days: number | undefined, force: boolean): number {
  if (days !== undefined && (days < 7 || days > 30)) {
    throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  if (days !== undefined && force) {
    throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  return days ?? 30;
}

/** A primary secret that still has replicas cannot be deleted: remove the replicas first. */
export function checkNoReplicas(secret: SecretRecord): void {
  if (secret.replicaRegions.length > 0) {
    throw invalidParameter(`You can't delete secret ${secret.arn} that still has replica regions [${secret.replicaRegions.join(', ')}].`);
  }
}

export function removeSecret(world: World, secret: SecretRecord): void {
  world.data.secretsmanager.secrets = world.data.secretsmanager.secrets.filter((s) => s !== secret);
}

// ---- replication -----------------------------------------------------------------------

export interface ReplicationStatus {
  Region: string;
  KmsKeyId?: string;
  Status: 'InSync' | 'Failed';
  StatusMessage: string;
}

export function inSync(region: string): ReplicationStatus {
  return { Region: region, Status: 'InSync', StatusMessage: 'Replication succeeded' };
}

/**
 * Replicates to each region. A region where a secret of that name already exists fails
 * (status Failed) unless ForceOverwriteReplicaSecret is set, which replaces that secret.
 */
export function addReplicas(
  world: World,
  secret: SecretRecord,
  regions: { region: string; kmsKeyId?: string }[],
  forceOverwrite: boolean,
): ReplicationStatus[] {
  for (const { region } of regions) {
    if (region === secret.region) throw invalidParameter(`Invalid replica region: ${region} is the primary region of the secret.`);
  }
  return regions.map(({ region, kmsKeyId }) => {
    const status = { ...inSync(region), ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}) };
    if (secret.replicaRegions.includes(region)) return status;
    const occupant = byName(world, region, secret.name);
    if (occupant && occupant !== secret) {
      if (!forceOverwrite || occupant.region !== region) {
        return { Region: region, Status: 'Failed', StatusMessage: `Replication failed: Secret name already exists in region: ${region}.` };
      }
      removeSecret(world, occupant);
    }
    secret.replicaRegions.push(region);
    return status;
  });
}
