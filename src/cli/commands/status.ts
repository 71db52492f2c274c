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
  options: [distributionOption('check')],
  examples: ['edge-install status', 'edge-install status --json'],
  handler: async () => (await import('../handlers/status.js')).status,
});
