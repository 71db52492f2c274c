import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { EXECUTION_POLICY_NAME, roleName } from '../../manifest/naming.js';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';

export interface ObservedRole {
  exists: boolean;
  name: string;
  arn?: string;
  trustPolicy?: unknown;
  /** edge-install's inline policy, if present. */
  executionPolicy?: unknown;
  tags: Record<string, string>;
}

/** IAM returns policy documents URL-encoded. */
const decodeDocument = (encoded: string | undefined): unknown => (encoded ? JSON.parse(decodeURIComponent(encoded)) : undefined);

export async function observeRole(clients: AwsClients, integration: string): Promise<ObservedRole> {
  const name = roleName(integration);
  const got = await ifExists(() => clients.iam.send(new GetRoleCommand({ RoleName: name })), 'NoSuchEntityException');
  if (!got?.Role) return { exists: false, name, tags: {} };
  const policy = await ifExists(
    () => clients.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: EXECUTION_POLICY_NAME })),
    'NoSuchEntityException',
  );
  return {
    exists: true,
    name,
    arn: got.Role.Arn,
    trustPolicy: decodeDocument(got.Role.AssumeRolePolicyDocument),
    executionPolicy: decodeDocument(policy?.PolicyDocument),
    tags: Object.fromEntries((got.Role.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
  };
}
