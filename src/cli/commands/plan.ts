/**
 * `edge-install plan`: read-only — what `attach` would change, as a diff (or --json); `--out`
 * saves it with the ETags it was made from; `--detailed-exitcode` exits 3 when there are changes.
 */
import type { Command } from 'commander';
import { collect } from '../context.js';

export interface PlanFlags {
  distribution: string[];
  out?: string;
  detailedExitcode?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show what attach would change (read-only)')
    .option('--distribution <id>', 'distribution to plan for (repeatable; default: the manifest\'s)', collect, [])
    .option('--out <file>', 'save the plan, with the ETags it was made from, for attach --plan')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 3 when there are')
    .action(async (flags: PlanFlags, command: Command) => (await import('../actions/plan.js')).runPlan(flags, command));
}
