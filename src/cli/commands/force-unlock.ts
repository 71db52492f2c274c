/**
 * `edge-install force-unlock <lock-id>`: remove the integration's lock that a run left behind
 * when it died — on another machine, or any run with state in S3 (only a state dir's lock of a
 * dead process on this same machine is taken over by the next run by itself). The id is
 * printed by every lock error, as terraform's is; the lock is removed only if it still has it.
 */
import { defineCommand } from '../define-command.js';
import type { ForceUnlockFlags } from '../handlers/force-unlock.js';

export const forceUnlock = defineCommand<ForceUnlockFlags>({
  name: 'force-unlock',
  description: "remove the integration's lock that a dead run left behind (the id is in the lock error)",
  arguments: [{ name: '<lock-id>', description: 'the id of the lock, as the lock error printed it' }],
  examples: ['edge-install force-unlock 3f9c2a1b7d4e', 'edge-install force-unlock 3f9c2a1b7d4e --state s3://acme-edge-state/edge-install'],
  globals: ['manifest', 'aws', 'state'],
  handler: async () => (await import('../handlers/force-unlock.js')).forceUnlock,
});
