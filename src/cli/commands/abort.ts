/**
 * `edge-install abort`: end a canary without promoting it — the policy disabled and detached,
 * the primary exactly as before the canary; --delete-staging removes the staging copy.
 */
import { defineCommand, distributionOption, waitOptions } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { CanaryEndFlags } from '../handlers/canary-end.js';

export const abort = defineCommand<CanaryEndFlags>({
  name: 'abort',
  description: 'end a canary (attach --canary) without promoting it: the primary stays exactly as before the canary',
  options: [
    distributionOption('abort the canary of'),
    { flags: '--delete-staging', description: 'also delete the staging copy and its policy (disable, wait until Deployed even with --no-wait, delete); works when no canary runs too' },
    { flags: '--dry-run', description: 'show what abort does and stop' },
    ...waitOptions('the primary is'),
  ],
  examples: ['edge-install abort', 'edge-install abort --delete-staging --yes'],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/canary-end.js')).abort,
});
