/**
 * Test helpers for continuous deployment on the local edge: a staging distribution copied from a
 * primary, and a continuous deployment policy attached to the primary, written straight into the
 * sandbox's world (what CopyDistribution, CreateContinuousDeploymentPolicy and UpdateDistribution
 * leave there), so the data plane's routing is tested apart from the control plane's rules.
 */
import { addDistribution } from '../../../src/sandbox/cloudfront/distributions.js';
import type { ContinuousDeploymentPolicyRecord, DistributionRecord, World } from '../../../src/sandbox/world.js';
import { at, clone, el, list, parseXml, setChild, type XmlNode } from '../../../src/sandbox/xml.js';

/** A staging copy of the primary's config (no aliases: CloudFront keeps those on the primary), optionally changed. */
export function addStaging(world: World, primaryId: string, change: (config: XmlNode) => void = () => {}): DistributionRecord {
  const primary = world.data.cloudfront.distributions.find((d) => d.id === primaryId)!;
  const config = clone(primary.config);
  setChild(config, el('CallerReference', `staging-of-${primaryId}-${world.data.cloudfront.distributions.length}`));
  setChild(config, list('Aliases', []));
  setChild(config, el('ContinuousDeploymentPolicyId', ''));
  setChild(config, el('Staging', true));
  // "You cannot use continuous deployment with a distribution that supports HTTP/3."
  setChild(config, el('HttpVersion', 'http2'));
  change(config);
  return addDistribution(world, config, { deployed: true });
}

/** Points an origin of a config at another domain name (the staging's config differs from the primary's). */
export function retargetOrigin(config: XmlNode, originId: string, domainName: string): void {
  const origin = at(config, 'Origins', 'Items')!.children.find((o) => o.children.some((c) => c.name === 'Id' && c.text === originId))!;
  setChild(origin, el('DomainName', domainName));
}

export type Traffic =
  | { header: string; value: string }
  | { weight: number; idleTtl?: number; maximumTtl?: number };

/** A ContinuousDeploymentPolicyConfig element naming the staging distribution. */
export function policyConfig(stagingDomain: string, traffic: Traffic, enabled = true): XmlNode {
  const rule =
    'header' in traffic
      ? `<Type>SingleHeader</Type><SingleHeaderConfig><Header>${traffic.header}</Header><Value>${traffic.value}</Value></SingleHeaderConfig>`
      : `<Type>SingleWeight</Type><SingleWeightConfig><Weight>${traffic.weight}</Weight>${
          traffic.idleTtl === undefined ? '' : `<SessionStickinessConfig><IdleTTL>${traffic.idleTtl}</IdleTTL><MaximumTTL>${traffic.maximumTtl ?? traffic.idleTtl}</MaximumTTL></SessionStickinessConfig>`
        }</SingleWeightConfig>`;
  return parseXml(
    `<ContinuousDeploymentPolicyConfig><StagingDistributionDnsNames><Quantity>1</Quantity><Items><DnsName>${stagingDomain}</DnsName></Items></StagingDistributionDnsNames>` +
      `<Enabled>${enabled}</Enabled><TrafficConfig>${rule}</TrafficConfig></ContinuousDeploymentPolicyConfig>`,
  );
}

/** Stores (or replaces) a policy and attaches it to the primary (its ContinuousDeploymentPolicyId). */
export function attachPolicy(world: World, primaryId: string, id: string, config: XmlNode): ContinuousDeploymentPolicyRecord {
  const policies = world.continuousDeploymentPolicies;
  const existing = policies.find((p) => p.id === id);
  const record: ContinuousDeploymentPolicyRecord = { id, etag: `E${policies.length + 1}${Date.now()}`, lastModified: world.now(), config };
  if (existing) Object.assign(existing, record);
  else policies.push(record);
  const primary = world.data.cloudfront.distributions.find((d) => d.id === primaryId)!;
  setChild(primary.config, el('ContinuousDeploymentPolicyId', id));
  setChild(primary.config, el('HttpVersion', 'http2'));
  return existing ?? record;
}

/** The sum of AWS/CloudFront Requests recorded for a distribution. */
export function requestsOf(world: World, distributionId: string): number {
  return world.metricSeries
    .filter((s) => s.namespace === 'AWS/CloudFront' && s.metricName === 'Requests' && s.dimensions.some((d) => d.name === 'DistributionId' && d.value === distributionId))
    .reduce((total, s) => total + s.buckets.reduce((sum, b) => sum + b.sum, 0), 0);
}
