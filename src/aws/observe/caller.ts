/**
 * Who is running: the caller identity ARN that every revision records as `by`, so that
 * `edge-install revisions` can say who made each change.
 *
 * It is the run's one sts:GetCallerIdentity answer (account.ts, observeAccount, which owns the
 * call and its cache): a gather starts it next to its other reads, and the write that records
 * the revision finds it ready (src/apply/record.ts), so a run pays no extra round trip for it.
 *
 * A failure is never a reason to stop: the answer is undefined and the revision is recorded
 * without `by` (shown as "unknown"). GetCallerIdentity needs no permission — "No permissions
 * are required to perform this operation. If an administrator attaches a policy to your
 * identity that explicitly denies access to the sts:GetCallerIdentity action, you can still
 * perform this operation" (STS API Reference, GetCallerIdentity) — so it fails only where the
 * endpoint cannot be reached or the credentials are bad, and then the write that follows says
 * so in its own words; a change that did go through must still be recorded.
 */
import type { AwsClients } from '../clients.js';
import { observeAccount } from './account.js';

/** The caller identity ARN of these clients' credentials, or undefined when STS cannot say. Never rejects. */
export function callerArn(clients: AwsClients): Promise<string | undefined> {
  return observeAccount(clients).then(
    (account) => account.callerArn || undefined,
    () => undefined,
  );
}
