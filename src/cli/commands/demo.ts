/**
 * `edge-install demo`: the whole flow on an in-process sandbox, no AWS account needed — the
 * README's first command.
 */
import type { Command } from 'commander';

export interface DemoFlags {
  keep?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole flow on a local sandbox, no AWS account needed: init → plan → attach → status → rollback')
    .option('--keep', 'keep the demo project directory (manifest, revisions) and print where it is')
    .action(async (flags: DemoFlags, command: Command) => (await import('../actions/demo.js')).runDemo(flags, command));
}
