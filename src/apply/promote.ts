/**
 * APPLY for `promote`, per primary: the revision it will record goes into the write-ahead
 * journal, then one UpdateDistributionWithStagingConfig pinned to both ETags (`If-Match:
 * "<primary>, <staging>"`), the revision stored, then the (now disabled) policy detached from
 * the primary — a write that changes only ContinuousDeploymentPolicyId, so that outside a
 * canary the primary carries no policy of the integration and every other command works on it
 * as usual; the policy itself stays, disabled, for the next canary — and the wait for Deployed.
 */
import { UpdateDistributionCommand, UpdateDistributionWithStagingConfigCommand } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../aws/clients.js';
import { describeAwsError, isAwsError } from '../aws/errors.js';
import { callerArn } from '../aws/observe/caller.js';
import { observeDistribution } from '../aws/observe/distribution.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { ConflictError, RuntimeError } from '../errors.js';
import type { PromotePlan, PromoteTarget } from '../plan/canary-end.js';
import { buildRevision, knownFunctions } from '../plan/revision.js';
import type { ApplyRuntime } from './events.js';
import { inTurn } from './in-turn.js';

export interface PromoteApplyOptions extends ApplyRuntime {
  wait: boolean;
  waitTimeoutSeconds: number;
}

export interface Promoted {
  id: string;
  stagingId: string;
  etag: string;
  status: string;
  revision: string;
}

async function promoteOne(clients: AwsClients, plan: PromotePlan, target: PromoteTarget, options: PromoteApplyOptions): Promise<Promoted> {
  const { primary, staging } = target;
  const last = plan.inputs.revisions.filter((r) => r.distributionId === primary.id).at(-1);
  const draft = buildRevision({
    kind: 'promote',
    // Who: read once per run (the gather started it), never a reason to stop (caller.ts).
    by: await callerArn(clients),
    integration: plan.integration,
    distributionId: primary.id,
    at: new Date(),
    etagBefore: primary.etag,
    etagAfter: '',
    written: target.plan,
    known: knownFunctions(plan.inputs.revisions),
    cachePolicies: { ...last?.cachePolicies, ...target.cachePolicies },
    // The secret the promoted functions read (a canary never writes its values: canary.ts refuses that).
    ...(plan.inputs.manifest.secret
      ? { secret: { name: plan.inputs.manifest.secret.name, region: plan.inputs.manifest.secret.region, ...(last?.secret?.arn ? { arn: last.secret.arn } : {}), ...(last?.secret?.versionId ? { versionId: last.secret.versionId } : {}) } }
      : {}),
    adopted: last?.adopted,
  });
  const pendingId = await options.state.putPending({ draft });
  let etag: string;
  let status: string;
  try {
    const out = await clients.cloudfront.send(new UpdateDistributionWithStagingConfigCommand({ Id: primary.id, StagingDistributionId: staging.id, IfMatch: `${primary.etag}, ${staging.etag}` }));
    etag = out.ETag!;
    status = out.Distribution?.Status ?? 'InProgress';
  } catch (error) {
    // The journal entry stays: an answer lost after CloudFront took the promote (a retry then
    // meets PreconditionFailed) is recorded by the next command, and one that never took effect
    // is dropped by it (src/plan/reconcile.ts) — as for any distribution write.
    if (isAwsError(error, 'PreconditionFailed')) {
      throw new ConflictError(`CloudFront refused the promote of ${primary.id}: it or its staging copy ${staging.id} changed since the plan was made. Run edge-install status, then promote again and review (if an earlier attempt went through, the next command records it).`);
    }
    throw error;
  }
  options.onEvent?.({ type: 'promoted', id: primary.id, stagingId: staging.id, etag });
  let revision;
  try {
    revision = await options.state.appendRevision({ ...draft, writeId: pendingId, createdAt: new Date().toISOString(), etagAfter: etag });
  } catch (error) {
    throw new RuntimeError(`${primary.id} is promoted (ETag ${etag}), but its revision could not be recorded in ${options.state.location} (${(error as Error).message}); the next command records it from the journal. Once ${options.state.location} can be written again, check with edge-install status`);
  }
  await options.state.clearPending(plan.integration, [pendingId]).catch(() => undefined);
  // The policy CloudFront just disabled comes off the primary: only that member changes.
  const left = (why: string) =>
    new RuntimeError(`${primary.id} is promoted and recorded (revision ${revision.revision}), but its disabled policy ${target.policy.id} is still attached (${why}); it routes nothing. The next attach --canary reuses it, abort detaches it`);
  const cause = (error: unknown) => describeAwsError(error)?.what.replace(/\.$/, '') ?? (error as Error).message;
  const promoted = await observeDistribution(clients, primary.id).catch((error: unknown) => {
    throw left(cause(error));
  });
  if (promoted.unknownMembers.length) throw left(`the primary now has settings this edition cannot read: ${promoted.unknownMembers.join(', ')}`);
  if (promoted.config.ContinuousDeploymentPolicyId) {
    try {
      const out = await clients.cloudfront.send(new UpdateDistributionCommand({ Id: primary.id, IfMatch: promoted.etag, DistributionConfig: { ...promoted.config, ContinuousDeploymentPolicyId: '' } }));
      etag = out.ETag!;
      status = out.Distribution?.Status ?? status;
    } catch (error) {
      throw left(cause(error));
    }
    options.onEvent?.({ type: 'policy-detached', id: primary.id, policyId: target.policy.id });
  }
  if (options.wait && !options.signal?.aborted) {
    options.onEvent?.({ type: 'waiting', id: primary.id });
    await waitUntilDeployed(clients, primary.id, { ...options.timing.deploy, timeoutMs: options.waitTimeoutSeconds * 1000, signal: options.signal }, `--wait-timeout ${options.waitTimeoutSeconds}`);
    status = 'Deployed';
    options.onEvent?.({ type: 'deployed', id: primary.id });
  }
  return { id: primary.id, stagingId: staging.id, etag, status, revision: revision.revision };
}

/** One primary at a time, so a failure says exactly which are promoted. */
export function applyPromote(clients: AwsClients, plan: PromotePlan, options: PromoteApplyOptions): Promise<Promoted[]> {
  return inTurn(plan.targets, options.signal, 'promoted', (target) => promoteOne(clients, plan, target, options));
}
