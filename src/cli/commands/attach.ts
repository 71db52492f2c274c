/**
 * `edge-install attach`: plan, show, confirm, apply (one ETag-pinned UpdateDistribution per
 * distribution), wait until Deployed, verify, record a revision.
 */
import { concurrencyOption, defineCommand, distributionOption, waitOptions } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { AttachFlags } from '../handlers/attach.js';

export const attach = defineCommand<AttachFlags>({
  name: 'attach',
  description: 'apply the manifest to the distribution(s): one atomic, ETag-pinned change; waits; records a revision',
  options: [
    distributionOption('attach to'),
    { flags: '--plan <file>', description: 'apply a plan saved by plan --out, refusing it if anything changed since' },
    { flags: '--dry-run', description: 'show the plan and stop' },
    ...waitOptions('the distribution is'),
    { flags: '--verify-url <url>', description: 'after deploying, request this URL and fail on a 5xx answer' },
    { flags: '--replace-foreign', description: 'replace another Lambda@Edge function on the same event (it is recorded, so rollback and detach restore it)' },
    { flags: '--allow-continuous-deployment', description: 'attach to a primary distribution that has a continuous deployment policy (a promote of its staging distribution removes the integration)' },
    { flags: '--watch <window>', description: "after deploying, watch the integration's Lambda@Edge errors for this long (e.g. 10m) and roll back by itself if they pass --max-error-rate" },
    { flags: '--max-error-rate <percent>', description: 'with --watch: the error rate (of requests and of invocations) that rolls the change back, if higher than before the change too', default: '1%' },
    { flags: '--canary <split>', description: "send the change to a staging copy of each distribution for part of the traffic (CloudFront continuous deployment): header[=<value>] (requests with the header aws-cf-cd-<integration>) or weight=<1-15>%[,sticky]; finish with promote or abort" },
    { flags: '--rollback-on-failure', description: 'if waiting or --verify-url fails after the change, put the owned parts back as they were' },
    concurrencyOption,
  ],
  examples: ['edge-install attach', 'edge-install attach --canary header', 'edge-install attach --yes --rollback-on-failure', 'edge-install plan --out p.json && edge-install attach --plan p.json'],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/attach.js')).attach,
});
