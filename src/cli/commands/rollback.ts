/**
 * `edge-install rollback`: put the owned parts back as the previous (or a named) revision left
 * them; shows the same diff as `plan` before asking.
 */
import type { Command } from 'commander';
import { collectDistribution } from '../context.js';

export interface RollbackFlags {
  distribution: string[];
  to?: string;
  dryRun?: boolean;
  force?: boolean;
  wait: boolean;
}

export function registerRollback(program: Command): void {
  program
    .command('rollback')
    .description('restore the owned parts of the previous (or given) revision, keeping unrelated edits')
    .option('--distribution <id>', "distribution to roll back (repeatable; default: the manifest's)", collectDistribution, [])
    .option('--to <revision>', 'the revision to go back to (default: the state before the last change)')
    .option('--dry-run', 'show what would change and stop')
    .option('--force', 'roll back even if the owned parts were changed by hand since the last revision')
    .option('--no-wait', 'do not wait until the distribution is Deployed')
    .action(async (flags: RollbackFlags, command: Command) => (await import('../actions/rollback.js')).runRollback(flags, command));
}
