/**
 * Continuous deployment rules on the distribution side: what CreateDistribution,
 * UpdateDistribution, DeleteDistribution, CopyDistribution and UpdateDistributionWithStagingConfig
 * check about staging distributions and attached policies, and the two config transformations
 * (copy, promote).
 *
 * Sources (CloudFront Developer Guide unless said otherwise):
 * - "Learn how continuous deployment works", section "Update primary and staging distributions":
 *   while a primary distribution has an attached policy, the changes available for both
 *   distributions are all cache behavior settings including the default one, all origin
 *   settings (origins and origin groups), custom error responses, geographic restrictions,
 *   the default root object, logging settings and the description (comment). Any other change
 *   is refused 400 IllegalUpdate "One or more fields updated are not supported for continuous
 *   deployment." (the message AWS returns: hashicorp/terraform-provider-aws#28920,
 *   aws-samples/amazon-cloudfront-continuous-deployment#8 — where it also held after a
 *   promotion, the disabled policy still attached). The restriction holds for the request that
 *   detaches the policy too: only the detachment itself is free.
 * - "Quotas and other considerations for continuous deployment": 20 staging distributions per
 *   account; "You cannot use continuous deployment with a distribution that supports HTTP/3".
 *   No AWS source gives the error code for either: the quota is answered TooManyDistributions
 *   (the only count error CopyDistribution's model lists), HTTP/3 InvalidArgument.
 * - "Route requests to the staging distribution": "Viewers cannot send requests directly to a
 *   staging distribution using a DNS name, IP address, or CNAME", and a CNAME belongs to one
 *   distribution only (CNAMEAlreadyExists): a staging distribution has no Aliases, and a copy
 *   leaves the primary's out.
 * - Disabling a staging distribution that a policy names is refused 409 StagingDistributionInUse
 *   "The specified staging distribution is currently used by a continuous deployment policy.
 *   Please the update policy before deleting." (AWS's wording, seen by
 *   hashicorp/terraform-provider-aws#33575). Deleting one is refused too: DeleteDistribution's
 *   model lists ResourceInUse (409, "Cannot delete this resource because it is in use") as its
 *   in-use error, which the sandbox also answers for a primary that still attaches a policy.
 * - UpdateDistribution leaves the attached policy alone when the config sent has no
 *   ContinuousDeploymentPolicyId member; only an explicit empty value detaches it
 *   (aws/aws-sdk-js-v3#7417, hashicorp/terraform-provider-aws#34511).
 * - API reference, UpdateDistributionWithStagingConfig: "The primary distribution retains its
 *   Aliases … and ContinuousDeploymentPolicyId value, but otherwise its configuration is
 *   overwritten to match the staging distribution … This action will disable the continuous
 *   deployment policy".
 */
import { AwsError } from '../errors.js';
import type { DistributionRecord, World } from '../world.js';
import { child, el, list, omitEmptyItems, setChild, text, type XmlNode } from '../xml.js';
import { withCloudFrontDefaults } from './distribution-defaults.js';
import { aliasesOf } from './distribution-rules.js';
import {
  attachedPolicyId,
  checkPathPatternSubset,
  isStaging,
  policiesNaming,
  primariesAttaching,
  primariesRoutingTo,
  stagingOf,
  supportsHttp3,
} from './staging-links.js';

const invalid = (message: string): AwsError => new AwsError('InvalidArgument', 400, message);

/** The members that may change while a policy is attached ("Update primary and staging distributions"). */
export const CONTINUOUS_DEPLOYMENT_MUTABLE = [
  'DefaultCacheBehavior',
  'CacheBehaviors',
  'Origins',
  'OriginGroups',
  'CustomErrorResponses',
  'Restrictions',
  'DefaultRootObject',
  'Logging',
  'Comment',
];

const http3Refused = (what: string): AwsError =>
  // No AWS source gives the code; InvalidArgument is CloudFront's answer for a config it cannot accept.
  invalid(`Continuous deployment is not available for distributions that support HTTP/3 (${what} has HttpVersion http3 or http2and3).`);

/** A config without the member keeps the policy it had; an empty member detaches it. */
export function withPolicyMemberResolved(sent: XmlNode, current: XmlNode): XmlNode {
  if (child(sent, 'ContinuousDeploymentPolicyId') || !child(current, 'ContinuousDeploymentPolicyId')) return sent;
  const resolved = structuredClone(sent);
  setChild(resolved, el('ContinuousDeploymentPolicyId', attachedPolicyId(current)));
  return resolved;
}

export function checkStagingQuota(world: World): void {
  const count = world.data.cloudfront.distributions.filter((d) => isStaging(d.config)).length;
  if (count >= world.quotas.stagingDistributionsPerAccount) {
    throw new AwsError(
      'TooManyDistributions',
      400,
      `Processing your request would cause you to exceed the maximum number of staging distributions allowed (${world.quotas.stagingDistributionsPerAccount}).`,
    );
  }
}

/** Is the distribution under an attached policy now (as primary, or as the staging one a primary routes to)? */
function underAttachedPolicy(world: World, d: DistributionRecord): boolean {
  if (isStaging(d.config)) return primariesRoutingTo(world, d).length > 0;
  const policyId = attachedPolicyId(d.config);
  return policyId !== '' && world.continuousDeploymentPolicies.some((p) => p.id === policyId);
}

const comparable = (config: XmlNode): XmlNode => omitEmptyItems(withCloudFrontDefaults(config));

/**
 * UpdateDistribution rules that compare the config sent with the stored one: Staging never
 * changes; a staging distribution a policy names stays enabled; while a policy is attached only
 * the supported members change (attaching or detaching the policy itself is allowed).
 */
export function checkContinuousDeploymentUpdate(world: World, d: DistributionRecord, next: XmlNode): void {
  if (isStaging(next) !== isStaging(d.config)) {
    throw new AwsError('IllegalUpdate', 400, 'The update contains modifications that are not allowed: Staging cannot be changed.');
  }
  if (isStaging(d.config) && text(d.config, 'Enabled') === 'true' && text(next, 'Enabled') === 'false' && policiesNaming(world, d).length) {
    throw new AwsError(
      'StagingDistributionInUse',
      409,
      'The specified staging distribution is currently used by a continuous deployment policy. Please the update policy before deleting.',
    );
  }
  if (!underAttachedPolicy(world, d)) return;
  const before = comparable(d.config);
  const after = comparable(next);
  const names = new Set([...before.children, ...after.children].map((c) => c.name));
  for (const name of names) {
    if (name === 'ContinuousDeploymentPolicyId' || CONTINUOUS_DEPLOYMENT_MUTABLE.includes(name)) continue;
    if (JSON.stringify(child(before, name)) !== JSON.stringify(child(after, name))) {
      throw new AwsError('IllegalUpdate', 400, 'One or more fields updated are not supported for continuous deployment.');
    }
  }
}

/** What a staging distribution's config may hold: no CNAMEs, no policy, no HTTP/3; its paths fit the primaries routing to it. */
function checkStagingConfig(world: World, config: XmlNode, self: DistributionRecord | undefined): void {
  if (aliasesOf(config).length) throw invalid('A staging distribution cannot have alternate domain names (Aliases): viewers reach it only through its primary distribution.');
  if (attachedPolicyId(config)) throw invalid('A staging distribution cannot have a continuous deployment policy; attach the policy to the primary distribution.');
  if (supportsHttp3(config)) throw http3Refused('the staging distribution');
  if (self) for (const primary of primariesRoutingTo(world, self)) checkPathPatternSubset(config, primary.config);
}

/**
 * What a primary distribution's config may hold when it attaches a policy: an existing policy
 * that no other distribution attaches, naming an existing staging distribution whose path
 * patterns fit; no HTTP/3. A policy id that was already attached and that the sandbox never
 * saw (a rehearsal copy of a real account) is left alone, as the functions are.
 */
function checkPrimaryConfig(world: World, config: XmlNode, self: DistributionRecord | undefined): void {
  const policyId = attachedPolicyId(config);
  if (!policyId) return;
  const unchanged = self !== undefined && attachedPolicyId(self.config) === policyId;
  const policy = world.continuousDeploymentPolicies.find((p) => p.id === policyId);
  if (!policy) {
    if (unchanged) return;
    throw new AwsError('NoSuchContinuousDeploymentPolicy', 404, "The continuous deployment policy doesn't exist.");
  }
  const others = primariesAttaching(world, policyId).filter((d) => d !== self);
  if (others.length) {
    throw new AwsError('ContinuousDeploymentPolicyInUse', 409, `The continuous deployment policy ${policyId} is already attached to distribution ${others[0]!.id}.`);
  }
  if (supportsHttp3(config)) throw http3Refused('the primary distribution');
  const staging = stagingOf(world, policy);
  if (!staging || !isStaging(staging.config)) {
    throw invalid(`The staging distribution that continuous deployment policy ${policyId} names does not exist.`);
  }
  checkPathPatternSubset(staging.config, config);
}

/** Continuous deployment rules for a config being written (create, update, copy, promote). */
export function checkContinuousDeploymentConfig(world: World, config: XmlNode, self?: DistributionRecord): void {
  if (isStaging(config)) checkStagingConfig(world, config, self);
  else checkPrimaryConfig(world, config, self);
}

/** DeleteDistribution: a staging distribution a policy names, or a primary that attaches a policy, is in use. */
export function checkDeletable(world: World, d: DistributionRecord): void {
  const inUse = isStaging(d.config) ? policiesNaming(world, d).map((p) => `continuous deployment policy ${p.id} names it`) : [];
  const policyId = attachedPolicyId(d.config);
  if (!isStaging(d.config) && policyId && world.continuousDeploymentPolicies.some((p) => p.id === policyId)) {
    inUse.push(`it attaches continuous deployment policy ${policyId}`);
  }
  if (inUse.length) throw new AwsError('ResourceInUse', 409, `Cannot delete this resource because it is in use: ${inUse.join('; ')}.`);
}

/** CopyDistribution's source: a primary distribution without HTTP/3. */
export function checkCopySource(primary: DistributionRecord): void {
  if (isStaging(primary.config)) throw invalid(`The distribution ${primary.id} is a staging distribution; a staging distribution can only be copied from a primary distribution.`);
  if (supportsHttp3(primary.config)) throw http3Refused(`distribution ${primary.id}`);
}

/**
 * The staging distribution CopyDistribution creates: the primary's config as stored, with the
 * new CallerReference, Enabled as asked (default true), Staging true, no Aliases (a CNAME
 * belongs to one distribution, and viewers never reach a staging distribution directly) and no
 * ContinuousDeploymentPolicyId (a staging distribution has none). Everything else — origins,
 * origin groups, behaviors and their function associations, error responses, logging, price
 * class, certificate, restrictions, web ACL, HTTP version, IPv6, comment — is copied; tags are
 * not (they belong to the resource, not the config).
 */
export function stagingCopyConfig(primary: XmlNode, callerReference: string, enabled: boolean): XmlNode {
  const config = structuredClone(primary);
  setChild(config, el('CallerReference', callerReference));
  setChild(config, list('Aliases', []));
  setChild(config, el('Enabled', enabled));
  setChild(config, el('ContinuousDeploymentPolicyId', ''));
  setChild(config, el('Staging', true));
  return config;
}

/** The primary's config after promotion: the staging config, keeping the primary's identity and routing members. */
export function promotedConfig(primary: XmlNode, staging: XmlNode): XmlNode {
  const config = structuredClone(staging);
  for (const name of ['CallerReference', 'Aliases', 'ContinuousDeploymentPolicyId']) {
    const kept = child(primary, name);
    if (kept) setChild(config, structuredClone(kept));
    else config.children = config.children.filter((c) => c.name !== name);
  }
  setChild(config, el('Staging', false));
  return config;
}

/** UpdateDistributionWithStagingConfig: the staging distribution must be the one the primary's attached policy names. */
export function checkPromotion(world: World, primary: DistributionRecord, staging: DistributionRecord): void {
  if (isStaging(primary.config)) throw invalid(`The distribution ${primary.id} is a staging distribution; promote into its primary distribution.`);
  if (!isStaging(staging.config)) throw invalid(`The distribution ${staging.id} is not a staging distribution.`);
  const policyId = attachedPolicyId(primary.config);
  const policy = world.continuousDeploymentPolicies.find((p) => p.id === policyId);
  if (!policy || stagingOf(world, policy) !== staging) {
    // No AWS source gives the code for this case; InvalidArgument names the mismatch.
    throw invalid(`The staging distribution ${staging.id} is not the one named by the continuous deployment policy attached to distribution ${primary.id}.`);
  }
}

/** Promotion "will disable the continuous deployment policy". */
export function policyOf(world: World, primary: DistributionRecord) {
  return world.continuousDeploymentPolicies.find((p) => p.id === attachedPolicyId(primary.config));
}
