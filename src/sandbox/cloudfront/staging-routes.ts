/**
 * The two distribution operations of continuous deployment (HTTP bindings and shapes from the
 * service model, botocore cloudfront/2020-05-31):
 * - CopyDistribution `POST /2020-05-31/distribution/{PrimaryDistributionId}/copy`, headers
 *   `Staging` ("The only valid value is True") and `If-Match` (the primary's ETag), body
 *   CopyDistributionRequest{CallerReference, Enabled ("If you omit this field, the default value
 *   is True")} → 201 Distribution, `ETag`, `Location`;
 * - UpdateDistributionWithStagingConfig `PUT /2020-05-31/distribution/{Id}/promote-staging-config
 *   ?StagingDistributionId=`, `If-Match: <primary ETag>, <staging ETag>` → 200 Distribution (the
 *   primary), `ETag`.
 * The rules and the config transformations are in staging.ts.
 */
import { AwsError } from '../errors.js';
import { etag as newEtag } from '../ids.js';
import type { Route } from '../protocols/rest-router.js';
import { readXmlBody, xmlReply } from '../protocols/rest-xml.js';
import { el, setChild, text } from '../xml.js';
import { addDistribution, distributionXml, findDistribution, location, store, stored, validateDistributionConfig } from './distributions.js';
import { checkIfMatch, checkIfMatchPair } from './etag.js';
import { checkContinuousDeploymentConfig, checkCopySource, checkPromotion, checkStagingQuota, policyOf, promotedConfig, stagingCopyConfig } from './staging.js';

const malformed = (why: string): AwsError =>
  new AwsError('MalformedXML', 400, `The XML you provided was not well-formed or did not validate against our published schema: ${why}`);

export const stagingRoutes: Route[] = [
  {
    operation: 'CopyDistribution',
    method: 'POST',
    path: '/2020-05-31/distribution/{PrimaryDistributionId}/copy',
    handle(req, world) {
      const primary = findDistribution(world, req.params.PrimaryDistributionId!);
      const stagingHeader = String(req.headers['staging'] ?? '').trim();
      if (stagingHeader.toLowerCase() !== 'true') {
        throw new AwsError('InvalidArgument', 400, `The parameter Staging must be True: CopyDistribution creates staging distributions only (got '${stagingHeader}').`);
      }
      checkIfMatch(req, primary.etag);
      const body = readXmlBody(req, 'CopyDistributionRequest');
      const reference = text(body, 'CallerReference') ?? '';
      if (!reference) throw malformed('CopyDistributionRequest is missing the required element CallerReference.');
      const enabled = text(body, 'Enabled') ?? 'true';
      if (enabled !== 'true' && enabled !== 'false') throw malformed(`Enabled must be true or false, not '${enabled}'.`);
      checkCopySource(primary);
      const config = stagingCopyConfig(primary.config, reference, enabled === 'true');
      const previous = world.data.cloudfront.distributions.find((d) => text(d.config, 'CallerReference') === reference);
      if (previous) {
        // As CreateDistribution: a retried copy answers the staging distribution it made; another request under the same reference is refused.
        if (JSON.stringify(previous.config) !== JSON.stringify(stored(config))) {
          throw new AwsError('DistributionAlreadyExists', 409, `The caller reference that you are using to create a distribution is associated with another distribution (${previous.id}).`);
        }
        return xmlReply(distributionXml(world, previous), 201, { etag: previous.etag, location: location(req, `distribution/${previous.id}`) });
      }
      checkStagingQuota(world);
      validateDistributionConfig(world, config);
      checkContinuousDeploymentConfig(world, config);
      const record = addDistribution(world, config);
      return xmlReply(distributionXml(world, record), 201, { etag: record.etag, location: location(req, `distribution/${record.id}`) });
    },
  },
  {
    operation: 'UpdateDistributionWithStagingConfig',
    method: 'PUT',
    path: '/2020-05-31/distribution/{Id}/promote-staging-config',
    handle(req, world) {
      const primary = findDistribution(world, req.params.Id!);
      const stagingId = req.query.get('StagingDistributionId') ?? '';
      if (!stagingId) throw new AwsError('InvalidArgument', 400, 'The parameter StagingDistributionId is required.');
      const staging = findDistribution(world, stagingId);
      checkIfMatchPair(req, primary.etag, staging.etag);
      checkPromotion(world, primary, staging);
      const config = promotedConfig(primary.config, staging.config);
      validateDistributionConfig(world, config, primary.id);
      checkContinuousDeploymentConfig(world, config, primary);
      store(world, primary, config);
      const policy = policyOf(world, primary)!;
      setChild(policy.config, el('Enabled', false));
      policy.etag = newEtag();
      policy.lastModified = world.now();
      return xmlReply(distributionXml(world, primary), 200, { etag: primary.etag });
    },
  },
];
