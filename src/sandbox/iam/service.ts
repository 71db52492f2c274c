// STUB — to be implemented (see IAM section of EMULATOR.md)
import { AwsError } from '../errors.js';
import { queryRouter, renderQueryError } from '../protocols/query.js';
import type { Service } from '../request.js';
const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const iam: Service = {
  name: 'iam',
  maxBodyBytes: 1 << 20,
  resolve: queryRouter(NS, '2010-05-08', {}),
  renderError: renderQueryError(NS),
  throttleError: () => new AwsError('Throttling', 400, 'Rate exceeded'),
};
