/**
 * `edge-install bundle`: writes the exact zips attach would upload (one per function, named as
 * its Lambda function) with their CodeSha256, as Lambda reports it — to inspect, to scan, or to
 * compare with what runs (`aws lambda get-function` shows the same CodeSha256). No AWS call.
 */
import { defineCommand } from '../define-command.js';
import { LOCAL_EXIT_CODES } from '../help/exit-codes.js';
import type { ValidateFlags } from '../handlers/validate.js';

export const bundle = defineCommand<ValidateFlags>({
  name: 'bundle',
  description: 'write the zips attach would upload, with their CodeSha256 (no AWS call)',
  options: [{ flags: '--out <dir>', description: 'where to write them', default: 'edge-install-bundles' }],
  examples: ['edge-install bundle', 'edge-install bundle --out build/edge --json'],
  globals: ['manifest'],
  exitCodes: LOCAL_EXIT_CODES,
  handler: async () => (await import('../handlers/validate.js')).bundle,
});
