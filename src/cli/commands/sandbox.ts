/**
 * `edge-install sandbox`: run the local AWS control-plane emulator (EMULATOR.md) until
 * SIGINT/SIGTERM. Prints exactly one JSON line on stdout when ready, so scripts can read the
 * endpoint: {"endpoint":"http://127.0.0.1:PORT","distributionIds":[…]}.
 */
import { defineCommand } from '../define-command.js';
import type { SandboxFlags } from '../handlers/sandbox.js';

/** A fixed default so copy-pasted endpoints keep working across restarts; 0 asks for any free port. */
const DEFAULT_PORT = 4580;

export const sandbox = defineCommand<SandboxFlags>({
  name: 'sandbox',
  description: 'run the local AWS emulator (CloudFront, Lambda, IAM, Secrets Manager, STS); no AWS account needed',
  options: [
    { flags: '--port <n>', description: 'port to listen on; 0 picks a free one', default: String(DEFAULT_PORT) },
    { flags: '--host <h>', description: 'address to bind', default: '127.0.0.1' },
    { flags: '--seed <seed>', description: "start state: 'demo', 'empty', or a JSON state file", default: 'demo' },
    { flags: '--deploy-delay <ms>', description: 'how long a distribution stays InProgress after a write (default 3000)' },
    { flags: '--state-file <f>', description: 'keep state in this JSON file across restarts' },
  ],
  examples: ['edge-install sandbox --port 0', 'edge-install sandbox --seed empty --state-file sandbox.json'],
  handler: async () => (await import('../handlers/sandbox.js')).sandbox,
});
