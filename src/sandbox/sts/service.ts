/** STS: only GetCallerIdentity, which `init` uses to show the account. */
import { AwsError } from '../errors.js';
import { queryRouter, renderQueryError } from '../protocols/query.js';
import type { Service } from '../request.js';
import { el } from '../xml.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export const sts: Service = {
  name: 'sts',
  maxBodyBytes: 1 << 20,
  resolve: queryRouter(NS, '2011-06-15', {
    GetCallerIdentity: (_params, _req, world) => [
      el('UserId', 'AIDASANDBOXEXAMPLEID'),
      el('Account', world.accountId),
      el('Arn', `arn:aws:iam::${world.accountId}:user/sandbox`),
    ],
  }),
  renderError: renderQueryError(NS),
  throttleError: () => new AwsError('Throttling', 400, 'Rate exceeded'),
};
