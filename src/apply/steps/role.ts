/** Role step: the execution role, its trust policy and its one inline policy, each only when it differs. */
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, PutRolePolicyCommand, TagRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients.js';
import { ifExists } from '../../aws/errors.js';
import type { ObservedRole } from '../../aws/observe/role.js';
import type { RoleChange } from '../../plan/resources.js';
import type { UndoLog } from '../undo.js';

export async function applyRole(clients: AwsClients, change: RoleChange, undo: UndoLog, observed: ObservedRole): Promise<{ arn: string }> {
  const iam = clients.iam;
  let arn = observed.arn;
  if (change.createRole) {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: change.name,
        AssumeRolePolicyDocument: JSON.stringify(change.trustPolicy),
        Description: 'Lambda@Edge execution role managed by edge-install',
        Tags: Object.entries(change.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    arn = created.Role!.Arn!;
    undo.push(
      `delete role ${change.name}`,
      async () => {
        await ifExists(() => iam.send(new DeleteRolePolicyCommand({ RoleName: change.name, PolicyName: change.policyName })), 'NoSuchEntityException');
        await iam.send(new DeleteRoleCommand({ RoleName: change.name }));
      },
      { kind: 'integration' },
    );
  }
  // Adopted: tagged as the integration's and as not created by it. Left on undo: tags change nothing that runs.
  if (!change.createRole && Object.keys(change.tagsToAdd).length) {
    await iam.send(new TagRoleCommand({ RoleName: change.name, Tags: Object.entries(change.tagsToAdd).map(([Key, Value]) => ({ Key, Value })) }));
  }
  if (change.updateTrust) {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: change.name, PolicyDocument: JSON.stringify(change.trustPolicy) }));
    undo.push(`restore the trust policy of role ${change.name}`, async () => {
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: change.name, PolicyDocument: JSON.stringify(observed.trustPolicy) }));
    });
  }
  if (change.putExecutionPolicy) {
    await iam.send(new PutRolePolicyCommand({ RoleName: change.name, PolicyName: change.policyName, PolicyDocument: JSON.stringify(change.executionPolicy) }));
    if (!change.createRole) {
      const previous = observed.executionPolicy;
      undo.push(`restore the policy of role ${change.name}`, async () => {
        if (previous === undefined) await iam.send(new DeleteRolePolicyCommand({ RoleName: change.name, PolicyName: change.policyName }));
        else await iam.send(new PutRolePolicyCommand({ RoleName: change.name, PolicyName: change.policyName, PolicyDocument: JSON.stringify(previous) }));
      });
    }
  }
  return { arn: arn! };
}
