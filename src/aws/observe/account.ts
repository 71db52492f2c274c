/**
 * Whose credentials these are: the account and the caller identity ARN (sts:GetCallerIdentity).
 *
 * This module owns the one STS call. It is asked once per set of clients (one run) and the
 * answer is shared: `init` and `import` show the account, the attach gather reads it beside
 * the resources, and the revision's `by` (caller.ts, callerArn) is the same answer — so a run
 * never pays for the question twice, and every part of it names the same caller.
 *
 * A failure is kept too (it rejects for every asker): within one run the credentials do not
 * change, and the SDK has already retried what it retries.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../clients.js';

export interface ObservedAccount {
  accountId: string;
  callerArn: string;
}

const asked = new WeakMap<AwsClients, Promise<ObservedAccount>>();

async function ask(clients: AwsClients): Promise<ObservedAccount> {
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  return { accountId: identity.Account!, callerArn: identity.Arn! };
}

/** The account and caller of these clients' credentials; rejects as STS did (bad credentials, no endpoint). */
export function observeAccount(clients: AwsClients): Promise<ObservedAccount> {
  let answer = asked.get(clients);
  if (!answer) {
    answer = ask(clients);
    asked.set(clients, answer);
  }
  return answer;
}
