/**
 * GATHER for `demo`: the distribution's config as the SDK reads it, before and after the demo
 * runs the real commands — its one claim is that they are identical, member for member.
 */
import { createClients } from '../aws/clients.js';
import { observeDistribution } from '../aws/observe/distribution.js';

export async function distributionConfigAt(endpointUrl: string, id: string): Promise<unknown> {
  const clients = createClients({ endpointUrl });
  try {
    return (await observeDistribution(clients, id)).config;
  } finally {
    clients.destroy();
  }
}
