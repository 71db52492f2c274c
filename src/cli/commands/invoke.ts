/**
 * `edge-install invoke <function>`: run one function of the manifest locally, once, on the
 * event of its trigger, and say what CloudFront would do with the result. No AWS call.
 */
import { collect, collectMapping, defineCommand } from '../define-command.js';
import { LOCAL_EXIT_CODES } from '../help/exit-codes.js';
import type { InvokeFlags } from '../handlers/invoke.js';

export const invoke = defineCommand<InvokeFlags>({
  name: 'invoke',
  description: "run one of the manifest's functions locally on a realistic CloudFront event and show what CloudFront would do with the result (no AWS call)",
  arguments: [{ name: '<function>', description: 'the function key in edge-install.json (functions.<key>)' }],
  options: [
    { flags: '--event <type>', description: "viewer-request, origin-request, origin-response or viewer-response (default: the function's trigger)" },
    { flags: '--path <url-path>', description: "the request path (default: one under the trigger's behavior)" },
    { flags: '--method <method>', description: 'the request method', default: 'GET' },
    { flags: '--header <name:value>', description: 'a request header (repeatable)', parse: collect as never, default: [] },
    { flags: '--query <query>', description: 'the query string, e.g. "a=1&b=2"', default: '' },
    { flags: '--body <body>', description: 'the request body: text, or @file to read it from a file' },
    { flags: '--response-status <code>', description: "the origin's status for response events", default: '200' },
    { flags: '--secrets-file <file>', description: 'values of the secret the function reads: a JSON object of key to value (as for init); never argv' },
    { flags: '--secrets-from-env', description: 'values of the secret from EDGE_INSTALL_SECRET_<KEY> environment variables' },
    { flags: '--origin <host=url>', description: 'let the function reach HOST at URL (repeatable); nothing else is reachable', parse: collectMapping('--origin', 'fpcdn.io=http://127.0.0.1:9000', true) as never, default: [] },
    { flags: '--edge-region <region>', description: 'the Region the function runs in (AWS_REGION; which replica of the secret it reads)', default: 'us-east-1' },
  ],
  examples: [
    'edge-install invoke proxy',
    'edge-install invoke proxy --event origin-request --method POST --path /fpjs/result --body @payload.json --secrets-file secrets.json',
    'edge-install invoke proxy --event origin-response --response-status 404 --json',
  ],
  globals: ['manifest'],
  exitCodes: LOCAL_EXIT_CODES,
  handler: async () => (await import('../handlers/invoke.js')).invoke,
});
