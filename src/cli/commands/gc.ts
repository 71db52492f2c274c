/**
 * `edge-install gc`: delete the integration's function versions — and whole functions — that
 * no distribution in the account uses, once their replicas are gone. Retry-safe.
 */
import type { Command } from 'commander';

export interface GcFlags {
  dryRun?: boolean;
  minAge: string;
}

export function registerGc(program: Command): void {
  program
    .command('gc')
    .description('delete function versions and functions attached nowhere whose replicas are gone (retry-safe)')
    .option('--dry-run', 'list what would be deleted and delete nothing')
    .option('--min-age <duration>', 'keep anything changed more recently than this, e.g. 30m, 2h, 7d', '0')
    .action(async (flags: GcFlags, command: Command) => (await import('../actions/gc.js')).runGc(flags, command));
}
