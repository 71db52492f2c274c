/**
 * `edge-install demo`: the whole flow on an in-process sandbox, no AWS account needed — the
 * README's first command.
 */
import { defineCommand } from '../define-command.js';
import type { DemoFlags } from '../handlers/demo.js';

export const demo = defineCommand<DemoFlags>({
  name: 'demo',
  description: 'the whole flow on a local sandbox, no AWS account needed: init → plan → attach → status → rollback',
  options: [{ flags: '--keep', description: 'keep the demo project directory (manifest, revisions) and print where it is' }],
  examples: ['edge-install demo', 'edge-install demo --keep   # then look at the manifest and revisions it printed the path of'],
  globals: [],
  exitCodes: { ok: 'every step of the flow ran', failure: 'a step failed (the demo stops there and says which)' },
  handler: async () => (await import('../handlers/demo.js')).demo,
});
