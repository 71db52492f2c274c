/**
 * Continuous deployment policies: the traffic configuration that sends part of a primary
 * distribution's requests to its staging distribution (CloudFront Developer Guide, "Use
 * CloudFront continuous deployment to safely test CDN configuration changes").
 *
 * HTTP bindings, shapes and errors from the service model (botocore cloudfront/2020-05-31):
 * - CreateContinuousDeploymentPolicy `POST /2020-05-31/continuous-deployment-policy`, body
 *   ContinuousDeploymentPolicyConfig → 201 ContinuousDeploymentPolicy, `ETag`, `Location`;
 * - GetContinuousDeploymentPolicy `GET …/{Id}` → ContinuousDeploymentPolicy, `ETag`;
 * - GetContinuousDeploymentPolicyConfig `GET …/{Id}/config` → the config, `ETag`;
 * - UpdateContinuousDeploymentPolicy `PUT …/{Id}` + If-Match, the whole config → 200;
 * - DeleteContinuousDeploymentPolicy `DELETE …/{Id}` + If-Match → 204; "You cannot delete a
 *   continuous deployment policy that's attached to a primary distribution"
 *   (ContinuousDeploymentPolicyInUse, 409);
 * - ListContinuousDeploymentPolicies `GET …?Marker=&MaxItems=` → ContinuousDeploymentPolicyList,
 *   whose Quantity is "the total number of continuous deployment policies in your account,
 *   regardless of the MaxItems value"; the response "includes policies in the list that occur
 *   after the marker", so a marker is a policy id, and one that names no policy is answered
 *   NoSuchContinuousDeploymentPolicy (an error the model lists for this read-only operation).
 * The config rules are in continuous-deployment-rules.ts.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import { etag as newEtag } from '../ids.js';
import type { Route } from '../protocols/rest-router.js';
import { readXmlBody, xmlReply } from '../protocols/rest-xml.js';
import type { SandboxRequest } from '../request.js';
import type { ContinuousDeploymentPolicyRecord, World } from '../world.js';
import { el, omitEmptyItems, type XmlNode } from '../xml.js';
import { checkPolicyQuota, validatePolicyConfig } from './continuous-deployment-rules.js';
import { checkIfMatch } from './etag.js';
import { checkPathPatternSubset, findPolicy, primariesAttaching, stagingOf } from './staging-links.js';

const BASE = '/2020-05-31/continuous-deployment-policy';

const iso = (ms: number): string => new Date(ms).toISOString();

function policyXml(p: ContinuousDeploymentPolicyRecord): XmlNode {
  return el('ContinuousDeploymentPolicy', el('Id', p.id), el('LastModifiedTime', iso(p.lastModified)), p.config);
}

/** A policy that is attached routes traffic now: its (new) staging must fit the primary's path patterns. */
function checkAttachedPrimaries(world: World, policy: ContinuousDeploymentPolicyRecord): void {
  const staging = stagingOf(world, policy);
  if (!staging) return;
  for (const primary of primariesAttaching(world, policy.id)) checkPathPatternSubset(staging.config, primary.config);
}

function listReply(req: SandboxRequest, world: World) {
  const all = world.continuousDeploymentPolicies;
  const rawMax = req.query.get('MaxItems');
  const requested = rawMax === null || rawMax === '' ? 100 : Number(rawMax);
  if (!Number.isInteger(requested) || requested < 1) throw new AwsError('InvalidArgument', 400, `The parameter MaxItems must be a positive integer, not '${rawMax}'.`);
  const maxItems = Math.min(requested, 100);
  const marker = req.query.get('Marker') ?? '';
  const start = marker ? all.indexOf(findPolicy(world, marker)) + 1 : 0;
  const page = all.slice(start, start + maxItems);
  const truncated = start + maxItems < all.length;
  const summaries = page.map((p) => el('ContinuousDeploymentPolicySummary', policyXml(p)));
  return xmlReply(
    el(
      'ContinuousDeploymentPolicyList',
      truncated ? el('NextMarker', page.at(-1)!.id) : undefined,
      el('MaxItems', maxItems),
      el('Quantity', all.length),
      summaries.length ? el('Items', ...summaries) : undefined,
    ),
  );
}

export const continuousDeploymentRoutes: Route[] = [
  {
    operation: 'ListContinuousDeploymentPolicies',
    method: 'GET',
    path: BASE,
    handle: (req, world) => listReply(req, world),
  },
  {
    operation: 'CreateContinuousDeploymentPolicy',
    method: 'POST',
    path: BASE,
    handle(req, world) {
      const config = readXmlBody(req, 'ContinuousDeploymentPolicyConfig');
      validatePolicyConfig(world, config);
      checkPolicyQuota(world.continuousDeploymentPolicies, world.quotas);
      const policy: ContinuousDeploymentPolicyRecord = { id: randomUUID(), etag: newEtag(), lastModified: world.now(), config: omitEmptyItems(config) };
      world.continuousDeploymentPolicies.push(policy);
      return xmlReply(policyXml(policy), 201, { etag: policy.etag, location: `${req.baseUrl}${BASE}/${policy.id}` });
    },
  },
  {
    operation: 'GetContinuousDeploymentPolicy',
    method: 'GET',
    path: `${BASE}/{Id}`,
    handle(req, world) {
      const policy = findPolicy(world, req.params.Id!);
      return xmlReply(policyXml(policy), 200, { etag: policy.etag });
    },
  },
  {
    operation: 'GetContinuousDeploymentPolicyConfig',
    method: 'GET',
    path: `${BASE}/{Id}/config`,
    handle(req, world) {
      const policy = findPolicy(world, req.params.Id!);
      return xmlReply(policy.config, 200, { etag: policy.etag });
    },
  },
  {
    operation: 'UpdateContinuousDeploymentPolicy',
    method: 'PUT',
    path: `${BASE}/{Id}`,
    handle(req, world) {
      const policy = findPolicy(world, req.params.Id!);
      checkIfMatch(req, policy.etag);
      const config = readXmlBody(req, 'ContinuousDeploymentPolicyConfig');
      validatePolicyConfig(world, config, policy.id);
      checkAttachedPrimaries(world, { ...policy, config });
      policy.config = omitEmptyItems(config);
      policy.etag = newEtag();
      policy.lastModified = world.now();
      return xmlReply(policyXml(policy), 200, { etag: policy.etag });
    },
  },
  {
    operation: 'DeleteContinuousDeploymentPolicy',
    method: 'DELETE',
    path: `${BASE}/{Id}`,
    handle(req, world) {
      const policy = findPolicy(world, req.params.Id!);
      checkIfMatch(req, policy.etag);
      const attaching = primariesAttaching(world, policy.id);
      if (attaching.length) {
        throw new AwsError(
          'ContinuousDeploymentPolicyInUse',
          409,
          `You cannot delete a continuous deployment policy that is associated with a primary distribution (${attaching.map((d) => d.id).join(', ')}). Update the distribution to remove the policy first.`,
        );
      }
      world.data.cloudfront.continuousDeploymentPolicies = world.continuousDeploymentPolicies.filter((p) => p !== policy);
      return { status: 204 };
    },
  },
];
