/**
 * Reading copies of real distributions (read-only) for `sandbox --from-distribution` and
 * `dev`: the account, then each distribution with what it references. A failed read is said
 * as CLI.md wants — what, where, and the fix — and bad input (no credentials, an unknown id,
 * a refused read) is exit 2 before anything starts.
 */
import type { DistributionCopyRead } from '../aws/observe/distribution-copy.js';
import { awsCallOf, classifyAwsError, describeAwsError, isAwsError } from '../aws/errors.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

/** A failed read of the real account, said as CLI.md wants: what, where, and the fix. */
function copyError(error: unknown, ids: string[], accountId: string | undefined, profile: string | undefined): unknown {
  const kind = classifyAwsError(error);
  const e = error as Error;
  const aws = kind === undefined ? '' : ` (${e.name}: ${e.message.split('\n')[0]!.replace(/\.+$/, '')})`;
  if (kind === 'credentials-missing') {
    const given = profile ? `: the profile '${profile}' gives none` : '';
    return new UsageError(
      `no AWS credentials to read ${ids.join(', ')} with${given}${aws}.\n` +
        `Fix: set --profile or AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY${profile ? ` (aws configure --profile ${profile}, or aws sso login --profile ${profile})` : ''}.`,
    );
  }
  if (isAwsError(error, 'NoSuchDistribution')) {
    const id = awsCallOf(error)?.resource ?? ids.join(', ');
    return new UsageError(
      `--from-distribution ${id}: ${id} does not exist in account ${accountId ?? '(unknown)'} — check the id and --profile${aws}.\n` +
        'Fix: `aws cloudfront list-distributions --query "DistributionList.Items[].Id"` (with the same profile) lists the distributions of the account.',
    );
  }
  if (kind === 'access-denied') {
    // The taxonomy's fix names the permission (allow cloudfront:GetDistributionConfig …); the CLI adds it from the cause.
    const what = describeAwsError(error)!.what;
    return new UsageError(`${what} A rehearsal needs to read this to copy it (nothing was written).`, { cause: error });
  }
  return error;
}


/** The account and the copies of `ids`, read with the command's AWS clients (--profile, --endpoint-url). */
export async function readCopy(ctx: CommandContext<unknown>, ids: string[]): Promise<{ accountId: string; read: DistributionCopyRead }> {
  const clients = await ctx.clients();
  const { observeAccount } = await import('../aws/observe/account.js');
  const { readDistributionCopy } = await import('../aws/observe/distribution-copy.js');
  let accountId: string | undefined;
  try {
    accountId = (await observeAccount(clients)).accountId;
    return { accountId, read: await readDistributionCopy(clients, ids, accountId) };
  } catch (error) {
    throw copyError(error, ids, accountId, ctx.global.profile);
  }
}
