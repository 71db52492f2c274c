/**
 * Continuous deployment links three records: a primary distribution names a policy in its
 * ContinuousDeploymentPolicyId, and the policy names its staging distribution by CloudFront
 * domain name (StagingDistributionDnsNames). These lookups follow the links in both
 * directions; the rules that use them live in staging.ts and continuous-deployment-rules.ts.
 */
import { AwsError } from '../errors.js';
import type { ContinuousDeploymentPolicyRecord, DistributionRecord, World } from '../world.js';
import { bool, items, text, type XmlNode } from '../xml.js';

export function isStaging(config: XmlNode): boolean {
  return bool(config, 'Staging') === true;
}

/** The policy a config attaches ('' for none, and for a config that leaves the member out). */
export function attachedPolicyId(config: XmlNode): string {
  return (text(config, 'ContinuousDeploymentPolicyId') ?? '').trim();
}

/** The staging distribution's domain name a policy config names (the first; the rules allow one). */
export function stagingDnsName(policyConfig: XmlNode): string {
  return (items(policyConfig, 'StagingDistributionDnsNames')[0]?.text ?? '').trim().toLowerCase();
}

export function findPolicy(world: World, id: string): ContinuousDeploymentPolicyRecord {
  const found = world.continuousDeploymentPolicies.find((p) => p.id === id);
  if (!found) throw new AwsError('NoSuchContinuousDeploymentPolicy', 404, "The continuous deployment policy doesn't exist.");
  return found;
}

export function distributionByDomain(world: World, domainName: string): DistributionRecord | undefined {
  return world.data.cloudfront.distributions.find((d) => d.domainName.toLowerCase() === domainName);
}

/** The staging distribution a policy names, if it exists. */
export function stagingOf(world: World, policy: ContinuousDeploymentPolicyRecord): DistributionRecord | undefined {
  return distributionByDomain(world, stagingDnsName(policy.config));
}

/** The primary distributions that attach the policy (one at most, by the attach rules). */
export function primariesAttaching(world: World, policyId: string): DistributionRecord[] {
  return world.data.cloudfront.distributions.filter((d) => attachedPolicyId(d.config) === policyId);
}

/** The policies that name a staging distribution, attached or not. */
export function policiesNaming(world: World, staging: DistributionRecord): ContinuousDeploymentPolicyRecord[] {
  const domain = staging.domainName.toLowerCase();
  return world.continuousDeploymentPolicies.filter((p) => stagingDnsName(p.config) === domain);
}

/** The primaries that route to this staging distribution now: they attach a policy naming it. */
export function primariesRoutingTo(world: World, staging: DistributionRecord): DistributionRecord[] {
  return policiesNaming(world, staging).flatMap((p) => primariesAttaching(world, p.id));
}

/**
 * "Quotas and other considerations for continuous deployment", section HTTP/3: "You cannot use
 * continuous deployment with a distribution that supports HTTP/3."
 */
export function supportsHttp3(config: XmlNode): boolean {
  const version = text(config, 'HttpVersion') ?? '';
  return version === 'http3' || version === 'http2and3';
}

export function pathPatterns(config: XmlNode): string[] {
  return items(config, 'CacheBehaviors').map((b) => text(b, 'PathPattern') ?? '');
}

/**
 * "Learn how continuous deployment works", section "Update primary and staging distributions":
 * "The path patterns in the staging distribution must be the same or a subset of the path
 * patterns in the primary distribution." The guide gives this as a warning (viewers "might
 * receive error responses"), and no AWS source gives an error code for it; the sandbox refuses
 * the configuration with InvalidArgument so that the mistake shows before traffic does.
 */
export function checkPathPatternSubset(staging: XmlNode, primary: XmlNode): void {
  const primaryPatterns = new Set(pathPatterns(primary));
  const extra = pathPatterns(staging).filter((p) => !primaryPatterns.has(p));
  if (extra.length) {
    throw new AwsError(
      'InvalidArgument',
      400,
      `The path patterns in the staging distribution must be the same or a subset of the path patterns in the primary distribution: ${extra.map((p) => `'${p}'`).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in the primary distribution.`,
    );
  }
}
