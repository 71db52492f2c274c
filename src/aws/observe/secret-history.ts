/**
 * The history of the integration's secret, for `secret keys`: its versions (ListSecretVersionIds,
 * deprecated ones included, with their creation dates) and, for the newest of them, each key's
 * value reduced to a keyed digest (HMAC with a key made for this run: enough to tell whether a
 * key changed from one version to the next, useless to anyone who reads it). Values never leave
 * this module.
 */
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { settleWithLimit } from '../../concurrency.js';
import type { SecretDigest } from '../../plan/secret-values.js';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';
import { digestKeys } from './secret.js';

/**
 * How many versions' values are read, newest first. Secrets Manager keeps up to ~100 versions;
 * a key unchanged across all of these is reported as "on or before" the oldest one read.
 */
export const HISTORY_VERSIONS_READ = 20;

export interface ObservedSecretVersionHistory {
  versionId: string;
  /** ISO time the version was created (CreatedDate). */
  created: string;
  stages: string[];
  /** Each key's value as a digest; undefined when the version could not be read or is not a JSON object. */
  digests?: Record<string, string>;
}

export interface ObservedSecretHistory {
  name: string;
  region: string;
  exists: boolean;
  scheduledForDeletion?: boolean;
  arn?: string;
  /** The version labelled AWSCURRENT. */
  current?: string;
  /** DescribeSecret's LastChangedDate (any change: value, label, tags), ISO. */
  lastChanged?: string;
  replicaRegions?: string[];
  /** Oldest first. Only the newest HISTORY_VERSIONS_READ (and AWSCURRENT) carry digests. */
  versions: ObservedSecretVersionHistory[];
}

export async function observeSecretHistory(clients: AwsClients, name: string, region: string, digest: SecretDigest): Promise<ObservedSecretHistory> {
  const client = clients.secrets(region);
  const described = await ifExists(() => client.send(new DescribeSecretCommand({ SecretId: name })), 'ResourceNotFoundException');
  if (!described) return { name, region, exists: false, versions: [] };
  const base = {
    name,
    region,
    exists: true,
    arn: described.ARN,
    lastChanged: described.LastChangedDate?.toISOString(),
    replicaRegions: (described.ReplicationStatus ?? []).map((r) => r.Region!).sort(),
    current: Object.entries(described.VersionIdsToStages ?? {}).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0],
  };
  if (described.DeletedDate !== undefined) return { ...base, scheduledForDeletion: true, versions: [] };
  const listed: ObservedSecretVersionHistory[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListSecretVersionIdsCommand({ SecretId: described.ARN, IncludeDeprecated: true, MaxResults: 100, NextToken: token }));
    for (const v of page.Versions ?? []) listed.push({ versionId: v.VersionId!, created: (v.CreatedDate ?? new Date(0)).toISOString(), stages: v.VersionStages ?? [] });
    token = page.NextToken;
  } while (token);
  // Oldest first; the API promises no order, and versions made in the same instant keep the listed one.
  const versions = listed.map((v, i) => ({ v, i })).sort((a, b) => a.v.created.localeCompare(b.v.created) || a.i - b.i).map(({ v }) => v);
  const toRead = new Set([...versions.slice(-HISTORY_VERSIONS_READ).map((v) => v.versionId), ...(base.current ? [base.current] : [])]);
  // Four at a time: Secrets Manager throttles GetSecretValue per account and region.
  const settled = await settleWithLimit(
    versions.filter((v) => toRead.has(v.versionId)),
    4,
    async (v) => {
      // A version Secrets Manager removed between the list and the read is simply not known.
      const value = await ifExists(() => client.send(new GetSecretValueCommand({ SecretId: described.ARN, VersionId: v.versionId })), 'ResourceNotFoundException');
      v.digests = value ? digestKeys(value, digest) : undefined;
    },
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return { ...base, versions };
}
