/**
 * What exists of the integration's secret. Values never leave this module: each key's value is
 * reduced to a keyed digest (HMAC with a key made for this run only), enough to tell whether
 * it differs from the desired value, useless to anyone who reads a plan or a log.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { ManifestSecret } from '../../manifest/schema.js';
import type { SecretDigest } from '../../plan/secret-values.js';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';

export type { SecretDigest };

export function newSecretDigest(): SecretDigest {
  const key = randomBytes(32);
  return (value) => createHmac('sha256', key).update(value).digest('base64');
}

export interface ObservedSecret {
  exists: boolean;
  name: string;
  region: string;
  arn?: string;
  scheduledForDeletion: boolean;
  replicaRegions: string[];
  tags: Record<string, string>;
  /** Digest of each key's current value; undefined when the value is not a JSON object. */
  keyDigests?: Record<string, string>;
  /** The version labelled AWSCURRENT, when there is a value. */
  versionId?: string;
}

export async function observeSecret(clients: AwsClients, secret: ManifestSecret, digest: SecretDigest): Promise<ObservedSecret> {
  const client = clients.secrets(secret.region);
  const described = await ifExists(() => client.send(new DescribeSecretCommand({ SecretId: secret.name })), 'ResourceNotFoundException');
  const base = { name: secret.name, region: secret.region };
  if (!described) return { ...base, exists: false, scheduledForDeletion: false, replicaRegions: [], tags: {} };
  const observed: ObservedSecret = {
    ...base,
    exists: true,
    arn: described.ARN,
    scheduledForDeletion: described.DeletedDate !== undefined,
    replicaRegions: (described.ReplicationStatus ?? []).map((r) => r.Region!).sort(),
    tags: Object.fromEntries((described.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
  };
  if (observed.scheduledForDeletion) return observed;
  // No AWSCURRENT yet (a secret made without a value): no keys, and a first value may be stored.
  const current = await ifExists(() => client.send(new GetSecretValueCommand({ SecretId: described.ARN })), 'ResourceNotFoundException');
  observed.keyDigests = current ? digestKeys(current, digest) : {};
  if (current?.VersionId) observed.versionId = current.VersionId;
  return observed;
}

/**
 * A stored secret string as the JSON object of keys edge-install manages, or undefined when it
 * is not one. Never throws: JSON.parse's own error quotes the text it failed on, which here
 * is a secret value.
 */
export function parseStoredSecret(secretString: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    return undefined;
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

/**
 * One stored version's keys as digests, or undefined when it is not a JSON object of keys —
 * including a version that holds SecretBinary (no SecretString): writing keys over it would
 * replace bytes someone else stored, so it counts as "not ours to merge into".
 */
export function digestKeys(stored: { SecretString?: string }, digest: SecretDigest): Record<string, string> | undefined {
  if (stored.SecretString === undefined) return undefined;
  const parsed = parseStoredSecret(stored.SecretString);
  if (!parsed) return undefined;
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, digest(typeof v === 'string' ? v : JSON.stringify(v))]));
}

/** Which version of a secret is AWSCURRENT (from DescribeSecret: no value is read). */
export interface ObservedSecretVersion {
  name: string;
  region: string;
  exists: boolean;
  current?: string;
}

export async function observeSecretVersion(clients: AwsClients, name: string, region: string): Promise<ObservedSecretVersion> {
  const described = await ifExists(() => clients.secrets(region).send(new DescribeSecretCommand({ SecretId: name })), 'ResourceNotFoundException');
  if (!described || described.DeletedDate !== undefined) return { name, region, exists: false };
  const current = Object.entries(described.VersionIdsToStages ?? {}).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
  return { name, region, exists: true, current };
}
