/**
 * `edge-install status`: per distribution, Deployed or not, each trigger's attached version
 * against the newest published, drift, the secret, the last revision. Exit 0 in sync, 3 not.
 * Works without a state dir, from the ownership markers alone.
 */
import type { Command } from 'commander';
import { collectDistribution } from '../context.js';

export interface StatusFlags {
  distribution: string[];
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('deployed? which versions? drift? (exit 0 in sync, 3 otherwise)')
    .option('--distribution <id>', "distribution to check (repeatable; default: the manifest's)", collectDistribution, [])
    .action(async (flags: StatusFlags, command: Command) => (await import('../actions/status.js')).runStatus(flags, command));
}
