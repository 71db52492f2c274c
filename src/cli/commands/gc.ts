/**
 * `edge-install gc`: delete the integration's function versions — and whole functions — that
 * no distribution in the account uses, once their replicas are gone. Retry-safe.
 */
import { defineCommand } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { GcFlags } from '../handlers/gc.js';

export const gc = defineCommand<GcFlags>({
  name: 'gc',
  description: 'delete function versions and functions attached nowhere whose replicas are gone (retry-safe)',
  options: [
    { flags: '--dry-run', description: 'list what would be deleted and delete nothing' },
    { flags: '--min-age <duration>', description: 'keep anything changed more recently than this, e.g. 30m, 2h, 7d', default: '0' },
  ],
  examples: ['edge-install gc --dry-run', 'edge-install gc --min-age 2h --yes'],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/gc.js')).gc,
});
