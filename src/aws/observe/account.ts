import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../clients.js';

export interface ObservedAccount {
  accountId: string;
  callerArn: string;
}

export async function observeAccount(clients: AwsClients): Promise<ObservedAccount> {
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  return { accountId: identity.Account!, callerArn: identity.Arn! };
}
