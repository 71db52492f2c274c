/**
 * Distribution operations. The config is stored as the XML tree the client sent, with
 * CloudFront's defaults for the optional members it left out (distribution-defaults.ts) and
 * lists normalised (no Items when Quantity is 0), so every member survives a round trip,
 * including ones the sandbox has no rule about.
 */
import { AwsError } from '../errors.js';
import { cloudFrontDomain, cloudFrontId, etag as newEtag, invalidationId } from '../ids.js';
import { syncReplicas } from '../lambda/replicas.js';
import type { Route } from '../protocols/rest-router.js';
import { readXmlBody, xmlReply } from '../protocols/rest-xml.js';
import type { SandboxRequest } from '../request.js';
import type { DistributionRecord, World } from '../world.js';
import { child, el, items, list, omitEmptyItems, text, type XmlNode } from '../xml.js';
import {
  aliasesOf,
  allBehaviors,
  checkBehaviorCount,
  checkBehaviorShape,
  checkCacheSettings,
  checkCustomOriginConfig,
  checkOriginCount,
  checkOriginCustomHeaders,
  checkOriginGroups,
  checkPathPatterns,
  checkQuantities,
  checkRequiredMembers,
  checkTargetOrigin,
} from './distribution-rules.js';
import { withCloudFrontDefaults } from './distribution-defaults.js';
import { checkIfMatch } from './etag.js';
import { associatedArns, checkAssociation, checkAssociationCount, checkBehaviorAssociations } from './lambda-association-rules.js';
import { checkContinuousDeploymentConfig, checkContinuousDeploymentUpdate, checkDeletable, checkStagingQuota, withPolicyMemberResolved } from './staging.js';
import { isStaging } from './staging-links.js';

/** Every rule CloudFront applies to a distribution config, in the order it applies them. */
export function validateDistributionConfig(world: World, config: XmlNode, selfId?: string): void {
  const cf = world.data.cloudfront;
  checkRequiredMembers(config);
  checkQuantities(config);
  checkOriginCount(config, world.quotas);
  const origins = items(config, 'Origins');
  for (const origin of origins) {
    checkOriginCustomHeaders(origin, world.quotas);
    checkCustomOriginConfig(origin);
  }
  const originIds = new Set(origins.map((o) => text(o, 'Id') ?? ''));
  checkOriginGroups(config, originIds);
  const targets = new Set([...originIds, ...items(config, 'OriginGroups').map((g) => text(g, 'Id') ?? '')]);
  checkBehaviorCount(config, world.quotas);
  checkAssociationCount(config, world.quotas.lambdaAssociationsPerDistribution);
  checkPathPatterns(config);
  for (const behavior of allBehaviors(config)) {
    checkBehaviorShape(behavior);
    checkTargetOrigin(behavior, targets);
    checkCacheSettings(behavior, cf.cachePolicies, cf.originRequestPolicies);
    checkBehaviorAssociations(behavior);
    for (const association of items(behavior, 'LambdaFunctionAssociations')) checkAssociation(world, association);
  }
  const taken = new Set(cf.distributions.filter((d) => d.id !== selfId).flatMap((d) => aliasesOf(d.config)));
  const clash = aliasesOf(config).find((alias) => taken.has(alias));
  if (clash) {
    throw new AwsError('CNAMEAlreadyExists', 409, `One or more of the CNAMEs you provided are already associated with a different resource (${clash}).`);
  }
}

/** Replicas follow associations: recompute after any distribution write. */
function afterDistributionWrite(world: World): void {
  const arns = new Set<string>();
  for (const d of world.data.cloudfront.distributions) associatedArns(d.config, arns);
  syncReplicas(world, arns);
}

/** What CloudFront keeps of a config it accepted: defaults filled, empty lists without Items. */
export const stored = (config: XmlNode) => omitEmptyItems(withCloudFrontDefaults(config));

export function store(world: World, record: DistributionRecord, config: XmlNode): void {
  record.config = stored(config);
  record.etag = newEtag();
  const now = world.now();
  record.lastModified = now;
  record.deployedAt = now + world.delays.deployMs;
  afterDistributionWrite(world);
}

export function statusOf(world: World, d: DistributionRecord): 'InProgress' | 'Deployed' {
  return world.now() < d.deployedAt ? 'InProgress' : 'Deployed';
}

/** Adds a distribution (CreateDistribution, and seeds, which pass their id and deployed state). */
export function addDistribution(
  world: World,
  config: XmlNode,
  fixed: { id?: string; arn?: string; domainName?: string; deployed?: boolean; tags?: Record<string, string> } = {},
): DistributionRecord {
  const id = fixed.id ?? cloudFrontId();
  const record: DistributionRecord = {
    id,
    arn: fixed.arn ?? `arn:aws:cloudfront::${world.accountId}:distribution/${id}`,
    domainName: fixed.domainName ?? cloudFrontDomain(),
    etag: '',
    config,
    lastModified: 0,
    deployedAt: 0,
    tags: fixed.tags ?? {},
    invalidations: [],
  };
  world.data.cloudfront.distributions.push(record);
  store(world, record, config);
  if (fixed.deployed) record.deployedAt = record.lastModified;
  return record;
}

export function findDistribution(world: World, id: string): DistributionRecord {
  const found = world.data.cloudfront.distributions.find((d) => d.id === id);
  if (!found) throw new AwsError('NoSuchDistribution', 404, 'The specified distribution does not exist.');
  return found;
}

export function distributionXml(world: World, d: DistributionRecord): XmlNode {
  const now = world.now();
  return el(
    'Distribution',
    el('Id', d.id),
    el('ARN', d.arn),
    el('Status', statusOf(world, d)),
    el('LastModifiedTime', new Date(d.lastModified).toISOString()),
    el('InProgressInvalidationBatches', d.invalidations.filter((i) => now < i.completedAt).length),
    el('DomainName', d.domainName),
    el('ActiveTrustedSigners', el('Enabled', false), el('Quantity', 0)),
    el('ActiveTrustedKeyGroups', el('Enabled', false), el('Quantity', 0)),
    d.config,
  );
}

/** The members of a DistributionSummary that are copied from the config. */
const SUMMARY_MEMBERS = [
  'Aliases', 'Origins', 'OriginGroups', 'DefaultCacheBehavior', 'CacheBehaviors', 'CustomErrorResponses', 'Comment',
  'PriceClass', 'Enabled', 'ViewerCertificate', 'Restrictions', 'WebACLId', 'HttpVersion', 'IsIPV6Enabled', 'Staging',
];

function summaryXml(world: World, d: DistributionRecord): XmlNode {
  return el(
    'DistributionSummary',
    el('Id', d.id),
    el('ARN', d.arn),
    el('ETag', d.etag),
    el('Status', statusOf(world, d)),
    el('LastModifiedTime', new Date(d.lastModified).toISOString()),
    el('DomainName', d.domainName),
    ...SUMMARY_MEMBERS.map((name) => child(d.config, name)),
  );
}

export function location(req: SandboxRequest, path: string): string {
  return `${req.baseUrl}/2020-05-31/${path}`;
}

function create(world: World, req: SandboxRequest, config: XmlNode, tags: Record<string, string>) {
  const reference = text(config, 'CallerReference');
  const previous = world.data.cloudfront.distributions.find((d) => text(d.config, 'CallerReference') === reference);
  if (previous) {
    // CloudFront makes a retried create idempotent, and refuses a different config under the same reference.
    if (JSON.stringify(previous.config) !== JSON.stringify(stored(config))) {
      throw new AwsError('DistributionAlreadyExists', 409, `The caller reference that you are using to create a distribution is associated with another distribution (${previous.id}).`);
    }
    return xmlReply(distributionXml(world, previous), 201, { etag: previous.etag, location: location(req, `distribution/${previous.id}`) });
  }
  validateDistributionConfig(world, config);
  // CreateDistribution may make a staging distribution directly (Staging true), as Terraform's
  // aws_cloudfront_distribution does: the staging quota and rules apply as for CopyDistribution.
  if (isStaging(config)) checkStagingQuota(world);
  checkContinuousDeploymentConfig(world, config);
  const record = addDistribution(world, config, { tags });
  return xmlReply(distributionXml(world, record), 201, { etag: record.etag, location: location(req, `distribution/${record.id}`) });
}

function tagsFrom(tags: XmlNode | undefined): Record<string, string> {
  return Object.fromEntries(items(tags).map((tag) => [text(tag, 'Key') ?? '', text(tag, 'Value') ?? '']));
}

export const distributionRoutes: Route[] = [
  {
    operation: 'ListDistributions',
    method: 'GET',
    path: '/2020-05-31/distribution',
    handle(req, world) {
      const all = world.data.cloudfront.distributions;
      const maxItems = Math.min(Number(req.query.get('MaxItems') ?? 100) || 100, 100);
      const marker = req.query.get('Marker') ?? '';
      const start = marker ? all.findIndex((d) => d.id === marker) + 1 : 0;
      const page = all.slice(start, start + maxItems);
      const truncated = start + maxItems < all.length;
      return xmlReply(
        list('DistributionList', page.map((d) => summaryXml(world, d)), el('Marker', marker), truncated ? el('NextMarker', page.at(-1)!.id) : undefined, el('MaxItems', maxItems), el('IsTruncated', truncated)),
      );
    },
  },
  {
    operation: 'CreateDistributionWithTags',
    method: 'POST',
    path: '/2020-05-31/distribution?WithTags',
    handle(req, world) {
      const body = readXmlBody(req, 'DistributionConfigWithTags');
      const config = child(body, 'DistributionConfig');
      if (!config) throw new AwsError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema: DistributionConfig is required.');
      return create(world, req, config, tagsFrom(child(body, 'Tags')));
    },
  },
  {
    operation: 'CreateDistribution',
    method: 'POST',
    path: '/2020-05-31/distribution',
    handle: (req, world) => create(world, req, readXmlBody(req, 'DistributionConfig'), {}),
  },
  {
    operation: 'GetDistribution',
    method: 'GET',
    path: '/2020-05-31/distribution/{Id}',
    handle(req, world) {
      const d = findDistribution(world, req.params.Id!);
      return xmlReply(distributionXml(world, d), 200, { etag: d.etag });
    },
  },
  {
    operation: 'DeleteDistribution',
    method: 'DELETE',
    path: '/2020-05-31/distribution/{Id}',
    handle(req, world) {
      const d = findDistribution(world, req.params.Id!);
      checkIfMatch(req, d.etag);
      checkDeletable(world, d);
      if (text(d.config, 'Enabled') !== 'false' || statusOf(world, d) !== 'Deployed') {
        throw new AwsError('DistributionNotDisabled', 409, 'The distribution you are trying to delete has not been disabled.');
      }
      world.data.cloudfront.distributions = world.data.cloudfront.distributions.filter((x) => x !== d);
      afterDistributionWrite(world);
      return { status: 204 };
    },
  },
  {
    operation: 'GetDistributionConfig',
    method: 'GET',
    path: '/2020-05-31/distribution/{Id}/config',
    handle(req, world) {
      const d = findDistribution(world, req.params.Id!);
      return xmlReply(d.config, 200, { etag: d.etag });
    },
  },
  {
    operation: 'UpdateDistribution',
    method: 'PUT',
    path: '/2020-05-31/distribution/{Id}/config',
    handle(req, world) {
      const d = findDistribution(world, req.params.Id!);
      checkIfMatch(req, d.etag);
      const config = withPolicyMemberResolved(readXmlBody(req, 'DistributionConfig'), d.config);
      if (text(config, 'CallerReference') !== text(d.config, 'CallerReference')) {
        throw new AwsError('IllegalUpdate', 400, 'The update contains modifications that are not allowed: CallerReference cannot be changed.');
      }
      checkContinuousDeploymentUpdate(world, d, config);
      validateDistributionConfig(world, config, d.id);
      checkContinuousDeploymentConfig(world, config, d);
      store(world, d, config);
      return xmlReply(distributionXml(world, d), 200, { etag: d.etag });
    },
  },
  {
    operation: 'CreateInvalidation',
    method: 'POST',
    path: '/2020-05-31/distribution/{DistributionId}/invalidation',
    handle(req, world) {
      const d = findDistribution(world, req.params.DistributionId!);
      const batch = readXmlBody(req, 'InvalidationBatch');
      checkQuantities(batch);
      if (items(batch, 'Paths').length === 0) throw new AwsError('InvalidArgument', 400, 'The parameter Paths must contain at least one path.');
      const now = world.now();
      const invalidation = { id: invalidationId(), createTime: now, completedAt: now + world.delays.deployMs, batch: omitEmptyItems(batch) };
      d.invalidations.push(invalidation);
      return xmlReply(invalidationXml(world, invalidation), 201, { location: location(req, `distribution/${d.id}/invalidation/${invalidation.id}`) });
    },
  },
  {
    operation: 'GetInvalidation',
    method: 'GET',
    path: '/2020-05-31/distribution/{DistributionId}/invalidation/{Id}',
    handle(req, world) {
      const d = findDistribution(world, req.params.DistributionId!);
      const invalidation = d.invalidations.find((i) => i.id === req.params.Id);
      if (!invalidation) throw new AwsError('NoSuchInvalidation', 404, 'The specified invalidation does not exist.');
      return xmlReply(invalidationXml(world, invalidation));
    },
  },
];

function invalidationXml(world: World, i: DistributionRecord['invalidations'][number]): XmlNode {
  return el('Invalidation', el('Id', i.id), el('Status', world.now() < i.completedAt ? 'InProgress' : 'Completed'), el('CreateTime', new Date(i.createTime).toISOString()), i.batch);
}
