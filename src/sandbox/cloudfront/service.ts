/** CloudFront: rest-xml under /2020-05-31/, ETag / If-Match on every write. */
import { AwsError } from '../errors.js';
import { restRouter } from '../protocols/rest-router.js';
import { renderXmlError } from '../protocols/rest-xml.js';
import type { Service } from '../request.js';
import { continuousDeploymentRoutes } from './continuous-deployment.js';
import { distributionRoutes } from './distributions.js';
import { functionRoutes } from './functions.js';
import { policyRoutes } from './policies.js';
import { stagingRoutes } from './staging-routes.js';
import { tagRoutes } from './tags.js';

export const cloudfront: Service = {
  name: 'cloudfront',
  // A DistributionConfig at every quota is well under this; larger bodies are refused unread.
  maxBodyBytes: 1 << 20,
  resolve: restRouter([...distributionRoutes, ...stagingRoutes, ...continuousDeploymentRoutes, ...policyRoutes, ...functionRoutes, ...tagRoutes]),
  renderError: renderXmlError,
  throttleError: () => new AwsError('Throttling', 400, 'Rate exceeded'),
};
