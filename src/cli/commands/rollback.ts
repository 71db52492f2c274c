/**
 * `edge-install rollback`: put the owned parts back as the previous (or a named) revision left
 * them; shows the same diff as `plan` before asking.
 */
import { defineCommand, distributionOption } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { RollbackFlags } from '../handlers/rollback.js';

export const rollback = defineCommand<RollbackFlags>({
  name: 'rollback',
  description: 'restore the owned parts of the previous (or given) revision, keeping unrelated edits',
  options: [
    distributionOption('roll back'),
    { flags: '--to <revision>', description: 'the revision to go back to: an id from `edge-install revisions` (000003-E1DEMO0EXAMPLE) or its number (3); default: the state before the last change' },
    { flags: '--dry-run', description: 'show what would change and stop' },
    { flags: '--force', description: 'roll back even if the owned parts were changed by hand since the last revision' },
    { flags: '--no-wait', description: 'do not wait until the distribution is Deployed' },
  ],
  examples: ['edge-install rollback', 'edge-install rollback --to 000003-E1DEMO0EXAMPLE'],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/rollback.js')).rollback,
});
