/**
 * `edge-install state pull --from s3://bucket/prefix`: copy the integration's revisions (and any
 * pending journal entry) from S3 into the state dir — to work offline, or to leave S3.
 * Idempotent; a diverging history in the state dir is refused, naming the first difference.
 */
import { defineCommand } from '../define-command.js';
import type { StateTransferFlags } from '../handlers/state-transfer.js';

export const statePull = defineCommand<StateTransferFlags>({
  name: 'state pull',
  description: "copy the integration's revisions from S3 into the state dir (idempotent; never overwrites)",
  options: [
    { flags: '--from <s3-url>', description: "where in S3: s3://bucket/prefix (default: the manifest's state.s3)" },
    { flags: '--dry-run', description: 'show what would be copied and write nothing' },
  ],
  examples: ['edge-install state pull --from s3://acme-edge-state/edge-install/prod', 'edge-install state pull --from s3://acme-edge-state/edge-install/prod --state-dir restored --dry-run'],
  globals: ['manifest', 'aws', 'state'],
  handler: async () => (await import('../handlers/state-transfer.js')).statePull,
});
