// STUB — to be implemented
import { AwsError } from '../errors.js';
import { jsonTargetRouter, renderJsonError } from '../protocols/json.js';
import type { Service } from '../request.js';
export const secretsmanager: Service = {
  name: 'secretsmanager',
  maxBodyBytes: 1 << 20,
  resolve: jsonTargetRouter('secretsmanager', {}),
  renderError: renderJsonError,
  throttleError: () => new AwsError('ThrottlingException', 400, 'Rate exceeded'),
};
