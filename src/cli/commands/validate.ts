/**
 * `edge-install validate`: every check of the manifest that needs no AWS — its schema,
 * interpolation and recipe rules, and every function bundled as attach would bundle it (handler
 * export, imports, size limits of the events it is attached to). No credentials, no network:
 * for pre-commit hooks and CI lint jobs. Exit 0 valid, 2 not.
 */
import { defineCommand } from '../define-command.js';
import type { ValidateFlags } from '../handlers/validate.js';

export const validate = defineCommand<ValidateFlags>({
  name: 'validate',
  description: 'check the manifest and build every function, with no AWS call and no credentials (exit 0 valid, 2 not)',
  examples: ['edge-install validate', 'edge-install validate --config infra/edge-install.json --json'],
  handler: async () => (await import('../handlers/validate.js')).validate,
});
