/**
 * `edge-install dev`: serve the manifest's integration on a local CloudFront edge in front of
 * an origin, installing it again on every file change. No AWS account needed with an origin
 * URL; with a real (or rehearsal) endpoint it copies the manifest's distribution, read-only.
 */
import { collectDistribution, collectMapping, defineCommand } from '../define-command.js';
import type { DevFlags } from '../handlers/dev.js';

export const dev = defineCommand<DevFlags>({
  name: 'dev',
  description: "serve the manifest's integration on a local CloudFront edge in front of an origin, rebuilt on every change (the functions run as at the edge; nothing is deployed)",
  options: [
    {
      flags: '--origin <url|host=url>',
      description: "a URL: serve in front of it (a plain distribution, no AWS account needed); HOST=URL: serve an origin of the copied distribution, or a host the functions reach, from URL (repeatable)",
      parse: collectOrigin as never,
      default: [],
    },
    { flags: '--s3-dir <bucket=dir>', description: "serve an S3 origin's bucket from a local directory (repeatable)", parse: collectMapping('--s3-dir', 'example-site-prod=./site', false) as never, default: [] },
    { flags: '--distribution <id>', description: "the distribution to serve on (default: the manifest's first)", parse: collectDistribution as never, default: [] },
    { flags: '--port <n>', description: 'port to serve on; 0 picks a free one', default: '8787' },
    { flags: '--host <h>', description: 'address to bind', default: '127.0.0.1' },
    { flags: '--secrets-file <file>', description: 'values of the secret the functions read: a JSON object of key to value (as for init); never argv' },
    { flags: '--secrets-from-env', description: 'values of the secret from EDGE_INSTALL_SECRET_<KEY> environment variables' },
    { flags: '--edge-region <region>', description: 'serve every request from this Region (default: round-robin over the regional edge cache Regions)' },
    { flags: '--no-watch', description: 'install once and serve; do not rebuild on changes' },
  ],
  examples: [
    'edge-install dev --origin http://localhost:3000',
    'edge-install dev --origin http://localhost:3000 --origin fpcdn.io=http://127.0.0.1:9100 --secrets-file secrets.json',
    'edge-install dev --endpoint-url http://127.0.0.1:4580 --origin api.example.com=http://localhost:3000   # on a rehearsal copy',
  ],
  globals: ['manifest', 'aws'],
  exitCodes: { ok: 'stopped with Ctrl-C or SIGTERM (it serves until then)', interrupted: false },
  handler: async () => (await import('../handlers/dev.js')).dev,
});

/** --origin: a URL (the origin to serve in front of) or HOST=URL (a mapping). */
function collectOrigin(value: string, previous: string[]): string[] {
  if (/^https?:\/\/[^\s/]+/.test(value)) return [...previous, value];
  return collectMapping('--origin', 'http://localhost:3000 or api.example.com=http://127.0.0.1:9000', true)(value, previous);
}
