/**
 * Secret step: create the secret, or write only the keys whose values differ. Values are held
 * in memory for the calls that need them and nowhere else: not in argv, output, plans,
 * revisions or logs (the call log middleware never looks at parameters).
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ReplicateSecretToRegionsCommand,
  type ReplicationStatusType,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../../aws/clients.js';
import { parseStoredSecret } from '../../aws/observe/secret.js';
import type { Timing } from '../../aws/polling.js';
import { SECRET_REPLICA_TIMEOUT_MS, waitUntilSecretReplicated } from '../../aws/wait.js';
import type { SecretChange } from '../../plan/resources.js';
import type { SecretRollback } from '../../plan/rollback.js';
import type { SecretValues } from '../../plan/secret-values.js';
import type { ApplyEvent } from '../events.js';
import type { UndoLog } from '../undo.js';

export type { SecretValues };

export interface SecretOutput {
  arn: string;
  versionId?: string;
}

/**
 * How to wait for the replicas this step adds. Without it the step does not wait (init creates
 * the secret long before anything reads it); attach waits, since the distribution it writes
 * next sends traffic to functions that read the nearest replica.
 */
export interface SecretWaitOptions {
  /** Replication takes seconds to minutes: Lambda's polling intervals, with a limit of its own (SECRET_REPLICA_TIMEOUT_MS). */
  timing: Pick<Timing, 'lambda'>;
  onEvent?: (event: ApplyEvent) => void;
}

async function waitForReplicas(clients: AwsClients, change: SecretChange, id: string, wait: SecretWaitOptions | undefined, answered: ReplicationStatusType[] | undefined): Promise<void> {
  if (!wait || !change.addReplicaRegions.length) return;
  let waited = false;
  const onState = (state: string) => {
    waited = true;
    wait.onEvent?.({ type: 'secret-replicating', name: change.name, state });
  };
  // Not cut short by an interrupt: a step in flight finishes (undo.ts), replicas included.
  await waitUntilSecretReplicated(clients, { id, name: change.name, region: change.region }, change.addReplicaRegions, { ...wait.timing.lambda, timeoutMs: SECRET_REPLICA_TIMEOUT_MS, onState }, answered);
  if (waited) wait.onEvent?.({ type: 'secret-replicated', name: change.name });
}

export async function applySecret(clients: AwsClients, change: SecretChange, values: SecretValues, undo: UndoLog, observedArn?: string, wait?: SecretWaitOptions): Promise<SecretOutput> {
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
    undo.push(
      `delete secret ${change.name}`,
      async () => {
        await client.send(new DeleteSecretCommand({ SecretId: created.ARN, ForceDeleteWithoutRecovery: true }));
      },
      { kind: 'integration' },
    );
    await waitForReplicas(clients, change, created.ARN!, wait, created.ReplicationStatus);
    return { arn: created.ARN!, versionId: created.VersionId };
  }
  const arn = observedArn!;
  let versionId: string | undefined;
  if (change.keysToWrite.length) {
    // Merge into what is stored: keys edge-install was not given keep their values.
    const current = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const stored = parseStoredSecret(current.SecretString ?? '{}');
    if (!stored) {
      // It was a JSON object when the plan read it: someone changed it since. Say so without
      // quoting it, and write nothing over it.
      throw new Error(`the secret ${change.name} no longer holds a JSON object of keys (it changed after it was read); nothing was written to it. Restore its keys as JSON, then run this again.`);
    }
    const merged = { ...stored } as SecretValues;
    for (const key of change.keysToWrite) merged[key] = values[key]!;
    versionId = (await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(merged) }))).VersionId;
    // The running functions read this secret: a failed install puts the previous value back.
    const previous = current.SecretString;
    undo.push(`restore the previous value of secret ${change.name}`, async () => {
      await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: previous }));
    });
  }
  if (Object.keys(change.tagsToAdd).length) {
    await client.send(new TagResourceCommand({ SecretId: arn, Tags: Object.entries(change.tagsToAdd).map(([Key, Value]) => ({ Key, Value })) }));
  }
  // Added tags and replica regions are left in place on undo: they change nothing that runs.
  if (change.addReplicaRegions.length) {
    const replicated = await client.send(new ReplicateSecretToRegionsCommand({ SecretId: arn, AddReplicaRegions: change.addReplicaRegions.map((Region) => ({ Region })) }));
    await waitForReplicas(clients, change, arn, wait, replicated.ReplicationStatus);
  }
  return { arn, versionId };
}

/**
 * A rollback of the secret's values: AWSCURRENT moves back to the version the undone change
 * replaced, and Secrets Manager labels the version it leaves AWSPREVIOUS ("Whenever you move
 * AWSCURRENT, Secrets Manager automatically moves the label AWSPREVIOUS to the version that
 * AWSCURRENT was removed from": API reference, UpdateSecretVersionStage). RemoveFromVersionId
 * pins the move: if AWSCURRENT moved since the plan, Secrets Manager refuses it.
 */
export async function rollBackSecret(clients: AwsClients, rollback: SecretRollback): Promise<void> {
  await clients.secrets(rollback.region).send(
    new UpdateSecretVersionStageCommand({ SecretId: rollback.name, VersionStage: 'AWSCURRENT', MoveToVersionId: rollback.to, RemoveFromVersionId: rollback.from }),
  );
}

/** The AWS CLI command that does what rollBackSecret does (for a message when it could not). */
export function rollBackSecretCommand(rollback: SecretRollback): string {
  return `aws secretsmanager update-secret-version-stage --secret-id ${rollback.name} --region ${rollback.region} --version-stage AWSCURRENT --move-to-version-id ${rollback.to} --remove-from-version-id ${rollback.from}`;
}
