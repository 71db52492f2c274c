/**
 * `edge-install status`: per distribution, Deployed or not, each trigger's attached version
 * against the newest published, drift, the secret, the last revision. Works without a state
 * dir, from the ownership markers alone.
 *
 * Exit codes as plan's (issue 18): plain `status` exits 0 whenever it could report — a report
 * that says "not in sync" is still a report, and a script that only wants to see it must not
 * fail on it; `--detailed-exitcode` exits 3 when a distribution is not in sync (drift, not yet
 * deployed, a trigger missing or behind), for CI checks, like terraform's `plan -detailed-exitcode`.
 */
import { defineCommand, distributionOption } from '../define-command.js';
import type { StatusFlags } from '../handlers/status.js';

export const status = defineCommand<StatusFlags>({
  name: 'status',
  description: 'deployed? which versions? drift? (exit 0 when it could report; with --detailed-exitcode, 3 when not in sync)',
  options: [
    distributionOption('check'),
    { flags: '--detailed-exitcode', description: 'exit 0 when every distribution is in sync, 3 when one is not (drift, not yet deployed, a trigger missing or behind)' },
    { flags: '--metrics', description: "add the Lambda@Edge error counts and requests (AWS/CloudFront) and the functions' invocations, errors, throttles and duration (AWS/Lambda, summed over Regions)" },
    { flags: '--since <window>', description: 'with --metrics: how far back, e.g. 15m, 1h, 3d', default: '1h' },
  ],
  examples: ['edge-install status', 'edge-install status --json', 'edge-install status --detailed-exitcode', 'edge-install status --metrics --since 3h'],
  globals: ['manifest', 'aws', 'state'],
  exitCodes: { ok: 'it could report (in sync or not); with --detailed-exitcode: every distribution in sync', pending: 'with --detailed-exitcode: not in sync (drift, not yet deployed, a trigger missing or behind)' },
  handler: async () => (await import('../handlers/status.js')).status,
});
