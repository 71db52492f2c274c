/**
 * `edge-install attach`: plan, show, confirm, apply (one ETag-pinned UpdateDistribution per
 * distribution), wait until Deployed, verify, record a revision.
 */
import type { Command } from 'commander';
import { collectDistribution } from '../context.js';

export interface AttachFlags {
  distribution: string[];
  plan?: string;
  dryRun?: boolean;
  wait: boolean;
  waitTimeout: string;
  verifyUrl?: string;
  replaceForeign?: boolean;
  rollbackOnFailure?: boolean;
  concurrency: string;
}

/** 35 minutes: longer than the AWS CLI's 25, which users hit on busy days. */
const DEFAULT_WAIT_SECONDS = 35 * 60;

export function registerAttach(program: Command): void {
  program
    .command('attach')
    .description('apply the manifest to the distribution(s): one atomic, ETag-pinned change; waits; records a revision')
    .option('--distribution <id>', "distribution to attach to (repeatable; default: the manifest's)", collectDistribution, [])
    .option('--plan <file>', 'apply a plan saved by plan --out, refusing it if anything changed since')
    .option('--dry-run', 'show the plan and stop')
    .option('--no-wait', 'do not wait until the distribution is Deployed')
    .option('--wait-timeout <s>', 'how long to wait for Deployed', String(DEFAULT_WAIT_SECONDS))
    .option('--verify-url <url>', 'after deploying, request this URL and fail on a 5xx answer')
    .option('--replace-foreign', "replace another Lambda@Edge function on the same event (it is recorded, so rollback and detach restore it)")
    .option('--rollback-on-failure', 'if waiting or --verify-url fails after the change, put the owned parts back as they were')
    .option('--concurrency <n>', 'distributions worked on at once', '4')
    .action(async (flags: AttachFlags, command: Command) => (await import('../actions/attach.js')).runAttach(flags, command));
}
