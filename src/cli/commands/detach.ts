/**
 * `edge-install detach`: take every owned origin, behavior and trigger off the distribution(s)
 * in one ETag-pinned change each (putting back foreign triggers the integration replaced),
 * then delete what AWS allows now and report what must wait for replica removal.
 */
import { concurrencyOption, defineCommand, distributionOption } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { DetachFlags } from '../handlers/detach.js';

export const detach = defineCommand<DetachFlags>({
  name: 'detach',
  description: 'remove the integration from the distribution(s), restoring replaced foreign triggers; then delete its resources where AWS allows',
  options: [
    distributionOption('detach from'),
    { flags: '--dry-run', description: 'show what would change and stop' },
    { flags: '--keep-functions', description: 'keep the Lambda functions (and the role they run with)' },
    concurrencyOption,
  ],
  examples: ['edge-install detach --dry-run', 'edge-install detach --yes'],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/detach.js')).detach,
});
