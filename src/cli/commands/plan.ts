/**
 * `edge-install plan`: read-only — what `attach` would change, as a diff (or --json); `--out`
 * saves it with the ETags it was made from; `--detailed-exitcode` exits 3 when there are changes.
 */
import { defineCommand, distributionOption } from '../define-command.js';
import type { PlanFlags } from '../handlers/plan.js';

export const plan = defineCommand<PlanFlags>({
  name: 'plan',
  description: 'show what attach would change (read-only)',
  options: [
    distributionOption('plan for'),
    { flags: '--out <file>', description: 'save the plan, with the ETags it was made from, for attach --plan' },
    { flags: '--replace-foreign', description: 'plan as attach --replace-foreign would: show replacing other Lambda@Edge functions on the same events (saved with --out)' },
    { flags: '--allow-continuous-deployment', description: 'plan as attach --allow-continuous-deployment would (saved with --out)' },
    { flags: '--canary <split>', description: 'plan as attach --canary would: the change sent to a staging copy (header[=<value>] or weight=<1-15>%[,sticky]); not with --out' },
    { flags: '--detailed-exitcode', description: 'exit 0 when there are no changes, 3 when there are' },
  ],
  examples: ['edge-install plan', 'edge-install plan --json', 'edge-install plan --detailed-exitcode || [ $? -eq 3 ]'],
  globals: ['manifest', 'aws', 'state'],
  exitCodes: { ok: 'success; with --detailed-exitcode: no changes', pending: 'with --detailed-exitcode: changes pending (attach would change something)' },
  handler: async () => (await import('../handlers/plan.js')).plan,
});
