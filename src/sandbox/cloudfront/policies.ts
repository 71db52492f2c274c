/**
 * Cache policies (create, read, update, delete, list incl. Type=managed) and origin request
 * policies (read and list; the managed ones are what recipes use).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import { etag as newEtag } from '../ids.js';
import type { Route } from '../protocols/rest-router.js';
import { readXmlBody, xmlReply } from '../protocols/rest-xml.js';
import type { SandboxRequest } from '../request.js';
import type { PolicyRecord, World } from '../world.js';
import { el, list, omitEmptyItems, text, type XmlNode } from '../xml.js';
import { checkCacheKey, checkCachingDisabled, checkCustomPolicyQuota, checkNameIsFree, checkPolicyName, checkTtls } from './cache-policy-rules.js';
import { allBehaviors, checkQuantities } from './distribution-rules.js';
import { checkIfMatch } from './etag.js';

function findCachePolicy(world: World, id: string): PolicyRecord {
  const found = world.data.cloudfront.cachePolicies.find((p) => p.id === id);
  if (!found) throw new AwsError('NoSuchCachePolicy', 404, 'The cache policy does not exist.');
  return found;
}

function findOriginRequestPolicy(world: World, id: string): PolicyRecord {
  const found = world.data.cloudfront.originRequestPolicies.find((p) => p.id === id);
  if (!found) throw new AwsError('NoSuchOriginRequestPolicy', 404, 'The origin request policy does not exist.');
  return found;
}

/** Rules for a cache policy config; returns it with empty lists normalised. */
function validCachePolicyConfig(world: World, config: XmlNode, selfId?: string): XmlNode {
  checkQuantities(config);
  const name = checkPolicyName(config);
  checkNameIsFree(world.data.cloudfront.cachePolicies, name, selfId);
  checkTtls(config);
  checkCacheKey(config);
  checkCachingDisabled(config);
  return omitEmptyItems(config);
}

const cachePolicyXml = (p: PolicyRecord): XmlNode =>
  el('CachePolicy', el('Id', p.id), el('LastModifiedTime', new Date(p.lastModified).toISOString()), p.config);

const originRequestPolicyXml = (p: PolicyRecord): XmlNode =>
  el('OriginRequestPolicy', el('Id', p.id), el('LastModifiedTime', new Date(p.lastModified).toISOString()), p.config);

function listReply(req: SandboxRequest, policies: PolicyRecord[], listName: string, summaryName: string, toXml: (p: PolicyRecord) => XmlNode) {
  const type = req.query.get('Type');
  if (type && type !== 'managed' && type !== 'custom') throw new AwsError('InvalidArgument', 400, `The parameter Type is invalid: '${type}'.`);
  const matching = policies.filter((p) => !type || p.type === type);
  const maxItems = Math.min(Number(req.query.get('MaxItems') ?? 100) || 100, 100);
  const start = Number(req.query.get('Marker') ?? 0) || 0;
  const page = matching.slice(start, start + maxItems);
  const next = start + maxItems < matching.length ? String(start + maxItems) : undefined;
  return xmlReply(list(listName, page.map((p) => el(summaryName, el('Type', p.type), toXml(p))), next ? el('NextMarker', next) : undefined, el('MaxItems', maxItems)));
}

function inUse(world: World, policyId: string): boolean {
  return world.data.cloudfront.distributions.some((d) => allBehaviors(d.config).some((b) => text(b, 'CachePolicyId') === policyId));
}

export const policyRoutes: Route[] = [
  {
    operation: 'ListCachePolicies',
    method: 'GET',
    path: '/2020-05-31/cache-policy',
    handle: (req, world) => listReply(req, world.data.cloudfront.cachePolicies, 'CachePolicyList', 'CachePolicySummary', cachePolicyXml),
  },
  {
    operation: 'CreateCachePolicy',
    method: 'POST',
    path: '/2020-05-31/cache-policy',
    handle(req, world) {
      const policies = world.data.cloudfront.cachePolicies;
      const config = validCachePolicyConfig(world, readXmlBody(req, 'CachePolicyConfig'));
      checkCustomPolicyQuota(policies, world.quotas);
      const policy: PolicyRecord = { id: randomUUID(), type: 'custom', etag: newEtag(), lastModified: world.now(), config };
      policies.push(policy);
      return xmlReply(cachePolicyXml(policy), 201, { etag: policy.etag, location: `${req.baseUrl}/2020-05-31/cache-policy/${policy.id}` });
    },
  },
  {
    operation: 'GetCachePolicy',
    method: 'GET',
    path: '/2020-05-31/cache-policy/{Id}',
    handle(req, world) {
      const policy = findCachePolicy(world, req.params.Id!);
      return xmlReply(cachePolicyXml(policy), 200, { etag: policy.etag });
    },
  },
  {
    operation: 'GetCachePolicyConfig',
    method: 'GET',
    path: '/2020-05-31/cache-policy/{Id}/config',
    handle(req, world) {
      const policy = findCachePolicy(world, req.params.Id!);
      return xmlReply(policy.config, 200, { etag: policy.etag });
    },
  },
  {
    operation: 'UpdateCachePolicy',
    method: 'PUT',
    path: '/2020-05-31/cache-policy/{Id}',
    handle(req, world) {
      const policy = findCachePolicy(world, req.params.Id!);
      if (policy.type === 'managed') throw new AwsError('IllegalUpdate', 400, 'Managed cache policies cannot be updated.');
      checkIfMatch(req, policy.etag);
      policy.config = validCachePolicyConfig(world, readXmlBody(req, 'CachePolicyConfig'), policy.id);
      policy.etag = newEtag();
      policy.lastModified = world.now();
      return xmlReply(cachePolicyXml(policy), 200, { etag: policy.etag });
    },
  },
  {
    operation: 'DeleteCachePolicy',
    method: 'DELETE',
    path: '/2020-05-31/cache-policy/{Id}',
    handle(req, world) {
      const policy = findCachePolicy(world, req.params.Id!);
      if (policy.type === 'managed') throw new AwsError('IllegalDelete', 400, 'Managed cache policies cannot be deleted.');
      checkIfMatch(req, policy.etag);
      if (inUse(world, policy.id)) {
        throw new AwsError('CachePolicyInUse', 409, 'Cannot delete the cache policy because it is attached to one or more cache behaviors.');
      }
      world.data.cloudfront.cachePolicies = world.data.cloudfront.cachePolicies.filter((p) => p !== policy);
      return { status: 204 };
    },
  },
  {
    operation: 'ListOriginRequestPolicies',
    method: 'GET',
    path: '/2020-05-31/origin-request-policy',
    handle: (req, world) => listReply(req, world.data.cloudfront.originRequestPolicies, 'OriginRequestPolicyList', 'OriginRequestPolicySummary', originRequestPolicyXml),
  },
  {
    operation: 'GetOriginRequestPolicy',
    method: 'GET',
    path: '/2020-05-31/origin-request-policy/{Id}',
    handle(req, world) {
      const policy = findOriginRequestPolicy(world, req.params.Id!);
      return xmlReply(originRequestPolicyXml(policy), 200, { etag: policy.etag });
    },
  },
  {
    operation: 'GetOriginRequestPolicyConfig',
    method: 'GET',
    path: '/2020-05-31/origin-request-policy/{Id}/config',
    handle(req, world) {
      const policy = findOriginRequestPolicy(world, req.params.Id!);
      return xmlReply(policy.config, 200, { etag: policy.etag });
    },
  },
];
