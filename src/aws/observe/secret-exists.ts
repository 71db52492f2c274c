import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { ManifestSecret } from '../../manifest/schema.js';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';

/** Whether the secret exists (and is not scheduled for deletion); its value is never read. */
export async function secretExists(clients: AwsClients, secret: ManifestSecret): Promise<boolean> {
  const described = await ifExists(() => clients.secrets(secret.region).send(new DescribeSecretCommand({ SecretId: secret.name })), 'ResourceNotFoundException');
  return !!described && described.DeletedDate === undefined;
}
