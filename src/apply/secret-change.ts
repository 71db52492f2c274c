/**
 * APPLY for `secret set|rotate`: one new version of the secret, made current only if nobody
 * else changed the secret since the plan read it; then its revisions; then the replica wait.
 *
 * 1. The keys of the version the plan read (plan.versionBefore, by VersionId) are merged with the
 *    one new value, so every other key keeps its value.
 * 2. PutSecretValue with VersionStages [PENDING_STAGE]: a new version that is not current yet
 *    ("If you don't include VersionStages, then Secrets Manager automatically moves the staging
 *    label AWSCURRENT to this version": API reference, PutSecretValue — so giving only our own
 *    label leaves AWSCURRENT where it is). Its ClientRequestToken is made once for this write:
 *    it becomes the version id, and a retried call with the same token and value is ignored, so
 *    a retry never writes two versions. A label a crashed run left on another version moves to
 *    this one ("If you specify a staging label that's already associated with a different
 *    version ..., Secrets Manager removes the label from the other version").
 * 3. UpdateSecretVersionStage moves AWSCURRENT to it with RemoveFromVersionId = the version the
 *    plan read: a compare-and-swap. If AWSCURRENT moved meanwhile (someone else wrote the
 *    secret), Secrets Manager refuses (InvalidParameterException: the label is attached to
 *    another version), nothing went live, and their value stays current. AWSPREVIOUS moves to
 *    the version AWSCURRENT left ("Whenever you move AWSCURRENT, Secrets Manager automatically
 *    moves the label AWSPREVIOUS": API reference, UpdateSecretVersionStage).
 * 4. A revision per distribution of the manifest records the pair of versions at once — even
 *    when interrupted — so `rollback` can move AWSCURRENT back. Only then is PENDING_STAGE taken
 *    off. A process killed between 3 and 4 (SIGKILL, power) leaves the new value current and
 *    unrecorded: nothing is lost (AWSPREVIOUS holds the old value, the version still carries
 *    PENDING_STAGE, `secret keys` dates the change), and the failure message's command moves it
 *    back by hand. No journal covers this: the window is one call long.
 * 5. The replicas: until each carries the new version, the functions in that region read the old.
 *
 * The value is held in memory for the merge and the one call; nothing else sees it.
 */
import { randomUUID } from 'node:crypto';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients.js';
import { isAwsError } from '../aws/errors.js';
import { parseStoredSecret } from '../aws/observe/secret.js';
import type { Timing } from '../aws/polling.js';
import { waitUntilReplicasCurrent } from '../aws/wait.js';
import { ConflictError, interrupted, RuntimeError } from '../errors.js';
import { ownerTags } from '../manifest/naming.js';
import type { Revision } from '../plan/revision.js';
import { secretChangeRevision, type SecretChangePlan } from '../plan/secret-change.js';
import type { StateStore } from '../state/store.js';
import type { ApplyEvent } from './events.js';
import { rollBackSecretCommand } from './steps/secret.js';

/** The label of a version written but not yet made current (or made current and not yet recorded). */
export const PENDING_STAGE = 'edge-install-pending';

export interface SecretChangeOptions {
  state: StateStore;
  timing: Timing;
  /** Who runs it (the revisions' `by`). */
  by?: string;
  /** Every revision of the integration (the function versions they know). */
  revisions: readonly Revision[];
  signal?: AbortSignal;
  /** Told while the new version reaches the replicas (the same events as attach's replica wait: progress shows them). */
  onEvent?: (event: ApplyEvent) => void;
}

export interface SecretChangeResult {
  versionBefore?: string;
  versionId: string;
  revisions: string[];
  replicas: { region: string; status: 'InSync' }[];
}

export async function applySecretChange(clients: AwsClients, plan: SecretChangePlan, value: string, options: SecretChangeOptions): Promise<SecretChangeResult> {
  if (options.signal?.aborted) throw interrupted(options.signal, `interrupted before the secret write: nothing was written to the secret ${plan.name}`);
  const { versionId, arn } = plan.create || !plan.arn ? await createSecret(clients, plan, value) : await swapInNewVersion(clients, plan, plan.arn, value);
  const client = clients.secrets(plan.region);

  // Recorded before anything else can stop the run: an interrupt lets this finish.
  const at = new Date();
  const revisions: string[] = [];
  for (const record of plan.records) {
    try {
      const revision = await options.state.appendRevision(secretChangeRevision(plan, record, { versionId, arn, at, by: options.by, revisions: options.revisions }));
      revisions.push(revision.revision);
    } catch (error) {
      const back = plan.versionBefore ? ` To put the old value back by hand: ${rollBackSecretCommand({ name: plan.name, region: plan.region, from: versionId, to: plan.versionBefore })}` : '';
      throw new RuntimeError(
        `the secret ${plan.name} holds the new value (version ${versionId}), but the revision recording it for ${record.distributionId} could not be written in ${options.state.location} (${(error as Error).message})${revisions.length ? `; recorded for: ${revisions.join(', ')}` : ''}, so rollback cannot move it back there.${back}`,
      );
    }
  }
  // Recorded: the version is an ordinary current one now.
  if (!plan.create) await client.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: PENDING_STAGE, RemoveFromVersionId: versionId })).catch(() => undefined);
  if (options.signal?.aborted) {
    throw interrupted(options.signal, `interrupted: the secret ${plan.name} holds the new value (version ${versionId}) and it is recorded (${revisions.join(', ') || 'no distribution'}); edge-install rollback moves it back`);
  }
  if (plan.replicaRegions.length) {
    let waited = false;
    const onState = (state: string) => {
      waited = true;
      options.onEvent?.({ type: 'secret-replicating', name: plan.name, state });
    };
    try {
      await waitUntilReplicasCurrent(clients, plan, plan.replicaRegions, versionId, { ...options.timing.lambda, signal: options.signal, onState });
      if (waited) options.onEvent?.({ type: 'secret-replicated', name: plan.name });
    } catch (error) {
      if (options.signal?.aborted) throw interrupted(options.signal, `interrupted while the new version reaches the replicas: the secret ${plan.name} holds it (version ${versionId}) and it is recorded; Secrets Manager finishes the replication by itself`);
      throw new RuntimeError(`${(error as Error).message}. The secret ${plan.name} holds the new value (version ${versionId}) and it is recorded (${revisions.join(', ') || 'no distribution'}); functions in the regions not yet in sync read the old value until they are.`);
    }
  }
  return {
    ...(plan.versionBefore ? { versionBefore: plan.versionBefore } : {}),
    versionId,
    revisions,
    replicas: plan.replicaRegions.map((region) => ({ region, status: 'InSync' as const })),
  };
}

/** Steps 1–3: the new version written under PENDING_STAGE, then made current only if the version read still is. */
async function swapInNewVersion(clients: AwsClients, plan: SecretChangePlan, arn: string, value: string): Promise<{ versionId: string; arn: string }> {
  const client = clients.secrets(plan.region);
  // The version the plan read, whatever is current now: the swap refuses if that moved.
  const read = plan.versionBefore ? await client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: plan.versionBefore })) : undefined;
  // Not quoted: the text is a secret. (SecretBinary was refused by the plan; checked again here.)
  const stored = read ? (read.SecretString === undefined ? undefined : parseStoredSecret(read.SecretString)) : {};
  if (!stored) throw new ConflictError(`the secret ${plan.name} no longer holds a JSON object of keys; nothing was written to it. Restore its keys as JSON, then run this again.`);
  const token = randomUUID();
  const written = await client.send(
    new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify({ ...stored, [plan.key]: value }), ClientRequestToken: token, VersionStages: [PENDING_STAGE] }),
  );
  const versionId = written.VersionId ?? token;
  const moved = await client
    .send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: versionId, ...(plan.versionBefore ? { RemoveFromVersionId: plan.versionBefore } : {}) }))
    .then(() => true)
    .catch((error: unknown) => {
      // AWSCURRENT is on another version; or the version read is gone altogether (moved off and
      // removed as deprecated, ResourceNotFoundException): either way someone else wrote it.
      if (isAwsError(error, 'InvalidParameterException', 'ResourceNotFoundException')) return false;
      throw error;
    });
  if (!moved) {
    // Unlabelled, the version is deprecated: Secrets Manager removes it in time. Best effort.
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: PENDING_STAGE, RemoveFromVersionId: versionId })).catch(() => undefined);
    throw new ConflictError(
      `the secret ${plan.name} changed after it was read (AWSCURRENT is no longer version ${plan.versionBefore ?? '(none)'}): someone else wrote it, and their value stays current. Nothing went live. Run the command again to change the secret as it is now.`,
    );
  }
  return { versionId, arn };
}

/**
 * A secret that did not exist: created holding the one key, tagged as the integration's. If
 * someone created it meanwhile, CreateSecret refuses (ResourceExistsException) and nothing is
 * written: their secret is theirs.
 */
async function createSecret(clients: AwsClients, plan: SecretChangePlan, value: string): Promise<{ versionId: string; arn: string }> {
  const token = randomUUID();
  try {
    const created = await clients.secrets(plan.region).send(
      new CreateSecretCommand({
        Name: plan.name,
        SecretString: JSON.stringify({ [plan.key]: value }),
        ClientRequestToken: token,
        Description: 'Managed by edge-install',
        Tags: Object.entries(ownerTags(plan.integration)).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return { versionId: created.VersionId ?? token, arn: created.ARN! };
  } catch (error) {
    if (isAwsError(error, 'ResourceExistsException')) {
      throw new ConflictError(`the secret ${plan.name} was created by someone else after it was read; nothing was written to it. Run the command again to change the secret as it is now.`);
    }
    throw error;
  }
}
