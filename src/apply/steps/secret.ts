/**
 * Secret step: create the secret, or write only the keys whose values differ. Values are held
 * in memory for the calls that need them and nowhere else: not in argv, output, plans,
 * revisions or logs (the call log middleware never looks at parameters).
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ReplicateSecretToRegionsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../../aws/clients.js';
import type { SecretChange } from '../../plan/resources.js';

export type SecretValues = Record<string, string>;

export interface SecretOutput {
  arn: string;
  versionId?: string;
}

export async function applySecret(clients: AwsClients, change: SecretChange, values: SecretValues, observedArn?: string): Promise<SecretOutput> {
  const client = clients.secrets(change.region);
  if (change.action === 'create') {
    const created = await client.send(
      new CreateSecretCommand({
        Name: change.name,
        SecretString: JSON.stringify(values),
        Description: 'Managed by edge-install',
        Tags: Object.entries(change.tagsToAdd).map(([Key, Value]) => ({ Key, Value })),
        AddReplicaRegions: change.addReplicaRegions.length ? change.addReplicaRegions.map((Region) => ({ Region })) : undefined,
      }),
    );
    return { arn: created.ARN!, versionId: created.VersionId };
  }
  const arn = observedArn!;
  let versionId: string | undefined;
  if (change.keysToWrite.length) {
    // Merge into what is stored: keys edge-install was not given keep their values.
    const current = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const merged = { ...(JSON.parse(current.SecretString ?? '{}') as SecretValues) };
    for (const key of change.keysToWrite) merged[key] = values[key]!;
    versionId = (await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(merged) }))).VersionId;
  }
  if (Object.keys(change.tagsToAdd).length) {
    await client.send(new TagResourceCommand({ SecretId: arn, Tags: Object.entries(change.tagsToAdd).map(([Key, Value]) => ({ Key, Value })) }));
  }
  if (change.addReplicaRegions.length) {
    await client.send(new ReplicateSecretToRegionsCommand({ SecretId: arn, AddReplicaRegions: change.addReplicaRegions.map((Region) => ({ Region })) }));
  }
  return { arn, versionId };
}
