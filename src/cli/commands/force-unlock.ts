/**
 * `edge-install force-unlock <lock-id>`: remove the integration's lock that a run on another
 * machine left behind when it died (a lock of a dead run on this machine is taken over by the
 * next run by itself). The id is printed by every lock error, as terraform's is.
 */
import { defineCommand } from '../define-command.js';
import type { ForceUnlockFlags } from '../handlers/force-unlock.js';

export const forceUnlock = defineCommand<ForceUnlockFlags>({
  name: 'force-unlock',
  description: "remove the integration's lock that a run on another machine left behind (the id is in the lock error)",
  arguments: [{ name: '<lock-id>', description: 'the id of the lock, as the lock error printed it' }],
  examples: ['edge-install force-unlock 3f9c2a1b7d4e'],
  handler: async () => (await import('../handlers/force-unlock.js')).forceUnlock,
});
