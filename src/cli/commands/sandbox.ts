/**
 * `edge-install sandbox`: run the local AWS control-plane emulator (EMULATOR.md) until
 * SIGINT/SIGTERM. Prints exactly one JSON line on stdout when ready, so scripts can read the
 * endpoint: {"endpoint":"http://127.0.0.1:PORT","distributionIds":[…],"edge":{"E…":"http://127.0.0.1:PORT"}}.
 * Every distribution is also served as a local CloudFront edge (src/sandbox/edge/): requests
 * run its behaviors, policies and functions, and reach the origins mapped with --origin/--s3-dir.
 *
 * With --from-distribution it is a rehearsal: the sandbox starts with exact copies of real
 * distributions, read (read-only) from the account --profile reaches.
 */
import { collectDistribution, collectMapping, defineCommand } from '../define-command.js';
import type { SandboxFlags } from '../handlers/sandbox.js';

/** A fixed default so copy-pasted endpoints keep working across restarts; 0 asks for any free port. */
const DEFAULT_PORT = 4580;

export const sandbox = defineCommand<SandboxFlags>({
  name: 'sandbox',
  description:
    'run the local AWS emulator (CloudFront, Lambda, IAM, Secrets Manager, STS); no AWS account needed. ' +
    'With --from-distribution, rehearse on exact copies of real distributions (read-only: nothing is written to the real account)',
  options: [
    { flags: '--port <n>', description: 'port to listen on; 0 picks a free one', default: String(DEFAULT_PORT) },
    { flags: '--host <h>', description: 'address to bind', default: '127.0.0.1' },
    { flags: '--seed <seed>', description: "start state: 'demo' (the default), 'empty', or a JSON state file; not together with --from-distribution" },
    {
      flags: '--from-distribution <id>',
      description:
        'start with an exact copy of this real distribution instead of a seed (repeatable): its config, tags, custom policies, ' +
        'and pass-through stubs of its edge functions, read with --profile (Get/List/Describe calls only). ' +
        'With --state-file the copy is kept there: restart with --state-file alone to resume it',
      parse: collectDistribution,
      default: [],
    },
    { flags: '--deploy-delay <ms>', description: 'how long a distribution stays InProgress after a write (default 3000)' },
    {
      flags: '--origin <host=url>',
      description: "local edge: serve the custom origin HOST from URL (repeatable), e.g. api.example.com=http://127.0.0.1:9000; unmapped origins answer 502, the internet is never reached",
      parse: collectMapping('--origin', 'api.example.com=http://127.0.0.1:9000', true),
      default: [],
    },
    {
      flags: '--s3-dir <bucket=dir>',
      description: 'local edge: serve the S3 origin BUCKET from a local directory (repeatable), e.g. example-site-prod=./site',
      parse: collectMapping('--s3-dir', 'example-site-prod=./site', false),
      default: [],
    },
    { flags: '--edge-region <region>', description: 'local edge: serve every request from this Region (default: round-robin over the regional edge cache Regions; a request may pick one with X-Sandbox-Edge-Region)' },
    { flags: '--edge-seed <n>', description: 'local edge: seed the weight-based continuous deployment draws, so the same requests go to the same (primary or staging) distribution every run' },
    { flags: '--state-file <f>', description: 'keep state in this JSON file across restarts (with --from-distribution: a file that does not exist yet)' },
  ],
  examples: [
    'edge-install sandbox --port 0',
    'edge-install sandbox --origin api.example.com=http://127.0.0.1:9000 --s3-dir example-site-prod=./site   # then curl the "edge" URL of the ready line',
    'edge-install sandbox --seed empty --state-file sandbox.json',
    'edge-install sandbox --from-distribution E2QWRUHAPOMQZL --profile prod   # a rehearsal on a copy of E2QWRUHAPOMQZL',
    'edge-install plan --endpoint-url http://127.0.0.1:4580 --distribution E2QWRUHAPOMQZL   # then, in another terminal',
  ],
  globals: ['aws'],
  exitCodes: { ok: 'stopped with Ctrl-C or SIGTERM (it runs until then)', interrupted: false },
  handler: async () => (await import('../handlers/sandbox.js')).sandbox,
});
