/**
 * `edge-install promote`: the running canary's staging config becomes the primary's, after a
 * check that nothing else on the primary would be overwritten; recorded, so rollback undoes it.
 */
import { defineCommand, distributionOption, waitOptions } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { CanaryEndFlags } from '../handlers/canary-end.js';

export const promote = defineCommand<CanaryEndFlags>({
  name: 'promote',
  description: "finish a canary (attach --canary): copy the staging config onto the primary, record a revision, and leave the policy disabled for the next canary",
  options: [
    distributionOption('promote'),
    { flags: '--dry-run', description: 'show what the promote changes and stop' },
    ...waitOptions('the primary is'),
  ],
  examples: ['edge-install promote', 'edge-install promote --distribution E1DEMO0EXAMPLE --yes'],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/canary-end.js')).promote,
});
