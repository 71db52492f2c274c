/**
 * `edge-install secret set|keys|rotate`: change the integration's secret without re-running
 * init — each shows what changes, asks (or --yes), writes one new secret version and records it
 * so that `rollback` can move the secret back.
 */
import { defineCommand } from '../define-command.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';
import type { SecretFlags } from '../handlers/secret.js';

const dryRun = { flags: '--dry-run', description: 'show what would change; write nothing' };

export const secretSet = defineCommand<SecretFlags>({
  name: 'secret set',
  description: "set one sensitive key of the integration's secret (a masked prompt on a terminal; never a value on the command line)",
  arguments: [{ name: '<key>', description: 'the key, as the manifest names it (secret.keys)' }],
  options: [
    { flags: '--from-stdin', description: 'read the value from stdin: all of it, one trailing newline removed' },
    { flags: '--from-env <var>', description: 'read the value from this environment variable (its name, not the value)' },
    dryRun,
  ],
  examples: [
    'edge-install secret set FPJS_PRE_SHARED_SECRET',
    'printf %s "$VALUE" | edge-install secret set FPJS_PRE_SHARED_SECRET --from-stdin --yes',
    'edge-install secret set PX_AUTH_TOKEN --from-env PX_AUTH_TOKEN --yes',
  ],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/secret.js')).secretSet,
});

export const secretKeys = defineCommand<SecretFlags>({
  name: 'secret keys',
  description: "list the secret's keys, what kind each is and when each last changed (never values)",
  examples: ['edge-install secret keys', 'edge-install secret keys --json'],
  handler: async () => (await import('../handlers/secret.js')).secretKeys,
});

export const secretRotate = defineCommand<SecretFlags>({
  name: 'secret rotate',
  description: 'replace one key the manifest marks "generated" (nobody else issues it) with a new random value; any other key: use secret set',
  arguments: [{ name: '<key>', description: 'the key, as the manifest names it (secret.keys)' }],
  options: [dryRun],
  examples: ['edge-install secret rotate SESSION_SIGNING_KEY', 'edge-install secret rotate SESSION_SIGNING_KEY --yes'],
  exitCodes: WRITE_EXIT_CODES,
  handler: async () => (await import('../handlers/secret.js')).secretRotate,
});
