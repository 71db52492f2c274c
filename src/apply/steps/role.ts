/** Role step: the execution role, its trust policy and its one inline policy, each only when it differs. */
import { CreateRoleCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients.js';
import type { RoleChange } from '../../plan/resources.js';

export async function applyRole(clients: AwsClients, change: RoleChange, observedArn?: string): Promise<{ arn: string }> {
  let arn = observedArn;
  if (change.createRole) {
    const created = await clients.iam.send(
      new CreateRoleCommand({
        RoleName: change.name,
        AssumeRolePolicyDocument: JSON.stringify(change.trustPolicy),
        Description: 'Lambda@Edge execution role managed by edge-install',
        Tags: Object.entries(change.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    arn = created.Role!.Arn!;
  }
  if (change.updateTrust) {
    await clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: change.name, PolicyDocument: JSON.stringify(change.trustPolicy) }));
  }
  if (change.putExecutionPolicy) {
    await clients.iam.send(
      new PutRolePolicyCommand({ RoleName: change.name, PolicyName: change.policyName, PolicyDocument: JSON.stringify(change.executionPolicy) }),
    );
  }
  return { arn: arn! };
}
