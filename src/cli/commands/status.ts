/**
 * `edge-install status`: per distribution, Deployed or not, each trigger's attached version
 * against the newest published, drift, the secret, the last revision. Exit 0 in sync, 3 not.
 * Works without a state dir, from the ownership markers alone.
 */
import { defineCommand, distributionOption } from '../define-command.js';
import type { StatusFlags } from '../handlers/status.js';

export const status = defineCommand<StatusFlags>({
  name: 'status',
  description: 'deployed? which versions? drift? (exit 0 in sync, 3 otherwise)',
  options: [
    distributionOption('check'),
    { flags: '--metrics', description: "add the Lambda@Edge error counts and requests (AWS/CloudFront) and the functions' invocations, errors, throttles and duration (AWS/Lambda, summed over Regions)" },
    { flags: '--since <window>', description: 'with --metrics: how far back, e.g. 15m, 1h, 3d', default: '1h' },
  ],
  examples: ['edge-install status', 'edge-install status --json', 'edge-install status --metrics --since 3h'],
  handler: async () => (await import('../handlers/status.js')).status,
});
