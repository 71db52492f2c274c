/**
 * `edge-install init`: guided setup — recipe, distribution, the recipe's questions, secret
 * values (masked) — writing edge-install.json and creating or updating the secret. Every
 * answer can also come from a flag, a file or the environment (non-interactive, CI).
 */
import { collect, collectDistribution, defineCommand } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { InitFlags } from '../handlers/init.js';

export const init = defineCommand<InitFlags>({
  name: 'init',
  description: 'guided setup: pick a recipe and a distribution, answer its questions and enter secret values; writes edge-install.json and the secret',
  options: [
    { flags: '--recipe <recipe>', description: 'first-party-proxy, edge-enforcer or custom' },
    { flags: '--name <id>', description: 'integration name (prefixes every resource it owns)' },
    { flags: '--distribution <id>', description: 'distribution to install on (repeatable)', parse: collectDistribution as never, default: [] },
    { flags: '--set <key=value>', description: "answer one of the recipe's questions (repeatable); never a secret value", parse: collect as never, default: [] },
    { flags: '--secrets-file <file>', description: 'secret values: a JSON object of secret key to value' },
    { flags: '--secrets-from-env', description: 'secret values from EDGE_INSTALL_SECRET_<KEY> environment variables' },
    { flags: '--secrets-stdin', description: 'secret values: a JSON object read from stdin' },
    { flags: '--force', description: "replace an existing manifest; change the secret of an integration that is live" },
    { flags: '--dry-run', description: 'show what would be written (manifest, starter files, secret keys) and write nothing' },
    { flags: '--generate-paths', description: "draw random values for paths the vendor issues (the first-party proxy's behaviorPath, agentDownloadPath, getResultPath) instead of requiring them" },
  ],
  examples: [
    'npx edge-install init',
    'edge-install init --dry-run',
    'edge-install init --non-interactive --recipe first-party-proxy --distribution E2QWRUHAPOMQZL --set behaviorPath=fpjs --set agentDownloadPath=agent --set getResultPath=result --secrets-from-env',
    'edge-install init --non-interactive --recipe custom --distribution E2QWRUHAPOMQZL --set eventType=origin-request --set secretKeys=API_KEY --secrets-file secrets.json',
  ],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/init.js')).init,
});
