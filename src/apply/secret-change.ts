/**
 * APPLY for `secret set|rotate`: one new version of the secret, then its revisions, then the
 * wait for the replicas.
 *
 * 1. The stored keys are read again (GetSecretValue, AWSCURRENT) and merged with the one new
 *    value, so every other key keeps its value. If AWSCURRENT moved since the plan read it
 *    (someone else wrote the secret), nothing is written: the plan was made from another value.
 * 2. PutSecretValue with a ClientRequestToken made once for this write: the token becomes the
 *    version id ("This value becomes the VersionId of the new version"), and a retry with the
 *    same token and value is ignored ("If a version with this value already exists and that
 *    version's SecretString or SecretBinary values are the same as those in the request then
 *    the request is ignored": API reference, PutSecretValue, ClientRequestToken), so a retried
 *    call never writes two versions. The new version gets AWSCURRENT; the one it
 *    replaces gets AWSPREVIOUS.
 * 3. A revision per distribution of the manifest records the pair of versions, at once — even
 *    when interrupted — so `rollback` can move AWSCURRENT back.
 * 4. The replicas: until each carries the new version, the functions in that region read the old.
 *
 * The value is held in memory for the merge and the one call; nothing else sees it.
 */
import { randomUUID } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients.js';
import { parseStoredSecret } from '../aws/observe/secret.js';
import type { Timing } from '../aws/polling.js';
import { waitUntilReplicasCurrent } from '../aws/wait.js';
import { ConflictError, interrupted, RuntimeError } from '../errors.js';
import type { Revision } from '../plan/revision.js';
import { secretChangeRevision, type SecretChangePlan } from '../plan/secret-change.js';
import type { StateStore } from '../state/store.js';
import type { ApplyEvent } from './events.js';
import { rollBackSecretCommand } from './steps/secret.js';

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
  const client = clients.secrets(plan.region);
  const current = await client.send(new GetSecretValueCommand({ SecretId: plan.arn }));
  if (current.VersionId !== plan.versionBefore) {
    throw new ConflictError(
      `the secret ${plan.name} changed after it was read (AWSCURRENT is version ${current.VersionId ?? '(none)'}, not ${plan.versionBefore ?? '(none)'}); nothing was written. Run the command again to change the secret as it is now.`,
    );
  }
  const stored = parseStoredSecret(current.SecretString ?? '{}');
  // Not quoted: the text is a secret.
  if (!stored) throw new ConflictError(`the secret ${plan.name} no longer holds a JSON object of keys; nothing was written to it. Restore its keys as JSON, then run this again.`);
  const token = randomUUID();
  const written = await client.send(new PutSecretValueCommand({ SecretId: plan.arn, SecretString: JSON.stringify({ ...stored, [plan.key]: value }), ClientRequestToken: token }));
  const versionId = written.VersionId ?? token;

  // Recorded before anything else can stop the run: an interrupt lets this finish.
  const at = new Date();
  const revisions: string[] = [];
  for (const record of plan.records) {
    try {
      const revision = await options.state.appendRevision(secretChangeRevision(plan, record, { versionId, at, by: options.by, revisions: options.revisions }));
      revisions.push(revision.revision);
    } catch (error) {
      const back = plan.versionBefore ? ` To put the old value back by hand: ${rollBackSecretCommand({ name: plan.name, region: plan.region, from: versionId, to: plan.versionBefore })}` : '';
      throw new RuntimeError(
        `the secret ${plan.name} holds the new value (version ${versionId}), but the revision recording it for ${record.distributionId} could not be written in ${options.state.location} (${(error as Error).message})${revisions.length ? `; recorded for: ${revisions.join(', ')}` : ''}, so rollback cannot move it back there.${back}`,
      );
    }
  }
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
