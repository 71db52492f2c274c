// STUB — to be implemented
import { AwsError } from '../errors.js';
import { renderXmlError } from '../protocols/rest-xml.js';
import { restRouter } from '../protocols/rest-router.js';
import type { Service } from '../request.js';
export const cloudfront: Service = {
  name: 'cloudfront',
  maxBodyBytes: 1 << 20,
  resolve: restRouter([]),
  renderError: renderXmlError,
  throttleError: () => new AwsError('Throttling', 400, 'Rate exceeded'),
};
