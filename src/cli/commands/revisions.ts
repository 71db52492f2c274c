/**
 * `edge-install revisions`: the integration's history — id, time, who, command, distribution,
 * what changed; `revisions show <id>` prints one as a plan document. The ids are what
 * `rollback --to` takes.
 *
 * Read-only, and it takes no lock (as `terraform state list` and `helm history` take none): it
 * changes nothing, so it never keeps a run from starting, and it works while one holds the
 * lock. A revision is written whole before its name appears (src/state), so a list made while
 * a run records one shows it or does not, never half of it. With the state in a directory it
 * needs no AWS credentials at all: who made each change is in the revisions themselves.
 */
import { InvalidArgumentError } from 'commander';
import { collectDistribution, defineCommand, wholeNumber, type OptionSpec } from '../define-command.js';
import type { RevisionsFlags } from '../handlers/revisions.js';

/** --limit: a whole number, or a usage error (exit 2) naming the flag. */
function limit(value: string): number {
  try {
    return wholeNumber(value, '--limit', 1, 100_000);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const distribution: OptionSpec = {
  flags: '--distribution <id>',
  description: "only this distribution's revisions (repeatable; default: every distribution the history names, the manifest's or not)",
  parse: collectDistribution as OptionSpec['parse'],
  default: [],
};

export const revisions = defineCommand<RevisionsFlags>({
  name: 'revisions',
  description: "list the integration's revisions, oldest first: id, time, who, command, distribution, what changed (read-only; no lock, no AWS call with a local state dir)",
  options: [distribution, { flags: '--limit <n>', description: 'only the latest n revisions', parse: limit as OptionSpec['parse'] }],
  examples: ['edge-install revisions', 'edge-install revisions --distribution E1DEMO0EXAMPLE --limit 5', 'edge-install revisions --json'],
  // Reads the state (S3 state needs the AWS options); asks nothing, writes nothing.
  globals: ['manifest', 'aws', 'state'],
  handler: async () => (await import('../handlers/revisions.js')).listRevisions,
});

export const revisionsShow = defineCommand<RevisionsFlags>({
  name: 'revisions show',
  description: 'print one revision as a plan document: what it changed, who made it and when',
  arguments: [{ name: '<id>', description: 'a revision id from `edge-install revisions` (000003-E1DEMO0EXAMPLE), or its number (3)' }],
  examples: ['edge-install revisions show 000003-E1DEMO0EXAMPLE', 'edge-install revisions show 3 --json'],
  // Reads the state (S3 state needs the AWS options); asks nothing, writes nothing.
  globals: ['manifest', 'aws', 'state'],
  handler: async () => (await import('../handlers/revisions.js')).showRevision,
});
