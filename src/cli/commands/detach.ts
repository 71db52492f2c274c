/**
 * `edge-install detach`: take every owned origin, behavior and trigger off the distribution(s)
 * in one ETag-pinned change each (putting back foreign triggers the integration replaced),
 * then delete what AWS allows now and report what must wait for replica removal.
 */
import type { Command } from 'commander';
import { collectDistribution } from '../context.js';

export interface DetachFlags {
  distribution: string[];
  dryRun?: boolean;
  keepFunctions?: boolean;
  concurrency: string;
}

export function registerDetach(program: Command): void {
  program
    .command('detach')
    .description('remove the integration from the distribution(s), restoring replaced foreign triggers; then delete its resources where AWS allows')
    .option('--distribution <id>', "distribution to detach from (repeatable; default: the manifest's)", collectDistribution, [])
    .option('--dry-run', 'show what would change and stop')
    .option('--keep-functions', 'keep the Lambda functions (and the role they run with)')
    .option('--concurrency <n>', 'distributions worked on at once', '4')
    .action(async (flags: DetachFlags, command: Command) => (await import('../actions/detach.js')).runDetach(flags, command));
}
