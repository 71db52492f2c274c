/**
 * `edge-install validate`: every check of the manifest that needs no AWS — its schema,
 * interpolation and recipe rules, and every function bundled as attach would bundle it (handler
 * export, imports, size limits of the events it is attached to). No credentials, no network:
 * for pre-commit hooks and CI lint jobs. Exit 0 valid, 2 not.
 */
import { defineCommand } from '../define-command.js';
import { LOCAL_EXIT_CODES } from '../help/exit-codes.js';
import type { ValidateFlags } from '../handlers/validate.js';

export const validate = defineCommand<ValidateFlags>({
  name: 'validate',
  description: 'check the manifest and build every function, with no AWS call and no credentials (exit 0 valid, 2 not)',
  examples: ['edge-install validate', 'edge-install validate --config infra/edge-install.json --json'],
  globals: ['manifest'],
  exitCodes: { ...LOCAL_EXIT_CODES, ok: 'the manifest is valid and every function builds within its limits', usage: 'it is not (each problem is listed with its place and fix), or a bad flag' },
  handler: async () => (await import('../handlers/validate.js')).validate,
});
