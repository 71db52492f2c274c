/** Cache-policy step: create or update (If-Match) the manifest's own policies; managed ones are never touched. */
import { CreateCachePolicyCommand, UpdateCachePolicyCommand } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../../aws/clients.js';
import type { CachePolicyChange } from '../../plan/resources.js';

export async function applyCachePolicy(clients: AwsClients, change: CachePolicyChange): Promise<{ key: string; id: string }> {
  if (change.action === 'create') {
    const created = await clients.cloudfront.send(new CreateCachePolicyCommand({ CachePolicyConfig: change.config }));
    return { key: change.key, id: created.CachePolicy!.Id! };
  }
  if (change.action === 'update') {
    await clients.cloudfront.send(new UpdateCachePolicyCommand({ Id: change.id, IfMatch: change.etag, CachePolicyConfig: change.config }));
  }
  return { key: change.key, id: change.id! };
}
