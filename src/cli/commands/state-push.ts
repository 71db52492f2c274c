/**
 * `edge-install state push --to s3://bucket/prefix`: copy the integration's revisions (and any
 * pending journal entry) from the state dir to S3, so that a team and its CI share one history.
 * Idempotent; a diverging history in S3 is refused, naming the first difference.
 */
import { defineCommand } from '../define-command.js';
import type { StateTransferFlags } from '../handlers/state-transfer.js';

export const statePush = defineCommand<StateTransferFlags>({
  name: 'state push',
  description: "copy the integration's revisions from the state dir to S3 (idempotent; never overwrites)",
  options: [
    { flags: '--to <s3-url>', description: "where in S3: s3://bucket/prefix (default: the manifest's state.s3)" },
    { flags: '--dry-run', description: 'show what would be copied and write nothing' },
  ],
  examples: ['edge-install state push --to s3://acme-edge-state/edge-install/prod', 'edge-install state push --to s3://acme-edge-state/edge-install/prod --state-dir ci-state --dry-run'],
  globals: ['manifest', 'aws', 'state'],
  handler: async () => (await import('../handlers/state-transfer.js')).statePush,
});
