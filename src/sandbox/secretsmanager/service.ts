/**
 * Secrets Manager over json 1.1 (`X-Amz-Target: secretsmanager.<Operation>`). The rules
 * live in secrets.ts (regions, replicas, lookup, deletion), versions.ts (staging labels,
 * idempotency), list.ts (filters, pages) and input.ts (parameters); this file reads the
 * request and shapes the reply. Dates go out as epoch seconds.
 */
import { AwsError } from '../errors.js';
import { jsonTargetRouter, renderJsonError, type JsonHandler } from '../protocols/json.js';
import type { Service } from '../request.js';
import type { SecretRecord, SecretVersionRecord, World } from '../world.js';
import {
  bool,
  checkRegionName,
  clientRequestToken,
  description,
  int,
  invalidParameter,
  secretId,
  secretName,
  secretValue,
  str,
  strings,
  structures,
  tags as readTags,
  validation,
  type Input,
} from './input.js';
import { applyFilters, paginate, readFilters, sortSecrets } from './list.js';
import {
  addReplicas,
  arnIn,
  byName,
  checkNameAvailable,
  checkNoReplicas,
  checkNotScheduledForDeletion,
  checkPrimaryRegion,
  DAY_MS,
  findSecret,
  inSync,
  isScheduledForDeletion,
  newSecretArn,
  recoveryWindowDays,
  removeSecret,
  secretsIn,
  type ReplicationStatus,
} from './secrets.js';
import { checkStages, moveStage, putValue, sameValue, selectVersion, versionsToStages } from './versions.js';
import { listSecretVersionIds } from './version-list.js';

/** Epoch seconds, as the JSON protocols send timestamps. */
const seconds = (ms: number): number => ms / 1000;

function replicaRegions(input: Input, key: string): { region: string; kmsKeyId?: string }[] {
  const seen = new Set<string>();
  return (structures(input, key) ?? []).flatMap((item) => {
    const region = str(item, 'Region');
    if (!region) throw invalidParameter('You must provide a Region for each replica.');
    checkRegionName(region);
    if (seen.has(region)) return [];
    seen.add(region);
    const kmsKeyId = str(item, 'KmsKeyId');
    return [kmsKeyId ? { region, kmsKeyId } : { region }];
  });
}

function replicationStatus(secret: SecretRecord): ReplicationStatus[] {
  return secret.replicaRegions.map(inSync);
}

/** The fields DescribeSecret and ListSecrets share, as seen from `region`. */
function metadata(secret: SecretRecord, region: string): Record<string, unknown> {
  return {
    ARN: arnIn(secret, region),
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    LastChangedDate: seconds(secret.lastChanged),
    DeletedDate: secret.deletionDate === undefined ? undefined : seconds(secret.deletionDate),
    Tags: secret.tags.length ? secret.tags.map((t) => ({ ...t })) : undefined,
    CreatedDate: seconds(secret.created),
    PrimaryRegion: secret.region,
  };
}

function valueReply(secret: SecretRecord, version: SecretVersionRecord, region: string): Record<string, unknown> {
  return {
    ARN: arnIn(secret, region),
    Name: secret.name,
    VersionId: version.versionId,
    SecretString: version.secretString,
    SecretBinary: version.secretBinary,
    VersionStages: [...version.stages],
    CreatedDate: seconds(version.created),
  };
}

/** Where a write must go: the primary region, on a secret not scheduled for deletion. */
function secretForWrite(world: World, region: string, input: Input): SecretRecord {
  const secret = findSecret(world, region, secretId(input));
  checkPrimaryRegion(secret, region);
  checkNotScheduledForDeletion(secret);
  return secret;
}

/** A CreateSecret retried with the same ClientRequestToken and value is answered again. */
function createRetry(world: World, region: string, name: string, token: string | undefined, input: Input): SecretRecord | undefined {
  const existing = byName(world, region, name);
  if (!existing || !token || existing.region !== region || isScheduledForDeletion(existing)) return undefined;
  const version = existing.versions.find((v) => v.versionId === token);
  const value = secretValue(input);
  return version && value && sameValue(version, value) ? existing : undefined;
}

const handlers: Record<string, JsonHandler> = {
  CreateSecret: (input, req, world) => {
    const name = secretName(input);
    const value = secretValue(input);
    const token = clientRequestToken(input);
    const tags = readTags(input) ?? [];
    const replicas = replicaRegions(input, 'AddReplicaRegions');
    const secretDescription = description(input);
    const kmsKeyId = str(input, 'KmsKeyId');
    const forceOverwrite = bool(input, 'ForceOverwriteReplicaSecret') ?? false;
    const retried = createRetry(world, req.region, name, token, input);
    if (retried) {
      return { ARN: retried.arn, Name: retried.name, VersionId: token, ReplicationStatus: replicas.length ? replicationStatus(retried) : undefined };
    }
    checkNameAvailable(world, req.region, name);
    const now = world.now();
    const secret: SecretRecord = {
      arn: newSecretArn(world, req.region, name),
      name,
      region: req.region,
      description: secretDescription,
      kmsKeyId,
      replicaRegions: [],
      tags,
      versions: [],
      created: now,
      lastChanged: now,
    };
    const version = value ? putValue(secret, value, token, undefined, now).version : undefined;
    const status = addReplicas(world, secret, replicas, forceOverwrite);
    world.data.secretsmanager.secrets.push(secret);
    return { ARN: secret.arn, Name: name, VersionId: version?.versionId, ReplicationStatus: status.length ? status : undefined };
  },

  DescribeSecret: (input, req, world) => {
    const secret = findSecret(world, req.region, secretId(input));
    const primary = secret.region === req.region;
    return {
      ...metadata(secret, req.region),
      VersionIdsToStages: versionsToStages(secret),
      ReplicationStatus: primary && secret.replicaRegions.length ? replicationStatus(secret) : undefined,
    };
  },

  GetSecretValue: (input, req, world) => {
    const secret = findSecret(world, req.region, secretId(input));
    checkNotScheduledForDeletion(secret);
    const version = selectVersion(secret, str(input, 'VersionId'), str(input, 'VersionStage'));
    return valueReply(secret, version, req.region);
  },

  ListSecretVersionIds: (input, req, world) => {
    const secret = findSecret(world, req.region, secretId(input));
    return listSecretVersionIds(secret, arnIn(secret, req.region), input);
  },

  PutSecretValue: (input, req, world) => {
    const secret = secretForWrite(world, req.region, input);
    const value = secretValue(input);
    if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
    const token = clientRequestToken(input);
    const stages = strings(input, 'VersionStages');
    if (stages) checkStages(stages);
    const { version } = putValue(secret, value, token, stages, world.now());
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: [...version.stages] };
  },

  UpdateSecret: (input, req, world) => {
    const secret = secretForWrite(world, req.region, input);
    const value = secretValue(input);
    const token = clientRequestToken(input);
    const newDescription = description(input);
    const kmsKeyId = str(input, 'KmsKeyId');
    const now = world.now();
    if (newDescription !== undefined) secret.description = newDescription;
    if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;
    if (newDescription !== undefined || kmsKeyId !== undefined) secret.lastChanged = now;
    const version = value ? putValue(secret, value, token, undefined, now).version : undefined;
    return { ARN: secret.arn, Name: secret.name, VersionId: version?.versionId };
  },

  DeleteSecret: (input, req, world) => {
    const secret = findSecret(world, req.region, secretId(input));
    checkPrimaryRegion(secret, req.region);
    const force = bool(input, 'ForceDeleteWithoutRecovery') ?? false;
    const days = recoveryWindowDays(int(input, 'RecoveryWindowInDays'), force);
    checkNoReplicas(secret);
    const now = world.now();
    if (force) {
      removeSecret(world, secret);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(now) };
    }
    checkNotScheduledForDeletion(secret);
    secret.deletionDate = now + days * DAY_MS;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(secret.deletionDate) };
  },

  RestoreSecret: (input, req, world) => {
    const secret = findSecret(world, req.region, secretId(input));
    checkPrimaryRegion(secret, req.region);
    delete secret.deletionDate;
    return { ARN: secret.arn, Name: secret.name };
  },

  ListSecrets: (input, req, world) => {
    const includeDeleted = bool(input, 'IncludePlannedDeletion') ?? false;
    const filters = readFilters(input);
    const candidates = secretsIn(world, req.region).filter((s) => includeDeleted || !isScheduledForDeletion(s));
    const { page, nextToken } = paginate(sortSecrets(applyFilters(candidates, filters), input), input);
    return {
      SecretList: page.map((secret) => ({ ...metadata(secret, req.region), SecretVersionsToStages: versionsToStages(secret) })),
      NextToken: nextToken,
    };
  },

  TagResource: (input, req, world) => {
    const secret = secretForWrite(world, req.region, input);
    const tags = readTags(input);
    if (!tags) throw invalidParameter('You must provide a value for the Tags parameter.');
    const merged = new Map(secret.tags.map((t) => [t.Key, t.Value]));
    for (const tag of tags) merged.set(tag.Key, tag.Value);
    if (merged.size > 50) throw invalidParameter('A resource can have at most 50 tags.');
    secret.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
    secret.lastChanged = world.now();
    return {};
  },

  UntagResource: (input, req, world) => {
    const secret = secretForWrite(world, req.region, input);
    const keys = strings(input, 'TagKeys');
    if (!keys) throw invalidParameter('You must provide a value for the TagKeys parameter.');
    secret.tags = secret.tags.filter((t) => !keys.includes(t.Key));
    secret.lastChanged = world.now();
    return {};
  },

  UpdateSecretVersionStage: (input, req, world) => {
    const secret = secretForWrite(world, req.region, input);
    const stage = str(input, 'VersionStage');
    if (!stage) throw invalidParameter('You must provide a value for the VersionStage parameter.');
    checkStages([stage]);
    // Version ids are 32–64 characters (service model: SecretVersionIdType).
    const versionIdOf = (key: 'MoveToVersionId' | 'RemoveFromVersionId') => {
      const id = str(input, key);
      if (id !== undefined && (id.length < 32 || id.length > 64)) throw validation(id, `${key[0]!.toLowerCase()}${key.slice(1)}`, 'Member must have length between 32 and 64');
      return id;
    };
    moveStage(secret, stage, versionIdOf('MoveToVersionId'), versionIdOf('RemoveFromVersionId'), world.now());
    return { ARN: secret.arn, Name: secret.name };
  },

  ReplicateSecretToRegions: (input, req, world) => {
    const secret = secretForWrite(world, req.region, input);
    const regions = replicaRegions(input, 'AddReplicaRegions');
    if (regions.length === 0) throw invalidParameter('You must provide at least one replica region.');
    const status = addReplicas(world, secret, regions, bool(input, 'ForceOverwriteReplicaSecret') ?? false);
    secret.lastChanged = world.now();
    return { ARN: secret.arn, ReplicationStatus: status };
  },

  RemoveRegionsFromReplication: (input, req, world) => {
    const secret = findSecret(world, req.region, secretId(input));
    checkPrimaryRegion(secret, req.region);
    const regions = strings(input, 'RemoveReplicaRegions');
    if (!regions || regions.length === 0) throw invalidParameter('You must provide at least one replica region to remove.');
    secret.replicaRegions = secret.replicaRegions.filter((r) => !regions.includes(r));
    secret.lastChanged = world.now();
    return { ARN: secret.arn, ReplicationStatus: replicationStatus(secret) };
  },
};

export const secretsmanager: Service = {
  name: 'secretsmanager',
  maxBodyBytes: 1 << 20,
  resolve: jsonTargetRouter('secretsmanager', handlers),
  renderError: renderJsonError,
  throttleError: () => new AwsError('ThrottlingException', 400, 'Rate exceeded'),
};
