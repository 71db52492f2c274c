// STUB — to be implemented
import { AwsError } from '../errors.js';
import { renderRestJsonError } from '../protocols/json.js';
import { restRouter } from '../protocols/rest-router.js';
import type { Service } from '../request.js';
export const lambda: Service = {
  name: 'lambda',
  maxBodyBytes: 70_167_211,
  resolve: restRouter([]),
  renderError: renderRestJsonError,
  throttleError: () => new AwsError('TooManyRequestsException', 429, 'Rate exceeded'),
};
