/**
 * APPLY for `secret set|rotate`: one new version of the secret, made current only if nobody
 * else changed the secret since the plan read it; then its revisions; then the replica wait.
 *
 * 1. The keys of the version the plan read (plan.versionBefore, by VersionId) are merged with the
 *    one new value, so every other key keeps its value. A secret with no value yet (no version
 *    labelled AWSCURRENT: no versionBefore) merges into {}. A version read that is gone, or that
 *    no longer holds a JSON object (SecretBinary included), is someone else's change: refused.
 * 2. PutSecretValue with VersionStages [PENDING_STAGE]: a new version that is not current yet
 *    ("If you don't include VersionStages, then Secrets Manager automatically moves the staging
 *    label AWSCURRENT to this version": Secrets Manager API reference, PutSecretValue,
 *    https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html —
 *    so giving only our own label leaves AWSCURRENT where it is; the one exception is "If this
 *    operation creates the first version for the secret, then Secrets Manager automatically
 *    attaches the staging label AWSCURRENT to it": a secret without any value, where there is
 *    nothing to clobber). Its ClientRequestToken is made once for this write: it becomes the
 *    version id, and a retried call with the same token and value is ignored, so a retry never
 *    writes two versions. A label a crashed run left on another version moves to this one ("If
 *    you specify a staging label that's already associated with a different version ...,
 *    Secrets Manager removes the label from the other version and attaches it to this version").
 * 3. UpdateSecretVersionStage moves AWSCURRENT to it with RemoveFromVersionId = the version the
 *    plan read (none for a secret that had no value): a compare-and-swap. If AWSCURRENT moved
 *    meanwhile (someone else wrote the secret), Secrets Manager refuses ("If the label is
 *    attached and you either do not specify this parameter, or the version ID does not match,
 *    then the operation fails": API reference, UpdateSecretVersionStage, RemoveFromVersionId;
 *    InvalidParameterException), nothing went live, their value stays current, and our version
 *    has PENDING_STAGE taken off: with no label left it is deprecated, and Secrets Manager
 *    removes it in time. AWSPREVIOUS moves to the version AWSCURRENT left ("Whenever you move
 *    AWSCURRENT, Secrets Manager automatically moves the label AWSPREVIOUS to the version that
 *    AWSCURRENT was removed from": same page).
 * 4. A revision per distribution of the manifest records the pair of versions at once — even
 *    when interrupted — so `rollback` can move AWSCURRENT back. The revisions are built before
 *    step 3, so only the appends stand between the new value going live and its record. Only
 *    then is PENDING_STAGE taken off.
 * 5. The replicas: until each carries the new version, the functions in that region read the old.
 *
 * An interrupt (options.signal) before step 2 writes nothing; one between 2 and 3 takes the
 * new version's label off and makes nothing current; from 3 on, the run finishes recording.
 *
 * The crash window: a process killed between 3 and 4 (SIGKILL, power loss, a full disk) leaves
 * the new value current and unrecorded, so `rollback` does not know it. Nothing is lost:
 * - AWSPREVIOUS is on the version the plan read, which holds the old value;
 * - the new version still carries PENDING_STAGE beside AWSCURRENT, which marks it as written by
 *   a run that did not finish (`aws secretsmanager describe-secret --secret-id NAME` shows the
 *   labels), and `edge-install secret keys` dates the key's change from the version's
 *   creation;
 * - moving the old value back by hand is, with NEW the version carrying both labels and OLD the
 *   one carrying AWSPREVIOUS:
 *     aws secretsmanager update-secret-version-stage --secret-id NAME --region REGION \
 *       --version-stage AWSCURRENT --move-to-version-id OLD --remove-from-version-id NEW
 *   (rollBackSecretCommand; the failure message of a revision that could not be written
 *   prints it filled in), and the label comes off with
 *     aws secretsmanager update-secret-version-stage --secret-id NAME --region REGION \
 *       --version-stage edge-install-pending --remove-from-version-id NEW
 *   or simply moves to the next run's version.
 * No journal covers this: the window is the appends of one revision per distribution.
 *
 * The value is held in memory for the merge and the one call; nothing else sees it.
 */
import { randomUUID } from 'node:crypto';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients.js';
import { isAwsError } from '../aws/errors.js';
import { parseStoredSecret } from '../aws/observe/secret.js';
import type { Timing } from '../aws/polling.js';
import { SECRET_REPLICA_TIMEOUT_MS, waitUntilReplicasCurrent } from '../aws/wait.js';
import { ConflictError, interrupted, RuntimeError } from '../errors.js';
import { ownerTags } from '../manifest/naming.js';
import type { Revision, RevisionDraft } from '../plan/revision.js';
import { PENDING_STAGE, secretChangeRevision, type SecretChangePlan } from '../plan/secret-change.js';
import type { StateStore } from '../state/store.js';
import type { ApplyEvent } from './events.js';
import { rollBackSecretCommand } from './steps/secret.js';

export { PENDING_STAGE };

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

/** A version written (or a secret created), with what the revisions need to record it. */
interface Written {
  versionId: string;
  arn: string;
  /** Already AWSCURRENT: a created secret, or the first version of one that had no value. */
  current: boolean;
}

export async function applySecretChange(clients: AwsClients, plan: SecretChangePlan, value: string, options: SecretChangeOptions): Promise<SecretChangeResult> {
  const nothingWritten = `nothing was written to the secret ${plan.name}`;
  if (options.signal?.aborted) throw interrupted(options.signal, `interrupted before the secret write: ${nothingWritten}`);
  const client = clients.secrets(plan.region);
  const written = plan.create || !plan.arn ? await createSecret(clients, plan, value) : await writePending(clients, plan, plan.arn, value, options.signal);
  const { versionId, arn } = written;

  // Built before the new value goes live, so that only the appends stand between the two.
  const at = new Date();
  const drafts: { distributionId: string; draft: RevisionDraft }[] = plan.records.map((record) => ({
    distributionId: record.distributionId,
    draft: secretChangeRevision(plan, record, { versionId, arn, at, by: options.by, revisions: options.revisions }),
  }));
  if (!written.current) await makeCurrent(clients, plan, arn, versionId, options.signal);

  // Recorded before anything else can stop the run: an interrupt lets this finish.
  const revisions: string[] = [];
  for (const { distributionId, draft } of drafts) {
    try {
      revisions.push((await options.state.appendRevision(draft)).revision);
    } catch (error) {
      const back = plan.versionBefore ? ` To put the old value back by hand: ${rollBackSecretCommand({ name: plan.name, region: plan.region, from: versionId, to: plan.versionBefore })}` : '';
      throw new RuntimeError(
        `the secret ${plan.name} holds the new value (version ${versionId}), but the revision recording it for ${distributionId} could not be written in ${options.state.location} (${(error as Error).message})${revisions.length ? `; recorded for: ${revisions.join(', ')}` : ''}, so rollback cannot move it back there.${back}`,
      );
    }
  }
  // Recorded: the version is an ordinary current one now. Best effort: a label left over moves to the next run's version.
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
      await waitUntilReplicasCurrent(clients, plan, plan.replicaRegions, versionId, { ...options.timing.lambda, timeoutMs: SECRET_REPLICA_TIMEOUT_MS, signal: options.signal, onState });
      if (waited) options.onEvent?.({ type: 'secret-replicated', name: plan.name });
    } catch (error) {
      if (options.signal?.aborted) throw interrupted(options.signal, `interrupted while the new version reaches the replicas: the secret ${plan.name} holds it (version ${versionId}) and it is recorded; Secrets Manager finishes the replication by itself`);
      throw new RuntimeError(`${(error as Error).message.replace(/\.$/, '')}. The secret ${plan.name} holds the new value (version ${versionId}) and it is recorded (${revisions.join(', ') || 'no distribution'}); functions in the regions not yet in sync read the old value until they are.`);
    }
  }
  return {
    ...(plan.versionBefore ? { versionBefore: plan.versionBefore } : {}),
    versionId,
    revisions,
    replicas: plan.replicaRegions.map((region) => ({ region, status: 'InSync' as const })),
  };
}

/** Steps 1–2: the keys read merged with the new value, written as a new version under PENDING_STAGE. */
async function writePending(clients: AwsClients, plan: SecretChangePlan, arn: string, value: string, signal: AbortSignal | undefined): Promise<Written> {
  const client = clients.secrets(plan.region);
  const changed = `the secret ${plan.name} changed after it was read`;
  // The version the plan read, whatever is current now: the swap refuses if that moved.
  const read = plan.versionBefore
    ? await client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: plan.versionBefore })).catch((error: unknown) => {
        // Removed since (a deprecated version Secrets Manager deleted): someone else moved AWSCURRENT off it.
        if (isAwsError(error, 'ResourceNotFoundException')) throw new ConflictError(`${changed} (its version ${plan.versionBefore} is gone); nothing was written to it. Run the command again to change the secret as it is now.`);
        throw error;
      })
    : undefined;
  // Not quoted: the text is a secret. SecretBinary was refused by the plan (exit 2); here it can only be someone else's write since.
  const stored = read ? (read.SecretString === undefined ? undefined : parseStoredSecret(read.SecretString)) : {};
  if (!stored) throw new ConflictError(`${changed}: it no longer holds a JSON object of keys; nothing was written to it. Restore its keys as JSON, then run this again.`);
  if (signal?.aborted) throw interrupted(signal, `interrupted before the secret write: nothing was written to the secret ${plan.name}`);
  const token = randomUUID();
  const written = await client.send(
    new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify({ ...stored, [plan.key]: value }), ClientRequestToken: token, VersionStages: [PENDING_STAGE] }),
  );
  return { versionId: written.VersionId ?? token, arn, current: !!written.VersionStages?.includes('AWSCURRENT') };
}

/** Step 3: AWSCURRENT moved to the new version only if it is still on the version the plan read. */
async function makeCurrent(clients: AwsClients, plan: SecretChangePlan, arn: string, versionId: string, signal: AbortSignal | undefined): Promise<void> {
  const client = clients.secrets(plan.region);
  // Without its label the version is deprecated: Secrets Manager removes it in time. Best effort.
  const unlabel = () =>
    client
      .send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: PENDING_STAGE, RemoveFromVersionId: versionId }))
      .then(() => `the version this run wrote (${versionId}) carries no label, so Secrets Manager treats it as deprecated and removes it in time`)
      .catch(() => `the version this run wrote (${versionId}) still carries the label ${PENDING_STAGE}, which is harmless (nothing reads it) and moves to the next run's version`);
  if (signal?.aborted) throw interrupted(signal, `interrupted before the new value went live: nothing went live in the secret ${plan.name}; ${await unlabel()}`);
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
    throw new ConflictError(
      `the secret ${plan.name} changed after it was read (AWSCURRENT is no longer ${plan.versionBefore ? `version ${plan.versionBefore}` : 'unset: someone stored a first value'}): someone else wrote it, and their value stays current. Nothing went live: ${await unlabel()}. Run the command again to change the secret as it is now.`,
    );
  }
}

/**
 * A secret that did not exist: created holding the one key, tagged as the integration's. If
 * someone created it meanwhile, CreateSecret refuses (ResourceExistsException) and nothing is
 * written: their secret is theirs.
 */
async function createSecret(clients: AwsClients, plan: SecretChangePlan, value: string): Promise<Written> {
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
    return { versionId: created.VersionId ?? token, arn: created.ARN!, current: true };
  } catch (error) {
    if (isAwsError(error, 'ResourceExistsException')) {
      throw new ConflictError(`the secret ${plan.name} was created by someone else after it was read; nothing was written to it. Run the command again to change the secret as it is now.`);
    }
    throw error;
  }
}
