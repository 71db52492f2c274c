/**
 * APPLY for `attach --canary`: the resource steps as for any attach, then per primary —
 *   1. phase 1, when the change adds behaviors: the new origins and behaviors, without their
 *      triggers, written to the primary and recorded like any attach (so rollback undoes it);
 *   2. the integration's staging copy: made with CopyDistribution (tagged as the integration's
 *      copy of that primary) or reused, and given the change (UpdateDistribution, If-Match);
 *   3. the continuous deployment policy naming the copy: created or updated (enabled, the
 *      canary's traffic);
 *   4. the policy attached to the primary: one write that changes only ContinuousDeploymentPolicyId
 *      (none when it is attached already);
 *   5. the wait for both to be Deployed.
 *
 * Nothing live changes for viewers outside the canary's share. Everything the canary is lives
 * in AWS (the tagged copy, the policy on the primary): there is no revision for it, since the
 * primary's owned parts do not change until the promote, which is recorded. A failure before
 * any distribution was written undoes the resource steps (versions a staging copy uses are in
 * use, and kept); after, what was done stays and the message says how to go on.
 */
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  TagResourceCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
  type ContinuousDeploymentPolicyConfig,
} from '@aws-sdk/client-cloudfront';
import { randomBytes } from 'node:crypto';
import type { AwsClients } from '../aws/clients.js';
import { isAwsError } from '../aws/errors.js';
import { encodePatterns, PHASE_ONE_TAG, STAGING_OF_TAG, stagingReferencePrefix } from '../aws/observe/canary.js';
import { observeDistribution, type ObservedDistribution } from '../aws/observe/distribution.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { ConflictError, interrupted, RuntimeError } from '../errors.js';
import { OWNER_TAG } from '../manifest/naming.js';
import { phaseOnePlan, stagingConfig, type CanaryAttachPlan, type CanaryTarget } from '../plan/canary.js';
import { trafficConfig } from '../plan/canary-traffic.js';
import { formatAddress } from '../plan/addresses.js';
import { planAttachDistribution } from '../plan/attach.js';
import { incompatibilities } from '../plan/compatible.js';
import type { DistributionPlan } from '../plan/distribution.js';
import { containsUnknown } from '../plan/unknown.js';
import { settleWithLimit } from '../concurrency.js';
import { applyAttachResources, type AttachApplyOptions, type AppliedResources } from './attach.js';
import { writeAndRecord } from './record.js';
import { step } from './undo.js';

export interface CanaryResult {
  primaryId: string;
  ok: boolean;
  /** The primary was written (phase 1, or the policy attached). */
  written: boolean;
  stagingId?: string;
  stagingDomain?: string;
  policyId?: string;
  /** Phase 1's revision, when there was one. */
  revision?: string;
  status?: string;
  error?: Error;
}

export interface CanaryApplyResult {
  distributions: CanaryResult[];
}

/** The canary could not be set up after something was written: what stands, and how to go on. */
export class CanaryIncompleteError extends RuntimeError {}

function tagStaging(clients: AwsClients, integration: string, arn: string, primaryId: string, phaseOne: readonly string[]) {
  const items = [{ Key: OWNER_TAG, Value: integration }, { Key: STAGING_OF_TAG, Value: primaryId }, ...(phaseOne.length ? [{ Key: PHASE_ONE_TAG, Value: encodePatterns(phaseOne) }] : [])];
  return clients.cloudfront.send(new TagResourceCommand({ Resource: arn, Tags: { Items: items } }));
}

/** The behaviors phase 1 added, with those an earlier phase 1 of this copy's canaries added (the tag keeps them all). */
function phaseOnePatterns(target: CanaryTarget, earlier: readonly string[]): string[] {
  const added = (target.phaseOne?.changes ?? []).flatMap((c) => (c.address.kind === 'behavior' ? [c.address.pattern] : []));
  return added.length ? [...earlier, ...added] : [];
}

/** Writes the staging copy's config (made first, when there is none): its id, domain and ETag after. */
async function putStaging(clients: AwsClients, plan: CanaryAttachPlan, target: CanaryTarget, primary: ObservedDistribution, config: DistributionPlan['config']) {
  const observed = plan.canary.observed[target.primaryId]!;
  if (target.staging.action === 'update') {
    const current = observed.staging!;
    // A copy a killed run made but never tagged (found by its CallerReference): tagged now; and what this phase 1 added.
    const phaseOne = phaseOnePatterns(target, current.phaseOnePatterns);
    if (!current.tagged || phaseOne.length) await tagStaging(clients, plan.integration, current.arn, primary.id, phaseOne);
    try {
      const out = await clients.cloudfront.send(new UpdateDistributionCommand({ Id: current.id, IfMatch: current.etag, DistributionConfig: stagingConfig(config, current.config.CallerReference ?? '') }));
      return { id: current.id, arn: current.arn, domainName: current.domainName, etag: out.ETag!, created: false };
    } catch (error) {
      if (isAwsError(error, 'PreconditionFailed')) throw new ConflictError(`the staging copy ${current.id} was changed since the plan was made; nothing more was written. Run attach --canary again.`);
      throw error;
    }
  }
  // A reference of its own per copy (CloudFront refuses a reused one: DistributionAlreadyExists), which names its integration and primary.
  const callerReference = `${stagingReferencePrefix(plan.integration, primary.id)}${randomBytes(6).toString('hex')}`;
  const copy = await clients.cloudfront.send(
    new CopyDistributionCommand({ PrimaryDistributionId: primary.id, IfMatch: primary.etag, Staging: true, CallerReference: callerReference, Enabled: primary.config.Enabled }),
  );
  const made = copy.Distribution!;
  // Tagged at once: what the console shows, and how every later command (on any machine) finds the copy.
  await tagStaging(clients, plan.integration, made.ARN!, primary.id, phaseOnePatterns(target, []));
  const out = await clients.cloudfront.send(new UpdateDistributionCommand({ Id: made.Id!, IfMatch: copy.ETag!, DistributionConfig: stagingConfig(config, made.DistributionConfig!.CallerReference ?? callerReference) }));
  return { id: made.Id!, arn: made.ARN!, domainName: made.DomainName!, etag: out.ETag!, created: true };
}

async function putPolicy(clients: AwsClients, plan: CanaryAttachPlan, target: CanaryTarget, stagingDomain: string): Promise<string> {
  const config: ContinuousDeploymentPolicyConfig = {
    StagingDistributionDnsNames: { Quantity: 1, Items: [stagingDomain] },
    Enabled: true,
    TrafficConfig: trafficConfig(target.traffic),
  };
  if (target.policy.action === 'update') {
    const current = plan.canary.observed[target.primaryId]!.policy!;
    await clients.cloudfront.send(new UpdateContinuousDeploymentPolicyCommand({ Id: current.id, IfMatch: current.etag, ContinuousDeploymentPolicyConfig: config }));
    return current.id;
  }
  const out = await clients.cloudfront.send(new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: config }));
  return out.ContinuousDeploymentPolicy!.Id!;
}

export async function applyCanary(clients: AwsClients, plan: CanaryAttachPlan, options: AttachApplyOptions): Promise<CanaryApplyResult> {
  const applied: AppliedResources = await applyAttachResources(clients, plan, options);
  const { replan, revisionFacts, abort } = applied;
  const owner = { integration: plan.integration, functionNames: plan.inputs.ownedFunctionNames, originKeys: Object.keys(plan.inputs.manifest.origins) };

  const canaryOne = async (target: CanaryTarget): Promise<CanaryResult> => {
    const index = plan.distributions.findIndex((d) => d.id === target.primaryId);
    const approved = plan.distributions[index]!;
    let primary = plan.inputs.distributions[index]!;
    const result: CanaryResult = { primaryId: primary.id, ok: false, written: false };
    const revisions = [...plan.inputs.revisions];
    const previous = revisions.filter((r) => r.distributionId === primary.id).at(-1)?.ownedAfter;
    try {
      if (options.signal?.aborted) throw interrupted(options.signal);
      // 1. Phase 1: the new behaviors on the primary, without triggers; recorded, so rollback undoes it.
      if (target.phaseOne) {
        const phaseOneOf = (o: ObservedDistribution): DistributionPlan => {
          const planned = phaseOnePlan(replan(o), o.config, owner, previous);
          if (!planned) throw new ConflictError(`${o.id}: the behaviors the canary's phase 1 adds exist on the primary now; nothing was written. Run plan again.`);
          return planned;
        };
        const done = await step(`distribution ${primary.id} (canary phase 1)`, () => writeAndRecord(clients, { approved: target.phaseOne!, observed: primary, replan: phaseOneOf, revision: { ...revisionFacts, canaryPhaseOne: true } }, options));
        if (done) {
          result.written = true;
          result.revision = done.revision.revision;
          // The behaviors phase 1 made are the integration's: the staged change is planned knowing it.
          revisions.push(done.revision);
        }
        primary = await observeDistribution(clients, primary.id);
      }
      // 2. The change, planned again with the real versions on the primary as it is now: what the staging copy gets.
      const change = planAttachDistribution({ ...plan.inputs, revisions }, plan.options, primary, applied.versions, applied.outputs.cachePolicyIds);
      const blocking = [...change.conflicts, ...change.errors];
      if (blocking.length) throw new ConflictError(`${primary.id}: ${blocking.join('; ')}`);
      const phaseOne = new Set((target.phaseOne?.changes ?? []).map((c) => formatAddress(c.address)));
      const staged = approved.changes.filter((c) => !phaseOne.has(formatAddress(c.address)));
      const differences = incompatibilities(staged, change.changes, { ignorePositions: !!target.phaseOne });
      if (differences.length) throw new ConflictError(`the change to ${primary.id} is no longer the one that was approved (${differences.join('; ')}). The canary was not started; run plan again and review.`);
      if (change.changes.some((c) => c.address.kind === 'behavior' && c.action === 'create')) throw new Error(`internal error: the staged change to ${primary.id} still adds a behavior`);
      if (containsUnknown(change.config)) throw new Error(`internal error: the config for ${primary.id} still holds a value not known until apply`);
      const staging = await step(`staging copy of ${primary.id}`, () => putStaging(clients, plan, target, primary, change.config));
      result.stagingId = staging.id;
      result.stagingDomain = staging.domainName;
      options.onEvent?.({ type: 'staging-written', id: staging.id, arn: staging.arn, primaryId: primary.id, created: staging.created });
      // 3. The policy, then (once the copy runs the change everywhere) 4. attached to the primary.
      const policyId = await step(`continuous deployment policy for ${primary.id}`, () => putPolicy(clients, plan, target, staging.domainName));
      result.policyId = policyId;
      options.onEvent?.({ type: 'policy-written', id: policyId, primaryId: primary.id, traffic: target.traffic });
      const deploy = { ...options.timing.deploy, timeoutMs: options.waitTimeoutSeconds * 1000, signal: options.signal };
      if (options.wait && !options.signal?.aborted) {
        options.onEvent?.({ type: 'waiting', id: staging.id });
        await waitUntilDeployed(clients, staging.id, deploy, `--wait-timeout ${options.waitTimeoutSeconds}`);
        options.onEvent?.({ type: 'deployed', id: staging.id });
      }
      if (options.signal?.aborted) throw interrupted(options.signal);
      if (target.attachPolicy) {
        await step(`distribution ${primary.id} (policy)`, async () => {
          try {
            // Exactly the primary as read, with the policy: one write, nothing else changes.
            const out = await clients.cloudfront.send(new UpdateDistributionCommand({ Id: primary.id, IfMatch: primary.etag, DistributionConfig: { ...primary.config, ContinuousDeploymentPolicyId: policyId } }));
            result.status = out.Distribution?.Status;
          } catch (error) {
            if (isAwsError(error, 'PreconditionFailed')) throw new ConflictError(`${primary.id} was changed by someone else meanwhile, so the policy was not attached and no canary traffic flows; the staging copy ${staging.id} is ready. Run attach --canary again.`);
            throw error;
          }
        });
        result.written = true;
        options.onEvent?.({ type: 'policy-attached', id: primary.id, policyId });
      }
      if (options.wait && !options.signal?.aborted) {
        options.onEvent?.({ type: 'waiting', id: primary.id });
        await waitUntilDeployed(clients, primary.id, deploy, `--wait-timeout ${options.waitTimeoutSeconds}`);
        result.status = 'Deployed';
        options.onEvent?.({ type: 'deployed', id: primary.id });
      }
      return { ...result, ok: true };
    } catch (error) {
      return { ...result, error: error as Error };
    }
  };

  const settled = await settleWithLimit(plan.canary.targets, options.concurrency, canaryOne);
  const distributions = settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { primaryId: plan.canary.targets[i]!.primaryId, ok: false, written: false, error: s.reason as Error }));
  // Nothing reached a distribution and nothing is staged: take back what this run created, as if it had not run.
  const failure = distributions.find((d) => !d.ok);
  if (failure && distributions.every((d) => !d.written && !d.stagingId)) return abort(failure.error);
  if (options.signal?.aborted) {
    if (distributions.every((d) => !d.written && !d.stagingId)) return abort(interrupted(options.signal));
    const done = distributions.filter((d) => d.ok).map((d) => d.primaryId);
    throw interrupted(options.signal, `interrupted; the canary runs on: ${done.join(', ') || 'none'}; what was written stays (check with edge-install status; attach --canary again finishes it, abort ends it)`);
  }
  return { distributions };
}
