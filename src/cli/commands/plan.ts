/**
 * `edge-install plan`: read-only — what `attach` would change, as a diff (or --json); `--out`
 * saves it with the ETags it was made from; `--detailed-exitcode` exits 3 when there are changes.
 */
import type { Command } from 'commander';
import { collectDistribution } from '../context.js';

export interface PlanFlags {
  distribution: string[];
  out?: string;
  detailedExitcode?: boolean;
  replaceForeign?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show what attach would change (read-only)')
    .option('--distribution <id>', 'distribution to plan for (repeatable; default: the manifest\'s)', collectDistribution, [])
    .option('--out <file>', 'save the plan, with the ETags it was made from, for attach --plan')
    .option('--replace-foreign', 'plan as attach --replace-foreign would: show replacing other Lambda@Edge functions on the same events (saved with --out)')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 3 when there are')
    .action(async (flags: PlanFlags, command: Command) => (await import('../actions/plan.js')).runPlan(flags, command));
}
