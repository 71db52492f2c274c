/**
 * `edge-install logs`: the integration's Lambda@Edge logs from every Region its functions ran
 * in, as one stream ordered by time (START/END/REPORT folded into one line per invocation),
 * or NDJSON with --json; --follow keeps polling, --request-id finds one request's lines.
 */
import { collect, defineCommand, distributionOption } from '../define-command.js';
import type { LogsFlags } from '../handlers/logs.js';

export const logs = defineCommand<LogsFlags>({
  name: 'logs',
  description: "the integration's Lambda@Edge logs from every Region they ran in, merged in time order (read-only)",
  options: [
    { flags: '--function <key>', description: "a function key of the manifest (repeatable; default: all of its functions)", parse: collect as never, default: [] },
    { flags: '--since <when>', description: 'from when: 90s, 15m, 2h, 3d, 1w ago, or an ISO 8601 date or time (UTC unless it has a zone) (default: 15m; 1d with --request-id)' },
    { flags: '--until <when>', description: 'until when, as --since (default: no end)' },
    { flags: '--follow', description: 'keep printing new lines as they arrive, until Ctrl-C' },
    { flags: '--filter <pattern>', description: 'a CloudWatch Logs filter pattern, applied by CloudWatch Logs (e.g. ERROR, or \'"user 42"\')' },
    { flags: '--request-id <id>', description: "one request's lines, in whichever Region ran it: its X-Amz-Cf-Id (56 characters) or a Lambda request id (a UUID)" },
    { flags: '--errors', description: "only errors: ERROR lines, failed invocations (thrown, timed out, Runtime.*), and CloudFront's validation errors of the distributions" },
    { flags: '--regions <list>', description: 'Regions to search, comma-separated, or all (default: the 13 Regions with a regional edge cache)' },
    distributionOption("read CloudFront's Lambda@Edge validation errors of, with --errors or --request-id"),
  ],
  examples: [
    'edge-install logs --since 1h',
    'edge-install logs --follow --errors',
    'edge-install logs --request-id 6oW-aWn_-pKbCMG3O_Nb1DB5lqTOFNeiRp2ZwA1kOzm3GdFuO1z7fQ==',
    'edge-install logs --function proxy --since 2026-06-23T14:00Z --until 2026-06-23T15:00Z --filter \'"Invoke Error"\'',
    'edge-install logs --since 1d --json | jq -r \'select(.type == "invocation") | .durationMs\'',
  ],
  globals: ['manifest', 'aws'],
  exitCodes: { ok: 'success; with --follow, also when stopped with Ctrl-C or SIGTERM' },
  handler: async () => (await import('../handlers/logs.js')).logs,
});
