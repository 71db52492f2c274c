/**
 * APPLY for `abort`, per primary: the integration's policy disabled (canary traffic goes back
 * to the primary at once), then one write of the primary that detaches it — and, after a
 * canary phase 1, takes its behaviors back off (recorded as a rollback) — then, with
 * --delete-staging, the policy deleted and the staging copy disabled, awaited and deleted
 * (CloudFront refuses to disable or delete a staging distribution a policy still names).
 */
import {
  DeleteContinuousDeploymentPolicyCommand,
  DeleteDistributionCommand,
  GetContinuousDeploymentPolicyCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../aws/clients.js';
import { isAwsError } from '../aws/errors.js';
import { observeDistribution } from '../aws/observe/distribution.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { ConflictError, interrupted } from '../errors.js';
import type { AbortPlan, AbortTarget } from '../plan/canary-end.js';
import { planRestore } from '../plan/restore.js';
import { knownFunctions } from '../plan/revision.js';
import type { ApplyRuntime } from './events.js';
import { inTurn } from './in-turn.js';
import { writeAndRecord } from './record.js';

export interface AbortApplyOptions extends ApplyRuntime {
  wait: boolean;
  waitTimeoutSeconds: number;
}

export interface Aborted {
  id: string;
  etag: string;
  status: string;
  /** The rollback revision, when phase 1 was taken back. */
  revision?: string;
  deletedStaging?: string;
  /** Phase-1 behaviors left on the primary: this state dir has no revision of them. */
  unrecordedPhaseOne: string[];
}

async function disablePolicy(clients: AwsClients, id: string): Promise<void> {
  // Read again: the policy's ETag changes with every update, CloudFront's own (a promote) included.
  const current = await clients.cloudfront.send(new GetContinuousDeploymentPolicyCommand({ Id: id }));
  const config = current.ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!;
  if (config.Enabled === false) return;
  await clients.cloudfront.send(new UpdateContinuousDeploymentPolicyCommand({ Id: id, IfMatch: current.ETag, ContinuousDeploymentPolicyConfig: { ...config, Enabled: false } }));
}

async function abortOne(clients: AwsClients, plan: AbortPlan, target: AbortTarget, options: AbortApplyOptions): Promise<Aborted> {
  const { primary } = target;
  const deploy = { ...options.timing.deploy, timeoutMs: options.waitTimeoutSeconds * 1000, signal: options.signal };
  let etag = primary.etag;
  let status = primary.status;
  let revision: string | undefined;
  const detached = (config: typeof primary.config) => (target.detach ? { ...config, ContinuousDeploymentPolicyId: '' } : config);
  // Canary traffic stops first (a policy update, no deployment), then the primary's one write.
  if (target.detach && target.policy) await disablePolicy(clients, target.policy.id);
  if (target.restore) {
    // One write: the policy off, and phase 1's behaviors with it — recorded, as a rollback.
    const { request, plan: approved } = target.restore;
    const replan = (o: typeof primary) => {
      const p = planRestore(request, o);
      return { ...p, config: detached(p.config) };
    };
    const done = await writeAndRecord(
      clients,
      { approved: { ...approved, config: detached(approved.config) }, observed: primary, replan, revision: { kind: 'rollback', integration: plan.integration, known: knownFunctions(plan.inputs.revisions) } },
      options,
    );
    if (done) {
      etag = done.written.etagAfter;
      status = done.written.status;
      revision = done.revision.revision;
    }
  } else if (target.detach) {
    try {
      // Exactly the primary as read, without the policy: byte for byte what it was before the canary.
      const out = await clients.cloudfront.send(new UpdateDistributionCommand({ Id: primary.id, IfMatch: primary.etag, DistributionConfig: detached(primary.config) }));
      etag = out.ETag!;
      status = out.Distribution?.Status ?? 'InProgress';
    } catch (error) {
      if (isAwsError(error, 'PreconditionFailed')) throw new ConflictError(`${primary.id} changed since the plan was made; the policy is disabled (no canary traffic flows) but still attached. Run abort again.`);
      throw error;
    }
  }
  if (target.detach && target.policy) options.onEvent?.({ type: 'policy-detached', id: primary.id, policyId: target.policy.id });
  let deletedStaging: string | undefined;
  if (target.staging) {
    if (options.signal?.aborted) throw interrupted(options.signal, `interrupted: ${primary.id} is aborted; its staging copy ${target.staging.id} is not deleted (run abort --delete-staging again)`);
    if (target.policy) {
      const current = await clients.cloudfront.send(new GetContinuousDeploymentPolicyCommand({ Id: target.policy.id }));
      await clients.cloudfront.send(new DeleteContinuousDeploymentPolicyCommand({ Id: target.policy.id, IfMatch: current.ETag }));
      options.onEvent?.({ type: 'deleted', resource: `continuous-deployment-policy:${target.policy.id}` });
    }
    let staging = await observeDistribution(clients, target.staging.id);
    if (staging.config.Enabled !== false) {
      await clients.cloudfront.send(new UpdateDistributionCommand({ Id: staging.id, IfMatch: staging.etag, DistributionConfig: { ...staging.config, Enabled: false } }));
    }
    // A distribution is deleted only once disabled and Deployed (API reference, DeleteDistribution).
    options.onEvent?.({ type: 'waiting', id: staging.id });
    await waitUntilDeployed(clients, staging.id, deploy, `--wait-timeout ${options.waitTimeoutSeconds}`);
    options.onEvent?.({ type: 'deployed', id: staging.id });
    staging = await observeDistribution(clients, staging.id);
    await clients.cloudfront.send(new DeleteDistributionCommand({ Id: staging.id, IfMatch: staging.etag }));
    deletedStaging = staging.id;
    options.onEvent?.({ type: 'deleted', resource: `distribution:${staging.id}` });
  }
  if (options.wait && etag !== primary.etag && !options.signal?.aborted) {
    options.onEvent?.({ type: 'waiting', id: primary.id });
    await waitUntilDeployed(clients, primary.id, deploy, `--wait-timeout ${options.waitTimeoutSeconds}`);
    status = 'Deployed';
    options.onEvent?.({ type: 'deployed', id: primary.id });
  }
  return { id: primary.id, etag, status, ...(revision ? { revision } : {}), ...(deletedStaging ? { deletedStaging } : {}), unrecordedPhaseOne: target.unrecordedPhaseOne };
}

/** One primary at a time, so a failure says exactly which canaries are ended. */
export function applyAbort(clients: AwsClients, plan: AbortPlan, options: AbortApplyOptions): Promise<Aborted[]> {
  return inTurn(plan.targets, options.signal, 'aborted', (target) => abortOne(clients, plan, target, options));
}
